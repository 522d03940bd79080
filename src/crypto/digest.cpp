#include "crypto/digest.hpp"

#include <sodium.h>

#include "crypto/bytes.hpp"
#include "crypto/init.hpp"

namespace parley::crypto {

std::string sha256(std::string_view data) {
    init();
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(detail::uchars(out), detail::uchars(data), data.size());
    return out;
}

std::string to_base64(std::string_view bytes) {
    init();
    constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(), detail::uchars(bytes), bytes.size(), kVariant);
    text.resize(text.size() - 1);  // sodium counts and writes a terminating NUL
    return text;
}

}  // namespace parley::crypto
