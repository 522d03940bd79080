#include "jobs/job_queue.hpp"

namespace parley::jobs {

JobQueue::JobQueue(Process process) : process_(std::move(process)), thread_([this] { loop(); }) {}

JobQueue::~JobQueue() { stop(); }

void JobQueue::push(const core::Id& organization_id, const core::Id& job_id) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.emplace_back(organization_id, job_id);
    }
    ready_.notify_one();
}

void JobQueue::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool JobQueue::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void JobQueue::loop() {
    for (;;) {
        std::pair<core::Id, core::Id> next;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            next = std::move(queue_.front());
            queue_.pop_front();
        }
        process_(next.first, next.second);
    }
}

}  // namespace parley::jobs
