// Groups: members by phone number, admins, leaving, invite links, renaming.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

std::vector<std::string> member_ids(ParleyServer& server, const std::string& group,
                                    const std::string& token) {
    auto r = server.get(group_path(group) + "/members", token);
    EXPECT_EQ(r.status, 200) << r;
    std::vector<std::string> ids;
    for (const auto& m : r.body["members"]) ids.push_back(m["id"]);
    return ids;
}

std::string role_of(ParleyServer& server, const std::string& group, const std::string& token,
                    const std::string& user_id) {
    auto r = server.get(group_path(group) + "/members", token);
    for (const auto& m : r.body["members"]) {
        if (m["id"] == user_id) return m["role"];
    }
    return "";
}

TEST(Groups, AddMembersByPhoneOneOrMany) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    std::string group = create_group(server, a.token, "Neighbours");

    auto one = server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token);
    ASSERT_EQ(one.status, 200) << one;
    ASSERT_EQ(one.body["added"].size(), 1u) << one;
    EXPECT_EQ(one.body["added"][0]["phone"], kBobPhone);
    EXPECT_TRUE(one.body["failed"].empty());

    // A list with a national number, a bad number and an existing member.
    auto many = server.post(group_path(group) + "/members",
                            {{"phones", {"8123 4567", "12", kDavePhone, kBobPhone}}}, a.token);
    ASSERT_EQ(many.status, 200) << many;
    ASSERT_EQ(many.body["added"].size(), 2u) << many;
    EXPECT_EQ(many.body["added"][0]["phone"], kCarolPhone);
    EXPECT_EQ(many.body["added"][1]["phone"], kDavePhone);
    ASSERT_EQ(many.body["failed"].size(), 1u) << many;
    EXPECT_EQ(many.body["failed"][0]["phone"], "12");
    EXPECT_EQ(many.body["failed"][0]["error"]["code"], "invalid_phone");
    ASSERT_EQ(many.body["already_members"].size(), 1u) << many;
    EXPECT_EQ(many.body["already_members"][0]["phone"], kBobPhone);

    EXPECT_EQ(member_ids(server, group, a.token).size(), 4u);

    // Added people see the group when they sign in.
    Session b = server.sign_in(kBobPhone);
    auto view = server.get(group_path(group), b.token);
    ASSERT_EQ(view.status, 200) << view;
    EXPECT_EQ(view.body["my_role"], "member");
    EXPECT_EQ(view.body["member_count"], 4);

    // A single bad number is the request's error; a list of only bad numbers is 422 too.
    auto bad = server.post(group_path(group) + "/members", {{"phone", "12"}}, a.token);
    EXPECT_EQ(bad.status, 422) << bad;
    EXPECT_EQ(bad.error_code(), "invalid_phone");
    auto all_bad =
        server.post(group_path(group) + "/members", {{"phones", {"12", "abc"}}}, a.token);
    EXPECT_EQ(all_bad.status, 422) << all_bad;
    EXPECT_EQ(all_bad.body["failed"].size(), 2u) << all_bad;
    auto none = server.post(group_path(group) + "/members", {{"phones", json::array()}}, a.token);
    EXPECT_EQ(none.status, 422) << none;
    EXPECT_EQ(none.error_code(), "missing_field");

    // Creating a group with members in one go; one bad number fails the whole request.
    auto with_members = server.post(
        "/api/v1/groups", {{"name", "Book club"}, {"members", {kBobPhone, kCarolPhone}}}, a.token);
    ASSERT_EQ(with_members.status, 201) << with_members;
    EXPECT_EQ(member_ids(server, with_members.body["id"], a.token).size(), 3u);
    auto before = server.get("/api/v1/conversations", a.token);
    auto with_bad = server.post("/api/v1/groups",
                                {{"name", "Broken"}, {"members", {kBobPhone, "+65 12"}}}, a.token);
    EXPECT_EQ(with_bad.status, 422) << with_bad;
    EXPECT_EQ(with_bad.error_code(), "invalid_phone");
    auto after = server.get("/api/v1/conversations", a.token);
    EXPECT_EQ(before.body, after.body) << "a refused group must not be half-created";
}

TEST(Groups, PromoteDemoteAndNonAdminsCannotManage) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string group = create_group(server, a.token, "Team");
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token).status,
              200);

    // A member cannot add, remove, rename, promote or manage invites.
    auto add = server.post(group_path(group) + "/members", {{"phone", kCarolPhone}}, b.token);
    EXPECT_EQ(add.status, 403) << add;
    EXPECT_EQ(add.error_code(), "group_admin_required");
    auto rename = server.patch(group_path(group), {{"name", "Mine"}}, b.token);
    EXPECT_EQ(rename.status, 403) << rename;
    EXPECT_EQ(rename.error_code(), "group_admin_required");
    auto promote_self =
        server.patch(group_path(group) + "/members/" + b.user_id, {{"role", "admin"}}, b.token);
    EXPECT_EQ(promote_self.status, 403) << promote_self;
    auto remove = server.del(group_path(group) + "/members/" + a.user_id, b.token);
    EXPECT_EQ(remove.status, 403) << remove;
    auto invite = server.post(group_path(group) + "/invites", json::object(), b.token);
    EXPECT_EQ(invite.status, 403) << invite;

    // The only admin cannot step down.
    auto demote_last =
        server.patch(group_path(group) + "/members/" + a.user_id, {{"role", "member"}}, a.token);
    EXPECT_EQ(demote_last.status, 409) << demote_last;
    EXPECT_EQ(demote_last.error_code(), "last_admin");

    auto promote =
        server.patch(group_path(group) + "/members/" + b.user_id, {{"role", "admin"}}, a.token);
    ASSERT_EQ(promote.status, 200) << promote;
    EXPECT_EQ(promote.body["role"], "admin");
    EXPECT_EQ(role_of(server, group, a.token, b.user_id), "admin");

    // Now B manages the group, and A can be demoted.
    auto b_adds = server.post(group_path(group) + "/members", {{"phone", kCarolPhone}}, b.token);
    EXPECT_EQ(b_adds.status, 200) << b_adds;
    auto demote =
        server.patch(group_path(group) + "/members/" + a.user_id, {{"role", "member"}}, b.token);
    EXPECT_EQ(demote.status, 200) << demote;
    EXPECT_EQ(role_of(server, group, a.token, a.user_id), "member");
    auto a_adds = server.post(group_path(group) + "/members", {{"phone", kDavePhone}}, a.token);
    EXPECT_EQ(a_adds.status, 403) << a_adds;

    // An admin removes a member.
    auto carol_id = b_adds.body["added"][0]["id"].get<std::string>();
    auto removed = server.del(group_path(group) + "/members/" + carol_id, b.token);
    EXPECT_EQ(removed.status, 204) << removed;
    auto gone = server.del(group_path(group) + "/members/" + carol_id, b.token);
    EXPECT_EQ(gone.status, 404) << gone;
    auto bad_role =
        server.patch(group_path(group) + "/members/" + a.user_id, {{"role", "owner"}}, b.token);
    EXPECT_EQ(bad_role.status, 422) << bad_role;
    EXPECT_EQ(bad_role.error_code(), "invalid_role");
}

TEST(Groups, LastAdminLeavesOnlyWithASuccessor) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string group = create_group(server, a.token, "Relay");
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token).status,
              200);

    auto alone = server.del(group_path(group) + "/members/me", a.token);
    EXPECT_EQ(alone.status, 409) << alone;
    EXPECT_EQ(alone.error_code(), "last_admin");
    auto stranger = server.del(group_path(group) + "/members/me?successor=usr_nobody", a.token);
    EXPECT_EQ(stranger.status, 422) << stranger;
    EXPECT_EQ(stranger.error_code(), "invalid_successor");
    auto self = server.del(group_path(group) + "/members/me?successor=" + a.user_id, a.token);
    EXPECT_EQ(self.status, 422) << self;

    auto left = server.del(group_path(group) + "/members/me?successor=" + b.user_id, a.token);
    EXPECT_EQ(left.status, 204) << left;
    EXPECT_EQ(role_of(server, group, b.token, b.user_id), "admin");
    auto ids = member_ids(server, group, b.token);
    EXPECT_EQ(ids, std::vector<std::string>{b.user_id});
    auto gone = server.get(group_path(group), a.token);
    EXPECT_EQ(gone.status, 404) << gone;

    // A plain member leaves freely (by id as well as "me").
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kAdminPhone}}, b.token).status,
              200);
    auto member_leaves = server.del(group_path(group) + "/members/" + a.user_id, a.token);
    EXPECT_EQ(member_leaves.status, 204) << member_leaves;

    // A chat cannot be left.
    auto chat = server.post("/api/v1/chats", {{"phone", kBobPhone}}, a.token);
    ASSERT_EQ(chat.status, 201) << chat;
    auto leave_chat = server.del(group_path(chat.body["id"]) + "/members/me", a.token);
    EXPECT_EQ(leave_chat.status, 409) << leave_chat;
    EXPECT_EQ(leave_chat.error_code(), "not_a_group");
    auto chat_as_group = server.get(group_path(chat.body["id"]), a.token);
    EXPECT_EQ(chat_as_group.status, 404) << chat_as_group;
    EXPECT_EQ(chat_as_group.error_code(), "group_not_found");
}

TEST(Groups, InviteLinks) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    Session c = server.sign_in(kCarolPhone);
    std::string group = create_group(server, a.token, "Open house");
    auto invite_path = [](const json& created) {
        return "/api/v1/invites/" + created["token"].get<std::string>();
    };

    // Expiry: made to last one second.
    auto short_lived =
        server.post(group_path(group) + "/invites", {{"expires_in_seconds", 1}}, a.token);
    ASSERT_EQ(short_lived.status, 201) << short_lived;
    EXPECT_NE(short_lived.body["expires_at"], nullptr);
    // max_uses 1.
    auto once = server.post(group_path(group) + "/invites", {{"max_uses", 1}}, a.token);
    ASSERT_EQ(once.status, 201) << once;
    EXPECT_EQ(once.body["max_uses"], 1);
    // Revoked.
    auto revoked = server.post(group_path(group) + "/invites", json::object(), a.token);
    ASSERT_EQ(revoked.status, 201) << revoked;

    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto expired = server.post(invite_path(short_lived.body), json::object(), b.token);
    EXPECT_EQ(expired.status, 410) << expired;
    EXPECT_EQ(expired.error_code(), "invite_expired");

    auto first = server.post(invite_path(once.body), json::object(), b.token);
    EXPECT_EQ(first.status, 201) << first;
    auto second = server.post(invite_path(once.body), json::object(), c.token);
    EXPECT_EQ(second.status, 410) << second;
    EXPECT_EQ(second.error_code(), "invite_used_up");
    // Already a member: fine, whatever the link's state.
    auto again = server.post(invite_path(once.body), json::object(), b.token);
    EXPECT_EQ(again.status, 200) << again;
    EXPECT_EQ(again.body["already_member"], true);
    EXPECT_EQ(again.body["id"], group);

    auto listed = server.get(group_path(group) + "/invites", a.token);
    ASSERT_EQ(listed.status, 200) << listed;
    EXPECT_EQ(listed.body["invites"].size(), 3u) << listed;
    EXPECT_FALSE(listed.raw.find(revoked.body["token"].get<std::string>()) != std::string::npos)
        << "invite tokens are shown once, at creation";

    auto revoke = server.del(
        group_path(group) + "/invites/" + revoked.body["id"].get<std::string>(), a.token);
    EXPECT_EQ(revoke.status, 204) << revoke;
    auto preview_revoked = server.get(invite_path(revoked.body), c.token);
    EXPECT_EQ(preview_revoked.status, 200) << preview_revoked;
    EXPECT_EQ(preview_revoked.body["revoked"], true);
    auto join_revoked = server.post(invite_path(revoked.body), json::object(), c.token);
    EXPECT_EQ(join_revoked.status, 410) << join_revoked;
    EXPECT_EQ(join_revoked.error_code(), "invite_revoked");
    auto revoke_again = server.del(
        group_path(group) + "/invites/" + revoked.body["id"].get<std::string>(), a.token);
    EXPECT_EQ(revoke_again.status, 404) << revoke_again;

    auto unknown = server.get("/api/v1/invites/not-a-real-token", c.token);
    EXPECT_EQ(unknown.status, 404) << unknown;
    EXPECT_EQ(unknown.error_code(), "invite_not_found");
    auto bad_expiry =
        server.post(group_path(group) + "/invites", {{"expires_in_seconds", 0}}, a.token);
    EXPECT_EQ(bad_expiry.status, 422) << bad_expiry;
    EXPECT_EQ(bad_expiry.error_code(), "invalid_expiry");
    auto bad_uses = server.post(group_path(group) + "/invites", {{"max_uses", 0}}, a.token);
    EXPECT_EQ(bad_uses.status, 422) << bad_uses;
    EXPECT_EQ(bad_uses.error_code(), "invalid_max_uses");

    // A chat has no invite links.
    auto chat = server.post("/api/v1/chats", {{"phone", kBobPhone}}, a.token);
    auto chat_invite =
        server.post(group_path(chat.body["id"]) + "/invites", json::object(), a.token);
    EXPECT_EQ(chat_invite.status, 409) << chat_invite;
    EXPECT_EQ(chat_invite.error_code(), "not_a_group");

    // C, still outside, sees nothing of the group.
    auto outside = server.get(group_path(group), c.token);
    EXPECT_EQ(outside.status, 404) << outside;
}

TEST(Groups, Rename) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    std::string group = create_group(server, a.token, "Old name");

    auto renamed = server.patch(group_path(group), {{"name", "  New name  "}}, a.token);
    ASSERT_EQ(renamed.status, 200) << renamed;
    EXPECT_EQ(renamed.body["name"], "New name");
    auto view = server.get(group_path(group), a.token);
    EXPECT_EQ(view.body["name"], "New name");
    auto list = server.get("/api/v1/conversations", a.token);
    EXPECT_EQ(list.body["conversations"][0]["name"], "New name");

    auto empty = server.patch(group_path(group), {{"name", "   "}}, a.token);
    EXPECT_EQ(empty.status, 422) << empty;
    EXPECT_EQ(empty.error_code(), "name_required");
    auto too_long = server.patch(group_path(group), {{"name", std::string(201, 'x')}}, a.token);
    EXPECT_EQ(too_long.status, 422) << too_long;
    EXPECT_EQ(too_long.error_code(), "name_too_long");
    // 200 characters are fine, counted as characters, not bytes.
    std::string long_name;
    for (int i = 0; i < 200; ++i) long_name += "é";
    auto longest = server.patch(group_path(group), {{"name", long_name}}, a.token);
    EXPECT_EQ(longest.status, 200) << longest;
}

}  // namespace
}  // namespace parley::it
