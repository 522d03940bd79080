// Issue 4, group types: public (broadcast) groups. Admins and subscribers; subscribers join by
// link (unless the group is managed), see the admins but not each other, and what they send
// only the admins see — in history, live, on resume, in unread counts, and for edits and
// deletes. Flat stays the default; a group's type is fixed at creation.
//
// "B never got X" is shown without timing: events of a conversation reach a stream in order,
// so once B has the admin's next broadcast, anything B was sent before it has arrived too.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

// Contoso (admin A, who creates the group and is its admin) with a public group "Customers"
// whose subscribers are Bob and Carol.
struct World {
    explicit World(bool managed = false) {
        json body = {
            {"name", "Customers"}, {"type", "public"}, {"members", {kBobPhone, kCarolPhone}}};
        if (managed) body["managed"] = true;
        auto created = server.post(org_path(org) + "/groups", body, a.token);
        EXPECT_EQ(created.status, 201) << created;
        group = created.body["id"];
    }

    Response say(const Session& who, const std::string& text, const json& extra = {}) {
        json body = {{"text", text}};
        if (extra.is_object()) body.update(extra);
        return server.post(messages_path(group), body, who.token);
    }

    std::vector<std::string> history_texts(const Session& who) {
        std::vector<std::string> texts;
        for (const auto& m : all_messages(server.http(), group, who.token)) {
            texts.push_back(m["text"]);
        }
        return texts;
    }

    json summary(const Session& who) {
        auto list = server.get("/api/v1/conversations", who.token);
        EXPECT_EQ(list.status, 200) << list;
        for (const auto& c : list.body["conversations"]) {
            if (c["id"] == group) return c;
        }
        ADD_FAILURE() << "group not listed for " << who.phone;
        return json();
    }

    ParleyServer server{contoso_args()};
    Session a = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    std::string org = first_organization_id(server, a.token);
    std::string group;
};

bool mentions(const std::vector<json>& frames, const std::string& text) {
    return std::any_of(frames.begin(), frames.end(),
                       [&](const json& f) { return f.dump().find(text) != std::string::npos; });
}

TEST(PublicGroups, TypeIsStoredShownAndFixed) {
    World w;
    auto view = w.server.get(group_path(w.group), w.a.token);
    ASSERT_EQ(view.status, 200) << view;
    EXPECT_EQ(view.body["type"], "public");
    EXPECT_EQ(view.body["managed"], false);
    EXPECT_EQ(w.summary(w.bob)["type"], "public");
    auto listed = w.server.get(org_path(w.org) + "/groups", w.a.token);
    ASSERT_EQ(listed.status, 200) << listed;
    ASSERT_EQ(listed.body["groups"].size(), 1u);
    EXPECT_EQ(listed.body["groups"][0]["type"], "public");

    // Flat is the default, for organization and private groups alike.
    auto flat = w.server.post(org_path(w.org) + "/groups", {{"name", "Plant"}}, w.a.token);
    ASSERT_EQ(flat.status, 201) << flat;
    EXPECT_EQ(flat.body["type"], "flat");
    EXPECT_EQ(flat.body["managed"], false);
    auto mine = w.server.post("/api/v1/groups", {{"name", "Friends"}, {"type", "flat"}}, w.a.token);
    ASSERT_EQ(mine.status, 201) << mine;
    EXPECT_EQ(mine.body["type"], "flat");
    auto managed =
        w.server.post(org_path(w.org) + "/groups",
                      {{"name", "Vendors"}, {"type", "public"}, {"managed", true}}, w.a.token);
    ASSERT_EQ(managed.status, 201) << managed;
    EXPECT_EQ(managed.body["managed"], true);

    // Refused types write nothing.
    const auto before = w.server.get("/api/v1/conversations", w.a.token).body;
    auto private_public =
        w.server.post("/api/v1/groups", {{"name", "Fans"}, {"type", "public"}}, w.a.token);
    EXPECT_EQ(private_public.status, 422) << private_public;
    EXPECT_EQ(private_public.error_code(), "public_group_requires_organization");
    auto unknown = w.server.post(org_path(w.org) + "/groups",
                                 {{"name", "Tree"}, {"type", "hierarchical"}}, w.a.token);
    EXPECT_EQ(unknown.status, 422) << unknown;
    EXPECT_EQ(unknown.error_code(), "invalid_group_type");
    auto managed_flat =
        w.server.post(org_path(w.org) + "/groups", {{"name", "Odd"}, {"managed", true}}, w.a.token);
    EXPECT_EQ(managed_flat.status, 422) << managed_flat;
    EXPECT_EQ(managed_flat.error_code(), "managed_requires_public");
    // A directory member who is not an organization admin creates no public group.
    add_person(w.server, w.a.token, w.org, kDavePhone, "dave@contoso.example");
    Session dave = w.server.sign_in(kDavePhone);
    auto by_member = w.server.post(org_path(w.org) + "/groups",
                                   {{"name", "Mine"}, {"type", "public"}}, dave.token);
    EXPECT_EQ(by_member.status, 403) << by_member;
    EXPECT_EQ(by_member.error_code(), "org_admin_required");
    EXPECT_EQ(w.server.get("/api/v1/conversations", w.a.token).body, before);

    // The type cannot change; restating it changes nothing.
    auto change = w.server.patch(group_path(w.group), {{"type", "flat"}}, w.a.token);
    EXPECT_EQ(change.status, 409) << change;
    EXPECT_EQ(change.error_code(), "group_type_fixed");
    auto manage = w.server.patch(group_path(w.group), {{"managed", true}}, w.a.token);
    EXPECT_EQ(manage.status, 409) << manage;
    auto same =
        w.server.patch(group_path(w.group), {{"type", "public"}, {"name", "Clients"}}, w.a.token);
    ASSERT_EQ(same.status, 200) << same;
    EXPECT_EQ(same.body["name"], "Clients");
    EXPECT_EQ(same.body["type"], "public");
    // Subscribers manage nothing, type included.
    auto by_subscriber = w.server.patch(group_path(w.group), {{"type", "flat"}}, w.bob.token);
    EXPECT_EQ(by_subscriber.status, 403) << by_subscriber;
    EXPECT_EQ(by_subscriber.error_code(), "group_admin_required");
}

TEST(PublicGroups, MemberListsDifferByRole) {
    World w;
    auto full = w.server.get(group_path(w.group) + "/members", w.a.token);
    ASSERT_EQ(full.status, 200) << full;
    EXPECT_EQ(full.body["members"].size(), 3u);
    EXPECT_EQ(full.body["member_count"], 3);
    EXPECT_EQ(full.body["subscriber_count"], 2);
    EXPECT_EQ(full.body["members_partial"], false);

    for (const Session* s : {&w.bob, &w.carol}) {
        auto partial = w.server.get(group_path(w.group) + "/members", s->token);
        ASSERT_EQ(partial.status, 200) << partial;
        std::vector<std::string> ids;
        for (const auto& m : partial.body["members"]) ids.push_back(m["user_id"]);
        EXPECT_EQ(ids, (std::vector<std::string>{w.a.user_id, s->user_id})) << partial;
        EXPECT_EQ(partial.body["member_count"], 3);
        EXPECT_EQ(partial.body["subscriber_count"], 2);
        EXPECT_EQ(partial.body["members_partial"], true);
        auto view = w.server.get(conv_path(w.group), s->token);
        ASSERT_EQ(view.status, 200) << view;
        EXPECT_EQ(view.body["members"], partial.body["members"]);
        EXPECT_EQ(view.body["members_partial"], true);
        EXPECT_EQ(view.body["my_role"], "member");
    }

    // Promoted, Bob sees everyone; a flat group shows everyone to everyone.
    ASSERT_EQ(w.server
                  .patch(group_path(w.group) + "/members/" + w.bob.user_id, {{"role", "admin"}},
                         w.a.token)
                  .status,
              200);
    auto promoted = w.server.get(group_path(w.group) + "/members", w.bob.token);
    EXPECT_EQ(promoted.body["members"].size(), 3u);
    EXPECT_EQ(promoted.body["subscriber_count"], 1);
    auto carol_now = w.server.get(group_path(w.group) + "/members", w.carol.token);
    EXPECT_EQ(carol_now.body["members"].size(), 3u);  // two admins and herself
    auto flat =
        w.server.post(org_path(w.org) + "/groups",
                      {{"name", "Plant"}, {"members", {kBobPhone, kCarolPhone}}}, w.a.token);
    ASSERT_EQ(flat.status, 201) << flat;
    auto flat_view = w.server.get(group_path(flat.body["id"]) + "/members", w.carol.token);
    EXPECT_EQ(flat_view.body["members"].size(), 3u);
    EXPECT_EQ(flat_view.body["members_partial"], false);
    EXPECT_FALSE(flat_view.body.contains("subscriber_count"));
}

TEST(PublicGroups, ASubscribersMessageReachesTheAdminsAndNotOtherSubscribers) {
    World w;
    auto wa = stream_of(w.server.port(), w.a);
    auto wb = stream_of(w.server.port(), w.bob);
    auto wc = stream_of(w.server.port(), w.carol);

    auto question = w.say(w.bob, "when do you open?");
    ASSERT_EQ(question.status, 201) << question;
    EXPECT_EQ(question.body["private_to"], w.bob.user_id);
    const std::string qid = question.body["id"];
    auto news = w.say(w.a, "we open at nine");
    ASSERT_EQ(news.status, 201) << news;
    EXPECT_TRUE(news.body["private_to"].is_null());
    const std::string nid = news.body["id"];

    // Live: the admin and Bob get the question; Carol only the broadcast.
    json at_admin = read_until_message(*wa, qid);
    EXPECT_EQ(at_admin["message"]["private_to"], w.bob.user_id);
    read_until_message(*wa, nid);
    read_until_message(*wb, qid);
    read_until_message(*wb, nid);
    std::vector<json> carol_frames;
    json at_carol = read_until_message(*wc, nid, &carol_frames);
    EXPECT_EQ(at_carol["message"]["text"], "we open at nine");
    EXPECT_FALSE(mentions(carol_frames, qid));
    EXPECT_FALSE(mentions(carol_frames, w.bob.user_id));

    // History: the same picture.
    auto admin_history = w.history_texts(w.a);
    EXPECT_NE(std::find(admin_history.begin(), admin_history.end(), "when do you open?"),
              admin_history.end());
    auto bob_history = w.history_texts(w.bob);
    EXPECT_NE(std::find(bob_history.begin(), bob_history.end(), "when do you open?"),
              bob_history.end());
    auto carol_history = w.history_texts(w.carol);
    EXPECT_EQ(std::find(carol_history.begin(), carol_history.end(), "when do you open?"),
              carol_history.end());
    EXPECT_NE(std::find(carol_history.begin(), carol_history.end(), "we open at nine"),
              carol_history.end());
    // Nor does Carol learn of Bob from the announcements: "Bob was added" is his and the admins'.
    for (const auto& m : all_messages(w.server.http(), w.group, w.carol.token)) {
        EXPECT_TRUE(m["private_to"].is_null() || m["private_to"] == w.carol.user_id) << m;
    }

    // What Carol cannot see she cannot touch, answer or forward.
    auto reply = w.say(w.carol, "me too", {{"reply_to", qid}});
    EXPECT_EQ(reply.status, 422) << reply;
    EXPECT_EQ(reply.error_code(), "reply_target_not_found");
    auto edit = w.server.patch(messages_path(w.group) + "/" + qid, {{"text", "x"}}, w.carol.token);
    EXPECT_EQ(edit.status, 404) << edit;
    EXPECT_EQ(edit.error_code(), "message_not_found");
    auto chat = w.server.post("/api/v1/groups", {{"name", "Mine"}}, w.carol.token);
    ASSERT_EQ(chat.status, 201) << chat;
    auto forward = w.server.post(
        messages_path(chat.body["id"]),
        {{"forward_of", {{"conversation_id", w.group}, {"message_id", qid}}}}, w.carol.token);
    EXPECT_EQ(forward.status, 404) << forward;

    // The admin answers Bob: the answer stays in Bob's private thread.
    auto answer = w.say(w.a, "nine, Bob", {{"reply_to", qid}});
    ASSERT_EQ(answer.status, 201) << answer;
    EXPECT_EQ(answer.body["private_to"], w.bob.user_id);
    // Bob edits and the admin deletes: both reach the admin and Bob only.
    auto edited =
        w.server.patch(messages_path(w.group) + "/" + qid, {{"text", "when?"}}, w.bob.token);
    ASSERT_EQ(edited.status, 200) << edited;
    auto deleted = w.server.del(messages_path(w.group) + "/" + qid, w.a.token);
    ASSERT_EQ(deleted.status, 200) << deleted;
    auto marker = w.say(w.a, "see you");
    ASSERT_EQ(marker.status, 201) << marker;
    std::vector<json> at_bob;
    read_until_message(*wb, marker.body["id"], &at_bob);
    auto types = [&](const std::vector<json>& frames) {
        std::vector<std::string> out;
        for (const auto& f : frames) {
            if (f.value("type", "").starts_with("message.") && f["conversation_id"] == w.group) {
                out.push_back(f["type"]);
            }
        }
        return out;
    };
    EXPECT_EQ(types(at_bob),
              (std::vector<std::string>{"message.created", "message.edited", "message.deleted"}));
    carol_frames.clear();
    read_until_message(*wc, marker.body["id"], &carol_frames);
    EXPECT_TRUE(types(carol_frames).empty()) << json(carol_frames);
    EXPECT_FALSE(mentions(carol_frames, qid));
}

TEST(PublicGroups, UnreadCountsOfSubscribersLeaveOutOthersMessages) {
    World w;
    for (const Session* s : {&w.a, &w.bob, &w.carol}) {
        auto last = w.summary(*s)["last_seq"];
        ASSERT_EQ(w.server.post(conv_path(w.group) + "/read", {{"seq", last}}, s->token).status,
                  200);
        EXPECT_EQ(w.summary(*s)["unread"], 0);
    }
    ASSERT_EQ(w.say(w.a, "news").status, 201);
    auto q1 = w.say(w.bob, "question one");
    auto q2 = w.say(w.bob, "question two");
    ASSERT_EQ(q2.status, 201);
    ASSERT_EQ(w.say(w.a, "answer", {{"reply_to", q1.body["id"]}}).status, 201);

    // Carol sees the news only; Bob's marker moved with his sending, so he has the answer;
    // the admin answered after reading both questions.
    EXPECT_EQ(w.summary(w.carol)["unread"], 1);
    EXPECT_EQ(w.summary(w.bob)["unread"], 1);
    EXPECT_EQ(w.summary(w.a)["unread"], 0);
    ASSERT_EQ(w.say(w.carol, "carol asks").status, 201);
    EXPECT_EQ(w.summary(w.carol)["unread"], 0);
    EXPECT_EQ(w.summary(w.bob)["unread"], 1);
    EXPECT_EQ(w.summary(w.a)["unread"], 1);
    // The same count as the history after the marker.
    const json bob = w.summary(w.bob);
    auto after = w.server.get(
        messages_path(w.group) + "?after=" + std::to_string(bob["read_seq"].get<int>()),
        w.bob.token);
    ASSERT_EQ(after.status, 200) << after;
    EXPECT_EQ(after.body["messages"].size(), 1u);
    EXPECT_EQ(after.body["messages"][0]["text"], "answer");
}

TEST(PublicGroups, ReadMarkersOfSubscribersStayWithTheAdmins) {
    World w;
    auto wa = stream_of(w.server.port(), w.a);
    auto wc = stream_of(w.server.port(), w.carol);
    auto first = w.say(w.a, "first");
    ASSERT_EQ(first.status, 201);
    ASSERT_EQ(w.server.post(conv_path(w.group) + "/read", {{"seq", first.body["seq"]}}, w.bob.token)
                  .status,
              200);
    auto second = w.say(w.a, "second");
    ASSERT_EQ(second.status, 201);
    std::vector<json> admin_frames;
    read_until_message(*wa, second.body["id"], &admin_frames);
    EXPECT_TRUE(std::any_of(admin_frames.begin(), admin_frames.end(), [&](const json& f) {
        return f.value("type", "") == "read.updated" && f["user_id"] == w.bob.user_id;
    }));
    std::vector<json> carol_frames;
    read_until_message(*wc, second.body["id"], &carol_frames);
    EXPECT_FALSE(mentions(carol_frames, w.bob.user_id)) << json(carol_frames);
}

TEST(PublicGroups, ResumeDeliversOnlyWhatTheSubscriberMaySee) {
    World w;
    ASSERT_EQ(w.say(w.a, "welcome").status, 201);
    auto q = w.say(w.bob, "bob asks");
    ASSERT_EQ(q.status, 201);
    ASSERT_EQ(w.say(w.a, "to bob", {{"reply_to", q.body["id"]}}).status, 201);
    ASSERT_EQ(w.say(w.carol, "carol asks").status, 201);
    ASSERT_EQ(w.say(w.a, "for all").status, 201);

    for (const Session* s : {&w.carol, &w.bob, &w.a}) {
        auto ws = stream_of(w.server.port(), *s);
        ws->send(json{{"type", "resume"}, {"cursors", json::object()}});
        std::vector<json> frames;
        ASSERT_FALSE(ws->read_until("resume.done", &frames).is_null()) << ws->error().message();
        std::vector<json> resumed;
        for (const auto& f : frames) {
            if (f.value("type", "") == "message.created" && f["conversation_id"] == w.group) {
                resumed.push_back(f["message"]);
            }
        }
        EXPECT_EQ(json(resumed), json(all_messages(w.server.http(), w.group, s->token)));
        for (const auto& m : resumed) {
            if (s != &w.a) {
                EXPECT_TRUE(m["private_to"].is_null() || m["private_to"] == s->user_id) << m;
            }
        }
    }
    std::vector<std::string> carol = w.history_texts(w.carol);
    EXPECT_EQ(std::count(carol.begin(), carol.end(), "bob asks"), 0);
    EXPECT_EQ(std::count(carol.begin(), carol.end(), "to bob"), 0);
    EXPECT_EQ(std::count(carol.begin(), carol.end(), "carol asks"), 1);
    EXPECT_EQ(std::count(carol.begin(), carol.end(), "for all"), 1);
}

TEST(PublicGroups, SubscribersJoinByLinkUnseenByOtherSubscribers) {
    World w;
    auto invite = w.server.post(group_path(w.group) + "/invites", json::object(), w.a.token);
    ASSERT_EQ(invite.status, 201) << invite;
    auto preview = w.server.get(invite.body["path"].get<std::string>(), w.bob.token);
    ASSERT_EQ(preview.status, 200) << preview;
    EXPECT_EQ(preview.body["group"]["type"], "public");

    auto wa = stream_of(w.server.port(), w.a);
    auto wb = stream_of(w.server.port(), w.bob);
    Session dave = w.server.sign_in(kDavePhone);
    auto joined = w.server.post(invite.body["path"].get<std::string>(), json::object(), dave.token);
    ASSERT_EQ(joined.status, 201) << joined;
    auto view = w.server.get(group_path(w.group) + "/members", dave.token);
    ASSERT_EQ(view.status, 200) << view;
    EXPECT_EQ(view.body["members"].size(), 2u);  // the admin and Dave
    EXPECT_EQ(view.body["subscriber_count"], 3);

    auto marker = w.say(w.a, "welcome, all");
    ASSERT_EQ(marker.status, 201);
    std::vector<json> admin_frames;
    read_until_message(*wa, marker.body["id"], &admin_frames);
    EXPECT_TRUE(mentions(admin_frames, dave.user_id));  // member.added and the announcement
    std::vector<json> bob_frames;
    read_until_message(*wb, marker.body["id"], &bob_frames);
    EXPECT_FALSE(mentions(bob_frames, dave.user_id)) << json(bob_frames);
    EXPECT_FALSE(mentions(bob_frames, "joined using an invite link")) << json(bob_frames);
    auto dave_history = w.history_texts(dave);
    EXPECT_TRUE(std::any_of(dave_history.begin(), dave_history.end(), [](const std::string& t) {
        return t.find("joined using an invite link") != std::string::npos;
    }));

    // Leaving is as quiet: the admins hear of it, Bob does not.
    ASSERT_EQ(w.server.del(group_path(w.group) + "/members/me", dave.token).status, 204);
    auto after = w.say(w.a, "bye");
    admin_frames.clear();
    read_until_message(*wa, after.body["id"], &admin_frames);
    EXPECT_TRUE(mentions(admin_frames, "member.removed"));
    bob_frames.clear();
    read_until_message(*wb, after.body["id"], &bob_frames);
    EXPECT_FALSE(mentions(bob_frames, dave.user_id)) << json(bob_frames);
    EXPECT_FALSE(mentions(bob_frames, " left.")) << json(bob_frames);
}

TEST(PublicGroups, AManagedGroupRefusesLinksAndTakesTheMembersItsAdminsAdd) {
    World w(true);
    auto invite = w.server.post(group_path(w.group) + "/invites", json::object(), w.a.token);
    EXPECT_EQ(invite.status, 403) << invite;
    EXPECT_EQ(invite.error_code(), "managed_public_group");
    auto invites = w.server.get(group_path(w.group) + "/invites", w.a.token);
    ASSERT_EQ(invites.status, 200) << invites;
    EXPECT_TRUE(invites.body["invites"].empty());

    // Admins add members, who are subscribers.
    auto added =
        w.server.post(group_path(w.group) + "/members", {{"phone", kDavePhone}}, w.a.token);
    ASSERT_EQ(added.status, 200) << added;
    Session dave = w.server.sign_in(kDavePhone);
    auto view = w.server.get(conv_path(w.group), dave.token);
    ASSERT_EQ(view.status, 200) << view;
    EXPECT_EQ(view.body["my_role"], "member");
    EXPECT_EQ(view.body["members_partial"], true);

    // So does the User Group Mapping import.
    const std::string csv = "Group Name,Phone Number,User Type\nCustomers,+65 9000 1111,Member\n";
    auto upload = w.server.http().request(
        "POST", org_path(w.org) + "/imports?kind=user_groups&file_name=map.csv", csv, w.a.token,
        {"Content-Type: text/csv"});
    ASSERT_EQ(upload.status, 202) << upload;
    json job;
    for (int i = 0; i < 400; ++i) {
        auto r = w.server.get(org_path(w.org) + "/imports/" + upload.body["id"].get<std::string>(),
                              w.a.token);
        job = r.body;
        if (job["status"] == "completed" || job["status"] == "failed") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ASSERT_EQ(job["status"], "completed") << job;
    EXPECT_EQ(job["applied"], 1) << job;
    Session erin = w.server.sign_in(kErinPhone);
    auto erin_view = w.server.get(conv_path(w.group), erin.token);
    ASSERT_EQ(erin_view.status, 200) << erin_view;
    EXPECT_EQ(erin_view.body["my_role"], "member");
    EXPECT_EQ(erin_view.body["members"].size(), 2u);
    EXPECT_EQ(erin_view.body["subscriber_count"], 4);
    auto erin_says = w.say(erin, "hello admins");
    ASSERT_EQ(erin_says.status, 201) << erin_says;
    EXPECT_EQ(erin_says.body["private_to"], erin.user_id);
}

}  // namespace
}  // namespace parley::it
