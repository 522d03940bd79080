#include "crypto/hashing.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "crypto/random.hpp"

namespace parley::crypto {
namespace {

const std::regex kHex256("[0-9a-f]{64}");

TEST(HashToken, IsBlake2b256InLowercaseHex) {
    // Known answers pin the algorithm: changing it would silently invalidate every stored hash.
    EXPECT_EQ(hash_token(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    EXPECT_EQ(hash_token("abc"),
              "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(HashToken, IsDeterministicAndDistinguishesTokens) {
    const std::string token = random_token();
    EXPECT_TRUE(std::regex_match(hash_token(token), kHex256));
    EXPECT_EQ(hash_token(token), hash_token(token));
    EXPECT_NE(hash_token(token), hash_token(random_token()));
}

TEST(KeyedHash, DependsOnKeyAndDataAndDiffersFromTheUnkeyedHash) {
    const std::string key = random_bytes(32);
    const std::string other_key = random_bytes(32);
    EXPECT_TRUE(std::regex_match(keyed_hash(key, "042917"), kHex256));
    EXPECT_EQ(keyed_hash(key, "042917"), keyed_hash(key, "042917"));
    EXPECT_NE(keyed_hash(key, "042917"), keyed_hash(key, "042918"));
    EXPECT_NE(keyed_hash(key, "042917"), keyed_hash(other_key, "042917"));
    EXPECT_NE(keyed_hash(key, "042917"), hash_token("042917"));
}

TEST(KeyedHashDeathTest, AbortsOnAKeyLibsodiumCannotUse) {
    EXPECT_DEATH(keyed_hash("", "042917"), "key");
    EXPECT_DEATH(keyed_hash("short", "042917"), "key");
    EXPECT_DEATH(keyed_hash(std::string(65, 'k'), "042917"), "key");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace parley::crypto
