// Issue 5, reactions: likes and comments on messages, with counts. Likes are idempotent and
// counted in every read of a message (history, resume) with whether the reader likes it;
// comments are replies, counted on the message they answer and paged by it. Who may: whoever
// reads a message likes it, whoever may send comments (parent groups and inherited members
// excepted); deleted and system messages take neither. In public groups subscribers see the
// counts but not who the other subscribers are. reaction.updated reaches the readers live.
//
// "B never got X" is shown without timing: events of a conversation reach a stream in order,
// so once B has a later event, anything B was sent before it has arrived too.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

std::string message_path(const std::string& conversation, const std::string& message) {
    return messages_path(conversation) + "/" + message;
}
std::string like_path(const std::string& conversation, const std::string& message) {
    return message_path(conversation, message) + "/reactions/like";
}

Response like(ParleyServer& server, const std::string& conversation, const std::string& message,
              const Session& who) {
    return server.put(like_path(conversation, message), json::object(), who.token);
}
Response unlike(ParleyServer& server, const std::string& conversation, const std::string& message,
                const Session& who) {
    return server.del(like_path(conversation, message), who.token);
}

// The message as `who` reads it in history; null if it is not there.
json read_message(ParleyServer& server, const std::string& conversation, const std::string& message,
                  const Session& who) {
    for (const auto& m : all_messages(server.http(), conversation, who.token)) {
        if (m["id"] == message) return m;
    }
    return json();
}

json reply(ParleyServer& server, const std::string& conversation, const std::string& to,
           const Session& who, const std::string& text) {
    auto r =
        server.post(messages_path(conversation), {{"text", text}, {"reply_to", to}}, who.token);
    EXPECT_EQ(r.status, 201) << r;
    return r.body;
}

std::vector<std::string> liker_ids(const Response& r) {
    std::vector<std::string> ids;
    for (const auto& l : r.body["likes"]) ids.push_back(l["user_id"]);
    return ids;
}

// A private group: Alice (admin), Bob and Carol; Dave is signed in but not a member.
struct Group {
    Group() {
        auto r =
            server.post("/api/v1/groups", {{"name", "Team"}, {"members", {kBobPhone, kCarolPhone}}},
                        alice.token);
        EXPECT_EQ(r.status, 201) << r;
        id = r.body["id"];
        post = send_text(server, alice.token, id, "Lunch at noon?")["id"];
    }

    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    Session dave = server.sign_in(kDavePhone);
    std::string id;
    std::string post;
};

// The next reaction.updated about message_id; the frames before it in *before.
json read_reaction(WsClient& ws, const std::string& message_id,
                   std::vector<json>* before = nullptr) {
    for (;;) {
        json frame = ws.read();
        if (frame.is_null()) {
            ADD_FAILURE() << "stream ended before reaction.updated of " << message_id << ": "
                          << ws.error().message();
            return frame;
        }
        if (frame.value("type", "") == "reaction.updated" && frame["message_id"] == message_id) {
            return frame;
        }
        if (before) before->push_back(frame);
    }
}

TEST(Reactions, LikeAndUnlikeAreIdempotentAndCountedInHistory) {
    Group g;
    // A new message has no reactions, and its sender's copy says so.
    json fresh = read_message(g.server, g.id, g.post, g.alice);
    EXPECT_EQ(fresh["reactions"], json::parse(R"({"like":{"count":0,"mine":false}})"));
    EXPECT_EQ(fresh["comment_count"], 0);

    for (int i = 0; i < 2; ++i) {
        auto r = like(g.server, g.id, g.post, g.bob);
        ASSERT_EQ(r.status, 200) << r;
        EXPECT_EQ(r.body, json({{"conversation_id", g.id},
                                {"message_id", g.post},
                                {"reactions", {{"like", {{"count", 1}, {"mine", true}}}}},
                                {"comment_count", 0}}));
    }
    ASSERT_EQ(like(g.server, g.id, g.post, g.carol).status, 200);

    // Each reader sees the count and whether they like it.
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.bob)["reactions"]["like"],
              json::parse(R"({"count":2,"mine":true})"));
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.alice)["reactions"]["like"],
              json::parse(R"({"count":2,"mine":false})"));

    // Who: in the order they liked, with when.
    auto likers = g.server.get(message_path(g.id, g.post) + "/reactions", g.alice.token);
    ASSERT_EQ(likers.status, 200) << likers;
    EXPECT_EQ(liker_ids(likers), (std::vector<std::string>{g.bob.user_id, g.carol.user_id}));
    EXPECT_EQ(likers.body["likes_partial"], false);
    EXPECT_TRUE(likers.body["next_after"].is_null());
    EXPECT_TRUE(likers.body["likes"][0]["liked_at"].is_string());
    EXPECT_FALSE(likers.body["likes"][0].contains("phone")) << "likers are not a phone book";
    EXPECT_EQ(likers.body["reactions"]["like"], json::parse(R"({"count":2,"mine":false})"));

    // Paging: one at a time.
    auto first = g.server.get(message_path(g.id, g.post) + "/reactions?limit=1", g.alice.token);
    ASSERT_EQ(first.status, 200) << first;
    EXPECT_EQ(liker_ids(first), (std::vector<std::string>{g.bob.user_id}));
    ASSERT_TRUE(first.body["next_after"].is_number_integer()) << first;
    auto second = g.server.get(
        message_path(g.id, g.post) + "/reactions?limit=1&after=" + first.body["next_after"].dump(),
        g.alice.token);
    ASSERT_EQ(second.status, 200) << second;
    EXPECT_EQ(liker_ids(second), (std::vector<std::string>{g.carol.user_id}));
    EXPECT_TRUE(second.body["next_after"].is_null());

    // Unlike twice: the second changes nothing.
    for (int i = 0; i < 2; ++i) {
        auto r = unlike(g.server, g.id, g.post, g.bob);
        ASSERT_EQ(r.status, 200) << r;
        EXPECT_EQ(r.body["reactions"]["like"], json::parse(R"({"count":1,"mine":false})"));
    }
    // Never liked: still fine, still nothing changes.
    auto never = unlike(g.server, g.id, g.post, g.alice);
    ASSERT_EQ(never.status, 200) << never;
    EXPECT_EQ(never.body["reactions"]["like"]["count"], 1);
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.carol)["reactions"]["like"],
              json::parse(R"({"count":1,"mine":true})"));

    // Counts survive a restart (they are stored, not remembered).
    g.server.stop();
    g.server.restart();
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.carol)["reactions"]["like"],
              json::parse(R"({"count":1,"mine":true})"));
}

TEST(Reactions, CommentsAreRepliesCountedOnTheirMessage) {
    Group g;
    json c1 = reply(g.server, g.id, g.post, g.bob, "Yes");
    json c2 = reply(g.server, g.id, g.post, g.carol, "Make it 12:30");
    json c3 = reply(g.server, g.id, g.post, g.bob, "Either works");
    // A comment is a message like any other, in history too.
    EXPECT_EQ(c1["reply_to"], g.post);
    EXPECT_EQ(c1["comment_count"], 0);
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.alice)["comment_count"], 3);

    auto page = g.server.get(message_path(g.id, g.post) + "/comments?limit=2", g.alice.token);
    ASSERT_EQ(page.status, 200) << page;
    ASSERT_EQ(page.body["comments"].size(), 2u) << page;
    EXPECT_EQ(page.body["comments"][0]["id"], c1["id"]);
    EXPECT_EQ(page.body["comments"][1]["id"], c2["id"]);
    EXPECT_EQ(page.body["has_more"], true);
    auto rest = g.server.get(
        message_path(g.id, g.post) + "/comments?after=" + page.body["comments"][1]["seq"].dump(),
        g.alice.token);
    ASSERT_EQ(rest.status, 200) << rest;
    ASSERT_EQ(rest.body["comments"].size(), 1u) << rest;
    EXPECT_EQ(rest.body["comments"][0]["id"], c3["id"]);
    EXPECT_EQ(rest.body["has_more"], false);
    // Newest first with before=, like history.
    auto newest = g.server.get(message_path(g.id, g.post) + "/comments?before=1000000&limit=1",
                               g.alice.token);
    ASSERT_EQ(newest.status, 200) << newest;
    ASSERT_EQ(newest.body["comments"].size(), 1u);
    EXPECT_EQ(newest.body["comments"][0]["id"], c3["id"]);

    // Comments are messages: they can be liked (and commented on) themselves.
    ASSERT_EQ(like(g.server, g.id, c2["id"], g.alice).status, 200);
    auto listed = g.server.get(message_path(g.id, g.post) + "/comments", g.alice.token);
    EXPECT_EQ(listed.body["comments"][1]["reactions"]["like"],
              json::parse(R"({"count":1,"mine":true})"));

    // A deleted comment no longer counts, nor is listed.
    ASSERT_EQ(g.server.del(message_path(g.id, c1["id"]), g.bob.token).status, 200);
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.bob)["comment_count"], 2);
    auto after_delete = g.server.get(message_path(g.id, g.post) + "/comments", g.bob.token);
    ASSERT_EQ(after_delete.body["comments"].size(), 2u) << after_delete;
    // Deleting it twice changes nothing more.
    EXPECT_EQ(g.server.del(message_path(g.id, c1["id"]), g.bob.token).status, 404);
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.bob)["comment_count"], 2);

    // A retried comment (same client_id) is one comment.
    for (int i = 0; i < 2; ++i) {
        auto r = g.server.post(messages_path(g.id),
                               {{"text", "Retry"}, {"reply_to", g.post}, {"client_id", "c-9"}},
                               g.carol.token);
        ASSERT_EQ(r.status, i == 0 ? 201 : 200) << r;
    }
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.bob)["comment_count"], 3);
}

TEST(Reactions, DeletedAndSystemMessagesTakeNoReactions) {
    Group g;
    ASSERT_EQ(like(g.server, g.id, g.post, g.bob).status, 200);
    ASSERT_EQ(g.server.del(message_path(g.id, g.post), g.alice.token).status, 200);

    auto liked = like(g.server, g.id, g.post, g.carol);
    EXPECT_EQ(liked.status, 409) << liked;
    EXPECT_EQ(liked.error_code(), "message_deleted");
    auto unliked = unlike(g.server, g.id, g.post, g.bob);
    EXPECT_EQ(unliked.status, 409) << unliked;
    EXPECT_EQ(unliked.error_code(), "message_deleted");
    auto comment =
        g.server.post(messages_path(g.id), {{"text", "late"}, {"reply_to", g.post}}, g.carol.token);
    EXPECT_EQ(comment.status, 409) << comment;
    EXPECT_EQ(comment.error_code(), "message_deleted");
    // Its likes went with its text.
    json gone = read_message(g.server, g.id, g.post, g.bob);
    EXPECT_EQ(gone["deleted"], true);
    EXPECT_EQ(gone["reactions"]["like"], json::parse(R"({"count":0,"mine":false})"));
    auto likers = g.server.get(message_path(g.id, g.post) + "/reactions", g.alice.token);
    ASSERT_EQ(likers.status, 200) << likers;
    EXPECT_TRUE(likers.body["likes"].empty()) << likers;

    // The group's first message says it was created: nobody's to react to.
    auto history = all_messages(g.server.http(), g.id, g.bob.token);
    ASSERT_FALSE(history.empty());
    ASSERT_EQ(history[0]["kind"], "system");
    const std::string system = history[0]["id"];
    auto sys_like = like(g.server, g.id, system, g.bob);
    EXPECT_EQ(sys_like.status, 409) << sys_like;
    EXPECT_EQ(sys_like.error_code(), "not_reactable");
    auto sys_comment =
        g.server.post(messages_path(g.id), {{"text", "hi"}, {"reply_to", system}}, g.bob.token);
    EXPECT_EQ(sys_comment.status, 409) << sys_comment;
    EXPECT_EQ(sys_comment.error_code(), "not_reactable");
    // Nothing was counted by the refusals.
    EXPECT_EQ(all_messages(g.server.http(), g.id, g.bob.token).size(), history.size());
}

TEST(Reactions, NonMembersLearnNothing) {
    Group g;
    ASSERT_EQ(like(g.server, g.id, g.post, g.bob).status, 200);
    for (const auto& r :
         {like(g.server, g.id, g.post, g.dave), unlike(g.server, g.id, g.post, g.dave),
          g.server.get(message_path(g.id, g.post) + "/reactions", g.dave.token),
          g.server.get(message_path(g.id, g.post) + "/comments", g.dave.token)}) {
        EXPECT_EQ(r.status, 404) << r;
        EXPECT_EQ(r.error_code(), "conversation_not_found") << r;
    }
    auto comment = g.server.post(messages_path(g.id), {{"text", "me too"}, {"reply_to", g.post}},
                                 g.dave.token);
    EXPECT_EQ(comment.status, 404) << comment;
    // Once out of the group, a former member is a stranger too; their like stays counted.
    ASSERT_EQ(g.server.del(group_path(g.id) + "/members/" + g.bob.user_id, g.alice.token).status,
              204);
    auto after = like(g.server, g.id, g.post, g.bob);
    EXPECT_EQ(after.status, 404) << after;
    EXPECT_EQ(read_message(g.server, g.id, g.post, g.alice)["reactions"]["like"]["count"], 1);
    // A message of another conversation is not found through this one.
    auto chat = g.server.post("/api/v1/chats", {{"phone", kDavePhone}}, g.alice.token);
    ASSERT_EQ(chat.status, 201) << chat;
    const std::string elsewhere = send_text(g.server, g.alice.token, chat.body["id"], "hi")["id"];
    auto crossed = like(g.server, g.id, elsewhere, g.carol);
    EXPECT_EQ(crossed.status, 404) << crossed;
    EXPECT_EQ(crossed.error_code(), "message_not_found");
}

// Contoso's public group "Customers": admin A, subscribers Bob and Carol.
struct PublicGroup {
    PublicGroup() {
        auto created = server.post(
            org_path(org) + "/groups",
            {{"name", "Customers"}, {"type", "public"}, {"members", {kBobPhone, kCarolPhone}}},
            a.token);
        EXPECT_EQ(created.status, 201) << created;
        id = created.body["id"];
        post = send_text(server, a.token, id, "New opening hours")["id"];
    }

    ParleyServer server{contoso_args()};
    Session a = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    std::string org = first_organization_id(server, a.token);
    std::string id;
    std::string post;
};

TEST(Reactions, PublicGroupSubscribersSeeCountsNotEachOther) {
    PublicGroup p;
    ASSERT_EQ(like(p.server, p.id, p.post, p.bob).status, 200);
    ASSERT_EQ(like(p.server, p.id, p.post, p.carol).status, 200);
    ASSERT_EQ(like(p.server, p.id, p.post, p.a).status, 200);

    // The admin sees everyone.
    auto all = p.server.get(message_path(p.id, p.post) + "/reactions", p.a.token);
    ASSERT_EQ(all.status, 200) << all;
    EXPECT_EQ(liker_ids(all),
              (std::vector<std::string>{p.bob.user_id, p.carol.user_id, p.a.user_id}));
    EXPECT_EQ(all.body["likes_partial"], false);
    // A subscriber: the whole count, but only the admins and themself by name.
    auto bobs = p.server.get(message_path(p.id, p.post) + "/reactions", p.bob.token);
    ASSERT_EQ(bobs.status, 200) << bobs;
    EXPECT_EQ(bobs.body["reactions"]["like"], json::parse(R"({"count":3,"mine":true})"));
    EXPECT_EQ(liker_ids(bobs), (std::vector<std::string>{p.bob.user_id, p.a.user_id}));
    EXPECT_EQ(bobs.body["likes_partial"], true);
    EXPECT_EQ(bobs.raw.find(p.carol.user_id), std::string::npos) << bobs;

    // A subscriber's comment is private to them, like their other messages: counted for all,
    // shown to the admins and its author.
    json comment = reply(p.server, p.id, p.post, p.bob, "Open on Sundays?");
    EXPECT_EQ(comment["private_to"], p.bob.user_id);
    EXPECT_EQ(read_message(p.server, p.id, p.post, p.carol)["comment_count"], 1);
    auto carols = p.server.get(message_path(p.id, p.post) + "/comments", p.carol.token);
    ASSERT_EQ(carols.status, 200) << carols;
    EXPECT_TRUE(carols.body["comments"].empty()) << carols;
    auto admins = p.server.get(message_path(p.id, p.post) + "/comments", p.a.token);
    ASSERT_EQ(admins.body["comments"].size(), 1u) << admins;
    // Carol cannot reach Bob's comment at all; the admin can like it and answer it (privately).
    auto reach = like(p.server, p.id, comment["id"], p.carol);
    EXPECT_EQ(reach.status, 404) << reach;
    EXPECT_EQ(reach.error_code(), "message_not_found");
    auto peek = p.server.get(message_path(p.id, comment["id"]) + "/reactions", p.carol.token);
    EXPECT_EQ(peek.status, 404) << peek;
    ASSERT_EQ(like(p.server, p.id, comment["id"], p.a).status, 200);
    json answer = reply(p.server, p.id, comment["id"], p.a, "Yes, 10 to 4");
    EXPECT_EQ(answer["private_to"], p.bob.user_id);
}

TEST(Reactions, ParentGroupsTakeLikesButNotCommentsFromMembers) {
    ParleyServer server(contoso_args());
    Session admin = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    const std::string org = first_organization_id(server, admin.token);
    auto group = [&](const std::string& name, const std::string& phone) -> std::string {
        auto r = server.post(org_path(org) + "/groups", {{"name", name}, {"members", {phone}}},
                             admin.token);
        EXPECT_EQ(r.status, 201) << r;
        return r.body.value("id", "");
    };
    const std::string hq = group("HQ", kCarolPhone);
    const std::string sales = group("Sales", kBobPhone);
    auto linked = server.put(group_path(sales) + "/parent", {{"parent_id", hq}}, admin.token);
    ASSERT_EQ(linked.status, 200) << linked;
    const std::string notice =
        send_text(server, admin.token, hq, "Quarterly results are out")["id"];

    // Carol, a member of the parent, and Bob, who reads it through Sales: both like it.
    EXPECT_EQ(like(server, hq, notice, carol).status, 200);
    EXPECT_EQ(like(server, hq, notice, bob).status, 200);
    EXPECT_EQ(read_message(server, hq, notice, bob)["reactions"]["like"],
              json::parse(R"({"count":2,"mine":true})"));
    // A comment is text, which would reach every child group: refused as any text is.
    auto carols =
        server.post(messages_path(hq), {{"text", "Great"}, {"reply_to", notice}}, carol.token);
    EXPECT_EQ(carols.status, 403) << carols;
    EXPECT_EQ(carols.error_code(), "parent_group_text_refused");
    auto bobs =
        server.post(messages_path(hq), {{"text", "Great"}, {"reply_to", notice}}, bob.token);
    EXPECT_EQ(bobs.status, 403) << bobs;
    EXPECT_EQ(bobs.error_code(), "inherited_member_cannot_send");
    EXPECT_EQ(read_message(server, hq, notice, admin)["comment_count"], 0);
}

TEST(Reactions, ReactionUpdatedReachesReadersLive) {
    Group g;
    auto alice_ws = stream_of(g.server.port(), g.alice);
    auto bob_ws = stream_of(g.server.port(), g.bob);

    ASSERT_EQ(like(g.server, g.id, g.post, g.carol).status, 200);
    for (WsClient* ws : {alice_ws.get(), bob_ws.get()}) {
        json event = read_reaction(*ws, g.post);
        ASSERT_FALSE(event.is_null());
        EXPECT_EQ(event["conversation_id"], g.id);
        EXPECT_EQ(event["reactions"], json::parse(R"({"like":{"count":1}})")) << event;
        EXPECT_EQ(event["comment_count"], 0);
        EXPECT_FALSE(event.contains("message")) << "counts only, no text";
    }
    // A comment: its message.created, then the count on the message it answers.
    json comment = reply(g.server, g.id, g.post, g.bob, "On my way");
    for (WsClient* ws : {alice_ws.get(), bob_ws.get()}) {
        ASSERT_FALSE(read_until_message(*ws, comment["id"]).is_null());
        json event = read_reaction(*ws, g.post);
        ASSERT_FALSE(event.is_null());
        EXPECT_EQ(event["comment_count"], 1);
        EXPECT_EQ(event["reactions"]["like"]["count"], 1);
    }
    // A like that changes nothing is not announced: the next event Alice gets is the unlike.
    ASSERT_EQ(like(g.server, g.id, g.post, g.carol).status, 200);
    ASSERT_EQ(unlike(g.server, g.id, g.post, g.carol).status, 200);
    json next = alice_ws->read();
    EXPECT_EQ(next.value("type", ""), "reaction.updated") << next;
    EXPECT_EQ(next["reactions"]["like"]["count"], 0) << next;

    // Resume carries the counts, with "mine" for the reader.
    auto resumed = std::make_unique<WsClient>(g.server.port(), "/api/v1/stream",
                                              std::vector<std::string>{bearer(g.carol)});
    ASSERT_EQ(resumed->read().value("type", ""), "hello");
    ASSERT_EQ(like(g.server, g.id, g.post, g.carol).status, 200);
    resumed->send(json{{"type", "resume"}, {"cursors", {{g.id, 0}}}});
    json created = read_until_message(*resumed, g.post);
    ASSERT_FALSE(created.is_null());
    EXPECT_EQ(created["message"]["comment_count"], 1);
    EXPECT_EQ(created["message"]["reactions"]["like"]["mine"], true);
}

TEST(Reactions, ReactionsToAPrivateMessageReachOnlyItsReaders) {
    PublicGroup p;
    auto carol_ws = stream_of(p.server.port(), p.carol);
    auto bob_ws = stream_of(p.server.port(), p.bob);
    json comment = reply(p.server, p.id, p.post, p.bob, "Open on Sundays?");
    ASSERT_EQ(like(p.server, p.id, comment["id"], p.a).status, 200);
    // Bob hears of the like of his comment.
    json bobs = read_reaction(*bob_ws, comment["id"]);
    ASSERT_FALSE(bobs.is_null());
    EXPECT_EQ(bobs["reactions"]["like"]["count"], 1);
    // Carol does not: by the admin's next broadcast, nothing about the comment reached her.
    const std::string later = send_text(p.server, p.a.token, p.id, "Closed on Monday")["id"];
    std::vector<json> before;
    ASSERT_FALSE(read_until_message(*carol_ws, later, &before).is_null());
    for (const auto& f : before) {
        EXPECT_NE(f.value("message_id", ""), comment["id"]) << f;
        EXPECT_EQ(f.dump().find(comment["id"].get<std::string>()), std::string::npos) << f;
    }
    // She does hear the post's comment count change: counts are for every reader.
    EXPECT_TRUE(std::any_of(before.begin(), before.end(), [&](const json& f) {
        return f.value("type", "") == "reaction.updated" && f["message_id"] == p.post &&
               f["comment_count"] == 1;
    }));
}

TEST(Reactions, FiftyConcurrentLikersAreCountedExactly) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    constexpr int kLikers = 50;
    std::vector<Session> likers;
    json phones = json::array();
    for (int i = 0; i < kLikers; ++i) {
        std::string digits = std::to_string(i);
        std::string phone = "+659120" + std::string(4 - digits.size(), '0') + digits;
        likers.push_back(server.sign_in(phone));
        phones.push_back(phone);
    }
    auto created =
        server.post("/api/v1/groups", {{"name", "Everyone"}, {"members", phones}}, alice.token);
    ASSERT_EQ(created.status, 201) << created;
    const std::string group = created.body["id"];
    const std::string post = send_text(server, alice.token, group, "Like if you agree")["id"];

    // Everyone likes at once, each twice (a retry); then every other one takes it back.
    auto all_at_once = [&](auto each) {
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int i = 0; i < kLikers; ++i) {
            threads.emplace_back([&, i] {
                auto http = server.client();
                if (!each(*http, i)) ++failures;
            });
        }
        for (auto& t : threads) t.join();
        return failures.load();
    };
    EXPECT_EQ(all_at_once([&](HttpClient& http, int i) {
                  for (int n = 0; n < 2; ++n) {
                      auto r = http.put(like_path(group, post), json::object(), likers[i].token);
                      if (r.status != 200) return false;
                  }
                  return true;
              }),
              0);
    EXPECT_EQ(read_message(server, group, post, alice)["reactions"]["like"]["count"], kLikers);
    auto listed = server.get(message_path(group, post) + "/reactions?limit=200", alice.token);
    ASSERT_EQ(listed.status, 200) << listed;
    EXPECT_EQ(listed.body["likes"].size(), static_cast<std::size_t>(kLikers));

    EXPECT_EQ(all_at_once([&](HttpClient& http, int i) {
                  if (i % 2 == 0) return true;
                  return http.del(like_path(group, post), likers[i].token).status == 200;
              }),
              0);
    EXPECT_EQ(read_message(server, group, post, alice)["reactions"]["like"]["count"], kLikers / 2);
    for (int i = 0; i < kLikers; i += 7) {
        EXPECT_EQ(read_message(server, group, post, likers[i])["reactions"]["like"]["mine"],
                  i % 2 == 0);
    }
}

}  // namespace
}  // namespace parley::it
