#pragma once
// JobQueue: one background thread that runs an organization's jobs (imports, exports) one at a
// time in the order they were queued, never on a network or request thread. stop() lets the
// job in hand run until it next asks stopping() and drops the rest: jobs are rows in the store,
// and the next start fails those a stop left unfinished. Thread-safe.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "core/types.hpp"

namespace parley::jobs {

class JobQueue {
public:
    using Process = std::function<void(const core::Id& organization_id, const core::Id& job_id)>;

    // Starts the thread. REQUIRES: process may run as soon as the first push().
    explicit JobQueue(Process process);
    ~JobQueue();  // stops
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    // Never blocks; ignored once stopping.
    void push(const core::Id& organization_id, const core::Id& job_id);
    // Waits for the job in hand to return. Idempotent.
    void stop();
    // For a long job to check between batches.
    bool stopping() const;

private:
    void loop();

    Process process_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::pair<core::Id, core::Id>> queue_;  // GUARDED_BY(mutex_)
    bool stopping_ = false;                            // GUARDED_BY(mutex_)
    std::thread thread_;                               // last: started once the rest exists
};

}  // namespace parley::jobs
