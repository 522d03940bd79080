#pragma once
// Helpers for the addresses the server listens on, for config validation and the rule that
// plain HTTP is only allowed on loopback. Pure functions, thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace parley::net {

// True for "localhost", 127.0.0.0/8 (also IPv4-mapped) and ::1, with or without [brackets].
bool is_loopback_address(std::string_view host);

// Splits "host:port" into host and port: "127.0.0.1:8080", "[::1]:8080" (host "::1"),
// "0.0.0.0:443", "localhost:8080". The host is an IPv4 address, a bracketed IPv6 address or a
// DNS name. Error: "invalid_listen_address".
Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text);

}  // namespace parley::net
