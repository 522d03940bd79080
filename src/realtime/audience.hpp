#pragma once
// AudienceCache: who receives a conversation's events live — its members that authz/ lets read
// it now — remembered per conversation, so a busy group costs one store read per change of
// membership or policy instead of one per message. Thread-safe.
//
// The hub forgets an entry when an event says it may be stale: a conversation's own non-message
// events (members, rename, ownership, policy), and, for a whole organization, changes of its
// policies or of a person's directory entry. Events arrive in publication order, each after its
// change committed, so a lookup made after an event's forget() reads the new state.
//
// Entries are dated by the bus's count of published events when their read began: a read that
// began once event N was published already includes its change (and every earlier one's), so
// forgetting for event N keeps it. An import that creates a group and then announces its members
// thus costs one read of the group, not one per event. Without that count every forget drops.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "core/types.hpp"

namespace parley::realtime {

struct Audience {
    std::string organization_id;  // the owner; empty for private conversations
    std::vector<core::Id> user_ids;
    // Users who may not see messages up to and including this seq (they joined later and the
    // conversation hides earlier history): edits and deletions of those do not reach them.
    std::unordered_map<core::Id, std::int64_t> history_floors;
    // Set where some users see only part of the conversation (a public group's subscribers):
    // the users who see all of it. The others get messages for everyone or private to them, and
    // events naming people only as far as they name users of this set or themselves.
    std::optional<std::unordered_set<core::Id>> sees_all;
};

// Reads a conversation's audience from the store. Blocking.
using AudienceLookup = std::function<Result<Audience>(const core::Id& conversation)>;
// How many events have been published so far (Bus::published()).
using PublishedSoFar = std::function<std::uint64_t()>;
// The number of an event whose place in publication order is unknown: it forgets every entry.
inline constexpr std::uint64_t kUnnumberedEvent = std::numeric_limits<std::uint64_t>::max();

class AudienceCache {
public:
    // Past max_entries the cache starts over (a burst of rarely used conversations must not
    // grow it without bound; the active ones come back on their next event).
    explicit AudienceCache(AudienceLookup lookup, std::size_t max_entries = 100'000,
                           PublishedSoFar published_so_far = {});

    Result<std::shared_ptr<const Audience>> get(const core::Id& conversation);
    // Forgets what event `event_number` may have changed, unless it was read after that event
    // was published.
    void forget(const core::Id& conversation, std::uint64_t event_number = kUnnumberedEvent);
    void forget_organization(const std::string& organization_id,
                             std::uint64_t event_number = kUnnumberedEvent);

    std::size_t size() const;
    std::uint64_t lookups() const;  // store reads so far

private:
    struct Entry {
        std::shared_ptr<const Audience> audience;
        std::uint64_t includes_events_up_to = 0;  // published when its read began
    };

    const AudienceLookup lookup_;
    const std::size_t max_entries_;
    const PublishedSoFar published_so_far_;
    mutable std::mutex mutex_;
    std::unordered_map<core::Id, Entry> entries_;  // GUARDED_BY(mutex_)
    std::uint64_t lookups_ = 0;                    // GUARDED_BY(mutex_)
    std::uint64_t generation_ = 0;                 // GUARDED_BY(mutex_); counts forget() calls
};

}  // namespace parley::realtime
