#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>

#include "crypto/digest.hpp"
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

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::ranges::equal(a, b, [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The q-value of one Accept-Encoding element ("gzip;q=0.5"); 1 without one, 0 when malformed
// (an element we cannot read admits nothing).
double q_value(std::string_view params) {
    while (!params.empty()) {
        std::size_t semi = params.find(';');
        std::string_view param = trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? "" : params.substr(semi + 1);
        if (param.size() >= 2 && lower(param[0]) == 'q' && param[1] == '=') {
            std::string_view v = param.substr(2);
            if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return 0;
            double q = v[0] - '0';
            if (v.size() > 1) {
                if (v[1] != '.') return 0;
                double scale = 0.1;
                for (char c : v.substr(2)) {
                    if (c < '0' || c > '9') return 0;
                    q += (c - '0') * scale;
                    scale /= 10;
                }
            }
            return q > 1 ? 0 : q;
        }
    }
    return 1;
}

// The precompressed variants the build writes, best first: (Content-Encoding, file suffix).
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kVariants{{
    {"br", ".br"},
    {"gzip", ".gz"},
}};

// An entity tag of the bytes sent (FNV-1a, 64 bits): the same file gives the same tag on every
// node and after restarts, and each encoding of it has its own.
std::string entity_tag(std::string_view body) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : body) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string tag = "\"";
    for (int shift = 60; shift >= 0; shift -= 4) tag += kHex[(h >> shift) & 0xF];
    tag += "-" + std::to_string(body.size()) + "\"";
    return tag;
}

// Whether If-None-Match names this tag (or is "*"): the client's copy is current.
bool matches(std::string_view if_none_match, std::string_view tag) {
    while (!if_none_match.empty()) {
        std::size_t comma = if_none_match.find(',');
        std::string_view candidate = trim(if_none_match.substr(0, comma));
        if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // weak comparison
        if (candidate == "*" || candidate == tag) return true;
        if_none_match = comma == std::string_view::npos ? "" : if_none_match.substr(comma + 1);
    }
    return false;
}

std::string hash_source(std::string_view content) {
    return "'sha256-" + crypto::to_base64(crypto::sha256(content)) + "'";
}

// The hash sources of every inline <tag> element of html; scripts with a src are not inline.
std::vector<std::string> inline_sources(std::string_view html, std::string_view tag) {
    const std::string open = "<" + std::string(tag);
    const std::string close = "</" + std::string(tag);
    std::vector<std::string> sources;
    std::size_t at = 0;
    while ((at = html.find(open, at)) != std::string_view::npos) {
        const std::size_t after_name = at + open.size();
        // "<scripts" or "<style-x" are other tags.
        if (after_name < html.size() && html[after_name] != '>' && html[after_name] != ' ' &&
            html[after_name] != '\n' && html[after_name] != '\t') {
            at = after_name;
            continue;
        }
        std::size_t tag_end = html.find('>', after_name);
        if (tag_end == std::string_view::npos) break;
        std::string_view attributes = html.substr(after_name, tag_end - after_name);
        std::size_t content_end = html.find(close, tag_end + 1);
        if (content_end == std::string_view::npos) break;
        const bool external = attributes.find("src=") != std::string_view::npos;
        if (!external)
            sources.push_back(hash_source(html.substr(tag_end + 1, content_end - tag_end - 1)));
        at = content_end + close.size();
    }
    return sources;
}

}  // namespace

InlineHashes inline_hashes(std::string_view html) {
    return {inline_sources(html, "script"), inline_sources(html, "style")};
}

bool accepts_encoding(std::string_view accept_encoding, std::string_view coding) {
    std::optional<double> named;
    std::optional<double> any;
    while (!accept_encoding.empty()) {
        std::size_t comma = accept_encoding.find(',');
        std::string_view element = accept_encoding.substr(0, comma);
        accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
        std::size_t semi = element.find(';');
        std::string_view name = trim(element.substr(0, semi));
        double q = semi == std::string_view::npos ? 1 : q_value(element.substr(semi + 1));
        if (iequals(name, coding)) named = q;
        if (name == "*") any = q;
    }
    if (named) return *named > 0;
    return any.value_or(0) > 0;
}

bool is_api_path(std::string_view path) {
    return starts_with_segment(path, "/api") || path == "/healthz" || path == "/metrics";
}

std::string content_security_policy(std::string_view host, bool tls,
                                    const InlineHashes& inline_hashes) {
    std::string connect = "'self'";
    if (!host.empty()) {
        connect += tls ? " wss://" : " ws://";
        connect += host;
    }
    std::string script = "'self'";
    for (const auto& source : inline_hashes.scripts) script += " " + source;
    std::string style = "'self'";
    for (const auto& source : inline_hashes.styles) style += " " + source;
    return "default-src 'none'; script-src " + script + "; style-src " + style +
           "; img-src 'self' data: blob:; media-src blob:; font-src 'self'; manifest-src 'self'; "
           "connect-src " +
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
    // The policy names the page's inline scripts and styles, hashed as the page has them
    // (uncompressed), whichever encoding is sent.
    const bool html = file.extension() == ".html";
    response.headers.push_back(
        {"Content-Security-Policy",
         content_security_policy(plain_host(request).value_or(""), request.tls,
                                 html ? inline_hashes(*body) : InlineHashes{})});

    // A precompressed copy the client accepts replaces the file. Vary whenever one exists, so a
    // cache never hands a compressed copy to a client that did not ask for it.
    const std::string accept_encoding(request.header("accept-encoding").value_or(""));
    bool varies = false;
    for (const auto& [coding, suffix] : kVariants) {
        std::filesystem::path variant = file;
        variant += suffix;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(variant, ec)) continue;
        varies = true;
        if (!accepts_encoding(accept_encoding, coding)) continue;
        if (auto compressed = read_file(variant)) {
            response.headers.push_back({"Content-Encoding", std::string(coding)});
            body = std::move(compressed);
            break;
        }
    }
    if (varies) response.headers.push_back({"Vary", "Accept-Encoding"});

    const std::string tag = entity_tag(*body);
    response.headers.push_back({"ETag", tag});
    if (matches(request.header("if-none-match").value_or(""), tag)) {
        // A 304 carries the validators and Vary, no representation metadata (RFC 9110 §15.4.5).
        std::erase_if(response.headers,
                      [](const net::Header& h) { return h.name == "Content-Encoding"; });
        response.status = 304;
        return response;
    }
    response.body = std::move(*body);
    return response;
}

}  // namespace parley::http
