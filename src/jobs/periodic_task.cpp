#include "jobs/periodic_task.hpp"

#include <pthread.h>

namespace parley::jobs {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval,
                           std::function<void()> run)
    : name_(std::move(name)), interval_(interval), run_(std::move(run)) {
    thread_ = std::thread([this] { loop(); });
    // Thread names are at most 15 characters.
    pthread_setname_np(thread_.native_handle(), name_.substr(0, 15).c_str());
}

PeriodicTask::~PeriodicTask() { stop(); }

void PeriodicTask::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PeriodicTask::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        run_();
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace parley::jobs
