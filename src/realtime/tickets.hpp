#pragma once
// TicketBook: short-lived, single-use tickets that let a browser open the stream (a browser
// cannot set an Authorization header on a WebSocket). Only each ticket's hash is kept, in
// memory: a restart invalidates them all, which costs a client one POST. Thread-safe.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"
#include "service/caller.hpp"

namespace parley::realtime {

class TicketBook {
public:
    static constexpr std::chrono::seconds kLifetime{30};
    static constexpr std::size_t kMaxOutstanding = 100000;

    explicit TicketBook(Clock& clock);

    // A new ticket for the caller (the session it was issued under is kept with it).
    std::string issue(const service::Caller& caller);
    // The caller the ticket was issued for, once; nullopt if unknown, used or expired.
    std::optional<service::Caller> redeem(std::string_view ticket);

private:
    struct Entry {
        service::Caller caller;
        TimestampMs expires_at = 0;
    };
    void purge_locked(TimestampMs now);

    Clock& clock_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> by_hash_;  // GUARDED_BY(mutex_)
};

}  // namespace parley::realtime
