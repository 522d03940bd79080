#include "store/sqlite/writer.hpp"

#include <pthread.h>

namespace parley::store::sqlite {

Writer::Writer(std::unique_ptr<Connection> connection, std::size_t max_batch)
    : connection_(std::move(connection)), max_batch_(max_batch) {
    thread_ = std::thread([this] { loop(); });
    pthread_setname_np(thread_.native_handle(), "store-writer");
}

Writer::~Writer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Writer::submit(Job job) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
    }
    ready_.notify_one();
}

WriterStats Writer::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void Writer::loop() {
    for (;;) {
        std::deque<Job> batch;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything queued is done
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            stats_.jobs += batch.size();
            stats_.batches += 1;
        }
        run_batch(batch);
    }
}

void Writer::run_batch(std::deque<Job>& batch) {
    Connection& c = *connection_;
    if (auto begun = c.exec("BEGIN IMMEDIATE"); !begun) {
        for (auto& job : batch) job.finish(begun.error());
        return;
    }
    std::vector<bool> kept(batch.size(), false);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        // A savepoint per job: one failing job undoes only its own writes.
        (void)c.exec("SAVEPOINT job");
        kept[i] = batch[i].run(c);
        if (!kept[i]) (void)c.exec("ROLLBACK TO job");
        (void)c.exec("RELEASE job");
    }
    std::optional<Error> commit_error;
    if (auto committed = c.exec("COMMIT"); !committed) {
        commit_error = committed.error();
        (void)c.exec("ROLLBACK");
    }
    for (auto& job : batch) job.finish(commit_error);
}

}  // namespace parley::store::sqlite
