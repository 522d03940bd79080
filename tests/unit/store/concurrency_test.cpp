// The store under concurrent use: many senders into few conversations (every write goes
// through the one batching Writer), and failing writes mixed with good ones.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <limits>
#include <map>
#include <set>
#include <thread>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using ConcurrencyTest = StoreTest;

TEST_F(ConcurrencyTest, ManySendersGetContiguousSeqsPerConversation) {
    constexpr int kThreads = 32;
    constexpr int kPerThread = 200;
    constexpr int kConversations = 4;
    constexpr int kPerConversation = kThreads / kConversations * kPerThread;

    std::vector<core::User> senders;
    for (int t = 0; t < kThreads; ++t) senders.push_back(make_user("Sender " + std::to_string(t)));
    std::vector<core::Conversation> conversations;
    for (int c = 0; c < kConversations; ++c) {
        std::vector<core::User> members;
        for (int t = c; t < kThreads; t += kConversations) members.push_back(senders[t]);
        conversations.push_back(
            make_group(members[0], std::vector<core::User>(members.begin() + 1, members.end())));
    }
    // Drafts are built up front: the fixture's clock is not thread-safe.
    std::vector<std::vector<core::Message>> drafts(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        for (int i = 0; i < kPerThread; ++i) {
            drafts[t].push_back(draft(conversations[t % kConversations], senders[t],
                                      "t" + std::to_string(t) + "-" + std::to_string(i),
                                      "c" + std::to_string(i)));
        }
    }

    std::vector<std::vector<std::int64_t>> got(kThreads);
    std::atomic<int> failures{0}, wrong_duplicates{0};
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = 0; i < kPerThread; ++i) {
                auto appended = store().append_message(drafts[t][i]);
                if (!appended) {
                    ++failures;
                    continue;
                }
                if (appended->duplicate) ++wrong_duplicates;
                got[t].push_back(appended->message.seq);
                // Every tenth send is retried, as a client that lost the response would.
                if (i % 10 == 0) {
                    auto retry = drafts[t][i];
                    retry.id = crypto::new_id("msg");
                    auto again = store().append_message(retry);
                    if (!again || !again->duplicate ||
                        again->message.seq != appended->message.seq ||
                        again->message.id != drafts[t][i].id) {
                        ++wrong_duplicates;
                    }
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(failures.load(), 0);
    EXPECT_EQ(wrong_duplicates.load(), 0);

    for (int t = 0; t < kThreads; ++t) {
        ASSERT_EQ(got[t].size(), static_cast<std::size_t>(kPerThread));
        // One sender's messages keep their order.
        EXPECT_TRUE(std::is_sorted(got[t].begin(), got[t].end())) << "thread " << t;
        EXPECT_EQ(std::adjacent_find(got[t].begin(), got[t].end()), got[t].end());
        // Each sender's marker is at its own last message.
        EXPECT_EQ(member(drafts[t][0].conversation_id, senders[t].id)->read_seq, got[t].back());
    }
    for (int c = 0; c < kConversations; ++c) {
        std::vector<std::int64_t> seqs;
        for (int t = c; t < kThreads; t += kConversations) {
            seqs.insert(seqs.end(), got[t].begin(), got[t].end());
        }
        std::sort(seqs.begin(), seqs.end());
        ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kPerConversation));
        for (int i = 0; i < kPerConversation; ++i) {
            ASSERT_EQ(seqs[i], i + 1) << "conversation " << c << ": gap or duplicate";
        }
        EXPECT_EQ(conversation(conversations[c].id).last_seq, kPerConversation);

        // What is stored agrees, read back in pages by cursor.
        std::set<std::string> texts;
        std::int64_t cursor = 0, expected = 1;
        for (;;) {
            MessageRange range;
            range.after = cursor;
            range.limit = 150;
            auto page = store().list_messages(conversations[c].id, range);
            ASSERT_TRUE(page) << page.error().message;
            if (page->empty()) break;
            for (const auto& m : *page) {
                ASSERT_EQ(m.seq, expected++);
                texts.insert(m.text);
            }
            cursor = page->back().seq;
        }
        EXPECT_EQ(texts.size(), static_cast<std::size_t>(kPerConversation));
    }
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT COUNT(*) FROM messages"), kThreads * kPerThread);
}

TEST_F(ConcurrencyTest, FailingWritesFailAloneAmongConcurrentGoodOnes) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto acme = make_org("Acme");
    const auto target = make_group(alice, {bob});
    const auto owned = make_group(alice, {}, core::Owner::organization(acme.id), "Owned");
    const auto existing_chat = make_chat(alice, bob);
    const std::string taken_key = chat_key_of(alice, bob, core::Owner::private_owner());
    core::Conversation missing;
    missing.id = "cnv_missing";

    constexpr int kGoodThreads = 6, kGoodPerThread = 60;
    constexpr int kBadPerThread = 30;
    // Everything is prepared up front: the fixture's clock and id helpers are not thread-safe.
    std::vector<std::vector<core::Message>> good(kGoodThreads);
    for (int t = 0; t < kGoodThreads; ++t) {
        for (int i = 0; i < kGoodPerThread; ++i) {
            good[t].push_back(draft(target, t % 2 ? alice : bob,
                                    "good " + std::to_string(t) + "/" + std::to_string(i)));
        }
    }
    std::vector<core::Message> to_missing;
    for (int i = 0; i < kBadPerThread; ++i) to_missing.push_back(draft(missing, alice, "lost"));
    struct ChatAttempt {
        core::Conversation conversation;
        std::string key;
        bool should_succeed;
    };
    std::vector<ChatAttempt> chats;
    for (int i = 0; i < kBadPerThread; ++i) {
        const bool fresh = i % 2 == 0;
        core::Conversation c;
        c.id = crypto::new_id("cnv");
        c.kind = core::ConversationKind::chat;
        c.created_by = alice.id;
        c.created_at = tick();
        chats.push_back({c, fresh ? "fresh-key-" + std::to_string(i) : taken_key, fresh});
    }
    std::vector<core::Message> owner_announcements;
    for (int i = 0; i < kBadPerThread; ++i) {
        auto m = system_message(owned, "never");
        owner_announcements.push_back(m);
    }

    std::atomic<int> good_failures{0}, bad_successes{0}, wrong_errors{0};
    std::latch start(kGoodThreads + 3);
    std::vector<std::thread> threads;
    for (int t = 0; t < kGoodThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (const auto& d : good[t]) {
                if (!store().append_message(d)) ++good_failures;
            }
        });
    }
    threads.emplace_back([&] {
        start.arrive_and_wait();
        for (const auto& d : to_missing) {
            auto r = store().append_message(d);
            if (r) {
                ++bad_successes;
            } else if (r.error().code != "conversation_not_found") {
                ++wrong_errors;
            }
        }
    });
    threads.emplace_back([&] {
        start.arrive_and_wait();
        for (const auto& a : chats) {
            auto r = store().create_conversation(
                a.conversation, a.key,
                {member_of(a.conversation, alice), member_of(a.conversation, bob)}, std::nullopt);
            if (a.should_succeed) {
                if (!r) ++good_failures;
            } else if (r) {
                ++bad_successes;
            } else if (r.error().code != "chat_exists") {
                ++wrong_errors;
            }
        }
    });
    threads.emplace_back([&] {
        start.arrive_and_wait();
        for (const auto& m : owner_announcements) {
            auto r = store().set_owner(owned.id, core::Owner::organization(acme.id), 1, m);
            if (r) {
                ++bad_successes;
            } else if (r.error().code != "already_owned") {
                ++wrong_errors;
            }
        }
    });
    for (auto& t : threads) t.join();

    EXPECT_EQ(good_failures.load(), 0);
    EXPECT_EQ(bad_successes.load(), 0);
    EXPECT_EQ(wrong_errors.load(), 0);

    // Every good append is there, contiguous, and nothing else is.
    const auto messages = all_messages(target.id);
    ASSERT_EQ(messages.size(), static_cast<std::size_t>(kGoodThreads * kGoodPerThread));
    for (std::size_t i = 0; i < messages.size(); ++i) {
        ASSERT_EQ(messages[i].seq, static_cast<std::int64_t>(i + 1));
        ASSERT_EQ(messages[i].text.rfind("good ", 0), 0u);
    }
    EXPECT_EQ(conversation(target.id).last_seq, kGoodThreads * kGoodPerThread);
    // Fresh chats exist with their members; refused ones left nothing behind.
    for (const auto& a : chats) {
        auto found = store().find_conversation(a.conversation.id);
        ASSERT_TRUE(found);
        EXPECT_EQ(found->has_value(), a.should_succeed) << a.key;
        EXPECT_EQ(store().list_members(a.conversation.id)->size(), a.should_succeed ? 2u : 0u);
    }
    EXPECT_EQ((*store().find_chat(taken_key))->id, existing_chat.id);
    EXPECT_TRUE(all_messages(owned.id).empty());
    EXPECT_EQ(conversation(owned.id).last_seq, 0);
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM messages WHERE conversation_id = 'cnv_missing'"), 0);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM messages"), kGoodThreads * kGoodPerThread);
}

TEST_F(ConcurrencyTest, ReadersSeeCommittedWritesWhileWritersRun) {
    const auto alice = make_user("Alice");
    const auto g = make_group(alice);
    std::vector<core::Message> drafts;
    for (int i = 0; i < 300; ++i) drafts.push_back(draft(g, alice, "m" + std::to_string(i)));

    std::atomic<bool> done{false};
    std::atomic<int> read_errors{0}, torn{0};
    std::thread writer([&] {
        for (const auto& d : drafts) {
            if (!store().append_message(d)) ++read_errors;
        }
        done = true;
    });
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
        readers.emplace_back([&] {
            std::int64_t last_seen = 0;
            while (!done) {
                auto conv = store().find_conversation(g.id);
                MessageRange range;
                range.before = std::numeric_limits<std::int64_t>::max();
                range.limit = 5;
                auto page = store().list_messages(g.id, range);
                if (!conv || !*conv || !page) {
                    ++read_errors;
                    continue;
                }
                // Monotonic, and never a message beyond what a later read of last_seq shows.
                if ((*conv)->last_seq < last_seen) ++torn;
                last_seen = (*conv)->last_seq;
                for (std::size_t i = 1; i < page->size(); ++i) {
                    if ((*page)[i].seq != (*page)[i - 1].seq + 1) ++torn;
                }
            }
        });
    }
    writer.join();
    for (auto& r : readers) r.join();
    EXPECT_EQ(read_errors.load(), 0);
    EXPECT_EQ(torn.load(), 0);
    EXPECT_EQ(conversation(g.id).last_seq, 300);
}

}  // namespace
}  // namespace parley::store::testing
