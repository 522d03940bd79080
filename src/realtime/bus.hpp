#pragma once
// Bus: how events travel from the services that publish them to whoever delivers them. The
// in-process bus is the single-node one; a NATS bus can implement the same interface later.
//
// InProcessBus is the services' EventSink: publish() only queues the event and returns, so a
// use case never waits for delivery (member lookups, slow clients). One thread delivers events
// to subscribers in publication order. Thread-safe.
//
// The queue is bounded: if delivery falls max_queued events behind, the queued events are
// dropped and the overflow handler runs on the delivery thread (the server closes every stream
// with 1013, so clients catch up by cursor). Live push is the bus's only job; anything that must
// see every event reads the store.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "service/events.hpp"

namespace parley::realtime {

// Events are numbered in publication order from 1 and handed to subscribers with their number.
// Each is published after its change committed, so whatever is read once published() says N
// includes the changes of events 1 to N: the hub keeps an audience it read after an event was
// published rather than reading it again for that event.
class Bus : public service::EventSink {
public:
    using Subscriber = std::function<void(const service::Event&, std::uint64_t number)>;
    // REQUIRES: called before the first publish().
    virtual void subscribe(Subscriber subscriber) = 0;
    // The number of the latest event published (0 before the first).
    virtual std::uint64_t published() const = 0;
};

class InProcessBus final : public Bus {
public:
    explicit InProcessBus(std::size_t max_queued = 1'000'000);
    ~InProcessBus() override;  // stop()

    void publish(const service::Event& event) override;
    void subscribe(Subscriber subscriber) override;
    std::uint64_t published() const override;
    // REQUIRES: called before the first publish().
    void on_overflow(std::function<void()> handler);

    std::size_t queued() const;
    std::uint64_t overflows() const;
    // Finishes the event being delivered, drops the rest and joins: the server is stopping and
    // its streams are closed (1001), so a backlog would only delay the exit. Later events are
    // dropped. Idempotent.
    void stop();

private:
    void run();

    const std::size_t max_queued_;
    std::vector<Subscriber> subscribers_;     // written before the first publish only
    std::function<void()> overflow_handler_;  // likewise
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    struct Numbered {
        std::uint64_t number;
        service::Event event;
    };
    std::deque<Numbered> queue_;   // GUARDED_BY(mutex_)
    std::uint64_t published_ = 0;  // GUARDED_BY(mutex_)
    bool overflowed_ = false;      // GUARDED_BY(mutex_); the handler has yet to run
    std::uint64_t overflows_ = 0;  // GUARDED_BY(mutex_)
    bool stopping_ = false;        // GUARDED_BY(mutex_)
    std::thread thread_;
};

}  // namespace parley::realtime
