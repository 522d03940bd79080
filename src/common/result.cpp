#include "common/result.hpp"

namespace parley {

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::bad_request:
            return "bad_request";
        case ErrorKind::unauthenticated:
            return "unauthenticated";
        case ErrorKind::forbidden:
            return "forbidden";
        case ErrorKind::not_found:
            return "not_found";
        case ErrorKind::conflict:
            return "conflict";
        case ErrorKind::gone:
            return "gone";
        case ErrorKind::payload_too_large:
            return "payload_too_large";
        case ErrorKind::unsupported_type:
            return "unsupported_type";
        case ErrorKind::invalid:
            return "invalid";
        case ErrorKind::rate_limited:
            return "rate_limited";
        case ErrorKind::unavailable:
            return "unavailable";
        case ErrorKind::internal:
            return "internal";
    }
    return "internal";
}

}  // namespace parley
