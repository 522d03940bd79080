#include "crypto/encoding.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crypto/random.hpp"

namespace parley::crypto {
namespace {

using namespace std::string_literals;

TEST(Hex, EncodesLowercase) {
    EXPECT_EQ(to_hex(""), "");
    EXPECT_EQ(to_hex("\x00\xff\x10\xab"s), "00ff10ab");
}

TEST(Hex, RoundTripsRandomBytesAndAcceptsUppercase) {
    for (std::size_t n : {0u, 1u, 31u, 32u, 100u}) {
        const std::string bytes = random_bytes(n);
        EXPECT_EQ(from_hex(to_hex(bytes)).value(), bytes);
    }
    EXPECT_EQ(from_hex("00FF10aB").value(), "\x00\xff\x10\xab"s);
}

TEST(Hex, RejectsMalformedInput) {
    for (const char* bad : {"0", "abc", "zz", "0g", " 00", "00 ", "00\n", "0x00", "+0", "--"}) {
        auto decoded = from_hex(bad);
        ASSERT_FALSE(decoded) << bad;
        EXPECT_EQ(decoded.error().kind, ErrorKind::bad_request);
        EXPECT_EQ(decoded.error().code, "invalid_hex");
    }
}

TEST(Base64url, MatchesRfc4648VectorsWithoutPadding) {
    EXPECT_EQ(to_base64url(""), "");
    EXPECT_EQ(to_base64url("f"), "Zg");
    EXPECT_EQ(to_base64url("fo"), "Zm8");
    EXPECT_EQ(to_base64url("foo"), "Zm9v");
    EXPECT_EQ(to_base64url("foob"), "Zm9vYg");
    EXPECT_EQ(to_base64url("fooba"), "Zm9vYmE");
    EXPECT_EQ(to_base64url("foobar"), "Zm9vYmFy");
    EXPECT_EQ(to_base64url("\xfb\xff"), "-_8");  // "+/8=" in standard base64
}

TEST(Base64url, RoundTripsRandomBytes) {
    for (std::size_t n = 0; n < 70; ++n) {
        const std::string bytes = random_bytes(n);
        EXPECT_EQ(from_base64url(to_base64url(bytes)).value(), bytes) << n;
    }
}

TEST(Base64url, RejectsMalformedInput) {
    for (const char* bad : {
             "Zg==",    // padding
             "Zm9v=",   // padding
             "+/8",     // standard alphabet
             "Zm/v",    // standard alphabet
             "Z",       // a length no encoding produces
             "Zm9vY",   // a length no encoding produces
             "Zh",      // stray bits in the last character: not canonical
             "Zm9",     // stray bits in the last character: not canonical
             "Zm 9v",   // whitespace
             "Zm9v\n",  // whitespace
             "Zm9v!",   // outside the alphabet
         }) {
        auto decoded = from_base64url(bad);
        ASSERT_FALSE(decoded) << bad;
        EXPECT_EQ(decoded.error().kind, ErrorKind::bad_request);
        EXPECT_EQ(decoded.error().code, "invalid_base64url");
    }
}

}  // namespace
}  // namespace parley::crypto
