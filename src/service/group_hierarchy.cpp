// Hierarchical organization groups (issue 4, Kaizala's "Hierarchial" group type): linking a
// group under a parent, taking it out, and viewing the tree. Who may is decided by
// authz::HierarchyAction; the tree's own rules (one parent, no cycles) and the inherited
// memberships that carry a parent's messages down to every descendant are kept by the store,
// inside the same transaction as the link.

#include "crypto/random.hpp"
#include "service/conversation_service.hpp"

namespace parley::service {
namespace {

// A group's facts; a missing one is named as a group.
Result<ConversationAccess> load_group(Access& access, const Caller& caller, const core::Id& id) {
    auto loaded = access.load(caller, id);
    if (!loaded && loaded.error().code == "conversation_not_found") {
        return fail(ErrorKind::not_found, "group_not_found",
                    "No such group, or you are not a member of it.");
    }
    return loaded;
}

// The link decision needs both groups' facts, with the actor as the parent's organization
// sees them.
authz::LinkFacts link_facts(const ConversationAccess& parent, const ConversationAccess& child) {
    return authz::LinkFacts{parent.facts, child.facts};
}

// Both groups' JSON changed (parent, child count); their members' lists change through the
// store's inherited-membership events.
void announce_hierarchy_change(EventSink& events, const ConversationAccess& parent,
                               const ConversationAccess& child) {
    for (const auto* g : {&child, &parent}) {
        events.publish(Event{"conversation.updated",
                             g->conversation.id,
                             0,
                             std::nullopt,
                             {},
                             g->conversation.owner.organization_id});
    }
}

}  // namespace

Result<GroupLinkChange> ConversationService::link_parent(const Caller& caller,
                                                         const core::Id& child_id,
                                                         const core::Id& parent_id) {
    PARLEY_TRY_ASSIGN(auto child, load_group(access_, caller, child_id));
    PARLEY_TRY_ASSIGN(auto parent, load_group(access_, caller, parent_id));
    PARLEY_TRY_VOID(
        authz::check(parent.actor, authz::HierarchyAction::link, link_facts(parent, child)));
    if (child.links.parent_id == parent_id) return GroupLinkChange{child_id, parent_id, false};

    const std::string who = display_name(caller.user);
    store::GroupLinkWrite link{child_id, parent_id, {}};
    link.announcements.push_back(system_message(
        child.conversation, who + " made this group a child group of " + parent.conversation.name +
                                ": messages posted there now reach "
                                "this group's members too."));
    link.announcements.push_back(
        system_message(parent.conversation,
                       who + " added " + child.conversation.name +
                           " as a child group: its members now receive this group's messages."));
    PARLEY_TRY_ASSIGN(bool changed, store_.link_group(link, clock_.now_ms()));
    if (changed) announce_hierarchy_change(events_, parent, child);
    return GroupLinkChange{child_id, parent_id, changed};
}

Result<GroupLinkChange> ConversationService::unlink_parent(const Caller& caller,
                                                           const core::Id& child_id) {
    PARLEY_TRY_ASSIGN(auto child, load_group(access_, caller, child_id));
    if (!child.links.parent_id) {
        // Only people who may see the group learn whether it has a parent.
        PARLEY_TRY_VOID(Access::check(child, authz::ConversationAction::view_info));
        return fail(ErrorKind::not_found, "not_linked", "This group has no parent group.");
    }
    const core::Id parent_id = *child.links.parent_id;
    PARLEY_TRY_ASSIGN(auto parent, load_group(access_, caller, parent_id));
    PARLEY_TRY_VOID(
        authz::check(parent.actor, authz::HierarchyAction::unlink, link_facts(parent, child)));

    const std::string who = display_name(caller.user);
    std::vector<core::Message> announcements{
        system_message(child.conversation, who + " took this group out of " +
                                               parent.conversation.name + "'s hierarchy."),
        system_message(parent.conversation,
                       who + " removed the child group " + child.conversation.name + ".")};
    PARLEY_TRY_ASSIGN(bool changed, store_.unlink_group(child_id, announcements));
    if (changed) announce_hierarchy_change(events_, parent, child);
    return GroupLinkChange{child_id, parent_id, changed};
}

Result<store::GroupHierarchy> ConversationService::hierarchy(const Caller& caller,
                                                             const core::Id& group_id) {
    PARLEY_TRY_VOID(
        access_.conversation(caller, group_id, authz::ConversationAction::view_hierarchy));
    return store_.group_hierarchy(group_id);
}

}  // namespace parley::service
