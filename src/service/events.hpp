#pragma once
// Domain events, published after the store has committed the change they describe. The
// real-time hub and background jobs consume them; services only describe what happened.
// message.created is the exception: the store announces each message as it commits (app/ wires
// SqliteSettings::message_committed to the sink), because only the writer knows commit order,
// and clients rely on a conversation's messages arriving in seq order.
// EventSink implementations must be thread-safe and must not block.

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace parley::service {

// Conversation events carry conversation_id; the others concern people or an organization:
//   wipe                  user_ids were removed from organization_id: erase its conversations
//   session.revoked       session_id of user_ids[0] was signed out
//   person.updated        user_ids[0]'s directory entry in organization_id changed (role,
//                         email, work-account link): what they may read may have changed
//   organization.updated  organization_id's policies changed
//   card.reminder         user_ids are reminded of `card` (no conversation_id: it goes to them
//                         alone, not to the conversation's audience)
// card.updated carries conversation_id and `card`: its summary or state changed.
struct Event {
    std::string type;  // "message.created", "member.added", "conversation.updated", …
    core::Id conversation_id;
    std::int64_t seq = 0;                  // the conversation's sequence after the change
    std::optional<core::Message> message;  // message.* events
    std::vector<core::Id> user_ids;        // member.*, wipe, session.revoked, person.updated
    std::string organization_id;           // wipe, person.*, organization.*, ownership changes
    core::Id session_id;                   // session.revoked
    std::optional<core::CardNotice> card;  // card.* events
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
