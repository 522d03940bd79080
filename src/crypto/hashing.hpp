#pragma once
// Hashes for secrets the server must recognise but never store: tokens and one-time codes.
// All are BLAKE2b with a 256-bit output (libsodium crypto_generichash). Thread-safe.

#include <string>
#include <string_view>

namespace parley::crypto {

// Raw 32-byte BLAKE2b-256 of data, keyed when key is not empty.
// REQUIRES: key is empty or 16 to 64 bytes long (the process aborts otherwise: a bug).
std::string blake2b_256(std::string_view data, std::string_view key = {});

// Lowercase hex of the unkeyed hash. Only for high-entropy secrets (random_token()): their
// entropy alone makes the stored hash useless to an attacker, so no key or salt is needed.
std::string hash_token(std::string_view token);

// Lowercase hex of the keyed hash. For low-entropy secrets such as 6-digit codes, whose
// unkeyed hash a database dump would reverse in microseconds; the key (a
// KeyRing::server_secret) lives outside the database.
// REQUIRES: key is 16 to 64 bytes long (the process aborts otherwise: a bug).
std::string keyed_hash(std::string_view key, std::string_view data);

// Compares in time that depends only on the lengths, so comparing a presented secret with the
// stored one leaks nothing about where they differ. Different lengths are simply unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace parley::crypto
