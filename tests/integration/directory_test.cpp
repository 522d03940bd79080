// The organization's directory and work-account linking, beyond the seed stories: re-adding
// people, emails that change while a code is pending, and keeping an admin.

#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

TEST(Directory, PeopleAddedOneByOneOrAsAList) {
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    std::string org = first_organization_id(server, a.token);

    auto one = server.post(
        org_path(org) + "/people",
        {{"phone", "9876 5432"}, {"name", "Bob Tan"}, {"email", "Bob@Contoso.example"}}, a.token);
    ASSERT_EQ(one.status, 201) << one;
    EXPECT_EQ(one.body["added"][0]["phone"], kBobPhone);
    EXPECT_EQ(one.body["added"][0]["email"], "bob@contoso.example");
    EXPECT_EQ(one.body["added"][0]["role"], "member");

    auto list = server.post(org_path(org) + "/people",
                            {{"phones", std::string(kCarolPhone) + ", 12 ,8765 4321,"}}, a.token);
    ASSERT_EQ(list.status, 201) << list;
    EXPECT_EQ(list.body["added"].size(), 2u) << list;
    ASSERT_EQ(list.body["failed"].size(), 1u) << list;
    EXPECT_EQ(list.body["failed"][0]["error"]["code"], "invalid_phone");

    auto taken = server.post(org_path(org) + "/people",
                             {{"phone", kCarolPhone}, {"email", "bob@contoso.example"}}, a.token);
    EXPECT_EQ(taken.status, 409) << taken;
    EXPECT_EQ(taken.error_code(), "email_taken");

    auto search = server.get(org_path(org) + "/people?q=bob", a.token);
    ASSERT_EQ(search.status, 200) << search;
    EXPECT_EQ(search.body["total"], 1);
    auto all = server.get(org_path(org) + "/people", a.token);
    EXPECT_EQ(all.body["total"], 4);

    // A member needs the work-account sign-in to search the directory.
    Session b = server.sign_in(kBobPhone);
    auto unlinked = server.get(org_path(org) + "/people", b.token);
    EXPECT_EQ(unlinked.status, 403) << unlinked;
    EXPECT_EQ(unlinked.error_code(), "work_account_required");
    server.link_work_account(b, "bob@contoso.example");
    auto linked = server.get(org_path(org) + "/people?q=bob", b.token);
    EXPECT_EQ(linked.status, 200) << linked;
    auto add = server.post(org_path(org) + "/people", {{"phone", kErinPhone}}, b.token);
    EXPECT_EQ(add.status, 403) << add;
    EXPECT_EQ(add.error_code(), "org_admin_required");
}

TEST(Directory, RemovedPersonCanBeAddedBackAndLinkAgain) {
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, a.token);
    add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
    server.link_work_account(b, "bob@contoso.example");

    ASSERT_EQ(server.del(org_path(org) + "/people/" + b.user_id, a.token).status, 200);
    auto twice = server.del(org_path(org) + "/people/" + b.user_id, a.token);
    EXPECT_EQ(twice.status, 404) << twice;
    // Removed: cannot prove the old email any more.
    auto stale =
        server.post("/api/v1/me/work-account", {{"email", "bob@contoso.example"}}, b.token);
    EXPECT_EQ(stale.status, 404) << stale;

    add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
    auto entry = server.get(org_path(org) + "/people/" + b.user_id, a.token);
    ASSERT_EQ(entry.status, 200) << entry;
    EXPECT_EQ(entry.body["work_account_linked"], false) << "a new entry starts unlinked";
    server.link_work_account(b, "bob@contoso.example");
    auto relinked = server.get(org_path(org) + "/people/" + b.user_id, a.token);
    EXPECT_EQ(relinked.body["work_account_linked"], true) << relinked;
}

TEST(Directory, ReAddingTheOnlyAdminDoesNotDemoteThem) {
    // Regression: POST /organizations/{id}/people used to upsert the entry with the role
    // defaulting to "member", so adding the only admin again (e.g. to give them an email, as
    // in seed 003) silently demoted them and left the organization without admins.
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    std::string org = first_organization_id(server, a.token);
    auto again = server.post(org_path(org) + "/people",
                             {{"phone", kAdminPhone}, {"email", "admin@contoso.example"}}, a.token);
    // Either the role is kept, or the request is refused for removing the last admin.
    if (again.status == 201) {
        EXPECT_EQ(again.body["added"][0]["role"], "admin") << again;
    } else {
        EXPECT_EQ(again.status, 409) << again;
        EXPECT_EQ(again.error_code(), "last_admin");
    }
    auto org_view = server.get(org_path(org), a.token);
    EXPECT_EQ(org_view.body["my_role"], "admin") << org_view;
    auto patch = server.patch(org_path(org), {{"name", "Contoso Ltd"}}, a.token);
    EXPECT_EQ(patch.status, 200) << "the organization has no admin left: " << patch;
}

TEST(Directory, WorkAccountCodeIsVoidWhenTheDirectoryEmailChanges) {
    // Regression: the code is sent to the email the directory listed at request time; if an
    // admin changes the email meanwhile, proving the old address must not link the new one,
    // which the person never proved.
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, a.token);
    add_person(server, a.token, org, kBobPhone, "bob.old@contoso.example");

    auto requested =
        server.post("/api/v1/me/work-account", {{"email", "bob.old@contoso.example"}}, b.token);
    ASSERT_EQ(requested.status, 202) << requested;
    std::string code = server.work_account_code(kBobPhone);
    auto changed = server.patch(org_path(org) + "/people/" + b.user_id,
                                {{"email", "bob.new@contoso.example"}}, a.token);
    ASSERT_EQ(changed.status, 200) << changed;

    auto confirmed = server.put("/api/v1/me/work-account", {{"code", code}}, b.token);
    EXPECT_EQ(confirmed.status, 409) << confirmed;
    EXPECT_EQ(confirmed.error_code(), "work_account_changed");
    auto account = server.get("/api/v1/me/work-account", b.token);
    EXPECT_EQ(account.status, 404) << "linked to an email never proved: " << account;
}

TEST(Directory, PatchWithEmptyEmailClearsIt) {
    // Clearing the address also voids a pending work-account code sent to it.
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, a.token);
    add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
    auto requested =
        server.post("/api/v1/me/work-account", {{"email", "bob@contoso.example"}}, b.token);
    ASSERT_EQ(requested.status, 202) << requested;
    std::string code = server.work_account_code(kBobPhone);

    auto cleared = server.patch(org_path(org) + "/people/" + b.user_id, {{"email", ""}}, a.token);
    ASSERT_EQ(cleared.status, 200) << cleared;
    EXPECT_EQ(cleared.body["email"], nullptr) << cleared;
    auto entry = server.get(org_path(org) + "/people/" + b.user_id, a.token);
    EXPECT_EQ(entry.body["email"], nullptr) << entry;

    auto confirmed = server.put("/api/v1/me/work-account", {{"code", code}}, b.token);
    EXPECT_EQ(confirmed.status, 409) << confirmed;
    EXPECT_EQ(confirmed.error_code(), "work_account_changed");
}

TEST(Directory, ChangingTheEmailUnlinksTheWorkAccount) {
    // A work account proves one address: when the directory's address changes, the link goes,
    // and with it access to organization chats.
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, a.token);
    add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
    server.link_work_account(b, "bob@contoso.example");
    ASSERT_EQ(server.get("/api/v1/me/work-account", b.token).status, 200);

    // Keeping the same address (another field changes) keeps the link.
    auto renamed =
        server.patch(org_path(org) + "/people/" + b.user_id, {{"name", "Bob Tan"}}, a.token);
    ASSERT_EQ(renamed.status, 200) << renamed;
    EXPECT_EQ(renamed.body["work_account_linked"], true) << renamed;

    auto changed = server.patch(org_path(org) + "/people/" + b.user_id,
                                {{"email", "robert@contoso.example"}}, a.token);
    ASSERT_EQ(changed.status, 200) << changed;
    EXPECT_EQ(changed.body["work_account_linked"], false) << changed;
    auto account = server.get("/api/v1/me/work-account", b.token);
    EXPECT_EQ(account.status, 404) << account;
    // The new address can be proved.
    server.link_work_account(b, "robert@contoso.example");
    auto entry = server.get(org_path(org) + "/people/" + b.user_id, a.token);
    EXPECT_EQ(entry.body["work_account_linked"], true) << entry;
}

}  // namespace
}  // namespace parley::it
