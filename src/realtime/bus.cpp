#include "realtime/bus.hpp"

#include <pthread.h>

#include <exception>

#include "common/log.hpp"

namespace parley::realtime {

InProcessBus::InProcessBus(std::size_t max_queued)
    : max_queued_(max_queued), thread_([this] { run(); }) {
    pthread_setname_np(thread_.native_handle(), "parley-bus");
}

InProcessBus::~InProcessBus() { stop(); }

void InProcessBus::subscribe(Subscriber subscriber) {
    std::lock_guard lock(mutex_);
    subscribers_.push_back(std::move(subscriber));
}

void InProcessBus::on_overflow(std::function<void()> handler) {
    std::lock_guard lock(mutex_);
    overflow_handler_ = std::move(handler);
}

void InProcessBus::publish(const service::Event& event) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (queue_.size() >= max_queued_) {
            queue_.clear();
            overflowed_ = true;
            ++overflows_;
        }
        queue_.push_back(Numbered{++published_, event});
    }
    wake_.notify_one();
}

std::uint64_t InProcessBus::published() const {
    std::lock_guard lock(mutex_);
    return published_;
}

std::size_t InProcessBus::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

std::uint64_t InProcessBus::overflows() const {
    std::lock_guard lock(mutex_);
    return overflows_;
}

void InProcessBus::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
        overflowed_ = false;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void InProcessBus::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || overflowed_ || !queue_.empty(); });
        if (overflowed_) {
            overflowed_ = false;
            auto handler = overflow_handler_;
            lock.unlock();
            spdlog::warn(
                "realtime: event delivery fell {} events behind; streams are closed "
                "(1013) to catch up by cursor",
                max_queued_);
            if (handler) handler();
            lock.lock();
            continue;
        }
        if (queue_.empty()) return;  // stopping and drained
        Numbered next = std::move(queue_.front());
        queue_.pop_front();
        auto subscribers = subscribers_;
        lock.unlock();
        for (const auto& subscriber : subscribers) {
            try {
                subscriber(next.event, next.number);
            } catch (const std::exception& e) {
                spdlog::error("realtime: subscriber failed on {}: {}", next.event.type, e.what());
            }
        }
        lock.lock();
    }
}

}  // namespace parley::realtime
