#include "crypto/hashing.hpp"

#include <sodium.h>

#include "crypto/bytes.hpp"
#include "crypto/encoding.hpp"
#include "crypto/init.hpp"

namespace parley::crypto {

static_assert(crypto_generichash_BYTES == 32);

std::string blake2b_256(std::string_view data, std::string_view key) {
    init();
    // libsodium itself accepts short keys; a key under 128 bits here can only be a bug.
    if (!key.empty() && (key.size() < crypto_generichash_KEYBYTES_MIN ||
                         key.size() > crypto_generichash_KEYBYTES_MAX)) {
        detail::die("blake2b_256: the key must be empty or 16 to 64 bytes long");
    }
    std::string out(crypto_generichash_BYTES, '\0');
    crypto_generichash(detail::uchars(out), out.size(), detail::uchars(data), data.size(),
                       key.empty() ? nullptr : detail::uchars(key), key.size());
    return out;
}

std::string hash_token(std::string_view token) { return to_hex(blake2b_256(token)); }

std::string keyed_hash(std::string_view key, std::string_view data) {
    // An empty key would silently fall back to the unkeyed hash this function exists to avoid.
    if (key.empty()) detail::die("keyed_hash: the key is empty");
    return to_hex(blake2b_256(data, key));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    init();
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace parley::crypto
