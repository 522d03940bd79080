#pragma once
// WsClient: a small synchronous WebSocket client for the integration tests, playing a native app
// on GET /api/v1/stream. Not thread-safe: give each thread its own.
//
// Every operation (connect, handshake, read, write, close) is bounded by a timeout, so a missing
// frame fails a test instead of hanging it. (A socket receive timeout is not enough: Asio's
// synchronous read answers EAGAIN by polling without a limit.) An operation that times out
// leaves the connection dropped, as a real client would treat a dead peer.
//
// Beast stays in ws_client.cpp: the tests that use the client compile without it.

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "integration/harness.hpp"

namespace parley::it {

class WsClient {
public:
    // Connects to 127.0.0.1:port and upgrades at target (e.g. "/api/v1/stream") with the extra
    // headers ("Name: value"). On refusal, `refused` is set (see refused_upgrade() for the
    // answer's body). `timeout` bounds each later operation that is not given its own.
    WsClient(int port, const std::string& target, const std::vector<std::string>& headers = {},
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~WsClient();
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    // Upgraded, and no read, write or close has failed or timed out since.
    bool open() const;

    // The next frame as JSON (discarded JSON when the frame is not JSON); null on a close, an
    // error or a timeout (close_code(), error() and timed_out() tell which).
    json read();
    // The same with its own timeout, e.g. a short one to see whether anything is coming. A
    // timeout drops the connection.
    json read_for(std::chrono::milliseconds timeout);
    // Frames until one of `type` (returned) or a close/timeout (null); the others go to skipped.
    json read_until(const std::string& type, std::vector<json>* skipped = nullptr);

    // Sends a text frame; throws boost::system::system_error when it fails.
    void send(const std::string& text);
    void send(const json& frame) { send(frame.dump()); }
    // The same without throwing: false when the frame could not be written.
    bool try_send(const json& frame);

    // A clean close: the close handshake with `code`, bounded by the timeout; the socket is
    // closed whatever happens.
    void close(std::uint16_t code = 1000);
    // An abrupt drop: the TCP socket is closed without a close frame, with a FIN, or with an
    // RST when `reset` (SO_LINGER 0), as when a phone loses its network. (The kernel sends an
    // RST anyway when frames are still unread.)
    void drop(bool reset = false);

    // The close code the server sent (0 when it sent none).
    int close_code() const;
    boost::system::error_code error() const { return error_; }
    bool timed_out() const { return timed_out_; }

    std::optional<Response> refused;

private:
    struct Impl;

    std::unique_ptr<Impl> impl_;
    std::chrono::milliseconds timeout_;
    bool closed_ = false;
    bool timed_out_ = false;
    boost::system::error_code error_;
};

// An upgrade request the server is expected to refuse: its HTTP answer. (Beast's client
// handshake does not give back the body of a refusal.)
Response refused_upgrade(int port, const std::string& target,
                         const std::vector<std::string>& headers = {});

// "Authorization: Bearer <token>", for WsClient's headers.
inline std::string bearer(const Session& s) { return "Authorization: Bearer " + s.token; }

// A stream opened with who's bearer token that said hello (a gtest failure otherwise).
std::unique_ptr<WsClient> stream_of(int port, const Session& who);

// Frames up to and including the message.created of message_id (returned; null, with a gtest
// failure, if the stream ends first); the earlier ones in *before.
json read_until_message(WsClient& ws, const std::string& message_id,
                        std::vector<json>* before = nullptr);

}  // namespace parley::it
