// Issue 4, "Policies": tenant policies set by organization admins, group overrides set by
// organization admins or (where the tenant lets them, and only stricter) group admins, and
// what the server enforces of them — forwarding, history for new members, delete for everyone,
// invite links — while clients are told the rest (copy, share) with each conversation.
// Private conversations are never subject to them.

#include <gtest/gtest.h>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

// Contoso (admin A) with an organization group "Plant" where B is a group admin and C a
// member, and a private group of A and B.
struct World {
    ParleyServer server{contoso_args()};
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    Session c = server.sign_in(kCarolPhone);
    std::string org = first_organization_id(server, a.token);
    std::string plant;
    std::string private_group;

    World() {
        auto created = server.post(org_path(org) + "/groups",
                                   {{"name", "Plant"}, {"members", {kCarolPhone}}}, a.token);
        EXPECT_EQ(created.status, 201) << created;
        plant = created.body["id"];
        auto admin = server.post(group_path(plant) + "/members",
                                 {{"phone", kBobPhone}, {"role", "admin"}}, a.token);
        EXPECT_EQ(admin.status, 200) << admin;
        private_group = create_group(server, a.token, "Friends");
        auto added =
            server.post(group_path(private_group) + "/members", {{"phone", kBobPhone}}, a.token);
        EXPECT_EQ(added.status, 200) << added;
    }

    Response tenant(const json& policies) {
        return server.patch(org_path(org), {{"policies", policies}}, a.token);
    }
    Response group_policies(const std::string& group, const json& policies,
                            const std::string& token) {
        return server.patch(group_path(group), {{"policies", policies}}, token);
    }
    Response forward(const std::string& to, const std::string& from, const std::string& message,
                     const std::string& token) {
        return server.post(messages_path(to),
                           {{"forward_of", {{"conversation_id", from}, {"message_id", message}}}},
                           token);
    }
};

TEST(Policies, DefaultsRestrictNothingAndAreToldWithEveryConversation) {
    World w;
    auto org = w.server.get(org_path(w.org), w.a.token);
    ASSERT_EQ(org.status, 200) << org;
    const json defaults = {{"restrict_copy", false},      {"restrict_share", false},
                           {"restrict_forward", false},   {"new_members_see_history", true},
                           {"delete_for_everyone", true}, {"invite_links", true}};
    for (const auto& [name, value] : defaults.items()) EXPECT_EQ(org.body["policies"][name], value);
    EXPECT_EQ(org.body["policies"]["group_admins_set_policies"], true);

    auto set = w.tenant({{"restrict_copy", true}, {"restrict_share", true}});
    ASSERT_EQ(set.status, 200) << set;
    EXPECT_EQ(set.body["policies"]["restrict_copy"], true);
    EXPECT_EQ(set.body["policies"]["parley_enabled"], true);  // untouched

    // The organization group tells its members; the private group restricts nothing.
    auto view = w.server.get(conv_path(w.plant), w.c.token);
    ASSERT_EQ(view.status, 200) << view;
    EXPECT_EQ(view.body["policies"]["restrict_copy"], true);
    EXPECT_EQ(view.body["policies"]["restrict_share"], true);
    EXPECT_TRUE(view.body["policy_overrides"]["restrict_copy"].is_null());
    auto mine = w.server.get(conv_path(w.private_group), w.b.token);
    json private_policies = defaults;
    private_policies["require_work_account"] = false;
    EXPECT_EQ(mine.body["policies"], private_policies);
    EXPECT_FALSE(mine.body.contains("policy_overrides"));
    auto list = w.server.get("/api/v1/conversations", w.b.token);
    ASSERT_EQ(list.status, 200) << list;
    for (const auto& conversation : list.body["conversations"]) {
        bool organization = conversation["id"] == w.plant;
        EXPECT_EQ(conversation["policies"]["restrict_copy"], organization) << conversation;
    }

    // Members cannot set tenant policies.
    auto by_member =
        w.server.patch(org_path(w.org), {{"policies", {{"restrict_copy", false}}}}, w.c.token);
    EXPECT_EQ(by_member.status, 404) << by_member;  // C is not in the directory
}

TEST(Policies, ForwardCopiesTextAndIsRefusedFromRestrictedConversations) {
    World w;
    auto source = send_text(w.server, w.c.token, w.plant, "shift starts at six");
    auto forwarded = w.forward(w.private_group, w.plant, source["id"], w.b.token);
    ASSERT_EQ(forwarded.status, 201) << forwarded;
    EXPECT_EQ(forwarded.body["text"], "shift starts at six");
    EXPECT_EQ(forwarded.body["forwarded"], true);
    EXPECT_EQ(forwarded.body["sender_id"], w.b.user_id);
    EXPECT_EQ(forwarded.body["owner"]["type"], "private");  // the target's owner
    EXPECT_EQ(send_text(w.server, w.b.token, w.plant, "plain")["forwarded"], false);

    // The tenant restricts forwarding: refused, nothing written in the target.
    ASSERT_EQ(w.tenant({{"restrict_forward", true}}).status, 200);
    auto before = all_messages(w.server.http(), w.private_group, w.b.token).size();
    auto refused = w.forward(w.private_group, w.plant, source["id"], w.b.token);
    EXPECT_EQ(refused.status, 403) << refused;
    EXPECT_EQ(refused.error_code(), "forward_restricted");
    EXPECT_EQ(all_messages(w.server.http(), w.private_group, w.b.token).size(), before);

    // An organization admin lifts it for this group only.
    auto lifted = w.group_policies(w.plant, {{"restrict_forward", false}}, w.a.token);
    ASSERT_EQ(lifted.status, 200) << lifted;
    EXPECT_EQ(lifted.body["policies"]["restrict_forward"], false);
    EXPECT_EQ(lifted.body["policy_overrides"]["restrict_forward"], false);
    EXPECT_EQ(w.forward(w.private_group, w.plant, source["id"], w.b.token).status, 201);

    // Out of a private conversation, the organization has no say.
    auto chat_msg = send_text(w.server, w.a.token, w.private_group, "private words");
    EXPECT_EQ(w.forward(w.plant, w.private_group, chat_msg["id"], w.b.token).status, 201);

    // A source the caller cannot read is not found; system messages are not forwardable.
    Session d = w.server.sign_in(kDavePhone);
    auto outsider = w.forward(w.plant, w.plant, source["id"], d.token);
    EXPECT_EQ(outsider.status, 404) << outsider;
    EXPECT_EQ(outsider.error_code(), "conversation_not_found");
    auto history = all_messages(w.server.http(), w.plant, w.b.token);
    auto system = w.forward(w.private_group, w.plant, history.front()["id"], w.b.token);
    EXPECT_EQ(system.status, 422) << system;
    EXPECT_EQ(system.error_code(), "not_forwardable");
    auto missing = w.forward(w.private_group, w.plant, "msg_nope", w.b.token);
    EXPECT_EQ(missing.status, 404) << missing;
    EXPECT_EQ(missing.error_code(), "message_not_found");
}

TEST(Policies, ALateJoinersStreamCarriesNothingOfTheHiddenHistory) {
    World w;
    auto early = send_text(w.server, w.b.token, w.plant, "before Dave");
    ASSERT_EQ(w.group_policies(w.plant, {{"new_members_see_history", false}}, w.b.token).status,
              200);
    Session d = w.server.sign_in(kDavePhone);
    ASSERT_EQ(
        w.server.post(group_path(w.plant) + "/members", {{"phone", kDavePhone}}, w.b.token).status,
        200);
    WsClient ws(w.server.port(), "/api/v1/stream", {bearer(d)});
    ASSERT_EQ(ws.read()["type"], "hello");

    // An edit and a deletion of a message from before Dave joined do not reach him; the next
    // message does, and nothing message-like comes before it.
    const std::string early_path = messages_path(w.plant) + "/" + early["id"].get<std::string>();
    ASSERT_EQ(w.server.patch(early_path, {{"text", "before Dave, edited"}}, w.b.token).status, 200);
    ASSERT_EQ(w.server.del(early_path, w.b.token).status, 200);
    send_text(w.server, w.c.token, w.plant, "after Dave");
    for (json frame = ws.read(); !frame.is_null(); frame = ws.read()) {
        const std::string type = frame.value("type", "");
        ASSERT_NE(type, "message.edited") << frame;
        ASSERT_NE(type, "message.deleted") << frame;
        // The system message of Dave's own addition may still be on its way from the bus.
        if (type == "message.created" && frame["message"]["kind"] == "system") continue;
        if (type == "message.created") {
            EXPECT_EQ(frame["message"]["text"], "after Dave") << frame;
            break;
        }
    }
    // Members from before still hear of edits.
    WsClient carol(w.server.port(), "/api/v1/stream", {bearer(w.c)});
    ASSERT_EQ(carol.read()["type"], "hello");
    auto later = send_text(w.server, w.b.token, w.plant, "to edit");
    ASSERT_EQ(w.server
                  .patch(messages_path(w.plant) + "/" + later["id"].get<std::string>(),
                         {{"text", "edited"}}, w.b.token)
                  .status,
              200);
    EXPECT_FALSE(carol.read_until("message.edited").is_null());
}

TEST(Policies, NewMembersSeeHistoryFromWhenTheyJoinedWhereTheGroupSaysSo) {
    World w;
    auto early = send_text(w.server, w.b.token, w.plant, "before Dave");
    ASSERT_EQ(w.group_policies(w.plant, {{"new_members_see_history", false}}, w.b.token).status,
              200);
    Session d = w.server.sign_in(kDavePhone);
    auto added =
        w.server.post(group_path(w.plant) + "/members", {{"phone", kDavePhone}}, w.b.token);
    ASSERT_EQ(added.status, 200) << added;
    send_text(w.server, w.c.token, w.plant, "after Dave");

    auto seen = all_messages(w.server.http(), w.plant, d.token);
    ASSERT_EQ(seen.size(), 2u);  // the join notice and what came after
    EXPECT_EQ(seen[0]["kind"], "system");
    EXPECT_EQ(seen[1]["text"], "after Dave");
    // Paging backwards from the end stops at the same place.
    auto back = w.server.get(messages_path(w.plant) + "?before=100&limit=50", d.token);
    ASSERT_EQ(back.status, 200) << back;
    EXPECT_EQ(back.body["messages"].size(), 2u);
    EXPECT_EQ(back.body["has_more"], false);
    // Earlier messages cannot be reached another way either.
    auto reply =
        w.server.post(messages_path(w.plant), {{"text", "re"}, {"reply_to", early["id"]}}, d.token);
    EXPECT_EQ(reply.status, 422) << reply;
    EXPECT_EQ(reply.error_code(), "reply_target_not_found");
    auto forward = w.forward(w.private_group, w.plant, early["id"], d.token);
    EXPECT_EQ(forward.status, 404) << forward;
    // Earlier members still see everything.
    EXPECT_GT(all_messages(w.server.http(), w.plant, w.c.token).size(), seen.size());

    // The rule is read when reading: clearing the override shows Dave the history.
    ASSERT_EQ(w.group_policies(w.plant, {{"new_members_see_history", nullptr}}, w.a.token).status,
              200);
    auto all = all_messages(w.server.http(), w.plant, d.token);
    EXPECT_EQ(all.size(), all_messages(w.server.http(), w.plant, w.c.token).size());
}

TEST(Policies, DeleteForEveryoneCanBeTurnedOff) {
    World w;
    auto mine = send_text(w.server, w.c.token, w.plant, "oops");
    ASSERT_EQ(w.tenant({{"delete_for_everyone", false}}).status, 200);
    for (const Session* who : {&w.c, &w.b}) {  // the author, then a group admin
        auto refused =
            w.server.del(messages_path(w.plant) + "/" + mine["id"].get<std::string>(), who->token);
        EXPECT_EQ(refused.status, 403) << refused;
        EXPECT_EQ(refused.error_code(), "delete_for_everyone_disabled");
    }
    auto history = all_messages(w.server.http(), w.plant, w.c.token);
    EXPECT_EQ(history.back()["text"], "oops");

    // Private groups are not the organization's to rule.
    auto private_msg = send_text(w.server, w.b.token, w.private_group, "mine to delete");
    auto deleted = w.server.del(
        messages_path(w.private_group) + "/" + private_msg["id"].get<std::string>(), w.b.token);
    EXPECT_EQ(deleted.status, 200) << deleted;

    ASSERT_EQ(w.tenant({{"delete_for_everyone", true}}).status, 200);
    auto allowed =
        w.server.del(messages_path(w.plant) + "/" + mine["id"].get<std::string>(), w.c.token);
    EXPECT_EQ(allowed.status, 200) << allowed;
}

TEST(Policies, InviteLinksCanBeTurnedOff) {
    World w;
    auto invite = w.server.post(group_path(w.plant) + "/invites", json::object(), w.b.token);
    ASSERT_EQ(invite.status, 201) << invite;
    std::string path = invite.body["path"];
    ASSERT_EQ(w.group_policies(w.plant, {{"invite_links", false}}, w.b.token).status, 200);

    auto create = w.server.post(group_path(w.plant) + "/invites", json::object(), w.a.token);
    EXPECT_EQ(create.status, 403) << create;
    EXPECT_EQ(create.error_code(), "invite_links_disabled");
    Session d = w.server.sign_in(kDavePhone);
    auto join = w.server.post(path, json::object(), d.token);
    EXPECT_EQ(join.status, 403) << join;
    EXPECT_EQ(join.error_code(), "invite_links_disabled");
    auto members = w.server.get(group_path(w.plant) + "/members", w.b.token);
    EXPECT_EQ(members.body["members"].size(), 3u);  // A, B, C: Dave did not get in

    // Turning them back on revives the existing link (it was never revoked).
    ASSERT_EQ(w.group_policies(w.plant, {{"invite_links", true}}, w.a.token).status, 200);
    EXPECT_EQ(w.server.post(path, json::object(), d.token).status, 201);
}

TEST(Policies, GroupAdminsOnlyTightenAndOnlyWhereTheTenantLetsThem) {
    World w;
    // Tighten: fine. Loosen a tenant restriction: refused, nothing changed.
    auto tighten = w.group_policies(w.plant, {{"restrict_copy", true}}, w.b.token);
    ASSERT_EQ(tighten.status, 200) << tighten;
    EXPECT_EQ(tighten.body["policy_overrides"]["restrict_copy"], true);
    ASSERT_EQ(w.tenant({{"restrict_share", true}}).status, 200);
    auto loosen =
        w.server.patch(group_path(w.plant),
                       {{"name", "Renamed"}, {"policies", {{"restrict_share", false}}}}, w.b.token);
    EXPECT_EQ(loosen.status, 403) << loosen;
    EXPECT_EQ(loosen.error_code(), "looser_than_tenant");
    auto view = w.server.get(group_path(w.plant), w.b.token);
    EXPECT_EQ(view.body["name"], "Plant");  // the rename in the same request was not applied
    EXPECT_EQ(view.body["policies"]["restrict_share"], true);
    // Clearing an override is always allowed; members cannot touch policies.
    EXPECT_EQ(w.group_policies(w.plant, {{"restrict_copy", nullptr}}, w.b.token).status, 200);
    auto member = w.group_policies(w.plant, {{"restrict_copy", true}}, w.c.token);
    EXPECT_EQ(member.status, 403) << member;
    EXPECT_EQ(member.error_code(), "group_admin_required");

    // The tenant locks group admins out; organization admins keep the last word.
    ASSERT_EQ(w.tenant({{"group_admins_set_policies", false}}).status, 200);
    auto locked = w.group_policies(w.plant, {{"restrict_forward", true}}, w.b.token);
    EXPECT_EQ(locked.status, 403) << locked;
    EXPECT_EQ(locked.error_code(), "group_policies_locked");
    auto by_org_admin = w.group_policies(w.plant, {{"restrict_share", false}}, w.a.token);
    ASSERT_EQ(by_org_admin.status, 200) << by_org_admin;
    EXPECT_EQ(by_org_admin.body["policies"]["restrict_share"], false);
    // Renaming is still the group admins' to do.
    auto rename = w.server.patch(group_path(w.plant), {{"name", "Plant 2"}}, w.b.token);
    EXPECT_EQ(rename.status, 200) << rename;

    // Private groups have no organization policies.
    auto private_policies = w.group_policies(w.private_group, {{"restrict_copy", true}}, w.a.token);
    EXPECT_EQ(private_policies.status, 409) << private_policies;
    EXPECT_EQ(private_policies.error_code(), "not_organization_group");
}

// A group can require a work-account sign-in where the tenant does not (group admins may
// tighten), and organization admins can lift the tenant's requirement for one group.
TEST(Policies, AGroupRequiresAWorkAccountOfItsOwn) {
    World w;
    add_person(w.server, w.a.token, w.org, kBobPhone, "bob@contoso.example", "member");
    w.server.link_work_account(w.b, "bob@contoso.example");
    auto tenant = w.server.get(org_path(w.org), w.a.token);
    EXPECT_FALSE(tenant.body["policies"].contains("require_work_account")) << tenant;
    auto open = w.server.get(conv_path(w.plant), w.c.token);
    ASSERT_EQ(open.status, 200) << open;
    EXPECT_EQ(open.body["policies"]["require_work_account"], false);

    // B (group admin, linked) tightens: C, unlinked, is shut out; B is not.
    auto tighten = w.group_policies(w.plant, {{"require_work_account", true}}, w.b.token);
    ASSERT_EQ(tighten.status, 200) << tighten;
    EXPECT_EQ(tighten.body["policy_overrides"]["require_work_account"], true);
    EXPECT_EQ(tighten.body["policies"]["require_work_account"], true);
    auto shut = w.server.post(messages_path(w.plant), {{"text", "Can I still post?"}}, w.c.token);
    EXPECT_EQ(shut.status, 403) << shut;
    EXPECT_EQ(shut.error_code(), "work_account_required");
    auto read = w.server.get(messages_path(w.plant), w.c.token);
    EXPECT_EQ(read.status, 403) << read;
    EXPECT_EQ(read.error_code(), "work_account_required");
    send_text(w.server, w.b.token, w.plant, "Linked people only");

    // The tenant requires it everywhere; B may not lift it for Plant, the organization admin may.
    ASSERT_EQ(w.group_policies(w.plant, {{"require_work_account", nullptr}}, w.b.token).status,
              200);
    ASSERT_EQ(w.tenant({{"groups_require_work_account", true}}).status, 200);
    auto lift = w.group_policies(w.plant, {{"require_work_account", false}}, w.b.token);
    EXPECT_EQ(lift.status, 403) << lift;
    EXPECT_EQ(lift.error_code(), "looser_than_tenant");
    EXPECT_EQ(w.server.get(messages_path(w.plant), w.c.token).status, 403);
    auto by_org_admin = w.group_policies(w.plant, {{"require_work_account", false}}, w.a.token);
    ASSERT_EQ(by_org_admin.status, 200) << by_org_admin;
    EXPECT_EQ(w.server.get(messages_path(w.plant), w.c.token).status, 200);

    // The names are where they belong: the group's is not the tenant's, and the reverse.
    auto wrong_level = w.tenant({{"require_work_account", true}});
    EXPECT_EQ(wrong_level.status, 422) << wrong_level;
    EXPECT_EQ(wrong_level.error_code(), "unknown_policy");
    auto tenant_name =
        w.group_policies(w.plant, {{"groups_require_work_account", true}}, w.a.token);
    EXPECT_EQ(tenant_name.status, 422) << tenant_name;
    EXPECT_EQ(tenant_name.error_code(), "unknown_policy");
    // Private groups have no such policy either.
    auto private_group =
        w.group_policies(w.private_group, {{"require_work_account", true}}, w.a.token);
    EXPECT_EQ(private_group.status, 409) << private_group;
}

}  // namespace
}  // namespace parley::it
