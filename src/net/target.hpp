#pragma once
// Splits a request target into the path the router matches and the raw query. Private to net/.
// Pure functions, thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace parley::net {

struct Target {
    std::string path;   // percent-decoded, not normalized: "/a%2Fb" is "/a/b", ".." stays
    std::string query;  // raw, without '?'
};

// nullopt when the target is not origin-form ("/..."), has a malformed %-escape, or its path
// decodes to a control character (NUL, CR, LF, ...), which no route or file name may contain.
std::optional<Target> parse_target(std::string_view target);

}  // namespace parley::net
