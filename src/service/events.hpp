#pragma once
// Domain events, published after the store has committed the change they describe. The
// real-time hub and background jobs consume them; services only describe what happened.
// EventSink implementations must be thread-safe and must not block.

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace parley::service {

struct Event {
    std::string type;  // "message.created", "member.added", "conversation.updated", …
    core::Id conversation_id;
    std::int64_t seq = 0;                  // the conversation's sequence after the change
    std::optional<core::Message> message;  // message.* events
    std::vector<core::Id> user_ids;        // member.* and wipe events: who is concerned
    std::string organization_id;           // wipe, conversation.updated (ownership)
};

class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void publish(const Event& event) = 0;
};

// Drops every event: for tools and tests that need no delivery.
class NullEventSink final : public EventSink {
public:
    void publish(const Event&) override {}
};

}  // namespace parley::service
