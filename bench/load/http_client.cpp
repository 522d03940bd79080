#include "load/http_client.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace parley::bench {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool icontains(std::string_view haystack, std::string_view needle) {
    if (needle.size() > haystack.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (iequals(haystack.substr(i, needle.size()), needle)) return true;
    }
    return false;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

Endpoint parse_url(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    if (!url.starts_with(kScheme)) {
        throw std::invalid_argument(
            fmt::format("--url must start with http:// (TLS is not supported): {}", url));
    }
    std::string_view rest = url.substr(kScheme.size());
    rest = rest.substr(0, rest.find('/'));
    Endpoint e;
    std::string_view port_text;
    if (rest.starts_with('[')) {
        auto close = rest.find(']');
        if (close == std::string_view::npos) throw std::invalid_argument("bad IPv6 host in --url");
        e.host = std::string(rest.substr(1, close - 1));
        if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = rest.substr(close + 2);
    } else {
        auto colon = rest.rfind(':');
        e.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
    }
    if (e.host.empty()) throw std::invalid_argument(fmt::format("no host in --url {}", url));
    if (!port_text.empty()) {
        unsigned port = 0;
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
            port > 65535) {
            throw std::invalid_argument(fmt::format("bad port in --url {}", url));
        }
        e.port = static_cast<std::uint16_t>(port);
    }
    bool v6 = e.host.find(':') != std::string::npos;
    e.host_header = fmt::format("{}{}{}:{}", v6 ? "[" : "", e.host, v6 ? "]" : "", e.port);
    return e;
}

std::string build_request(const Endpoint& endpoint, std::string_view method, std::string_view path,
                          std::string_view token, std::string_view body) {
    std::string r;
    r.reserve(200 + token.size() + body.size());
    r.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ");
    r.append(endpoint.host_header).append("\r\nUser-Agent: parley-load\r\n");
    if (!token.empty()) r.append("Authorization: Bearer ").append(token).append("\r\n");
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        r.append("Content-Type: application/json\r\nContent-Length: ");
        r.append(std::to_string(body.size())).append("\r\n");
    }
    r.append("\r\n").append(body);
    return r;
}

bool Connection::ensure_connected() {
    if (fd_ >= 0) return true;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    std::string port = std::to_string(endpoint_.port);
    if (int rc = ::getaddrinfo(endpoint_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        error_ = fmt::format("cannot resolve {}: {}", endpoint_.host, ::gai_strerror(rc));
        return false;
    }
    error_ = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            error_ = fmt::format("cannot connect to {}: {}", endpoint_.host_header,
                                 std::strerror(errno));
            ::close(fd);
            continue;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        fd_ = fd;
        error_.clear();
        break;
    }
    ::freeaddrinfo(found);
    return fd_ >= 0;
}

void Connection::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void Connection::start(std::string request) {
    out_ = std::move(request);
    written_ = 0;
    in_.clear();
    header_end_ = body_start_ = 0;
    content_length_ = -1;
    chunked_ = close_after_ = false;
    response_ = {};
    state_ = State::busy;
    on_writable();
}

void Connection::fail(std::string message) {
    response_ = {};
    response_.error = std::move(message);
    state_ = State::done;
    close();
}

void Connection::on_writable() {
    while (state_ == State::busy && written_ < out_.size()) {
        ssize_t n = ::send(fd_, out_.data() + written_, out_.size() - written_, MSG_NOSIGNAL);
        if (n > 0) {
            written_ += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            return fail(fmt::format("send: {}", std::strerror(errno)));
        }
    }
}

void Connection::on_readable() {
    char buffer[16384];
    while (state_ == State::busy) {
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) {
            in_.append(buffer, static_cast<std::size_t>(n));
            parse();
            if (static_cast<std::size_t>(n) < sizeof buffer) return;  // drained, most likely
        } else if (n == 0) {
            if (header_end_ != 0 && content_length_ < 0 && !chunked_) {
                response_.body = in_.substr(body_start_);  // body delimited by the close
                state_ = State::done;
                close();
                return;
            }
            return fail(in_.empty() ? "connection closed by the server"
                                    : "connection closed in the middle of a response");
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return;
        } else {
            return fail(fmt::format("recv: {}", std::strerror(errno)));
        }
    }
}

void Connection::parse() {
    if (header_end_ == 0) {
        auto end = in_.find("\r\n\r\n");
        if (end == std::string::npos) return;
        header_end_ = end;
        body_start_ = end + 4;
        std::string_view head(in_.data(), end);
        auto line_end = head.find("\r\n");
        std::string_view status_line = head.substr(0, line_end);
        // "HTTP/1.1 201 Created"
        auto space = status_line.find(' ');
        int status = 0;
        if (space != std::string_view::npos && status_line.size() >= space + 4) {
            std::from_chars(status_line.data() + space + 1, status_line.data() + space + 4, status);
        }
        if (status < 100 || status > 599) return fail("malformed status line");
        response_.status = status;
        close_after_ = status_line.starts_with("HTTP/1.0");
        while (line_end != std::string_view::npos) {
            head.remove_prefix(line_end + 2);
            line_end = head.find("\r\n");
            std::string_view line = head.substr(0, line_end);
            auto colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            std::string_view name = line.substr(0, colon);
            std::string_view value = trim(line.substr(colon + 1));
            if (iequals(name, "content-length")) {
                std::int64_t length = -1;
                std::from_chars(value.data(), value.data() + value.size(), length);
                content_length_ = length;
            } else if (iequals(name, "transfer-encoding")) {
                chunked_ = icontains(value, "chunked");
            } else if (iequals(name, "connection")) {
                if (icontains(value, "close")) close_after_ = true;
                if (icontains(value, "keep-alive")) close_after_ = false;
            }
        }
        if (status == 204 || status == 304 || status < 200) content_length_ = 0;
        if (chunked_) content_length_ = -1;
    }
    if (content_length_ >= 0) {
        if (in_.size() - body_start_ < static_cast<std::size_t>(content_length_)) return;
        response_.body = in_.substr(body_start_, static_cast<std::size_t>(content_length_));
    } else if (chunked_) {
        std::string body;
        std::size_t pos = body_start_;
        for (;;) {
            auto eol = in_.find("\r\n", pos);
            if (eol == std::string::npos) return;
            std::size_t size = 0;
            auto [p, ec] = std::from_chars(in_.data() + pos, in_.data() + eol, size, 16);
            if (ec != std::errc()) return fail("malformed chunk size");
            (void)p;
            if (size == 0) {
                if (in_.find("\r\n\r\n", eol) == std::string::npos &&
                    in_.compare(eol, 4, "\r\n\r\n") != 0) {
                    return;  // trailers not complete yet
                }
                break;
            }
            if (in_.size() < eol + 2 + size + 2) return;
            body.append(in_, eol + 2, size);
            pos = eol + 2 + size + 2;
        }
        response_.body = std::move(body);
    } else {
        return;  // delimited by the close: on_readable finishes it
    }
    state_ = State::done;
    if (close_after_) close();
}

HttpResponse Connection::take() {
    state_ = State::idle;
    HttpResponse r = std::move(response_);
    response_ = {};
    out_.clear();
    in_.clear();
    return r;
}

HttpResponse Connection::exchange(std::string_view method, std::string_view path,
                                  std::string_view token, std::string_view body,
                                  std::chrono::milliseconds timeout) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = connected();
        if (!ensure_connected()) return HttpResponse{0, {}, error_};
        start(build_request(endpoint_, method, path, token, body));
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                fail(fmt::format("no response within {} ms", timeout.count()));
                break;
            }
            pollfd p{fd_, static_cast<short>(wants_write() ? POLLOUT : POLLIN), 0};
            int rc = ::poll(&p, 1, static_cast<int>(left.count()));
            if (rc < 0 && errno != EINTR) {
                fail(fmt::format("poll: {}", std::strerror(errno)));
                break;
            }
            if (rc <= 0) continue;
            if (p.revents & POLLOUT) on_writable();
            if (p.revents & (POLLIN | POLLERR | POLLHUP)) on_readable();
        }
        const bool nothing_came_back = response_.status == 0 && in_.empty();
        HttpResponse r = take();
        if (r.status != 0 || !reused || !nothing_came_back) return r;
        // The server closed an idle kept-alive connection: one more try on a new one.
    }
    return HttpResponse{0, {}, "connection closed by the server"};
}

}  // namespace parley::bench
