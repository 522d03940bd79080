// Invite links: creation, listing, revocation, and redemption with its checks, all atomic.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

class InvitesTest : public StoreTest {
protected:
    InvitesTest() {
        alice_ = make_user("Alice");
        group_ = make_group(alice_, {}, core::Owner::private_owner(), "G", true);
    }

    core::Invite make_invite(const std::string& token_hash,
                             std::optional<TimestampMs> expires_at = std::nullopt,
                             std::optional<std::int64_t> max_uses = std::nullopt) {
        core::Invite i;
        i.id = crypto::new_id("inv");
        i.conversation_id = group_.id;
        i.created_by = alice_.id;
        i.expires_at = expires_at;
        i.max_uses = max_uses;
        i.uses = 5;        // ignored: a new invite is unused
        i.revoked = true;  // ignored: a new invite is live
        i.created_at = tick();
        must(store().create_invite(i, token_hash), "create_invite");
        return i;
    }

    core::Invite stored(const std::string& token_hash) {
        auto found = must(store().find_invite_by_token_hash(token_hash), "find_invite");
        if (!found) throw std::runtime_error("no invite " + token_hash);
        return *found;
    }

    Result<RedeemedInvite> redeem(const std::string& token_hash, const core::User& user,
                                  TimestampMs now, std::optional<core::Message> announcement = {}) {
        return store().redeem_invite(
            token_hash, member_of(group_, user, core::MemberRole::member, now), now, announcement);
    }

    core::User alice_;
    core::Conversation group_;
};

TEST_F(InvitesTest, CreatesListsFindsAndRevokes) {
    const auto at = tick();
    const auto first = make_invite("hash-1", at + 86'400'000, 10);
    const auto second = make_invite("hash-2");
    const auto elsewhere = make_group(alice_);

    auto listed = store().list_invites(group_.id);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id, first.id);  // oldest first
    EXPECT_EQ((*listed)[1].id, second.id);
    EXPECT_TRUE(store().list_invites(elsewhere.id)->empty());

    const auto found = stored("hash-1");
    EXPECT_EQ(found.id, first.id);
    EXPECT_EQ(found.conversation_id, group_.id);
    EXPECT_EQ(found.created_by, alice_.id);
    EXPECT_EQ(found.expires_at, at + 86'400'000);
    EXPECT_EQ(found.max_uses, 10);
    EXPECT_EQ(found.uses, 0);
    EXPECT_FALSE(found.revoked);
    EXPECT_EQ(found.created_at, first.created_at);
    EXPECT_FALSE(stored("hash-2").expires_at);
    EXPECT_FALSE(stored("hash-2").max_uses);
    EXPECT_FALSE(*store().find_invite_by_token_hash("hash-3"));

    // Revoking needs the invite's own conversation.
    EXPECT_FALSE(*store().revoke_invite(elsewhere.id, first.id));
    EXPECT_FALSE(stored("hash-1").revoked);
    EXPECT_TRUE(*store().revoke_invite(group_.id, first.id));
    EXPECT_TRUE(stored("hash-1").revoked);
    EXPECT_FALSE(*store().revoke_invite(group_.id, first.id));  // already revoked
    EXPECT_FALSE(*store().revoke_invite(group_.id, "inv_nosuch"));
    EXPECT_FALSE(stored("hash-2").revoked);
    EXPECT_EQ(store().list_invites(group_.id)->size(), 2u);  // revoked ones stay listed
}

TEST_F(InvitesTest, ATokenHashIsUnique) {
    make_invite("same");
    core::Invite twin;
    twin.id = crypto::new_id("inv");
    twin.conversation_id = group_.id;
    twin.created_by = alice_.id;
    twin.created_at = tick();
    auto created = store().create_invite(twin, "same");
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().kind, ErrorKind::conflict);
}

TEST_F(InvitesTest, RedeemAddsTheMemberAndCountsTheUseTogether) {
    make_invite("hash", std::nullopt, 3);
    const auto bob = make_user("Bob");
    const auto now = tick();
    const auto hello = system_message(group_, "Bob joined with a link");
    auto redeemed = redeem("hash", bob, now, hello);
    ASSERT_TRUE(redeemed) << redeemed.error().message;
    EXPECT_FALSE(redeemed->already_member);
    EXPECT_EQ(redeemed->invite.uses, 1);
    EXPECT_EQ(redeemed->conversation.id, group_.id);
    EXPECT_EQ(redeemed->conversation.name, "G");

    EXPECT_EQ(stored("hash").uses, 1);
    auto m = member(group_.id, bob.id);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->role, core::MemberRole::member);
    EXPECT_EQ(m->joined_at, now);
    EXPECT_EQ(m->read_seq, 1);  // joined after the creation notice
    auto written = store().find_message(group_.id, hello.id);
    ASSERT_TRUE(written && *written);
    EXPECT_EQ((*written)->seq, 2);
    EXPECT_EQ(conversation(group_.id).last_seq, 2);
}

TEST_F(InvitesTest, AnExistingMemberChangesNothing) {
    make_invite("hash", std::nullopt, 1);
    const auto hello = system_message(group_, "Alice joined?");
    auto redeemed = redeem("hash", alice_, tick(), hello);
    ASSERT_TRUE(redeemed) << redeemed.error().message;
    EXPECT_TRUE(redeemed->already_member);
    EXPECT_EQ(redeemed->invite.uses, 0);
    EXPECT_EQ(stored("hash").uses, 0);
    EXPECT_EQ(conversation(group_.id).last_seq, 1);
    EXPECT_FALSE(*store().find_message(group_.id, hello.id));
    EXPECT_EQ(member(group_.id, alice_.id)->role, core::MemberRole::admin);

    // Its one use is still there for someone new.
    EXPECT_TRUE(redeem("hash", make_user("Bob"), tick()));
}

TEST_F(InvitesTest, ARevokedInviteIsGone) {
    const auto invite = make_invite("hash");
    ASSERT_TRUE(*store().revoke_invite(group_.id, invite.id));
    const auto bob = make_user("Bob");
    const auto hello = system_message(group_, "Bob joined");
    expect_error(redeem("hash", bob, tick(), hello), ErrorKind::gone, "invite_revoked");
    EXPECT_FALSE(member(group_.id, bob.id));
    EXPECT_EQ(stored("hash").uses, 0);
    EXPECT_FALSE(*store().find_message(group_.id, hello.id));
    EXPECT_EQ(conversation(group_.id).last_seq, 1);
}

TEST_F(InvitesTest, AnExpiredInviteIsGone) {
    const auto expires_at = tick() + 60'000;
    make_invite("hash", expires_at);
    const auto bob = make_user("Bob");
    const auto carol = make_user("Carol");
    expect_error(redeem("hash", bob, expires_at, system_message(group_, "x")), ErrorKind::gone,
                 "invite_expired");
    expect_error(redeem("hash", bob, expires_at + 1), ErrorKind::gone, "invite_expired");
    EXPECT_FALSE(member(group_.id, bob.id));
    EXPECT_EQ(stored("hash").uses, 0);
    EXPECT_EQ(conversation(group_.id).last_seq, 1);
    // A moment before, it works.
    EXPECT_TRUE(redeem("hash", carol, expires_at - 1));
}

TEST_F(InvitesTest, AUsedUpInviteIsGone) {
    make_invite("hash", std::nullopt, 2);
    ASSERT_TRUE(redeem("hash", make_user("Bob"), tick()));
    ASSERT_TRUE(redeem("hash", make_user("Carol"), tick()));
    const auto dan = make_user("Dan");
    expect_error(redeem("hash", dan, tick(), system_message(group_, "Dan joined")), ErrorKind::gone,
                 "invite_used_up");
    EXPECT_FALSE(member(group_.id, dan.id));
    EXPECT_EQ(stored("hash").uses, 2);
    EXPECT_EQ(conversation(group_.id).last_seq, 1);
}

TEST_F(InvitesTest, AnUnknownTokenIsNotFound) {
    expect_error(redeem("nosuch", make_user("Bob"), tick()), ErrorKind::not_found,
                 "invite_not_found");
}

TEST_F(InvitesTest, ConcurrentRedemptionsNeverExceedMaxUses) {
    constexpr int kMaxUses = 5;
    constexpr int kThreads = 16;
    make_invite("hash", std::nullopt, kMaxUses);
    std::vector<core::User> users;
    for (int t = 0; t < kThreads; ++t) users.push_back(make_user("User " + std::to_string(t)));
    const auto now = tick();

    std::atomic<int> joined{0}, used_up{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto r = redeem("hash", users[t], now);
            if (r && !r->already_member) {
                ++joined;
            } else if (!r && r.error().code == "invite_used_up") {
                ++used_up;
            } else {
                ++other;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(joined.load(), kMaxUses);
    EXPECT_EQ(used_up.load(), kThreads - kMaxUses);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(stored("hash").uses, kMaxUses);
    EXPECT_EQ(store().list_members(group_.id)->size(), static_cast<std::size_t>(kMaxUses + 1));
}

}  // namespace
}  // namespace parley::store::testing
