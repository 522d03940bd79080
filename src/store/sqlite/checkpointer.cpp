#include "store/sqlite/checkpointer.hpp"

#include <pthread.h>
#include <sqlite3.h>

#include "common/log.hpp"

namespace parley::store::sqlite {

Checkpointer::Checkpointer(std::unique_ptr<Connection> connection, int wal_pages)
    : connection_(std::move(connection)), wal_pages_(wal_pages) {
    thread_ = std::thread([this] { loop(); });
    pthread_setname_np(thread_.native_handle(), "store-ckpt");
}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wanted_.notify_all();
    if (thread_.joinable()) thread_.join();
    int rc = sqlite3_wal_checkpoint_v2(connection_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                       nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        spdlog::warn("store: last checkpoint failed: {}", sqlite3_errstr(rc));
    }
}

void Checkpointer::attach(Connection& writer) {
    sqlite3_wal_hook(writer.handle(), &Checkpointer::on_wal_commit, this);
}

CheckpointerStats Checkpointer::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

// Runs on the writer's thread inside its commit: only a flag and a notify.
int Checkpointer::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
    auto* checkpointer = static_cast<Checkpointer*>(self);
    if (pages >= checkpointer->wal_pages_) checkpointer->request();
    return SQLITE_OK;
}

void Checkpointer::request() {
    {
        std::lock_guard lock(mutex_);
        pending_ = true;
        ++stats_.requests;
    }
    wanted_.notify_one();
}

void Checkpointer::loop() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wanted_.wait(lock, [this] { return stopping_ || pending_; });
            if (stopping_) return;
            pending_ = false;
        }
        int rc = sqlite3_wal_checkpoint_v2(connection_->handle(), nullptr,
                                           SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        // BUSY: another checkpoint is running; the next commit past the threshold asks again.
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            spdlog::warn("store: checkpoint failed: {}", sqlite3_errstr(rc));
        }
        std::lock_guard lock(mutex_);
        ++stats_.checkpoints;
    }
}

}  // namespace parley::store::sqlite
