#include "service/message_service.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "crypto/random.hpp"
#include "service/reaction_service.hpp"
#include "service/text.hpp"

namespace parley::service {

using authz::ConversationAction;

Result<void> validate_message_text(const std::string& text, bool allow_empty) {
    auto length = utf8_length(text);
    if (!length) return fail(ErrorKind::invalid, "invalid_text", "Message text must be UTF-8.");
    if (trim(text).empty() && !allow_empty) {
        return fail(ErrorKind::invalid, "empty_message", "A message needs some text.");
    }
    if (*length > core::kMaxMessageChars) {
        return fail(ErrorKind::payload_too_large, "message_too_long",
                    "A message holds at most " + std::to_string(core::kMaxMessageChars) +
                        " characters; this one has " + std::to_string(*length) + ".");
    }
    return ok();
}

Result<core::Message> MessageService::forwarded(const Caller& caller, const ForwardOf& source) {
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, source.conversation_id,
                                                        ConversationAction::forward_from));
    PARLEY_TRY_ASSIGN(auto message, existing(source.conversation_id, source.message_id,
                                             Access::read_scope(access)));
    if (message.kind == core::MessageKind::system) {
        return fail(ErrorKind::invalid, "not_forwardable",
                    "System messages cannot be forwarded; forward a person's message.");
    }
    if (message.kind == core::MessageKind::card) {
        // A copy would be a second card with no responses, or text that looks like one.
        return fail(ErrorKind::invalid, "not_forwardable",
                    "Action cards cannot be forwarded; post a new card instead.");
    }
    return message;
}

Result<Sent> MessageService::send(const Caller& caller, const core::Id& conversation_id,
                                  const SendMessage& request) {
    std::string text = request.text;
    if (request.forward_of) {
        if (!text.empty() || request.reply_to || !request.attachments.empty()) {
            return fail(ErrorKind::invalid, "forward_with_text",
                        "A forward sends the original message as it is: leave out \"text\", "
                        "\"reply_to\" and \"attachments\".");
        }
    } else {
        PARLEY_TRY_VOID(validate_message_text(text, !request.attachments.empty()));
    }
    if (!request.attachments.empty() && !attachments_) {
        return fail(ErrorKind::invalid, "attachment_not_found", "This server keeps no files.");
    }
    if (request.client_id.size() > kMaxClientIdChars) {
        return fail(ErrorKind::invalid, "invalid_client_id",
                    "client_id holds at most 100 characters.");
    }
    std::vector<core::Attachment> forwarded_attachments;
    if (request.forward_of) {
        PARLEY_TRY_ASSIGN(auto original, forwarded(caller, *request.forward_of));
        text = std::move(original.text);
        forwarded_attachments = std::move(original.attachments);
        if (!forwarded_attachments.empty() && !attachments_) {
            return fail(ErrorKind::invalid, "not_forwardable", "This server keeps no files.");
        }
    }
    // The store refuses the write if the owner changed after this check (a group being added
    // to an organization); deciding again stamps the new owner.
    constexpr int kAttempts = 2;
    for (int attempt = 1;; ++attempt) {
        PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                            ConversationAction::send_message));
        std::optional<core::Id> thread;  // the private thread a reply answers
        if (request.reply_to) {
            PARLEY_TRY_ASSIGN(auto target, store_.find_message(conversation_id, *request.reply_to));
            if (!target || !Access::read_scope(access).sees(*target)) {
                return fail(ErrorKind::invalid, "reply_target_not_found",
                            "reply_to must name a message of the same conversation.");
            }
            // A reply is a comment on its target, which must take one (not deleted, not system).
            PARLEY_TRY_VOID(Access::check(access, authz::MessageAction::comment, *target));
            thread = target->private_to;
        }
        core::Message draft;
        draft.id = crypto::new_id("msg");
        draft.conversation_id = conversation_id;
        draft.sender_id = caller.user.id;
        draft.text = text;
        draft.forwarded = request.forward_of.has_value();
        draft.client_id = request.client_id;
        draft.reply_to = request.reply_to;
        draft.owner = access.conversation.owner;
        draft.private_to = authz::private_to(access.facts, caller.user.id, thread);
        draft.created_at = clock_.now_ms();
        if (!request.attachments.empty()) {
            PARLEY_TRY_ASSIGN(draft.attachments,
                              attachments_->claimable(caller, conversation_id, request.attachments,
                                                      request.client_id));
        }
        if (!forwarded_attachments.empty()) {
            PARLEY_TRY_ASSIGN(draft.attachments,
                              attachments_->forward_copies(forwarded_attachments, conversation_id,
                                                           draft.owner, draft.id, caller.user.id));
        }
        auto appended = store_.append_message(draft);
        if (!appended && appended.error().code == "owner_changed" && attempt < kAttempts) {
            continue;
        }
        if (!appended) return fail(appended.error());
        // message.created is announced by the store as it commits (in seq order), not here.
        Sent sent{std::move(appended->message), appended->duplicate};
        if (sent.duplicate) {
            // The original may have been liked meanwhile; unknown if that cannot be read now.
            auto liked = store_.likes(sent.message.id, caller.user.id);
            if (liked) sent.message.liked_by_reader = *liked;
        } else {
            sent.message.liked_by_reader = false;
            if (sent.message.reply_to) announce_comments(*sent.message.reply_to, conversation_id);
        }
        return sent;
    }
}

Result<HistoryPage> MessageService::history(const Caller& caller, const core::Id& conversation_id,
                                            const store::MessageRange& range) {
    if (range.limit < 1 || range.limit > kMaxHistoryLimit) {
        return fail(ErrorKind::invalid, "invalid_limit", "limit must be between 1 and 200.");
    }
    if ((range.after && *range.after < 0) || (range.before && *range.before < 0)) {
        return fail(ErrorKind::invalid, "invalid_cursor", "after and before cannot be negative.");
    }
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::read_messages));
    store::MessageRange probe = range;
    probe.limit = range.limit + 1;  // one more tells whether there is a next page
    const ReadScope scope = Access::read_scope(access);
    probe.floor = std::max(probe.floor, scope.floor);
    probe.viewer = scope.viewer;
    probe.reader = caller.user.id;
    PARLEY_TRY_ASSIGN(auto messages, store_.list_messages(conversation_id, probe));
    HistoryPage page;
    page.has_more = static_cast<int>(messages.size()) > range.limit;
    if (page.has_more) {
        bool newest_first = range.before && !range.after;
        if (newest_first) {
            messages.erase(messages.begin());
        } else {
            messages.pop_back();
        }
    }
    page.messages = std::move(messages);
    return page;
}

Result<core::Message> MessageService::existing(const core::Id& conversation_id,
                                               const core::Id& message_id, const ReadScope& scope) {
    PARLEY_TRY_ASSIGN(auto message, store_.find_message(conversation_id, message_id));
    if (!message || message->deleted_at || !scope.sees(*message)) {
        return fail(ErrorKind::not_found, "message_not_found", "No such message.");
    }
    return *message;
}

Result<core::Message> MessageService::edit(const Caller& caller, const core::Id& conversation_id,
                                           const core::Id& message_id, const std::string& text) {
    PARLEY_TRY_VOID(validate_message_text(text));
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::read_messages));
    PARLEY_TRY_ASSIGN(auto message,
                      existing(conversation_id, message_id, Access::read_scope(access)));
    if (message.kind == core::MessageKind::system) {
        return fail(ErrorKind::forbidden, "system_message", "System messages cannot be edited.");
    }
    if (message.kind == core::MessageKind::card) {
        // Responses were given to the card as it was posted.
        return fail(ErrorKind::forbidden, "card_message",
                    "Action cards cannot be edited; close the card and post a new one.");
    }
    PARLEY_TRY_VOID(Access::check(access, ConversationAction::edit_message,
                                  message.sender_id == caller.user.id));
    PARLEY_TRY_ASSIGN(auto edited,
                      store_.edit_message(conversation_id, message_id, text, clock_.now_ms()));
    events_.publish(Event{"message.edited", conversation_id, edited.seq, edited, {}, {}});
    // The edit is committed: a failed read leaves "mine" unknown rather than failing it.
    if (auto liked = store_.likes(message_id, caller.user.id)) edited.liked_by_reader = *liked;
    return edited;
}

Result<core::Message> MessageService::remove(const Caller& caller, const core::Id& conversation_id,
                                             const core::Id& message_id) {
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::read_messages));
    PARLEY_TRY_ASSIGN(auto message,
                      existing(conversation_id, message_id, Access::read_scope(access)));
    PARLEY_TRY_VOID(Access::check(access, ConversationAction::delete_message,
                                  message.sender_id == caller.user.id));
    PARLEY_TRY_ASSIGN(auto deleted,
                      store_.delete_message(conversation_id, message_id, clock_.now_ms()));
    events_.publish(Event{"message.deleted", conversation_id, deleted.seq, deleted, {}, {}});
    // A deleted comment no longer counts on the message it answered.
    if (deleted.reply_to) announce_comments(*deleted.reply_to, conversation_id);
    deleted.liked_by_reader = false;  // its likes went with it
    return deleted;
}

void MessageService::announce_comments(const core::Id& commented, const core::Id& conversation_id) {
    auto message = store_.find_message(conversation_id, commented);
    if (!message) {
        // The change itself is committed: clients learn the new count when they next read it.
        spdlog::warn("reactions: {} of {} unreadable ({}); reaction.updated not published",
                     commented, conversation_id, message.error().message);
        return;
    }
    if (*message) announce_reactions(events_, std::move(**message));
}

Result<std::int64_t> MessageService::mark_read(const Caller& caller,
                                               const core::Id& conversation_id, std::int64_t seq) {
    if (seq < 0) return fail(ErrorKind::invalid, "invalid_seq", "seq cannot be negative.");
    PARLEY_TRY_VOID(access_.conversation(caller, conversation_id, ConversationAction::mark_read));
    PARLEY_TRY_ASSIGN(auto read_seq, store_.mark_read(conversation_id, caller.user.id, seq));
    events_.publish(
        Event{"read.updated", conversation_id, read_seq, std::nullopt, {caller.user.id}, {}});
    return read_seq;
}

}  // namespace parley::service
