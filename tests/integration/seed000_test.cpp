// Seed 000, "About organization and private chats and groups": the tables of who owns what,
// who may create and see what, and the organization's policies and directory.

#include <gtest/gtest.h>

#include <algorithm>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

const json kPrivate = {{"type", "private"}};

json org_owner(const std::string& org) {
    return {{"type", "organization"}, {"organization_id", org}};
}

bool contains_id(const json& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(), [&](const json& x) { return x["id"] == id; });
}

// Contoso with admin A (linked) and member B (in the directory with an email, linked).
struct Contoso {
    ParleyServer server{contoso_args()};
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, a.token);

    void link_admin() {
        auto r = server.patch(org_path(org) + "/people/" + a.user_id,
                              {{"email", "admin@contoso.example"}}, a.token);
        ASSERT_EQ(r.status, 200) << r;
        server.link_work_account(a, "admin@contoso.example");
    }
    void add_bob(bool link) {
        add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
        if (link) server.link_work_account(b, "bob@contoso.example");
    }
};

TEST(Seed000, PrivateChatIsOwnedByItsPeopleAndCreatedOnce) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);

    auto chat = server.post("/api/v1/chats", {{"phone", kBobPhone}}, a.token);
    ASSERT_EQ(chat.status, 201) << chat;
    EXPECT_EQ(chat.body["kind"], "chat");
    EXPECT_EQ(chat.body["owner"], kPrivate);
    EXPECT_EQ(chat.body["created"], true);
    EXPECT_FALSE(chat.body.contains("notice"));
    std::string id = chat.body["id"];

    // The same chat again, also written nationally and from the other side.
    auto again = server.post("/api/v1/chats", {{"phone", kBobPhone}}, a.token);
    EXPECT_EQ(again.status, 200) << again;
    EXPECT_EQ(again.body["id"], id);
    EXPECT_EQ(again.body["created"], false);
    auto national = server.post("/api/v1/chats", {{"phone", "9876 5432"}}, a.token);
    EXPECT_EQ(national.status, 200) << national;
    EXPECT_EQ(national.body["id"], id);
    auto reverse = server.post("/api/v1/chats", {{"phone", kAdminPhone}}, b.token);
    EXPECT_EQ(reverse.status, 200) << reverse;
    EXPECT_EQ(reverse.body["id"], id);

    auto sent = send_text(server, b.token, id, "hello privately");
    EXPECT_EQ(sent["owner"], kPrivate);

    // Listed for both with the peer named.
    auto list = server.get("/api/v1/conversations", a.token);
    ASSERT_EQ(list.status, 200) << list;
    ASSERT_EQ(list.body["conversations"].size(), 1u);
    EXPECT_EQ(list.body["conversations"][0]["peer"]["id"], b.user_id);

    auto self = server.post("/api/v1/chats", {{"phone", kAdminPhone}}, a.token);
    EXPECT_EQ(self.status, 422) << self;
    EXPECT_EQ(self.error_code(), "cannot_chat_with_self");
}

TEST(Seed000, OrganizationChatNeedsBothPeopleSignedInToTheWorkAccount) {
    Contoso c;
    auto& server = c.server;
    c.add_bob(/*link=*/false);

    auto privately = server.post("/api/v1/chats", {{"phone", kBobPhone}}, c.a.token);
    ASSERT_EQ(privately.status, 201) << privately;

    // The creator must be linked ...
    json request = {{"phone", kBobPhone}, {"organization_id", c.org}};
    auto unlinked = server.post("/api/v1/chats", request, c.a.token);
    EXPECT_EQ(unlinked.status, 403) << unlinked;
    EXPECT_EQ(unlinked.error_code(), "work_account_required");

    // ... and so must the other person.
    c.link_admin();
    auto peer_unlinked = server.post("/api/v1/chats", request, c.a.token);
    EXPECT_EQ(peer_unlinked.status, 409) << peer_unlinked;
    EXPECT_EQ(peer_unlinked.error_code(), "peer_not_signed_in");
    Session carol = server.sign_in(kCarolPhone);  // not in the directory at all
    auto outsider = server.post("/api/v1/chats",
                                {{"phone", kCarolPhone}, {"organization_id", c.org}}, c.a.token);
    EXPECT_EQ(outsider.status, 409) << outsider;
    EXPECT_EQ(outsider.error_code(), "peer_not_signed_in");
    // Someone outside the directory cannot start one either.
    auto from_outsider = server.post(
        "/api/v1/chats", {{"phone", kAdminPhone}, {"organization_id", c.org}}, carol.token);
    EXPECT_EQ(from_outsider.status, 404) << from_outsider;
    EXPECT_EQ(from_outsider.error_code(), "organization_not_found");

    server.link_work_account(c.b, "bob@contoso.example");
    auto chat = server.post("/api/v1/chats", request, c.a.token);
    ASSERT_EQ(chat.status, 201) << chat;
    EXPECT_EQ(chat.body["kind"], "chat");
    EXPECT_EQ(chat.body["owner"], org_owner(c.org));
    EXPECT_TRUE(chat.body.contains("notice"));
    EXPECT_NE(chat.body["id"], privately.body["id"])
        << "the organization chat and the private chat between the same two are distinct";

    auto again = server.post("/api/v1/chats", {{"phone", kAdminPhone}, {"organization_id", c.org}},
                             c.b.token);
    EXPECT_EQ(again.status, 200) << again;
    EXPECT_EQ(again.body["id"], chat.body["id"]);
    EXPECT_EQ(again.body["created"], false);

    auto sent = send_text(server, c.b.token, chat.body["id"], "work talk");
    EXPECT_EQ(sent["owner"], org_owner(c.org));
    auto private_sent = send_text(server, c.b.token, privately.body["id"], "weekend talk");
    EXPECT_EQ(private_sent["owner"], kPrivate);

    // Organization chats need the sign-in at all times: unlinking closes it.
    auto unlink = server.del("/api/v1/me/work-account", c.b.token);
    EXPECT_EQ(unlink.status, 204) << unlink;
    auto closed = server.get(messages_path(chat.body["id"]), c.b.token);
    EXPECT_EQ(closed.status, 403) << closed;
    EXPECT_EQ(closed.error_code(), "work_account_required");
    auto still_private = server.get(messages_path(privately.body["id"]), c.b.token);
    EXPECT_EQ(still_private.status, 200) << still_private;
}

TEST(Seed000, OrganizationGroupsFromThePortalAreOwnedAndListed) {
    Contoso c;
    auto& server = c.server;
    c.add_bob(/*link=*/false);

    auto created = server.post(org_path(c.org) + "/groups",
                               {{"name", "Sales"}, {"members", {kBobPhone}}}, c.a.token);
    ASSERT_EQ(created.status, 201) << created;
    EXPECT_EQ(created.body["kind"], "group");
    EXPECT_EQ(created.body["owner"], org_owner(c.org));
    ASSERT_EQ(created.body["members"]["added"].size(), 1u) << created;
    std::string sales = created.body["id"];

    // Members of a portal group see it is the organization's.
    auto view = server.get(group_path(sales), c.b.token);
    ASSERT_EQ(view.status, 200) << view;
    EXPECT_EQ(view.body["organization"]["name"], "Contoso");
    auto history = all_messages(server.http(), sales, c.b.token);
    bool told = false;
    for (const auto& m : history) {
        EXPECT_EQ(m["owner"], org_owner(c.org)) << m;
        if (m["text"].get<std::string>().find("owned by Contoso") != std::string::npos) told = true;
    }
    EXPECT_TRUE(told) << "a person added to an organization group is told who owns it";

    // Only admins create them.
    auto by_member = server.post(org_path(c.org) + "/groups", {{"name", "Mine"}}, c.b.token);
    EXPECT_EQ(by_member.status, 403) << by_member;
    EXPECT_EQ(by_member.error_code(), "org_admin_required");

    // B's private group is not the organization's business.
    std::string secret = create_group(server, c.b.token, "Bob's friends");
    auto admin_sees = server.get(group_path(secret), c.a.token);
    EXPECT_EQ(admin_sees.status, 404) << admin_sees;
    auto admin_reads = server.get(messages_path(secret), c.a.token);
    EXPECT_EQ(admin_reads.status, 404) << admin_reads;

    auto listed = server.get(org_path(c.org) + "/groups", c.a.token);
    ASSERT_EQ(listed.status, 200) << listed;
    EXPECT_TRUE(contains_id(listed.body["groups"], sales));
    EXPECT_FALSE(contains_id(listed.body["groups"], secret));
    EXPECT_EQ(listed.body["groups"].size(), 1u);

    // A member sees the organization groups they are in.
    auto member_list = server.get(org_path(c.org) + "/groups", c.b.token);
    ASSERT_EQ(member_list.status, 200) << member_list;
    EXPECT_TRUE(contains_id(member_list.body["groups"], sales));
    EXPECT_FALSE(contains_id(member_list.body["groups"], secret));
}

TEST(Seed000, OrganizationAdminSeesGroupInfoButNotItsMessages) {
    Contoso c;
    auto& server = c.server;
    c.add_bob(false);
    // A second admin who is in no group.
    add_person(server, c.a.token, c.org, kCarolPhone, "", "admin");
    Session carol = server.sign_in(kCarolPhone);

    auto created = server.post(org_path(c.org) + "/groups",
                               {{"name", "Ops"}, {"members", {kBobPhone}}}, c.a.token);
    ASSERT_EQ(created.status, 201) << created;
    std::string ops = created.body["id"];
    send_text(server, c.b.token, ops, "internal numbers");

    auto info = server.get(group_path(ops), carol.token);
    ASSERT_EQ(info.status, 200) << info;
    EXPECT_EQ(info.body["my_role"], nullptr);
    EXPECT_EQ(info.body["member_count"], 2);
    auto members = server.get(group_path(ops) + "/members", carol.token);
    EXPECT_EQ(members.status, 200) << members;

    auto read = server.get(messages_path(ops), carol.token);
    EXPECT_EQ(read.status, 404) << read;
    EXPECT_EQ(read.error_code(), "conversation_not_found");
    auto send = server.post(messages_path(ops), {{"text", "hi"}}, carol.token);
    EXPECT_EQ(send.status, 404) << send;
    auto listed = server.get(org_path(c.org) + "/groups", carol.token);
    ASSERT_EQ(listed.status, 200) << listed;
    EXPECT_TRUE(contains_id(listed.body["groups"], ops));
    // Nor does it show in their own conversation list.
    auto mine = server.get("/api/v1/conversations", carol.token);
    ASSERT_EQ(mine.status, 200) << mine;
    EXPECT_FALSE(contains_id(mine.body["conversations"], ops));
}

TEST(Seed000, PolicyGroupsRequireWorkAccount) {
    Contoso c;
    auto& server = c.server;
    c.add_bob(/*link=*/false);
    auto created = server.post(org_path(c.org) + "/groups",
                               {{"name", "Plant"}, {"members", {kBobPhone}}}, c.a.token);
    ASSERT_EQ(created.status, 201) << created;
    std::string plant = created.body["id"];
    std::string private_group = create_group(server, c.b.token, "Carpool");

    // Off by default: an unlinked member takes part.
    send_text(server, c.b.token, plant, "before the policy");

    // Only the organization's admins set policies.
    auto by_member = server.patch(
        org_path(c.org), {{"policies", {{"groups_require_work_account", true}}}}, c.b.token);
    EXPECT_EQ(by_member.status, 403) << by_member;

    auto set = server.patch(org_path(c.org),
                            {{"policies", {{"groups_require_work_account", true}}}}, c.a.token);
    ASSERT_EQ(set.status, 200) << set;
    EXPECT_EQ(set.body["policies"]["groups_require_work_account"], true);
    EXPECT_EQ(set.body["policies"]["parley_enabled"], true);

    auto send = server.post(messages_path(plant), {{"text", "after the policy"}}, c.b.token);
    EXPECT_EQ(send.status, 403) << send;
    EXPECT_EQ(send.error_code(), "work_account_required");
    auto read = server.get(messages_path(plant), c.b.token);
    EXPECT_EQ(read.status, 403) << read;
    EXPECT_EQ(read.error_code(), "work_account_required");
    // Private groups are untouched by the organization's policies.
    send_text(server, c.b.token, private_group, "private as ever");
    // Nobody unlinked joins by invite link either.
    Session carol = server.sign_in(kCarolPhone);
    auto invite = server.post(group_path(plant) + "/invites", json::object(), c.a.token);
    ASSERT_EQ(invite.status, 201) << invite;
    auto join = server.post("/api/v1/invites/" + invite.body["token"].get<std::string>(),
                            json::object(), carol.token);
    EXPECT_EQ(join.status, 403) << join;
    EXPECT_EQ(join.error_code(), "work_account_required");
    EXPECT_EQ(server.get(group_path(plant), carol.token).status, 404);

    // Linking lets B back in.
    server.link_work_account(c.b, "bob@contoso.example");
    send_text(server, c.b.token, plant, "linked now");
    auto history = server.get(messages_path(plant), c.b.token);
    EXPECT_EQ(history.status, 200) << history;
}

TEST(Seed000, ParleyDisabledClosesOrganizationConversations) {
    Contoso c;
    auto& server = c.server;
    c.add_bob(/*link=*/true);
    c.link_admin();
    auto created = server.post(org_path(c.org) + "/groups",
                               {{"name", "Warehouse"}, {"members", {kBobPhone}}}, c.a.token);
    ASSERT_EQ(created.status, 201) << created;
    std::string group = created.body["id"];
    auto chat =
        server.post("/api/v1/chats", {{"phone", kBobPhone}, {"organization_id", c.org}}, c.a.token);
    ASSERT_EQ(chat.status, 201) << chat;
    std::string private_group = create_group(server, c.a.token, "Lunch");
    auto added =
        server.post(group_path(private_group) + "/members", {{"phone", kBobPhone}}, c.a.token);
    ASSERT_EQ(added.status, 200) << added;

    auto off =
        server.patch(org_path(c.org), {{"policies", {{"parley_enabled", false}}}}, c.a.token);
    ASSERT_EQ(off.status, 200) << off;
    EXPECT_EQ(off.body["policies"]["parley_enabled"], false);

    for (const std::string& id : {group, chat.body["id"].get<std::string>()}) {
        SCOPED_TRACE(id);
        for (const Session* who : {&c.a, &c.b}) {
            auto send = server.post(messages_path(id), {{"text", "anyone?"}}, who->token);
            EXPECT_EQ(send.status, 403) << send;
            EXPECT_EQ(send.error_code(), "organization_disabled");
            auto read = server.get(messages_path(id), who->token);
            EXPECT_EQ(read.status, 403) << read;
            EXPECT_EQ(read.error_code(), "organization_disabled");
        }
    }
    // Members cannot even see the organization; its admin keeps the portal.
    auto member_view = server.get(org_path(c.org), c.b.token);
    EXPECT_EQ(member_view.status, 403) << member_view;
    auto admin_view = server.get(org_path(c.org), c.a.token);
    EXPECT_EQ(admin_view.status, 200) << admin_view;
    // Private conversations go on.
    send_text(server, c.b.token, private_group, "still here");

    auto on = server.patch(org_path(c.org), {{"policies", {{"parley_enabled", true}}}}, c.a.token);
    ASSERT_EQ(on.status, 200) << on;
    send_text(server, c.b.token, group, "back again");
}

TEST(Seed000, RemovingPersonFromDirectoryRemovesThemFromOrganizationGroupsOnly) {
    Contoso c;
    auto& server = c.server;
    c.add_bob(/*link=*/true);
    c.link_admin();

    std::vector<std::string> org_groups;
    for (const char* name : {"North", "South"}) {
        auto g = server.post(org_path(c.org) + "/groups",
                             {{"name", name}, {"members", {kBobPhone}}}, c.a.token);
        ASSERT_EQ(g.status, 201) << g;
        org_groups.push_back(g.body["id"]);
    }
    // A group that joined the organization later.
    std::string moved = create_group(server, c.a.token, "Moved");
    ASSERT_EQ(server.post(group_path(moved) + "/members", {{"phone", kBobPhone}}, c.a.token).status,
              200);
    auto move =
        server.put(group_path(moved) + "/organization", {{"organization_id", c.org}}, c.a.token);
    ASSERT_EQ(move.status, 200) << move;
    org_groups.push_back(moved);
    // And a private group with the same two people.
    std::string private_group = create_group(server, c.a.token, "Football");
    ASSERT_EQ(server.post(group_path(private_group) + "/members", {{"phone", kBobPhone}}, c.a.token)
                  .status,
              200);
    auto chat =
        server.post("/api/v1/chats", {{"phone", kBobPhone}, {"organization_id", c.org}}, c.a.token);
    ASSERT_EQ(chat.status, 201) << chat;

    auto removed = server.del(org_path(c.org) + "/people/" + c.b.user_id, c.a.token);
    ASSERT_EQ(removed.status, 200) << removed;
    for (const auto& g : org_groups) {
        auto left = removed.body["removed_from_groups"];
        EXPECT_NE(std::find(left.begin(), left.end(), json(g)), left.end()) << g << " " << removed;
    }

    for (const auto& g : org_groups) {
        SCOPED_TRACE(g);
        auto view = server.get(group_path(g), c.b.token);
        EXPECT_EQ(view.status, 404) << view;
        auto send = server.post(messages_path(g), {{"text", "still in?"}}, c.b.token);
        EXPECT_EQ(send.status, 404) << send;
        auto members = server.get(group_path(g) + "/members", c.a.token);
        ASSERT_EQ(members.status, 200) << members;
        for (const auto& m : members.body["members"]) EXPECT_NE(m["id"], c.b.user_id);
    }
    // The organization chat is closed to B too (B's work account is gone).
    auto chat_read = server.get(messages_path(chat.body["id"]), c.b.token);
    EXPECT_TRUE(chat_read.status == 403 || chat_read.status == 404) << chat_read;

    // The private group is untouched.
    auto still = server.get(group_path(private_group), c.b.token);
    EXPECT_EQ(still.status, 200) << still;
    send_text(server, c.b.token, private_group, "I'm still here");

    // B's work account is unlinked and the directory no longer lists B.
    auto me = server.get("/api/v1/me", c.b.token);
    ASSERT_EQ(me.status, 200) << me;
    EXPECT_EQ(me.body["work_account"], nullptr) << me;
    EXPECT_TRUE(me.body["organizations"].empty()) << me;
    auto entry = server.get(org_path(c.org) + "/people/" + c.b.user_id, c.a.token);
    EXPECT_EQ(entry.status, 404) << entry;
    auto list = server.get("/api/v1/conversations", c.b.token);
    ASSERT_EQ(list.status, 200) << list;
    for (const auto& g : org_groups) EXPECT_FALSE(contains_id(list.body["conversations"], g));
    EXPECT_TRUE(contains_id(list.body["conversations"], private_group));

    // The last admin cannot be removed.
    auto last = server.del(org_path(c.org) + "/people/" + c.a.user_id, c.a.token);
    EXPECT_EQ(last.status, 409) << last;
    EXPECT_EQ(last.error_code(), "last_admin");
}

}  // namespace
}  // namespace parley::it
