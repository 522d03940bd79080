#pragma once
// One accepted connection: TLS handshake if configured, then requests read and answered one at
// a time on the connection's own strand. Private to net/.

#include <memory>

#include "net/beast.hpp"
#include "net/server_core.hpp"

namespace parley::net {

// Registers the connection with `core` and starts serving it; drops it if the server is
// stopping. `socket` must be bound to a strand of core->io.
void start_session(const std::shared_ptr<ServerCore>& core, tcp::socket socket);

}  // namespace parley::net
