#include "service/reaction_service.hpp"

namespace parley::service {

using authz::ConversationAction;
using authz::MessageAction;

void announce_reactions(EventSink& events, core::Message message) {
    message.text.clear();
    message.liked_by_reader.reset();  // one event for every reader
    const std::int64_t seq = message.seq;
    core::Id conversation_id = message.conversation_id;
    events.publish(
        Event{"reaction.updated", std::move(conversation_id), seq, std::move(message), {}, {}});
}

Result<ReactionService::Target> ReactionService::target(const Caller& caller,
                                                        const core::Id& conversation_id,
                                                        const core::Id& message_id) {
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::read_messages));
    PARLEY_TRY_ASSIGN(auto message, store_.find_message(conversation_id, message_id));
    if (!message || !Access::read_scope(access).sees(*message)) {
        return fail(ErrorKind::not_found, "message_not_found", "No such message.");
    }
    return Target{std::move(access), std::move(*message)};
}

Result<ReactionSummary> ReactionService::set_like(const Caller& caller,
                                                  const core::Id& conversation_id,
                                                  const core::Id& message_id, bool liked) {
    PARLEY_TRY_ASSIGN(auto t, target(caller, conversation_id, message_id));
    PARLEY_TRY_VOID(Access::check(t.access, MessageAction::like, t.message));
    PARLEY_TRY_ASSIGN(auto counts, store_.set_like(conversation_id, message_id, caller.user.id,
                                                   liked, clock_.now_ms()));
    if (counts.changed) {
        t.message.like_count = counts.like_count;
        t.message.comment_count = counts.comment_count;
        announce_reactions(events_, t.message);
    }
    return ReactionSummary{conversation_id, message_id, counts.like_count, liked,
                           counts.comment_count};
}

Result<LikersPage> ReactionService::likers(const Caller& caller, const core::Id& conversation_id,
                                           const core::Id& message_id, std::int64_t after,
                                           int limit) {
    if (limit < 1 || limit > kMaxLikersLimit) {
        return fail(ErrorKind::invalid, "invalid_limit", "limit must be between 1 and 200.");
    }
    if (after < 0) {
        return fail(ErrorKind::invalid, "invalid_cursor", "after cannot be negative.");
    }
    PARLEY_TRY_ASSIGN(auto t, target(caller, conversation_id, message_id));
    LikersPage page;
    store::LikeQuery query{after, limit + 1, std::nullopt};  // one more tells if there is more
    auto whole = Access::check(t.access, MessageAction::view_all_likers, t.message);
    if (!whole) {
        // Only the public-group refusal narrows the list; any other refusal stands.
        if (whole.error().code != "subscribers_hidden") return std::unexpected(whole.error());
        page.partial = true;
        query.admins_and = caller.user.id;
    }
    PARLEY_TRY_ASSIGN(page.likes, store_.list_likes(conversation_id, message_id, query));
    if (static_cast<int>(page.likes.size()) > limit) {
        page.likes.pop_back();
        page.next_after = page.likes.back().cursor;
    }
    PARLEY_TRY_ASSIGN(bool liked, store_.likes(message_id, caller.user.id));
    page.summary = ReactionSummary{conversation_id, message_id, t.message.like_count, liked,
                                   t.message.comment_count};
    return page;
}

Result<HistoryPage> ReactionService::comments(const Caller& caller, const core::Id& conversation_id,
                                              const core::Id& message_id,
                                              store::MessageRange range) {
    PARLEY_TRY_VOID(target(caller, conversation_id, message_id));
    range.replies_to = message_id;
    return messages_.history(caller, conversation_id, range);
}

}  // namespace parley::service
