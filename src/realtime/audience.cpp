#include "realtime/audience.hpp"

#include <utility>

namespace parley::realtime {

AudienceCache::AudienceCache(AudienceLookup lookup, std::size_t max_entries)
    : lookup_(std::move(lookup)), max_entries_(max_entries) {}

Result<std::shared_ptr<const Audience>> AudienceCache::get(const core::Id& conversation) {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(conversation);
        if (it != entries_.end()) return it->second;
        ++lookups_;
        generation = generation_;
    }
    // Outside the lock: a store read.
    PARLEY_TRY_ASSIGN(auto audience, lookup_(conversation));
    auto entry = std::make_shared<const Audience>(std::move(audience));
    std::lock_guard lock(mutex_);
    // A forget() during the read may have been about this very entry: use the answer once,
    // keep it only if nothing was forgotten meanwhile.
    if (generation != generation_) return entry;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[conversation] = entry;
    return entry;
}

void AudienceCache::forget(const core::Id& conversation) {
    std::lock_guard lock(mutex_);
    ++generation_;
    entries_.erase(conversation);
}

void AudienceCache::forget_organization(const std::string& organization_id) {
    std::lock_guard lock(mutex_);
    ++generation_;
    std::erase_if(entries_, [&](const auto& entry) {
        return entry.second->organization_id == organization_id;
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
