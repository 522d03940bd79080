#pragma once
// Secure randomness for secrets and identifiers: tokens, entity ids, one-time codes. Everything
// comes from libsodium's CSPRNG (getrandom on Linux). Thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::crypto {

std::string random_bytes(std::size_t n);

// 32 random bytes (256 bits) as unpadded base64url: 43 characters, safe in URLs and headers.
// For session and invite tokens; store only hash_token() of it.
std::string random_token();

// An entity id: prefix + "_" + 20 lowercase base32 characters (100 random bits), e.g.
// "usr_k3j5mqz7w2a4b6cxdqef". 100 bits make collisions negligible without a uniqueness check
// round trip, and the prefix tells a reader what kind of thing an id names.
// REQUIRES: prefix is short, lowercase ASCII letters.
std::string new_id(std::string_view prefix);

// n uniformly random decimal digits, leading zeros kept: one-time codes such as "042917".
// REQUIRES: n >= 0.
std::string random_digits(int n);

}  // namespace parley::crypto
