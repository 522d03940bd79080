#include "auth/rate_limiter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace parley::auth {

RateLimiter::RateLimiter(const Clock& clock, RateLimit limit) : clock_(clock), limit_(limit) {
    if (limit_.max_events < 1 || limit_.window_ms < 1 || limit_.max_keys < 1) {
        throw std::invalid_argument(
            "a rate limit needs max_events >= 1, window_ms >= 1 and max_keys >= 1");
    }
}

Result<void> RateLimiter::take(std::string_view key) {
    const TimestampMs now = clock_.now_ms();
    const TimestampMs window_start = now - limit_.window_ms;  // events at or before it are out
    std::lock_guard lock(mutex_);
    prune(now);

    auto it = entries_.find(std::string(key));
    if (it == entries_.end()) {
        if (entries_.size() >= limit_.max_keys) {
            entries_.erase(lru_.front());
            lru_.pop_front();
        }
        lru_.emplace_back(key);
        it = entries_.emplace(lru_.back(), Entry{{}, std::prev(lru_.end())}).first;
    }
    Entry& entry = it->second;
    while (!entry.events.empty() && entry.events.front() <= window_start) {
        entry.events.pop_front();
    }

    if (entry.events.size() >= static_cast<std::size_t>(limit_.max_events)) {
        const std::int64_t wait_ms = entry.events.front() + limit_.window_ms - now;
        const int seconds = static_cast<int>(std::max<std::int64_t>(1, (wait_ms + 999) / 1000));
        return fail(Error{ErrorKind::rate_limited, "rate_limited",
                          fmt::format("Too many requests; try again in {} second{}.", seconds,
                                      seconds == 1 ? "" : "s"),
                          seconds});
    }
    entry.events.push_back(now);
    lru_.splice(lru_.end(), lru_, entry.lru);
    return ok();
}

std::size_t RateLimiter::tracked_keys() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

void RateLimiter::prune(TimestampMs now) {
    const TimestampMs window_start = now - limit_.window_ms;
    while (!lru_.empty()) {
        const auto it = entries_.find(lru_.front());
        if (it != entries_.end() && !it->second.events.empty() &&
            it->second.events.back() > window_start) {
            return;  // the front holds the oldest newest-event: every other key is younger
        }
        if (it != entries_.end()) entries_.erase(it);
        lru_.pop_front();
    }
}

}  // namespace parley::auth
