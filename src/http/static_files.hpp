#pragma once
// StaticFiles: serves the built web app (web/dist) from one directory, for every path that is
// not the API's. Files under assets/ carry a content hash in their names and are cached for a
// year; everything else, index.html above all, is revalidated on every load so a new release
// reaches browsers at once. A path with no extension that names no file is a route of the
// single-page app and gets index.html; a missing file with an extension is a 404. Paths that
// could leave the directory (`..`, backslashes, NUL) are refused. Reads the disk on each
// request (blocking: run it on a worker). Thread-safe.

#include <filesystem>
#include <string>
#include <string_view>

#include "net/http_server.hpp"

namespace parley::http {

// True for the paths the JSON API answers (/api/..., /healthz, /metrics); the rest is the web app.
bool is_api_path(std::string_view path);

// The Content-Security-Policy of the web app: its own scripts, styles, images and API only,
// plus the stream's WebSocket URL on `host` (ws: or wss: as `tls` says).
std::string content_security_policy(std::string_view host, bool tls);

// Content type by file extension; "application/octet-stream" for unknown ones.
std::string content_type_for(const std::filesystem::path& file);

class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path root);

    // True when root/index.html exists: there is an app to serve.
    bool available() const;
    const std::filesystem::path& root() const { return root_; }

    // GET or HEAD (others: 405 with Allow). Never throws.
    net::Response serve(const net::Request& request) const;

private:
    std::filesystem::path root_;
};

}  // namespace parley::http
