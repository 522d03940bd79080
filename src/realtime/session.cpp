#include "realtime/session.hpp"

#include <utility>

namespace parley::realtime {

QueueLimits QueueLimits::for_bytes(std::size_t max_frames, std::size_t max_bytes) {
    return QueueLimits{max_frames, max_bytes, max_bytes / 2, max_bytes / 4};
}

Session::Session(core::Id id, core::Id user_id, core::Id signed_in_session, QueueLimits limits,
                 StreamStats* stats)
    : id_(std::move(id)),
      user_id_(std::move(user_id)),
      signed_in_session_(std::move(signed_in_session)),
      limits_(limits),
      stats_(stats) {}

bool Session::send(Frame frame) {
    if (!frame) return false;
    std::lock_guard lock(mutex_);
    if (closed_ || close_after_) return false;
    if (queue_.size() + 1 > limits_.max_frames || bytes_ + frame->size() > limits_.max_bytes) {
        if (stats_) stats_->closed_slow.fetch_add(1, std::memory_order_relaxed);
        close_locked(kCloseTryAgainLater, "too slow: catch up by cursor");
        return false;
    }
    bytes_ += frame->size();
    queue_.push_back(std::move(frame));
    if (bytes_ > limits_.high_watermark_bytes) backed_up_ = true;
    if (!writing_) start_next_write_locked();
    return true;
}

void Session::set_coalescing(bool on) {
    std::lock_guard lock(mutex_);
    coalesce_ = on;
}

void Session::start_next_write_locked() {
    writing_ = true;
    in_flight_ = 1;
    if (!coalesce_ || queue_.size() < 2 || queue_[0]->size() + queue_[1]->size() > kMaxBatchBytes) {
        start_write(queue_.front());
        return;
    }
    // The frames are already serialized, shared with other sessions: the batch is their text
    // joined, not a new serialization.
    constexpr std::string_view kOpen = R"({"type":"batch","events":[)";
    std::size_t bytes = kOpen.size() + 2 + queue_[0]->size();
    std::size_t count = 1;
    while (count < queue_.size() && bytes + 1 + queue_[count]->size() <= kMaxBatchBytes) {
        bytes += 1 + queue_[count]->size();
        ++count;
    }
    auto batch = std::make_shared<std::string>();
    batch->reserve(bytes);
    batch->append(kOpen);
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) batch->push_back(',');
        batch->append(*queue_[i]);
    }
    batch->append("]}");
    in_flight_ = count;
    start_write(std::move(batch));
}

void Session::close(std::uint16_t code, std::string reason) {
    std::lock_guard lock(mutex_);
    close_locked(code, std::move(reason));
}

void Session::close_when_sent(std::uint16_t code, std::string reason) {
    std::lock_guard lock(mutex_);
    if (closed_ || close_after_) return;
    if (queue_.empty()) return close_locked(code, std::move(reason));
    close_after_.emplace(code, std::move(reason));
}

void Session::close_locked(std::uint16_t code, std::string reason) {
    if (closed_) return;
    closed_ = true;
    drained_.clear();
    // Keep the frames in flight: their write completes later and accounts for them.
    while (queue_.size() > (writing_ ? in_flight_ : 0u)) {
        bytes_ -= queue_.back()->size();
        queue_.pop_back();
    }
    start_close(code, reason);
}

void Session::write_done(bool ok) {
    std::vector<std::function<void()>> callbacks;
    {
        std::lock_guard lock(mutex_);
        writing_ = false;
        for (std::size_t i = 0; i < in_flight_ && !queue_.empty(); ++i) {
            const std::size_t size = queue_.front()->size();
            bytes_ -= size;
            queue_.pop_front();
            if (ok && stats_) {
                stats_->frames_sent.fetch_add(1, std::memory_order_relaxed);
                stats_->bytes_sent.fetch_add(size, std::memory_order_relaxed);
            }
        }
        if (ok && stats_ && in_flight_ > 1) {
            stats_->batches_sent.fetch_add(1, std::memory_order_relaxed);
        }
        in_flight_ = 0;
        if (!ok) {
            closed_ = true;
            drained_.clear();
            bytes_ = 0;
            queue_.clear();
            return;
        }
        if (closed_) return;
        if (queue_.empty() && close_after_) {
            auto [code, reason] = std::move(*close_after_);
            close_after_.reset();
            close_locked(code, std::move(reason));
            return;
        }
        if (bytes_ <= limits_.low_watermark_bytes) {
            backed_up_ = false;
            callbacks.swap(drained_);
        }
        if (!queue_.empty()) start_next_write_locked();
    }
    for (auto& callback : callbacks) callback();
}

bool Session::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

bool Session::backed_up() const {
    std::lock_guard lock(mutex_);
    return backed_up_;
}

std::size_t Session::queued_frames() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::size_t Session::queued_bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

void Session::when_drained(std::function<void()> callback) {
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        if (bytes_ > limits_.low_watermark_bytes) {
            drained_.push_back(std::move(callback));
            return;
        }
    }
    callback();
}

}  // namespace parley::realtime
