#pragma once
// Reactions to messages (issue 5): likes, and comments, which are replies (sent through
// MessageService::send, which asks authz/ MessageAction::comment of the message answered). The
// store keeps each message's like and comment counters in the same transaction as the change,
// so reading a message never counts. Every change of a message's counts is announced to the
// people who read it as reaction.updated. Thread-safe.

#include <optional>
#include <vector>

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/events.hpp"
#include "service/message_service.hpp"

namespace parley::service {

// A message's reactions as one reader sees them.
struct ReactionSummary {
    core::Id conversation_id;
    core::Id message_id;
    std::int64_t like_count = 0;
    bool liked = false;  // by the reader
    std::int64_t comment_count = 0;
};

// A page of the people who like a message, in the order they liked it.
struct LikersPage {
    ReactionSummary summary;
    std::vector<store::Like> likes;
    // Only the conversation's admins and the reader are listed (a public group's subscriber);
    // like_count still counts everyone.
    bool partial = false;
    std::optional<std::int64_t> next_after;  // set when there are more: pass it as `after`
};

constexpr int kMaxLikersLimit = 200;

class ReactionService {
public:
    ReactionService(store::Store& store, Access& access, MessageService& messages,
                    EventSink& events, const Clock& clock)
        : store_(store), access_(access), messages_(messages), events_(events), clock_(clock) {}

    // Likes the message (liked) or takes the like back. Idempotent: liking twice leaves one
    // like, unliking what is not liked changes nothing; reaction.updated is published only
    // when the count changed.
    Result<ReactionSummary> set_like(const Caller& caller, const core::Id& conversation_id,
                                     const core::Id& message_id, bool liked);
    Result<LikersPage> likers(const Caller& caller, const core::Id& conversation_id,
                              const core::Id& message_id, std::int64_t after, int limit);
    // The comments of a message the caller sees, paged by seq like history (and narrowed like
    // it: history policy, a subscriber's own private thread); deleted comments left out.
    Result<HistoryPage> comments(const Caller& caller, const core::Id& conversation_id,
                                 const core::Id& message_id, store::MessageRange range);

private:
    struct Target {
        ConversationAccess access;
        core::Message message;
    };
    // The message as the caller may act on it: the conversation readable, the message in their
    // read scope (else message_not_found, so what is hidden stays unknown).
    Result<Target> target(const Caller& caller, const core::Id& conversation_id,
                          const core::Id& message_id);

    store::Store& store_;
    Access& access_;
    MessageService& messages_;
    EventSink& events_;
    const Clock& clock_;
};

// Publishes reaction.updated for this message (its counts as they now stand) to those who read
// it. The text is left out: the event carries counts only.
void announce_reactions(EventSink& events, core::Message message);

}  // namespace parley::service
