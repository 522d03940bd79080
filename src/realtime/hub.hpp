#pragma once
// Hub: which online session gets which event. Each event is serialized once and the same
// buffer is queued on every recipient's Session; a recipient too slow for its queue is closed
// by its Session (1013), never waited for. Beast-free. Thread-safe.
//
// Recipients are looked up when the event arrives: the members of its conversation (from the
// store, through MemberLookup), plus the users the event names for member.removed and wipe,
// who are no longer members but must hear about it.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "core/types.hpp"
#include "realtime/session.hpp"
#include "service/events.hpp"

namespace parley::realtime {

// The ids of a conversation's members. Blocking (store).
using MemberLookup = std::function<Result<std::vector<core::Id>>(const core::Id& conversation)>;

// The event as the client sees it: {"type","conversation_id","seq",…}; see docs/openapi.yaml.
nlohmann::json event_json(const service::Event& event);
Frame make_frame(const nlohmann::json& json);

class Hub {
public:
    explicit Hub(MemberLookup members);

    void add(const std::shared_ptr<Session>& session);
    void remove(const Session& session);

    // Fans the event out to its recipients' online sessions. Blocks on the member lookup: call
    // it from the bus's delivery thread, not from a publisher.
    void deliver(const service::Event& event);

    // Closes every session with `code` (1001 when the server stops).
    void close_all(std::uint16_t code, const std::string& reason);

    std::size_t session_count() const;
    std::uint64_t frames_serialized() const { return serialized_.load(); }

private:
    std::vector<std::shared_ptr<Session>> sessions_of(const std::vector<core::Id>& users) const;

    const MemberLookup members_;
    mutable std::mutex mutex_;
    // user id → that user's sessions
    std::unordered_map<core::Id, std::vector<std::shared_ptr<Session>>>
        by_user_;  // GUARDED_BY(mutex_)
    std::atomic<std::uint64_t> serialized_{0};
};

}  // namespace parley::realtime
