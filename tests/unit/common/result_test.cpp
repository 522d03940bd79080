#include "common/result.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "common/clock.hpp"
#include "common/thread_pool.hpp"

namespace parley {
namespace {

Result<int> half(int x) {
    if (x % 2 != 0) return fail(ErrorKind::invalid, "odd", "give an even number");
    return x / 2;
}

TEST(Result, CarriesValueOrError) {
    EXPECT_EQ(half(4).value(), 2);
    auto r = half(3);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().code, "odd");
}

TEST(Clock, FormatsRfc3339InUtcWithMillis) {
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(1'764'030'600'123), "2025-11-25T00:30:00.123Z");
}

TEST(ThreadPool, RunsEveryPostedTaskBeforeStopping) {
    std::atomic<int> ran{0};
    {
        ThreadPool pool(3, "test");
        for (int i = 0; i < 1000; ++i) pool.post([&] { ++ran; });
    }
    EXPECT_EQ(ran.load(), 1000);
}

TEST(ThreadPool, RefusesTasksAfterStop) {
    ThreadPool pool(1, "test");
    pool.stop();
    EXPECT_FALSE(pool.post([] {}));
}

}  // namespace
}  // namespace parley
