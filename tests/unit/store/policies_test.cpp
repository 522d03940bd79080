// Policies in the store (schema 3): tenant policies round-trip, group overrides (NULL inherits)
// only on organization groups, where each member's history starts, the history floor in both
// paging directions, and forwarded messages.

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using PoliciesStoreTest = StoreTest;

TEST_F(PoliciesStoreTest, TenantPoliciesRoundTripWithDefaultsForNewOrganizations) {
    auto org = make_org("Contoso");
    auto found = must(store().find_organization(org.id));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->policies, core::OrganizationPolicies{});

    org.policies.group_admins_set_policies = false;
    org.policies.conversations = {true, false, true, false, false, true};
    must(store().update_organization(org));
    found = must(store().find_organization(org.id));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->policies, org.policies);

    // Read through the user's organizations as well (another column list).
    auto user = make_user("Alice");
    add_person(org, user);
    auto mine = must(store().list_user_organizations(user.id));
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].first.policies, org.policies);
    EXPECT_EQ(mine[0].second.user_id, user.id);
}

TEST_F(PoliciesStoreTest, OverridesOnlyOnOrganizationGroupsAndNullInherits) {
    auto org = make_org("Contoso");
    auto alice = make_user("Alice");
    auto bob = make_user("Bob");
    auto group = make_group(alice, {bob}, core::Owner::organization(org.id));
    EXPECT_EQ(conversation(group.id).policy_overrides, core::PolicyOverrides{});

    core::PolicyOverrides o;
    o.restrict_forward = true;
    o.new_members_see_history = false;
    EXPECT_TRUE(must(store().set_policy_overrides(group.id, o)));
    EXPECT_EQ(conversation(group.id).policy_overrides, o);
    // Listed conversations carry them too.
    auto list = must(store().list_conversations(bob.id));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].conversation.policy_overrides, o);
    EXPECT_EQ(list[0].role, core::MemberRole::member);

    o.restrict_forward.reset();  // back to inheriting
    EXPECT_TRUE(must(store().set_policy_overrides(group.id, o)));
    EXPECT_FALSE(conversation(group.id).policy_overrides.restrict_forward.has_value());

    // Private groups and chats have none; nothing is written.
    auto private_group = make_group(alice, {bob});
    auto chat = make_chat(alice, bob, core::Owner::organization(org.id));
    EXPECT_FALSE(must(store().set_policy_overrides(private_group.id, o)));
    EXPECT_FALSE(must(store().set_policy_overrides(chat.id, o)));
    EXPECT_FALSE(must(store().set_policy_overrides("cnv_nope", o)));
    EXPECT_EQ(conversation(private_group.id).policy_overrides, core::PolicyOverrides{});

    auto owned = must(store().list_organization_conversations(org.id));
    EXPECT_EQ(owned.size(), 2u);  // the group and the chat, not the private group
}

TEST_F(PoliciesStoreTest, MembersJoinAtTheLastSequence) {
    auto alice = make_user("Alice");
    auto bob = make_user("Bob");
    auto group = make_group(alice, {}, core::Owner::private_owner(), "G", true);
    EXPECT_EQ(member(group.id, alice.id)->joined_seq, 0);  // founders see everything
    post(group, alice, "one");
    post(group, alice, "two");  // seq 3
    must(store().add_member(member_of(group, bob), system_message(group, "Bob joined")));
    auto m = member(group.id, bob.id);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->joined_seq, 3);
    EXPECT_EQ(m->read_seq, 3);
    auto members = must(store().list_members(group.id));
    ASSERT_EQ(members.size(), 2u);
    for (const auto& mw : members) {
        EXPECT_EQ(mw.member.joined_seq, mw.user.id == bob.id ? 3 : 0);
        EXPECT_FALSE(mw.user.phone.empty());  // the user columns after joined_seq
    }
}

TEST_F(PoliciesStoreTest, FloorHoldsInBothPagingDirections) {
    auto alice = make_user("Alice");
    auto group = make_group(alice);
    for (int i = 1; i <= 6; ++i) post(group, alice, "m" + std::to_string(i));

    MessageRange oldest;
    oldest.floor = 4;
    auto page = must(store().list_messages(group.id, oldest));
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].seq, 5);

    MessageRange newest_before;  // only `before`: newest first, still above the floor
    newest_before.before = 6;
    newest_before.limit = 10;
    newest_before.floor = 3;
    page = must(store().list_messages(group.id, newest_before));
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].seq, 4);
    EXPECT_EQ(page[1].seq, 5);

    MessageRange after_below_floor;  // a cursor under the floor is raised to it
    after_below_floor.after = 1;
    after_below_floor.floor = 5;
    page = must(store().list_messages(group.id, after_below_floor));
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].seq, 6);
}

TEST_F(PoliciesStoreTest, ForwardedIsKept) {
    auto alice = make_user("Alice");
    auto group = make_group(alice);
    auto d = draft(group, alice, "copied");
    d.forwarded = true;
    auto stored = must(store().append_message(d));
    EXPECT_TRUE(stored.message.forwarded);
    auto found = must(store().find_message(group.id, d.id));
    ASSERT_TRUE(found);
    EXPECT_TRUE(found->forwarded);
    EXPECT_EQ(found->text, "copied");
    EXPECT_FALSE(all_messages(group.id).empty());
    auto plain = post(group, alice, "mine");
    EXPECT_FALSE(must(store().find_message(group.id, plain.id))->forwarded);
}

TEST_F(PoliciesStoreTest, SchemasThreeAndEightAddThePolicyColumns) {
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = 3"), 1);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM pragma_table_info('members') "
                         "WHERE name = 'joined_seq'"),
              1);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM pragma_table_info('conversations') "
                         "WHERE name LIKE 'policy_%'"),
              7);  // six from schema 3, policy_require_work_account from schema 8
}

}  // namespace
}  // namespace parley::store::testing
