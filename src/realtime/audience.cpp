#include "realtime/audience.hpp"

#include <utility>

namespace parley::realtime {

AudienceCache::AudienceCache(AudienceLookup lookup, std::size_t max_entries,
                             PublishedSoFar published_so_far)
    : lookup_(std::move(lookup)),
      max_entries_(max_entries),
      published_so_far_(std::move(published_so_far)) {}

Result<std::shared_ptr<const Audience>> AudienceCache::get(const core::Id& conversation) {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(conversation);
        if (it != entries_.end()) return it->second.audience;
        ++lookups_;
        generation = generation_;
    }
    // Dated before the read: what was published by now committed before the read begins.
    const std::uint64_t published = published_so_far_ ? published_so_far_() : 0;
    // Outside the lock: a store read.
    PARLEY_TRY_ASSIGN(auto audience, lookup_(conversation));
    auto entry = std::make_shared<const Audience>(std::move(audience));
    std::lock_guard lock(mutex_);
    // A forget() during the read may have been about this very entry: use the answer once,
    // keep it only if nothing was forgotten meanwhile.
    if (generation != generation_) return entry;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[conversation] = Entry{entry, published};
    return entry;
}

void AudienceCache::forget(const core::Id& conversation, std::uint64_t event_number) {
    std::lock_guard lock(mutex_);
    ++generation_;
    auto it = entries_.find(conversation);
    if (it != entries_.end() && it->second.includes_events_up_to < event_number) entries_.erase(it);
}

void AudienceCache::forget_organization(const std::string& organization_id,
                                        std::uint64_t event_number) {
    std::lock_guard lock(mutex_);
    ++generation_;
    std::erase_if(entries_, [&](const auto& entry) {
        return entry.second.audience->organization_id == organization_id &&
               entry.second.includes_events_up_to < event_number;
    });
}

std::size_t AudienceCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::uint64_t AudienceCache::lookups() const {
    std::lock_guard lock(mutex_);
    return lookups_;
}

}  // namespace parley::realtime
