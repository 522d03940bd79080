#pragma once
// PeriodicTask: runs one piece of housekeeping on a thread of its own, once at start and then
// every `interval`, until stopped. A run that fails only logs (the task says how); the next
// one tries again. Stopping wakes the thread at once, so shutdown never waits an interval.
// Thread-safe.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace parley::jobs {

class PeriodicTask {
public:
    PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> run);
    ~PeriodicTask();  // stops
    PeriodicTask(const PeriodicTask&) = delete;
    PeriodicTask& operator=(const PeriodicTask&) = delete;

    void stop();  // waits for a run in progress to end

private:
    void loop();

    std::string name_;
    std::chrono::milliseconds interval_;
    std::function<void()> run_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // GUARDED_BY(mutex_)
    std::thread thread_;
};

}  // namespace parley::jobs
