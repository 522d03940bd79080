#include "auth/session_cache.hpp"

#include <iterator>

namespace parley::auth {

SessionCache::SessionCache(const Clock& clock, SessionCacheSettings settings)
    : clock_(clock), settings_(settings) {}

std::uint64_t SessionCache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

std::optional<Authenticated> SessionCache::find(const std::string& token_hash) {
    const TimestampMs now = clock_.now_ms();
    std::lock_guard lock(mutex_);
    const auto it = by_token_hash_.find(token_hash);
    if (it == by_token_hash_.end()) return std::nullopt;
    if (now - it->second.read_at >= settings_.fresh_ms) {
        erase(it);
        return std::nullopt;
    }
    return it->second.value;
}

void SessionCache::put(const std::string& token_hash, const Authenticated& value,
                       std::uint64_t generation) {
    if (settings_.fresh_ms <= 0 || settings_.max_entries == 0) return;
    const TimestampMs now = clock_.now_ms();
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;
    if (const auto it = by_token_hash_.find(token_hash); it != by_token_hash_.end()) erase(it);
    // Entries are in read order, so the stale ones are all at the front.
    while (!order_.empty() &&
           (order_.size() >= settings_.max_entries ||
            now - by_token_hash_.at(order_.front()).read_at >= settings_.fresh_ms)) {
        erase(by_token_hash_.find(order_.front()));
    }
    order_.push_back(token_hash);
    by_token_hash_.emplace(token_hash, Entry{value, now, std::prev(order_.end())});
    token_hash_by_id_[value.session.id] = token_hash;
}

void SessionCache::evict_session(const core::Id& session_id) {
    std::lock_guard lock(mutex_);
    ++generation_;
    const auto it = token_hash_by_id_.find(session_id);
    if (it != token_hash_by_id_.end()) erase(by_token_hash_.find(it->second));
}

std::size_t SessionCache::size() const {
    std::lock_guard lock(mutex_);
    return by_token_hash_.size();
}

void SessionCache::erase(EntryMap::iterator it) {
    token_hash_by_id_.erase(it->second.value.session.id);
    order_.erase(it->second.order);
    by_token_hash_.erase(it);
}

}  // namespace parley::auth
