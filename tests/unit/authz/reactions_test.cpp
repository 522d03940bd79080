// Reactions (issue 5) as one table: who may like a message, comment on it and see everyone who
// likes it, for each kind of place in a conversation and each state of the message.
//
// The table must partition the case space (EveryCaseHasExactlyOneRow), and the action list is
// probed through to_string() so a new MessageAction without rows fails the suite. The
// expectations come from the issue: likes follow reading, comments follow sending (a comment
// is a message), likers' identities follow seeing the members; deleted messages take no
// reactions (message_deleted), system messages none either (not_reactable).

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "authz/authz.hpp"
#include "unit/authz/case_set.hpp"

namespace parley::authz {
namespace {

using core::ConversationKind;
using core::GroupType;
using core::MemberRole;
using core::OrgRole;
using MA = MessageAction;

// Where the actor stands in the message's conversation.
enum class Place {
    private_group_member,         // a private group: organizations have no say
    private_chat_member,          // a private 1:1 chat
    not_member,                   // not in the conversation (an organization admin included)
    org_group_member,             // a flat organization group, work account not required
    unlinked_where_required,      // the group requires a work account the actor has not linked
    org_disabled_member,          // the owning organization has Parley disabled
    parent_group_member,          // a group with child groups, as a (non-admin) member
    parent_group_admin,           // the same, as one of its admins
    inherited_member,             // in a parent group only through a child group
    public_subscriber,            // a public group's non-admin member
    public_admin,                 // a public group's admin
    public_subscriber_org_admin,  // a subscriber who is an admin of the owning organization
};

enum class State { live_text, live_system, deleted_text, deleted_system };

const std::vector<Place> kPlaces = {Place::private_group_member,
                                    Place::private_chat_member,
                                    Place::not_member,
                                    Place::org_group_member,
                                    Place::unlinked_where_required,
                                    Place::org_disabled_member,
                                    Place::parent_group_member,
                                    Place::parent_group_admin,
                                    Place::inherited_member,
                                    Place::public_subscriber,
                                    Place::public_admin,
                                    Place::public_subscriber_org_admin};
const std::vector<State> kStates = {State::live_text, State::live_system, State::deleted_text,
                                    State::deleted_system};

constexpr auto kAllActions = of(MA::like, MA::comment, MA::view_all_likers);
constexpr auto kReact = of(MA::like, MA::comment);
constexpr auto kAnyState =
    of(State::live_text, State::live_system, State::deleted_text, State::deleted_system);
constexpr auto kLiveText = of(State::live_text);
constexpr auto kLiveSystem = of(State::live_system);
constexpr auto kDeleted = of(State::deleted_text, State::deleted_system);

// Places where the actor reads the conversation and sends to it freely.
constexpr auto kFullUse =
    of(Place::private_group_member, Place::private_chat_member, Place::org_group_member,
       Place::parent_group_admin, Place::public_admin);
constexpr auto kSubscribers = of(Place::public_subscriber, Place::public_subscriber_org_admin);
// Places that read but do not post text (hierarchies).
constexpr auto kReadOnly = of(Place::parent_group_member, Place::inherited_member);

struct Expect {
    std::optional<ErrorKind> kind;  // nullopt: allowed
    std::string_view code;
};

constexpr Expect kAllowed{};
constexpr Expect not_found(std::string_view code) { return {ErrorKind::not_found, code}; }
constexpr Expect forbidden(std::string_view code) { return {ErrorKind::forbidden, code}; }
constexpr Expect conflict(std::string_view code) { return {ErrorKind::conflict, code}; }

struct Row {
    const char* name;
    Set<MA> actions;
    Set<Place> places;
    Set<State> states;
    Expect expect;
};

// clang-format off
const std::vector<Row> kRows = {
    // Whoever cannot read the conversation learns nothing of the message, whatever its state.
    {"non_member_learns_nothing",
        kAllActions, of(Place::not_member), kAnyState, not_found("conversation_not_found")},
    {"organization_rules_close_the_conversation_first",
        kAllActions, of(Place::unlinked_where_required), kAnyState,
        forbidden("work_account_required")},
    {"disabled_organization_closes_it",
        kAllActions, of(Place::org_disabled_member), kAnyState, forbidden("organization_disabled")},

    // Likes follow reading; comments follow sending.
    {"members_like_and_comment",
        kReact, kFullUse | kSubscribers, kLiveText, kAllowed},
    // Parent groups: what is posted reaches every child group, so members read and like but do
    // not comment (a comment is text), and inherited members never post there.
    {"hierarchy_readers_like",
        of(MA::like), kReadOnly, kLiveText, kAllowed},
    {"parent_group_member_cannot_comment",
        of(MA::comment), of(Place::parent_group_member), kAnyState,
        forbidden("parent_group_text_refused")},
    {"inherited_member_cannot_comment",
        of(MA::comment), of(Place::inherited_member), kAnyState,
        forbidden("inherited_member_cannot_send")},
    {"hierarchy_readers_cannot_like_deleted",
        of(MA::like), kReadOnly, kDeleted, conflict("message_deleted")},
    {"hierarchy_readers_cannot_like_system",
        of(MA::like), kReadOnly, kLiveSystem, conflict("not_reactable")},

    {"deleted_messages_take_no_reactions",
        kReact, kFullUse | kSubscribers, kDeleted, conflict("message_deleted")},
    {"system_messages_take_no_reactions",
        kReact, kFullUse | kSubscribers, kLiveSystem, conflict("not_reactable")},

    // Who likes a message: those who see every member see every liker, of any message they
    // read (a deleted one has none left); a subscriber sees the admins and themself.
    {"members_who_see_everyone_see_every_liker",
        of(MA::view_all_likers), kFullUse | kReadOnly | of(Place::public_subscriber_org_admin),
        kAnyState, kAllowed},
    {"subscribers_do_not_see_each_other_like",
        of(MA::view_all_likers), of(Place::public_subscriber), kAnyState,
        forbidden("subscribers_hidden")},
};
// clang-format on

const char* name(Place p) {
    switch (p) {
        case Place::private_group_member:
            return "private group member";
        case Place::private_chat_member:
            return "private chat member";
        case Place::not_member:
            return "not a member";
        case Place::org_group_member:
            return "organization group member";
        case Place::unlinked_where_required:
            return "unlinked where a work account is required";
        case Place::org_disabled_member:
            return "member while the organization is disabled";
        case Place::parent_group_member:
            return "parent group member";
        case Place::parent_group_admin:
            return "parent group admin";
        case Place::inherited_member:
            return "inherited member";
        case Place::public_subscriber:
            return "public group subscriber";
        case Place::public_admin:
            return "public group admin";
        case Place::public_subscriber_org_admin:
            return "public group subscriber who is an organization admin";
    }
    return "?";
}

const char* name(State s) {
    switch (s) {
        case State::live_text:
            return "text message";
        case State::live_system:
            return "system message";
        case State::deleted_text:
            return "deleted text message";
        case State::deleted_system:
            return "deleted system message";
    }
    return "?";
}

struct Case {
    Actor actor;
    ConversationFacts facts;
};

Case make_case(Place place) {
    Case c{{"usr_actor", OrgRole::member, true}, {}};
    core::Conversation conversation;
    conversation.kind = ConversationKind::group;
    conversation.owner = core::Owner::organization("org_acme");
    std::optional<MemberRole> role = MemberRole::member;
    bool inherited = false;
    bool children = false;
    core::OrganizationPolicies org;
    switch (place) {
        case Place::private_group_member:
            conversation.owner = core::Owner::private_owner();
            c.actor.org_role = OrgRole::none;
            c.actor.work_account_linked = false;
            break;
        case Place::private_chat_member:
            conversation.owner = core::Owner::private_owner();
            conversation.kind = ConversationKind::chat;
            c.actor.org_role = OrgRole::none;
            c.actor.work_account_linked = false;
            break;
        case Place::not_member:
            role.reset();
            c.actor.org_role = OrgRole::admin;
            break;
        case Place::org_group_member:
            c.actor.work_account_linked = false;
            break;
        case Place::unlinked_where_required:
            c.actor.work_account_linked = false;
            org.groups_require_work_account = true;
            break;
        case Place::org_disabled_member:
            org.parley_enabled = false;
            break;
        case Place::parent_group_member:
            children = true;
            break;
        case Place::parent_group_admin:
            children = true;
            role = MemberRole::admin;
            break;
        case Place::inherited_member:
            children = true;
            inherited = true;
            break;
        case Place::public_subscriber:
            conversation.group_type = GroupType::public_;
            break;
        case Place::public_admin:
            conversation.group_type = GroupType::public_;
            role = MemberRole::admin;
            break;
        case Place::public_subscriber_org_admin:
            conversation.group_type = GroupType::public_;
            c.actor.org_role = OrgRole::admin;
            break;
    }
    c.facts = conversation_facts(conversation);
    c.facts.membership = role;
    c.facts.inherited_membership = inherited;
    c.facts.has_child_groups = children;
    if (conversation.owner.is_organization()) c.facts.org_policies = org;
    c.facts.policies = effective_policies(conversation, c.facts.org_policies);
    return c;
}

MessageFacts message_facts(const Case& c, State state) {
    return MessageFacts{c.facts, state == State::deleted_text || state == State::deleted_system,
                        state == State::live_system || state == State::deleted_system};
}

std::vector<MA> all_actions() {
    std::vector<MA> out;
    for (int i = 0;; ++i) {
        auto action = static_cast<MA>(i);
        if (std::string_view(to_string(action)) == "unknown") break;
        out.push_back(action);
    }
    return out;
}

std::string describe(const Result<void>& r) {
    if (r) return "allowed";
    return std::string(to_string(r.error().kind)) + " \"" + r.error().code + "\"";
}

std::string describe(const Expect& e) {
    if (!e.kind) return "allowed";
    return std::string(to_string(*e.kind)) + " \"" + std::string(e.code) + "\"";
}

TEST(Reactions, EveryCaseHasExactlyOneRow) {
    auto actions = all_actions();
    ASSERT_GT(actions.size(), static_cast<std::size_t>(MA::view_all_likers))
        << "to_string(MessageAction) stops before the last known value";
    for (auto action : actions) {
        for (auto place : kPlaces) {
            for (auto state : kStates) {
                int rows = 0;
                for (const auto& row : kRows) {
                    if (row.actions.has(action) && row.places.has(place) && row.states.has(state)) {
                        ++rows;
                    }
                }
                EXPECT_EQ(rows, 1)
                    << to_string(action) << " by " << name(place) << " on " << name(state);
            }
        }
    }
}

TEST(Reactions, EachRowHoldsForEveryCaseItNames) {
    for (const auto& row : kRows) {
        for (auto action : all_actions()) {
            if (!row.actions.has(action)) continue;
            for (auto place : kPlaces) {
                if (!row.places.has(place)) continue;
                for (auto state : kStates) {
                    if (!row.states.has(state)) continue;
                    Case c = make_case(place);
                    auto got = check(c.actor, action, message_facts(c, state));
                    EXPECT_EQ(describe(got), describe(row.expect))
                        << row.name << ": " << to_string(action) << " by " << name(place) << " on "
                        << name(state);
                }
            }
        }
    }
}

// The promise behind the table: a live person's message is liked by exactly those who read the
// conversation and commented on by exactly those who send to it, with the same refusals.
TEST(Reactions, LikesFollowReadingAndCommentsFollowSending) {
    for (auto place : kPlaces) {
        Case c = make_case(place);
        auto facts = message_facts(c, State::live_text);
        EXPECT_EQ(describe(check(c.actor, MA::like, facts)),
                  describe(check(c.actor, ConversationAction::read_messages, c.facts)))
            << name(place);
        EXPECT_EQ(describe(check(c.actor, MA::comment, facts)),
                  describe(check(c.actor, ConversationAction::send_message, c.facts)))
            << name(place);
    }
}

}  // namespace
}  // namespace parley::authz
