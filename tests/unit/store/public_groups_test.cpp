// Group types and per-message visibility in the store: a group's type and managed flag as
// stored, messages private to one member (a public group's subscriber), history read by a
// viewer who sees only their own private messages, and the count behind a subscriber's unread.

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

class PublicGroupsTest : public StoreTest {
protected:
    PublicGroupsTest() {
        admin_ = make_user("Admin");
        sub_a_ = make_user("Sub A");
        sub_b_ = make_user("Sub B");
        org_ = make_org("Acme");
        group_.id = crypto::new_id("cnv");
        group_.kind = core::ConversationKind::group;
        group_.name = "Customers";
        group_.owner = core::Owner::organization(org_.id);
        group_.group_type = core::GroupType::public_;
        group_.managed = true;
        group_.created_by = admin_.id;
        group_.created_at = tick();
        group_.last_activity_at = group_.created_at;
        must(store().create_conversation(group_, "",
                                         {member_of(group_, admin_, core::MemberRole::admin),
                                          member_of(group_, sub_a_), member_of(group_, sub_b_)},
                                         std::nullopt));
    }

    core::Message say(const core::User& who, const std::string& text,
                      std::optional<core::Id> private_to = std::nullopt) {
        auto d = draft(group_, who, text);
        d.private_to = std::move(private_to);
        return must(store().append_message(d)).message;
    }

    std::vector<std::string> texts(std::optional<core::Id> viewer, std::int64_t after = 0,
                                   std::optional<std::int64_t> before = std::nullopt) {
        MessageRange range;
        range.after = after;
        range.before = before;
        range.limit = 50;
        range.viewer = std::move(viewer);
        std::vector<std::string> out;
        for (const auto& m : must(store().list_messages(group_.id, range))) out.push_back(m.text);
        return out;
    }

    core::User admin_, sub_a_, sub_b_;
    core::Organization org_;
    core::Conversation group_;
};

TEST_F(PublicGroupsTest, TypeAndManagedAreStoredAndReadBack) {
    auto found = must(store().find_conversation(group_.id));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->group_type, core::GroupType::public_);
    EXPECT_TRUE(found->managed);
    auto listed = must(store().list_organization_groups(org_.id));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].group_type, core::GroupType::public_);
    // Groups made without a type are flat and unmanaged.
    auto flat = make_group(admin_, {sub_a_}, core::Owner::organization(org_.id), "Flat");
    auto again = must(store().find_conversation(flat.id));
    EXPECT_EQ(again->group_type, core::GroupType::flat);
    EXPECT_FALSE(again->managed);
    // The list a member gets carries the type too (for the unread rule).
    for (const auto& s : must(store().list_conversations(sub_a_.id))) {
        EXPECT_EQ(s.conversation.group_type, s.conversation.id == group_.id
                                                 ? core::GroupType::public_
                                                 : core::GroupType::flat);
    }
}

TEST_F(PublicGroupsTest, PrivateToIsStoredAndViewersSeeOnlyTheirOwnPrivateMessages) {
    say(admin_, "welcome");
    auto from_a = say(sub_a_, "a asks", sub_a_.id);
    say(sub_b_, "b asks", sub_b_.id);
    say(admin_, "answer to a", sub_a_.id);
    say(admin_, "news");

    auto found = must(store().find_message(group_.id, from_a.id));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->private_to, sub_a_.id);
    EXPECT_EQ(from_a.private_to, sub_a_.id);

    const std::vector<std::string> all = {"welcome", "a asks", "b asks", "answer to a", "news"};
    EXPECT_EQ(texts(std::nullopt), all);
    EXPECT_EQ(texts(sub_a_.id),
              (std::vector<std::string>{"welcome", "a asks", "answer to a", "news"}));
    EXPECT_EQ(texts(sub_b_.id), (std::vector<std::string>{"welcome", "b asks", "news"}));
    // Paging backwards keeps the filter: the newest two B may see before "news".
    MessageRange back;
    back.before = 5;
    back.limit = 2;
    back.viewer = sub_b_.id;
    auto page = must(store().list_messages(group_.id, back));
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].text, "welcome");
    EXPECT_EQ(page[1].text, "b asks");

    // Edits and deletes keep the message private.
    auto edited = must(store().edit_message(group_.id, from_a.id, "a asks again", tick()));
    EXPECT_EQ(edited.private_to, sub_a_.id);
    auto deleted = must(store().delete_message(group_.id, from_a.id, tick()));
    EXPECT_EQ(deleted.private_to, sub_a_.id);
    EXPECT_EQ(texts(sub_b_.id).size(), 3u);
}

TEST_F(PublicGroupsTest, CountsWhatIsPrivateToOthersInARange) {
    say(admin_, "welcome");             // 1
    say(sub_a_, "a asks", sub_a_.id);   // 2
    say(sub_b_, "b asks", sub_b_.id);   // 3
    say(admin_, "to b", sub_b_.id);     // 4
    say(admin_, "news");                // 5
    say(sub_b_, "b again", sub_b_.id);  // 6
    EXPECT_EQ(must(store().count_private_to_others(group_.id, sub_a_.id, 0, 6)), 3);
    EXPECT_EQ(must(store().count_private_to_others(group_.id, sub_b_.id, 0, 6)), 1);
    EXPECT_EQ(must(store().count_private_to_others(group_.id, sub_a_.id, 3, 6)), 2);
    EXPECT_EQ(must(store().count_private_to_others(group_.id, sub_a_.id, 3, 5)), 1);
    EXPECT_EQ(must(store().count_private_to_others(group_.id, sub_a_.id, 6, 6)), 0);
    EXPECT_EQ(must(store().count_private_to_others(group_.id, admin_.id, 0, 6)), 4);
}

TEST_F(PublicGroupsTest, TheUnreadCountIsServedByThePartialIndex) {
    close();
    RawDb db(db_path());
    auto plan = db.rows(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM messages WHERE conversation_id = 'c' AND "
        "seq > 1 AND seq <= 9 AND private_to IS NOT NULL AND private_to <> 'u'");
    std::string text;
    for (const auto& row : plan) text += row.back() + "\n";
    EXPECT_NE(text.find("messages_private"), std::string::npos) << text;
}

}  // namespace
}  // namespace parley::store::testing
