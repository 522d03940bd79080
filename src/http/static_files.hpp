#pragma once
// StaticFiles: serves the built web app (web/dist) from one directory, for every path that is
// not the API's. Files under assets/ carry a content hash in their names and are cached for a
// year; everything else, index.html above all, is revalidated on every load so a new release
// reaches browsers at once. A path with no extension that names no file is a route of the
// single-page app and gets index.html; a missing file with an extension is a 404. Paths that
// could leave the directory (`..`, backslashes, NUL) are refused. Reads the disk on each
// request (blocking: run it on a worker). Thread-safe.
//
// For slow networks (issue 6: a usable first screen within 3 s on Slow 3G): the build writes
// precompressed copies next to its files (`x.js.br`, `x.js.gz`), served instead of the file
// when the request's Accept-Encoding admits them (brotli first), with Content-Encoding and
// Vary: Accept-Encoding; and index.html carries the first screen's script and style inline,
// which the Content-Security-Policy allows by their SHA-256 hashes, read from the page itself
// (never 'unsafe-inline'). Every file has an ETag of the bytes sent, so each encoding has its
// own, and If-None-Match gets a 304.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_server.hpp"

namespace parley::http {

// True for the paths the JSON API answers (/api/..., /healthz, /metrics); the rest is the web app.
bool is_api_path(std::string_view path);

// The hash sources ('sha256-<base64>') of a page's inline scripts and styles.
struct InlineHashes {
    std::vector<std::string> scripts;
    std::vector<std::string> styles;
};

// The Content-Security-Policy of the web app: its own scripts, styles, images and API only,
// plus the stream's WebSocket URL on `host` (ws: or wss: as `tls` says), the inline scripts
// and styles named by hash, and audio/video from blob: URLs (attachments fetched with the token).
std::string content_security_policy(std::string_view host, bool tls,
                                    const InlineHashes& inline_hashes = {});

// The hashes of the inline <script> (those without a src attribute) and <style> elements of
// an HTML page, in order. Meant for the page our own build writes: it finds tags by their
// lowercase names and an element's content ends at the first "</script" or "</style", as an
// HTML parser ends it.
InlineHashes inline_hashes(std::string_view html);

// Whether an Accept-Encoding value admits a content coding (RFC 9110 §12.5.3): named with a
// q-value above 0, or covered by "*" above 0 without being named at 0. Case-insensitive.
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

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
