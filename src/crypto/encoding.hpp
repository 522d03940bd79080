#pragma once
// Text encodings for binary values: lowercase hex (hashes, the master key file) and unpadded
// base64url (tokens). Decoders accept only canonical input, so one value has one spelling.
// Thread-safe.

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace parley::crypto {

std::string to_hex(std::string_view bytes);

// Accepts an even number of hex digits, either case, nothing else.
// Fails with bad_request "invalid_hex".
Result<std::string> from_hex(std::string_view hex);

// RFC 4648 §5 alphabet (A-Z a-z 0-9 - _), no "=" padding.
std::string to_base64url(std::string_view bytes);

// Accepts exactly what to_base64url produces: no padding, whitespace or "+/" characters, and no
// stray bits in the last character. Fails with bad_request "invalid_base64url".
Result<std::string> from_base64url(std::string_view text);

}  // namespace parley::crypto
