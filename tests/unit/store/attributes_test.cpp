// Issue 4's store: custom attributes and their values, the directory's orders and last activity,
// a person's groups, removal records with restore and purge, and pending wipes.

#include <gtest/gtest.h>

#include <algorithm>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

class AttributesStoreTest : public StoreTest {
protected:
    AttributesStoreTest() {
        acme_ = make_org("Acme");
        other_ = make_org("Other");
    }

    core::AttributeDefinition attribute(const core::Organization& org, const std::string& name,
                                        core::AttributeType type = core::AttributeType::string) {
        core::AttributeDefinition d;
        d.id = crypto::new_id("atr");
        d.organization_id = org.id;
        d.name = name;
        d.type = type;
        d.created_at = tick();
        return d;
    }

    std::map<std::string, std::string> values_of(const core::Organization& org,
                                                 const core::User& user) {
        std::map<std::string, std::string> out;
        for (const auto& v : must(store().list_attribute_values(org.id, {user.id}))) {
            out[v.attribute_id] = v.value;
        }
        return out;
    }

    core::Session session_of(const core::User& user, TimestampMs last_used) {
        core::Session s;
        s.id = crypto::new_id("ses");
        s.user_id = user.id;
        s.token_hash = crypto::new_id("hash");
        s.created_at = last_used;
        s.last_used_at = last_used;
        must(store().create_session(s), "create_session");
        return s;
    }

    core::Organization acme_;
    core::Organization other_;
};

TEST_F(AttributesStoreTest, AddsAllOrNoneWithNamesUniqueIgnoringCase) {
    auto dept = attribute(acme_, "Department");
    auto id = attribute(acme_, "Employee ID", core::AttributeType::number);
    id.mandatory = true;
    id.visible_to_members = true;
    ASSERT_TRUE(store().add_attributes({dept, id}));
    auto listed = must(store().list_attributes(acme_.id));
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].name, "Department");
    EXPECT_EQ(listed[1].type, core::AttributeType::number);
    EXPECT_TRUE(listed[1].mandatory);
    EXPECT_TRUE(listed[1].visible_to_members);
    EXPECT_FALSE(listed[1].self_editable);

    // One clash refuses the whole batch.
    auto location = attribute(acme_, "Location");
    auto clash = attribute(acme_, "DEPARTMENT");
    expect_error(store().add_attributes({location, clash}), ErrorKind::conflict,
                 "attribute_exists");
    EXPECT_EQ(must(store().list_attributes(acme_.id)).size(), 2u);
    // Another organization may use the same name.
    EXPECT_TRUE(store().add_attributes({attribute(other_, "Department")}));
    EXPECT_EQ(must(store().list_attributes(other_.id)).size(), 1u);
}

TEST_F(AttributesStoreTest, ValuesAreSetClearedAndGoWithTheirAttribute) {
    auto dept = attribute(acme_, "Department");
    auto floor = attribute(acme_, "Floor", core::AttributeType::number);
    auto foreign = attribute(other_, "Secret");
    ASSERT_TRUE(store().add_attributes({dept, floor}));
    ASSERT_TRUE(store().add_attributes({foreign}));
    auto alice = make_user("Alice");
    core::OrgPerson p;
    p.organization_id = acme_.id;
    p.user_id = alice.id;
    p.added_at = tick();
    ASSERT_TRUE(store().upsert_person(
        p, {{dept.id, alice.id, "Sales"}, {floor.id, alice.id, "3"}, {foreign.id, alice.id, "x"}}));
    auto values = values_of(acme_, alice);
    EXPECT_EQ(values.size(), 2u) << "another organization's attribute is never written";
    EXPECT_EQ(values[dept.id], "Sales");

    ASSERT_TRUE(store().set_attribute_values(
        acme_.id, alice.id, {{dept.id, alice.id, "Ops"}, {floor.id, alice.id, ""}}));
    values = values_of(acme_, alice);
    EXPECT_EQ(values.size(), 1u);
    EXPECT_EQ(values[dept.id], "Ops");

    EXPECT_TRUE(*store().remove_attributes(acme_.id, {dept.id}));
    EXPECT_FALSE(*store().remove_attributes(acme_.id, {dept.id}));
    EXPECT_FALSE(*store().remove_attributes(acme_.id, {foreign.id})) << "not Acme's";
    EXPECT_TRUE(values_of(acme_, alice).empty());
    RawDb raw(db_path());
    EXPECT_EQ(
        raw.scalar("SELECT COUNT(*) FROM person_attributes WHERE attribute_id = ?1", {dept.id}), 0);
}

TEST_F(AttributesStoreTest, ValuesOfAPageComeInOneQueryWhateverTheIds) {
    auto dept = attribute(acme_, "Department");
    ASSERT_TRUE(store().add_attributes({dept}));
    auto alice = make_user("Alice");
    auto bob = make_user("Bob");
    add_person(acme_, alice);
    add_person(acme_, bob);
    ASSERT_TRUE(store().set_attribute_values(acme_.id, alice.id, {{dept.id, alice.id, "A"}}));
    ASSERT_TRUE(store().set_attribute_values(acme_.id, bob.id, {{dept.id, bob.id, "B"}}));
    auto values =
        must(store().list_attribute_values(acme_.id, {alice.id, bob.id, "usr_\"odd\\\n", ""}));
    EXPECT_EQ(values.size(), 2u);
    EXPECT_TRUE(must(store().list_attribute_values(acme_.id, {})).empty());
}

TEST_F(AttributesStoreTest, DirectorySortsEachWayWithLastActivity) {
    auto carol = make_user("carol");
    auto alice = make_user("Alice");
    auto bob = make_user("Bob");
    add_person(acme_, carol);
    add_person(acme_, alice);
    add_person(acme_, bob);
    session_of(alice, 5'000);
    auto s = session_of(bob, 1'000);
    ASSERT_TRUE(store().touch_session(s.id, 9'000));

    auto names = [&](PersonSort sort, bool descending) {
        PersonQuery q;
        q.sort = sort;
        q.descending = descending;
        std::vector<std::string> out;
        for (const auto& e : must(store().list_directory(acme_.id, q))) {
            out.push_back(e.person.name);
        }
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(names(PersonSort::name, false), (V{"Alice", "Bob", "carol"}));
    EXPECT_EQ(names(PersonSort::name, true), (V{"carol", "Bob", "Alice"}));
    EXPECT_EQ(names(PersonSort::added, false), (V{"carol", "Alice", "Bob"}));
    EXPECT_EQ(names(PersonSort::added, true), (V{"Bob", "Alice", "carol"}));
    EXPECT_EQ(names(PersonSort::last_active, true), (V{"Bob", "Alice", "carol"}));
    EXPECT_EQ(names(PersonSort::last_active, false), (V{"carol", "Alice", "Bob"}));
    auto by_phone = names(PersonSort::phone, false);
    EXPECT_EQ(by_phone, (V{"carol", "Alice", "Bob"}));  // phones are handed out in order

    auto entries = must(store().list_directory(acme_.id, PersonQuery{}));
    EXPECT_EQ(entries[1].last_active_at, 9'000);
    EXPECT_FALSE(entries[2].last_active_at);
    EXPECT_EQ(*must(store().last_active(bob.id)), 9'000);
    EXPECT_FALSE(must(store().last_active(carol.id)));
}

TEST_F(AttributesStoreTest, RemovalIsRecordedAndRestoredWithGroupsRolesAndValues) {
    auto dept = attribute(acme_, "Department");
    ASSERT_TRUE(store().add_attributes({dept}));
    auto admin = make_user("Admin");
    auto bob = make_user("Bob");
    add_person(acme_, admin, "", core::OrgRole::admin);
    add_person(acme_, bob, "bob@acme.test");
    ASSERT_TRUE(store().set_attribute_values(acme_.id, bob.id, {{dept.id, bob.id, "Sales"}}));
    auto sales = make_group(admin, {bob}, core::Owner::organization(acme_.id), "Sales", true);
    auto leads = make_group(bob, {admin}, core::Owner::organization(acme_.id), "Leads", true);
    auto mine = make_group(bob, {admin}, core::Owner::private_owner(), "Private", true);
    auto phone_session = session_of(bob, tick());

    auto groups = must(store().list_person_groups(acme_.id, bob.id));
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].conversation.name, "Leads");
    EXPECT_EQ(groups[0].role, core::MemberRole::admin);

    TimestampMs removed_at = tick();
    ASSERT_TRUE(store().remove_person(acme_.id, bob.id, removed_at));
    EXPECT_FALSE(member(sales.id, bob.id));
    EXPECT_TRUE(member(mine.id, bob.id)) << "private groups are untouched";
    auto wipes = must(store().list_pending_wipes(phone_session.id, 0));
    ASSERT_EQ(wipes.size(), 1u);
    EXPECT_EQ(wipes[0].organization_id, acme_.id);

    auto removed = must(store().list_removed_people(acme_.id));
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].person.user_id, bob.id);
    EXPECT_EQ(removed[0].person.email, "bob@acme.test");
    EXPECT_EQ(removed[0].removed_at, removed_at);
    ASSERT_EQ(removed[0].groups.size(), 2u);
    EXPECT_EQ(values_of(acme_, bob).size(), 1u) << "values are kept while restorable";

    // Too old for the caller's window: nothing changes.
    expect_error(store().restore_person(acme_.id, bob.id, removed_at + 1, tick(), {}),
                 ErrorKind::not_found, "removed_person_not_found");
    EXPECT_FALSE(must(store().find_person(acme_.id, bob.id)));

    core::Message note = system_message(sales, "Bob was restored to the group.");
    auto restored = must(store().restore_person(acme_.id, bob.id, removed_at, tick(), {note}));
    EXPECT_EQ(restored.person.email, "bob@acme.test");
    EXPECT_FALSE(restored.person.work_account_linked);
    ASSERT_EQ(restored.groups_rejoined.size(), 2u);
    EXPECT_EQ(member(leads.id, bob.id)->role, core::MemberRole::admin);
    EXPECT_EQ(member(sales.id, bob.id)->role, core::MemberRole::member);
    auto history = all_messages(sales.id);
    EXPECT_EQ(history.back().text, "Bob was restored to the group.");
    EXPECT_EQ(conversation(sales.id).last_seq, 2);
    EXPECT_EQ(all_messages(leads.id).size(), 1u) << "no announcement given for Leads";
    EXPECT_EQ(values_of(acme_, bob).size(), 1u);
    EXPECT_TRUE(must(store().list_removed_people(acme_.id)).empty());
    EXPECT_TRUE(must(store().list_pending_wipes(phone_session.id, 0)).empty());
    expect_error(store().restore_person(acme_.id, bob.id, 0, tick(), {}), ErrorKind::not_found,
                 "removed_person_not_found");
}

TEST_F(AttributesStoreTest, PurgeMakesOldRemovalsFinal) {
    auto dept = attribute(acme_, "Department");
    ASSERT_TRUE(store().add_attributes({dept}));
    auto admin = make_user("Admin");
    auto old_one = make_user("Old");
    auto recent = make_user("Recent");
    add_person(acme_, admin, "", core::OrgRole::admin);
    add_person(acme_, old_one);
    add_person(acme_, recent);
    auto group = make_group(admin, {old_one, recent}, core::Owner::organization(acme_.id));
    ASSERT_TRUE(
        store().set_attribute_values(acme_.id, old_one.id, {{dept.id, old_one.id, "Gone"}}));
    auto s = session_of(old_one, tick());
    TimestampMs first = tick();
    ASSERT_TRUE(store().remove_person(acme_.id, old_one.id, first));
    TimestampMs second = tick();
    ASSERT_TRUE(store().remove_person(acme_.id, recent.id, second));

    EXPECT_EQ(must(store().purge_removed_people(acme_.id, second)), 1);
    auto removed = must(store().list_removed_people(acme_.id));
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].person.user_id, recent.id);
    EXPECT_FALSE(must(store().find_removed_person(acme_.id, old_one.id)));
    EXPECT_TRUE(values_of(acme_, old_one).empty());
    EXPECT_TRUE(must(store().list_pending_wipes(s.id, 0)).empty());
    RawDb raw(db_path());
    EXPECT_EQ(
        raw.scalar("SELECT COUNT(*) FROM removed_memberships WHERE user_id = ?1", {old_one.id}), 0);
    // Purged people can still be added again, afresh.
    add_person(acme_, old_one);
    EXPECT_TRUE(must(store().find_person(acme_.id, old_one.id)));
    EXPECT_FALSE(member(group.id, old_one.id));
}

TEST_F(AttributesStoreTest, TheSweepPurgesOldRemovalsOfEveryOrganization) {
    auto admin = make_user("Admin");
    auto at_acme = make_user("Acme leaver");
    auto at_other = make_user("Other leaver");
    auto recent = make_user("Recent");
    add_person(acme_, admin, "", core::OrgRole::admin);
    add_person(acme_, at_acme);
    add_person(acme_, recent);
    add_person(other_, at_other);
    ASSERT_TRUE(store().remove_person(acme_.id, at_acme.id, tick()));
    ASSERT_TRUE(store().remove_person(other_.id, at_other.id, tick()));
    TimestampMs cutoff = tick();
    ASSERT_TRUE(store().remove_person(acme_.id, recent.id, tick()));

    EXPECT_EQ(must(store().purge_removed_people_everywhere(cutoff)), 2);
    EXPECT_FALSE(must(store().find_removed_person(acme_.id, at_acme.id)));
    EXPECT_FALSE(must(store().find_removed_person(other_.id, at_other.id)));
    EXPECT_TRUE(must(store().find_removed_person(acme_.id, recent.id))) << "within the window";
    EXPECT_EQ(must(store().purge_removed_people_everywhere(cutoff)), 0) << "nothing left to do";
}

TEST_F(AttributesStoreTest, AddingSomeoneRemovedAgainStartsAfresh) {
    auto dept = attribute(acme_, "Department");
    ASSERT_TRUE(store().add_attributes({dept}));
    auto admin = make_user("Admin");
    auto bob = make_user("Bob");
    add_person(acme_, admin, "", core::OrgRole::admin);
    add_person(acme_, bob);
    make_group(admin, {bob}, core::Owner::organization(acme_.id));
    ASSERT_TRUE(store().set_attribute_values(acme_.id, bob.id, {{dept.id, bob.id, "Sales"}}));
    ASSERT_TRUE(store().remove_person(acme_.id, bob.id, tick()));
    add_person(acme_, bob);
    EXPECT_TRUE(values_of(acme_, bob).empty());
    EXPECT_FALSE(must(store().find_removed_person(acme_.id, bob.id)));
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM removed_memberships WHERE user_id = ?1", {bob.id}),
              0);
}

TEST_F(AttributesStoreTest, PendingWipesAreListedSinceAndCleared) {
    auto bob = make_user("Bob");
    add_person(acme_, bob);
    add_person(other_, bob);
    auto phone = session_of(bob, tick());
    auto laptop = session_of(bob, tick());
    ASSERT_TRUE(store().revoke_session(bob.id, laptop.id, tick()));
    TimestampMs at = tick();
    ASSERT_TRUE(store().remove_person(acme_.id, bob.id, at));
    ASSERT_TRUE(store().remove_person(other_.id, bob.id, tick()));

    EXPECT_EQ(must(store().list_pending_wipes(phone.id, 0)).size(), 2u);
    EXPECT_EQ(must(store().list_pending_wipes(phone.id, at + 1)).size(), 1u);
    EXPECT_TRUE(must(store().list_pending_wipes(laptop.id, 0)).empty()) << "signed out";
    ASSERT_TRUE(store().clear_pending_wipes(phone.id, {acme_.id}));
    auto left = must(store().list_pending_wipes(phone.id, 0));
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].organization_id, other_.id);
}

}  // namespace
}  // namespace parley::store::testing
