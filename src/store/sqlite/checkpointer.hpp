#pragma once
// Checkpointer: copies the write-ahead log back into the database file on a thread of its own,
// so that the writer's commits never wait for it. SQLite's default is to checkpoint inside the
// commit that takes the WAL past 1,000 pages, with an fsync of the database file: in a bulk
// import that was a fifth of the writer thread's time. attach() replaces that with a WAL hook
// that only wakes this thread, which then runs a PASSIVE checkpoint on a connection of its own
// (it never blocks the writer or the readers; frames a reader still needs wait for the next
// one). Stopping runs a last, TRUNCATE checkpoint, so a stopped server leaves an empty WAL.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/db.hpp"

namespace parley::store::sqlite {

struct CheckpointerStats {
    std::uint64_t requests = 0;     // times the writer's WAL passed the threshold
    std::uint64_t checkpoints = 0;  // checkpoints run (several requests can share one)
};

class Checkpointer {
public:
    // `connection` is a read-write connection of its own to the writer's database.
    // wal_pages: the WAL size (in pages) after a commit from which a checkpoint is wanted.
    Checkpointer(std::unique_ptr<Connection> connection, int wal_pages = 1000);
    ~Checkpointer();  // a last TRUNCATE checkpoint, then stops
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    // Makes the writer's commits wake this thread instead of checkpointing themselves. The
    // Checkpointer must outlive the writer's commits (the Writer owns it for that reason).
    void attach(Connection& writer);

    CheckpointerStats stats() const;

private:
    static int on_wal_commit(void* self, sqlite3* db, const char* schema, int pages);
    void request();
    void loop();

    std::unique_ptr<Connection> connection_;
    const int wal_pages_;
    mutable std::mutex mutex_;
    std::condition_variable wanted_;
    bool pending_ = false;     // GUARDED_BY(mutex_)
    bool stopping_ = false;    // GUARDED_BY(mutex_)
    CheckpointerStats stats_;  // GUARDED_BY(mutex_)
    std::thread thread_;
};

}  // namespace parley::store::sqlite
