#pragma once
// RateLimiter: at most max_events per key in any window_ms (an exact sliding window), for
// throttling code requests per phone and per client address. In memory, per process: a
// multi-node deployment multiplies the allowance by its node count. Thread-safe.
//
// Memory stays bounded under a flood of distinct keys: a key is forgotten as soon as its
// newest event has left the window, and beyond max_keys the least recently used key is
// forgotten early (which hands that key a fresh allowance: the price of the bound).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace parley::auth {

struct RateLimit {
    int max_events = 5;                    // REQUIRES: >= 1
    std::int64_t window_ms = 15 * 60'000;  // REQUIRES: >= 1
    std::size_t max_keys = 100'000;        // keys tracked at once; REQUIRES: >= 1
};

class RateLimiter {
public:
    // Throws std::invalid_argument if limit breaks a REQUIRES (a configuration bug).
    RateLimiter(const Clock& clock, RateLimit limit);
    RateLimiter(const RateLimiter&) = delete;
    RateLimiter& operator=(const RateLimiter&) = delete;

    // Counts one event for key, or fails with ErrorKind::rate_limited "rate_limited" and
    // retry_after_seconds (>= 1) set to when the oldest counted event leaves the window. A
    // refused event is not counted, so a client that waits as told always gets through.
    Result<void> take(std::string_view key);

    std::size_t tracked_keys() const;

private:
    struct Entry {
        std::deque<TimestampMs> events;  // accepted, oldest first; at most max_events
        std::list<std::string>::iterator lru;
    };

    // Forgets keys whose newest event is older than the window. REQUIRES: mutex_ held.
    void prune(TimestampMs now);

    const Clock& clock_;
    const RateLimit limit_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mutex_)
    // Keys by their newest event, oldest first, so that expiry and eviction look only at the
    // front. GUARDED_BY(mutex_)
    std::list<std::string> lru_;
};

}  // namespace parley::auth
