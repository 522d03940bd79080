#pragma once
// Conversations: 1:1 chats and groups, private or owned by one organization; their members,
// admins and invite links; and adding a private group to an organization (seed 003), after
// which new messages belong to the organization and earlier ones stay private. Thread-safe.

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/events.hpp"

namespace parley::service {

struct ConversationView {
    core::Conversation conversation;
    std::optional<core::Organization> organization;  // the owner, if any
    // The members the caller may see: everyone, or for a public group's subscriber the admins
    // and themself (members_partial).
    std::vector<store::MemberWithUser> members;
    bool members_partial = false;
    std::int64_t member_count = 0;                 // everyone, whatever the list shows
    std::optional<std::int64_t> subscriber_count;  // public groups: the non-admin members
    std::optional<core::MemberRole> my_role;
    core::ConversationPolicies policies;  // in force, for clients to honour (copy, share)
    store::GroupLinks hierarchy;          // organization groups: parent and child count
};

// What linking or unlinking a child group did.
struct GroupLinkChange {
    core::Id child_id;
    core::Id parent_id;
    bool changed = false;  // false: it was so already
};

// A new group's type; `managed` applies to public groups only. Both are fixed at creation.
struct GroupTypeChoice {
    core::GroupType type = core::GroupType::flat;
    bool managed = false;
};

// A change to one policy override of a group: absent leaves it, null (nullopt inside) clears
// it so the tenant's value applies, a value sets it.
using OverrideChange = std::optional<std::optional<bool>>;

struct PolicyPatch {
    OverrideChange restrict_copy;
    OverrideChange restrict_share;
    OverrideChange restrict_forward;
    OverrideChange new_members_see_history;
    OverrideChange delete_for_everyone;
    OverrideChange invite_links;
    OverrideChange require_work_account;
};

// PATCH /groups/{id}: any of a new name and policy changes, decided together before anything
// is written.
struct GroupPatch {
    std::optional<std::string> name;
    std::optional<PolicyPatch> policies;
    // A group's type is fixed: asking for the one it has changes nothing, another is refused
    // (conflict "group_type_fixed").
    std::optional<core::GroupType> type;
    std::optional<bool> managed;
};

struct NewChat {
    std::string phone;                        // the other person, any format with region
    std::string region;                       // for national numbers; default: the server's
    std::optional<core::Id> organization_id;  // set: an organization chat
};

struct CreatedChat {
    core::Conversation conversation;
    bool created = false;  // false: the chat existed and is returned as is
};

struct MemberChange {
    std::string phone;  // as given
    std::optional<core::User> user;
    std::optional<Error> error;
    bool added = false;  // false with no error: already a member
};

struct NewInvite {
    std::optional<std::int64_t> expires_in_seconds;
    std::optional<std::int64_t> max_uses;
};

struct CreatedInvite {
    core::Invite invite;
    std::string token;  // shown once; only its hash is stored
};

struct InvitePreview {
    core::Invite invite;
    core::Conversation conversation;
    std::optional<core::Organization> organization;
    std::int64_t member_count = 0;
};

struct JoinedGroup {
    core::Conversation conversation;
    bool already_member = false;
};

constexpr std::int64_t kMaxInviteLifetimeSeconds = 365LL * 24 * 3600;

class ConversationService {
public:
    ConversationService(store::Store& store, Access& access, EventSink& events, const Clock& clock,
                        std::string default_region)
        : store_(store),
          access_(access),
          events_(events),
          clock_(clock),
          default_region_(std::move(default_region)) {}

    // A private group with the caller as its admin. Add members with add_members. Private
    // groups are flat: another type is refused (invalid "public_group_requires_organization").
    Result<core::Conversation> create_group(const Caller& caller, const std::string& name,
                                            const GroupTypeChoice& type = {});
    // Checks every number before anything is written, so that a request creating a group with
    // members fails whole on a bad number instead of leaving a half-made group.
    Result<void> check_phones(const std::vector<std::string>& phones, const std::string& region);
    // An organization group, created through the organization (portal), by its admins; public
    // ones by those authz/ lets create them.
    Result<core::Conversation> create_organization_group(const Caller& caller,
                                                         const core::Id& organization_id,
                                                         const std::string& name,
                                                         const GroupTypeChoice& type = {});
    Result<CreatedChat> create_chat(const Caller& caller, const NewChat& request);

    Result<std::vector<core::ConversationSummary>> list(const Caller& caller);
    Result<ConversationView> view(const Caller& caller, const core::Id& conversation_id);
    // Renames and/or changes policy overrides (organization groups); returns the group as its
    // caller now sees it. Emits conversation.updated when anything changed.
    Result<ConversationView> update_group(const Caller& caller, const core::Id& conversation_id,
                                          const GroupPatch& patch);

    Result<std::vector<MemberChange>> add_members(const Caller& caller,
                                                  const core::Id& conversation_id,
                                                  const std::vector<std::string>& phones,
                                                  const std::string& region, core::MemberRole role);
    Result<void> remove_member(const Caller& caller, const core::Id& conversation_id,
                               const core::Id& user_id);
    // Leaving: the last admin must name a successor among the members.
    Result<void> leave(const Caller& caller, const core::Id& conversation_id,
                       const std::optional<core::Id>& successor);
    Result<void> set_role(const Caller& caller, const core::Id& conversation_id,
                          const core::Id& user_id, core::MemberRole role);

    Result<core::Conversation> add_to_organization(const Caller& caller,
                                                   const core::Id& conversation_id,
                                                   const core::Id& organization_id);

    // Hierarchies (organization groups; service/group_hierarchy.cpp). A group with child groups
    // is hierarchical: what is posted in it reaches every member of every descendant, who
    // become inherited members of it (see core::Member::via_group_id).
    // Makes child_id a child group of parent_id (conflict hierarchy_cycle, already_has_parent).
    Result<GroupLinkChange> link_parent(const Caller& caller, const core::Id& child_id,
                                        const core::Id& parent_id);
    // Takes child_id out of its parent's tree (not found "not_linked" if it has no parent).
    Result<GroupLinkChange> unlink_parent(const Caller& caller, const core::Id& child_id);
    // The group's ancestors and subtree, for any member (inherited ones included) and the
    // organization's admins.
    Result<store::GroupHierarchy> hierarchy(const Caller& caller, const core::Id& group_id);

    Result<CreatedInvite> create_invite(const Caller& caller, const core::Id& conversation_id,
                                        const NewInvite& request);
    Result<std::vector<core::Invite>> list_invites(const Caller& caller,
                                                   const core::Id& conversation_id);
    Result<void> revoke_invite(const Caller& caller, const core::Id& conversation_id,
                               const core::Id& invite_id);
    Result<InvitePreview> preview_invite(const std::string& token);
    Result<JoinedGroup> join(const Caller& caller, const std::string& token);

    // Validates a group name: 1–200 characters after trimming, UTF-8.
    static Result<std::string> clean_name(const std::string& name);
    // A type a group with this owner can have: public ones belong to an organization, and only
    // they can be managed.
    static Result<void> check_group_type(const core::Owner& owner, const GroupTypeChoice& type);

private:
    Result<core::User> user_for_phone(const std::string& phone, const std::string& region);
    // An announcement; `about` names the person it concerns, in `role`, so that one about a
    // public group's subscriber is private to them (authz::private_to).
    core::Message system_message(const core::Conversation& conversation, std::string text,
                                 const std::optional<core::Id>& about = std::nullopt,
                                 core::MemberRole role = core::MemberRole::admin);
    Result<core::Conversation> create_group_owned(const Caller& caller, const std::string& name,
                                                  const core::Owner& owner,
                                                  const GroupTypeChoice& type);
    // Subscribers do not hear of members who are not admins, so when an admin leaves a public
    // group they learn of it as a change to the group (their admin list).
    void announce_admin_left(const core::Conversation& conversation, core::MemberRole role);
    std::string display_name(const core::User& user) const;
    Result<ConversationView> view_of(ConversationAccess access);
    // After removing a direct member: if they are still in a descendant group they stay on as
    // an inherited member, and clients hear that after the removal.
    Result<void> announce_still_inherited(const core::Id& conversation_id, const core::Id& user_id);

    store::Store& store_;
    Access& access_;
    EventSink& events_;
    const Clock& clock_;
    std::string default_region_;
};

}  // namespace parley::service
