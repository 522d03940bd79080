#pragma once
// Hub: which online session gets which event. Each event is serialized once and the same
// buffer is queued on every recipient's Session; a recipient too slow for its queue is closed
// by its Session (1013), never waited for. Beast-free. Thread-safe.
//
// Recipients of a conversation's event are its audience (AudienceCache: the members authz/
// lets read it now), plus, for member.removed, the removed users, who must hear about it. Where
// some of the audience see the conversation in part (a public group's subscribers), a message
// private to one member reaches those who see all and that member, and an event naming people
// reaches the others narrowed to the people they may see (deliver_in_part). reaction.updated
// carries its message for this routing (and the history floors), but only counts reach clients.
// wipe and person.updated go to the users they name; session.revoked goes to the one stream
// opened with that sign-in session, which is then closed (1008) once the frame is sent;
// organization.updated only refreshes what the hub knows.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "core/types.hpp"
#include "realtime/audience.hpp"
#include "realtime/session.hpp"
#include "service/events.hpp"

namespace parley::realtime {

// The event as the client sees it: {"type","conversation_id","seq",…}; see docs/openapi.yaml.
nlohmann::json event_json(const service::Event& event);
Frame make_frame(const nlohmann::json& json);

class Hub {
public:
    // `published_so_far` (the bus's Bus::published()) dates the audiences it reads, so that an
    // event whose change an audience already includes does not make it read again.
    explicit Hub(AudienceLookup audience, PublishedSoFar published_so_far = {});

    void add(const std::shared_ptr<Session>& session);
    void remove(const Session& session);

    // Fans the event out to its recipients' online sessions. Blocks on the member lookup: call
    // it from the bus's delivery thread, not from a publisher, with the event's number there.
    void deliver(const service::Event& event, std::uint64_t number = kUnnumberedEvent);

    // Called with the sign-in sessions a live wipe was queued on, so their pending wipes (kept
    // for devices that were offline) can be cleared: the device must not be wiped again at its
    // next hello. Set once, before the first session is added; called on the bus's thread.
    using WipesQueued = std::function<void(const core::Id& organization_id,
                                           std::vector<core::Id> signed_in_sessions)>;
    void on_wipes_queued(WipesQueued callback) { wipes_queued_ = std::move(callback); }

    // Closes every session with `code` (1001 when the server stops).
    void close_all(std::uint16_t code, const std::string& reason);

    std::size_t session_count() const;
    std::uint64_t frames_serialized() const { return serialized_.load(); }
    std::uint64_t deliveries() const { return deliveries_.load(); }  // frames queued
    const AudienceCache& audiences() const { return audiences_; }

private:
    using Skip = std::function<bool(const core::Id& user)>;
    // The online sessions of `users` (each listed once), leaving out those `skip` names.
    std::vector<std::shared_ptr<Session>> sessions_of(std::span<const core::Id> users,
                                                      const Skip& skip = {}) const;
    bool has_sessions() const;
    // Forgets the audiences the event may have changed.
    void forget_stale(const service::Event& event, std::uint64_t number);
    // Serializes the event once for these sessions and queues it on each.
    // Returns the sessions that accepted it.
    std::vector<std::shared_ptr<Session>> send_to(
        const std::vector<std::shared_ptr<Session>>& recipients, const service::Event& event);
    // A conversation whose audience sees it in part (a public group): the whole event to
    // those who see all, and to the others only what is theirs to see (Audience::sees_all).
    void deliver_in_part(const service::Event& event, const Audience& audience);
    void revoke(const service::Event& event);

    static constexpr std::size_t kAudienceEntries = 100'000;

    AudienceCache audiences_;
    WipesQueued wipes_queued_;
    mutable std::mutex mutex_;
    // user id → that user's sessions
    std::unordered_map<core::Id, std::vector<std::shared_ptr<Session>>>
        by_user_;  // GUARDED_BY(mutex_)
    std::atomic<std::uint64_t> serialized_{0};
    std::atomic<std::uint64_t> deliveries_{0};
};

}  // namespace parley::realtime
