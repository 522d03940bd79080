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

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/db.hpp"

namespace parley::store::sqlite {

struct WriterStats {
    std::uint64_t jobs = 0;
    std::uint64_t batches = 0;
    std::uint64_t queued = 0;  // jobs waiting for their turn now
};

class Writer {
public:
    // With a checkpointer, the WAL is checkpointed on its thread instead of inside commits.
    Writer(std::unique_ptr<Connection> connection, std::size_t max_batch,
           std::unique_ptr<Checkpointer> checkpointer = nullptr);
    ~Writer();  // finishes queued jobs, then stops (the checkpointer last)
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Runs fn inside a write transaction and returns its result once committed.
    template <typename T>
    Result<T> write(const std::function<Result<T>(Connection&)>& fn) {
        return submit_and_wait<T>(fn, false);
    }

    // Like write(), but fn gets a transaction of its own instead of a savepoint in a shared
    // one. For large jobs (a batch of an import): SQLite truncates a savepoint's statement
    // journal by walking it from the start at the end of every statement, so a job that
    // writes thousands of pages under a savepoint costs quadratic time. A failing job rolls
    // back its whole transaction, which holds nothing else.
    template <typename T>
    Result<T> write_alone(const std::function<Result<T>(Connection&)>& fn) {
        return submit_and_wait<T>(fn, true);
    }

    WriterStats stats() const;

private:
    template <typename T>
    Result<T> submit_and_wait(const std::function<Result<T>(Connection&)>& fn, bool alone) {
        std::optional<Result<T>> result;
        std::promise<void> done;
        Job job;
        job.alone = alone;
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

    struct Job {
        std::function<bool(Connection&)> run;              // true: keep its changes
        std::function<void(std::optional<Error>)> finish;  // after commit (or its failure)
        bool alone = false;                                // its own transaction, no savepoint
    };

    void submit(Job job);
    void loop();
    void run_batch(std::deque<Job>& batch);

    // Declared first, destroyed last: the writer's commits call into it until its thread ends.
    std::unique_ptr<Checkpointer> checkpointer_;
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
