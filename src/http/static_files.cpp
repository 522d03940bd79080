#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>

#include "http/errors.hpp"

namespace parley::http {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

bool starts_with_segment(std::string_view path, std::string_view prefix) {
    return path == prefix ||
           (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/');
}

// The path split into segments, or nullopt when one of them could escape the root or is not a
// plain file name. Empty segments (a doubled or trailing slash) are dropped.
std::optional<std::vector<std::string>> safe_segments(std::string_view path) {
    if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
        return std::nullopt;
    }
    std::vector<std::string> segments;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t next = path.find('/', i);
        if (next == std::string_view::npos) next = path.size();
        std::string_view segment = path.substr(i, next - i);
        if (segment == "." || segment == "..") return std::nullopt;
        if (!segment.empty()) segments.emplace_back(segment);
        i = next + 1;
    }
    return segments;
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(out).str();
}

// The Host header as sent, if it looks like a host name or address with an optional port;
// anything else (empty, or characters a header value must not smuggle into the policy) is not
// used.
std::optional<std::string_view> plain_host(const net::Request& request) {
    auto host = request.header("host");
    if (!host || host->empty() || host->size() > 255) return std::nullopt;
    bool plain = std::ranges::all_of(*host, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
    if (!plain) return std::nullopt;
    return host;
}

}  // namespace

bool is_api_path(std::string_view path) {
    return starts_with_segment(path, "/api") || path == "/healthz" || path == "/metrics";
}

std::string content_security_policy(std::string_view host, bool tls) {
    std::string connect = "'self'";
    if (!host.empty()) {
        connect += tls ? " wss://" : " ws://";
        connect += host;
    }
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
           "font-src 'self'; manifest-src 'self'; connect-src " +
           connect +
           "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";
}

std::string content_type_for(const std::filesystem::path& file) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".csv", "text/csv; charset=utf-8"},
        {".map", "application/json"},
    }};
    std::string ext = file.extension().string();
    std::ranges::transform(ext, ext.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const auto& [extension, type] : kTypes) {
        if (ext == extension) return std::string(type);
    }
    return "application/octet-stream";
}

StaticFiles::StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

bool StaticFiles::available() const {
    std::error_code ec;
    return std::filesystem::is_regular_file(root_ / "index.html", ec);
}

net::Response StaticFiles::serve(const net::Request& request) const {
    if (request.method != "GET" && request.method != "HEAD") {
        auto response =
            error_response(405, "method_not_allowed", "The web app is only read: use GET or HEAD.");
        response.headers.push_back({"Allow", "GET, HEAD"});
        return response;
    }
    auto segments = safe_segments(request.path);
    if (!segments) {
        return error_response(400, "invalid_path", "That path is not allowed.");
    }
    std::filesystem::path relative;
    for (const auto& segment : *segments) relative /= segment;
    const bool navigation = segments->empty() || segments->back().find('.') == std::string::npos;

    std::filesystem::path file = segments->empty() ? root_ / "index.html" : root_ / relative;
    auto body = read_file(file);
    if (!body && navigation) {
        file = root_ / "index.html";
        body = read_file(file);
    }
    if (!body) {
        return error_response(404, "not_found", "No such file: " + request.path);
    }

    net::Response response;
    response.status = 200;
    response.content_type = content_type_for(file);
    const bool hashed =
        !segments->empty() && segments->front() == "assets" && file != root_ / "index.html";
    response.headers.push_back({"Cache-Control", std::string(hashed ? kImmutable : kRevalidate)});
    response.headers.push_back(
        {"Content-Security-Policy",
         content_security_policy(plain_host(request).value_or(""), request.tls)});
    response.body = std::move(*body);
    return response;
}

}  // namespace parley::http
