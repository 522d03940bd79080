// The WebSocket stream (GET /api/v1/stream): authentication by bearer token or single-use ticket,
// hello, live events with the same message JSON as history, resume by cursor, bad frames,
// member removal, and close 1001 on SIGTERM. WsClient (ws_client.hpp) plays the client.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

// A group of a and b (added by phone), with the id.
std::string group_of(ParleyServer& server, const Session& a, const std::string& b_phone) {
    auto r = server.post("/api/v1/groups", {{"name", "Stream"}, {"members", {b_phone}}}, a.token);
    if (r.status != 201) throw std::runtime_error("group: " + r.raw);
    return r.body["id"];
}

TEST(Stream, HelloWithBearerToken) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    WsClient ws(server.port(), "/api/v1/stream", {bearer(a)});
    ASSERT_FALSE(ws.refused) << *ws.refused;
    json hello = ws.read();
    ASSERT_EQ(hello.value("type", ""), "hello") << hello;
    EXPECT_EQ(hello["user_id"], a.user_id);
    EXPECT_TRUE(hello["session_id"].is_string());
    EXPECT_TRUE(hello["server_time"].is_number_integer());
}

TEST(Stream, RefusesWithoutValidCredentials) {
    ParleyServer server;
    Response none = refused_upgrade(server.port(), "/api/v1/stream");
    EXPECT_EQ(none.status, 401) << none;
    EXPECT_EQ(none.error_code(), "token_missing");

    Response bad = refused_upgrade(server.port(), "/api/v1/stream", {"Authorization: Bearer nope"});
    EXPECT_EQ(bad.status, 401) << bad;
    WsClient client(server.port(), "/api/v1/stream", {"Authorization: Bearer nope"});
    EXPECT_TRUE(client.refused);

    // A plain GET is told to upgrade.
    auto plain = server.get("/api/v1/stream");
    EXPECT_EQ(plain.status, 426) << plain;
}

TEST(Stream, TicketIsSingleUse) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    EXPECT_EQ(server.post("/api/v1/stream/tickets", json::object()).status, 401);
    auto issued = server.post("/api/v1/stream/tickets", json::object(), a.token);
    ASSERT_EQ(issued.status, 201) << issued;
    EXPECT_EQ(issued.body["expires_in"], 30);
    const std::string ticket = issued.body["ticket"];

    {
        WsClient ws(server.port(), "/api/v1/stream?ticket=" + ticket);
        ASSERT_FALSE(ws.refused) << *ws.refused;
        json hello = ws.read();
        EXPECT_EQ(hello.value("type", ""), "hello") << hello;
        EXPECT_EQ(hello["user_id"], a.user_id);
    }
    Response again = refused_upgrade(server.port(), "/api/v1/stream?ticket=" + ticket);
    EXPECT_EQ(again.status, 401) << again;
    EXPECT_EQ(again.error_code(), "ticket_invalid");

    Response forged = refused_upgrade(server.port(), "/api/v1/stream?ticket=tkt_forged");
    EXPECT_EQ(forged.status, 401) << forged;
    EXPECT_EQ(forged.error_code(), "ticket_invalid");
}

TEST(Stream, OriginMustMatchUnlessListed) {
    ParleyServer server({"--web-origin", "https://chat.example.com"});
    Session a = server.sign_in(kAdminPhone);
    const std::string self = "Origin: http://127.0.0.1:" + std::to_string(server.port());
    WsClient same(server.port(), "/api/v1/stream", {bearer(a), self});
    EXPECT_FALSE(same.refused);
    WsClient listed(server.port(), "/api/v1/stream",
                    {bearer(a), "Origin: https://chat.example.com"});
    EXPECT_FALSE(listed.refused);
    Response other = refused_upgrade(server.port(), "/api/v1/stream",
                                     {bearer(a), "Origin: https://evil.example"});
    EXPECT_EQ(other.status, 403) << other;
    EXPECT_EQ(other.error_code(), "origin_not_allowed");
}

TEST(Stream, MessageReachesOtherMemberAsInHistory) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string group = group_of(server, a, kBobPhone);
    WsClient wa(server.port(), "/api/v1/stream", {bearer(a)});
    WsClient wb(server.port(), "/api/v1/stream", {bearer(b)});
    ASSERT_EQ(wa.read().value("type", ""), "hello");
    ASSERT_EQ(wb.read().value("type", ""), "hello");

    json sent = send_text(server, a.token, group, "hello over the stream");
    for (WsClient* ws : {&wb, &wa}) {
        json event;
        do {
            event = ws->read_until("message.created");
            ASSERT_FALSE(event.is_null()) << ws->error().message();
        } while (event["message"]["id"] != sent["id"]);
        EXPECT_EQ(event["conversation_id"], group);
        EXPECT_EQ(event["seq"], sent["seq"]);
        auto history = server.get(messages_path(group) + "?after=" +
                                      std::to_string(sent["seq"].get<int>() - 1) + "&limit=1",
                                  b.token);
        ASSERT_EQ(history.status, 200) << history;
        EXPECT_EQ(event["message"], as_live(history.body["messages"][0]));
    }
}

TEST(Stream, ResumeReturnsExactlyTheMissedMessages) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string group = group_of(server, a, kBobPhone);
    json last = send_text(server, a.token, group, "seen");
    const int cursor = last["seq"];
    std::vector<std::string> missed;
    for (int i = 0; i < 3; ++i) {
        missed.push_back(send_text(server, a.token, group, "missed " + std::to_string(i))["id"]);
    }

    WsClient wb(server.port(), "/api/v1/stream", {bearer(b)});
    ASSERT_EQ(wb.read().value("type", ""), "hello");
    wb.send(json{{"type", "resume"}, {"cursors", {{group, cursor}}}});
    std::vector<json> frames;
    json done = wb.read_until("resume.done", &frames);
    ASSERT_FALSE(done.is_null()) << wb.error().message();
    // The sends' live events may still be on their way when the stream opens, and arrive
    // before or after the resume's copies: clients deduplicate by (conversation, seq), as
    // documented. So each missed seq arrives once or twice, and nothing else arrives.
    std::map<int, std::string> by_seq;
    std::map<int, int> copies;
    for (const auto& f : frames) {
        ASSERT_EQ(f["type"], "message.created") << f;
        EXPECT_GT(f["seq"].get<int>(), cursor);
        auto it = by_seq.emplace(f["seq"].get<int>(), f["message"]["id"]).first;
        EXPECT_EQ(it->second, f["message"]["id"]) << "one seq, two messages";
        EXPECT_LE(++copies[f["seq"].get<int>()], 2) << "the resume's copy and the live one";
    }
    std::vector<std::string> got;
    for (const auto& [seq, id] : by_seq) got.push_back(id);
    EXPECT_EQ(got, missed);

    // Up to date: nothing new, only late live copies of what the first resume returned.
    wb.send(json{{"type", "resume"}, {"cursors", {{group, by_seq.rbegin()->first}}}});
    std::vector<json> late;
    ASSERT_FALSE(wb.read_until("resume.done", &late).is_null()) << wb.error().message();
    for (const auto& f : late) {
        ASSERT_EQ(f["type"], "message.created") << f;
        auto known = by_seq.find(f["seq"].get<int>());
        ASSERT_NE(known, by_seq.end()) << "the second resume returned something new: " << f;
        EXPECT_EQ(known->second, f["message"]["id"]);
        EXPECT_LE(++copies[f["seq"].get<int>()], 2) << "the resume's copy and the live one";
    }
}

TEST(Stream, ResumeIsTruncatedAfter200PerConversation) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, a.token, "Busy");
    for (int i = 0; i < 205; ++i) send_text(server, a.token, group, "m" + std::to_string(i));
    WsClient wa(server.port(), "/api/v1/stream", {bearer(a)});
    ASSERT_EQ(wa.read().value("type", ""), "hello");
    wa.send(json{{"type", "resume"}, {"cursors", json::object()}});
    std::vector<json> frames;
    ASSERT_FALSE(wa.read_until("resume.done", &frames).is_null());
    // Live copies of the last sends may still be on their way and arrive among the resume's
    // frames; they are the ones at or after the truncation point (clients deduplicate by seq).
    auto truncated = std::find_if(frames.begin(), frames.end(),
                                  [](const json& f) { return f["type"] == "resume.truncated"; });
    ASSERT_NE(truncated, frames.end());
    EXPECT_EQ((*truncated)["conversation_id"], group);
    const int from_seq = (*truncated)["from_seq"];
    EXPECT_GT((*truncated)["last_seq"].get<int>(), from_seq);
    std::vector<int> resumed;
    for (const auto& f : frames) {
        if (f["type"] == "resume.truncated") continue;
        ASSERT_EQ(f["type"], "message.created") << f;
        if (f["seq"].get<int>() >= from_seq) continue;  // a live copy
        resumed.push_back(f["seq"]);
    }
    ASSERT_EQ(resumed.size(), 200u) << "the resume stops after 200 messages";
    for (std::size_t i = 1; i < resumed.size(); ++i) EXPECT_EQ(resumed[i], resumed[i - 1] + 1);
    EXPECT_EQ(from_seq, resumed.back() + 1);
}

TEST(Stream, BadFramesGetErrorFrames) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    WsClient ws(server.port(), "/api/v1/stream", {bearer(a)});
    ASSERT_EQ(ws.read().value("type", ""), "hello");
    for (const std::string bad : {"not json", "[1,2]", "{\"type\":5}", "{\"type\":\"dance\"}",
                                  "{\"type\":\"resume\",\"cursors\":[1]}",
                                  "{\"type\":\"resume\",\"cursors\":{\"c\":-1}}"}) {
        ws.send(bad);
        json error = ws.read();
        ASSERT_EQ(error.value("type", ""), "error") << bad << " → " << error;
        EXPECT_TRUE(error["code"].is_string());
        EXPECT_TRUE(error["message"].is_string());
    }
    // Still usable.
    ws.send(json{{"type", "ping"}});
    EXPECT_EQ(ws.read().value("type", ""), "pong");
}

TEST(Stream, OversizedFrameClosesWith1009) {
    ParleyServer server({"--stream-max-frame", "2048"});
    Session a = server.sign_in(kAdminPhone);
    WsClient ws(server.port(), "/api/v1/stream", {bearer(a)});
    ASSERT_EQ(ws.read().value("type", ""), "hello");
    ws.send(std::string(4096, 'x'));
    EXPECT_TRUE(ws.read().is_null());
    EXPECT_EQ(ws.close_code(), 1009);
}

TEST(Stream, MemberRemovedReachesTheRemovedUser) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string group = group_of(server, a, kBobPhone);
    WsClient wb(server.port(), "/api/v1/stream", {bearer(b)});
    ASSERT_EQ(wb.read().value("type", ""), "hello");
    auto removed = server.del(group_path(group) + "/members/" + b.user_id, a.token);
    ASSERT_LT(removed.status, 300) << removed;
    json event = wb.read_until("member.removed");
    ASSERT_FALSE(event.is_null()) << wb.error().message();
    EXPECT_EQ(event["conversation_id"], group);
    EXPECT_EQ(event["user_ids"], json::array({b.user_id}));
}

// A device whose wipe was delivered opens its stream again: no wipe follows the hello (the
// pause leaves time for the write that clears the pending wipe, and for a wrong one to arrive).
void expect_no_wipe_at_next_hello(ParleyServer& server, const Session& who) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    WsClient again(server.port(), "/api/v1/stream", {bearer(who)});
    ASSERT_EQ(again.read().value("type", ""), "hello");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    again.send(json{{"type", "ping"}});
    std::vector<json> skipped;
    ASSERT_FALSE(again.read_until("pong", &skipped).is_null());
    for (const auto& frame : skipped) EXPECT_NE(frame.value("type", ""), "wipe") << frame;
}

TEST(Stream, WipeWaitsForADeviceThatWasOffline) {
    // Removed from the organization while no stream was open: the wipe follows the next hello,
    // once; a restore within the window would have cleared it instead.
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string org = first_organization_id(server, a.token);
    add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
    auto removed = server.del(org_path(org) + "/people/" + b.user_id, a.token);
    ASSERT_EQ(removed.status, 200) << removed;
    {
        WsClient wb(server.port(), "/api/v1/stream", {bearer(b)});
        ASSERT_EQ(wb.read().value("type", ""), "hello");
        json wipe = wb.read_until("wipe");
        ASSERT_FALSE(wipe.is_null()) << wb.error().message();
        EXPECT_EQ(wipe["organization_id"], org);
        EXPECT_EQ(wipe["user_ids"], json::array({b.user_id}));
    }
    expect_no_wipe_at_next_hello(server, b);
}

TEST(Stream, AnOnlineDeviceIsWipedLiveAndNotAgainAtItsNextHello) {
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string org = first_organization_id(server, a.token);
    add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
    {
        WsClient wb(server.port(), "/api/v1/stream", {bearer(b)});
        ASSERT_EQ(wb.read().value("type", ""), "hello");
        auto removed = server.del(org_path(org) + "/people/" + b.user_id, a.token);
        ASSERT_EQ(removed.status, 200) << removed;
        json wipe = wb.read_until("wipe");
        ASSERT_FALSE(wipe.is_null()) << wb.error().message();
        EXPECT_EQ(wipe["organization_id"], org);
    }
    expect_no_wipe_at_next_hello(server, b);
}

TEST(Stream, SigtermClosesClientsWith1001) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    WsClient ws(server.port(), "/api/v1/stream", {bearer(a)});
    ASSERT_EQ(ws.read().value("type", ""), "hello");
    std::thread stopper([&] { EXPECT_EQ(server.stop(), 0); });
    EXPECT_TRUE(ws.read().is_null());
    EXPECT_EQ(ws.close_code(), 1001);
    stopper.join();
}

}  // namespace
}  // namespace parley::it
