// The hub without sockets: fan-out to the audience's sessions, one serialization per event,
// the audience cache and what makes it forget, session revocation, bounded queues that close a
// slow session with 1013, the client's frame budget, the bus's bound, tickets.

#include "realtime/hub.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "realtime/bus.hpp"
#include "realtime/stream.hpp"
#include "realtime/tickets.hpp"

namespace parley::realtime {
namespace {

using nlohmann::json;

// A transport that completes writes only when told to.
class FakeSession final : public Session {
public:
    FakeSession(std::string id, std::string user, QueueLimits limits = {},
                std::string signed_in = "sgn_1")
        : Session(std::move(id), std::move(user), std::move(signed_in), limits) {}

    // Completes the write in flight.
    void complete(bool ok = true) { write_done(ok); }

    std::vector<Frame> started;  // frames whose write started, in order
    std::optional<std::uint16_t> close_code;

protected:
    void start_write(const Frame& frame) override { started.push_back(frame); }
    void start_close(std::uint16_t code, const std::string&) override { close_code = code; }
};

// The store's answer, as Access::readers would give it; counts the reads.
struct Members {
    std::map<core::Id, std::vector<core::Id>> by_conversation;
    std::map<core::Id, std::string> owner;  // conversation → organization
    std::map<core::Id, std::unordered_map<core::Id, std::int64_t>> floors;
    std::map<core::Id, std::unordered_set<core::Id>> sees_all;  // public groups: the admins
    int lookups = 0;
    AudienceLookup lookup() {
        return [this](const core::Id& c) -> Result<Audience> {
            ++lookups;
            if (!by_conversation.contains(c)) {
                return fail(ErrorKind::not_found, "conversation_not_found", "gone");
            }
            Audience audience{owner[c], by_conversation[c], floors[c]};
            if (sees_all.contains(c)) audience.sees_all = sees_all[c];
            return audience;
        };
    }
};

core::Message message(std::string conversation, std::int64_t seq) {
    core::Message m;
    m.id = "msg_" + std::to_string(seq);
    m.conversation_id = std::move(conversation);
    m.seq = seq;
    m.text = "hi";
    return m;
}

TEST(Hub, FansOutToEveryOnlineSessionOfEveryMemberOnce) {
    Members members;
    members.by_conversation["cnv_1"] = {"usr_a", "usr_b", "usr_offline"};
    Hub hub(members.lookup());
    auto a1 = std::make_shared<FakeSession>("s1", "usr_a");
    auto a2 = std::make_shared<FakeSession>("s2", "usr_a");
    auto b = std::make_shared<FakeSession>("s3", "usr_b");
    auto outsider = std::make_shared<FakeSession>("s4", "usr_x");
    for (auto& s : {a1, a2, b, outsider}) hub.add(s);
    EXPECT_EQ(hub.session_count(), 4u);

    hub.deliver(service::Event{"message.created", "cnv_1", 7, message("cnv_1", 7), {}, {}});
    EXPECT_EQ(hub.frames_serialized(), 1u);
    ASSERT_EQ(a1->started.size(), 1u);
    ASSERT_EQ(a2->started.size(), 1u);
    ASSERT_EQ(b->started.size(), 1u);
    EXPECT_TRUE(outsider->started.empty());
    // The very same buffer for every recipient.
    EXPECT_EQ(a1->started[0].get(), b->started[0].get());
    EXPECT_EQ(a2->started[0].get(), b->started[0].get());
    json j = json::parse(*b->started[0]);
    EXPECT_EQ(j["type"], "message.created");
    EXPECT_EQ(j["conversation_id"], "cnv_1");
    EXPECT_EQ(j["seq"], 7);
    EXPECT_EQ(j["message"]["id"], "msg_7");

    hub.remove(*a2);
    EXPECT_EQ(hub.session_count(), 3u);
}

TEST(Hub, RemovedUserAndWipeReachTheNamedUsers) {
    Members members;
    members.by_conversation["cnv_1"] = {"usr_a"};  // b already removed in the store
    Hub hub(members.lookup());
    auto a = std::make_shared<FakeSession>("s1", "usr_a");
    auto b = std::make_shared<FakeSession>("s2", "usr_b");
    hub.add(a);
    hub.add(b);
    hub.deliver(service::Event{"member.removed", "cnv_1", 3, std::nullopt, {"usr_b"}, {}});
    ASSERT_EQ(b->started.size(), 1u);
    EXPECT_EQ(json::parse(*b->started[0])["user_ids"], json::array({"usr_b"}));
    a->complete();
    b->complete();
    hub.deliver(service::Event{"wipe", "", 0, std::nullopt, {"usr_b"}, "org_1"});
    ASSERT_EQ(b->started.size(), 2u);
    EXPECT_EQ(a->started.size(), 1u);
    json wipe = json::parse(*b->started[1]);
    EXPECT_EQ(wipe["type"], "wipe");
    EXPECT_EQ(wipe["organization_id"], "org_1");
}

TEST(Hub, CachesTheAudienceUntilAnEventMayChangeIt) {
    Members members;
    members.by_conversation["cnv_1"] = {"usr_a"};
    members.owner["cnv_1"] = "org_1";
    members.by_conversation["cnv_2"] = {"usr_a"};  // private
    Hub hub(members.lookup());
    auto a = std::make_shared<FakeSession>("s1", "usr_a");
    auto b = std::make_shared<FakeSession>("s2", "usr_b");
    hub.add(a);
    hub.add(b);
    auto send_message = [&](const char* conversation, int seq) {
        hub.deliver(service::Event{
            "message.created", conversation, seq, message(conversation, seq), {}, {}});
        while (a->queued_frames() > 0) a->complete();
        while (b->queued_frames() > 0) b->complete();
    };
    send_message("cnv_1", 1);
    send_message("cnv_1", 2);
    hub.deliver(service::Event{"read.updated", "cnv_1", 2, std::nullopt, {"usr_a"}, {}});
    a->complete();
    EXPECT_EQ(members.lookups, 1);
    EXPECT_TRUE(b->started.empty());

    // b joins: the member event makes the hub read the audience again, and b hears of it.
    members.by_conversation["cnv_1"] = {"usr_a", "usr_b"};
    hub.deliver(service::Event{"member.added", "cnv_1", 3, std::nullopt, {"usr_b"}, {}});
    EXPECT_EQ(members.lookups, 2);
    ASSERT_EQ(b->started.size(), 1u);
    b->complete();
    a->complete();
    send_message("cnv_1", 4);
    EXPECT_EQ(b->started.size(), 2u);
    EXPECT_EQ(members.lookups, 2);

    // The organization's policies change: b may no longer read (no work account). Its
    // conversations are read again; the private one is kept.
    send_message("cnv_2", 1);
    EXPECT_EQ(members.lookups, 3);
    members.by_conversation["cnv_1"] = {"usr_a"};
    hub.deliver(service::Event{"organization.updated", "", 0, std::nullopt, {}, "org_1"});
    EXPECT_EQ(hub.audiences().size(), 1u);
    send_message("cnv_1", 5);
    send_message("cnv_2", 2);
    EXPECT_EQ(members.lookups, 4);
    EXPECT_EQ(b->started.size(), 2u);  // nothing new for b; organization.updated goes to no one

    // A directory change of one person does the same, and tells that person.
    members.by_conversation["cnv_1"] = {"usr_a", "usr_b"};
    hub.deliver(service::Event{"person.updated", "", 0, std::nullopt, {"usr_b"}, "org_1"});
    ASSERT_EQ(b->started.size(), 3u);
    EXPECT_EQ(json::parse(*b->started[2])["type"], "person.updated");
    b->complete();
    send_message("cnv_1", 6);
    EXPECT_EQ(members.lookups, 5);
    EXPECT_EQ(b->started.size(), 4u);
}

TEST(Hub, ReadsNoAudienceWhileNoStreamIsOpenYetForgetsWhatChanged) {
    Members members;
    members.by_conversation["cnv_1"] = {"usr_a"};
    Hub hub(members.lookup());
    auto a = std::make_shared<FakeSession>("s1", "usr_a");
    hub.add(a);
    hub.deliver(service::Event{"message.created", "cnv_1", 1, message("cnv_1", 1), {}, {}});
    a->complete();
    EXPECT_EQ(members.lookups, 1);
    hub.remove(*a);

    // Nobody online: events change the store, not the hub, and cost no reads.
    members.by_conversation["cnv_1"] = {"usr_a", "usr_b"};
    hub.deliver(service::Event{"member.added", "cnv_1", 2, std::nullopt, {"usr_b"}, {}});
    hub.deliver(service::Event{"message.created", "cnv_1", 3, message("cnv_1", 3), {}, {}});
    EXPECT_EQ(members.lookups, 1);

    // b comes online: the audience forgotten while nobody listened is read afresh.
    auto b = std::make_shared<FakeSession>("s2", "usr_b");
    hub.add(b);
    hub.deliver(service::Event{"message.created", "cnv_1", 4, message("cnv_1", 4), {}, {}});
    EXPECT_EQ(members.lookups, 2);
    ASSERT_EQ(b->started.size(), 1u);
    EXPECT_EQ(json::parse(*b->started[0])["type"], "message.created");
}

TEST(Hub, AMemberEventPublishedBeforeTheAudienceWasReadCostsNoSecondRead) {
    // A group created with its members: the store announced its first message (event 1), the
    // service then its members (event 2), both before the hub read the audience.
    Members members;
    members.by_conversation["cnv_1"] = {"usr_a", "usr_b"};
    std::uint64_t published = 2;
    Hub hub(members.lookup(), [&] { return published; });
    auto a = std::make_shared<FakeSession>("s1", "usr_a");
    auto b = std::make_shared<FakeSession>("s2", "usr_b");
    hub.add(a);
    hub.add(b);
    hub.deliver(service::Event{"message.created", "cnv_1", 1, message("cnv_1", 1), {}, {}}, 1);
    hub.deliver(service::Event{"member.added", "cnv_1", 1, std::nullopt, {"usr_b"}, {}}, 2);
    EXPECT_EQ(members.lookups, 1);
    for (const auto& s : {a, b}) {
        s->complete();  // the first frame written; the second follows it
        s->complete();
        ASSERT_EQ(s->started.size(), 2u) << s->user_id();
        EXPECT_EQ(json::parse(*s->started[1])["type"], "member.added");
    }

    // A change published after the read is read again.
    members.by_conversation["cnv_1"] = {"usr_a"};
    published = 3;
    hub.deliver(service::Event{"member.removed", "cnv_1", 1, std::nullopt, {"usr_b"}, {}}, 3);
    EXPECT_EQ(members.lookups, 2);
}

// cnv_1 with usr_a, who reads all of it, and usr_late, whose history starts after seq 5; one
// online session each.
struct LateReader {
    Members members = [] {
        Members m;
        m.by_conversation["cnv_1"] = {"usr_a", "usr_late"};
        m.floors["cnv_1"] = {{"usr_late", 5}};
        return m;
    }();
    Hub hub{members.lookup()};
    std::shared_ptr<FakeSession> a = std::make_shared<FakeSession>("s1", "usr_a");
    std::shared_ptr<FakeSession> late = std::make_shared<FakeSession>("s2", "usr_late");
    LateReader() {
        hub.add(a);
        hub.add(late);
    }
};

TEST(Hub, MessageEventsSkipReadersWhoseHistoryStartsLater) {
    LateReader w;
    Hub& hub = w.hub;
    auto& a = w.a;
    auto& late = w.late;
    hub.deliver(service::Event{"message.edited", "cnv_1", 5, message("cnv_1", 5), {}, {}});
    EXPECT_EQ(a->started.size(), 1u);
    EXPECT_TRUE(late->started.empty());
    a->complete();
    hub.deliver(service::Event{"message.created", "cnv_1", 6, message("cnv_1", 6), {}, {}});
    EXPECT_EQ(a->started.size(), 2u);
    EXPECT_EQ(late->started.size(), 1u);
    // Events without a message (read receipts, members) are not about history.
    late->complete();
    hub.deliver(service::Event{"read.updated", "cnv_1", 3, std::nullopt, {"usr_a"}, {}});
    EXPECT_EQ(late->started.size(), 2u);
}

// The frames queued on the session since the last drain, completing each write; as JSON.
std::vector<json> drain(FakeSession& session) {
    std::vector<json> frames;
    std::size_t seen = 0;
    while (seen < session.started.size()) {
        frames.push_back(json::parse(*session.started[seen++]));
        session.complete();
    }
    session.started.clear();
    return frames;
}

// A public group: admin sees all; sub_a and sub_b are subscribers, who see the admins, the
// messages for everyone and their own private ones.
struct PublicGroup {
    Members members;
    std::unique_ptr<Hub> hub;
    std::shared_ptr<FakeSession> admin, sub_a, sub_b, sub_c;
    PublicGroup() {
        members.by_conversation["cnv_p"] = {"usr_admin", "usr_a", "usr_b"};
        members.sees_all["cnv_p"] = {"usr_admin"};
        hub = std::make_unique<Hub>(members.lookup());
        admin = std::make_shared<FakeSession>("s1", "usr_admin");
        sub_a = std::make_shared<FakeSession>("s2", "usr_a");
        sub_b = std::make_shared<FakeSession>("s3", "usr_b");
        sub_c = std::make_shared<FakeSession>("s4", "usr_c");
        for (auto& s : {admin, sub_a, sub_b, sub_c}) hub->add(s);
    }
    void deliver(std::string type, std::vector<core::Id> users) {
        hub->deliver(
            service::Event{std::move(type), "cnv_p", 0, std::nullopt, std::move(users), {}});
    }
    void say(std::int64_t seq, std::optional<core::Id> private_to) {
        auto m = message("cnv_p", seq);
        m.private_to = std::move(private_to);
        hub->deliver(service::Event{"message.created", "cnv_p", seq, m, {}, {}});
    }
};

TEST(Hub, APrivateMessageReachesTheAdminsAndItsOneSubscriber) {
    PublicGroup g;
    g.say(1, "usr_a");
    g.say(2, std::nullopt);
    g.say(3, "usr_b");
    auto seqs = [](const std::vector<json>& frames) {
        std::vector<int> out;
        for (const auto& f : frames) out.push_back(f["seq"]);
        return out;
    };
    EXPECT_EQ(seqs(drain(*g.admin)), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(seqs(drain(*g.sub_a)), (std::vector<int>{1, 2}));
    EXPECT_EQ(seqs(drain(*g.sub_b)), (std::vector<int>{2, 3}));
    EXPECT_TRUE(g.sub_c->started.empty());
    // One serialization per message, however many recipients.
    EXPECT_EQ(g.hub->frames_serialized(), 3u);
}

TEST(Hub, APrivateMessageStillRespectsTheHistoryFloor) {
    PublicGroup g;
    g.members.floors["cnv_p"] = {{"usr_a", 5}, {"usr_admin", 5}};
    g.say(5, "usr_a");
    g.say(6, "usr_a");
    EXPECT_EQ(drain(*g.admin).size(), 1u);
    EXPECT_EQ(drain(*g.sub_a).size(), 1u);
    EXPECT_TRUE(g.sub_b->started.empty());
}

TEST(Hub, SubscribersHearOnlyOfAdminsAndThemselves) {
    PublicGroup g;
    // C subscribes: the admins hear of it, C is told, A and B are not.
    g.members.by_conversation["cnv_p"].push_back("usr_c");
    g.deliver("member.added", {"usr_c"});
    auto admin = drain(*g.admin);
    ASSERT_EQ(admin.size(), 1u);
    EXPECT_EQ(admin[0]["user_ids"], json::array({"usr_c"}));
    auto c = drain(*g.sub_c);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0]["user_ids"], json::array({"usr_c"}));
    EXPECT_TRUE(g.sub_a->started.empty());
    EXPECT_TRUE(g.sub_b->started.empty());

    // A new admin and a new subscriber in one event: subscribers hear of the admin only (and
    // the new subscriber of themself too).
    g.members.by_conversation["cnv_p"].push_back("usr_admin2");
    g.members.by_conversation["cnv_p"].push_back("usr_d");
    g.members.sees_all["cnv_p"].insert("usr_admin2");
    auto d = std::make_shared<FakeSession>("s5", "usr_d");
    g.hub->add(d);
    g.deliver("member.added", {"usr_admin2", "usr_d"});
    EXPECT_EQ(drain(*g.admin)[0]["user_ids"], json::array({"usr_admin2", "usr_d"}));
    EXPECT_EQ(drain(*g.sub_a)[0]["user_ids"], json::array({"usr_admin2"}));
    EXPECT_EQ(drain(*g.sub_c)[0]["user_ids"], json::array({"usr_admin2"}));
    EXPECT_EQ(drain(*g.sub_b)[0]["user_ids"], json::array({"usr_admin2"}));
    EXPECT_EQ(drain(*d)[0]["user_ids"], json::array({"usr_admin2", "usr_d"}));

    // B leaves: the admins and B hear of it, nobody else.
    std::erase(g.members.by_conversation["cnv_p"], "usr_b");
    g.deliver("member.removed", {"usr_b"});
    EXPECT_EQ(drain(*g.admin).size(), 1u);
    auto b = drain(*g.sub_b);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0]["user_ids"], json::array({"usr_b"}));
    EXPECT_TRUE(drain(*g.sub_a).empty());
    EXPECT_TRUE(drain(*d).empty());

    // Read markers: a subscriber's go to the admins and themself; an admin's to everyone.
    g.hub->deliver(service::Event{"read.updated", "cnv_p", 4, std::nullopt, {"usr_a"}, {}});
    EXPECT_EQ(drain(*g.admin).size(), 1u);
    EXPECT_EQ(drain(*g.sub_a).size(), 1u);
    EXPECT_TRUE(drain(*g.sub_c).empty());
    g.hub->deliver(service::Event{"read.updated", "cnv_p", 4, std::nullopt, {"usr_admin"}, {}});
    for (auto* s : {g.admin.get(), g.sub_a.get(), g.sub_c.get(), d.get()}) {
        EXPECT_EQ(drain(*s).size(), 1u);
    }

    // Changes to the group itself reach everyone.
    g.deliver("conversation.updated", {});
    for (auto* s : {g.admin.get(), g.sub_a.get(), g.sub_c.get(), d.get()}) {
        EXPECT_EQ(drain(*s).size(), 1u);
    }
}

// reaction.updated (issue 5): counts only, no text and no "mine" (one frame for every reader),
// routed like its message, and no reason to read the audience again.
TEST(Hub, ReactionUpdatedCarriesCountsOnly) {
    auto m = message("cnv_1", 7);
    m.like_count = 3;
    m.comment_count = 2;
    m.liked_by_reader = true;
    json j = event_json(service::Event{"reaction.updated", "cnv_1", 7, m, {}, {}});
    EXPECT_EQ(j, json::parse(R"({"type":"reaction.updated","conversation_id":"cnv_1","seq":7,
                                 "message_id":"msg_7","reactions":{"like":{"count":3}},
                                 "comment_count":2})"));
}

TEST(Hub, AReactionToAPrivateMessageReachesOnlyThoseWhoReadIt) {
    PublicGroup g;
    g.say(1, "usr_a");
    g.say(2, std::nullopt);
    for (auto* s : {g.admin.get(), g.sub_a.get(), g.sub_b.get()}) drain(*s);
    const int lookups = g.members.lookups;
    auto react = [&](std::int64_t seq, std::optional<core::Id> private_to) {
        auto m = message("cnv_p", seq);
        m.private_to = std::move(private_to);
        m.like_count = 1;
        g.hub->deliver(service::Event{"reaction.updated", "cnv_p", seq, m, {}, {}});
    };
    react(1, "usr_a");
    EXPECT_EQ(drain(*g.admin).size(), 1u);
    EXPECT_EQ(drain(*g.sub_a).size(), 1u);
    EXPECT_TRUE(drain(*g.sub_b).empty());
    react(2, std::nullopt);
    for (auto* s : {g.admin.get(), g.sub_a.get(), g.sub_b.get()}) {
        auto frames = drain(*s);
        ASSERT_EQ(frames.size(), 1u);
        EXPECT_EQ(frames[0]["type"], "reaction.updated");
        EXPECT_EQ(frames[0]["message_id"], "msg_2");
    }
    EXPECT_EQ(g.members.lookups, lookups) << "a reaction changes no one's access";
}

TEST(Hub, AReactionRespectsTheHistoryFloor) {
    LateReader w;
    Hub& hub = w.hub;
    auto& a = w.a;
    auto& late = w.late;
    hub.deliver(service::Event{"reaction.updated", "cnv_1", 4, message("cnv_1", 4), {}, {}});
    EXPECT_EQ(a->started.size(), 1u);
    EXPECT_TRUE(late->started.empty());
}

TEST(Hub, AGoneConversationReachesOnlyTheNamedUsers) {
    Members members;
    Hub hub(members.lookup());
    auto b = std::make_shared<FakeSession>("s2", "usr_b");
    hub.add(b);
    hub.deliver(service::Event{"member.removed", "cnv_gone", 3, std::nullopt, {"usr_b"}, {}});
    EXPECT_EQ(b->started.size(), 1u);
    EXPECT_EQ(hub.audiences().size(), 0u);
}

TEST(Hub, RevokedSessionHearsWhyThenCloses) {
    Members members;
    Hub hub(members.lookup());
    auto revoked = std::make_shared<FakeSession>("s1", "usr_a", QueueLimits{}, "sgn_phone");
    auto other_device = std::make_shared<FakeSession>("s2", "usr_a", QueueLimits{}, "sgn_laptop");
    auto namesake = std::make_shared<FakeSession>("s3", "usr_b", QueueLimits{}, "sgn_phone");
    for (auto& s : {revoked, other_device, namesake}) hub.add(s);
    revoked->send(std::make_shared<const std::string>("earlier"));

    service::Event event{"session.revoked", "", 0, std::nullopt, {"usr_a"}, {}};
    event.session_id = "sgn_phone";
    hub.deliver(event);
    EXPECT_TRUE(other_device->started.empty());
    EXPECT_TRUE(namesake->started.empty());
    // The frames queued before it, then it, then the close.
    EXPECT_FALSE(revoked->close_code);
    EXPECT_FALSE(revoked->send(std::make_shared<const std::string>("after")));
    revoked->complete();
    ASSERT_EQ(revoked->started.size(), 2u);
    EXPECT_EQ(json::parse(*revoked->started[1]),
              json::parse(R"({"type":"session.revoked","session_id":"sgn_phone"})"));
    EXPECT_FALSE(revoked->close_code);
    revoked->complete();
    EXPECT_EQ(revoked->close_code, kClosePolicy);
}

TEST(Hub, ReadUpdatedCarriesUserAndReadSeq) {
    json j = event_json(service::Event{"read.updated", "cnv_1", 9, std::nullopt, {"usr_a"}, {}});
    EXPECT_EQ(j, json::parse(R"({"type":"read.updated","conversation_id":"cnv_1","seq":9,
                                 "user_id":"usr_a","read_seq":9})"));
}

TEST(Session, OneWriteInFlightAndFramesLeaveOnlyWhenWritten) {
    FakeSession s("s", "u");
    auto f = [](std::string text) { return std::make_shared<const std::string>(std::move(text)); };
    EXPECT_TRUE(s.send(f("one")));
    EXPECT_TRUE(s.send(f("two")));
    EXPECT_EQ(s.started.size(), 1u);  // "two" waits
    EXPECT_EQ(s.queued_frames(), 2u);
    EXPECT_EQ(s.queued_bytes(), 6u);
    s.complete();
    ASSERT_EQ(s.started.size(), 2u);
    EXPECT_EQ(*s.started[1], "two");
    s.complete();
    EXPECT_EQ(s.queued_frames(), 0u);
    EXPECT_EQ(s.queued_bytes(), 0u);
}

TEST(Session, SlowConsumerIsClosedWith1013ByFrameCount) {
    QueueLimits limits{.max_frames = 3,
                       .max_bytes = 1 << 20,
                       .high_watermark_bytes = 1 << 20,
                       .low_watermark_bytes = 1 << 19};
    Members members;
    members.by_conversation["c"] = {"slow", "fast"};
    Hub hub(members.lookup());
    auto slow = std::make_shared<FakeSession>("s1", "slow", limits);
    auto fast = std::make_shared<FakeSession>("s2", "fast", limits);
    hub.add(slow);
    hub.add(fast);
    for (int i = 1; i <= 4; ++i) {
        hub.deliver(service::Event{"message.created", "c", i, message("c", i), {}, {}});
        fast->complete();
    }
    EXPECT_EQ(fast->started.size(), 4u);
    EXPECT_FALSE(fast->close_code);
    ASSERT_TRUE(slow->close_code);
    EXPECT_EQ(*slow->close_code, kCloseTryAgainLater);
    EXPECT_TRUE(slow->closed());
    EXPECT_EQ(slow->queued_frames(), 1u);  // only the frame being written is kept
    EXPECT_FALSE(slow->send(std::make_shared<const std::string>("later")));
}

TEST(Session, ByteLimitAndWatermarks) {
    QueueLimits limits{
        .max_frames = 100, .max_bytes = 100, .high_watermark_bytes = 60, .low_watermark_bytes = 30};
    FakeSession s("s", "u", limits);
    auto frame = std::make_shared<const std::string>(std::string(20, 'x'));
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(s.send(frame));  // 80 bytes
    EXPECT_TRUE(s.backed_up());
    bool drained = false;
    s.when_drained([&] { drained = true; });
    s.complete();  // 60
    EXPECT_FALSE(drained);
    s.complete();  // 40
    EXPECT_FALSE(drained);
    s.complete();  // 20 ≤ low watermark
    EXPECT_TRUE(drained);
    EXPECT_FALSE(s.backed_up());
    // 20 + 5 × 20 = 120 > 100: closed with 1013 on the frame that does not fit.
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(s.send(frame));
    EXPECT_FALSE(s.send(frame));
    EXPECT_EQ(s.close_code, kCloseTryAgainLater);
}

TEST(Session, CloseWhenSentWithAnEmptyQueueClosesAtOnce) {
    FakeSession s("s", "u");
    s.close_when_sent(kClosePolicy, "bye");
    EXPECT_EQ(s.close_code, kClosePolicy);
    EXPECT_TRUE(s.closed());
}

TEST(Session, CountsWhatItWroteAndWhyItClosed) {
    StreamStats stats;
    class Counted final : public Session {
    public:
        Counted(QueueLimits limits, StreamStats* stats) : Session("s", "u", "g", limits, stats) {}
        void complete() { write_done(true); }

    protected:
        void start_write(const Frame&) override {}
        void start_close(std::uint16_t, const std::string&) override {}
    };
    Counted s(QueueLimits::for_bytes(2, 1 << 20), &stats);
    s.send(std::make_shared<const std::string>("abc"));
    s.complete();
    EXPECT_EQ(stats.frames_sent.load(), 1u);
    EXPECT_EQ(stats.bytes_sent.load(), 3u);
    for (int i = 0; i < 3; ++i) s.send(std::make_shared<const std::string>("x"));
    EXPECT_EQ(stats.closed_slow.load(), 1u);
}

TEST(QueueLimits, WatermarksAtHalfAndAQuarter) {
    const QueueLimits limits = QueueLimits::for_bytes(10, 1000);
    EXPECT_EQ(limits.max_frames, 10u);
    EXPECT_EQ(limits.max_bytes, 1000u);
    EXPECT_EQ(limits.high_watermark_bytes, 500u);
    EXPECT_EQ(limits.low_watermark_bytes, 250u);
}

TEST(Session, CoalescesQueuedFramesIntoOneBatchWhenAsked) {
    StreamStats stats;
    class Batching final : public Session {
    public:
        explicit Batching(StreamStats* stats) : Session("s", "u", "g", QueueLimits{}, stats) {}
        void complete() { write_done(true); }
        std::vector<Frame> started;

    protected:
        void start_write(const Frame& frame) override { started.push_back(frame); }
        void start_close(std::uint16_t, const std::string&) override {}
    };
    auto f = [](std::string text) { return std::make_shared<const std::string>(std::move(text)); };
    Batching s(&stats);
    s.set_coalescing(true);
    ASSERT_TRUE(s.send(f(R"({"type":"a"})")));  // alone: nothing waits behind it
    ASSERT_TRUE(s.send(f(R"({"type":"b"})")));
    ASSERT_TRUE(s.send(f(R"({"type":"c"})")));
    ASSERT_EQ(s.started.size(), 1u);
    EXPECT_EQ(*s.started[0], R"({"type":"a"})");
    s.complete();
    // b and c waited: they go out together, in order, as valid JSON.
    ASSERT_EQ(s.started.size(), 2u);
    EXPECT_EQ(json::parse(*s.started[1]),
              json::parse(R"({"type":"batch","events":[{"type":"b"},{"type":"c"}]})"));
    EXPECT_EQ(s.queued_frames(), 2u);  // they leave when the write completes
    s.complete();
    EXPECT_EQ(s.queued_frames(), 0u);
    EXPECT_EQ(s.queued_bytes(), 0u);
    EXPECT_EQ(stats.frames_sent.load(), 3u);
    EXPECT_EQ(stats.batches_sent.load(), 1u);

    // A batch stays under kMaxBatchBytes: the rest waits for the next write.
    const std::string big(kMaxBatchBytes / 2, 'x');
    ASSERT_TRUE(s.send(f("\"" + big + "\"")));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.send(f("\"" + big + "\"")));
    s.complete();
    ASSERT_EQ(s.started.size(), 4u);
    EXPECT_LE(s.started[3]->size(), kMaxBatchBytes);
    EXPECT_EQ(json::parse(*s.started[3]).is_string(), true);  // two halves do not fit: alone
}

TEST(Session, WithoutCoalescingFramesGoOneByOne) {
    FakeSession s("s", "u");
    auto f = [](std::string text) { return std::make_shared<const std::string>(std::move(text)); };
    s.send(f("1"));
    s.send(f("2"));
    s.send(f("3"));
    s.complete();
    ASSERT_EQ(s.started.size(), 2u);
    EXPECT_EQ(*s.started[1], "2");
}

TEST(Session, FailedWriteClosesTheSession) {
    FakeSession s("s", "u");
    s.send(std::make_shared<const std::string>("a"));
    s.send(std::make_shared<const std::string>("b"));
    s.complete(false);
    EXPECT_TRUE(s.closed());
    EXPECT_EQ(s.queued_frames(), 0u);
    EXPECT_EQ(s.started.size(), 1u);
}

class FakeClock final : public Clock {
public:
    TimestampMs now_ms() const override { return now; }
    TimestampMs now = 1'000'000;
};

TEST(TicketBook, SingleUseAndExpiring) {
    FakeClock clock;
    TicketBook book(clock);
    service::Caller caller;
    caller.user.id = "usr_a";
    const std::string ticket = book.issue(caller);
    auto redeemed = book.redeem(ticket);
    ASSERT_TRUE(redeemed);
    EXPECT_EQ(redeemed->user.id, "usr_a");
    EXPECT_FALSE(book.redeem(ticket));
    EXPECT_FALSE(book.redeem("tkt_forged"));
    EXPECT_FALSE(book.redeem(""));

    const std::string late = book.issue(caller);
    clock.now += 30'000;
    EXPECT_FALSE(book.redeem(late));
    const std::string in_time = book.issue(caller);
    clock.now += 29'999;
    EXPECT_TRUE(book.redeem(in_time));
}

TEST(Origin, SameOriginOrListed) {
    EXPECT_TRUE(origin_allowed("http://localhost:8080", "localhost:8080", {}));
    EXPECT_TRUE(origin_allowed("https://chat.example.com", "chat.example.com:443", {}));
    EXPECT_FALSE(origin_allowed("http://evil:8080", "localhost:8080", {}));
    EXPECT_FALSE(origin_allowed("null", "localhost:8080", {}));
    EXPECT_FALSE(origin_allowed("http://localhost:8081", "localhost:8080", {}));
    EXPECT_TRUE(
        origin_allowed("https://app.example.com", "api.example.com", {"https://app.example.com"}));
    EXPECT_FALSE(
        origin_allowed("http://app.example.com", "api.example.com", {"https://app.example.com"}));
}

// Collects delivered seqs; wait_for(n) blocks until n arrived (never timing-asserted: a bug
// hangs the test, and ctest's timeout reports it).
struct Delivered {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<std::int64_t> seqs;
    std::thread::id thread;

    void add(const service::Event& e) {
        std::lock_guard lock(mutex);
        seqs.push_back(e.seq);
        thread = std::this_thread::get_id();
        arrived.notify_all();
    }
    std::vector<std::int64_t> wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        arrived.wait(lock, [&] { return seqs.size() >= n; });
        return seqs;
    }
};

TEST(InProcessBus, DeliversInOrderOffThePublishersThread) {
    InProcessBus bus;
    Delivered delivered;
    bus.subscribe([&](const service::Event& e, std::uint64_t) { delivered.add(e); });
    for (int i = 1; i <= 5; ++i) bus.publish(service::Event{"message.created", "c", i, {}, {}, {}});
    EXPECT_EQ(delivered.wait_for(5), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    EXPECT_NE(delivered.thread, std::this_thread::get_id());
    bus.stop();
    bus.publish(service::Event{"message.created", "c", 6, {}, {}, {}});  // dropped after stop
    EXPECT_EQ(bus.queued(), 0u);
}

TEST(InProcessBus, NumbersEventsInPublicationOrder) {
    InProcessBus bus;
    std::mutex mutex;
    std::vector<std::uint64_t> numbers;
    Delivered delivered;
    bus.subscribe([&](const service::Event& e, std::uint64_t number) {
        {
            std::lock_guard lock(mutex);
            numbers.push_back(number);
        }
        delivered.add(e);
    });
    EXPECT_EQ(bus.published(), 0u);
    for (int i = 1; i <= 3; ++i) bus.publish(service::Event{"message.created", "c", i, {}, {}, {}});
    EXPECT_EQ(bus.published(), 3u);
    delivered.wait_for(3);
    std::lock_guard lock(mutex);
    EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(InProcessBus, StopDropsTheBacklog) {
    InProcessBus bus;
    std::mutex gate;
    std::unique_lock hold(gate);
    std::atomic<int> delivered = 0;
    std::atomic<bool> first_taken = false;
    bus.subscribe([&](const service::Event&, std::uint64_t) {
        first_taken = true;
        std::lock_guard wait(gate);
        ++delivered;
    });
    for (int i = 1; i <= 100; ++i) {
        bus.publish(service::Event{"message.created", "c", i, {}, {}, {}});
    }
    while (!first_taken) std::this_thread::yield();
    std::thread stopper([&] { bus.stop(); });
    while (bus.queued() != 0) std::this_thread::yield();  // stop() cleared the queue
    hold.unlock();
    stopper.join();
    EXPECT_EQ(delivered.load(), 1);  // the one in delivery finished; the other 99 were dropped
}

TEST(InProcessBus, FallingTooFarBehindDropsTheBacklogAndSaysSo) {
    InProcessBus bus(/*max_queued=*/3);
    std::mutex gate;
    std::unique_lock hold(gate);  // the subscriber blocks on the first event until released
    Delivered delivered;
    std::atomic<int> overflows_seen = 0;
    std::atomic<bool> first_taken = false;
    bus.subscribe([&](const service::Event& e, std::uint64_t) {
        first_taken = true;
        std::lock_guard wait(gate);
        delivered.add(e);
    });
    bus.on_overflow([&] { ++overflows_seen; });
    bus.publish(service::Event{"message.created", "c", 1, {}, {}, {}});
    while (!first_taken) std::this_thread::yield();
    for (int i = 2; i <= 5; ++i) bus.publish(service::Event{"message.created", "c", i, {}, {}, {}});
    // 2, 3, 4 filled the queue; 5 found it full: 2–4 are dropped, 5 is kept.
    EXPECT_EQ(bus.overflows(), 1u);
    EXPECT_EQ(bus.queued(), 1u);
    hold.unlock();
    EXPECT_EQ(delivered.wait_for(2), (std::vector<std::int64_t>{1, 5}));
    EXPECT_EQ(overflows_seen.load(), 1);
}

}  // namespace
}  // namespace parley::realtime
