#include "realtime/bus.hpp"

#include <pthread.h>

#include <exception>

#include "common/log.hpp"

namespace parley::realtime {

InProcessBus::InProcessBus() : thread_([this] { run(); }) {
    pthread_setname_np(thread_.native_handle(), "parley-bus");
}

InProcessBus::~InProcessBus() { stop(); }

void InProcessBus::subscribe(Subscriber subscriber) {
    std::lock_guard lock(mutex_);
    subscribers_.push_back(std::move(subscriber));
}

void InProcessBus::publish(const service::Event& event) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        queue_.push_back(event);
    }
    wake_.notify_one();
}

void InProcessBus::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void InProcessBus::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        service::Event event = std::move(queue_.front());
        queue_.pop_front();
        auto subscribers = subscribers_;
        lock.unlock();
        for (const auto& subscriber : subscribers) {
            try {
                subscriber(event);
            } catch (const std::exception& e) {
                spdlog::error("realtime: subscriber failed on {}: {}", event.type, e.what());
            }
        }
        lock.lock();
    }
}

}  // namespace parley::realtime
