#include "crypto/random.hpp"

#include <sodium.h>

#include "crypto/encoding.hpp"
#include "crypto/init.hpp"

namespace parley::crypto {

namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kIdChars = 20;
constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";  // RFC 4648, lowercase

}  // namespace

std::string random_bytes(std::size_t n) {
    init();
    std::string out(n, '\0');
    randombytes_buf(out.data(), out.size());
    return out;
}

std::string random_token() { return to_base64url(random_bytes(kTokenBytes)); }

std::string new_id(std::string_view prefix) {
    const std::string raw = random_bytes(kIdChars);
    std::string id;
    id.reserve(prefix.size() + 1 + kIdChars);
    id.append(prefix);
    id.push_back('_');
    // 256 is a multiple of 32, so taking each byte modulo 32 keeps every character uniform.
    for (char c : raw) id.push_back(kBase32[static_cast<unsigned char>(c) % kBase32.size()]);
    return id;
}

std::string random_digits(int n) {
    init();
    std::string digits;
    for (int i = 0; i < n; ++i) {
        digits.push_back(static_cast<char>('0' + randombytes_uniform(10)));
    }
    return digits;
}

}  // namespace parley::crypto
