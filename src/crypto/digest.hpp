#pragma once
// SHA-256 and standard base64, for values other software checks against ours: the hashes a
// Content-Security-Policy names its inline scripts and styles by ('sha256-<base64>', CSP Level
// 2 §4.2.4). Not for secrets (see hashing.hpp). Thread-safe.

#include <string>
#include <string_view>

namespace parley::crypto {

// Raw 32-byte SHA-256 of data.
std::string sha256(std::string_view data);

// RFC 4648 §4 alphabet (A-Z a-z 0-9 + /) with "=" padding.
std::string to_base64(std::string_view bytes);

}  // namespace parley::crypto
