#include "service/access.hpp"

#include <unordered_map>

namespace parley::service {

Result<authz::Actor> Access::actor_in(const Caller& caller, const core::Id& organization_id) {
    authz::Actor actor{caller.user.id, core::OrgRole::none, false};
    PARLEY_TRY_ASSIGN(auto person, store_.find_person(organization_id, caller.user.id));
    if (person) {
        actor.org_role = person->role;
        actor.work_account_linked = person->work_account_linked;
    }
    return actor;
}

Result<ConversationAccess> Access::conversation(const Caller& caller,
                                                const core::Id& conversation_id,
                                                authz::ConversationAction action,
                                                bool actor_is_author) {
    PARLEY_TRY_ASSIGN(auto access, load(caller, conversation_id));
    PARLEY_TRY_VOID(check(access, action, actor_is_author));
    return access;
}

Result<ConversationAccess> Access::load(const Caller& caller, const core::Id& conversation_id) {
    PARLEY_TRY_ASSIGN(auto conversation, store_.find_conversation(conversation_id));
    if (!conversation) {
        return fail(ErrorKind::not_found, "conversation_not_found",
                    "No such conversation, or you are not a member of it.");
    }
    ConversationAccess access;
    access.conversation = std::move(*conversation);
    PARLEY_TRY_ASSIGN(access.member, store_.find_member(conversation_id, caller.user.id));
    access.actor = authz::Actor{caller.user.id, core::OrgRole::none, false};
    const auto& owner = access.conversation.owner;
    if (owner.is_organization()) {
        PARLEY_TRY_ASSIGN(access.organization, store_.find_organization(owner.organization_id));
        PARLEY_TRY_ASSIGN(access.actor, actor_in(caller, owner.organization_id));
    }
    access.facts = authz::conversation_facts(access.conversation);
    if (access.member) {
        access.facts.membership = access.member->role;
        access.facts.inherited_membership = access.member->inherited();
    }
    if (owner.is_organization() && access.conversation.kind == core::ConversationKind::group) {
        PARLEY_TRY_ASSIGN(access.links, store_.find_group_links(conversation_id));
        access.facts.has_child_groups = access.links.children > 0;
    }
    if (access.organization) access.facts.org_policies = access.organization->policies;
    access.facts.policies =
        authz::effective_policies(access.conversation, access.facts.org_policies);
    return access;
}

Result<void> Access::check(const ConversationAccess& access, authz::ConversationAction action,
                           bool actor_is_author) {
    authz::ConversationFacts facts = access.facts;
    facts.actor_is_author = actor_is_author;
    return authz::check(access.actor, action, facts);
}

Result<void> Access::check(const ConversationAccess& access, authz::MessageAction action,
                           const core::Message& message) {
    return authz::check(access.actor, action,
                        authz::MessageFacts{access.facts, message.deleted_at.has_value(),
                                            message.kind == core::MessageKind::system});
}

std::int64_t Access::history_floor(const ConversationAccess& access) {
    if (!access.member) return 0;
    if (check(access, authz::ConversationAction::read_earlier_history)) return 0;
    return access.member->joined_seq;
}

ReadScope Access::read_scope(const ConversationAccess& access) {
    ReadScope scope{history_floor(access), std::nullopt};
    if (!check(access, authz::ConversationAction::read_subscriber_messages)) {
        scope.viewer = access.actor.user_id;
    }
    return scope;
}

bool ReadScope::sees(const core::Message& message) const {
    if (message.seq <= floor) return false;
    return !viewer || !message.private_to || *message.private_to == *viewer;
}

Result<Readers> Access::readers(const core::Id& conversation_id) {
    PARLEY_TRY_ASSIGN(auto conversation, store_.find_conversation(conversation_id));
    if (!conversation) {
        return fail(ErrorKind::not_found, "conversation_not_found", "No such conversation.");
    }
    Readers readers{conversation->owner, {}, {}, {}};
    authz::ConversationFacts facts = authz::conversation_facts(*conversation);
    if (facts.owner.is_organization()) {
        PARLEY_TRY_ASSIGN(auto organization, store_.find_organization(facts.owner.organization_id));
        if (organization) facts.org_policies = organization->policies;
        facts.policies = authz::effective_policies(*conversation, facts.org_policies);
    }
    PARLEY_TRY_ASSIGN(auto members, store_.list_member_access_facts(conversation_id,
                                                                    facts.owner.organization_id));
    readers.user_ids.reserve(members.size());
    std::unordered_set<core::Id> partial;  // the readers who see part of it
    for (const auto& m : members) {
        authz::Actor actor{m.user_id, m.org_role.value_or(core::OrgRole::none),
                           m.work_account_linked};
        facts.membership = m.role;
        facts.inherited_membership = m.inherited;
        if (!authz::check(actor, authz::ConversationAction::read_messages, facts)) continue;
        readers.user_ids.push_back(m.user_id);
        if (!authz::check(actor, authz::ConversationAction::read_subscriber_messages, facts)) {
            partial.insert(m.user_id);
        }
        if (m.joined_seq > 0 &&
            !authz::check(actor, authz::ConversationAction::read_earlier_history, facts)) {
            readers.history_floors.emplace(m.user_id, m.joined_seq);
        }
    }
    if (!partial.empty()) {
        auto& whole = readers.sees_all.emplace();
        for (const auto& id : readers.user_ids) {
            if (!partial.contains(id)) whole.insert(id);
        }
    }
    return readers;
}

Result<OrganizationAccess> Access::organization(const Caller& caller,
                                                const core::Id& organization_id,
                                                authz::OrgAction action) {
    PARLEY_TRY_ASSIGN(auto org, store_.find_organization(organization_id));
    if (!org) {
        return fail(ErrorKind::not_found, "organization_not_found",
                    "No such organization, or you are not in its directory.");
    }
    PARLEY_TRY_ASSIGN(auto actor, actor_in(caller, organization_id));
    PARLEY_TRY_VOID(authz::check(actor, action, authz::OrgFacts{org->policies}));
    return OrganizationAccess{std::move(*org), std::move(actor)};
}

Result<OrganizationAccess> Access::person(const Caller& caller, const core::Id& organization_id,
                                          const core::Id& subject_id, authz::PersonAction action) {
    PARLEY_TRY_ASSIGN(auto org, store_.find_organization(organization_id));
    if (!org) {
        return fail(ErrorKind::not_found, "organization_not_found",
                    "No such organization, or you are not in its directory.");
    }
    PARLEY_TRY_ASSIGN(auto actor, actor_in(caller, organization_id));
    authz::PersonFacts facts;
    facts.policies = org->policies;
    facts.subject_is_actor = subject_id == caller.user.id;
    PARLEY_TRY_VOID(authz::check(actor, action, facts));
    return OrganizationAccess{std::move(*org), std::move(actor)};
}

}  // namespace parley::service
