// Seed 003, "Move existing groups": a group starts private, people join by invite link, its
// admin adds it to the organization after proving the work account, and from then on new
// messages belong to the organization while earlier ones stay private.

#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

TEST(Seed003, PrivateGroupMovesIntoOrganization) {
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, a.token);

    // A is Contoso's admin, B is in its directory as a member.
    auto me = server.get("/api/v1/me", a.token);
    ASSERT_EQ(me.status, 200) << me;
    EXPECT_EQ(me.body["organizations"][0]["name"], "Contoso");
    EXPECT_EQ(me.body["organizations"][0]["role"], "admin");
    EXPECT_EQ(me.body["work_account"], nullptr);
    add_person(server, a.token, org, kBobPhone, "", "member");

    // Step 1: A creates a group; it is private.
    auto created = server.post("/api/v1/groups", {{"name", "Field team"}}, a.token);
    ASSERT_EQ(created.status, 201) << created;
    EXPECT_EQ(created.body["kind"], "group");
    EXPECT_EQ(created.body["owner"], (json{{"type", "private"}}));
    EXPECT_EQ(created.body["name"], "Field team");
    std::string group = created.body["id"];

    // Step 2: an invite link; B previews it and joins.
    auto invite = server.post(group_path(group) + "/invites", json::object(), a.token);
    ASSERT_EQ(invite.status, 201) << invite;
    std::string token = invite.body["token"];
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(invite.body["path"], "/api/v1/invites/" + token);

    auto preview = server.get("/api/v1/invites/" + token, b.token);
    ASSERT_EQ(preview.status, 200) << preview;
    EXPECT_EQ(preview.body["group"]["id"], group);
    EXPECT_EQ(preview.body["group"]["name"], "Field team");
    EXPECT_EQ(preview.body["group"]["owner"], (json{{"type", "private"}}));
    EXPECT_EQ(preview.body["group"]["member_count"], 1);
    EXPECT_FALSE(preview.body["group"].contains("organization"));
    EXPECT_EQ(preview.body["revoked"], false);

    auto joined = server.post("/api/v1/invites/" + token, json::object(), b.token);
    ASSERT_EQ(joined.status, 201) << joined;
    EXPECT_EQ(joined.body["id"], group);
    EXPECT_EQ(joined.body["already_member"], false);

    // Both talk; the messages are private.
    auto a1 = send_text(server, a.token, group, "before: plan for Monday");
    auto b1 = send_text(server, b.token, group, "before: works for me");
    EXPECT_EQ(a1["owner"], (json{{"type", "private"}}));
    EXPECT_EQ(b1["owner"], (json{{"type", "private"}}));

    // Step 3: adding to the organization needs a group admin ...
    auto by_member =
        server.put(group_path(group) + "/organization", {{"organization_id", org}}, b.token);
    EXPECT_EQ(by_member.status, 403) << by_member;
    EXPECT_EQ(by_member.error_code(), "group_admin_required");

    // ... signed in to the organization's work account.
    auto unlinked =
        server.put(group_path(group) + "/organization", {{"organization_id", org}}, a.token);
    EXPECT_EQ(unlinked.status, 403) << unlinked;
    EXPECT_EQ(unlinked.error_code(), "work_account_required");

    // Proving an email the directory does not list fails.
    auto unknown_email =
        server.post("/api/v1/me/work-account", {{"email", "a@contoso.example"}}, a.token);
    EXPECT_EQ(unknown_email.status, 404) << unknown_email;
    EXPECT_EQ(unknown_email.error_code(), "work_account_not_found");

    // The admin's directory entry gets an email (PATCH keeps the admin role) ...
    auto patched = server.patch(org_path(org) + "/people/" + a.user_id,
                                {{"email", "A.Admin@Contoso.example"}}, a.token);
    ASSERT_EQ(patched.status, 200) << patched;
    EXPECT_EQ(patched.body["email"], "a.admin@contoso.example");
    EXPECT_EQ(patched.body["role"], "admin");
    EXPECT_EQ(patched.body["work_account_linked"], false);

    // ... and A proves it with the code sent to that email.
    auto requested =
        server.post("/api/v1/me/work-account", {{"email", "a.admin@contoso.example"}}, a.token);
    ASSERT_EQ(requested.status, 202) << requested;
    EXPECT_EQ(requested.body["organization_id"], org);
    EXPECT_EQ(requested.body["email"], "a.admin@contoso.example");
    bool emailed = false;
    for (const auto& line : server.outbox()) {
        if (line.value("purpose", "") == "work-account" && line.value("phone", "") == a.phone) {
            emailed = line.value("email", "") == "a.admin@contoso.example";
        }
    }
    EXPECT_TRUE(emailed) << "the work-account code must go to the directory email";

    // A wrong code is refused as a bad request, never as 401: that would sign the client out.
    std::string right_code = server.work_account_code(a.phone);
    auto wrong = server.put("/api/v1/me/work-account",
                            {{"code", right_code == "000000" ? "111111" : "000000"}}, a.token);
    EXPECT_EQ(wrong.status, 422) << wrong;
    EXPECT_EQ(wrong.error_code(), "code_invalid");
    EXPECT_EQ(server.get("/api/v1/me", a.token).status, 200);
    auto linked = server.put("/api/v1/me/work-account",
                             {{"code", server.work_account_code(a.phone)}}, a.token);
    ASSERT_EQ(linked.status, 200) << linked;
    EXPECT_EQ(linked.body["organization_id"], org);
    EXPECT_EQ(linked.body["email"], "a.admin@contoso.example");
    auto account = server.get("/api/v1/me/work-account", a.token);
    EXPECT_EQ(account.status, 200) << account;

    // Now the group joins the organization.
    auto moved =
        server.put(group_path(group) + "/organization", {{"organization_id", org}}, a.token);
    ASSERT_EQ(moved.status, 200) << moved;
    EXPECT_EQ(moved.body["id"], group);
    EXPECT_EQ(moved.body["owner"], (json{{"type", "organization"}, {"organization_id", org}}));
    EXPECT_TRUE(moved.body.contains("owned_since"));

    auto ownership = server.get(group_path(group) + "/organization", b.token);
    ASSERT_EQ(ownership.status, 200) << ownership;
    EXPECT_EQ(ownership.body["owner"]["type"], "organization");
    EXPECT_EQ(ownership.body["organization"]["name"], "Contoso");

    // New messages, from both, belong to the organization (B is outside the directory's
    // work accounts: organization groups admit outsiders unless policy says otherwise).
    auto a2 = send_text(server, a.token, group, "after: the contract draft");
    auto b2 = send_text(server, b.token, group, "after: reviewed");
    EXPECT_EQ(a2["owner"], (json{{"type", "organization"}, {"organization_id", org}}));
    EXPECT_EQ(b2["owner"], (json{{"type", "organization"}, {"organization_id", org}}));

    // History: old messages stay private, new ones are the organization's, and the change is
    // announced by a system message between them.
    auto history = all_messages(server.http(), group, b.token);
    int private_texts = 0, org_texts = 0;
    bool announced = false;
    std::int64_t announcement_seq = 0;
    for (const auto& m : history) {
        std::string text = m["text"];
        if (m["kind"] == "system" && text.find("now owned by Contoso") != std::string::npos) {
            announced = true;
            announcement_seq = m["seq"];
            EXPECT_EQ(m["owner"]["type"], "organization") << m;
            EXPECT_EQ(m["sender_id"], nullptr) << m;
        }
        if (m["kind"] != "text") continue;
        if (text.rfind("before:", 0) == 0) {
            ++private_texts;
            EXPECT_EQ(m["owner"], (json{{"type", "private"}})) << m;
        } else if (text.rfind("after:", 0) == 0) {
            ++org_texts;
            EXPECT_EQ(m["owner"], (json{{"type", "organization"}, {"organization_id", org}})) << m;
        }
    }
    EXPECT_EQ(private_texts, 2);
    EXPECT_EQ(org_texts, 2);
    EXPECT_TRUE(announced) << "no system message about the new ownership";
    EXPECT_GT(announcement_seq, b1["seq"].get<std::int64_t>());
    EXPECT_LT(announcement_seq, a2["seq"].get<std::int64_t>());

    // Editing an earlier message does not change who owns it.
    auto edited = server.patch(messages_path(group) + "/" + a1["id"].get<std::string>(),
                               {{"text", "before: plan for Tuesday"}}, a.token);
    ASSERT_EQ(edited.status, 200) << edited;
    EXPECT_EQ(edited.body["owner"], (json{{"type", "private"}}));
    for (const auto& m : all_messages(server.http(), group, b.token)) {
        if (m["id"] == a1["id"]) {
            EXPECT_EQ(m["text"], "before: plan for Tuesday");
            EXPECT_EQ(m["owner"], (json{{"type", "private"}}));
        }
    }

    // It appears among the organization's groups in the portal.
    auto groups = server.get(org_path(org) + "/groups", a.token);
    ASSERT_EQ(groups.status, 200) << groups;
    ASSERT_EQ(groups.body["groups"].size(), 1u) << groups;
    EXPECT_EQ(groups.body["groups"][0]["id"], group);

    // A second add to the same organization changes nothing: no second announcement, the
    // same owned_since. (Another organization is refused: see OneOrganizationOwnsAGroup.)
    auto again =
        server.put(group_path(group) + "/organization", {{"organization_id", org}}, a.token);
    EXPECT_TRUE(again.status == 200 ||
                (again.status == 409 && again.error_code() == "already_owned"))
        << again;
    auto view_again = server.get(group_path(group), a.token);
    EXPECT_EQ(view_again.body["owned_since"], moved.body["owned_since"]);
    EXPECT_EQ(view_again.body["owner"], moved.body["owner"]);
    int announcements = 0;
    for (const auto& m : all_messages(server.http(), group, a.token)) {
        if (m["text"].get<std::string>().find("now owned by") != std::string::npos) ++announcements;
    }
    EXPECT_EQ(announcements, 1);

    // Someone joining now is told the organization owns the group.
    Session c = server.sign_in(kCarolPhone);
    auto invite2 = server.post(group_path(group) + "/invites", json::object(), a.token);
    ASSERT_EQ(invite2.status, 201) << invite2;
    auto preview2 =
        server.get("/api/v1/invites/" + invite2.body["token"].get<std::string>(), c.token);
    ASSERT_EQ(preview2.status, 200) << preview2;
    EXPECT_EQ(preview2.body["group"]["organization"]["name"], "Contoso");
    auto joined2 = server.post("/api/v1/invites/" + invite2.body["token"].get<std::string>(),
                               json::object(), c.token);
    ASSERT_EQ(joined2.status, 201) << joined2;
    auto after_join = all_messages(server.http(), group, c.token);
    ASSERT_FALSE(after_join.empty());
    EXPECT_NE(after_join.back()["text"].get<std::string>().find("owned by Contoso"),
              std::string::npos)
        << after_join.back();

    // Chats can never join an organization.
    auto chat = server.post("/api/v1/chats", {{"phone", kBobPhone}}, a.token);
    ASSERT_EQ(chat.status, 201) << chat;
    auto chat_add = server.put(group_path(chat.body["id"]) + "/organization",
                               {{"organization_id", org}}, a.token);
    EXPECT_EQ(chat_add.status, 409) << chat_add;
    EXPECT_EQ(chat_add.error_code(), "chat_cannot_join_organization");

    // An unknown organization.
    std::string other = create_group(server, a.token, "Second");
    auto nowhere =
        server.put(group_path(other) + "/organization", {{"organization_id", "org_nope"}}, a.token);
    EXPECT_EQ(nowhere.status, 404) << nowhere;
}

TEST(Seed003, OneOrganizationOwnsAGroup) {
    // "Only a single entity can own the data": once Contoso owns a group, another organization
    // cannot take it over, even through an admin of both.
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    std::string contoso = first_organization_id(server, a.token);
    ASSERT_EQ(server
                  .patch(org_path(contoso) + "/people/" + a.user_id,
                         {{"email", "a@contoso.example"}}, a.token)
                  .status,
              200);
    server.link_work_account(a, "a@contoso.example");
    std::string group = create_group(server, a.token, "Joint venture");
    auto moved =
        server.put(group_path(group) + "/organization", {{"organization_id", contoso}}, a.token);
    ASSERT_EQ(moved.status, 200) << moved;

    // A second organization, Fabrikam, with the same admin (bootstrapped on a restart).
    ASSERT_EQ(server.stop(), 0);
    server.restart({"--init-org", "Fabrikam", "--init-admin", kAdminPhone});
    auto me = server.get("/api/v1/me", a.token);
    ASSERT_EQ(me.status, 200) << me;
    std::string fabrikam;
    for (const auto& o : me.body["organizations"]) {
        if (o["name"] == "Fabrikam") fabrikam = o["id"];
    }
    ASSERT_FALSE(fabrikam.empty()) << me;
    ASSERT_EQ(server
                  .patch(org_path(fabrikam) + "/people/" + a.user_id,
                         {{"email", "a@fabrikam.example"}}, a.token)
                  .status,
              200);
    server.link_work_account(a, "a@fabrikam.example");

    auto taken =
        server.put(group_path(group) + "/organization", {{"organization_id", fabrikam}}, a.token);
    EXPECT_EQ(taken.status, 409) << taken;
    EXPECT_EQ(taken.error_code(), "already_owned");
    auto still = server.get(group_path(group) + "/organization", a.token);
    EXPECT_EQ(still.body["organization"]["id"], contoso) << still;

    // A private group can go to Fabrikam now that A is signed in there.
    std::string other = create_group(server, a.token, "Fabrikam team");
    auto to_fabrikam =
        server.put(group_path(other) + "/organization", {{"organization_id", fabrikam}}, a.token);
    EXPECT_EQ(to_fabrikam.status, 200) << to_fabrikam;
}

}  // namespace
}  // namespace parley::it
