#include "integration/ws_client.hpp"

// clang-format off
#include <utility>
// clang-format on

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace parley::it {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

// How long an operation cut short by a timeout may take to hand back its handler.
constexpr std::chrono::seconds kAbortTimeout{5};

tcp::endpoint loopback(int port) {
    return {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)};
}

Response to_response(int status, const std::string& raw) {
    Response r;
    r.status = status;
    r.raw = raw;
    r.body = json::parse(r.raw, nullptr, false);
    if (r.body.is_discarded()) r.body = nullptr;
    return r;
}

}  // namespace

struct WsClient::Impl {
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};

    // Runs the asynchronous operation that `start` begins (it is given the completion handler)
    // for at most `timeout`. On timeout the socket is closed, which ends the operation, and the
    // answer is timed_out.
    template <typename Start>
    beast::error_code run(Start&& start, std::chrono::milliseconds timeout, bool& timed_out) {
        std::optional<beast::error_code> result;
        start([&result](beast::error_code ec, auto&&...) { result = ec; });
        io.restart();
        io.run_for(timeout);
        if (result) return *result;
        timed_out = true;
        close_socket();
        io.restart();
        io.run_for(kAbortTimeout);
        return asio::error::timed_out;
    }

    void close_socket() {
        beast::error_code ignored;
        ws.next_layer().close(ignored);
    }
};

WsClient::WsClient(int port, const std::string& target, const std::vector<std::string>& headers,
                   std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()), timeout_(timeout) {
    auto& ws = impl_->ws;
    error_ = impl_->run(
        [&](auto handler) { ws.next_layer().async_connect(loopback(port), std::move(handler)); },
        timeout_, timed_out_);
    if (error_) throw boost::system::system_error(error_, "connect to the stream");
    ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& r) {
        for (const auto& h : headers) {
            const auto colon = h.find(':');
            r.set(h.substr(0, colon), h.substr(colon + 2));
        }
    }));
    websocket::response_type response;
    error_ = impl_->run(
        [&](auto handler) {
            ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), target,
                               std::move(handler));
        },
        timeout_, timed_out_);
    if (error_) {
        refused = to_response(static_cast<int>(response.result_int()), response.body());
        closed_ = true;
    }
}

WsClient::~WsClient() { impl_->close_socket(); }

bool WsClient::open() const { return !refused && !closed_; }

json WsClient::read() { return read_for(timeout_); }

json WsClient::read_for(std::chrono::milliseconds timeout) {
    beast::flat_buffer buffer;
    auto& ws = impl_->ws;
    const beast::error_code ec = impl_->run(
        [&](auto handler) { ws.async_read(buffer, std::move(handler)); }, timeout, timed_out_);
    if (ec) {
        closed_ = true;
        error_ = ec;
        return nullptr;
    }
    return json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
}

json WsClient::read_until(const std::string& type, std::vector<json>* skipped) {
    for (;;) {
        json frame = read();
        if (frame.is_null()) return frame;
        if (frame.is_object() && frame.value("type", "") == type) return frame;
        if (skipped) skipped->push_back(frame);
    }
}

void WsClient::send(const std::string& text) {
    auto& ws = impl_->ws;
    ws.text(true);
    const beast::error_code ec =
        impl_->run([&](auto handler) { ws.async_write(asio::buffer(text), std::move(handler)); },
                   timeout_, timed_out_);
    if (ec) {
        closed_ = true;
        error_ = ec;
        throw boost::system::system_error(ec, "write to the stream");
    }
}

bool WsClient::try_send(const json& frame) {
    try {
        send(frame);
        return true;
    } catch (const boost::system::system_error&) {
        return false;
    }
}

void WsClient::close(std::uint16_t code) {
    auto& ws = impl_->ws;
    if (!closed_) {
        const beast::error_code ec = impl_->run(
            [&](auto handler) {
                ws.async_close(websocket::close_reason(code), std::move(handler));
            },
            timeout_, timed_out_);
        if (ec) error_ = ec;
    }
    closed_ = true;
    impl_->close_socket();
}

void WsClient::drop(bool reset) {
    auto& socket = impl_->ws.next_layer();
    if (reset && socket.is_open()) {
        const linger now{1, 0};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_LINGER, &now, sizeof now);
    }
    closed_ = true;
    impl_->close_socket();
}

int WsClient::close_code() const { return impl_->ws.reason().code; }

Response refused_upgrade(int port, const std::string& target,
                         const std::vector<std::string>& headers) {
    namespace http = boost::beast::http;
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(loopback(port));
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request.set(http::field::connection, "Upgrade");
    request.set(http::field::upgrade, "websocket");
    request.set(http::field::sec_websocket_version, "13");
    request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    for (const auto& h : headers) {
        const auto colon = h.find(':');
        request.set(h.substr(0, colon), h.substr(colon + 2));
    }
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    return to_response(static_cast<int>(response.result_int()), response.body());
}

std::unique_ptr<WsClient> stream_of(int port, const Session& who) {
    auto ws =
        std::make_unique<WsClient>(port, "/api/v1/stream", std::vector<std::string>{bearer(who)});
    EXPECT_FALSE(ws->refused);
    EXPECT_EQ(ws->read().value("type", ""), "hello");
    return ws;
}

json read_until_message(WsClient& ws, const std::string& message_id, std::vector<json>* before) {
    for (;;) {
        json frame = ws.read();
        if (frame.is_null()) {
            ADD_FAILURE() << "stream ended before " << message_id << ": " << ws.error().message();
            return frame;
        }
        if (frame.value("type", "") == "message.created" && frame["message"]["id"] == message_id) {
            return frame;
        }
        if (before) before->push_back(frame);
    }
}

}  // namespace parley::it
