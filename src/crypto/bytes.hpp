#pragma once
// Internal to crypto/, not part of its interface: the glue between std::string and libsodium's
// unsigned char buffers, and the one way this module ends the process on a bug.

#include <sodium.h>

#include <string>
#include <string_view>

namespace parley::crypto::detail {

inline const unsigned char* uchars(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

inline unsigned char* uchars(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Overwrites a temporary copy of key material before its memory is freed.
inline void wipe(std::string& s) { sodium_memzero(s.data(), s.size()); }

// Ends the process for a broken precondition that no caller can handle (a bug, not bad input).
[[noreturn]] void die(std::string_view message);

}  // namespace parley::crypto::detail
