// Organizations, their directories (search, paging, removal) and work accounts.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using OrganizationsTest = StoreTest;

std::vector<std::string> names_of(const std::vector<core::OrgPerson>& people) {
    std::vector<std::string> names;
    for (const auto& p : people) names.push_back(p.name);
    return names;
}

TEST_F(OrganizationsTest, CreatesFindsAndUpdates) {
    core::Organization org;
    org.id = crypto::new_id("org");
    org.name = "Acme Pte Ltd";
    org.default_region = "SG";
    org.policies.parley_enabled = true;
    org.policies.groups_require_work_account = true;
    org.created_at = tick();
    ASSERT_TRUE(store().create_organization(org));

    auto found = store().find_organization(org.id);
    ASSERT_TRUE(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->name, "Acme Pte Ltd");
    EXPECT_EQ((*found)->default_region, "SG");
    EXPECT_EQ((*found)->policies, org.policies);
    EXPECT_EQ((*found)->created_at, org.created_at);

    auto by_name = store().find_organization_by_name("Acme Pte Ltd");
    ASSERT_TRUE(by_name);
    ASSERT_TRUE(*by_name);
    EXPECT_EQ((*by_name)->id, org.id);
    EXPECT_FALSE(*store().find_organization_by_name("Acme"));
    EXPECT_FALSE(*store().find_organization("org_nosuch"));

    core::Organization changed = org;
    changed.name = "Acme Holdings";
    changed.default_region = "MY";
    changed.policies.parley_enabled = false;
    changed.policies.groups_require_work_account = false;
    changed.created_at = 1;  // not updatable
    ASSERT_TRUE(store().update_organization(changed));
    found = store().find_organization(org.id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->name, "Acme Holdings");
    EXPECT_EQ((*found)->default_region, "MY");
    EXPECT_FALSE((*found)->policies.parley_enabled);
    EXPECT_FALSE((*found)->policies.groups_require_work_account);
    EXPECT_EQ((*found)->created_at, org.created_at);
    EXPECT_FALSE(*store().find_organization_by_name("Acme Pte Ltd"));
    EXPECT_TRUE(*store().find_organization_by_name("Acme Holdings"));
}

TEST_F(OrganizationsTest, FindByNameReturnsTheOldestOfNamesakes) {
    const auto first = make_org("Same Name");
    make_org("Same Name");
    auto found = store().find_organization_by_name("Same Name");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->id, first.id);
}

TEST_F(OrganizationsTest, UpsertPersonInsertsThenUpdates) {
    const auto org = make_org("Acme");
    const auto alice = make_user("Alice");

    core::OrgPerson p;
    p.organization_id = org.id;
    p.user_id = alice.id;
    p.name = "Alice Tan";
    p.email = "alice@acme.test";
    p.role = core::OrgRole::admin;
    p.added_at = tick();
    p.phone = "ignored";           // comes from the user
    p.work_account_linked = true;  // comes from work_accounts
    auto inserted = store().upsert_person(p);
    ASSERT_TRUE(inserted) << inserted.error().message;
    EXPECT_EQ(inserted->organization_id, org.id);
    EXPECT_EQ(inserted->user_id, alice.id);
    EXPECT_EQ(inserted->phone, alice.phone);
    EXPECT_EQ(inserted->name, "Alice Tan");
    EXPECT_EQ(inserted->email, "alice@acme.test");
    EXPECT_EQ(inserted->role, core::OrgRole::admin);
    EXPECT_FALSE(inserted->work_account_linked);
    EXPECT_EQ(inserted->added_at, p.added_at);

    core::OrgPerson update = p;
    update.name = "Alice Lim";
    update.email = "alice.lim@acme.test";
    update.role = core::OrgRole::member;
    update.added_at = tick();  // an update keeps the original added_at
    auto updated = store().upsert_person(update);
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->name, "Alice Lim");
    EXPECT_EQ(updated->email, "alice.lim@acme.test");
    EXPECT_EQ(updated->role, core::OrgRole::member);
    EXPECT_EQ(updated->added_at, p.added_at);

    auto found = store().find_person(org.id, alice.id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->name, "Alice Lim");
    EXPECT_EQ(*store().count_people(org.id, ""), 1);
}

TEST_F(OrganizationsTest, UpsertPersonNeedsAnExistingUserAndOrganization) {
    const auto org = make_org("Acme");
    const auto alice = make_user("Alice");
    core::OrgPerson p;
    p.organization_id = org.id;
    p.user_id = "usr_ghost";
    p.added_at = tick();
    auto ghost = store().upsert_person(p);
    ASSERT_FALSE(ghost);
    EXPECT_EQ(ghost.error().kind, ErrorKind::conflict);

    p.organization_id = "org_ghost";
    p.user_id = alice.id;
    auto no_org = store().upsert_person(p);
    ASSERT_FALSE(no_org);
    EXPECT_EQ(no_org.error().kind, ErrorKind::conflict);
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT COUNT(*) FROM org_people"), 0);
}

TEST_F(OrganizationsTest, UpsertRestoresARemovedPerson) {
    const auto org = make_org("Acme");
    const auto alice = make_user("Alice");
    const auto original = add_person(org, alice, "alice@acme.test");
    ASSERT_TRUE(store().remove_person(org.id, alice.id, tick()));
    EXPECT_FALSE(*store().find_person(org.id, alice.id));
    EXPECT_EQ(*store().count_people(org.id, ""), 0);

    core::OrgPerson back;
    back.organization_id = org.id;
    back.user_id = alice.id;
    back.name = "Alice Again";
    back.email = "alice@acme.test";
    back.added_at = tick();
    auto restored = store().upsert_person(back);
    ASSERT_TRUE(restored) << restored.error().message;
    EXPECT_EQ(restored->name, "Alice Again");
    // Re-added: the directory says when they came back, not when they first joined.
    EXPECT_EQ(restored->added_at, back.added_at);
    EXPECT_NE(restored->added_at, original.added_at);
    EXPECT_TRUE(*store().find_person(org.id, alice.id));
    EXPECT_TRUE(*store().find_person_by_email(org.id, "alice@acme.test"));
    EXPECT_EQ(*store().count_people(org.id, ""), 1);
    // And can be removed again.
    EXPECT_TRUE(store().remove_person(org.id, alice.id, tick()));
}

TEST_F(OrganizationsTest, FindsPersonByEmailCaseInsensitivelyWithinTheOrganization) {
    const auto acme = make_org("Acme");
    const auto other = make_org("Other");
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    add_person(acme, alice, "Alice.Tan@Example.COM");
    add_person(other, bob, "bob@example.com");

    for (const char* email :
         {"alice.tan@example.com", "ALICE.TAN@EXAMPLE.COM", "Alice.Tan@Example.COM"}) {
        auto found = store().find_person_by_email(acme.id, email);
        ASSERT_TRUE(found) << email;
        ASSERT_TRUE(*found) << email;
        EXPECT_EQ((*found)->user_id, alice.id);
        EXPECT_EQ((*found)->email, "Alice.Tan@Example.COM");  // stored as given
    }
    EXPECT_FALSE(*store().find_person_by_email(other.id, "alice.tan@example.com"));
    EXPECT_FALSE(*store().find_person_by_email(acme.id, "bob@example.com"));
    // Exact match only: no substring, no LIKE pattern.
    EXPECT_FALSE(*store().find_person_by_email(acme.id, "alice.tan@example"));
    EXPECT_FALSE(*store().find_person_by_email(acme.id, "%@example.com"));

    ASSERT_TRUE(store().remove_person(acme.id, alice.id, tick()));
    EXPECT_FALSE(*store().find_person_by_email(acme.id, "alice.tan@example.com"));
}

TEST_F(OrganizationsTest, AnEmptyEmailFindsNobody) {
    // Empty means "no email": it must not match the people who have none.
    const auto acme = make_org("Acme");
    add_person(acme, make_user("No Email"), "");
    auto found = store().find_person_by_email(acme.id, "");
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_FALSE(*found);
}

class DirectorySearchTest : public StoreTest {
protected:
    DirectorySearchTest() {
        acme_ = make_org("Acme");
        other_ = make_org("Other");
        struct Row {
            const char* name;
            const char* email;
        };
        for (Row row : {Row{"Alice Tan", "alice@acme.test"}, Row{"bob lim", "bob@acme.test"},
                        Row{"Carol 50% Off", "carol@acme.test"}, Row{"Dan 500", "dan@acme.test"},
                        Row{"Team_A Lead", "lead@acme.test"},
                        Row{"TeamXA Lead", "x.lead@acme.test"}, Row{"Back\\slash", ""}}) {
            auto user = make_user(row.name);
            add_person(acme_, user, row.email);
            people_.push_back(user);
        }
        // Someone in another organization who matches every query, and a removed person.
        add_person(other_, make_user("Alice Outsider"), "alice@other.test");
        auto gone = make_user("Alice Gone");
        add_person(acme_, gone, "gone@acme.test");
        must(store().remove_person(acme_.id, gone.id, tick()), "remove_person");
    }

    std::vector<std::string> search(const std::string& text, int limit = 50, int offset = 0) {
        auto found = store().search_people(acme_.id, PersonQuery{text, limit, offset});
        if (!found) throw std::runtime_error(found.error().message);
        return names_of(*found);
    }

    std::int64_t count(const std::string& text) {
        return must(store().count_people(acme_.id, text), "count_people");
    }

    core::Organization acme_;
    core::Organization other_;
    std::vector<core::User> people_;
};

TEST_F(DirectorySearchTest, EmptyTextListsTheLiveDirectorySortedByName) {
    const std::vector<std::string> all{"Alice Tan", "Back\\slash", "bob lim",    "Carol 50% Off",
                                       "Dan 500",   "Team_A Lead", "TeamXA Lead"};
    EXPECT_EQ(search(""), all);
    EXPECT_EQ(count(""), 7);
}

TEST_F(DirectorySearchTest, MatchesNameEmailOrPhoneSubstrings) {
    EXPECT_EQ(search("alice"), std::vector<std::string>{"Alice Tan"});
    EXPECT_EQ(search("LIM"), std::vector<std::string>{"bob lim"});  // names ignore case
    EXPECT_EQ(search("carol@"), std::vector<std::string>{"Carol 50% Off"});
    EXPECT_EQ(count("@acme.test"), 6);  // Back\slash has no email

    const std::string phone = people_[3].phone;  // Dan's
    EXPECT_EQ(search(phone.substr(4)), std::vector<std::string>{"Dan 500"});
    EXPECT_EQ(search(phone), std::vector<std::string>{"Dan 500"});
    EXPECT_EQ(count("+659"), 7);
    EXPECT_TRUE(search("nobody-matches-this").empty());
    EXPECT_EQ(count("nobody-matches-this"), 0);
}

TEST_F(DirectorySearchTest, LikeWildcardsInTheQueryAreLiteral) {
    // As patterns, "50%" would match "Dan 500" and "m_A" would match "TeamXA Lead".
    EXPECT_EQ(search("50%"), std::vector<std::string>{"Carol 50% Off"});
    EXPECT_EQ(count("50%"), 1);
    EXPECT_EQ(search("m_A"), std::vector<std::string>{"Team_A Lead"});
    EXPECT_EQ(count("m_A"), 1);
    EXPECT_EQ(search("k\\s"), std::vector<std::string>{"Back\\slash"});
    EXPECT_EQ(count("k\\s"), 1);
    EXPECT_EQ(search("%"), std::vector<std::string>{"Carol 50% Off"});  // not everyone
    EXPECT_EQ(search("_"), std::vector<std::string>{"Team_A Lead"});    // not everyone
    EXPECT_EQ(count("'"), 0);                                           // quotes are data
}

TEST_F(DirectorySearchTest, PagesWithLimitAndOffset) {
    EXPECT_EQ(search("", 3, 0), (std::vector<std::string>{"Alice Tan", "Back\\slash", "bob lim"}));
    EXPECT_EQ(search("", 3, 3),
              (std::vector<std::string>{"Carol 50% Off", "Dan 500", "Team_A Lead"}));
    EXPECT_EQ(search("", 3, 6), std::vector<std::string>{"TeamXA Lead"});
    EXPECT_TRUE(search("", 3, 9).empty());
    EXPECT_EQ(search("lead", 1, 1), std::vector<std::string>{"TeamXA Lead"});
    // count ignores paging
    EXPECT_EQ(count("lead"), 2);
}

TEST_F(DirectorySearchTest, OtherOrganizationsAndRemovedPeopleAreInvisible) {
    EXPECT_EQ(search("Alice"), std::vector<std::string>{"Alice Tan"});
    EXPECT_EQ(count("alice"), 1);
    auto theirs = store().search_people(other_.id, PersonQuery{"", 50, 0});
    ASSERT_TRUE(theirs);
    EXPECT_EQ(names_of(*theirs), std::vector<std::string>{"Alice Outsider"});
}

// remove_person takes the person out of every group the organization owns, and nothing else.
class RemovePersonTest : public StoreTest {
protected:
    RemovePersonTest() {
        acme_ = make_org("Acme");
        other_ = make_org("Other");
        alice_ = make_user("Alice");
        bob_ = make_user("Bob");
        add_person(acme_, alice_, "alice@acme.test");
        add_person(acme_, bob_, "bob@acme.test");
        add_person(other_, alice_, "alice@other.test");
        acme_a_ = make_group(bob_, {alice_}, core::Owner::organization(acme_.id), "Acme A");
        acme_b_ = make_group(alice_, {bob_}, core::Owner::organization(acme_.id), "Acme B");
        acme_without_ = make_group(bob_, {}, core::Owner::organization(acme_.id), "Acme C");
        other_group_ =
            make_group(bob_, {alice_}, core::Owner::organization(other_.id), "Other group");
        private_group_ = make_group(bob_, {alice_}, core::Owner::private_owner(), "Friends");
    }

    bool is_member(const core::Conversation& c, const core::User& u) {
        return member(c.id, u.id).has_value();
    }

    core::Organization acme_, other_;
    core::User alice_, bob_;
    core::Conversation acme_a_, acme_b_, acme_without_, other_group_, private_group_;
};

TEST_F(RemovePersonTest, LeavesOnlyTheOrganizationsGroups) {
    auto removed = store().remove_person(acme_.id, alice_.id, tick());
    ASSERT_TRUE(removed) << removed.error().message;
    auto left = removed->conversations_left;
    std::sort(left.begin(), left.end());
    std::vector<core::Id> expected{acme_a_.id, acme_b_.id};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(left, expected);

    EXPECT_FALSE(is_member(acme_a_, alice_));
    EXPECT_FALSE(is_member(acme_b_, alice_));
    EXPECT_TRUE(is_member(other_group_, alice_));
    EXPECT_TRUE(is_member(private_group_, alice_));
    // Everyone else stays.
    EXPECT_TRUE(is_member(acme_a_, bob_));
    EXPECT_TRUE(is_member(acme_b_, bob_));

    EXPECT_FALSE(*store().find_person(acme_.id, alice_.id));
    EXPECT_TRUE(*store().find_person(other_.id, alice_.id));
    EXPECT_TRUE(*store().find_person(acme_.id, bob_.id));

    auto orgs = store().list_user_organizations(alice_.id);
    ASSERT_TRUE(orgs);
    ASSERT_EQ(orgs->size(), 1u);
    EXPECT_EQ((*orgs)[0].first.id, other_.id);
}

TEST_F(RemovePersonTest, UnlinksTheWorkAccountOfThatOrganizationOnly) {
    ASSERT_TRUE(store().link_work_account({alice_.id, acme_.id, "alice@acme.test", tick()}));
    ASSERT_TRUE(store().link_work_account({bob_.id, other_.id, "bob@other.test", tick()}));
    EXPECT_TRUE((*store().find_person(acme_.id, alice_.id))->work_account_linked);

    ASSERT_TRUE(store().remove_person(acme_.id, alice_.id, tick()));
    EXPECT_FALSE(*store().find_work_account(alice_.id));

    // Bob's account belongs to another organization: removing him from Acme leaves it.
    ASSERT_TRUE(store().remove_person(acme_.id, bob_.id, tick()));
    auto account = store().find_work_account(bob_.id);
    ASSERT_TRUE(account && *account);
    EXPECT_EQ((*account)->organization_id, other_.id);
}

TEST_F(RemovePersonTest, ASecondRemovalIsNotFound) {
    ASSERT_TRUE(store().remove_person(acme_.id, alice_.id, tick()));
    expect_error(store().remove_person(acme_.id, alice_.id, tick()), ErrorKind::not_found,
                 "person_not_found");
    const auto stranger = make_user("Stranger");
    expect_error(store().remove_person(acme_.id, stranger.id, tick()), ErrorKind::not_found,
                 "person_not_found");
    // A failed removal touches nothing: Bob is still in Acme's groups.
    expect_error(store().remove_person("org_nosuch", bob_.id, tick()), ErrorKind::not_found,
                 "person_not_found");
    EXPECT_TRUE(is_member(acme_a_, bob_));
}

TEST_F(RemovePersonTest, ListsUserOrganizationsWithTheirEntries) {
    ASSERT_TRUE(store().link_work_account({alice_.id, other_.id, "alice@other.test", tick()}));
    auto orgs = store().list_user_organizations(alice_.id);
    ASSERT_TRUE(orgs);
    ASSERT_EQ(orgs->size(), 2u);
    EXPECT_EQ((*orgs)[0].first.id, acme_.id);  // oldest organization first
    EXPECT_EQ((*orgs)[0].second.email, "alice@acme.test");
    EXPECT_EQ((*orgs)[0].second.phone, alice_.phone);
    EXPECT_FALSE((*orgs)[0].second.work_account_linked);
    EXPECT_EQ((*orgs)[1].first.id, other_.id);
    EXPECT_TRUE((*orgs)[1].second.work_account_linked);
}

TEST_F(RemovePersonTest, ListsMembersAccessFactsWithTheirDirectoryEntries) {
    const auto carol = make_user("Carol");  // a member of Acme A, not in Acme's directory
    ASSERT_TRUE(store().add_member(member_of(acme_a_, carol), std::nullopt));
    ASSERT_TRUE(store().link_work_account({alice_.id, acme_.id, "alice@acme.test", tick()}));

    // user id → (role in the directory, linked); "-" where not in it.
    auto facts = [&](const core::Id& org) {
        auto members = store().list_member_access_facts(acme_a_.id, org);
        EXPECT_TRUE(members) << members.error().message;
        std::map<core::Id, std::pair<std::string, bool>> out;
        core::Id previous;
        for (const auto& m : *members) {
            EXPECT_LT(previous, m.user_id) << "in user id order";
            previous = m.user_id;
            EXPECT_FALSE(m.inherited);
            out[m.user_id] = {m.org_role ? std::string(core::to_string(*m.org_role)) : "-",
                              m.work_account_linked};
        }
        return out;
    };
    using Facts = std::map<core::Id, std::pair<std::string, bool>>;
    EXPECT_EQ(facts(acme_.id), (Facts{{alice_.id, {"member", true}},
                                      {bob_.id, {"member", false}},
                                      {carol.id, {"-", false}}}));

    // Another organization's directory sees its own entries: Alice, not linked to it.
    EXPECT_EQ(
        facts(other_.id),
        (Facts{{alice_.id, {"member", false}}, {bob_.id, {"-", false}}, {carol.id, {"-", false}}}));
    // No directory at all: a private conversation's members.
    EXPECT_EQ(
        facts(""),
        (Facts{{alice_.id, {"-", false}}, {bob_.id, {"-", false}}, {carol.id, {"-", false}}}));
    // A removed person drops out of the directory, even while still (again) a member.
    ASSERT_TRUE(store().remove_person(acme_.id, bob_.id, tick()));
    EXPECT_TRUE(store().add_member(member_of(acme_a_, bob_), std::nullopt));
    EXPECT_EQ(
        facts(acme_.id),
        (Facts{{alice_.id, {"member", true}}, {bob_.id, {"-", false}}, {carol.id, {"-", false}}}));
}

TEST_F(OrganizationsTest, WorkAccountsLinkRelinkAndUnlink) {
    const auto acme = make_org("Acme");
    const auto other = make_org("Other");
    const auto alice = make_user("Alice");
    add_person(acme, alice, "alice@acme.test");
    add_person(other, alice, "alice@other.test");

    const auto at = tick();
    ASSERT_TRUE(store().link_work_account({alice.id, acme.id, "alice@acme.test", at}));
    auto account = store().find_work_account(alice.id);
    ASSERT_TRUE(account && *account);
    EXPECT_EQ((*account)->organization_id, acme.id);
    EXPECT_EQ((*account)->email, "alice@acme.test");
    EXPECT_EQ((*account)->linked_at, at);
    EXPECT_TRUE((*store().find_person(acme.id, alice.id))->work_account_linked);
    EXPECT_FALSE((*store().find_person(other.id, alice.id))->work_account_linked);

    // One organization at a time: linking another replaces the first.
    ASSERT_TRUE(store().link_work_account({alice.id, other.id, "alice@other.test", tick()}));
    EXPECT_EQ((*store().find_work_account(alice.id))->organization_id, other.id);
    EXPECT_FALSE((*store().find_person(acme.id, alice.id))->work_account_linked);
    EXPECT_TRUE((*store().find_person(other.id, alice.id))->work_account_linked);

    EXPECT_TRUE(*store().unlink_work_account(alice.id));
    EXPECT_FALSE(*store().find_work_account(alice.id));
    EXPECT_FALSE(*store().unlink_work_account(alice.id));
}

}  // namespace
}  // namespace parley::store::testing
