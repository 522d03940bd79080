#pragma once
// Writer: the one thread that writes to the SQLite database. Callers queue jobs; the first
// job's turn opens a transaction and takes every job queued behind it (up to a batch limit),
// each inside its own savepoint, then commits once (LevelDB's write batching). One fsync then
// serves many concurrent senders, so throughput grows with concurrency instead of collapsing.
// A job that fails rolls back to its savepoint alone; a failed commit fails the whole batch.
// Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "store/sqlite/db.hpp"

namespace parley::store::sqlite {

struct WriterStats {
    std::uint64_t jobs = 0;
    std::uint64_t batches = 0;
};

class Writer {
public:
    Writer(std::unique_ptr<Connection> connection, std::size_t max_batch);
    ~Writer();  // finishes queued jobs, then stops
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Runs fn inside a write transaction and returns its result once committed.
    template <typename T>
    Result<T> write(const std::function<Result<T>(Connection&)>& fn) {
        std::optional<Result<T>> result;
        std::promise<void> done;
        Job job;
        job.run = [&](Connection& c) {
            result.emplace(fn(c));
            return result->has_value();
        };
        job.finish = [&](std::optional<Error> commit_error) {
            if (commit_error && (!result || result->has_value())) {
                result.emplace(std::unexpected(*commit_error));
            }
            done.set_value();
        };
        auto finished = done.get_future();
        submit(std::move(job));
        finished.wait();
        return std::move(*result);
    }

    WriterStats stats() const;

private:
    struct Job {
        std::function<bool(Connection&)> run;              // true: keep its changes
        std::function<void(std::optional<Error>)> finish;  // after commit (or its failure)
    };

    void submit(Job job);
    void loop();
    void run_batch(std::deque<Job>& batch);

    std::unique_ptr<Connection> connection_;
    std::size_t max_batch_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Job> queue_;  // GUARDED_BY(mutex_)
    bool stopping_ = false;  // GUARDED_BY(mutex_)
    WriterStats stats_;      // GUARDED_BY(mutex_)
    std::thread thread_;
};

}  // namespace parley::store::sqlite
