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

// An entity id: prefix + "_" + 20 lowercase base32 characters, e.g. "usr_3gkq2b7xk3j5mqz7w2a4b".
// The first 9 encode the millisecond it was made (in an alphabet in ASCII order, so ids sort
// by creation), the other 11 are random (55 bits). Time-ordered ids land at the end of every
// index that holds them instead of anywhere in it: a bulk import of 100,000 people dirtied
// most pages of each such index in every batch, and wrote them all to the WAL again (import
// of 100,000 people plus 100,000 memberships: 8.2 s with random ids, 4.8 s with these). 55 bits
// per millisecond keep collisions negligible without a uniqueness round trip, and ids are names,
// never secrets: every access is authorized. The prefix tells a reader what an id names.
// REQUIRES: prefix is short, lowercase ASCII letters.
std::string new_id(std::string_view prefix);

// n uniformly random decimal digits, leading zeros kept: one-time codes such as "042917".
// REQUIRES: n >= 0.
std::string random_digits(int n);

}  // namespace parley::crypto
