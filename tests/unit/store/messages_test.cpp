// Messages: sequence numbers, idempotent sends, history paging, edits, deletes, read markers
// and ownership stamped per message.

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

class MessagesTest : public StoreTest {
protected:
    MessagesTest() {
        alice_ = make_user("Alice");
        bob_ = make_user("Bob");
        group_ = make_group(alice_, {bob_});
    }

    std::vector<std::int64_t> seqs(const MessageRange& range,
                                   const core::Id& conversation_id = {}) {
        auto listed =
            store().list_messages(conversation_id.empty() ? group_.id : conversation_id, range);
        if (!listed) throw std::runtime_error(listed.error().message);
        std::vector<std::int64_t> out;
        for (const auto& m : *listed) out.push_back(m.seq);
        return out;
    }

    static MessageRange range(std::optional<std::int64_t> after, std::optional<std::int64_t> before,
                              int limit) {
        MessageRange r;
        r.after = after;
        r.before = before;
        r.limit = limit;
        return r;
    }

    core::User alice_, bob_;
    core::Conversation group_;
};

TEST_F(MessagesTest, AppendKeepsTheDraftAndAssignsTheNextSeq) {
    const auto first = post(group_, alice_, "first");
    auto d = draft(group_, bob_, "a reply", "client-1");
    d.reply_to = first.id;
    d.seq = 99;  // ignored
    auto appended = store().append_message(d);
    ASSERT_TRUE(appended) << appended.error().message;
    EXPECT_FALSE(appended->duplicate);
    const auto& m = appended->message;
    EXPECT_EQ(m.id, d.id);
    EXPECT_EQ(m.conversation_id, group_.id);
    EXPECT_EQ(m.seq, 2);
    EXPECT_EQ(m.sender_id, bob_.id);
    EXPECT_EQ(m.kind, core::MessageKind::text);
    EXPECT_EQ(m.text, "a reply");
    EXPECT_EQ(m.client_id, "client-1");
    EXPECT_EQ(m.reply_to, first.id);
    EXPECT_EQ(m.owner, group_.owner);
    EXPECT_EQ(m.created_at, d.created_at);
    EXPECT_FALSE(m.edited_at);
    EXPECT_FALSE(m.deleted_at);

    auto found = store().find_message(group_.id, d.id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->seq, 2);
    EXPECT_EQ((*found)->text, "a reply");
    EXPECT_EQ((*found)->reply_to, first.id);
    EXPECT_EQ((*found)->client_id, "client-1");
    EXPECT_EQ((*found)->created_at, d.created_at);
    EXPECT_EQ(conversation(group_.id).last_seq, 2);
    EXPECT_EQ(conversation(group_.id).last_activity_at, d.created_at);

    // By id only within its own conversation.
    const auto other = make_group(alice_);
    EXPECT_FALSE(*store().find_message(other.id, d.id));
    EXPECT_FALSE(*store().find_message(group_.id, "msg_nosuch"));
}

TEST_F(MessagesTest, SeqsAreContiguousPerConversationAndIndependentAcrossThem) {
    const auto other = make_group(bob_, {alice_});
    std::vector<std::int64_t> in_group, in_other;
    for (int i = 0; i < 5; ++i) {
        in_group.push_back(post(group_, alice_, "g" + std::to_string(i)).seq);
        in_other.push_back(post(other, bob_, "o" + std::to_string(i)).seq);
        in_other.push_back(post(other, alice_, "o'" + std::to_string(i)).seq);
    }
    EXPECT_EQ(in_group, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(in_other, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    EXPECT_EQ(conversation(group_.id).last_seq, 5);
    EXPECT_EQ(conversation(other.id).last_seq, 10);
}

TEST_F(MessagesTest, AppendingToAMissingConversationIsNotFound) {
    core::Conversation ghost;
    ghost.id = "cnv_ghost";
    expect_error(store().append_message(draft(ghost, alice_, "hello?")), ErrorKind::not_found,
                 "conversation_not_found");
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT COUNT(*) FROM messages"), 0);
}

TEST_F(MessagesTest, ARepeatedClientIdReturnsTheOriginalAndWritesNothing) {
    const auto original = post(group_, alice_, "original", "c-1");
    post(group_, bob_, "in between");

    auto retry = draft(group_, alice_, "different text", "c-1");
    auto appended = store().append_message(retry);
    ASSERT_TRUE(appended) << appended.error().message;
    EXPECT_TRUE(appended->duplicate);
    EXPECT_EQ(appended->message.id, original.id);
    EXPECT_EQ(appended->message.seq, 1);
    EXPECT_EQ(appended->message.text, "original");
    EXPECT_EQ(appended->message.created_at, original.created_at);
    EXPECT_EQ(conversation(group_.id).last_seq, 2);
    EXPECT_FALSE(*store().find_message(group_.id, retry.id));
    EXPECT_EQ(all_messages(group_.id).size(), 2u);
    // The retry did not move Alice's marker back to her old message, nor forward.
    EXPECT_EQ(member(group_.id, alice_.id)->read_seq, 1);

    // The same client id from another sender, or in another conversation, is a new message.
    auto bobs = store().append_message(draft(group_, bob_, "bob's", "c-1"));
    ASSERT_TRUE(bobs);
    EXPECT_FALSE(bobs->duplicate);
    EXPECT_EQ(bobs->message.seq, 3);
    const auto other = make_group(alice_);
    auto elsewhere = store().append_message(draft(other, alice_, "elsewhere", "c-1"));
    ASSERT_TRUE(elsewhere);
    EXPECT_FALSE(elsewhere->duplicate);
    EXPECT_EQ(elsewhere->message.seq, 1);
}

TEST_F(MessagesTest, ARetryOfADeletedMessageReturnsItDeleted) {
    const auto original = post(group_, alice_, "oops", "c-1");
    ASSERT_TRUE(store().delete_message(group_.id, original.id, tick()));
    auto retry = store().append_message(draft(group_, alice_, "oops", "c-1"));
    ASSERT_TRUE(retry) << retry.error().message;
    EXPECT_TRUE(retry->duplicate);
    EXPECT_EQ(retry->message.id, original.id);
    EXPECT_TRUE(retry->message.deleted_at);
    EXPECT_TRUE(retry->message.text.empty());
    EXPECT_EQ(conversation(group_.id).last_seq, 1);
}

TEST_F(MessagesTest, AnEmptyClientIdNeverDeduplicates) {
    const auto a = post(group_, alice_, "same", "");
    const auto b = post(group_, alice_, "same", "");
    EXPECT_NE(a.id, b.id);
    EXPECT_EQ(a.seq, 1);
    EXPECT_EQ(b.seq, 2);
    EXPECT_EQ(all_messages(group_.id).size(), 2u);
}

TEST_F(MessagesTest, TheSendersReadMarkerAdvancesToItsOwnMessage) {
    post(group_, bob_, "one");
    post(group_, bob_, "two");
    EXPECT_EQ(member(group_.id, alice_.id)->read_seq, 0);
    EXPECT_EQ(member(group_.id, bob_.id)->read_seq, 2);

    const auto mine = post(group_, alice_, "three");
    EXPECT_EQ(mine.seq, 3);
    EXPECT_EQ(member(group_.id, alice_.id)->read_seq, 3);
    EXPECT_EQ(member(group_.id, bob_.id)->read_seq, 2);

    // A system message moves nobody's marker.
    ASSERT_TRUE(store().append_message(system_message(group_, "note")));
    EXPECT_EQ(member(group_.id, alice_.id)->read_seq, 3);
    EXPECT_EQ(member(group_.id, bob_.id)->read_seq, 2);

    // A sender who is not a member (say, removed after the service checked) cannot post.
    const auto outsider = make_user("Outsider");
    auto refused = store().append_message(draft(group_, outsider, "hi"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "conversation_not_found");
    EXPECT_FALSE(member(group_.id, outsider.id));
}

TEST_F(MessagesTest, ListsPagesInAscendingOrderEitherWay) {
    for (int i = 1; i <= 10; ++i) post(group_, i % 2 ? alice_ : bob_, "m" + std::to_string(i));
    using V = std::vector<std::int64_t>;

    EXPECT_EQ(seqs(range(std::nullopt, std::nullopt, 50)), (V{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    EXPECT_EQ(seqs(range(std::nullopt, std::nullopt, 3)), (V{1, 2, 3}));  // oldest first
    EXPECT_EQ(seqs(range(3, std::nullopt, 4)), (V{4, 5, 6, 7}));
    EXPECT_EQ(seqs(range(8, std::nullopt, 50)), (V{9, 10}));
    EXPECT_EQ(seqs(range(10, std::nullopt, 50)), V{});
    // Only before: the newest page below it, still in ascending order.
    EXPECT_EQ(seqs(range(std::nullopt, 8, 3)), (V{5, 6, 7}));
    EXPECT_EQ(seqs(range(std::nullopt, 11, 2)), (V{9, 10}));
    EXPECT_EQ(seqs(range(std::nullopt, 3, 50)), (V{1, 2}));
    EXPECT_EQ(seqs(range(std::nullopt, 1, 50)), V{});
    // Both: the oldest page of the window.
    EXPECT_EQ(seqs(range(2, 9, 3)), (V{3, 4, 5}));
    EXPECT_EQ(seqs(range(2, 9, 50)), (V{3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(seqs(range(5, 6, 50)), V{});

    auto listed = store().list_messages(group_.id, range(std::nullopt, 3, 50));
    ASSERT_TRUE(listed);
    EXPECT_EQ((*listed)[0].text, "m1");
    EXPECT_EQ((*listed)[1].text, "m2");
    EXPECT_EQ((*listed)[1].sender_id, bob_.id);

    const auto other = make_group(alice_);
    EXPECT_EQ(seqs(range(std::nullopt, std::nullopt, 50), other.id), V{});
}

TEST_F(MessagesTest, EditKeepsSeqAndSetsEditedAt) {
    const auto m = post(group_, alice_, "helo");
    post(group_, bob_, "after");
    const auto at = tick();
    auto edited = store().edit_message(group_.id, m.id, "hello", at);
    ASSERT_TRUE(edited) << edited.error().message;
    EXPECT_EQ(edited->id, m.id);
    EXPECT_EQ(edited->seq, 1);
    EXPECT_EQ(edited->text, "hello");
    ASSERT_TRUE(edited->edited_at);
    EXPECT_EQ(*edited->edited_at, at);
    EXPECT_EQ(edited->created_at, m.created_at);

    auto found = store().find_message(group_.id, m.id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->text, "hello");
    EXPECT_EQ((*found)->seq, 1);
    EXPECT_EQ((*found)->edited_at, at);
    EXPECT_EQ(conversation(group_.id).last_seq, 2);  // an edit is not a new message

    expect_error(store().edit_message(group_.id, "msg_nosuch", "x", tick()), ErrorKind::not_found,
                 "message_not_found");
    const auto other = make_group(alice_);
    expect_error(store().edit_message(other.id, m.id, "x", tick()), ErrorKind::not_found,
                 "message_not_found");
    EXPECT_EQ((*store().find_message(group_.id, m.id))->text, "hello");
}

TEST_F(MessagesTest, DeleteErasesTheTextAndIsFinal) {
    const auto m = post(group_, alice_, "regrettable");
    const auto at = tick();
    auto deleted = store().delete_message(group_.id, m.id, at);
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_TRUE(deleted->text.empty());
    EXPECT_EQ(deleted->deleted_at, at);
    EXPECT_EQ(deleted->seq, 1);

    auto found = store().find_message(group_.id, m.id);
    ASSERT_TRUE(found && *found);
    EXPECT_TRUE((*found)->text.empty());
    EXPECT_EQ((*found)->deleted_at, at);
    const auto listed = all_messages(group_.id);
    ASSERT_EQ(listed.size(), 1u);  // the place in history stays
    EXPECT_TRUE(listed[0].text.empty());
    EXPECT_TRUE(listed[0].deleted_at);
    // Erased, not merely hidden: nothing of the sealed body is left.
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT length(body) FROM messages WHERE id = ?1", {m.id}),
              0);

    expect_error(store().edit_message(group_.id, m.id, "resurrected", tick()), ErrorKind::not_found,
                 "message_not_found");
    expect_error(store().delete_message(group_.id, m.id, tick()), ErrorKind::not_found,
                 "message_not_found");
    EXPECT_EQ((*store().find_message(group_.id, m.id))->deleted_at, at);
    expect_error(store().delete_message(group_.id, "msg_nosuch", tick()), ErrorKind::not_found,
                 "message_not_found");
}

TEST_F(MessagesTest, MarkReadNeverMovesBackNorPastTheLastMessage) {
    for (int i = 0; i < 5; ++i) post(group_, bob_, "m");
    EXPECT_EQ(*store().mark_read(group_.id, alice_.id, 3), 3);
    EXPECT_EQ(*store().mark_read(group_.id, alice_.id, 2), 3);   // never back
    EXPECT_EQ(*store().mark_read(group_.id, alice_.id, 99), 5);  // never past last_seq
    EXPECT_EQ(member(group_.id, alice_.id)->read_seq, 5);
    EXPECT_EQ(*store().mark_read(group_.id, alice_.id, -1), 5);
    post(group_, bob_, "six");
    EXPECT_EQ(*store().mark_read(group_.id, alice_.id, 6), 6);

    const auto outsider = make_user("Outsider");
    expect_error(store().mark_read(group_.id, outsider.id, 1), ErrorKind::not_found,
                 "not_a_member");
    expect_error(store().mark_read("cnv_nosuch", alice_.id, 1), ErrorKind::not_found,
                 "not_a_member");
}

TEST_F(MessagesTest, OwnershipIsStampedPerMessageAndSurvivesSetOwner) {
    const auto acme = make_org("Acme");
    const auto before = post(group_, alice_, "said in private");
    auto announcement = system_message(group_, "Now Acme's");
    announcement.owner = core::Owner::organization(acme.id);
    auto owned =
        store().set_owner(group_.id, core::Owner::organization(acme.id), tick(), announcement);
    ASSERT_TRUE(owned) << owned.error().message;
    const auto after = post(*owned, bob_, "said at work");

    // Edits keep the owner the message was written under.
    ASSERT_TRUE(store().edit_message(group_.id, before.id, "said in private, edited", tick()));

    reopen();  // a fresh store has no cached keys: both must unwrap from storage
    const auto messages = all_messages(group_.id);
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[0].id, before.id);
    EXPECT_EQ(messages[0].owner, core::Owner::private_owner());
    EXPECT_EQ(messages[0].text, "said in private, edited");
    EXPECT_EQ(messages[1].id, announcement.id);
    EXPECT_EQ(messages[1].owner, core::Owner::organization(acme.id));
    EXPECT_EQ(messages[2].id, after.id);
    EXPECT_EQ(messages[2].owner, core::Owner::organization(acme.id));
    EXPECT_EQ(messages[2].text, "said at work");

    // Sealed under different keys: the conversation's own, and the organization's.
    RawDb raw(db_path());
    EXPECT_EQ(raw.rows("SELECT key_id FROM messages WHERE id = ?1", {before.id})[0][0],
              "cnv:" + group_.id);
    EXPECT_EQ(raw.rows("SELECT key_id FROM messages WHERE id = ?1", {after.id})[0][0],
              "org:" + acme.id);
    EXPECT_EQ(raw.rows("SELECT owner_org_id FROM messages WHERE id = ?1", {before.id})[0][0], "");
}

TEST_F(MessagesTest, ADraftStampedWithAStaleOwnerIsRefused) {
    const auto acme = make_org("Acme");
    auto stale = draft(group_, alice_, "decided before the group moved");  // owner: private
    ASSERT_TRUE(
        store().set_owner(group_.id, core::Owner::organization(acme.id), tick(), std::nullopt));
    auto refused = store().append_message(stale);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::conflict);
    EXPECT_EQ(refused.error().code, "owner_changed");
    EXPECT_EQ(all_messages(group_.id).size(), 0u);
}

TEST_F(MessagesTest, OrganizationKeysAreSharedAcrossItsConversations) {
    const auto acme = make_org("Acme");
    const auto g1 = make_group(alice_, {}, core::Owner::organization(acme.id), "G1");
    const auto g2 = make_group(alice_, {}, core::Owner::organization(acme.id), "G2");
    post(g1, alice_, "one");
    post(g2, alice_, "two");
    post(group_, alice_, "three");
    const auto p2 = make_group(alice_);
    post(p2, alice_, "four");
    RawDb raw(db_path());
    // One key for Acme, one per private conversation.
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM data_keys"), 3);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM data_keys WHERE id = ?1", {"org:" + acme.id}), 1);
}

}  // namespace
}  // namespace parley::store::testing
