#pragma once
// UpgradedStream: a connection the HttpServer handed over after a WebSocket upgrade request
// (see UpgradeHandler in http_server.hpp). Private to net/ and realtime/: it carries Beast types.
//
// Whoever takes it owns the stream. To be shut down by HttpServer::stop() like every other
// connection, register with `core` (ServerCore::add) and unregister once the socket is closed.
// Holding `core` keeps the io_context that the stream belongs to alive.

#include <memory>
#include <variant>

#include "net/beast.hpp"
#include "net/server_core.hpp"

namespace parley::net {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

struct UpgradedStream {
    std::shared_ptr<ServerCore> core;
    std::variant<beast::tcp_stream, TlsStream> stream;  // TLS handshake already done
    http::request<http::string_body> request;           // the upgrade request
    beast::flat_buffer buffer;                          // bytes read past the request
};

}  // namespace parley::net
