#include "service/access.hpp"

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
    access.facts.kind = access.conversation.kind;
    access.facts.owner = owner;
    if (access.member) access.facts.membership = access.member->role;
    if (access.organization) access.facts.org_policies = access.organization->policies;
    PARLEY_TRY_VOID(check(access, action, actor_is_author));
    return access;
}

Result<void> Access::check(const ConversationAccess& access, authz::ConversationAction action,
                           bool actor_is_author) {
    authz::ConversationFacts facts = access.facts;
    facts.actor_is_author = actor_is_author;
    return authz::check(access.actor, action, facts);
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

}  // namespace parley::service
