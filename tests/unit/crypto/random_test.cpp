#include "crypto/random.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/init.hpp"

namespace parley::crypto {
namespace {

TEST(Init, IsIdempotentAndSafeFromManyThreads) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) threads.emplace_back([] { init(); });
    for (auto& thread : threads) thread.join();
    init();
    EXPECT_EQ(random_bytes(8).size(), 8u);
}

TEST(RandomBytes, HasTheRequestedLengthAndDiffersBetweenDraws) {
    EXPECT_EQ(random_bytes(0), "");
    EXPECT_EQ(random_bytes(1).size(), 1u);
    EXPECT_EQ(random_bytes(64).size(), 64u);
    EXPECT_NE(random_bytes(32), random_bytes(32));
}

TEST(RandomToken, Is43Base64urlCharsDecodingTo32Bytes) {
    const std::regex shape("[A-Za-z0-9_-]{43}");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string token = random_token();
        ASSERT_TRUE(std::regex_match(token, shape)) << token;
        auto bytes = from_base64url(token);
        ASSERT_TRUE(bytes) << token;
        EXPECT_EQ(bytes->size(), 32u);
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

TEST(NewId, IsPrefixAnd20LowercaseBase32CharsAndUniqueOver10kDraws) {
    const std::regex shape("usr_[a-z2-7]{20}");
    std::set<std::string> seen;
    std::set<char> alphabet_used;
    for (int i = 0; i < 10'000; ++i) {
        const std::string id = new_id("usr");
        ASSERT_TRUE(std::regex_match(id, shape)) << id;
        seen.insert(id);
        alphabet_used.insert(id.begin() + 4, id.end());
    }
    EXPECT_EQ(seen.size(), 10'000u);
    EXPECT_EQ(alphabet_used.size(), 32u);  // 200k draws: a missing character means a bias bug
}

// The 9 characters after the prefix, read back as milliseconds since 1970.
std::uint64_t id_time_ms(const std::string& id, std::size_t prefix_size) {
    constexpr std::string_view sorted = "234567abcdefghijklmnopqrstuvwxyz";
    std::uint64_t ms = 0;
    for (std::size_t i = prefix_size + 1; i < prefix_size + 10; ++i) {
        ms = (ms << 5) | sorted.find(id[i]);
    }
    return ms;
}

std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

TEST(NewId, StartsWithItsCreationTimeSoThatLaterIdsSortAfter) {
    const std::uint64_t before = now_ms();
    const std::string first = new_id("usr");
    const std::uint64_t after = now_ms();
    EXPECT_GE(id_time_ms(first, 3), before) << first;
    EXPECT_LE(id_time_ms(first, 3), after) << first;

    // Wait for the clock to move on (ids of one millisecond are in random order).
    while (now_ms() <= after) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const std::string second = new_id("usr");
    EXPECT_LT(first, second);
    EXPECT_GT(id_time_ms(second, 3), id_time_ms(first, 3));
}

TEST(NewId, KeepsTheGivenPrefix) {
    EXPECT_TRUE(std::regex_match(new_id("org"), std::regex("org_[a-z2-7]{20}")));
    EXPECT_TRUE(std::regex_match(new_id("msg"), std::regex("msg_[a-z2-7]{20}")));
}

TEST(RandomDigits, IsNDecimalDigitsEachTakingEveryValue) {
    EXPECT_EQ(random_digits(0), "");
    const std::regex shape("[0-9]{6}");
    std::set<char> first_digits;
    std::set<char> last_digits;
    for (int i = 0; i < 10'000; ++i) {
        const std::string code = random_digits(6);
        ASSERT_TRUE(std::regex_match(code, shape)) << code;
        first_digits.insert(code.front());
        last_digits.insert(code.back());
    }
    // Leading zeros must be possible: a code is a string of digits, not a number.
    EXPECT_EQ(first_digits.size(), 10u);
    EXPECT_EQ(last_digits.size(), 10u);
    EXPECT_EQ(random_digits(12).size(), 12u);
}

}  // namespace
}  // namespace parley::crypto
