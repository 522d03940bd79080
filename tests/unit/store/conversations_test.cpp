// Conversations and their members: creation with announcements, chats by key, the
// conversation list, ownership changes, membership and roles.

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using ConversationsTest = StoreTest;
using MembersTest = StoreTest;

std::vector<core::Id> ids_of(const std::vector<core::ConversationSummary>& rows) {
    std::vector<core::Id> ids;
    for (const auto& r : rows) ids.push_back(r.conversation.id);
    return ids;
}

const core::ConversationSummary* summary_of(const std::vector<core::ConversationSummary>& rows,
                                            const core::Id& id) {
    for (const auto& r : rows) {
        if (r.conversation.id == id) return &r;
    }
    return nullptr;
}

TEST_F(ConversationsTest, CreatesWithMembersAndAnAnnouncement) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");

    core::Conversation c;
    c.id = crypto::new_id("cnv");
    c.kind = core::ConversationKind::group;
    c.name = "Project X";
    c.created_by = alice.id;
    c.created_at = tick();
    c.last_seq = 42;  // assigned by the store, not taken from the caller
    const auto announcement = system_message(c, "Alice created Project X");
    ASSERT_TRUE(
        store().create_conversation(c, "",
                                    {member_of(c, alice, core::MemberRole::admin, c.created_at),
                                     member_of(c, bob, core::MemberRole::member, c.created_at)},
                                    announcement));

    const auto found = conversation(c.id);
    EXPECT_EQ(found.kind, core::ConversationKind::group);
    EXPECT_EQ(found.name, "Project X");
    EXPECT_FALSE(found.owner.is_organization());
    EXPECT_EQ(found.created_by, alice.id);
    EXPECT_EQ(found.created_at, c.created_at);
    EXPECT_EQ(found.last_seq, 1);
    EXPECT_EQ(found.last_activity_at, announcement.created_at);

    const auto messages = all_messages(c.id);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].id, announcement.id);
    EXPECT_EQ(messages[0].seq, 1);
    EXPECT_EQ(messages[0].kind, core::MessageKind::system);
    EXPECT_EQ(messages[0].text, "Alice created Project X");
    EXPECT_TRUE(messages[0].sender_id.empty());

    auto members = store().list_members(c.id);
    ASSERT_TRUE(members);
    ASSERT_EQ(members->size(), 2u);
    EXPECT_EQ((*members)[0].user.id, alice.id);  // admins first
    EXPECT_EQ((*members)[0].member.role, core::MemberRole::admin);
    EXPECT_EQ((*members)[0].user.phone, alice.phone);
    EXPECT_EQ((*members)[1].user.id, bob.id);
    EXPECT_EQ((*members)[1].member.role, core::MemberRole::member);
    EXPECT_EQ((*members)[1].member.joined_at, c.created_at);
    EXPECT_EQ(*store().count_admins(c.id), 1);
}

TEST_F(ConversationsTest, WithoutAnAnnouncementStartsEmpty) {
    const auto alice = make_user("Alice");
    const auto c = make_group(alice);
    EXPECT_EQ(conversation(c.id).last_seq, 0);
    EXPECT_TRUE(all_messages(c.id).empty());
    EXPECT_FALSE(*store().find_conversation("cnv_nosuch"));
}

TEST_F(ConversationsTest, FindsAChatByKeyAndRefusesASecondWithTheSameKey) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto chat = make_chat(alice, bob);
    const std::string key = chat_key_of(alice, bob, core::Owner::private_owner());

    auto found = store().find_chat(key);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->id, chat.id);
    EXPECT_EQ((*found)->kind, core::ConversationKind::chat);
    EXPECT_FALSE(*store().find_chat(key + "x"));
    EXPECT_FALSE(*store().find_chat(""));  // groups have no key

    // The same key again, from the other side, with its own id, members and announcement.
    core::Conversation twin;
    twin.id = crypto::new_id("cnv");
    twin.kind = core::ConversationKind::chat;
    twin.created_by = bob.id;
    twin.created_at = tick();
    const auto announcement = system_message(twin, "should never be written");
    expect_error(store().create_conversation(
                     twin, key, {member_of(twin, bob), member_of(twin, alice)}, announcement),
                 ErrorKind::conflict, "chat_exists");

    EXPECT_FALSE(*store().find_conversation(twin.id));
    EXPECT_TRUE(store().list_members(twin.id)->empty());
    EXPECT_FALSE(*store().find_message(twin.id, announcement.id));
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM conversations"), 1);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM members"), 2);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM messages"), 0);
    EXPECT_EQ(conversation(chat.id).last_seq, 0);

    // An organization chat between the same two people is a different chat.
    const auto org = make_org("Acme");
    const auto org_chat = make_chat(alice, bob, core::Owner::organization(org.id));
    EXPECT_NE(org_chat.id, chat.id);
    EXPECT_EQ((*store().find_chat(chat_key_of(alice, bob, core::Owner::organization(org.id))))->id,
              org_chat.id);
}

TEST_F(ConversationsTest, ACreateThatFailsHalfWayWritesNothing) {
    const auto alice = make_user("Alice");
    core::Conversation c;
    c.id = crypto::new_id("cnv");
    c.kind = core::ConversationKind::group;
    c.name = "Doomed";
    c.created_by = alice.id;
    c.created_at = tick();
    core::User ghost{"usr_ghost", "+6500000000", "Ghost", 0};
    // The conversation row and Alice's membership are written before the ghost's fails.
    auto created = store().create_conversation(
        c, "", {member_of(c, alice, core::MemberRole::admin), member_of(c, ghost)},
        system_message(c, "created"));
    ASSERT_FALSE(created);
    EXPECT_NE(created.error().code, "chat_exists");

    EXPECT_FALSE(*store().find_conversation(c.id));
    EXPECT_FALSE(member(c.id, alice.id));
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM conversations"), 0);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM members"), 0);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM messages"), 0);
    EXPECT_TRUE(store().list_conversations(alice.id)->empty());
}

TEST_F(ConversationsTest, OtherConflictsAreNotReportedAsChatExists) {
    const auto alice = make_user("Alice");
    const auto group = make_group(alice);

    // A group reusing an id: a conflict, but not a chat that exists.
    core::Conversation again = group;
    again.name = "Again";
    auto duplicate = store().create_conversation(again, "", {}, std::nullopt);
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().kind, ErrorKind::conflict);
    EXPECT_NE(duplicate.error().code, "chat_exists");
    EXPECT_EQ(conversation(group.id).name, "Group");

    // A group of an organization that does not exist.
    core::Conversation orphan;
    orphan.id = crypto::new_id("cnv");
    orphan.owner = core::Owner::organization("org_nosuch");
    orphan.created_by = alice.id;
    orphan.created_at = tick();
    auto created = store().create_conversation(orphan, "", {}, std::nullopt);
    ASSERT_FALSE(created);
    EXPECT_NE(created.error().code, "chat_exists");
    EXPECT_FALSE(*store().find_conversation(orphan.id));
}

TEST_F(ConversationsTest, ListsByLastActivityWithUnreadCountsAndChatPeers) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto carol = make_user("Carol");
    const auto g1 = make_group(alice, {bob}, core::Owner::private_owner(), "G1");
    const auto g2 = make_group(bob, {alice}, core::Owner::private_owner(), "G2");
    const auto chat = make_chat(alice, bob);

    auto listed = store().list_conversations(alice.id);
    ASSERT_TRUE(listed);
    EXPECT_EQ(ids_of(*listed), (std::vector<core::Id>{chat.id, g2.id, g1.id}));  // newest first

    for (int i = 0; i < 3; ++i) post(g1, bob, "from bob " + std::to_string(i));
    listed = store().list_conversations(alice.id);
    ASSERT_TRUE(listed);
    EXPECT_EQ(ids_of(*listed), (std::vector<core::Id>{g1.id, chat.id, g2.id}));
    const auto* s1 = summary_of(*listed, g1.id);
    ASSERT_NE(s1, nullptr);
    EXPECT_EQ(s1->conversation.last_seq, 3);
    EXPECT_EQ(s1->read_seq, 0);
    EXPECT_EQ(s1->unread, 3);
    EXPECT_EQ(s1->role, core::MemberRole::admin);
    EXPECT_FALSE(s1->peer);

    post(g2, alice, "mine");  // my own message is read and moves G2 to the top
    ASSERT_EQ(*store().mark_read(g1.id, alice.id, 2), 2);
    listed = store().list_conversations(alice.id);
    ASSERT_TRUE(listed);
    EXPECT_EQ(ids_of(*listed), (std::vector<core::Id>{g2.id, g1.id, chat.id}));
    EXPECT_EQ(summary_of(*listed, g1.id)->unread, 1);
    EXPECT_EQ(summary_of(*listed, g2.id)->unread, 0);
    EXPECT_EQ(summary_of(*listed, g2.id)->role, core::MemberRole::member);

    const auto* c = summary_of(*listed, chat.id);
    ASSERT_NE(c, nullptr);
    ASSERT_TRUE(c->peer);
    EXPECT_EQ(c->peer->id, bob.id);
    EXPECT_EQ(c->peer->name, "Bob");
    EXPECT_EQ(c->peer->phone, bob.phone);
    // Bob sees Alice as the peer of the same chat.
    auto bobs = store().list_conversations(bob.id);
    ASSERT_TRUE(bobs);
    ASSERT_TRUE(summary_of(*bobs, chat.id)->peer);
    EXPECT_EQ(summary_of(*bobs, chat.id)->peer->id, alice.id);
    // Bob's own messages in G1 are not unread for him.
    EXPECT_EQ(summary_of(*bobs, g1.id)->unread, 0);

    EXPECT_TRUE(store().list_conversations(carol.id)->empty());
}

TEST_F(ConversationsTest, LastActivityNeverMovesBack) {
    const auto alice = make_user("Alice");
    const auto older = make_group(alice, {}, core::Owner::private_owner(), "Older");
    const auto newer = make_group(alice, {}, core::Owner::private_owner(), "Newer");
    auto late = draft(older, alice, "late");
    const TimestampMs late_at = late.created_at;
    ASSERT_TRUE(store().append_message(late));
    EXPECT_EQ(conversation(older.id).last_activity_at, late_at);

    // A message drafted earlier but committed later (a slow sender) must not push the
    // conversation down the list.
    auto slow = draft(older, alice, "slow");
    slow.created_at = late_at - 60'000;
    ASSERT_TRUE(store().append_message(slow));
    EXPECT_EQ(conversation(older.id).last_activity_at, late_at);
    EXPECT_EQ(ids_of(*store().list_conversations(alice.id)),
              (std::vector<core::Id>{older.id, newer.id}));
}

TEST_F(ConversationsTest, ListsTheGroupsOfAnOrganization) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto acme = make_org("Acme");
    const auto other = make_org("Other");
    const auto zeta = make_group(alice, {}, core::Owner::organization(acme.id), "zeta");
    const auto alpha = make_group(alice, {}, core::Owner::organization(acme.id), "Alpha");
    make_group(alice, {}, core::Owner::organization(other.id), "Elsewhere");
    make_group(alice, {}, core::Owner::private_owner(), "Private");
    make_chat(alice, bob, core::Owner::organization(acme.id));  // chats are not groups

    auto groups = store().list_organization_groups(acme.id);
    ASSERT_TRUE(groups);
    ASSERT_EQ(groups->size(), 2u);
    EXPECT_EQ((*groups)[0].id, alpha.id);  // by name, ignoring case
    EXPECT_EQ((*groups)[1].id, zeta.id);
    EXPECT_EQ((*groups)[0].owner, core::Owner::organization(acme.id));
}

TEST_F(ConversationsTest, Renames) {
    const auto alice = make_user("Alice");
    const auto g = make_group(alice, {}, core::Owner::private_owner(), "Old");
    ASSERT_TRUE(store().rename_conversation(g.id, "New name"));
    EXPECT_EQ(conversation(g.id).name, "New name");
}

TEST_F(ConversationsTest, SetOwnerOnceWithItsAnnouncement) {
    const auto alice = make_user("Alice");
    const auto acme = make_org("Acme");
    const auto other = make_org("Other");
    const auto g = make_group(alice, {}, core::Owner::private_owner(), "G", true);

    const auto at = tick();
    auto announcement = system_message(g, "This group now belongs to Acme");
    announcement.owner = core::Owner::organization(acme.id);
    auto owned = store().set_owner(g.id, core::Owner::organization(acme.id), at, announcement);
    ASSERT_TRUE(owned) << owned.error().message;
    EXPECT_EQ(owned->owner, core::Owner::organization(acme.id));
    EXPECT_EQ(owned->owner_changed_at, at);
    EXPECT_EQ(owned->last_seq, 2);
    EXPECT_EQ(conversation(g.id).owner, core::Owner::organization(acme.id));
    auto written = store().find_message(g.id, announcement.id);
    ASSERT_TRUE(written && *written);
    EXPECT_EQ((*written)->seq, 2);
    EXPECT_EQ((*written)->text, "This group now belongs to Acme");

    // Once: a second owner is refused and its announcement is not written.
    auto second = system_message(g, "This group now belongs to Other");
    expect_error(store().set_owner(g.id, core::Owner::organization(other.id), tick(), second),
                 ErrorKind::conflict, "already_owned");
    EXPECT_EQ(conversation(g.id).owner, core::Owner::organization(acme.id));
    EXPECT_EQ(conversation(g.id).owner_changed_at, at);
    EXPECT_EQ(conversation(g.id).last_seq, 2);
    EXPECT_FALSE(*store().find_message(g.id, second.id));
    expect_error(store().set_owner(g.id, core::Owner::organization(acme.id), tick(), std::nullopt),
                 ErrorKind::conflict, "already_owned");
}

TEST_F(ConversationsTest, SetOwnerOfAMissingConversationIsNotFound) {
    const auto acme = make_org("Acme");
    expect_error(
        store().set_owner("cnv_nosuch", core::Owner::organization(acme.id), tick(), std::nullopt),
        ErrorKind::not_found, "conversation_not_found");
}

// --- members -----------------------------------------------------------------------------------

TEST_F(MembersTest, AddMemberOnceWithItsAnnouncement) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto g = make_group(alice, {}, core::Owner::private_owner(), "G", true);
    post(g, alice, "before bob");  // seq 2

    const auto joined_at = tick();
    const auto hello = system_message(g, "Bob joined");
    auto added = store().add_member(member_of(g, bob, core::MemberRole::member, joined_at), hello);
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_TRUE(*added);
    auto m = member(g.id, bob.id);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->role, core::MemberRole::member);
    EXPECT_EQ(m->joined_at, joined_at);
    EXPECT_EQ(m->read_seq, 2);  // history before joining is not unread
    EXPECT_EQ(conversation(g.id).last_seq, 3);
    EXPECT_EQ((*store().find_message(g.id, hello.id))->seq, 3);

    // Already a member: false, and neither the announcement nor the role is written.
    const auto again = system_message(g, "Bob joined again");
    auto second = store().add_member(member_of(g, bob, core::MemberRole::admin, tick()), again);
    ASSERT_TRUE(second);
    EXPECT_FALSE(*second);
    EXPECT_EQ(conversation(g.id).last_seq, 3);
    EXPECT_FALSE(*store().find_message(g.id, again.id));
    EXPECT_EQ(member(g.id, bob.id)->role, core::MemberRole::member);
    EXPECT_EQ(member(g.id, bob.id)->joined_at, joined_at);
}

TEST_F(MembersTest, AddMemberToAMissingConversationFailsAndWritesNothing) {
    const auto alice = make_user("Alice");
    core::Conversation ghost;
    ghost.id = "cnv_ghost";
    auto added = store().add_member(member_of(ghost, alice), std::nullopt);
    EXPECT_FALSE(added && *added);
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT COUNT(*) FROM members"), 0);
}

TEST_F(MembersTest, RemoveMemberWithItsAnnouncement) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto g = make_group(alice, {bob});

    const auto bye = system_message(g, "Bob left");
    auto removed = store().remove_member(g.id, bob.id, bye);
    ASSERT_TRUE(removed);
    EXPECT_TRUE(*removed);
    EXPECT_FALSE(member(g.id, bob.id));
    EXPECT_TRUE(member(g.id, alice.id));
    EXPECT_EQ(conversation(g.id).last_seq, 1);
    EXPECT_EQ((*store().find_message(g.id, bye.id))->text, "Bob left");
    EXPECT_TRUE(store().list_conversations(bob.id)->empty());

    const auto again = system_message(g, "Bob left again");
    auto second = store().remove_member(g.id, bob.id, again);
    ASSERT_TRUE(second);
    EXPECT_FALSE(*second);
    EXPECT_EQ(conversation(g.id).last_seq, 1);
    EXPECT_FALSE(*store().find_message(g.id, again.id));
}

TEST_F(MembersTest, SetsRolesAndCountsAdmins) {
    const auto alice = make_user("Alice");
    const auto bob = make_user("Bob");
    const auto carol = make_user("Carol");
    const auto g = make_group(alice, {bob, carol});
    EXPECT_EQ(*store().count_admins(g.id), 1);

    EXPECT_TRUE(*store().set_member_role(g.id, bob.id, core::MemberRole::admin));
    EXPECT_EQ(member(g.id, bob.id)->role, core::MemberRole::admin);
    EXPECT_EQ(*store().count_admins(g.id), 2);

    EXPECT_TRUE(*store().set_member_role(g.id, alice.id, core::MemberRole::member));
    EXPECT_EQ(*store().count_admins(g.id), 1);

    const auto stranger = make_user("Stranger");
    EXPECT_FALSE(*store().set_member_role(g.id, stranger.id, core::MemberRole::admin));
    EXPECT_FALSE(member(g.id, stranger.id));
    EXPECT_EQ(*store().count_admins(g.id), 1);
    EXPECT_EQ(*store().count_admins("cnv_nosuch"), 0);

    auto members = store().list_members(g.id);
    ASSERT_TRUE(members);
    ASSERT_EQ(members->size(), 3u);
    EXPECT_EQ((*members)[0].user.id, bob.id);  // the admin first, then by name
    EXPECT_EQ((*members)[1].user.id, alice.id);
    EXPECT_EQ((*members)[2].user.id, carol.id);
}

}  // namespace
}  // namespace parley::store::testing
