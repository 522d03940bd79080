#pragma once
// The one table from error kinds to HTTP statuses, and the error body every endpoint uses:
// {"error": {"code": "...", "message": "..."}}, with Retry-After on 429 and 503.

#include <string_view>

#include "common/result.hpp"
#include "net/http_server.hpp"

namespace parley::http {

int status_for(ErrorKind kind);
net::Response error_response(const Error& error);
net::Response error_response(int status, std::string_view code, std::string_view message);

}  // namespace parley::http
