// Concurrency: many senders into one group get one contiguous sequence with no gaps and no
// duplicates, and concurrent retries of one client_id make exactly one message.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

constexpr int kThreads = 16;
constexpr int kPerThread = 50;

TEST(Concurrency, ParallelSendersGetContiguousSequence) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string group = create_group(server, a.token, "Busy");
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token).status,
              200);

    std::atomic<int> ready{0};
    std::atomic<int> created{0};
    std::vector<std::vector<std::string>> problems(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto http = server.client();
            const std::string& token = t % 2 ? b.token : a.token;
            ready.fetch_add(1);
            while (ready.load() < kThreads) std::this_thread::yield();
            std::int64_t previous = 0;
            for (int i = 0; i < kPerThread; ++i) {
                std::string cid = "t" + std::to_string(t) + "-" + std::to_string(i);
                auto r = http->post(messages_path(group),
                                    {{"text", "msg " + cid}, {"client_id", cid}}, token);
                if (r.status != 201) {
                    std::ostringstream m;
                    m << cid << ": " << r;
                    problems[t].push_back(m.str());
                    continue;
                }
                created.fetch_add(1);
                // One sender's own messages are ordered as sent.
                std::int64_t seq = r.body["seq"];
                if (seq <= previous) problems[t].push_back(cid + ": seq went backwards");
                previous = seq;
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& list : problems) {
        for (const auto& p : list) ADD_FAILURE() << p;
    }
    EXPECT_EQ(created.load(), kThreads * kPerThread);

    auto history = all_messages(server.http(), group, a.token);
    std::set<std::string> ids, client_ids;
    int texts = 0;
    for (std::size_t i = 0; i < history.size(); ++i) {
        EXPECT_EQ(history[i]["seq"], static_cast<std::int64_t>(i + 1))
            << "gap or disorder at " << i;
        ids.insert(history[i]["id"].get<std::string>());
        if (history[i]["kind"] == "text") {
            ++texts;
            client_ids.insert(history[i]["client_id"].get<std::string>());
            EXPECT_EQ(history[i]["text"], "msg " + history[i]["client_id"].get<std::string>());
        }
    }
    EXPECT_EQ(texts, kThreads * kPerThread);
    EXPECT_EQ(client_ids.size(), static_cast<std::size_t>(kThreads * kPerThread)) << "duplicates";
    EXPECT_EQ(ids.size(), history.size()) << "duplicate message ids";
    auto view = server.get(conv_path(group), a.token);
    EXPECT_EQ(view.body["last_seq"], static_cast<std::int64_t>(history.size()));
}

TEST(Concurrency, ConcurrentRetriesOfOneClientIdMakeOneMessage) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    std::string group = create_group(server, a.token, "Retries");

    for (int round = 0; round < 5; ++round) {
        SCOPED_TRACE(round);
        std::string cid = "retry-" + std::to_string(round);
        constexpr int kRetriers = 8;
        std::atomic<int> ready{0};
        std::vector<Response> responses(kRetriers);
        std::vector<std::thread> threads;
        for (int t = 0; t < kRetriers; ++t) {
            threads.emplace_back([&, t] {
                auto http = server.client();
                ready.fetch_add(1);
                while (ready.load() < kRetriers) std::this_thread::yield();
                responses[t] =
                    http->post(messages_path(group),
                               {{"text", "only once " + cid}, {"client_id", cid}}, a.token);
            });
        }
        for (auto& th : threads) th.join();

        int fresh = 0;
        std::set<std::string> ids;
        for (const auto& r : responses) {
            ASSERT_TRUE(r.status == 201 || r.status == 200) << r;
            if (r.status == 201) {
                ++fresh;
                EXPECT_EQ(r.body["duplicate"], false);
            } else {
                EXPECT_EQ(r.body["duplicate"], true);
            }
            ids.insert(r.body["id"].get<std::string>());
        }
        EXPECT_EQ(fresh, 1) << "exactly one of the retries creates the message";
        EXPECT_EQ(ids.size(), 1u) << "every retry answers with the same message";

        int copies = 0;
        for (const auto& m : all_messages(server.http(), group, a.token)) {
            if (m["client_id"] == cid) ++copies;
        }
        EXPECT_EQ(copies, 1);
    }
    // Sequence numbers stay contiguous.
    auto history = all_messages(server.http(), group, a.token);
    for (std::size_t i = 0; i < history.size(); ++i) EXPECT_EQ(history[i]["seq"], i + 1);
    EXPECT_EQ(history.size(), 1u + 5u);
}

TEST(Concurrency, OwnershipChangesAtOnePointWhileMessagesArrive) {
    // Messages sent while the group is being added to the organization are stamped with the
    // owner at the moment they are written: in seq order, private up to the announcement and
    // the organization's after it, never mixed.
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, a.token);
    ASSERT_EQ(server
                  .patch(org_path(org) + "/people/" + a.user_id, {{"email", "a@contoso.example"}},
                         a.token)
                  .status,
              200);
    server.link_work_account(a, "a@contoso.example");
    std::string group = create_group(server, a.token, "Moving");
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token).status,
              200);

    constexpr int kSenders = 4;
    constexpr int kEach = 40;
    std::atomic<int> sent{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kSenders; ++t) {
        threads.emplace_back([&, t] {
            auto http = server.client();
            for (int i = 0; i < kEach; ++i) {
                auto r = http->post(messages_path(group), {{"text", "m" + std::to_string(i)}},
                                    t % 2 ? b.token : a.token);
                if (r.status == 201) {
                    sent.fetch_add(1);
                } else {
                    failures.fetch_add(1);
                }
            }
        });
    }
    while (sent.load() < kSenders * kEach / 3) std::this_thread::yield();
    auto moved =
        server.put(group_path(group) + "/organization", {{"organization_id", org}}, a.token);
    for (auto& th : threads) th.join();
    ASSERT_EQ(moved.status, 200) << moved;
    EXPECT_EQ(failures.load(), 0);

    auto history = all_messages(server.http(), group, a.token);
    std::int64_t switch_seq = 0;
    for (const auto& m : history) {
        if (m["text"].get<std::string>().find("now owned by Contoso") != std::string::npos) {
            switch_seq = m["seq"];
        }
    }
    ASSERT_GT(switch_seq, 0);
    int private_count = 0, org_count = 0;
    for (const auto& m : history) {
        std::int64_t seq = m["seq"];
        if (seq < switch_seq) {
            ++private_count;
            EXPECT_EQ(m["owner"]["type"], "private") << m;
        } else {
            ++org_count;
            EXPECT_EQ(m["owner"]["type"], "organization") << m;
        }
    }
    EXPECT_GT(private_count, 0);
    EXPECT_GT(org_count, 0);
    EXPECT_EQ(history.size(), static_cast<std::size_t>(history.back()["seq"].get<std::int64_t>()));
}

}  // namespace
}  // namespace parley::it
