// The policy arithmetic behind the matrix: which policies hold in a conversation (tenant,
// group overrides, none for private conversations) and which group changes loosen the tenant's.

#include <gtest/gtest.h>

#include "authz/authz.hpp"
#include "core/types.hpp"

namespace parley::authz {
namespace {

core::Conversation conversation(core::ConversationKind kind, const core::Owner& owner) {
    core::Conversation c;
    c.id = "cnv_x";
    c.kind = kind;
    c.owner = owner;
    return c;
}

core::OrganizationPolicies strict_tenant() {
    core::OrganizationPolicies p;
    p.conversations = {true, true, true, false, false, false};
    p.groups_require_work_account = true;
    return p;
}

TEST(EffectivePolicies, PrivateConversationsRestrictNothing) {
    auto tenant = strict_tenant();
    for (auto kind : {core::ConversationKind::chat, core::ConversationKind::group}) {
        auto c = conversation(kind, core::Owner::private_owner());
        c.policy_overrides.restrict_forward = true;  // stale data must not count either
        EXPECT_EQ(effective_policies(c, tenant), core::ConversationPolicies{});
    }
}

TEST(EffectivePolicies, OrganizationChatsFollowTheTenant) {
    auto c = conversation(core::ConversationKind::chat, core::Owner::organization("org_a"));
    c.policy_overrides.restrict_forward = false;  // chats have no overrides
    auto expected = strict_tenant().conversations;
    expected.require_work_account = true;  // always, whatever the tenant says of groups
    EXPECT_EQ(effective_policies(c, strict_tenant()), expected);
    auto open_tenant = strict_tenant();
    open_tenant.groups_require_work_account = false;
    EXPECT_TRUE(effective_policies(c, open_tenant).require_work_account);
}

TEST(EffectivePolicies, GroupsRequireAWorkAccountByTheTenantOrTheirOwnOverride) {
    auto c = conversation(core::ConversationKind::group, core::Owner::organization("org_a"));
    core::OrganizationPolicies tenant;
    EXPECT_FALSE(effective_policies(c, tenant).require_work_account);
    tenant.groups_require_work_account = true;
    EXPECT_TRUE(effective_policies(c, tenant).require_work_account);
    c.policy_overrides.require_work_account = false;
    EXPECT_FALSE(effective_policies(c, tenant).require_work_account);
    tenant.groups_require_work_account = false;
    c.policy_overrides.require_work_account = true;
    EXPECT_TRUE(effective_policies(c, tenant).require_work_account);
    // The tenant's value is kept in OrganizationPolicies, not in its conversation defaults.
    EXPECT_FALSE(tenant.conversations.require_work_account);
    EXPECT_FALSE(tenant_group_policies(tenant).require_work_account);
}

TEST(EffectivePolicies, GroupOverridesWinOverTheTenant) {
    auto c = conversation(core::ConversationKind::group, core::Owner::organization("org_a"));
    c.policy_overrides.restrict_copy = false;
    c.policy_overrides.invite_links = true;
    auto p = effective_policies(c, strict_tenant());
    EXPECT_FALSE(p.restrict_copy);
    EXPECT_TRUE(p.invite_links);
    // Unset overrides inherit.
    EXPECT_TRUE(p.restrict_share);
    EXPECT_TRUE(p.restrict_forward);
    EXPECT_FALSE(p.new_members_see_history);
    EXPECT_FALSE(p.delete_for_everyone);
}

TEST(Loosens, OnlyLiftingATenantRestrictionLoosens) {
    core::ConversationPolicies open;  // defaults restrict nothing
    core::ConversationPolicies strict = tenant_group_policies(strict_tenant());
    core::PolicyOverrides none;
    EXPECT_FALSE(loosens(open, none));
    EXPECT_FALSE(loosens(strict, none));

    // Each policy on its own: toward permissive loosens a strict tenant, never an open one;
    // toward restrictive never loosens.
    std::vector<std::pair<std::optional<bool> core::PolicyOverrides::*, bool>> permissive = {
        {&core::PolicyOverrides::restrict_copy, false},
        {&core::PolicyOverrides::restrict_share, false},
        {&core::PolicyOverrides::restrict_forward, false},
        {&core::PolicyOverrides::new_members_see_history, true},
        {&core::PolicyOverrides::delete_for_everyone, true},
        {&core::PolicyOverrides::invite_links, true},
        {&core::PolicyOverrides::require_work_account, false},
    };
    for (const auto& [field, value] : permissive) {
        core::PolicyOverrides lift;
        lift.*field = value;
        EXPECT_TRUE(loosens(strict, lift));
        EXPECT_FALSE(loosens(open, lift));
        core::PolicyOverrides tighten;
        tighten.*field = !value;
        EXPECT_FALSE(loosens(strict, tighten));
        EXPECT_FALSE(loosens(open, tighten));
    }
}

}  // namespace
}  // namespace parley::authz
