#include "http/errors.hpp"

#include <nlohmann/json.hpp>

namespace parley::http {

int status_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::bad_request:
            return 400;
        case ErrorKind::unauthenticated:
            return 401;
        case ErrorKind::forbidden:
            return 403;
        case ErrorKind::not_found:
            return 404;
        case ErrorKind::conflict:
            return 409;
        case ErrorKind::gone:
            return 410;
        case ErrorKind::payload_too_large:
            return 413;
        case ErrorKind::unsupported_type:
            return 415;
        case ErrorKind::invalid:
            return 422;
        case ErrorKind::rate_limited:
            return 429;
        case ErrorKind::unavailable:
            return 503;
        case ErrorKind::internal:
            return 500;
    }
    return 500;
}

net::Response error_response(int status, std::string_view code, std::string_view message) {
    nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
    net::Response r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (status == 401) r.headers.push_back({"WWW-Authenticate", "Bearer"});
    return r;
}

net::Response error_response(const Error& error) {
    auto r = error_response(status_for(error.kind), error.code, error.message);
    if (error.retry_after_seconds) {
        r.headers.push_back({"Retry-After", std::to_string(*error.retry_after_seconds)});
    } else if (error.kind == ErrorKind::rate_limited || error.kind == ErrorKind::unavailable) {
        r.headers.push_back({"Retry-After", "1"});
    }
    return r;
}

}  // namespace parley::http
