#pragma once
// Access: gathers the facts authz/ decides on (the caller's membership, directory role,
// work-account link, the owning organization's policies) and asks authz/ for the decision.
// Every use case goes through here, so no decision is made anywhere else. Thread-safe.

#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "authz/authz.hpp"
#include "service/caller.hpp"
#include "store/store.hpp"

namespace parley::service {

struct ConversationAccess {
    core::Conversation conversation;
    std::optional<core::Member> member;              // the caller's membership
    std::optional<core::Organization> organization;  // the owner, for organization conversations
    authz::Actor actor;
    authz::ConversationFacts facts;
    store::GroupLinks links;  // organization groups: their parent and child count
};

// Who may read a conversation right now, for delivering its events live.
struct Readers {
    core::Owner owner;
    std::vector<core::Id> user_ids;
    // Readers who may not see what was said before they joined (the conversation's history
    // policy): the last seq hidden from each. Others see everything.
    std::unordered_map<core::Id, std::int64_t> history_floors;
    // Set where some readers see only part of the conversation (a public group's subscribers,
    // refused read_subscriber_messages): the readers who see all of it. The others get the
    // messages for everyone and those private to them, and hear only of people in this set.
    std::optional<std::unordered_set<core::Id>> sees_all;
};

// What one caller reads of a conversation: the messages after `floor` (the history policy), and
// of the messages private to one member, where `viewer` is set (a subscriber), only theirs.
struct ReadScope {
    std::int64_t floor = 0;
    std::optional<core::Id> viewer;
    bool sees(const core::Message& message) const;
};

struct OrganizationAccess {
    core::Organization organization;
    authz::Actor actor;
};

class Access {
public:
    explicit Access(store::Store& store) : store_(store) {}

    // The caller relative to one organization (role none if not in its directory).
    Result<authz::Actor> actor_in(const Caller& caller, const core::Id& organization_id);

    // Loads the conversation and the caller's facts without deciding anything: for decisions
    // over two conversations at once (linking groups). not_found if there is no such one.
    Result<ConversationAccess> load(const Caller& caller, const core::Id& conversation_id);
    // Loads the conversation and the caller's facts, then checks the action.
    Result<ConversationAccess> conversation(const Caller& caller, const core::Id& conversation_id,
                                            authz::ConversationAction action,
                                            bool actor_is_author = false);
    // The same with facts already loaded (e.g. to check a second action).
    static Result<void> check(const ConversationAccess& access, authz::ConversationAction action,
                              bool actor_is_author = false);
    // An action on one message of the conversation (likes, comments), with its state.
    static Result<void> check(const ConversationAccess& access, authz::MessageAction action,
                              const core::Message& message);
    // The caller's history starts after this sequence: 0, or their joined_seq where authz/
    // refuses them messages from before they joined. Every read of messages (history pages,
    // the stream's resume, reply and forward targets, edits, deletes) honours it.
    static std::int64_t history_floor(const ConversationAccess& access);
    // history_floor() and, where authz/ refuses read_subscriber_messages, the caller as viewer.
    // Every read of messages honours it as it does the floor, and so does live delivery
    // (readers()).
    static ReadScope read_scope(const ConversationAccess& access);

    // The members allowed to read the conversation's messages: each member checked by authz/
    // against the owning organization's policies, with the directory facts of the whole
    // group read in one query. not_found if the conversation is gone.
    Result<Readers> readers(const core::Id& conversation_id);

    Result<OrganizationAccess> organization(const Caller& caller, const core::Id& organization_id,
                                            authz::OrgAction action);
    // The same for an action on one person's entry (attribute facts unset).
    Result<OrganizationAccess> person(const Caller& caller, const core::Id& organization_id,
                                      const core::Id& subject_id, authz::PersonAction action);

private:
    store::Store& store_;
};

}  // namespace parley::service
