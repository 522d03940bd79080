#include "crypto/aead.hpp"

#include <gtest/gtest.h>

#include <string>

#include "crypto/random.hpp"

namespace parley::crypto {
namespace {

using namespace std::string_literals;

void expect_decrypt_failed(const Result<std::string>& opened) {
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, ErrorKind::internal);
    EXPECT_EQ(opened.error().code, "decrypt_failed");
}

TEST(DataKey, GeneratesDistinct32ByteKeys) {
    const DataKey a = DataKey::generate();
    const DataKey b = DataKey::generate();
    EXPECT_EQ(a.bytes().size(), DataKey::kSize);
    EXPECT_NE(a.bytes(), b.bytes());
    const DataKey copy = a;
    EXPECT_EQ(copy.bytes(), a.bytes());
}

TEST(DataKey, FromBytesAcceptsExactly32Bytes) {
    const std::string bytes = random_bytes(32);
    EXPECT_EQ(DataKey::from_bytes(bytes)->bytes(), bytes);
    for (std::size_t n : {0u, 31u, 33u, 64u}) {
        auto key = DataKey::from_bytes(random_bytes(n));
        ASSERT_FALSE(key) << n;
        EXPECT_EQ(key.error().code, "invalid_data_key");
    }
}

TEST(Aead, RoundTripsAndAddsOnlyNonceAndTag) {
    const DataKey key = DataKey::generate();
    for (const std::string& plaintext : {""s, "hello"s, "a\0b\xff"s, random_bytes(10'000)}) {
        const std::string sealed = seal(key, plaintext, "msg_1");
        EXPECT_EQ(sealed.size(), plaintext.size() + kSealOverhead);
        EXPECT_EQ(open(key, sealed, "msg_1").value(), plaintext);
    }
}

TEST(Aead, UsesAFreshNonceEachTime) {
    const DataKey key = DataKey::generate();
    const std::string a = seal(key, "same text", "msg_1");
    const std::string b = seal(key, "same text", "msg_1");
    EXPECT_NE(a.substr(0, 24), b.substr(0, 24));
    EXPECT_NE(a, b);
}

TEST(Aead, DetectsAFlippedBitAnywhereInNonceCiphertextOrTag) {
    const DataKey key = DataKey::generate();
    const std::string sealed = seal(key, "attack at dawn", "msg_1");
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        std::string tampered = sealed;
        tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
        SCOPED_TRACE(i);
        expect_decrypt_failed(open(key, tampered, "msg_1"));
    }
}

TEST(Aead, FailsWithWrongAssociatedDataOrKey) {
    const DataKey key = DataKey::generate();
    const std::string sealed = seal(key, "attack at dawn", "msg_1");
    expect_decrypt_failed(open(key, sealed, "msg_2"));
    expect_decrypt_failed(open(key, sealed, ""));
    expect_decrypt_failed(open(DataKey::generate(), sealed, "msg_1"));
}

TEST(Aead, FailsOnShortOrTruncatedInput) {
    const DataKey key = DataKey::generate();
    const std::string sealed = seal(key, "attack at dawn", "msg_1");
    expect_decrypt_failed(open(key, "", "msg_1"));
    expect_decrypt_failed(open(key, sealed.substr(0, kSealOverhead - 1), "msg_1"));
    expect_decrypt_failed(open(key, sealed.substr(0, sealed.size() - 1), "msg_1"));
    expect_decrypt_failed(open(key, sealed + "x", "msg_1"));
}

}  // namespace
}  // namespace parley::crypto
