// Users, one-time codes and sessions.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using UsersTest = StoreTest;
using CodesTest = StoreTest;
using SessionsTest = StoreTest;

// --- users -------------------------------------------------------------------------------------

TEST_F(UsersTest, EnsureUserIsIdempotentPerPhone) {
    const std::string phone = next_phone();
    auto first = store().ensure_user(phone, "Alice");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->id.rfind("usr_", 0), 0u) << first->id;
    EXPECT_EQ(first->phone, phone);
    EXPECT_EQ(first->name, "Alice");
    EXPECT_GT(first->created_at, 0);

    // Same phone: the same user, whose name is not overwritten by the second caller's.
    auto again = store().ensure_user(phone, "Someone Else");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(again->name, "Alice");
    EXPECT_EQ(again->created_at, first->created_at);

    auto other = store().ensure_user(next_phone(), "Bob");
    ASSERT_TRUE(other);
    EXPECT_NE(other->id, first->id);
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT COUNT(*) FROM users"), 2);
}

TEST_F(UsersTest, ConcurrentEnsureUserForOnePhoneYieldsOneUser) {
    const std::string phone = next_phone();
    constexpr int kThreads = 8;
    std::vector<std::string> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto user = store().ensure_user(phone, "Racer " + std::to_string(t));
            ids[t] = user ? user->id : "error: " + user.error().code;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u) << ids[0];
    EXPECT_EQ(ids[0].rfind("usr_", 0), 0u) << ids[0];
}

TEST_F(UsersTest, FindsByIdAndByPhone) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");

    auto by_id = store().find_user(alice.id);
    ASSERT_TRUE(by_id);
    ASSERT_TRUE(*by_id);
    EXPECT_EQ((*by_id)->phone, alice.phone);
    EXPECT_EQ((*by_id)->name, "Alice");
    EXPECT_EQ((*by_id)->created_at, alice.created_at);

    auto by_phone = store().find_user_by_phone(bob.phone);
    ASSERT_TRUE(by_phone);
    ASSERT_TRUE(*by_phone);
    EXPECT_EQ((*by_phone)->id, bob.id);

    auto missing_id = store().find_user("usr_nosuchuser");
    ASSERT_TRUE(missing_id);
    EXPECT_FALSE(*missing_id);
    auto missing_phone = store().find_user_by_phone("+6500000000");
    ASSERT_TRUE(missing_phone);
    EXPECT_FALSE(*missing_phone);
    // Phones are matched exactly, not as patterns or prefixes.
    auto prefix = store().find_user_by_phone(alice.phone.substr(0, 6));
    ASSERT_TRUE(prefix);
    EXPECT_FALSE(*prefix);
}

TEST_F(UsersTest, SetsTheName) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    ASSERT_TRUE(store().set_user_name(alice.id, "Alice Tan"));
    EXPECT_EQ((*store().find_user(alice.id))->name, "Alice Tan");
    EXPECT_EQ((*store().find_user(bob.id))->name, "Bob");
    // Names are data, not SQL.
    ASSERT_TRUE(store().set_user_name(bob.id, "Robert'); DROP TABLE users; --"));
    EXPECT_EQ((*store().find_user(bob.id))->name, "Robert'); DROP TABLE users; --");
    EXPECT_TRUE(*store().find_user(alice.id));
}

// --- one-time codes ----------------------------------------------------------------------------

CodeRecord code_for(const std::string& phone, const std::string& hash, TimestampMs at,
                    const std::string& purpose = "sign-in") {
    return CodeRecord{phone,        purpose, hash, purpose == "sign-in" ? "" : "org_target",
                      at + 300'000, 0,       at};
}

TEST_F(CodesTest, PutAndFindRoundTrip) {
    const auto at = tick();
    CodeRecord code = code_for("+6591234567", "hash-1", at, "work-account");
    code.attempts = 7;  // ignored: a new code starts with no attempts
    ASSERT_TRUE(store().put_code(code));

    auto found = store().find_code("+6591234567", "work-account");
    ASSERT_TRUE(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->phone, "+6591234567");
    EXPECT_EQ((*found)->purpose, "work-account");
    EXPECT_EQ((*found)->code_hash, "hash-1");
    EXPECT_EQ((*found)->target, "org_target");
    EXPECT_EQ((*found)->expires_at, at + 300'000);
    EXPECT_EQ((*found)->attempts, 0);
    EXPECT_EQ((*found)->created_at, at);

    // Another purpose, or another phone, has no code.
    EXPECT_FALSE(*store().find_code("+6591234567", "sign-in"));
    EXPECT_FALSE(*store().find_code("+6591234568", "work-account"));
}

TEST_F(CodesTest, PurposesAreIndependent) {
    ASSERT_TRUE(store().put_code(code_for("+6591234567", "sign-in-hash", tick())));
    ASSERT_TRUE(store().put_code(code_for("+6591234567", "work-hash", tick(), "work-account")));
    EXPECT_EQ(*store().count_code_attempt("+6591234567", "sign-in"), 1);
    EXPECT_EQ((*store().find_code("+6591234567", "work-account"))->attempts, 0);
    EXPECT_TRUE(*store().consume_code("+6591234567", "work-account", "work-hash"));
    EXPECT_TRUE(*store().find_code("+6591234567", "sign-in"));
}

TEST_F(CodesTest, CountsAttempts) {
    ASSERT_TRUE(store().put_code(code_for("+6591234567", "h", tick())));
    EXPECT_EQ(*store().count_code_attempt("+6591234567", "sign-in"), 1);
    EXPECT_EQ(*store().count_code_attempt("+6591234567", "sign-in"), 2);
    EXPECT_EQ(*store().count_code_attempt("+6591234567", "sign-in"), 3);
    EXPECT_EQ((*store().find_code("+6591234567", "sign-in"))->attempts, 3);
    // No code: nothing to count, nothing created.
    EXPECT_EQ(*store().count_code_attempt("+6599999999", "sign-in"), 0);
    EXPECT_FALSE(*store().find_code("+6599999999", "sign-in"));
}

TEST_F(CodesTest, ConsumesOnlyWithTheMatchingHashAndOnlyOnce) {
    ASSERT_TRUE(store().put_code(code_for("+6591234567", "right", tick())));

    auto wrong = store().consume_code("+6591234567", "sign-in", "wrong");
    ASSERT_TRUE(wrong);
    EXPECT_FALSE(*wrong);
    EXPECT_TRUE(*store().find_code("+6591234567", "sign-in"));

    auto other_purpose = store().consume_code("+6591234567", "work-account", "right");
    ASSERT_TRUE(other_purpose);
    EXPECT_FALSE(*other_purpose);

    auto right = store().consume_code("+6591234567", "sign-in", "right");
    ASSERT_TRUE(right);
    EXPECT_TRUE(*right);
    EXPECT_FALSE(*store().find_code("+6591234567", "sign-in"));

    auto again = store().consume_code("+6591234567", "sign-in", "right");
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again);
}

TEST_F(CodesTest, ConcurrentConsumersWinOnce) {
    ASSERT_TRUE(store().put_code(code_for("+6591234567", "right", tick())));
    constexpr int kThreads = 8;
    std::atomic<int> winners{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            auto consumed = store().consume_code("+6591234567", "sign-in", "right");
            if (!consumed) {
                ++errors;
            } else if (*consumed) {
                ++winners;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(winners.load(), 1);
}

TEST_F(CodesTest, PutReplacesThePendingCodeAndResetsAttempts) {
    const auto first_at = tick();
    ASSERT_TRUE(store().put_code(code_for("+6591234567", "old", first_at)));
    ASSERT_EQ(*store().count_code_attempt("+6591234567", "sign-in"), 1);
    ASSERT_EQ(*store().count_code_attempt("+6591234567", "sign-in"), 2);

    const auto second_at = tick();
    ASSERT_TRUE(store().put_code(code_for("+6591234567", "new", second_at)));
    auto found = store().find_code("+6591234567", "sign-in");
    ASSERT_TRUE(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->code_hash, "new");
    EXPECT_EQ((*found)->attempts, 0);
    EXPECT_EQ((*found)->created_at, second_at);
    EXPECT_EQ((*found)->expires_at, second_at + 300'000);
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT COUNT(*) FROM sign_in_codes"), 1);

    EXPECT_FALSE(*store().consume_code("+6591234567", "sign-in", "old"));
    EXPECT_TRUE(*store().consume_code("+6591234567", "sign-in", "new"));
}

// --- sessions ----------------------------------------------------------------------------------

core::Session session_for(const core::User& user, const std::string& token_hash, TimestampMs at) {
    core::Session s;
    s.id = crypto::new_id("ses");
    s.user_id = user.id;
    s.token_hash = token_hash;
    s.user_agent = "test-agent/1.0";
    s.client_address = "198.51.100.7";
    s.created_at = at;
    s.last_used_at = at + 5;
    s.revoked_at = 123;  // ignored: a new session is live
    return s;
}

TEST_F(SessionsTest, CreatesAndFindsByTokenHash) {
    const auto alice = make_user("Alice");
    const auto session = session_for(alice, "token-hash-1", tick());
    ASSERT_TRUE(store().create_session(session));

    auto found = store().find_session_by_token_hash("token-hash-1");
    ASSERT_TRUE(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->id, session.id);
    EXPECT_EQ((*found)->user_id, alice.id);
    EXPECT_EQ((*found)->token_hash, "token-hash-1");
    EXPECT_EQ((*found)->user_agent, "test-agent/1.0");
    EXPECT_EQ((*found)->client_address, "198.51.100.7");
    EXPECT_EQ((*found)->created_at, session.created_at);
    EXPECT_EQ((*found)->last_used_at, session.last_used_at);
    EXPECT_FALSE((*found)->revoked_at);

    EXPECT_FALSE(*store().find_session_by_token_hash("token-hash-2"));
}

TEST_F(SessionsTest, RejectsADuplicateTokenHashAndAnUnknownUser) {
    const auto alice = make_user("Alice");
    ASSERT_TRUE(store().create_session(session_for(alice, "same", tick())));
    auto duplicate = store().create_session(session_for(alice, "same", tick()));
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().kind, ErrorKind::conflict);

    core::User ghost{"usr_ghost", "+6500000000", "Ghost", 0};
    auto orphan = store().create_session(session_for(ghost, "orphan", tick()));
    ASSERT_FALSE(orphan);
    EXPECT_EQ(orphan.error().kind, ErrorKind::conflict);
    EXPECT_FALSE(*store().find_session_by_token_hash("orphan"));
}

TEST_F(SessionsTest, ListsLiveSessionsOfOneUserOldestFirst) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto s2 = session_for(alice, "a2", tick() + 10);
    const auto s1 = session_for(alice, "a1", tick() - 10'000);
    const auto s3 = session_for(alice, "a3", tick());
    const auto b1 = session_for(bob, "b1", tick());
    for (const auto& s : {s2, s1, s3, b1}) ASSERT_TRUE(store().create_session(s));
    ASSERT_TRUE(*store().revoke_session(alice.id, s3.id, tick()));

    auto listed = store().list_sessions(alice.id);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id, s1.id);
    EXPECT_EQ((*listed)[1].id, s2.id);

    auto none = store().list_sessions("usr_nobody");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
}

TEST_F(SessionsTest, RevokesOnlyTheUsersOwnLiveSession) {
    const auto alice = make_user("Alice");
    const auto mallory = make_user("Mallory");
    const auto session = session_for(alice, "alice-token", tick());
    ASSERT_TRUE(store().create_session(session));

    // Someone else's session: refused, and it stays live.
    auto foreign = store().revoke_session(mallory.id, session.id, tick());
    ASSERT_TRUE(foreign);
    EXPECT_FALSE(*foreign);
    EXPECT_FALSE((*store().find_session_by_token_hash("alice-token"))->revoked_at);
    EXPECT_EQ(store().list_sessions(alice.id)->size(), 1u);

    const auto at = tick();
    auto own = store().revoke_session(alice.id, session.id, at);
    ASSERT_TRUE(own);
    EXPECT_TRUE(*own);
    auto found = store().find_session_by_token_hash("alice-token");
    ASSERT_TRUE(found);
    ASSERT_TRUE(*found);
    ASSERT_TRUE((*found)->revoked_at);
    EXPECT_EQ(*(*found)->revoked_at, at);
    EXPECT_TRUE(store().list_sessions(alice.id)->empty());

    // Already revoked: false, and the first revocation time stays.
    auto again = store().revoke_session(alice.id, session.id, tick());
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again);
    EXPECT_EQ(*(*store().find_session_by_token_hash("alice-token"))->revoked_at, at);

    auto unknown = store().revoke_session(alice.id, "ses_nosuch", tick());
    ASSERT_TRUE(unknown);
    EXPECT_FALSE(*unknown);
}

TEST_F(SessionsTest, TouchMovesLastUsedForwardOnly) {
    const auto alice = make_user("Alice");
    const auto session = session_for(alice, "alice-token", tick());
    ASSERT_TRUE(store().create_session(session));

    const auto later = session.last_used_at + 60'000;
    ASSERT_TRUE(store().touch_session(session.id, later));
    EXPECT_EQ((*store().find_session_by_token_hash("alice-token"))->last_used_at, later);
    // A late, out-of-order touch does not move it back.
    ASSERT_TRUE(store().touch_session(session.id, later - 30'000));
    EXPECT_EQ((*store().find_session_by_token_hash("alice-token"))->last_used_at, later);
    EXPECT_EQ((*store().find_session_by_token_hash("alice-token"))->created_at, session.created_at);
    EXPECT_TRUE(store().touch_session("ses_nosuch", later));
}

}  // namespace
}  // namespace parley::store::testing
