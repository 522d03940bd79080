// The action-card rows of the permission matrix (authz::CardAction) as one table: who may
// create, respond to, see the results of, export, remind on and close a card, by the group's
// type (flat, hierarchical, public, private chat) and the actor's place in it.

#include <gtest/gtest.h>

#include <string>

#include "authz/authz.hpp"

namespace parley::authz {
namespace {

using core::CardState;
using core::CardType;
using core::GroupType;
using core::MemberRole;
using core::OrgRole;
using core::ResultsVisibility;

enum class Place {
    flat_member,
    flat_admin,
    hierarchical_member,  // a direct member of a group with child groups
    inherited_member,     // a member of a child group, receiving the parent's cards
    public_subscriber,
    public_admin,
    chat_participant,
    private_group_member,
    non_member,
    org_admin_non_member,
};

struct Row {
    const char* name;
    Place place;
    CardAction action;
    bool creator = false;
    CardType type = CardType::poll;
    CardState state = CardState::active;
    ResultsVisibility visibility = ResultsVisibility::all;
    bool assignee = false;
    const char* expected = "";  // "" allowed, else the error code
};

Actor actor_for(Place place) {
    Actor a{"usr_actor", OrgRole::member, true};
    if (place == Place::org_admin_non_member) a.org_role = OrgRole::admin;
    return a;
}

CardFacts facts_for(const Row& row) {
    core::Conversation c;
    c.kind = core::ConversationKind::group;
    c.owner = core::Owner::organization("org_acme");
    switch (row.place) {
        case Place::public_subscriber:
        case Place::public_admin:
            c.group_type = GroupType::public_;
            break;
        case Place::chat_participant:
            c.kind = core::ConversationKind::chat;
            c.owner = core::Owner::private_owner();
            break;
        case Place::private_group_member:
            c.owner = core::Owner::private_owner();
            break;
        default:
            break;
    }
    CardFacts f;
    f.conversation = conversation_facts(c);
    f.conversation.policies = effective_policies(c, {});
    switch (row.place) {
        case Place::flat_admin:
        case Place::public_admin:
            f.conversation.membership = MemberRole::admin;
            break;
        case Place::hierarchical_member:
            f.conversation.membership = MemberRole::member;
            f.conversation.has_child_groups = true;
            break;
        case Place::inherited_member:
            f.conversation.membership = MemberRole::member;
            f.conversation.inherited_membership = true;
            f.conversation.has_child_groups = true;
            break;
        case Place::non_member:
        case Place::org_admin_non_member:
            break;
        default:
            f.conversation.membership = MemberRole::member;
    }
    f.actor_is_creator = row.creator;
    f.type = row.type;
    f.state = row.state;
    f.results_visibility = row.visibility;
    f.actor_is_assignee = row.assignee;
    return f;
}

const Row kRows[] = {
    // create: where text goes, and in hierarchical parents where text does not.
    {"flat member creates", Place::flat_member, CardAction::create},
    {"hierarchical member creates (text is refused there)", Place::hierarchical_member,
     CardAction::create},
    {"inherited member cannot post up the tree", Place::inherited_member, CardAction::create, false,
     CardType::poll, CardState::active, ResultsVisibility::all, false,
     "inherited_member_cannot_send"},
    {"public subscriber cannot create", Place::public_subscriber, CardAction::create, false,
     CardType::poll, CardState::active, ResultsVisibility::all, false,
     "public_group_cards_admins_only"},
    {"public admin creates", Place::public_admin, CardAction::create},
    {"chat participant creates", Place::chat_participant, CardAction::create},
    {"private group member creates", Place::private_group_member, CardAction::create},
    {"non-member cannot create", Place::non_member, CardAction::create, false, CardType::poll,
     CardState::active, ResultsVisibility::all, false, "conversation_not_found"},
    {"org admin outside the group cannot create", Place::org_admin_non_member, CardAction::create,
     false, CardType::poll, CardState::active, ResultsVisibility::all, false,
     "conversation_not_found"},

    // respond: every reader, cards flowing down included; not once closed or expired.
    {"flat member responds", Place::flat_member, CardAction::respond},
    {"inherited member responds (cards flow down)", Place::inherited_member, CardAction::respond},
    {"public subscriber responds", Place::public_subscriber, CardAction::respond},
    {"chat participant responds", Place::chat_participant, CardAction::respond},
    {"non-member cannot respond", Place::non_member, CardAction::respond, false, CardType::poll,
     CardState::active, ResultsVisibility::all, false, "card_not_found"},
    {"closed card refuses responses", Place::flat_member, CardAction::respond, false,
     CardType::poll, CardState::closed, ResultsVisibility::all, false, "card_closed"},
    {"expired card refuses responses", Place::flat_member, CardAction::respond, false,
     CardType::survey, CardState::expired, ResultsVisibility::all, false, "card_expired"},
    {"job: assignee marks done", Place::flat_member, CardAction::respond, false, CardType::job,
     CardState::active, ResultsVisibility::sender, true},
    {"job: non-assignee cannot", Place::flat_member, CardAction::respond, false, CardType::job,
     CardState::active, ResultsVisibility::sender, false, "not_an_assignee"},

    // view_results: the creator and admins always; others when visible to all, never a
    // public group's subscribers.
    {"member sees results visible to all", Place::flat_member, CardAction::view_results},
    {"member cannot see sender-only results", Place::flat_member, CardAction::view_results, false,
     CardType::poll, CardState::active, ResultsVisibility::sender, false, "card_results_hidden"},
    {"creator sees sender-only results", Place::flat_member, CardAction::view_results, true,
     CardType::poll, CardState::active, ResultsVisibility::sender},
    {"group admin sees sender-only results", Place::flat_admin, CardAction::view_results, false,
     CardType::poll, CardState::active, ResultsVisibility::sender},
    {"public subscriber never sees results", Place::public_subscriber, CardAction::view_results,
     false, CardType::poll, CardState::active, ResultsVisibility::all, false,
     "card_results_hidden"},
    {"public admin sees results", Place::public_admin, CardAction::view_results},
    {"results stay readable once closed", Place::flat_member, CardAction::view_results, false,
     CardType::poll, CardState::closed},
    {"inherited member sees results visible to all", Place::inherited_member,
     CardAction::view_results},

    // export_results: creator and admins.
    {"creator exports", Place::flat_member, CardAction::export_results, true},
    {"group admin exports", Place::flat_admin, CardAction::export_results},
    {"member cannot export", Place::flat_member, CardAction::export_results, false, CardType::poll,
     CardState::active, ResultsVisibility::all, false, "card_creator_required"},

    // remind: the creator, while active.
    {"creator reminds", Place::flat_member, CardAction::remind, true},
    {"admin cannot remind for the creator", Place::flat_admin, CardAction::remind, false,
     CardType::poll, CardState::active, ResultsVisibility::all, false, "card_creator_required"},
    {"no reminders once closed", Place::flat_member, CardAction::remind, true, CardType::poll,
     CardState::closed, ResultsVisibility::all, false, "card_closed"},

    // close: the creator, group admins, organization admins.
    {"creator closes", Place::flat_member, CardAction::close, true},
    {"group admin closes", Place::flat_admin, CardAction::close},
    {"member cannot close", Place::flat_member, CardAction::close, false, CardType::poll,
     CardState::active, ResultsVisibility::all, false, "card_creator_required"},
    {"closing twice", Place::flat_member, CardAction::close, true, CardType::poll,
     CardState::closed, ResultsVisibility::all, false, "card_closed"},
    {"chat participant cannot close the other's card", Place::chat_participant, CardAction::close,
     false, CardType::poll, CardState::active, ResultsVisibility::all, false,
     "card_creator_required"},

    // edit (checklist items): the creator.
    {"creator adds items", Place::flat_member, CardAction::edit, true, CardType::checklist},
    {"member cannot add items", Place::flat_member, CardAction::edit, false, CardType::checklist,
     CardState::active, ResultsVisibility::all, false, "card_creator_required"},
};

TEST(CardMatrix, EveryRow) {
    for (const auto& row : kRows) {
        auto decision = check(actor_for(row.place), row.action, facts_for(row));
        std::string got = decision ? "" : decision.error().code;
        EXPECT_EQ(got, row.expected) << row.name << " (" << to_string(row.action) << ")";
    }
}

TEST(CardMatrix, OrganizationAdminMembersManageEveryCardOfTheirGroups) {
    Row row{"org admin member closes", Place::flat_member, CardAction::close};
    Actor admin{"usr_actor", OrgRole::admin, true};
    EXPECT_TRUE(check(admin, CardAction::close, facts_for(row)));
    EXPECT_TRUE(check(admin, CardAction::export_results, facts_for(row)));
}

}  // namespace
}  // namespace parley::authz
