#pragma once
// SessionCache: sessions recently authenticated, by token hash, so that a busy client's
// requests do not each read the store. Bounded in size and in staleness: an entry is served
// for fresh_ms after it was read, so a session revoked through another process (or another
// SignIn) stops working here within fresh_ms, while evict_session() takes effect at once.
// Thread-safe.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"
#include "core/types.hpp"

namespace parley::auth {

// Who a bearer token belongs to.
struct Authenticated {
    core::Session session;
    core::User user;
};

struct SessionCacheSettings {
    std::int64_t fresh_ms = 30'000;    // how long a store read is trusted; 0 disables the cache
    std::size_t max_entries = 10'000;  // the stalest entries make room for new ones
};

class SessionCache {
public:
    SessionCache(const Clock& clock, SessionCacheSettings settings);
    SessionCache(const SessionCache&) = delete;
    SessionCache& operator=(const SessionCache&) = delete;

    // Take a generation before reading the store and pass it to put(): if a session was evicted
    // in between, the put is dropped, so a read that raced with a revocation cannot bring the
    // revoked session back.
    std::uint64_t generation() const;

    // The entry if it is fresh; a stale one is dropped.
    std::optional<Authenticated> find(const std::string& token_hash);

    void put(const std::string& token_hash, const Authenticated& value, std::uint64_t generation);

    void evict_session(const core::Id& session_id);

    std::size_t size() const;

private:
    struct Entry {
        Authenticated value;
        TimestampMs read_at = 0;
        std::list<std::string>::iterator order;
    };

    using EntryMap = std::unordered_map<std::string, Entry>;

    // REQUIRES: mutex_ held; it points into by_token_hash_.
    void erase(EntryMap::iterator it);

    const Clock& clock_;
    const SessionCacheSettings settings_;
    mutable std::mutex mutex_;
    EntryMap by_token_hash_;                                      // GUARDED_BY(mutex_)
    std::unordered_map<core::Id, std::string> token_hash_by_id_;  // GUARDED_BY(mutex_)
    std::list<std::string> order_;  // token hashes by read_at, oldest first; GUARDED_BY(mutex_)
    std::uint64_t generation_ = 0;  // bumped by every eviction; GUARDED_BY(mutex_)
};

}  // namespace parley::auth
