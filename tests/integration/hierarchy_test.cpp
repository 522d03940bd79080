// Issue 4 through the API: hierarchical organization groups. Linking and unlinking child groups
// (PUT/DELETE /groups/{id}/parent), delivery down the tree (a parent's messages reach every
// member of every descendant, live and in history; never upwards), the sending rules of parent
// groups and inherited members, inherited membership following links, joins and removals,
// cycle and pairing refusals, who may link, and who may view the hierarchy (seed 004).

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

// Contoso with its admin; organization groups created by the admin (their group admin).
struct Org {
    Org() : server(contoso_args()) {}

    std::string group(const std::string& name, const std::vector<std::string>& members = {}) {
        json body = {{"name", name}};
        if (!members.empty()) body["members"] = members;
        auto r = server.post(org_path(org) + "/groups", body, admin.token);
        if (r.status != 201) throw std::runtime_error("group: " + r.raw);
        return r.body["id"];
    }

    Response link(const std::string& child, const std::string& parent, const std::string& token) {
        return server.put(group_path(child) + "/parent", {{"parent_id", parent}}, token);
    }

    void link(const std::string& child, const std::string& parent) {
        auto r = link(child, parent, admin.token);
        ASSERT_EQ(r.status, 200) << r;
        EXPECT_EQ(r.body["changed"], true) << r;
    }

    // user id → {"inherited", "via_group_id"} of the group's member list, as the admin sees it.
    std::map<std::string, json> members(const std::string& group) {
        auto r = server.get(group_path(group) + "/members", admin.token);
        EXPECT_EQ(r.status, 200) << r;
        std::map<std::string, json> out;
        for (const auto& m : r.body["members"]) out[m["id"]] = m;
        return out;
    }

    // The caller's conversation list entry for the conversation, or null.
    json listed(const Session& who, const std::string& conversation) {
        auto r = server.get("/api/v1/conversations", who.token);
        EXPECT_EQ(r.status, 200) << r;
        for (const auto& c : r.body["conversations"]) {
            if (c["id"] == conversation) return c;
        }
        return json();
    }

    ParleyServer server;
    Session admin = server.sign_in(kAdminPhone);
    std::string org = first_organization_id(server, admin.token);
};

bool has_text(const std::vector<json>& messages, const std::string& text) {
    return std::any_of(messages.begin(), messages.end(),
                       [&](const json& m) { return m.value("text", "") == text; });
}

// Frames until a message.created of that conversation with that text (null if none came).
json read_message(WsClient& ws, const std::string& conversation, const std::string& text) {
    for (int i = 0; i < 50; ++i) {
        json frame = ws.read_until("message.created");
        if (frame.is_null()) return frame;
        if (frame["conversation_id"] == conversation && frame["message"]["text"] == text) {
            return frame;
        }
    }
    return json();
}

// Frames until a member event of that type for that conversation naming the user.
json read_member_event(WsClient& ws, const std::string& type, const std::string& conversation,
                       const std::string& user_id) {
    for (int i = 0; i < 50; ++i) {
        json frame = ws.read_until(type);
        if (frame.is_null()) return frame;
        const auto& ids = frame["user_ids"];
        if (frame["conversation_id"] == conversation &&
            std::find(ids.begin(), ids.end(), user_id) != ids.end()) {
            return frame;
        }
    }
    return json();
}

TEST(Hierarchy, ParentMessagesReachEveryDescendantLiveAndInHistory) {
    Org o;
    const std::string hq = o.group("HQ", {kDavePhone});
    const std::string sales = o.group("Sales", {kCarolPhone});
    const std::string north = o.group("North Sales", {kBobPhone});
    o.link(sales, hq);
    o.link(north, sales);
    Session bob = o.server.sign_in(kBobPhone);
    Session carol = o.server.sign_in(kCarolPhone);
    Session dave = o.server.sign_in(kDavePhone);

    // Bob, in the grandchild only, hears the grandparent live.
    WsClient ws(o.server.port(), "/api/v1/stream", {bearer(bob)});
    ASSERT_FALSE(ws.refused) << *ws.refused;
    ASSERT_EQ(ws.read().value("type", ""), "hello");
    send_text(o.server, o.admin.token, hq, "Quarterly targets are out");
    json live = read_message(ws, hq, "Quarterly targets are out");
    ASSERT_FALSE(live.is_null()) << "the grandparent's message did not reach the grandchild";

    // And in history, with the conversation listed as inherited and unread.
    EXPECT_TRUE(
        has_text(all_messages(o.server.http(), hq, bob.token), "Quarterly targets are out"));
    json entry = o.listed(bob, hq);
    ASSERT_FALSE(entry.is_null()) << "HQ is not in Bob's conversation list";
    EXPECT_EQ(entry["inherited"], true) << entry;
    EXPECT_EQ(entry["via_group_id"], north) << entry;
    EXPECT_GE(entry["unread"].get<int>(), 1) << entry;
    // Read markers work as for any member.
    auto read = o.server.post(conv_path(hq) + "/read", {{"seq", entry["last_seq"]}}, bob.token);
    EXPECT_EQ(read.status, 200) << read;
    EXPECT_EQ(o.listed(bob, hq)["unread"], 0);
    // Carol, in the middle, hears it too.
    EXPECT_TRUE(
        has_text(all_messages(o.server.http(), hq, carol.token), "Quarterly targets are out"));

    // Never upwards: the leaf's messages stay in the leaf.
    send_text(o.server, bob.token, north, "North is on track");
    auto up = o.server.get(messages_path(north), dave.token);
    EXPECT_EQ(up.status, 404) << up;
    EXPECT_TRUE(o.listed(dave, north).is_null());
    EXPECT_TRUE(o.listed(carol, north).is_null());
    EXPECT_TRUE(o.listed(dave, sales).is_null());
}

TEST(Hierarchy, SendingRulesOfParentGroupsAndInheritedMembers) {
    Org o;
    const std::string hq = o.group("HQ", {kDavePhone});
    const std::string sales = o.group("Sales", {kCarolPhone, kBobPhone});
    Session bob = o.server.sign_in(kBobPhone);
    Session dave = o.server.sign_in(kDavePhone);

    // A flat group: everyone chats.
    EXPECT_EQ(o.server.post(messages_path(hq), {{"text", "flat"}}, dave.token).status, 201);
    o.link(sales, hq);

    // Members of a parent group may not send text; its admins (here the org admin) may.
    auto text = o.server.post(messages_path(hq), {{"text", "hello all"}}, dave.token);
    EXPECT_EQ(text.status, 403) << text;
    EXPECT_EQ(text.error_code(), "parent_group_text_refused");
    EXPECT_NE(text.error_message().find("announcement"), std::string::npos) << text;
    EXPECT_EQ(o.server.post(messages_path(hq), {{"text", "From the top"}}, o.admin.token).status,
              201);
    // A group admin who is not an organization admin may too.
    auto dave_id = o.members(hq);
    std::string dave_user;
    for (const auto& [id, m] : dave_id) {
        if (m["phone"] == kDavePhone) dave_user = id;
    }
    ASSERT_EQ(
        o.server.patch(group_path(hq) + "/members/" + dave_user, {{"role", "admin"}}, o.admin.token)
            .status,
        200);
    EXPECT_EQ(o.server.post(messages_path(hq), {{"text", "Dave announces"}}, dave.token).status,
              201);

    // Child groups cannot post to their parent: inherited members only read.
    auto inherited = o.server.post(messages_path(hq), {{"text", "up the tree"}}, bob.token);
    EXPECT_EQ(inherited.status, 403) << inherited;
    EXPECT_EQ(inherited.error_code(), "inherited_member_cannot_send");
    EXPECT_TRUE(has_text(all_messages(o.server.http(), hq, bob.token), "Dave announces"));
    // Nor leave it by hand, nor be removed or promoted there.
    auto leave = o.server.del(group_path(hq) + "/members/me", bob.token);
    EXPECT_EQ(leave.status, 409) << leave;
    EXPECT_EQ(leave.error_code(), "inherited_membership");
    auto remove = o.server.del(group_path(hq) + "/members/" + bob.user_id, o.admin.token);
    EXPECT_EQ(remove.status, 409) << remove;
    EXPECT_EQ(remove.error_code(), "inherited_member");
    auto promote = o.server.patch(group_path(hq) + "/members/" + bob.user_id, {{"role", "admin"}},
                                  o.admin.token);
    EXPECT_EQ(promote.status, 409) << promote;
    EXPECT_EQ(promote.error_code(), "inherited_member");

    // The leaf behaves as a flat group.
    EXPECT_EQ(o.server.post(messages_path(sales), {{"text", "leaf chat"}}, bob.token).status, 201);

    // Unlinked, the parent is flat again.
    auto unlink = o.server.del(group_path(sales) + "/parent", o.admin.token);
    EXPECT_EQ(unlink.status, 204) << unlink;
    ASSERT_EQ(
        o.server
            .patch(group_path(hq) + "/members/" + dave_user, {{"role", "member"}}, o.admin.token)
            .status,
        200);
    EXPECT_EQ(o.server.post(messages_path(hq), {{"text", "flat again"}}, dave.token).status, 201);
}

TEST(Hierarchy, LinksAndMembershipChangesKeepInheritedMembersExact) {
    Org o;
    const std::string hq = o.group("HQ");
    const std::string sales = o.group("Sales", {kCarolPhone});
    const std::string north = o.group("North Sales", {kBobPhone});
    Session bob = o.server.sign_in(kBobPhone);
    Session carol = o.server.sign_in(kCarolPhone);
    WsClient ws(o.server.port(), "/api/v1/stream", {bearer(bob)});
    ASSERT_FALSE(ws.refused) << *ws.refused;
    ASSERT_EQ(ws.read().value("type", ""), "hello");

    // Linking makes the child's members inherited members of the parent, live.
    o.link(north, sales);
    EXPECT_FALSE(read_member_event(ws, "member.added", sales, bob.user_id).is_null());
    auto in_sales = o.members(sales);
    ASSERT_TRUE(in_sales.count(bob.user_id)) << "Bob did not join Sales through North";
    EXPECT_EQ(in_sales[bob.user_id]["inherited"], true);
    EXPECT_EQ(in_sales[bob.user_id]["via_group_id"], north);
    EXPECT_EQ(in_sales[carol.user_id]["inherited"], false);
    EXPECT_FALSE(o.members(hq).count(bob.user_id));
    auto view = o.server.get(group_path(sales), o.admin.token);
    EXPECT_EQ(view.body["hierarchy"]["children"], 1) << view;
    EXPECT_EQ(view.body["hierarchy"]["hierarchical"], true) << view;
    EXPECT_EQ(view.body["direct_member_count"], 2) << view;  // the admin and Carol
    EXPECT_EQ(view.body["member_count"], 3) << view;

    // Linking higher up carries the whole subtree.
    o.link(sales, hq);
    auto in_hq = o.members(hq);
    EXPECT_EQ(in_hq[bob.user_id]["via_group_id"], north);
    EXPECT_EQ(in_hq[carol.user_id]["via_group_id"], sales);
    EXPECT_FALSE(o.listed(bob, hq).is_null());

    // Someone who joins a descendant joins every ancestor; adding an inherited member directly
    // makes them direct.
    auto erin =
        o.server.post(group_path(north) + "/members", {{"phone", kErinPhone}}, o.admin.token);
    ASSERT_EQ(erin.status, 200) << erin;
    const std::string erin_id = erin.body["added"][0]["id"];
    EXPECT_EQ(o.members(hq)[erin_id]["via_group_id"], north);
    auto direct = o.server.post(group_path(hq) + "/members", {{"phone", kBobPhone}}, o.admin.token);
    ASSERT_EQ(direct.status, 200) << direct;
    EXPECT_EQ(direct.body["added"].size(), 1u) << direct;
    EXPECT_EQ(o.members(hq)[bob.user_id]["inherited"], false);

    // Joining a descendant by invite link joins the ancestors too.
    auto invite = o.server.post(group_path(north) + "/invites", json::object(), o.admin.token);
    ASSERT_EQ(invite.status, 201) << invite;
    Session dave = o.server.sign_in(kDavePhone);
    ASSERT_EQ(o.server.post(invite.body["path"], json::object(), dave.token).status, 201);
    EXPECT_EQ(o.members(hq)[dave.user_id]["via_group_id"], north);

    // Unlinking takes the subtree's people out of the old ancestors, but not direct members.
    ASSERT_EQ(o.server.del(group_path(north) + "/parent", o.admin.token).status, 204);
    EXPECT_FALSE(read_member_event(ws, "member.removed", sales, bob.user_id).is_null());
    EXPECT_FALSE(o.members(sales).count(bob.user_id));
    EXPECT_FALSE(o.members(sales).count(erin_id));
    EXPECT_FALSE(o.members(hq).count(erin_id));
    EXPECT_EQ(o.members(hq)[bob.user_id]["inherited"], false) << "Bob is a direct member of HQ";
    EXPECT_TRUE(o.listed(bob, sales).is_null());
    auto none = o.server.del(group_path(north) + "/parent", o.admin.token);
    EXPECT_EQ(none.status, 404) << none;
    EXPECT_EQ(none.error_code(), "not_linked");

    // A direct member removed from the parent who is still in a child stays on, inherited.
    ASSERT_EQ(
        o.server.post(group_path(hq) + "/members", {{"phone", kCarolPhone}}, o.admin.token).status,
        200);
    EXPECT_EQ(o.members(hq)[carol.user_id]["inherited"], false);
    ASSERT_EQ(o.server.del(group_path(hq) + "/members/" + carol.user_id, o.admin.token).status,
              204);
    EXPECT_EQ(o.members(hq)[carol.user_id]["inherited"], true);
    EXPECT_EQ(o.members(hq)[carol.user_id]["via_group_id"], sales);
    // Leaving the child takes her out of the parent too.
    ASSERT_EQ(o.server.del(group_path(sales) + "/members/me", carol.token).status, 204);
    EXPECT_FALSE(o.members(hq).count(carol.user_id));
    EXPECT_TRUE(o.listed(carol, hq).is_null());
}

TEST(Hierarchy, RemovalFromTheOrganizationAndRestoreFollowTheTree) {
    Org o;
    const std::string hq = o.group("HQ");
    const std::string north = o.group("North Sales");
    o.link(north, hq);
    add_person(o.server, o.admin.token, o.org, kBobPhone, "bob@example.com");
    Session bob = o.server.sign_in(kBobPhone);
    ASSERT_EQ(
        o.server.post(group_path(north) + "/members", {{"phone", kBobPhone}}, o.admin.token).status,
        200);
    EXPECT_EQ(o.members(hq)[bob.user_id]["inherited"], true);

    auto removed = o.server.del(org_path(o.org) + "/people/" + bob.user_id, o.admin.token);
    ASSERT_EQ(removed.status, 200) << removed;
    EXPECT_EQ(removed.body["removed_from_groups"].size(), 2u) << removed;
    EXPECT_FALSE(o.members(hq).count(bob.user_id));
    EXPECT_FALSE(o.members(north).count(bob.user_id));

    auto restored = o.server.post(org_path(o.org) + "/people/" + bob.user_id + "/restore",
                                  json::object(), o.admin.token);
    ASSERT_EQ(restored.status, 200) << restored;
    EXPECT_EQ(o.members(north)[bob.user_id]["inherited"], false);
    EXPECT_EQ(o.members(hq)[bob.user_id]["inherited"], true) << "restore gives back inheritance";
}

TEST(Hierarchy, CyclesSecondParentsAndUnlinkablePairsAreRefused) {
    Org o;
    const std::string hq = o.group("HQ");
    const std::string sales = o.group("Sales");
    const std::string north = o.group("North Sales");
    o.link(sales, hq);
    o.link(north, sales);

    auto cycle = o.link(hq, north, o.admin.token);
    EXPECT_EQ(cycle.status, 409) << cycle;
    EXPECT_EQ(cycle.error_code(), "hierarchy_cycle");
    auto self = o.link(hq, hq, o.admin.token);
    EXPECT_EQ(self.status, 409) << self;
    EXPECT_EQ(self.error_code(), "hierarchy_cycle");
    auto second = o.link(north, hq, o.admin.token);
    EXPECT_EQ(second.status, 409) << second;
    EXPECT_EQ(second.error_code(), "already_has_parent");
    auto again = o.link(north, sales, o.admin.token);
    EXPECT_EQ(again.status, 200) << again;
    EXPECT_EQ(again.body["changed"], false);

    // Private groups never join a hierarchy.
    const std::string mine = create_group(o.server, o.admin.token, "Book club");
    auto private_child = o.link(mine, hq, o.admin.token);
    EXPECT_EQ(private_child.status, 409) << private_child;
    EXPECT_EQ(private_child.error_code(), "not_organization_group");
    auto private_parent = o.link(hq, mine, o.admin.token);
    EXPECT_EQ(private_parent.status, 409) << private_parent;
    EXPECT_EQ(private_parent.error_code(), "not_organization_group");
    // Nor do public groups: their subscribers must not meet a parent's or child's members.
    auto broadcast = o.server.post(org_path(o.org) + "/groups",
                                   {{"name", "Customers"}, {"type", "public"}}, o.admin.token);
    ASSERT_EQ(broadcast.status, 201) << broadcast;
    const std::string customers = broadcast.body["id"];
    auto public_child = o.link(customers, hq, o.admin.token);
    EXPECT_EQ(public_child.status, 409) << public_child;
    EXPECT_EQ(public_child.error_code(), "public_group_not_linkable");
    auto public_parent = o.link(hq, customers, o.admin.token);
    EXPECT_EQ(public_parent.status, 409) << public_parent;
    EXPECT_EQ(public_parent.error_code(), "public_group_not_linkable");
    auto unknown = o.link(hq, "cnv_nope", o.admin.token);
    EXPECT_EQ(unknown.status, 404) << unknown;
    EXPECT_EQ(unknown.error_code(), "group_not_found");
    auto missing = o.server.put(group_path(hq) + "/parent", json::object(), o.admin.token);
    EXPECT_EQ(missing.status, 422) << missing;
    EXPECT_EQ(missing.error_code(), "missing_field");

    // Nothing above changed the tree.
    auto tree = o.server.get(group_path(hq) + "/hierarchy", o.admin.token);
    ASSERT_EQ(tree.status, 200) << tree;
    ASSERT_EQ(tree.body["subtree"].size(), 3u) << tree;
    EXPECT_TRUE(tree.body["ancestors"].empty()) << tree;
}

TEST(Hierarchy, GroupAdminsOfBothLinkAndEitherSideUnlinks) {
    Org o;
    const std::string parent = o.group("Parent", {kBobPhone, kCarolPhone});
    const std::string child = o.group("Child", {kBobPhone, kCarolPhone});
    Session bob = o.server.sign_in(kBobPhone);
    Session carol = o.server.sign_in(kCarolPhone);
    Session erin = o.server.sign_in(kErinPhone);
    for (const auto& g : {parent, child}) {
        ASSERT_EQ(o.server
                      .patch(group_path(g) + "/members/" + bob.user_id, {{"role", "admin"}},
                             o.admin.token)
                      .status,
                  200);
    }
    // A member of both, admin of neither; a stranger to both.
    auto member = o.link(child, parent, carol.token);
    EXPECT_EQ(member.status, 403) << member;
    EXPECT_EQ(member.error_code(), "group_admin_required");
    auto stranger = o.link(child, parent, erin.token);
    EXPECT_EQ(stranger.status, 404) << stranger;

    auto linked = o.link(child, parent, bob.token);
    ASSERT_EQ(linked.status, 200) << linked;
    EXPECT_EQ(linked.body["parent_id"], parent);
    auto carol_unlinks = o.server.del(group_path(child) + "/parent", carol.token);
    EXPECT_EQ(carol_unlinks.status, 403) << carol_unlinks;

    // An admin of the child alone may take it out.
    ASSERT_EQ(o.server
                  .patch(group_path(parent) + "/members/" + bob.user_id, {{"role", "member"}},
                         o.admin.token)
                  .status,
              200);
    auto half = o.link(child, parent, bob.token);  // linked already: no change, no refusal
    EXPECT_EQ(half.status, 403) << "linking needs both, even when nothing would change: " << half;
    EXPECT_EQ(o.server.del(group_path(child) + "/parent", bob.token).status, 204);
}

TEST(Hierarchy, EveryMemberViewsTheHierarchyOfTheirGroups) {
    Org o;
    const std::string hq = o.group("HQ");
    const std::string sales = o.group("Sales");
    const std::string north = o.group("North Sales", {kBobPhone, kCarolPhone});
    const std::string other = o.group("Other", {kDavePhone});
    o.link(sales, hq);
    o.link(north, sales);
    Session bob = o.server.sign_in(kBobPhone);
    Session dave = o.server.sign_in(kDavePhone);

    auto from_leaf = o.server.get(group_path(north) + "/hierarchy", bob.token);
    ASSERT_EQ(from_leaf.status, 200) << from_leaf;
    ASSERT_EQ(from_leaf.body["ancestors"].size(), 2u) << from_leaf;
    EXPECT_EQ(from_leaf.body["ancestors"][0]["id"], hq);
    EXPECT_EQ(from_leaf.body["ancestors"][0]["depth"], 0);
    EXPECT_EQ(from_leaf.body["ancestors"][1]["name"], "Sales");
    EXPECT_EQ(from_leaf.body["ancestors"][1]["parent_id"], hq);
    ASSERT_EQ(from_leaf.body["subtree"].size(), 1u) << from_leaf;
    EXPECT_EQ(from_leaf.body["subtree"][0]["depth"], 2);
    EXPECT_EQ(from_leaf.body["subtree"][0]["direct_members"], 3);  // the admin, Bob, Carol

    // An inherited member sees the tree from the top, with member counts.
    auto from_top = o.server.get(group_path(hq) + "/hierarchy", bob.token);
    ASSERT_EQ(from_top.status, 200) << from_top;
    ASSERT_EQ(from_top.body["subtree"].size(), 3u) << from_top;
    EXPECT_EQ(from_top.body["subtree"][0]["id"], hq);
    EXPECT_EQ(from_top.body["subtree"][0]["direct_members"], 1);
    EXPECT_EQ(from_top.body["subtree"][0]["inherited_members"], 2);
    EXPECT_EQ(from_top.body["subtree"][2]["parent_id"], sales);

    // Someone outside the tree sees nothing of it; an organization admin outside it sees all.
    auto outsider = o.server.get(group_path(hq) + "/hierarchy", dave.token);
    EXPECT_EQ(outsider.status, 404) << outsider;
    EXPECT_EQ(o.server.get(group_path(other) + "/hierarchy", dave.token).status, 200);
    add_person(o.server, o.admin.token, o.org, kErinPhone, "erin@example.com", "admin");
    Session erin = o.server.sign_in(kErinPhone);
    EXPECT_EQ(o.server.get(group_path(north) + "/hierarchy", erin.token).status, 200);
    auto chat = o.server.post("/api/v1/chats", {{"phone", kDavePhone}}, bob.token);
    ASSERT_EQ(chat.status, 201) << chat;
    auto of_chat = o.server.get(group_path(chat.body["id"]) + "/hierarchy", bob.token);
    EXPECT_EQ(of_chat.status, 409) << of_chat;
    EXPECT_EQ(of_chat.error_code(), "not_a_group");
}

}  // namespace
}  // namespace parley::it
