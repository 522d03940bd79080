// Export jobs and the pages an export reads: keyset pages by phone that never overlap or skip,
// each person's values and organization groups (not private ones, not another organization's),
// group members named as the directory names them, the history filtered and newest first, and
// unfinished jobs failed at start-up.

#include "unit/store/store_test_support.hpp"

namespace parley::store::testing {
namespace {

class ExportStoreTest : public StoreTest {
protected:
    core::ExportJob job(const core::Organization& org, const core::User& by,
                        const core::Id& group_id = "") {
        core::ExportJob j;
        j.id = crypto::new_id("exp");
        j.organization_id = org.id;
        j.kind = group_id.empty() ? core::ExportKind::people : core::ExportKind::group_members;
        j.group_id = group_id;
        j.file_name = "people.csv";
        j.exported_by = by.id;
        j.created_at = tick();
        must(store().create_export_job(j), "create_export_job");
        return j;
    }
};

TEST_F(ExportStoreTest, PeoplePagesByPhoneWithValuesAndGroups) {
    auto org = make_org("Contoso");
    auto other = make_org("Fabrikam");
    std::vector<core::User> users;
    for (int i = 0; i < 5; ++i) users.push_back(make_user("U" + std::to_string(i)));
    for (const auto& u : users) add_person(org, u);
    add_person(other, users[0]);
    auto removed = make_user("Gone");
    add_person(org, removed);
    must(store().remove_person(org.id, removed.id, tick()), "remove_person");

    core::AttributeDefinition dept;
    dept.id = crypto::new_id("att");
    dept.organization_id = org.id;
    dept.name = "Department";
    dept.created_at = tick();
    must(store().add_attributes({dept}), "add_attributes");
    must(store().set_attribute_values(org.id, users[1].id, {{dept.id, users[1].id, "Sales"}}),
         "set_attribute_values");

    make_group(users[1], {users[2]}, core::Owner::organization(org.id), "beta");
    make_group(users[2], {users[1]}, core::Owner::organization(org.id), "Alpha");
    make_group(users[1], {}, core::Owner::private_owner(), "Private");
    make_group(users[1], {}, core::Owner::organization(other.id), "Elsewhere");

    std::vector<ExportedPerson> all;
    std::string after;
    int pages = 0;
    for (;;) {
        auto page = must(store().export_people_page(org.id, after, 2), "export_people_page");
        if (page.empty()) break;
        ++pages;
        EXPECT_LE(page.size(), 2u);
        after = page.back().person.phone;
        for (auto& p : page) all.push_back(std::move(p));
    }
    EXPECT_EQ(pages, 3);
    ASSERT_EQ(all.size(), 5u) << "the removed person is not exported";
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].person.phone, users[i].phone);  // next_phone() counts up
    }
    ASSERT_EQ(all[1].values.size(), 1u);
    EXPECT_EQ(all[1].values[0].value, "Sales");
    EXPECT_TRUE(all[0].values.empty());
    using Groups = std::vector<std::pair<std::string, core::MemberRole>>;
    EXPECT_EQ(all[1].groups,
              (Groups{{"Alpha", core::MemberRole::member}, {"beta", core::MemberRole::admin}}));
    EXPECT_EQ(all[2].groups,
              (Groups{{"Alpha", core::MemberRole::admin}, {"beta", core::MemberRole::member}}));
    EXPECT_TRUE(all[0].groups.empty());
}

TEST_F(ExportStoreTest, MembersPageByPhoneWithDirectoryNames) {
    auto org = make_org("Contoso");
    auto a = make_user("Account name");
    auto b = make_user("Outsider");
    auto c = make_user("C");
    auto entry = add_person(org, a);
    entry.name = "Directory name";
    must(store().upsert_person(entry), "upsert_person");
    add_person(org, c);
    auto group = make_group(c, {a, b}, core::Owner::organization(org.id), "Crew");

    EXPECT_EQ(must(store().count_members(group.id), "count_members"), 3);
    auto first = must(store().export_members_page(group.id, org.id, "", 2), "page");
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].phone, a.phone);
    EXPECT_EQ(first[0].name, "Directory name");
    EXPECT_EQ(first[0].role, core::MemberRole::member);
    EXPECT_EQ(first[1].phone, b.phone);
    EXPECT_EQ(first[1].name, "Outsider") << "not in the directory: the account's name";
    auto second = must(store().export_members_page(group.id, org.id, first[1].phone, 2), "page");
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].phone, c.phone);
    EXPECT_EQ(second[0].role, core::MemberRole::admin);
    EXPECT_TRUE(must(store().export_members_page(group.id, org.id, c.phone, 2), "page").empty());
}

TEST_F(ExportStoreTest, JobsHistoryAndRecovery) {
    auto org = make_org("Contoso");
    auto admin = make_user("Admin");
    auto bob = make_user("Bob");
    auto group = make_group(bob, {}, core::Owner::organization(org.id), "Sales");
    auto first = job(org, admin);
    auto second = job(org, bob, group.id);
    auto third = job(org, admin);
    third.status = core::ExportStatus::completed;
    third.rows = 12;
    third.file_bytes = 345;
    third.progress = 100;
    third.finished_at = tick();
    must(store().update_export_job(third), "update_export_job");

    auto all = must(store().list_export_jobs(org.id, std::nullopt, 10), "list");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, third.id);
    EXPECT_EQ(all[1].id, second.id);
    EXPECT_EQ(all[2].id, first.id);
    EXPECT_EQ(all[0].rows, 12);
    EXPECT_EQ(all[0].file_bytes, 345);
    EXPECT_EQ(all[0].exported_by_phone, admin.phone);
    auto bobs = must(store().list_export_jobs(org.id, bob.id, 10), "list");
    ASSERT_EQ(bobs.size(), 1u);
    EXPECT_EQ(bobs[0].id, second.id);
    EXPECT_EQ(bobs[0].kind, core::ExportKind::group_members);
    EXPECT_EQ(bobs[0].group_id, group.id);
    EXPECT_EQ(bobs[0].group_name, "Sales");
    EXPECT_EQ(must(store().list_export_jobs(org.id, std::nullopt, 1), "list").size(), 1u);

    auto running = first;
    running.status = core::ExportStatus::running;
    must(store().update_export_job(running), "update_export_job");
    EXPECT_EQ(must(store().fail_unfinished_export_jobs("export_interrupted", "stopped", tick()),
                   "fail_unfinished"),
              2);  // the running one and the queued one
    auto failed = must(store().find_export_job(org.id, first.id), "find");
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->status, core::ExportStatus::failed);
    EXPECT_EQ(failed->error_code, "export_interrupted");
    EXPECT_TRUE(failed->finished_at);
    auto done = must(store().find_export_job(org.id, third.id), "find");
    EXPECT_EQ(done->status, core::ExportStatus::completed) << "finished jobs stay as they are";
    EXPECT_FALSE(must(store().find_export_job(make_org("Other").id, first.id), "find"))
        << "a job is found through its organization only";
}

}  // namespace
}  // namespace parley::store::testing
