#include "load/stream_client.hpp"

#include <fmt/format.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <random>

namespace parley::bench {

namespace {

constexpr std::uint8_t kOpContinuation = 0x0;
constexpr std::uint8_t kOpText = 0x1;
constexpr std::uint8_t kOpBinary = 0x2;
constexpr std::uint8_t kOpClose = 0x8;
constexpr std::uint8_t kOpPing = 0x9;
constexpr std::uint8_t kOpPong = 0xA;

// Far above anything parleyd sends (its own limit is 64 KiB); a peer past it is broken.
constexpr std::uint64_t kMaxMessageBytes = 16 << 20;

std::string base64(std::span<const unsigned char> bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t v = static_cast<std::uint32_t>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<std::uint32_t>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) v |= bytes[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
}

// Masking keys and handshake nonces need not be secret here, only different per connection
// (RFC 6455 §5.3 asks for unpredictability to protect proxies; there are none on loopback).
std::uint32_t next_random() {
    thread_local std::mt19937 engine{std::random_device{}()};
    return engine();
}

// The integer after `key` in text (e.g. "\"seq\":"), or -1.
std::int64_t number_after(std::string_view text, std::string_view key) {
    auto at = text.find(key);
    if (at == std::string_view::npos) return -1;
    const char* begin = text.data() + at + key.size();
    std::int64_t value = -1;
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    return ec == std::errc() ? value : -1;
}

}  // namespace

std::int64_t steady_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string stamp_prefix(std::int64_t sent_ns) { return fmt::format("t{}", sent_ns); }

bool StreamClient::start(const sockaddr_in& server, const sockaddr_in* source,
                         const Endpoint& endpoint) {
    close();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        fail(fmt::format("socket: {}", std::strerror(errno)));
        return false;
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (source != nullptr) {
        ::setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(source), sizeof *source) != 0) {
            fail(fmt::format("bind: {}", std::strerror(errno)));
            return false;
        }
    }
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
        errno != EINPROGRESS) {
        fail(fmt::format("connect: {}", std::strerror(errno)));
        return false;
    }
    state_ = State::connecting;
    upgraded_ = false;
    last_seq_ = 0;
    seen_.clear();
    if (protocol_ == StreamProtocol::websocket) {
        std::array<unsigned char, 16> nonce{};
        for (auto& b : nonce) b = static_cast<unsigned char>(next_random());
        out_ = fmt::format(
            "GET /api/v1/stream{} HTTP/1.1\r\nHost: {}\r\nUser-Agent: parley-load\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: {}\r\nAuthorization: Bearer {}\r\n\r\n",
            batch_ ? "?batch=1" : "", endpoint.host_header, base64(nonce), credential_);
    } else {
        // PING last: its PONG says the SUB before it has been processed.
        out_ = fmt::format(
            "CONNECT {{\"verbose\":false,\"pedantic\":false,\"name\":\"parley-load\"}}\r\n"
            "SUB {} 1\r\nPING\r\n",
            credential_);
    }
    written_ = 0;
    return true;
}

void StreamClient::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void StreamClient::fail(std::string message, StreamStats* stats) {
    if (stats != nullptr && state_ == State::open) ++stats->closed_by_server;
    state_ = State::failed;
    error_ = std::move(message);
    out_.clear();
    written_ = 0;
    pending_.clear();
    message_.clear();
    close();
}

void StreamClient::queue(std::string_view bytes) {
    if (written_ == out_.size()) {
        out_.clear();
        written_ = 0;
    }
    out_.append(bytes);
}

void StreamClient::flush() {
    while (fd_ >= 0 && written_ < out_.size()) {
        ssize_t n = ::send(fd_, out_.data() + written_, out_.size() - written_, MSG_NOSIGNAL);
        if (n > 0) {
            written_ += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;  // edge-triggered EPOLLOUT brings us back
        } else {
            return fail(fmt::format("send: {}", std::strerror(errno)));
        }
    }
    if (written_ == out_.size()) {
        out_.clear();
        out_.shrink_to_fit();  // idle connections should cost nothing here
        written_ = 0;
    }
}

void StreamClient::on_event(std::uint32_t events, std::span<char> scratch, StreamStats& stats) {
    if (fd_ < 0) return;
    if (state_ == State::connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) return fail(fmt::format("connect: {}", std::strerror(error)));
        state_ = State::handshaking;
    }
    if (state_ == State::connecting) return;
    if (events & EPOLLOUT) flush();
    if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP))) return;
    while (fd_ >= 0) {
        ssize_t n = ::recv(fd_, scratch.data(), scratch.size(), 0);
        if (n > 0) {
            const auto got = static_cast<std::size_t>(n);
            if (pending_.empty()) {
                std::string_view data(scratch.data(), got);
                parse(data, stats);
            } else {
                pending_.append(scratch.data(), got);
                std::string data = std::move(pending_);
                pending_.clear();
                parse(data, stats);
            }
            if (got < scratch.size()) break;  // drained: the next arrival is a new edge
        } else if (n == 0) {
            return fail("connection closed by the server", &stats);
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            return fail(fmt::format("recv: {}", std::strerror(errno)), &stats);
        }
    }
    if (fd_ >= 0 && wants_write()) flush();
}

void StreamClient::parse(std::string_view data, StreamStats& stats) {
    std::size_t used = 0;
    for (;;) {
        if (fd_ < 0) return;
        std::string_view rest = data.substr(used);
        if (rest.empty()) return;
        std::size_t n = 0;
        if (protocol_ == StreamProtocol::websocket && !upgraded_) {
            n = parse_handshake(rest);
        } else if (protocol_ == StreamProtocol::websocket) {
            n = parse_websocket(rest, stats);
        } else {
            n = parse_nats(rest, stats);
        }
        if (n == 0) {
            if (fd_ >= 0) pending_.assign(rest);
            return;
        }
        used += n;
    }
}

std::size_t StreamClient::parse_handshake(std::string_view data) {
    auto end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) return 0;
    std::string_view head = data.substr(0, end);
    if (!head.starts_with("HTTP/1.1 101")) {
        auto line = head.substr(0, head.find("\r\n"));
        auto body = data.substr(end + 4, 200);
        fail(fmt::format("upgrade refused: {} {}", line, body));
        return 0;
    }
    upgraded_ = true;
    // Still handshaking until the server's first frame ("hello"): the session is in the hub
    // from then on, so messages sent later reach it.
    return end + 4;
}

std::size_t StreamClient::parse_websocket(std::string_view data, StreamStats& stats) {
    if (data.size() < 2) return 0;
    const auto b0 = static_cast<std::uint8_t>(data[0]);
    const auto b1 = static_cast<std::uint8_t>(data[1]);
    const bool fin = (b0 & 0x80) != 0;
    const std::uint8_t opcode = b0 & 0x0F;
    const bool masked = (b1 & 0x80) != 0;
    std::uint64_t length = b1 & 0x7F;
    std::size_t header = 2;
    if (length == 126) {
        if (data.size() < 4) return 0;
        length = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(data[2])) << 8) |
                 static_cast<std::uint8_t>(data[3]);
        header = 4;
    } else if (length == 127) {
        if (data.size() < 10) return 0;
        length = 0;
        for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<std::uint8_t>(data[i]);
        header = 10;
    }
    if (length > kMaxMessageBytes) {
        fail(fmt::format("frame of {} bytes", length), &stats);
        return 0;
    }
    std::array<std::uint8_t, 4> mask{};
    if (masked) {  // servers must not mask (RFC 6455 §5.1), but undo it if one does
        if (data.size() < header + 4) return 0;
        for (int i = 0; i < 4; ++i) mask[i] = static_cast<std::uint8_t>(data[header + i]);
        header += 4;
    }
    if (data.size() < header + length) return 0;
    std::string unmasked;
    std::string_view payload = data.substr(header, length);
    if (masked) {
        unmasked.assign(payload);
        for (std::size_t i = 0; i < unmasked.size(); ++i) unmasked[i] ^= mask[i % 4];
        payload = unmasked;
    }
    const std::size_t used = header + static_cast<std::size_t>(length);

    switch (opcode) {
        case kOpText:
        case kOpBinary:
            if (fin) {
                deliver(payload, stats);
            } else {
                message_.assign(payload);
            }
            break;
        case kOpContinuation:
            message_.append(payload);
            if (message_.size() > kMaxMessageBytes) {
                fail("fragmented message too large", &stats);
                return 0;
            }
            if (fin) {
                std::string whole = std::move(message_);
                message_.clear();
                deliver(whole, stats);
            }
            break;
        case kOpPing:
            ++stats.pings;
            send_frame(kOpPong, payload);
            break;
        case kOpPong:
            break;
        case kOpClose: {
            std::uint16_t code = 1005;  // "no status received"
            if (payload.size() >= 2) {
                code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                                  static_cast<std::uint8_t>(payload[1]));
            }
            stats.close_codes.push_back(code);
            send_frame(kOpClose, payload.substr(0, 2));
            flush();
            fail(fmt::format("closed by the server with {}", code), &stats);
            return 0;
        }
        default:
            fail(fmt::format("unknown opcode {}", opcode), &stats);
            return 0;
    }
    return used;
}

std::size_t StreamClient::parse_nats(std::string_view data, StreamStats& stats) {
    auto eol = data.find("\r\n");
    if (eol == std::string_view::npos) return 0;
    std::string_view line = data.substr(0, eol);
    if (line.starts_with("MSG ")) {
        // MSG <subject> <sid> [reply-to] <#bytes>
        auto space = line.rfind(' ');
        std::size_t bytes = 0;
        auto [p, ec] = std::from_chars(line.data() + space + 1, line.data() + line.size(), bytes);
        if (ec != std::errc()) {
            fail("malformed MSG line", &stats);
            return 0;
        }
        if (data.size() < eol + 2 + bytes + 2) return 0;
        deliver(data.substr(eol + 2, bytes), stats);
        return eol + 2 + bytes + 2;
    }
    if (line == "PING") {
        ++stats.pings;
        queue("PONG\r\n");
        flush();
    } else if (line == "PONG") {
        if (state_ == State::handshaking) state_ = State::open;
    } else if (line.starts_with("-ERR")) {
        fail(std::string(line), &stats);
        return 0;
    } else {
        ++stats.other_frames;  // INFO, +OK
    }
    return eol + 2;
}

void StreamClient::send_frame(std::uint8_t opcode, std::string_view payload) {
    std::string frame;
    frame.reserve(14 + payload.size());
    frame += static_cast<char>(0x80 | opcode);
    if (payload.size() < 126) {
        frame += static_cast<char>(0x80 | payload.size());
    } else if (payload.size() <= 0xFFFF) {
        frame += static_cast<char>(0x80 | 126);
        frame += static_cast<char>(payload.size() >> 8);
        frame += static_cast<char>(payload.size() & 0xFF);
    } else {
        frame += static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            frame += static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift));
        }
    }
    const std::uint32_t key = next_random();
    const std::array<char, 4> mask{static_cast<char>(key >> 24), static_cast<char>(key >> 16),
                                   static_cast<char>(key >> 8), static_cast<char>(key)};
    frame.append(mask.data(), mask.size());
    for (std::size_t i = 0; i < payload.size(); ++i) frame += payload[i] ^ mask[i % 4];
    queue(frame);
    flush();
}

// Calls `each` with every top-level object of a batch frame's "events" array. The objects are
// the server's own JSON: only string quoting and nesting need tracking.
template <typename Each>
void for_each_batched(std::string_view text, Each&& each) {
    const auto start = text.find('[');
    if (start == std::string_view::npos) return;
    int depth = 0;
    bool in_string = false;
    std::size_t begin = 0;
    for (std::size_t i = start + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{') {
            if (depth++ == 0) begin = i;
        } else if (c == '}') {
            if (--depth == 0) each(text.substr(begin, i - begin + 1));
        } else if (c == ']' && depth == 0) {
            return;
        }
    }
}

void StreamClient::deliver(std::string_view text, StreamStats& stats) {
    if (batch_ && text.starts_with(R"({"type":"batch")")) {
        if (state_ == State::handshaking) state_ = State::open;
        for_each_batched(text, [&](std::string_view event) { deliver_event(event, stats); });
        return;
    }
    deliver_event(text, stats);
}

void StreamClient::deliver_event(std::string_view text, StreamStats& stats) {
    std::int64_t sent = -1;
    if (protocol_ == StreamProtocol::nats) {
        if (text.starts_with('t')) sent = number_after(text, "t");
    } else {
        if (state_ == State::handshaking) state_ = State::open;  // the hello frame
        if (text.find("\"type\":\"message.created\"") == std::string_view::npos) {
            ++stats.other_frames;
            return;
        }
        const std::int64_t seq = number_after(text, "\"seq\":");
        if (seq > 0) {
            const auto bit = static_cast<std::size_t>(seq);
            if (seen_.size() <= bit / 64) seen_.resize(bit / 64 + 1);
            const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
            if (seen_[bit / 64] & mask) {
                ++stats.duplicates;
            } else if (seq < last_seq_) {
                ++stats.out_of_order;
            }
            seen_[bit / 64] |= mask;
            last_seq_ = std::max(last_seq_, seq);
        }
        sent = number_after(text, "\"text\":\"t");
    }
    if (sent < 0) {
        ++stats.other_frames;
        return;
    }
    if (sent < stats.window_start_ns || sent >= stats.window_end_ns) {
        ++stats.outside_window;
        return;
    }
    const std::int64_t now = steady_ns();
    ++stats.deliveries;
    stats.latencies_ns.push_back(now - sent);
    stats.last_arrival_ns = std::max(stats.last_arrival_ns, now);
}

}  // namespace parley::bench
