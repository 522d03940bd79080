#pragma once
// The load tool's receiving end: one long-lived subscriber socket that an epoll loop drives —
// either a WebSocket client of parleyd's GET /api/v1/stream (RFC 6455: handshake, masked client
// frames, ping → pong, 16/64-bit lengths, fragmented messages) or a subscriber speaking the NATS
// text protocol (INFO/CONNECT/SUB/MSG/PING), so that Parley and the NATS reference cost the
// client the same. Each delivery that carries a send timestamp ("t<steady ns>" at the start of
// the text, see stamp_prefix) adds its latency to the loop's StreamStats.
//
// Kept small on purpose, so that tens of thousands of them cost the tool little: bytes are read
// into the loop's shared buffer and only an incomplete frame is kept per connection.
// Not thread-safe: a StreamClient and its StreamStats belong to one loop thread.

#include <netinet/in.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "load/http_client.hpp"

namespace parley::bench {

// Counters of one loop (or, summed, of a whole run). Latencies are kept only for messages sent
// inside the measured window [window_start_ns, window_end_ns) (steady clock, see stamp_prefix).
struct StreamStats {
    std::int64_t window_start_ns = 0;
    std::int64_t window_end_ns = INT64_MAX;
    std::uint64_t deliveries = 0;        // stamped messages sent in the window
    std::uint64_t outside_window = 0;    // stamped messages sent before or after it
    std::uint64_t duplicates = 0;        // WebSocket: a seq this connection had already received
    std::uint64_t out_of_order = 0;      // WebSocket: a seq below the highest already received
    std::uint64_t other_frames = 0;      // hello, resume.done, INFO, …
    std::uint64_t pings = 0;             // pings answered
    std::uint64_t closed_by_server = 0;  // open connections the server closed or reset
    std::vector<std::uint16_t> close_codes;  // the WebSocket close codes received, in order
    std::vector<std::int64_t> latencies_ns;  // send → arrival, one per delivery
    std::int64_t last_arrival_ns = 0;
};

// Steady-clock nanoseconds; the same clock in every process of the machine (CLOCK_MONOTONIC).
std::int64_t steady_ns();
// The text a sender puts first in a message: "t<steady_ns>".
std::string stamp_prefix(std::int64_t sent_ns);

enum class StreamProtocol { websocket, nats };

class StreamClient {
public:
    enum class State { idle, connecting, handshaking, open, failed };

    // websocket: `credential` is the bearer token; nats: the subject to subscribe to. `batch`
    // (websocket): open the stream with ?batch=1 and unpack the server's batch frames.
    StreamClient(StreamProtocol protocol, std::string credential, bool batch = false)
        : protocol_(protocol), credential_(std::move(credential)), batch_(batch) {}
    ~StreamClient() { close(); }
    StreamClient(const StreamClient&) = delete;
    StreamClient& operator=(const StreamClient&) = delete;

    // Starts a non-blocking connect from `source` (port 0: any; IP_BIND_ADDRESS_NO_PORT, so the
    // 4-tuple, not the source address alone, must be unique). False: see error().
    bool start(const sockaddr_in& server, const sockaddr_in* source, const Endpoint& endpoint);

    // Drives the connection on an epoll event; `scratch` is the loop's shared read buffer.
    void on_event(std::uint32_t events, std::span<char> scratch, StreamStats& stats);

    State state() const { return state_; }
    int fd() const { return fd_; }
    bool wants_write() const { return written_ < out_.size(); }
    const std::string& error() const { return error_; }
    void close();

private:
    void fail(std::string message, StreamStats* stats = nullptr);
    void queue(std::string_view bytes);
    void flush();
    void parse(std::string_view data, StreamStats& stats);
    std::size_t parse_handshake(std::string_view data);
    std::size_t parse_websocket(std::string_view data, StreamStats& stats);
    std::size_t parse_nats(std::string_view data, StreamStats& stats);
    void send_frame(std::uint8_t opcode, std::string_view payload);
    void deliver(std::string_view text, StreamStats& stats);
    // One event: a frame, or one element of a batch frame's events.
    void deliver_event(std::string_view text, StreamStats& stats);

    const StreamProtocol protocol_;
    const std::string credential_;
    const bool batch_;
    State state_ = State::idle;
    int fd_ = -1;
    std::string out_;  // bytes to write; usually empty
    std::size_t written_ = 0;
    std::string pending_;    // an incomplete frame or line from the last read
    std::string message_;    // WebSocket: a fragmented message being assembled
    bool upgraded_ = false;  // WebSocket: the 101 answer has been read
    std::int64_t last_seq_ = 0;
    std::vector<std::uint64_t> seen_;  // WebSocket: bit seq set once message seq arrived
    std::string error_;
};

}  // namespace parley::bench
