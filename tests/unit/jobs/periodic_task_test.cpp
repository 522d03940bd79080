// PeriodicTask: runs at once, then every interval, and stops without waiting out an interval.

#include "jobs/periodic_task.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace parley::jobs {
namespace {

// Counts runs; waits for a number of them.
struct Runs {
    std::mutex mutex;
    std::condition_variable changed;
    int count = 0;

    void once() {
        std::lock_guard lock(mutex);
        ++count;
        changed.notify_all();
    }
    void wait_for(int n) {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return count >= n; });
    }
    int now() {
        std::lock_guard lock(mutex);
        return count;
    }
};

TEST(PeriodicTask, RunsAtStartThenAgainEveryInterval) {
    Runs runs;
    PeriodicTask task("test-task", std::chrono::milliseconds(1), [&] { runs.once(); });
    runs.wait_for(3);  // would hang (and time out) if it ran only once
    task.stop();
    const int after_stop = runs.now();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(runs.now(), after_stop) << "no run after stop()";
}

TEST(PeriodicTask, StopWakesItInsteadOfWaitingTheInterval) {
    Runs runs;
    PeriodicTask task("test-task", std::chrono::hours(24), [&] { runs.once(); });
    runs.wait_for(1);
    task.stop();  // with a day's interval, this returns only if stop() wakes the thread
    EXPECT_EQ(runs.now(), 1);
    task.stop();  // twice is harmless
}

}  // namespace
}  // namespace parley::jobs
