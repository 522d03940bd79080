#include "crypto/encoding.hpp"

#include <sodium.h>

#include "crypto/bytes.hpp"
#include "crypto/init.hpp"

namespace parley::crypto {

namespace {

constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

}  // namespace

std::string to_hex(std::string_view bytes) {
    init();
    std::string hex(bytes.size() * 2 + 1, '\0');  // sodium writes a terminating NUL
    sodium_bin2hex(hex.data(), hex.size(), detail::uchars(bytes), bytes.size());
    hex.pop_back();
    return hex;
}

Result<std::string> from_hex(std::string_view hex) {
    init();
    std::string bytes(hex.size() / 2, '\0');
    std::size_t length = 0;
    // With a null end pointer sodium fails unless it consumed every character.
    if (hex.size() % 2 != 0 ||
        sodium_hex2bin(detail::uchars(bytes), bytes.size(), hex.data(), hex.size(), nullptr,
                       &length, nullptr) != 0 ||
        length != bytes.size()) {
        return fail(ErrorKind::bad_request, "invalid_hex",
                    "expected an even number of hexadecimal digits (0-9, a-f)");
    }
    return bytes;
}

std::string to_base64url(std::string_view bytes) {
    init();
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kBase64Variant), '\0');
    sodium_bin2base64(text.data(), text.size(), detail::uchars(bytes), bytes.size(),
                      kBase64Variant);
    text.pop_back();  // the terminating NUL counted by sodium_base64_ENCODED_LEN
    return text;
}

Result<std::string> from_base64url(std::string_view text) {
    init();
    std::string bytes(text.size() / 4 * 3 + 2, '\0');  // upper bound, including a partial group
    std::size_t length = 0;
    if (sodium_base642bin(detail::uchars(bytes), bytes.size(), text.data(), text.size(), nullptr,
                          &length, nullptr, kBase64Variant) != 0) {
        return fail(ErrorKind::bad_request, "invalid_base64url",
                    "expected unpadded base64url (A-Z, a-z, 0-9, - and _)");
    }
    bytes.resize(length);
    return bytes;
}

}  // namespace parley::crypto
