#pragma once
// HttpServer: the HTTP/1.1 transport (optionally over TLS) under the API. It accepts connections,
// parses requests within size limits and timeouts, hands each request to one Handler and writes
// the Response it gets back, adding the headers every response carries. It knows nothing about
// routing, JSON or chat. Thread-safe.
//
// Asio and Beast stay behind this header (see beast.hpp): including it costs almost nothing.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace parley::net {

struct Header {
    std::string name;  // lower-cased on requests
    std::string value;
};

// A request body the server streamed to a file as it arrived (see
// ServerSettings::streams_to_file), so that it was never whole in memory. The file is deleted
// when the last reference goes; a handler that keeps the bytes copies or moves them first.
class BodyFile {
public:
    BodyFile(std::filesystem::path path, std::uint64_t size)
        : path_(std::move(path)), size_(size) {}
    ~BodyFile();
    BodyFile(const BodyFile&) = delete;
    BodyFile& operator=(const BodyFile&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::uint64_t size() const { return size_; }

private:
    std::filesystem::path path_;
    std::uint64_t size_;
};

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // raw target, e.g. "/api/v1/x?a=1"
    std::string path;    // percent-decoded path without query, e.g. "/api/v1/x"; not normalized
    std::string query;   // raw query string without '?', e.g. "a=1"
    std::vector<Header> headers;
    std::string body;                     // empty when body_file is set
    std::shared_ptr<BodyFile> body_file;  // set for routes whose bodies go to a file
    std::string remote_address;           // peer IP as text, e.g. "127.0.0.1"
    bool tls = false;

    // First header with that (case-insensitive) name, or nullopt.
    std::optional<std::string_view> header(std::string_view name) const;
};

class BodySource;

struct Response {
    int status = 200;  // 200..599; anything else is a handler bug and becomes a 500
    std::string content_type = "application/json";  // empty: no Content-Type
    // Extra headers, e.g. Retry-After, Content-Disposition. The server sets Content-Type (from
    // content_type), Content-Length, Connection, Date, Server, X-Content-Type-Options: nosniff,
    // Referrer-Policy: no-referrer, and Cache-Control: no-store unless given one here. A header
    // with CR, LF or NUL in it is dropped.
    std::vector<Header> headers;
    std::string body;  // ignored for 204 and 304
    // Set: the body is produced piece by piece while it is written (a file decrypted chunk by
    // chunk), so it is never whole in memory; `body` is then ignored.
    std::shared_ptr<BodySource> source;
};

// A response body read in pieces. The server sends size() as Content-Length, then asks for
// one piece at a time with pull(), and asks again only once the piece before has been written,
// so at most one is in memory. pull() must not block (it runs on an io thread): a source that
// reads or decrypts posts that work elsewhere and calls `deliver` from there, once per pull,
// from any thread. An empty piece ends the body; nullopt (a read or decryption error), or a
// total that differs from size(), closes the connection: the client sees a cut response,
// never a wrong one.
class BodySource {
public:
    using Deliver = std::function<void(std::optional<std::string> piece)>;
    virtual ~BodySource() = default;
    virtual std::uint64_t size() const = 0;
    virtual void pull(Deliver deliver) = 0;
};

// Call exactly once, from any thread. Calls after the first, or after the connection has
// closed or the server has stopped, are ignored.
using Responder = std::function<void(Response)>;
// Called on an io thread; must not block (post slow work elsewhere and answer through the
// Responder). An exception escaping it is logged and answered with a 500.
using Handler = std::function<void(Request&&, Responder)>;
// Builds the body of an error the server produces itself (oversized body, bad request line,
// handler exception). The app passes one that writes the API's JSON error shape.
using ErrorResponder =
    std::function<Response(int status, std::string_view code, std::string_view message)>;

// A WebSocket upgrade request (GET with "Upgrade: websocket") is not given to the Handler but to
// the UpgradeHandler, which answers once, from any thread, with an UpgradeAnswer: either a
// rejection (an ordinary response; the connection is then closed) or `accept`, which is then
// called on the connection's strand with the connection itself (its stream, the parsed request
// and any bytes read past it). From then on the HttpServer no longer serves that connection.
struct UpgradedStream;  // net/upgrade.hpp; only net/ and realtime/ include it
using UpgradeAcceptor = std::function<void(std::unique_ptr<UpgradedStream>)>;
struct UpgradeAnswer {
    Response rejection;      // used when accept is empty
    UpgradeAcceptor accept;  // set: hand the connection over
};
using UpgradeResponder = std::function<void(UpgradeAnswer)>;
// Called on an io thread; must not block.
using UpgradeHandler = std::function<void(Request&&, UpgradeResponder)>;

struct TlsSettings {
    std::string certificate_file;  // PEM, leaf first, then intermediates
    std::string private_key_file;  // PEM, unencrypted
};

struct ServerSettings {
    // An IP address, or a host name such as "localhost": the first of its addresses that binds.
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 = pick a free port
    int io_threads = 2;
    std::size_t max_body_bytes = 1 << 20;  // over it: 413, connection closed
    // Requests for which is_upload(method, path) is true (file uploads) may have bodies up to
    // max_upload_bytes instead; decided from the request line, before the body is read.
    std::size_t max_upload_bytes = 50 << 20;
    std::function<bool(std::string_view method, std::string_view path)> is_upload;
    // Requests for which streams_to_file(method, path) is true (attachments) have their body
    // written to a new file in upload_directory as it arrives, never held in memory, up to
    // max_file_body_bytes; over it the answer is 413 with file_too_large_code and the partial
    // file is deleted. The handler gets it as Request::body_file.
    std::function<bool(std::string_view method, std::string_view path)> streams_to_file;
    std::uint64_t max_file_body_bytes = 100 << 20;
    std::filesystem::path upload_directory;
    std::string file_too_large_code = "payload_too_large";
    std::size_t max_header_bytes = 16 << 10;  // over it: 431, connection closed
    // Limits each read of a request (from the keep-alive wait to its last byte) and each write
    // of a response as a whole, so a slow client cannot hold a connection forever.
    std::chrono::seconds idle_timeout{60};
    // How long stop() lets in-flight requests finish before closing their connections.
    std::chrono::milliseconds drain_timeout{std::chrono::seconds(5)};
    std::optional<TlsSettings> tls;  // set: TLS 1.2+ only, plain HTTP fails the handshake
    // Empty: upgrade requests go to the Handler like any other request.
    UpgradeHandler upgrade_handler;
};

class HttpServer {
public:
    // REQUIRES: handler and error_responder are callable.
    HttpServer(ServerSettings settings, Handler handler, ErrorResponder error_responder);
    ~HttpServer();  // stops
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Loads the TLS files, binds, listens and starts the io threads; returns the bound port.
    // Errors: "tls_config" (files unreadable, key not matching the certificate),
    // "listen_failed" (bad address, address in use), "already_started".
    Result<std::uint16_t> start();

    // Stops accepting, closes idle connections, lets in-flight requests finish for up to
    // settings.drain_timeout, then closes the rest and joins the io threads. Once it returns no
    // handler is called any more. Idempotent; the server cannot be started again.
    // REQUIRES: not called on an io thread (from a Handler).
    void stop();

    std::size_t open_connections() const;  // accepted and not yet closed
    std::uint64_t connections_accepted() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace parley::net
