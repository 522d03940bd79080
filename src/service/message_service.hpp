#pragma once
// Messages: send (idempotent per client_id), history by sequence, edit, delete for everyone,
// read markers. Ownership is stamped on each message from its conversation's owner at the
// moment it is written. Thread-safe.

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/attachment_service.hpp"
#include "service/events.hpp"

namespace parley::service {

// A message to copy into another conversation: the caller must be able to read it, and its
// conversation must allow forwarding (issue 4, "restrict forward").
struct ForwardOf {
    core::Id conversation_id;
    core::Id message_id;
};

struct SendMessage {
    // The caption when there are attachments (then it may be empty); empty when forwarding:
    // the forwarded message's text (and attachments) are sent.
    std::string text;
    std::string client_id;  // the client's idempotency key; a retry with it never duplicates
    std::optional<core::Id> reply_to;
    std::optional<ForwardOf> forward_of;
    std::vector<core::Id> attachments;  // the sender's unsent uploads to this conversation
};

struct Sent {
    core::Message message;
    bool duplicate = false;
};

struct HistoryPage {
    std::vector<core::Message> messages;
    bool has_more = false;  // more in the paging direction
};

constexpr int kMaxHistoryLimit = 200;
constexpr std::size_t kMaxClientIdChars = 100;

class MessageService {
public:
    // attachments: unset, a message cannot carry or forward files (attachment_not_found).
    MessageService(store::Store& store, Access& access, EventSink& events, const Clock& clock,
                   AttachmentService* attachments = nullptr)
        : store_(store),
          access_(access),
          events_(events),
          clock_(clock),
          attachments_(attachments) {}

    Result<Sent> send(const Caller& caller, const core::Id& conversation_id,
                      const SendMessage& request);
    Result<HistoryPage> history(const Caller& caller, const core::Id& conversation_id,
                                const store::MessageRange& range);
    Result<core::Message> edit(const Caller& caller, const core::Id& conversation_id,
                               const core::Id& message_id, const std::string& text);
    Result<core::Message> remove(const Caller& caller, const core::Id& conversation_id,
                                 const core::Id& message_id);
    // Returns the caller's read marker after the call.
    Result<std::int64_t> mark_read(const Caller& caller, const core::Id& conversation_id,
                                   std::int64_t seq);

private:
    // A message of the conversation that is not deleted and that the caller may read (their
    // history reaches it; a subscriber's own or for everyone); not_found otherwise, so what is
    // hidden stays unknown.
    Result<core::Message> existing(const core::Id& conversation_id, const core::Id& message_id,
                                   const ReadScope& scope);
    // Tells the readers of the message a comment answered that its comment count changed
    // (reaction.updated). The comment is committed whatever happens here.
    void announce_comments(const core::Id& commented, const core::Id& conversation_id);
    // The message to forward, after authz/ allows forwarding out of its conversation.
    Result<core::Message> forwarded(const Caller& caller, const ForwardOf& source);

    store::Store& store_;
    Access& access_;
    EventSink& events_;
    const Clock& clock_;
    AttachmentService* attachments_;
};

// Checks text for a message: not empty after trimming (unless allow_empty: a caption), at most
// kMaxMessageChars characters (Unicode code points), valid UTF-8.
Result<void> validate_message_text(const std::string& text, bool allow_empty = false);

}  // namespace parley::service
