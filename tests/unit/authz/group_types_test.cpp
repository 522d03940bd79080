// Who reads a new message (authz::private_to) and who is a subscriber (authz::is_subscriber):
// the rules behind a public group's private replies, next to the matrix that decides the
// actions (authz_matrix_test.cpp).

#include <gtest/gtest.h>

#include "authz/authz.hpp"

namespace parley::authz {
namespace {

using core::ConversationKind;
using core::GroupType;
using core::MemberRole;

ConversationFacts group(GroupType type, std::optional<MemberRole> role,
                        ConversationKind kind = ConversationKind::group) {
    core::Conversation c;
    c.kind = kind;
    c.owner = core::Owner::organization("org_acme");
    c.group_type = type;
    ConversationFacts f = conversation_facts(c);
    f.membership = role;
    return f;
}

TEST(GroupTypes, SubscribersAreThePublicGroupsNonAdminMembers) {
    EXPECT_TRUE(is_subscriber(group(GroupType::public_, MemberRole::member)));
    EXPECT_FALSE(is_subscriber(group(GroupType::public_, MemberRole::admin)));
    EXPECT_FALSE(is_subscriber(group(GroupType::public_, std::nullopt)));
    EXPECT_FALSE(is_subscriber(group(GroupType::flat, MemberRole::member)));
    EXPECT_FALSE(
        is_subscriber(group(GroupType::public_, MemberRole::member, ConversationKind::chat)));
}

TEST(GroupTypes, ASubscribersMessageIsPrivateToThemWhateverItAnswers) {
    auto f = group(GroupType::public_, MemberRole::member);
    EXPECT_EQ(private_to(f, "usr_s"), "usr_s");
    EXPECT_EQ(private_to(f, "usr_s", std::string("usr_s")), "usr_s");
}

TEST(GroupTypes, AnAdminsMessageIsForEveryoneUnlessItAnswersAPrivateThread) {
    auto f = group(GroupType::public_, MemberRole::admin);
    EXPECT_EQ(private_to(f, "usr_a"), std::nullopt);
    EXPECT_EQ(private_to(f, "usr_a", std::string("usr_s")), "usr_s");
}

TEST(GroupTypes, NothingIsPrivateOutsidePublicGroups) {
    EXPECT_EQ(private_to(group(GroupType::flat, MemberRole::member), "usr_m"), std::nullopt);
    EXPECT_EQ(private_to(group(GroupType::flat, MemberRole::admin), "usr_a", std::string("usr_s")),
              std::nullopt);
    EXPECT_EQ(
        private_to(group(GroupType::public_, MemberRole::member, ConversationKind::chat), "usr_m"),
        std::nullopt);
}

TEST(GroupTypes, FactsCarryTheStoredType) {
    core::Conversation c;
    c.kind = ConversationKind::group;
    c.owner = core::Owner::organization("org_acme");
    c.group_type = GroupType::public_;
    c.managed = true;
    ConversationFacts f = conversation_facts(c);
    EXPECT_EQ(f.group_type, GroupType::public_);
    EXPECT_TRUE(f.managed);
    EXPECT_EQ(f.owner, c.owner);
    EXPECT_FALSE(f.membership);
}

}  // namespace
}  // namespace parley::authz
