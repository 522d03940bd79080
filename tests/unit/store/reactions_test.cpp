// Reactions in the store (issue 5): likes and their counter change together and idempotently,
// a reply counts on what it answers until it is deleted, a deleted message loses its likes,
// and every read of a message carries its counters (with the reader's like where one reads).

#include <gtest/gtest.h>

#include <algorithm>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

class ReactionsTest : public StoreTest {
protected:
    ReactionsTest() {
        alice_ = make_user("Alice");
        bob_ = make_user("Bob");
        carol_ = make_user("Carol");
        group_ = make_group(alice_, {bob_, carol_});
        post_ = post(group_, alice_, "Lunch?");
    }

    ReactionCounts set_like(const core::User& who, bool liked, const core::Id& message_id = {}) {
        return must(store().set_like(group_.id, message_id.empty() ? post_.id : message_id, who.id,
                                     liked, tick()),
                    "set_like");
    }

    core::Message reply(const core::User& who, const core::Id& to) {
        auto d = draft(group_, who, "re");
        d.reply_to = to;
        return must(store().append_message(d), "append_message").message;
    }

    core::Message read(const core::Id& id) {
        auto found = must(store().find_message(group_.id, id), "find_message");
        if (!found) throw std::runtime_error("no message " + id);
        return *found;
    }

    // The counter as stored, and the rows it counts, straight from the file.
    std::int64_t stored_likes(const core::Id& id) {
        RawDb db(db_path());
        return db.scalar("SELECT like_count FROM messages WHERE id = ?1", {id});
    }
    std::int64_t like_rows(const core::Id& id) {
        RawDb db(db_path());
        return db.scalar("SELECT COUNT(*) FROM message_likes WHERE message_id = ?1", {id});
    }

    core::User alice_, bob_, carol_;  // Alice created the group: its admin
    core::Conversation group_;
    core::Message post_;
};

TEST_F(ReactionsTest, LikesAreIdempotentAndCountedWithTheirRows) {
    EXPECT_EQ(post_.like_count, 0);
    auto first = set_like(bob_, true);
    EXPECT_TRUE(first.changed);
    EXPECT_EQ(first.like_count, 1);
    auto again = set_like(bob_, true);
    EXPECT_FALSE(again.changed);
    EXPECT_EQ(again.like_count, 1);
    EXPECT_EQ(set_like(alice_, true).like_count, 2);
    EXPECT_EQ(stored_likes(post_.id), 2);
    EXPECT_EQ(like_rows(post_.id), 2);

    EXPECT_EQ(set_like(bob_, false).like_count, 1);
    auto gone = set_like(bob_, false);
    EXPECT_FALSE(gone.changed);
    EXPECT_EQ(gone.like_count, 1);
    EXPECT_EQ(stored_likes(post_.id), like_rows(post_.id));
    EXPECT_TRUE(must(store().likes(post_.id, alice_.id)));
    EXPECT_FALSE(must(store().likes(post_.id, bob_.id)));
}

TEST_F(ReactionsTest, EveryReadCarriesTheCountsAndTheReadersLike) {
    set_like(bob_, true);
    reply(alice_, post_.id);
    EXPECT_EQ(read(post_.id).like_count, 1);
    EXPECT_EQ(read(post_.id).comment_count, 1);
    EXPECT_FALSE(read(post_.id).liked_by_reader) << "find_message has no reader";

    MessageRange range;
    range.reader = bob_.id;
    auto for_bob = must(store().list_messages(group_.id, range));
    auto it = std::find_if(for_bob.begin(), for_bob.end(),
                           [&](const core::Message& m) { return m.id == post_.id; });
    ASSERT_NE(it, for_bob.end());
    EXPECT_EQ(it->liked_by_reader, true);
    EXPECT_EQ(it->like_count, 1);
    range.reader = alice_.id;
    auto for_alice = must(store().list_messages(group_.id, range));
    for (const auto& m : for_alice) EXPECT_EQ(m.liked_by_reader, false) << m.id;
    range.reader.reset();
    for (const auto& m : must(store().list_messages(group_.id, range))) {
        EXPECT_FALSE(m.liked_by_reader) << "no reader, no answer";
    }
}

TEST_F(ReactionsTest, RepliesCountUntilDeletedAndAreListedByWhatTheyAnswer) {
    auto r1 = reply(bob_, post_.id);
    auto r2 = reply(alice_, post_.id);
    post(group_, bob_, "unrelated");
    auto nested = reply(alice_, r1.id);
    EXPECT_EQ(read(post_.id).comment_count, 2);
    EXPECT_EQ(read(r1.id).comment_count, 1);

    MessageRange comments;
    comments.replies_to = post_.id;
    auto listed = must(store().list_messages(group_.id, comments));
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].id, r1.id);
    EXPECT_EQ(listed[1].id, r2.id);

    must(store().delete_message(group_.id, r1.id, tick()));
    EXPECT_EQ(read(post_.id).comment_count, 1);
    listed = must(store().list_messages(group_.id, comments));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].id, r2.id);
    // Deleting it again changes no count.
    EXPECT_FALSE(store().delete_message(group_.id, r1.id, tick()));
    EXPECT_EQ(read(post_.id).comment_count, 1);
    // The nested reply still counts on the deleted one it answers.
    EXPECT_EQ(read(r1.id).comment_count, 1);
    (void)nested;
}

TEST_F(ReactionsTest, ADeletedMessageLosesItsLikesAndTakesNoMore) {
    set_like(bob_, true);
    set_like(alice_, true);
    auto deleted = must(store().delete_message(group_.id, post_.id, tick()));
    EXPECT_EQ(deleted.like_count, 0);
    EXPECT_EQ(stored_likes(post_.id), 0);
    EXPECT_EQ(like_rows(post_.id), 0);
    expect_error(store().set_like(group_.id, post_.id, bob_.id, true, tick()), ErrorKind::conflict,
                 "message_deleted");
    expect_error(store().set_like(group_.id, "msg_nope", bob_.id, true, tick()),
                 ErrorKind::not_found, "message_not_found");
    // A message of another conversation is not reached through this one.
    auto other = make_group(alice_, {});
    auto elsewhere = post(other, alice_, "elsewhere");
    expect_error(store().set_like(group_.id, elsewhere.id, bob_.id, true, tick()),
                 ErrorKind::not_found, "message_not_found");
}

TEST_F(ReactionsTest, LikersPageInOrderAndNarrowToAdminsAndTheReader) {
    const auto& carol = carol_;
    set_like(bob_, true);
    set_like(carol, true);
    set_like(alice_, true);

    LikeQuery all;
    auto likes = must(store().list_likes(group_.id, post_.id, all));
    ASSERT_EQ(likes.size(), 3u);
    EXPECT_EQ(likes[0].user.id, bob_.id);
    EXPECT_EQ(likes[1].user.id, carol.id);
    EXPECT_EQ(likes[2].user.id, alice_.id);
    EXPECT_EQ(likes[0].user.name, "Bob");

    LikeQuery page{likes[0].cursor, 1, std::nullopt};
    auto second = must(store().list_likes(group_.id, post_.id, page));
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].user.id, carol.id);

    LikeQuery as_bob{0, 50, bob_.id};
    auto narrowed = must(store().list_likes(group_.id, post_.id, as_bob));
    ASSERT_EQ(narrowed.size(), 2u);
    EXPECT_EQ(narrowed[0].user.id, bob_.id);
    EXPECT_EQ(narrowed[1].user.id, alice_.id);
}

}  // namespace
}  // namespace parley::store::testing
