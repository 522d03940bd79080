#pragma once
// A small HTTP/1.1 keep-alive client over one non-blocking POSIX TCP socket, made for the load
// tool: one request in flight per connection. The caller either drives it from its own poll or
// epoll loop (Connection::fd, wants_write, on_writable, on_readable) or waits for one answer with
// Connection::exchange. Plain http:// only; responses with Content-Length or chunked bodies.
// Not thread-safe: a Connection belongs to one thread at a time.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace parley::bench {

// Where the server is: from a URL such as "http://127.0.0.1:8080" (a path, if any, is ignored).
struct Endpoint {
    std::string host;  // as written, without brackets for IPv6
    std::uint16_t port = 80;
    std::string host_header;  // "host:port", for the Host header
};

// Throws std::invalid_argument for anything but http://host[:port][/...].
Endpoint parse_url(std::string_view url);

struct HttpResponse {
    int status = 0;  // 0: no response (connection or protocol error; see error)
    std::string body;
    std::string error;  // set when status is 0
};

// Builds one request with the headers the API needs; token empty: no Authorization header.
std::string build_request(const Endpoint& endpoint, std::string_view method, std::string_view path,
                          std::string_view token, std::string_view body);

class Connection {
public:
    explicit Connection(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
    ~Connection() { close(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Connects (blocking, with TCP_NODELAY) unless already connected. False: see last_error().
    bool ensure_connected();
    void close();
    bool connected() const { return fd_ >= 0; }
    int fd() const { return fd_; }

    // Queues one request (a complete message from build_request) and tries to write it at once.
    // REQUIRES: connected(), no request in flight.
    void start(std::string request);

    // Progress for poll(): call on POLLOUT / POLLIN (and on POLLERR/POLLHUP: on_readable).
    bool wants_write() const { return written_ < out_.size(); }
    void on_writable();
    void on_readable();

    // True once the response is complete or the connection failed; then take it with take().
    bool done() const { return state_ == State::done; }
    HttpResponse take();

    // One request and its response, waiting at most timeout; reconnects once if a kept-alive
    // connection turns out to be closed before anything came back.
    HttpResponse exchange(std::string_view method, std::string_view path, std::string_view token,
                          std::string_view body,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

    const std::string& last_error() const { return error_; }

private:
    enum class State { idle, busy, done };

    void fail(std::string message);
    void parse();  // advances on in_; may finish the response

    Endpoint endpoint_;
    int fd_ = -1;
    State state_ = State::idle;
    std::string out_;
    std::size_t written_ = 0;
    std::string in_;
    std::size_t header_end_ = 0;  // 0: headers not complete yet
    std::size_t body_start_ = 0;
    std::int64_t content_length_ = -1;
    bool chunked_ = false;
    bool close_after_ = false;
    HttpResponse response_;
    std::string error_;
};

}  // namespace parley::bench
