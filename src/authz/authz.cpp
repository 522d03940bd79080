#include "authz/authz.hpp"

namespace parley::authz {
namespace {

using core::ConversationKind;
using core::MemberRole;
using core::OrgRole;

std::unexpected<Error> forbidden(std::string code, std::string message) {
    return fail(ErrorKind::forbidden, std::move(code), std::move(message));
}

std::unexpected<Error> hidden_conversation() {
    return fail(ErrorKind::not_found, "conversation_not_found",
                "No such conversation, or you are not a member of it.");
}

bool in_directory(const Actor& a) { return a.org_role != OrgRole::none; }
bool is_org_admin(const Actor& a) { return a.org_role == OrgRole::admin; }

// Organization conversations admit their members only while the organization's rules let
// them in: Parley enabled, and a work-account sign-in where one is required (always for
// organization chats, for groups when the tenant policy or the group's override says so).
Result<void> check_org_access(const Actor& actor, const ConversationFacts& f) {
    if (!f.owner.is_organization()) return ok();
    if (!f.org_policies.parley_enabled) {
        return forbidden("organization_disabled",
                         "Parley is disabled for the organization that owns this conversation.");
    }
    bool needs_work_account = f.kind == ConversationKind::chat || f.policies.require_work_account;
    if (needs_work_account && !actor.work_account_linked) {
        return forbidden("work_account_required",
                         "Sign in to the owning organization's work account to use this "
                         "conversation (POST /api/v1/me/work-account).");
    }
    return ok();
}

// Managing a group: its own admins, or (for organization groups) the owning organization's
// admins, who may manage every organization group without being in it (seed 004).
Result<void> check_group_management(const Actor& actor, const ConversationFacts& f) {
    bool is_group = f.kind == ConversationKind::group;
    // Organization admins manage every group of theirs, also while Parley is disabled.
    if (is_group && f.owner.is_organization() && is_org_admin(actor)) return ok();
    if (!f.membership) return hidden_conversation();
    if (!is_group) {
        return fail(ErrorKind::conflict, "not_a_group", "A 1:1 chat has no members to manage.");
    }
    PARLEY_TRY_VOID(check_org_access(actor, f));
    if (*f.membership != MemberRole::admin) {
        return forbidden("group_admin_required", "Only the group's admins can do this.");
    }
    return ok();
}

// Managing what only organization groups have (exports, reports): private groups are their
// members' own, and the organization has no say over them.
Result<void> check_organization_group_management(const Actor& actor, const ConversationFacts& f,
                                                 std::string_view what) {
    if (f.kind == ConversationKind::group && !f.owner.is_organization()) {
        if (!f.membership) return hidden_conversation();
        return fail(ErrorKind::conflict, "not_organization_group",
                    "Only organization groups " + std::string(what) +
                        "; add the group to an organization first.");
    }
    return check_group_management(actor, f);
}

Result<void> check_member_use(const Actor& actor, const ConversationFacts& f) {
    if (!f.membership) return hidden_conversation();
    return check_org_access(actor, f);
}

// The organization's policies in force, or nullptr for a private conversation: organizations
// have no say over those (seed 000, "Organization admins can't control private chats and
// groups").
const core::ConversationPolicies* org_rules(const ConversationFacts& f) {
    return f.owner.is_organization() ? &f.policies : nullptr;
}

// A policy that is off everywhere except private conversations.
bool disallowed(const ConversationFacts& f, bool core::ConversationPolicies::*allowed) {
    const auto* rules = org_rules(f);
    return rules && !(rules->*allowed);
}

// A managed public group admits only the people its admins (or an import) add: links neither
// made nor redeemed.
bool managed_public(const ConversationFacts& f) {
    return f.kind == ConversationKind::group && f.group_type == core::GroupType::public_ &&
           f.managed;
}

std::unexpected<Error> managed_group_refuses_links() {
    return forbidden("managed_public_group",
                     "This is a managed public group: only people its admins add can join, so it "
                     "has no invite links. Ask a group admin to add you.");
}

Result<void> check_join_by_invite(const Actor& actor, const ConversationFacts& f) {
    if (f.kind == ConversationKind::chat) {
        return fail(ErrorKind::conflict, "not_a_group", "A 1:1 chat has no invite links.");
    }
    if (managed_public(f)) return managed_group_refuses_links();
    // Before the sign-in gate: a dead link is dead for everyone, and asking for a work-account
    // sign-in first would send people on a useless errand.
    if (disallowed(f, &core::ConversationPolicies::invite_links)) {
        return forbidden("invite_links_disabled",
                         "The organization that owns this group has turned invite links off; ask "
                         "a group admin to add you.");
    }
    return check_org_access(actor, f);
}

Result<void> check_set_policies(const Actor& actor, const ConversationFacts& f) {
    bool is_group = f.kind == ConversationKind::group;
    if (is_group && f.owner.is_organization() && is_org_admin(actor)) return ok();
    if (!f.membership) return hidden_conversation();
    if (!is_group) {
        return fail(ErrorKind::conflict, "not_a_group",
                    "A 1:1 chat has no policies of its own; an organization chat follows its "
                    "organization's tenant policies.");
    }
    if (!f.owner.is_organization()) {
        return fail(ErrorKind::conflict, "not_organization_group",
                    "Private groups are not subject to organization policies; add the group to "
                    "an organization first.");
    }
    PARLEY_TRY_VOID(check_org_access(actor, f));
    if (*f.membership != MemberRole::admin) {
        return forbidden("group_admin_required", "Only the group's admins can do this.");
    }
    if (!f.org_policies.group_admins_set_policies) {
        return forbidden("group_policies_locked",
                         "The organization lets only its admins set group policies; ask an "
                         "organization admin.");
    }
    if (f.change_loosens_tenant) {
        return forbidden("looser_than_tenant",
                         "Group admins can only make a group stricter than the organization's "
                         "tenant policies; ask an organization admin to relax them.");
    }
    return ok();
}

// Hierarchical groups (Kaizala's "Hierarchial" type): a message posted in a parent reaches every
// descendant, so its members may not chat there in plain text; they post announcements (cards,
// when they exist). Its admins and the organization's admins may post text, which is how an
// announcement goes down the tree until cards exist. Child groups cannot post to their parents:
// inherited members only read.
Result<void> check_send(const Actor& actor, const ConversationFacts& f) {
    PARLEY_TRY_VOID(check_member_use(actor, f));
    if (f.inherited_membership) {
        return forbidden("inherited_member_cannot_send",
                         "You receive this group's messages through one of its child groups; "
                         "child groups cannot post to their parent groups. Post in your own "
                         "group instead.");
    }
    if (f.has_child_groups && f.membership != MemberRole::admin && !is_org_admin(actor)) {
        return forbidden("parent_group_text_refused",
                         "This group has child groups, so what is posted here reaches all of "
                         "them: members cannot send text messages here. Post an announcement "
                         "or card instead, or ask a group admin to post it.");
    }
    return ok();
}

// A direct admin of the group, allowed in by the organization's rules.
bool is_direct_group_admin(const Actor& actor, const ConversationFacts& f) {
    return f.membership == MemberRole::admin && !f.inherited_membership &&
           check_org_access(actor, f).has_value();
}

}  // namespace

ConversationFacts conversation_facts(const core::Conversation& conversation) {
    ConversationFacts f;
    f.kind = conversation.kind;
    f.owner = conversation.owner;
    f.group_type = conversation.group_type;
    f.managed = conversation.managed;
    return f;
}

bool may_fetch_attachment(const AttachmentFacts& f) {
    if (!f.reads_conversation) return false;
    // An answer is the responder's, and shown with the responses to whoever sees those.
    if (f.answers_card) return f.actor_is_uploader || f.responses_visible;
    return f.sent ? f.message_visible : f.actor_is_uploader;
}

bool is_subscriber(const ConversationFacts& f) {
    return f.kind == ConversationKind::group && f.group_type == core::GroupType::public_ &&
           f.membership == MemberRole::member;
}

std::optional<core::Id> private_to(const ConversationFacts& f, const core::Id& member,
                                   const std::optional<core::Id>& thread) {
    if (is_subscriber(f)) return member;
    // Only public groups have private threads; elsewhere a stale or foreign value means nothing.
    if (f.kind != ConversationKind::group || f.group_type != core::GroupType::public_) {
        return std::nullopt;
    }
    return thread;
}

core::ConversationPolicies effective_policies(const core::Conversation& conversation,
                                              const core::OrganizationPolicies& org_policies) {
    if (!conversation.owner.is_organization()) return {};
    core::ConversationPolicies tenant = tenant_group_policies(org_policies);
    if (conversation.kind == ConversationKind::chat) {
        tenant.require_work_account = true;
        return tenant;
    }
    return core::apply(tenant, conversation.policy_overrides);
}

core::ConversationPolicies tenant_group_policies(const core::OrganizationPolicies& org_policies) {
    core::ConversationPolicies tenant = org_policies.conversations;
    tenant.require_work_account = org_policies.groups_require_work_account;
    return tenant;
}

bool loosens(const core::ConversationPolicies& tenant, const core::PolicyOverrides& overrides) {
    // For each policy, the value that restricts less; an override to it, where the tenant
    // restricts, loosens.
    auto lifts = [](const std::optional<bool>& value, bool tenant_value, bool permissive) {
        return value && *value == permissive && tenant_value != permissive;
    };
    return lifts(overrides.restrict_copy, tenant.restrict_copy, false) ||
           lifts(overrides.restrict_share, tenant.restrict_share, false) ||
           lifts(overrides.restrict_forward, tenant.restrict_forward, false) ||
           lifts(overrides.new_members_see_history, tenant.new_members_see_history, true) ||
           lifts(overrides.delete_for_everyone, tenant.delete_for_everyone, true) ||
           lifts(overrides.invite_links, tenant.invite_links, true) ||
           lifts(overrides.require_work_account, tenant.require_work_account, false);
}

Result<void> check(const Actor& actor, OrgAction action, const OrgFacts& org) {
    if (!in_directory(actor)) {
        return fail(ErrorKind::not_found, "organization_not_found",
                    "No such organization, or you are not in its directory.");
    }
    bool admin = is_org_admin(actor);
    // Admins keep the portal while the product is disabled, so they can turn it back on.
    if (!org.policies.parley_enabled && !admin) {
        return forbidden("organization_disabled", "Parley is disabled for this organization.");
    }
    switch (action) {
        case OrgAction::view_organization:
            return ok();
        case OrgAction::view_directory:
            if (admin || actor.work_account_linked) return ok();
            return forbidden("work_account_required",
                             "Sign in to this organization's work account to search its "
                             "directory.");
        case OrgAction::start_organization_chat:
            if (!org.policies.parley_enabled) {
                return forbidden("organization_disabled",
                                 "Parley is disabled for this organization.");
            }
            if (actor.work_account_linked) return ok();
            return forbidden("work_account_required",
                             "Organization chats need you signed in to the organization's work "
                             "account.");
        case OrgAction::manage_organization:
        case OrgAction::manage_directory:
        case OrgAction::create_organization_group:
        case OrgAction::view_all_groups:
        case OrgAction::manage_attributes:
        case OrgAction::restore_people:
        case OrgAction::run_imports:
        case OrgAction::view_imports:
        case OrgAction::export_people:
        case OrgAction::view_exports:
        case OrgAction::create_public_group:
        case OrgAction::view_reports:
            if (admin) return ok();
            return forbidden("org_admin_required", "Only the organization's admins can do this.");
    }
    return forbidden("unknown_action", "Unknown action.");
}

Result<void> check(const Actor& actor, PersonAction action, const PersonFacts& f) {
    if (!in_directory(actor)) {
        return fail(ErrorKind::not_found, "organization_not_found",
                    "No such organization, or you are not in its directory.");
    }
    const bool admin = is_org_admin(actor);
    if (!f.policies.parley_enabled && !admin) {
        return forbidden("organization_disabled", "Parley is disabled for this organization.");
    }
    // Everyone sees their own entry whole; others need what searching the directory needs.
    const bool may_view_others = admin || actor.work_account_linked;
    switch (action) {
        case PersonAction::view:
            if (f.subject_is_actor || may_view_others) return ok();
            return forbidden("work_account_required",
                             "Sign in to this organization's work account to see its directory.");
        case PersonAction::view_groups:
            // Group membership is the admins' business (seed 004) and one's own.
            if (admin || f.subject_is_actor) return ok();
            return forbidden("org_admin_required",
                             "Only the organization's admins see other people's groups.");
        case PersonAction::edit:
            if (admin) return ok();
            return forbidden("org_admin_required", "Only the organization's admins can do this.");
        case PersonAction::view_attribute:
            if (admin || f.subject_is_actor) return ok();
            if (!f.attribute_visible_to_members) {
                return forbidden("attribute_hidden",
                                 "This attribute is shown to the organization's admins only.");
            }
            if (may_view_others) return ok();
            return forbidden("work_account_required",
                             "Sign in to this organization's work account to see its directory.");
        case PersonAction::edit_attribute:
            if (admin) return ok();
            if (f.subject_is_actor && f.attribute_self_editable) return ok();
            return forbidden("attribute_not_editable",
                             f.subject_is_actor
                                 ? "Only the organization's admins can change this attribute."
                                 : "Only the organization's admins can change other people's "
                                   "attributes.");
    }
    return forbidden("unknown_action", "Unknown action.");
}

Result<void> check(const Actor& actor, ConversationAction action, const ConversationFacts& f) {
    switch (action) {
        case ConversationAction::view_info:
            if (!f.membership && f.kind == ConversationKind::group && f.owner.is_organization() &&
                is_org_admin(actor)) {
                return ok();  // the portal lists every organization group (seed 004)
            }
            return check_member_use(actor, f);

        case ConversationAction::read_messages:
        case ConversationAction::mark_read:
            return check_member_use(actor, f);

        case ConversationAction::send_message:
            return check_send(actor, f);

        case ConversationAction::view_hierarchy:
            if (!f.membership && f.kind == ConversationKind::group && f.owner.is_organization() &&
                is_org_admin(actor)) {
                return ok();  // the portal shows every organization group's place (seed 004)
            }
            if (!f.membership) return hidden_conversation();
            if (f.kind != ConversationKind::group) {
                return fail(ErrorKind::conflict, "not_a_group", "A 1:1 chat has no hierarchy.");
            }
            return check_member_use(actor, f);

        case ConversationAction::edit_message:
            PARLEY_TRY_VOID(check_member_use(actor, f));
            if (f.actor_is_author) return ok();
            return forbidden("not_author", "Only the sender can edit a message.");

        case ConversationAction::delete_message:
            PARLEY_TRY_VOID(check_member_use(actor, f));
            // The policy exists for retention: it binds admins as much as authors.
            if (disallowed(f, &core::ConversationPolicies::delete_for_everyone)) {
                return forbidden("delete_for_everyone_disabled",
                                 "The organization that owns this conversation does not allow "
                                 "deleting messages for everyone.");
            }
            if (f.actor_is_author) return ok();
            if (f.kind == ConversationKind::group &&
                (f.membership == MemberRole::admin ||
                 (f.owner.is_organization() && is_org_admin(actor)))) {
                return ok();
            }
            return forbidden("not_author",
                             "Only the sender or a group admin can delete this message.");

        case ConversationAction::leave:
            // Deliberately free of organization checks: people can always leave a group they
            // can no longer use.
            if (!f.membership) return hidden_conversation();
            if (f.kind == ConversationKind::chat) {
                return fail(ErrorKind::conflict, "not_a_group", "You cannot leave a 1:1 chat.");
            }
            if (f.inherited_membership) {
                return fail(ErrorKind::conflict, "inherited_membership",
                            "You are in this group through one of its child groups; leave that "
                            "group instead.");
            }
            return ok();

        case ConversationAction::add_member:
        case ConversationAction::remove_member:
        case ConversationAction::set_member_role:
        case ConversationAction::rename:
        case ConversationAction::manage_invites:
            return check_group_management(actor, f);

        case ConversationAction::create_invite:
            PARLEY_TRY_VOID(check_group_management(actor, f));
            if (managed_public(f)) return managed_group_refuses_links();
            // Organization admins included: they can turn the policy back on instead.
            if (disallowed(f, &core::ConversationPolicies::invite_links)) {
                return forbidden("invite_links_disabled",
                                 "Invite links are turned off for this group by its "
                                 "organization's policies; add people as members instead.");
            }
            return ok();

        case ConversationAction::join_by_invite:
            return check_join_by_invite(actor, f);

        case ConversationAction::forward_from:
            PARLEY_TRY_VOID(check_member_use(actor, f));
            if (org_rules(f) && f.policies.restrict_forward) {
                return forbidden("forward_restricted",
                                 "The organization that owns this conversation does not allow "
                                 "forwarding its messages.");
            }
            return ok();

        case ConversationAction::read_earlier_history:
            PARLEY_TRY_VOID(check_member_use(actor, f));
            if (disallowed(f, &core::ConversationPolicies::new_members_see_history)) {
                return forbidden("history_hidden",
                                 "New members of this conversation see messages from when they "
                                 "joined on.");
            }
            return ok();

        case ConversationAction::set_policies:
            return check_set_policies(actor, f);

        case ConversationAction::export_members:
            return check_organization_group_management(actor, f, "are exported");
        case ConversationAction::view_report:
            return check_organization_group_management(actor, f, "have reports");
        case ConversationAction::view_all_members:
            PARLEY_TRY_VOID(check(actor, ConversationAction::view_info, f));
            // Organization admins see every group's members in the portal (seed 004), also
            // where they are subscribers themselves.
            if (is_subscriber(f) && !(f.owner.is_organization() && is_org_admin(actor))) {
                return forbidden("subscribers_hidden",
                                 "Subscribers of a public group see its admins, not each other.");
            }
            return ok();

        case ConversationAction::read_subscriber_messages:
            PARLEY_TRY_VOID(check_member_use(actor, f));
            if (is_subscriber(f)) {
                return forbidden("subscriber_messages_hidden",
                                 "In a public group, only the admins read what subscribers "
                                 "send; you see the admins' messages and your own.");
            }
            return ok();

        case ConversationAction::add_to_organization:
            if (!f.membership) return hidden_conversation();
            if (f.kind == ConversationKind::chat) {
                return fail(ErrorKind::conflict, "chat_cannot_join_organization",
                            "A private chat can never become an organization chat.");
            }
            if (*f.membership != MemberRole::admin) {
                return forbidden("group_admin_required",
                                 "Only the group's admins can add it to an organization.");
            }
            if (f.owner.is_organization()) {
                return fail(ErrorKind::conflict, "already_owned",
                            "This group is already owned by an organization.");
            }
            if (!in_directory(actor) || !actor.work_account_linked) {
                return forbidden("work_account_required",
                                 "Sign in to the organization's work account first "
                                 "(POST /api/v1/me/work-account), then add the group.");
            }
            if (!f.org_policies.parley_enabled) {
                return forbidden("organization_disabled",
                                 "Parley is disabled for that organization.");
            }
            return ok();
    }
    return forbidden("unknown_action", "Unknown action.");
}

// Both groups must be organization groups of one organization.
Result<void> check_linkable(const LinkFacts& f) {
    for (const auto* g : {&f.parent, &f.child}) {
        if (g->kind != ConversationKind::group) {
            return fail(ErrorKind::conflict, "not_a_group", "A 1:1 chat has no hierarchy.");
        }
        if (!g->owner.is_organization()) {
            return fail(ErrorKind::conflict, "not_organization_group",
                        "Private groups are never part of a hierarchy; add the group to an "
                        "organization first.");
        }
        // A public group's subscribers must not see each other; in a tree, a parent's
        // messages would reach them as one audience and a child's members would meet them.
        if (g->group_type == core::GroupType::public_) {
            return fail(ErrorKind::conflict, "public_group_not_linkable",
                        "Public groups are never part of a hierarchy; link flat groups only.");
        }
    }
    if (f.parent.owner != f.child.owner) {
        return fail(ErrorKind::conflict, "different_organization",
                    "Both groups must belong to the same organization.");
    }
    return ok();
}

// Linking binds both groups (the parent's messages start reaching the child's members), so a
// group admin needs to be admin of both; taking a child out undoes that, which either side's
// admins may do. Organization admins may do both for any of their groups.
Result<void> check(const Actor& actor, HierarchyAction action, const LinkFacts& f) {
    const bool org_admin = is_org_admin(actor) && f.parent.owner.is_organization();
    if (!org_admin && !f.parent.membership && !f.child.membership) return hidden_conversation();
    PARLEY_TRY_VOID(check_linkable(f));
    if (org_admin) return ok();
    const bool parent_admin = is_direct_group_admin(actor, f.parent);
    const bool child_admin = is_direct_group_admin(actor, f.child);
    switch (action) {
        case HierarchyAction::link:
            if (parent_admin && child_admin) return ok();
            return forbidden("group_admin_required",
                             "Linking a child group needs an admin of both groups, or an "
                             "organization admin.");
        case HierarchyAction::unlink:
            if (parent_admin || child_admin) return ok();
            return forbidden("group_admin_required",
                             "Only an admin of the parent or of the child group, or an "
                             "organization admin, can unlink them.");
    }
    return forbidden("unknown_action", "Unknown action.");
}

namespace {

std::unexpected<Error> card_not_active(core::CardState state) {
    if (state == core::CardState::expired) {
        return fail(ErrorKind::conflict, "card_expired",
                    "This card is past its due time and takes no more responses.");
    }
    return fail(ErrorKind::conflict, "card_closed", "This card is closed.");
}

// Admins of the card's group: its direct admins, and the owning organization's admins.
bool manages_card_group(const Actor& actor, const ConversationFacts& f) {
    if (f.kind != ConversationKind::group) return false;
    if (f.owner.is_organization() && is_org_admin(actor)) return true;
    return f.membership == MemberRole::admin && !f.inherited_membership;
}

// Cards go where text cannot: a hierarchical group's members post them (Kaizala: "members in
// parent group can only send an Announcement card"), and they flow down to the descendants'
// members, who respond but, like for text, never post to a parent. A public group's cards are
// its admins' broadcasts: a subscriber's card would be private to them and ask only the admins.
Result<void> check_create_card(const Actor& actor, const ConversationFacts& f) {
    PARLEY_TRY_VOID(check_member_use(actor, f));
    if (f.inherited_membership) {
        return forbidden("inherited_member_cannot_send",
                         "You receive this group's messages through one of its child groups; "
                         "child groups cannot post to their parent groups. Post the card in "
                         "your own group instead.");
    }
    if (is_subscriber(f)) {
        return forbidden("public_group_cards_admins_only",
                         "In a public group only the admins post cards; subscribers respond.");
    }
    return ok();
}

}  // namespace

Result<void> check(const Actor& actor, CardAction action, const CardFacts& c) {
    const ConversationFacts& f = c.conversation;
    if (action == CardAction::create) return check_create_card(actor, f);
    // Everything else needs the card to be readable: a member (inherited ones included)
    // whom the organization's rules let in. Others may not know the card exists.
    if (!f.membership) {
        return fail(ErrorKind::not_found, "card_not_found",
                    "No such card, or you are not a member of its conversation.");
    }
    PARLEY_TRY_VOID(check_org_access(actor, f));
    const bool admin = manages_card_group(actor, f) && check_org_access(actor, f).has_value();
    switch (action) {
        case CardAction::create:
            break;
        case CardAction::respond:
            if (c.state != core::CardState::active) return card_not_active(c.state);
            if (c.type == core::CardType::job && !c.actor_is_assignee) {
                return forbidden("not_an_assignee", "Only the job's assignees can mark it done.");
            }
            return ok();
        case CardAction::view_results:
            if (c.actor_is_creator || admin) return ok();
            // Subscribers never see each other, so never each other's answers.
            if (is_subscriber(f)) {
                return forbidden("card_results_hidden",
                                 "In a public group only the admins see a card's responses.");
            }
            if (c.results_visibility == core::ResultsVisibility::sender) {
                return forbidden("card_results_hidden",
                                 "The sender of this card keeps its results to themselves.");
            }
            return ok();
        case CardAction::export_results:
            if (c.actor_is_creator || admin) return ok();
            return forbidden("card_creator_required",
                             "Only the card's sender and the group's admins export its results.");
        case CardAction::remind:
            if (!c.actor_is_creator) {
                return forbidden("card_creator_required",
                                 "Only the card's sender sends reminders.");
            }
            if (c.state != core::CardState::active) return card_not_active(c.state);
            return ok();
        case CardAction::close:
            if (!c.actor_is_creator && !admin) {
                return forbidden("card_creator_required",
                                 "Only the card's sender or the group's admins close it.");
            }
            if (c.state != core::CardState::active) return card_not_active(c.state);
            return ok();
        case CardAction::edit:
            if (!c.actor_is_creator) {
                return forbidden("card_creator_required", "Only the card's sender changes it.");
            }
            if (c.state != core::CardState::active) return card_not_active(c.state);
            return ok();
    }
    return forbidden("unknown_action", "Unknown action.");
}

const char* to_string(CardAction action) {
    switch (action) {
        case CardAction::create:
            return "create";
        case CardAction::respond:
            return "respond";
        case CardAction::view_results:
            return "view_results";
        case CardAction::export_results:
            return "export_results";
        case CardAction::remind:
            return "remind";
        case CardAction::close:
            return "close";
        case CardAction::edit:
            return "edit";
    }
    return "unknown";
}

// The conversation decides first (a non-member learns nothing of the message's state), then
// the message: a deleted one before a system one, since a deleted message's kind is moot.
Result<void> check(const Actor& actor, MessageAction action, const MessageFacts& f) {
    switch (action) {
        case MessageAction::like:
            PARLEY_TRY_VOID(check(actor, ConversationAction::read_messages, f.conversation));
            break;
        case MessageAction::comment:
            // A comment is text posted to the conversation: in a parent group it reaches every
            // child group like any other text, so the send rules hold for it unchanged.
            PARLEY_TRY_VOID(check(actor, ConversationAction::send_message, f.conversation));
            break;
        case MessageAction::view_all_likers:
            PARLEY_TRY_VOID(check(actor, ConversationAction::read_messages, f.conversation));
            // The people who like a message are people of the conversation: whoever may not see
            // every member may not see every liker.
            return check(actor, ConversationAction::view_all_members, f.conversation);
    }
    if (f.deleted) {
        return fail(ErrorKind::conflict, "message_deleted",
                    "This message was deleted; it takes no more likes or comments.");
    }
    if (f.system) {
        return fail(ErrorKind::conflict, "not_reactable",
                    "System messages cannot be liked or commented on.");
    }
    return ok();
}

const char* to_string(MessageAction action) {
    switch (action) {
        case MessageAction::like:
            return "like";
        case MessageAction::comment:
            return "comment";
        case MessageAction::view_all_likers:
            return "view_all_likers";
    }
    return "unknown";
}

const char* to_string(HierarchyAction action) {
    return action == HierarchyAction::link ? "link" : "unlink";
}

const char* to_string(OrgAction action) {
    switch (action) {
        case OrgAction::view_organization:
            return "view_organization";
        case OrgAction::manage_organization:
            return "manage_organization";
        case OrgAction::view_directory:
            return "view_directory";
        case OrgAction::manage_directory:
            return "manage_directory";
        case OrgAction::create_organization_group:
            return "create_organization_group";
        case OrgAction::view_all_groups:
            return "view_all_groups";
        case OrgAction::start_organization_chat:
            return "start_organization_chat";
        case OrgAction::manage_attributes:
            return "manage_attributes";
        case OrgAction::restore_people:
            return "restore_people";
        case OrgAction::run_imports:
            return "run_imports";
        case OrgAction::view_imports:
            return "view_imports";
        case OrgAction::export_people:
            return "export_people";
        case OrgAction::view_exports:
            return "view_exports";
        case OrgAction::view_reports:
            return "view_reports";
        case OrgAction::create_public_group:
            return "create_public_group";
    }
    return "unknown";
}

const char* to_string(PersonAction action) {
    switch (action) {
        case PersonAction::view:
            return "view";
        case PersonAction::view_groups:
            return "view_groups";
        case PersonAction::edit:
            return "edit";
        case PersonAction::view_attribute:
            return "view_attribute";
        case PersonAction::edit_attribute:
            return "edit_attribute";
    }
    return "unknown";
}

const char* to_string(ConversationAction action) {
    switch (action) {
        case ConversationAction::view_info:
            return "view_info";
        case ConversationAction::read_messages:
            return "read_messages";
        case ConversationAction::send_message:
            return "send_message";
        case ConversationAction::edit_message:
            return "edit_message";
        case ConversationAction::delete_message:
            return "delete_message";
        case ConversationAction::mark_read:
            return "mark_read";
        case ConversationAction::add_member:
            return "add_member";
        case ConversationAction::remove_member:
            return "remove_member";
        case ConversationAction::set_member_role:
            return "set_member_role";
        case ConversationAction::rename:
            return "rename";
        case ConversationAction::manage_invites:
            return "manage_invites";
        case ConversationAction::leave:
            return "leave";
        case ConversationAction::add_to_organization:
            return "add_to_organization";
        case ConversationAction::create_invite:
            return "create_invite";
        case ConversationAction::join_by_invite:
            return "join_by_invite";
        case ConversationAction::forward_from:
            return "forward_from";
        case ConversationAction::read_earlier_history:
            return "read_earlier_history";
        case ConversationAction::set_policies:
            return "set_policies";
        case ConversationAction::export_members:
            return "export_members";
        case ConversationAction::view_hierarchy:
            return "view_hierarchy";
        case ConversationAction::view_report:
            return "view_report";
        case ConversationAction::view_all_members:
            return "view_all_members";
        case ConversationAction::read_subscriber_messages:
            return "read_subscriber_messages";
    }
    return "unknown";
}

}  // namespace parley::authz
