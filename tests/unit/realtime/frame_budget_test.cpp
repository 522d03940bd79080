// What a stream client may send: a burst at once, then the rate; one refusal it is told of,
// quiet drops while it slows down, and a close when it keeps on.

#include "realtime/frame_budget.hpp"

#include <gtest/gtest.h>

namespace parley::realtime {
namespace {

using Verdict = FrameBudget::Verdict;

TEST(FrameBudget, BurstThenRefuseIgnoreAndFlooding) {
    ManualClock clock;
    FrameBudget budget(clock, /*rate_per_second=*/10, /*burst=*/3);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(budget.take(), Verdict::accept) << i;
    EXPECT_EQ(budget.take(), Verdict::refuse);
    EXPECT_EQ(budget.take(), Verdict::ignore);
    EXPECT_EQ(budget.take(), Verdict::ignore);
    // Refused burst + 1 times in a row: flooding.
    EXPECT_EQ(budget.take(), Verdict::flooding);
}

TEST(FrameBudget, RefillsAtTheRateAndAnAcceptedFrameEndsTheEpisode) {
    ManualClock clock;
    FrameBudget budget(clock, 10, 2);
    EXPECT_EQ(budget.take(), Verdict::accept);
    EXPECT_EQ(budget.take(), Verdict::accept);
    EXPECT_EQ(budget.take(), Verdict::refuse);
    clock.advance_ms(99);  // 0.99 of a frame
    EXPECT_EQ(budget.take(), Verdict::ignore);
    clock.advance_ms(1);
    EXPECT_EQ(budget.take(), Verdict::accept);
    // A new episode: told again.
    EXPECT_EQ(budget.take(), Verdict::refuse);
}

TEST(FrameBudget, NeverStoresMoreThanTheBurst) {
    ManualClock clock;
    FrameBudget budget(clock, 100, 2);
    clock.advance_ms(60'000);
    EXPECT_EQ(budget.take(), Verdict::accept);
    EXPECT_EQ(budget.take(), Verdict::accept);
    EXPECT_EQ(budget.take(), Verdict::refuse);
}

TEST(FrameBudget, ASteadyClientAtTheRateIsNeverRefused) {
    ManualClock clock;
    FrameBudget budget(clock, 20, 1);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(budget.take(), Verdict::accept) << i;
        clock.advance_ms(50);
    }
}

}  // namespace
}  // namespace parley::realtime
