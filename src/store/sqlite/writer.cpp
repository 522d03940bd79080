#include "store/sqlite/writer.hpp"

#include <pthread.h>

namespace parley::store::sqlite {

Writer::Writer(std::unique_ptr<Connection> connection, std::size_t max_batch,
               std::unique_ptr<Checkpointer> checkpointer)
    : checkpointer_(std::move(checkpointer)),
      connection_(std::move(connection)),
      max_batch_(max_batch) {
    if (checkpointer_) checkpointer_->attach(*connection_);
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
    WriterStats stats = stats_;
    stats.queued = queue_.size();
    return stats;
}

void Writer::loop() {
    for (;;) {
        std::deque<Job> batch;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything queued is done
            // A job that runs alone is a batch by itself; the others batch up to it.
            while (!queue_.empty() && batch.size() < max_batch_ &&
                   (batch.empty() || (!batch.front().alone && !queue_.front().alone))) {
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
    // What each job is told after the commit: nothing (its own result stands) or an error.
    std::vector<std::optional<Error>> outcome(batch.size());
    std::size_t first_in_transaction = 0;
    std::size_t transaction_mark = c.after_commit_count();  // actions of committed-to-be work
    auto fail_from = [&](std::size_t from, std::size_t to, const Error& error) {
        for (std::size_t j = from; j < to; ++j) outcome[j] = error;
    };
    auto begin = [&](std::size_t from) {
        first_in_transaction = from;
        transaction_mark = c.after_commit_count();
        auto begun = c.exec("BEGIN IMMEDIATE");
        if (!begun) fail_from(from, batch.size(), begun.error());
        return begun.has_value();
    };

    bool open = begin(0);
    if (open && batch.front().alone) {
        if (!batch.front().run(c)) {
            (void)c.exec("ROLLBACK");
            c.drop_after_commit(transaction_mark);
            open = false;
        }
    }
    for (std::size_t i = 0; open && !batch.front().alone && i < batch.size(); ++i) {
        // A savepoint per job: one failing job undoes only its own writes.
        (void)c.exec("SAVEPOINT job");
        const std::size_t job_mark = c.after_commit_count();
        bool kept = batch[i].run(c);
        if (!kept) {
            (void)c.exec("ROLLBACK TO job");
            c.drop_after_commit(job_mark);
        }
        (void)c.exec("RELEASE job");
        // SQLite rolls a whole transaction back by itself on some errors (disk full, I/O,
        // out of memory). Everything since BEGIN is then gone: say so to those jobs, and start
        // a new transaction for the rest instead of letting them autocommit one by one.
        if (sqlite3_get_autocommit(c.handle()) != 0) {
            fail_from(first_in_transaction, i + 1,
                      Error{ErrorKind::unavailable, "store_rolled_back",
                            "The database rolled back this write; retry it.", 1});
            c.drop_after_commit(transaction_mark);
            open = begin(i + 1);
        }
    }
    if (open) {
        if (auto committed = c.exec("COMMIT"); !committed) {
            fail_from(first_in_transaction, batch.size(), committed.error());
            (void)c.exec("ROLLBACK");
            c.drop_after_commit(transaction_mark);
        }
    } else {
        c.drop_after_commit(transaction_mark);
    }
    // Before the jobs hear back: what the batch announces comes out in commit order, ahead of
    // anything its callers do next.
    for (auto& action : c.take_after_commit()) action();
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].finish(outcome[i]);
}

}  // namespace parley::store::sqlite
