#include "crypto/digest.hpp"

#include <gtest/gtest.h>

namespace parley::crypto {
namespace {

// FIPS 180-2 test vectors, in the base64 a Content-Security-Policy hash source uses.
TEST(Digest, Sha256MatchesTheStandardVectors) {
    EXPECT_EQ(to_base64(sha256("abc")), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    EXPECT_EQ(to_base64(sha256("")), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    EXPECT_EQ(sha256("abc").size(), 32u);
}

TEST(Digest, Base64IsTheStandardPaddedAlphabet) {
    EXPECT_EQ(to_base64(""), "");
    EXPECT_EQ(to_base64("f"), "Zg==");
    EXPECT_EQ(to_base64("fo"), "Zm8=");
    EXPECT_EQ(to_base64("foo"), "Zm9v");
    EXPECT_EQ(to_base64("\xfb\xff"), "+/8=");
}

}  // namespace
}  // namespace parley::crypto
