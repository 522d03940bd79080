#include "crypto/random.hpp"

#include <sodium.h>

#include <chrono>
#include <cstdint>

#include "crypto/encoding.hpp"
#include "crypto/init.hpp"

namespace parley::crypto {

namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kIdChars = 20;
constexpr int kIdTimeChars = 9;  // 45 bits of milliseconds since 1970: until the year 3084
// RFC 4648's base32 characters, lowercase, in ASCII order: encoded times sort as numbers.
constexpr std::string_view kSortedBase32 = "234567abcdefghijklmnopqrstuvwxyz";

}  // namespace

std::string random_bytes(std::size_t n) {
    init();
    std::string out(n, '\0');
    randombytes_buf(out.data(), out.size());
    return out;
}

std::string random_token() { return to_base64url(random_bytes(kTokenBytes)); }

std::string new_id(std::string_view prefix) {
    const auto ms =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    const std::string raw = random_bytes(kIdChars - kIdTimeChars);
    std::string id;
    id.reserve(prefix.size() + 1 + kIdChars);
    id.append(prefix);
    id.push_back('_');
    for (int i = kIdTimeChars - 1; i >= 0; --i) id.push_back(kSortedBase32[(ms >> (5 * i)) & 31]);
    // 256 is a multiple of 32, so taking each byte modulo 32 keeps every character uniform.
    for (char c : raw) {
        id.push_back(kSortedBase32[static_cast<unsigned char>(c) % kSortedBase32.size()]);
    }
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
