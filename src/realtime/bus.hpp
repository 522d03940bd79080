#pragma once
// Bus: how events travel from the services that publish them to whoever delivers them. The
// in-process bus is the single-node one; a NATS bus can implement the same interface later.
//
// InProcessBus is the services' EventSink: publish() only queues the event and returns, so a
// use case never waits for delivery (member lookups, slow clients). One thread delivers events
// to subscribers in publication order. Thread-safe.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "service/events.hpp"

namespace parley::realtime {

class Bus : public service::EventSink {
public:
    using Subscriber = std::function<void(const service::Event&)>;
    // REQUIRES: called before the first publish().
    virtual void subscribe(Subscriber subscriber) = 0;
};

class InProcessBus final : public Bus {
public:
    InProcessBus();
    ~InProcessBus() override;  // delivers what is queued, then joins

    void publish(const service::Event& event) override;
    void subscribe(Subscriber subscriber) override;
    // Delivers what is queued and stops; later events are dropped. Idempotent.
    void stop();

private:
    void run();

    std::vector<Subscriber> subscribers_;  // written before the first publish only
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<service::Event> queue_;  // GUARDED_BY(mutex_)
    bool stopping_ = false;             // GUARDED_BY(mutex_)
    std::thread thread_;
};

}  // namespace parley::realtime
