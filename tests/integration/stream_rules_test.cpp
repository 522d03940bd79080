// The stream's rules beyond delivery: a conversation's messages arrive in seq order however
// many senders race, system messages included; a flooding client is told, then closed (1008); a
// revoked sign-in session's stream hears why and is closed while the same person's other devices
// stay; live delivery follows the organization's policies as they change; the counters in /metrics.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

using namespace std::chrono_literals;

// The value of a sample line "name value" in /metrics; -1 when absent.
double metric(ParleyServer& server, const std::string& name) {
    const auto r = server.get("/metrics");
    const std::string prefix = "\n" + name + " ";
    const auto at = r.raw.find(prefix);
    if (at == std::string::npos) return -1;
    return std::stod(r.raw.substr(at + prefix.size()));
}

// Reads until a message.created (returned) and collects the other frames' types.
json next_message(WsClient& ws, std::vector<std::string>* other_types = nullptr) {
    std::vector<json> skipped;
    json frame = ws.read_until("message.created", &skipped);
    if (other_types) {
        for (const auto& f : skipped) other_types->push_back(f.value("type", ""));
    }
    return frame;
}

// Like next_message, but skips system messages: a stream opened right after members were added
// may still hear those live, since the bus may still be delivering them.
json next_text_message(WsClient& ws, std::vector<std::string>* other_types = nullptr) {
    json frame;
    do {
        frame = next_message(ws, other_types);
    } while (!frame.is_null() && frame["message"]["kind"] == "system");
    return frame;
}

TEST(StreamRules, ConcurrentSendersMessagesArriveInSeqOrderWithSystemMessagesLive) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string group = create_group(server, a.token, "Busy");
    WsClient ws(server.port(), "/api/v1/stream", {bearer(b)});
    ASSERT_EQ(ws.read()["type"], "hello");

    // Bob is added while his stream is open: the system message reaches him live too.
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token).status,
              200);
    constexpr int kSenders = 8, kEach = 40;
    std::vector<std::thread> senders;
    for (int t = 0; t < kSenders; ++t) {
        senders.emplace_back([&, t] {
            auto http = server.client();
            const std::string& token = t % 2 ? a.token : b.token;
            for (int i = 0; i < kEach; ++i) {
                auto r = http->post(messages_path(group),
                                    {{"text", std::to_string(t) + "/" + std::to_string(i)}}, token);
                if (r.status != 201) ADD_FAILURE() << r;
            }
        });
    }
    for (auto& s : senders) s.join();

    // A system message after the storm: members already in get it live like any message.
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kCarolPhone}}, a.token).status,
              200);

    const auto history = all_messages(server.http(), group, b.token);
    ASSERT_EQ(history.size(), 3u + kSenders * kEach);
    const std::int64_t last = history.back()["seq"];
    EXPECT_EQ(history.back()["kind"], "system");
    // What was committed before Bob joined (the group's creation, seq 1; his own "was added",
    // seq 2) may come live or with his next page: the bus may still be delivering it when he
    // joins, and history he may read reaches him either way (members learn of a new member
    // from member.added). Everything after it comes live, in seq order.
    std::vector<std::int64_t> live;
    while (live.empty() || live.back() < last) {
        json frame = ws.read_until("message.created");
        ASSERT_FALSE(frame.is_null()) << "after " << live.size() << " of " << history.size();
        live.push_back(frame["seq"]);
        EXPECT_EQ(frame["message"], as_live(history[live.back() - 1])) << "seq " << live.back();
    }
    while (!live.empty() && live.front() < 3) live.erase(live.begin());
    std::vector<std::int64_t> expected;
    for (std::int64_t seq = 3; seq <= last; ++seq) expected.push_back(seq);
    EXPECT_EQ(live, expected);
}

TEST(StreamRules, ABatchingClientGetsEveryEventInOrderWhetherAloneOrBatched) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string group = create_group(server, a.token, "Batched");
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token).status,
              200);
    WsClient ws(server.port(), "/api/v1/stream?batch=1", {bearer(b)});
    ASSERT_EQ(ws.read()["type"], "hello");

    constexpr int kSenders = 4, kEach = 50;
    std::vector<std::thread> senders;
    for (int t = 0; t < kSenders; ++t) {
        senders.emplace_back([&] {
            auto http = server.client();
            for (int i = 0; i < kEach; ++i) {
                auto r =
                    http->post(messages_path(group), {{"text", std::string(300, 'x')}}, a.token);
                if (r.status != 201) ADD_FAILURE() << r;
            }
        });
    }
    for (auto& s : senders) s.join();
    const std::int64_t last = all_messages(server.http(), group, b.token).back()["seq"];

    // Unpack batches; whether any formed depends on timing, what arrives does not.
    std::vector<std::int64_t> seqs;
    while (seqs.empty() || seqs.back() < last) {
        json frame = ws.read();
        ASSERT_FALSE(frame.is_null()) << "after seq " << (seqs.empty() ? 0 : seqs.back());
        std::vector<json> events;
        if (frame["type"] == "batch") {
            ASSERT_TRUE(frame["events"].is_array()) << frame;
            ASSERT_GE(frame["events"].size(), 2u) << frame;
            for (const auto& e : frame["events"]) events.push_back(e);
        } else {
            events.push_back(frame);
        }
        for (const auto& e : events) {
            if (e["type"] == "message.created") seqs.push_back(e["seq"]);
        }
    }
    for (std::size_t i = 1; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], seqs[i - 1] + 1) << i;
    EXPECT_EQ(seqs.back(), last);
}

TEST(StreamRules, AFloodingClientIsToldOnceThenClosedWith1008) {
    ParleyServer server({"--stream-frame-rate", "1", "--stream-frame-burst", "5"});
    Session a = server.sign_in(kAdminPhone);
    WsClient ws(server.port(), "/api/v1/stream", {bearer(a)});
    ASSERT_TRUE(ws.open());
    ASSERT_EQ(ws.read()["type"], "hello");

    // The burst is served; what follows is refused, told once, and then the client is closed.
    for (int i = 0; i < 40 && ws.try_send(json{{"type", "ping"}}); ++i) {
    }
    int pongs = 0;
    int rate_limited = 0;
    for (json frame = ws.read(); !frame.is_null(); frame = ws.read()) {
        if (frame["type"] == "pong") ++pongs;
        if (frame["type"] == "error") {
            EXPECT_EQ(frame["code"], "rate_limited") << frame;
            ++rate_limited;
        }
    }
    EXPECT_EQ(ws.close_code(), 1008);
    EXPECT_GE(pongs, 5);
    EXPECT_LT(pongs, 40);
    EXPECT_GE(rate_limited, 1);
    EXPECT_EQ(metric(server, "parley_stream_closed_flooding_total"), 1);
    EXPECT_GE(metric(server, "parley_stream_frames_refused_total"), 6);

    // Anyone else, and the same person again, are served as usual.
    WsClient again(server.port(), "/api/v1/stream", {bearer(a)});
    ASSERT_EQ(again.read()["type"], "hello");
    again.send(json{{"type", "ping"}});
    EXPECT_EQ(again.read()["type"], "pong");
}

TEST(StreamRules, ARevokedSessionsStreamHearsWhyAndClosesWhileOtherDevicesStay) {
    ParleyServer server;
    Session phone = server.sign_in(kBobPhone);
    Session laptop = server.sign_in(kBobPhone);
    ASSERT_EQ(phone.user_id, laptop.user_id);
    ASSERT_NE(phone.session_id, laptop.session_id);
    Session a = server.sign_in(kAdminPhone);

    WsClient on_phone(server.port(), "/api/v1/stream", {bearer(phone)});
    WsClient on_laptop(server.port(), "/api/v1/stream", {bearer(laptop)});
    json hello = on_phone.read();
    ASSERT_EQ(hello["type"], "hello");
    EXPECT_EQ(hello["session_id"], phone.session_id);
    EXPECT_TRUE(hello["stream_id"].is_string());
    EXPECT_NE(hello["stream_id"], hello["session_id"]);
    ASSERT_EQ(on_laptop.read()["type"], "hello");

    // Signed out from the laptop, like "sign out other devices".
    auto revoked = server.del("/api/v1/auth/sessions/" + phone.session_id, laptop.token);
    ASSERT_EQ(revoked.status, 204) << revoked;
    json why = on_phone.read();
    EXPECT_EQ(why["type"], "session.revoked") << why;
    EXPECT_EQ(why["session_id"], phone.session_id);
    EXPECT_TRUE(on_phone.read().is_null());
    EXPECT_EQ(on_phone.close_code(), 1008);
    // Its token no longer opens a stream.
    EXPECT_EQ(refused_upgrade(server.port(), "/api/v1/stream", {bearer(phone)}).status, 401);

    // The laptop still gets Bob's messages.
    auto group = create_group(server, a.token, "Still here");
    ASSERT_EQ(
        server.post(group_path(group) + "/members", {{"phones", {kBobPhone}}}, a.token).status,
        200);
    send_text(server, a.token, group, "for the laptop");
    // The group's system messages may reach the laptop first (the bus may still be delivering
    // them when he joins); the message sent after them does reach it.
    json message = next_text_message(on_laptop);
    EXPECT_EQ(message["message"]["text"], "for the laptop") << message;
}

TEST(StreamRules, LiveDeliveryFollowsTheOrganizationsPoliciesAsTheyChange) {
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    const std::string org = first_organization_id(server, a.token);
    ASSERT_EQ(server
                  .patch(org_path(org) + "/people/" + a.user_id,
                         {{"email", "admin@contoso.example"}}, a.token)
                  .status,
              200);
    server.link_work_account(a, "admin@contoso.example");
    add_person(server, a.token, org, kBobPhone, "bob@contoso.example");
    server.link_work_account(b, "bob@contoso.example");

    auto created = server.post(org_path(org) + "/groups",
                               {{"name", "Field team"}, {"members", {kBobPhone}}}, a.token);
    ASSERT_EQ(created.status, 201) << created;
    const std::string org_group = created.body["id"];
    const std::string private_group = create_group(server, a.token, "Friends");
    ASSERT_EQ(
        server.post(group_path(private_group) + "/members", {{"phones", {kBobPhone}}}, a.token)
            .status,
        200);
    ASSERT_EQ(
        server
            .patch(org_path(org), {{"policies", {{"groups_require_work_account", true}}}}, a.token)
            .status,
        200);

    WsClient ws(server.port(), "/api/v1/stream", {bearer(b)});
    ASSERT_EQ(ws.read()["type"], "hello");
    send_text(server, a.token, org_group, "linked: you get this");
    EXPECT_EQ(next_text_message(ws)["message"]["text"], "linked: you get this");

    // Bob signs out of the work account: organization groups need it, so the next
    // organization message does not reach him; the private group's does.
    ASSERT_EQ(server.del("/api/v1/me/work-account", b.token).status, 204);
    send_text(server, a.token, org_group, "unlinked: not for you");
    send_text(server, a.token, private_group, "private: still for you");
    std::vector<std::string> other_types;
    json next = next_text_message(ws, &other_types);
    EXPECT_EQ(next["message"]["text"], "private: still for you") << next;
    EXPECT_NE(std::find(other_types.begin(), other_types.end(), "person.updated"),
              other_types.end());
    // And what he cannot read now, he cannot page either.
    EXPECT_EQ(server.get(messages_path(org_group), b.token).error_code(), "work_account_required");

    // Linked again, he gets live organization messages again.
    server.link_work_account(b, "bob@contoso.example");
    send_text(server, a.token, org_group, "linked again");
    EXPECT_EQ(next_text_message(ws)["message"]["text"], "linked again");

    // The tenant lifts the rule: an unlinked member is in again.
    ASSERT_EQ(server.del("/api/v1/me/work-account", b.token).status, 204);
    ASSERT_EQ(
        server
            .patch(org_path(org), {{"policies", {{"groups_require_work_account", false}}}}, a.token)
            .status,
        200);
    send_text(server, a.token, org_group, "open to members");
    EXPECT_EQ(next_text_message(ws)["message"]["text"], "open to members");
}

}  // namespace
}  // namespace parley::it
