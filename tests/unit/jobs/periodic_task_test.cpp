// PeriodicTask: runs at once, then every interval, and stops without waiting out an interval.

#include "jobs/periodic_task.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

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
}

// stop() returns only once a run in progress has ended, and nothing runs after it. The run
// is held until the stopping thread has called stop(); were stop() not to wait, it would
// return while the run is still held, and the stopping thread would see it in progress.
TEST(PeriodicTask, StopWaitsForARunInProgressAndNothingRunsAfter) {
    std::atomic<bool> in_run{false};
    std::atomic<bool> release{false};
    std::atomic<int> count{0};
    std::promise<void> started;
    PeriodicTask task("test-task", std::chrono::milliseconds(1), [&] {
        if (count++ > 0) return;
        in_run = true;
        started.set_value();
        while (!release) std::this_thread::yield();
        in_run = false;
    });
    started.get_future().wait();
    bool in_run_when_stopped = true;
    int count_when_stopped = -1;
    std::thread stopper([&] {
        task.stop();
        in_run_when_stopped = in_run.load();
        count_when_stopped = count.load();
    });
    release = true;
    stopper.join();
    EXPECT_FALSE(in_run_when_stopped) << "stop() returned during a run";
    EXPECT_EQ(count.load(), count_when_stopped) << "a run after stop()";
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
