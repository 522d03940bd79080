#include "auth/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace parley::auth {
namespace {

constexpr std::int64_t kMinute = 60'000;

TEST(RateLimiter, AllowsMaxEventsThenRefusesWithRetryAfter) {
    ManualClock clock;
    RateLimiter limiter(clock, RateLimit{3, 10 * kMinute});
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k")) << i;

    clock.advance_ms(4 * kMinute);
    const auto refused = limiter.take("k");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(refused.error().code, "rate_limited");
    // The first event leaves the window 6 minutes from now.
    EXPECT_EQ(refused.error().retry_after_seconds, 360);
    EXPECT_NE(refused.error().message.find("360 seconds"), std::string::npos);
}

TEST(RateLimiter, RecoversExactlyWhenTheOldestEventLeavesTheWindow) {
    ManualClock clock;
    RateLimiter limiter(clock, RateLimit{2, 10 * kMinute});
    ASSERT_TRUE(limiter.take("k"));
    clock.advance_ms(kMinute);
    ASSERT_TRUE(limiter.take("k"));

    clock.advance_ms(9 * kMinute - 1);  // the first event is 1 ms from leaving
    const auto refused = limiter.take("k");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().retry_after_seconds, 1);  // rounded up, never 0

    clock.advance_ms(1);
    EXPECT_TRUE(limiter.take("k"));  // a sliding window: one slot came back, not all
    EXPECT_FALSE(limiter.take("k"));
}

TEST(RateLimiter, RefusedEventsAreNotCounted) {
    ManualClock clock;
    RateLimiter limiter(clock, RateLimit{1, kMinute});
    ASSERT_TRUE(limiter.take("k"));
    for (int i = 0; i < 10; ++i) {
        clock.advance_ms(5'000);
        EXPECT_FALSE(limiter.take("k"));
    }
    clock.advance_ms(10'000);  // a minute after the one accepted event
    EXPECT_TRUE(limiter.take("k"));
}

TEST(RateLimiter, KeysAreIndependent) {
    ManualClock clock;
    RateLimiter limiter(clock, RateLimit{1, kMinute});
    EXPECT_TRUE(limiter.take("a"));
    EXPECT_TRUE(limiter.take("b"));
    EXPECT_TRUE(limiter.take(""));
    EXPECT_FALSE(limiter.take("a"));
    EXPECT_FALSE(limiter.take("b"));
}

TEST(RateLimiter, ForgetsKeysOnceTheirEventsExpire) {
    ManualClock clock;
    RateLimiter limiter(clock, RateLimit{5, kMinute});
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.take("key" + std::to_string(i)));
    EXPECT_EQ(limiter.tracked_keys(), 1000u);

    clock.advance_ms(kMinute);
    ASSERT_TRUE(limiter.take("fresh"));
    EXPECT_EQ(limiter.tracked_keys(), 1u);
}

TEST(RateLimiter, HardCapEvictsTheLeastRecentlyUsedKey) {
    ManualClock clock;
    RateLimiter limiter(clock, RateLimit{1, kMinute, 3});
    ASSERT_TRUE(limiter.take("a"));
    clock.advance_ms(1);
    ASSERT_TRUE(limiter.take("b"));
    clock.advance_ms(1);
    ASSERT_TRUE(limiter.take("c"));
    clock.advance_ms(1);
    ASSERT_TRUE(limiter.take("d"));  // evicts "a"
    EXPECT_EQ(limiter.tracked_keys(), 3u);

    EXPECT_FALSE(limiter.take("b"));
    EXPECT_FALSE(limiter.take("c"));
    EXPECT_FALSE(limiter.take("d"));
    EXPECT_TRUE(limiter.take("a"));  // forgotten: the documented price of the bound
    EXPECT_EQ(limiter.tracked_keys(), 3u);
}

TEST(RateLimiter, ConcurrentTakesNeverExceedTheLimit) {
    ManualClock clock;
    RateLimiter limiter(clock, RateLimit{100, kMinute});
    std::atomic<int> accepted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                if (limiter.take("shared")) ++accepted;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(accepted.load(), 100);
}

TEST(RateLimiter, RejectsNonsensicalLimits) {
    ManualClock clock;
    EXPECT_THROW(RateLimiter(clock, RateLimit{0, kMinute}), std::invalid_argument);
    EXPECT_THROW(RateLimiter(clock, RateLimit{1, 0}), std::invalid_argument);
    EXPECT_THROW(RateLimiter(clock, RateLimit{1, kMinute, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace parley::auth
