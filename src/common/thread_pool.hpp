#pragma once
// ThreadPool: a fixed set of threads running posted tasks in FIFO order. Blocking work (store
// calls, file I/O) runs here so that network threads never block. Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace parley {

class ThreadPool {
public:
    ThreadPool(std::size_t threads, std::string name);
    ~ThreadPool();  // stops and joins; tasks still queued are run first
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // Returns false (and drops the task) once stop() has begun.
    bool post(std::function<void()> task);
    void stop();
    std::size_t queued() const;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;  // GUARDED_BY(mutex_)
    bool stopping_ = false;                    // GUARDED_BY(mutex_)
    std::vector<std::thread> threads_;
    std::string name_;
};

}  // namespace parley
