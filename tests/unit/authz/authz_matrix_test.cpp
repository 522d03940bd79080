// The permission matrix (seed 004 roles, seed 000 ownership and work-account rules) as one table.
//
// Each row names a set of cases (actions × owner × kind × membership × actor × policies ×
// authorship × conversation rules × policy change × group type) and the one outcome the spec
// gives them: allowed, or the exact ErrorKind and code. The last three columns are optional: a
// row without them covers every value.
// The expectations come from the spec, not from authz.cpp: a failing row is either a bug in the
// code or a spec question for the lead, never something to "fix" by copying the code's answer.
// Where the spec leaves the order of two refusals open, the row says which one we chose.
//
// The table must partition the whole case space: EveryCaseHasExactlyOneRow fails on a gap or an
// overlap, and the action lists are probed through to_string() so that a new enum value without
// rows fails the suite.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "authz/authz.hpp"
#include "common/result.hpp"
#include "core/types.hpp"
#include "unit/authz/case_set.hpp"

namespace parley::authz {
namespace {

using core::ConversationKind;
using core::MemberRole;
using core::OrgRole;
using CA = ConversationAction;
using OA = OrgAction;
using PA = PersonAction;

// ---- The dimensions of a case ----------------------------------------------------------------

// Who asks, relative to the organization that owns (or, for add_to_organization, is the target
// of) the resource. "Linked" = signed in to that organization's work account.
enum class ActorKind { admin_linked, admin_unlinked, member_linked, member_unlinked, outsider };
// The actor's place in the conversation (for a chat, group_admin is just a role value).
enum class Membership { group_admin, group_member, not_member };
enum class OwnerKind { private_, organization };
// The owning (or target) organization's policies: parley_enabled × groups_require_work_account.
enum class Policy { enabled_open, enabled_gwa, disabled_open, disabled_gwa };
enum class Authorship { not_author, author };
// The conversation's effective policies (tenant with group overrides, issue 4): all at their
// defaults, which restrict nothing, or all restrictive (copy, share and forward restricted, no
// history for new members, no delete for everyone, no invite links).
enum class Rules { permissive, restrictive };
// set_policies only: whether the tenant lets group admins set group policies, and whether the
// requested change is looser than the tenant's policies.
enum class Change { tighten, loosen, tighten_locked, loosen_locked };
// The group's place in a hierarchy (organization groups): flat (no child groups, or a leaf),
// a parent (has child groups), or the actor is only an inherited member (through a child group,
// so the group is a parent). Only send_message and leave depend on it; the other actions are
// asked with "flat", and inherited membership exists only for group members of organization
// groups.
enum class Place { flat, parent, inherited };

// The group's stored type (issue 4). Only organization groups can be public (private groups
// and chats are always flat, and only flat is asked of them); a managed public group admits
// only the people its admins add.
enum class TypeKind { flat, public_open, public_managed };

const std::vector<ActorKind> kActorKinds = {ActorKind::admin_linked, ActorKind::admin_unlinked,
                                            ActorKind::member_linked, ActorKind::member_unlinked,
                                            ActorKind::outsider};
const std::vector<Membership> kMemberships = {Membership::group_admin, Membership::group_member,
                                              Membership::not_member};
const std::vector<OwnerKind> kOwnerKinds = {OwnerKind::private_, OwnerKind::organization};
const std::vector<ConversationKind> kConversationKinds = {ConversationKind::chat,
                                                          ConversationKind::group};
const std::vector<Policy> kPolicies = {Policy::enabled_open, Policy::enabled_gwa,
                                       Policy::disabled_open, Policy::disabled_gwa};
const std::vector<Rules> kAllRules = {Rules::permissive, Rules::restrictive};
const std::vector<Change> kChanges = {Change::tighten, Change::loosen, Change::tighten_locked,
                                      Change::loosen_locked};
const std::vector<Place> kPlaces = {Place::flat, Place::parent, Place::inherited};
const std::vector<TypeKind> kTypeKinds = {TypeKind::flat, TypeKind::public_open,
                                          TypeKind::public_managed};

// Actors.
constexpr auto kAdminLinked = of(ActorKind::admin_linked);
constexpr auto kAdminUnlinked = of(ActorKind::admin_unlinked);
constexpr auto kMemberLinked = of(ActorKind::member_linked);
constexpr auto kMemberUnlinked = of(ActorKind::member_unlinked);
constexpr auto kOutsider = of(ActorKind::outsider);
constexpr auto kOrgAdmins = kAdminLinked | kAdminUnlinked;
constexpr auto kOrgMembers = kMemberLinked | kMemberUnlinked;
constexpr auto kInDirectory = kOrgAdmins | kOrgMembers;
constexpr auto kNotOrgAdmins = kOrgMembers | kOutsider;
constexpr auto kLinked = kAdminLinked | kMemberLinked;
constexpr auto kUnlinked = kAdminUnlinked | kMemberUnlinked | kOutsider;
constexpr auto kUnlinkedNonAdmins = kMemberUnlinked | kOutsider;
constexpr auto kAnyActor = kInDirectory | kOutsider;

// Conversation membership.
constexpr auto kGroupAdmin = of(Membership::group_admin);
constexpr auto kGroupMember = of(Membership::group_member);
constexpr auto kNotMember = of(Membership::not_member);
constexpr auto kMember = kGroupAdmin | kGroupMember;

// Owner and kind.
constexpr auto kPrivate = of(OwnerKind::private_);
constexpr auto kOrg = of(OwnerKind::organization);
constexpr auto kChat = of(ConversationKind::chat);
constexpr auto kGroup = of(ConversationKind::group);
constexpr auto kAnyKind = kChat | kGroup;

// Policies of the owning (or target) organization. "Open" groups admit unlinked people;
// "gwa" = groups_require_work_account.
constexpr auto kEnabledOpen = of(Policy::enabled_open);
constexpr auto kEnabledGwa = of(Policy::enabled_gwa);
constexpr auto kEnabled = kEnabledOpen | kEnabledGwa;
constexpr auto kDisabled = of(Policy::disabled_open, Policy::disabled_gwa);
constexpr auto kAnyPolicy = kEnabled | kDisabled;

// Authorship of the target message; only edit_message and delete_message have both values.
constexpr auto kAuthor = of(Authorship::author);
constexpr auto kNotAuthor = of(Authorship::not_author);
constexpr auto kAnyAuthor = kAuthor | kNotAuthor;

// Conversation rules; every action is asked under both.
constexpr auto kPermissive = of(Rules::permissive);
constexpr auto kRestrictive = of(Rules::restrictive);
constexpr auto kAnyRules = kPermissive | kRestrictive;

// Policy changes; only set_policies has more than Change::tighten.
constexpr auto kTighten = of(Change::tighten);
constexpr auto kLoosen = of(Change::loosen);
constexpr auto kLocked = of(Change::tighten_locked, Change::loosen_locked);
constexpr auto kAnyChange = kTighten | kLoosen | kLocked;

// Places in a hierarchy.
constexpr auto kFlatPlace = of(Place::flat);
constexpr auto kParent = of(Place::parent);
constexpr auto kInherited = of(Place::inherited);
constexpr auto kDirect = kFlatPlace | kParent;  // the actor's own membership, if any
constexpr auto kAnyPlace = kDirect | kInherited;
// Group types; every organization group is asked as each.
constexpr auto kFlatType = of(TypeKind::flat);
constexpr auto kPublicOpen = of(TypeKind::public_open);
constexpr auto kPublicManaged = of(TypeKind::public_managed);
constexpr auto kPublic = kPublicOpen | kPublicManaged;
constexpr auto kLinkable = kFlatType | kPublicOpen;  // groups that may have invite links
constexpr auto kAnyType = kFlatType | kPublic;

// Conversation actions.
constexpr auto kPlainUse = of(CA::view_info, CA::read_messages, CA::send_message, CA::mark_read);
constexpr auto kEdit = of(CA::edit_message);
constexpr auto kDelete = of(CA::delete_message);
constexpr auto kLeave = of(CA::leave);
constexpr auto kAddToOrg = of(CA::add_to_organization);
constexpr auto kManage =
    of(CA::add_member, CA::remove_member, CA::set_member_role, CA::rename, CA::manage_invites);
constexpr auto kCreateInvite = of(CA::create_invite);
constexpr auto kManageAll = kManage | kCreateInvite;  // what group admins may do
constexpr auto kJoin = of(CA::join_by_invite);
constexpr auto kForward = of(CA::forward_from);
constexpr auto kEarlier = of(CA::read_earlier_history);
constexpr auto kPolicyReads = kForward | kEarlier;  // member use, then one policy
constexpr auto kSetPolicies = of(CA::set_policies);
// Exporting a group's membership and viewing its activity report (seed 004, "View Reports":
// organization admins and the group's direct admins): managing, for organization groups only.
constexpr auto kExport = of(CA::export_members, CA::view_report);
constexpr auto kViewHierarchy = of(CA::view_hierarchy);
constexpr auto kSend = of(CA::send_message);
// Seeing the whole conversation: what a public group's subscribers are refused.
constexpr auto kWholeViews = of(CA::view_all_members, CA::read_subscriber_messages);
constexpr auto kMemberUse =
    kPlainUse | kEdit | kDelete | kPolicyReads | kWholeViews;  // behind the gate
constexpr auto kAllButManage = kMemberUse | kLeave | kAddToOrg;

// Organization actions.
constexpr auto kPortal =
    of(OA::manage_organization, OA::manage_directory, OA::create_organization_group,
       OA::view_all_groups, OA::manage_attributes, OA::restore_people, OA::run_imports,
       OA::view_imports, OA::export_people, OA::view_exports, OA::create_public_group,
       OA::view_reports);
constexpr auto kAllOrgActions =
    kPortal | of(OA::view_organization, OA::view_directory, OA::start_organization_chat);

// ---- Expected outcomes ------------------------------------------------------------------------

struct Expect {
    std::optional<ErrorKind> kind;  // nullopt: allowed
    std::string_view code;
};

constexpr Expect kAllowed{};
constexpr Expect not_found(std::string_view code) { return {ErrorKind::not_found, code}; }
constexpr Expect forbidden(std::string_view code) { return {ErrorKind::forbidden, code}; }
constexpr Expect conflict(std::string_view code) { return {ErrorKind::conflict, code}; }

std::string describe(const Expect& e) {
    if (!e.kind) return "allowed";
    return std::string(to_string(*e.kind)) + " \"" + std::string(e.code) + "\"";
}

std::string describe(const Result<void>& r) {
    if (r) return "allowed";
    return std::string(to_string(r.error().kind)) + " \"" + r.error().code + "\"";
}

// ---- The conversation table ------------------------------------------------------------------

struct ConversationRow {
    const char* name;
    Set<CA> actions;
    Set<OwnerKind> owners;
    Set<ConversationKind> kinds;
    Set<Membership> memberships;
    Set<ActorKind> actors;
    Set<Policy> policies;
    Set<Authorship> authorship;
    Expect expect;
    Set<Rules> rules = kAnyRules;
    Set<Change> changes = kAnyChange;
    Set<Place> places = kAnyPlace;
    Set<TypeKind> types = kAnyType;
};

void PrintTo(const ConversationRow& row, std::ostream* os) { *os << row.name; }

// Columns: name; actions, owner, kind, membership, actor, policies, authorship; outcome;
// optionally conversation rules, policy change and group type.
// clang-format off
const std::vector<ConversationRow> kConversationRows = {
    // ---- Private conversations: owned by their participants; no organization admin has any
    // power over them, and their policies do not apply. Non-members learn nothing.
    {"private_not_member_hidden",
        kAllButManage, kPrivate, kAnyKind, kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    {"private_group_management_hidden_from_non_members",
        kManageAll | kSetPolicies | kExport, kPrivate, kGroup, kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    // "Non-members get not_found for everything": a chat's kind is not revealed to strangers.
    {"private_chat_management_hidden_from_non_members",
        kManageAll | kSetPolicies | kExport, kPrivate, kChat, kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},

    // The organization's rules do not reach private conversations, however they are set.
    {"private_member_uses",
        kPlainUse | kPolicyReads | kWholeViews, kPrivate, kAnyKind, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        kAllowed},
    {"private_author_edits",
        kEdit, kPrivate, kAnyKind, kMember, kAnyActor, kAnyPolicy, kAuthor,
        kAllowed},
    {"private_non_author_cannot_edit",
        kEdit, kPrivate, kAnyKind, kMember, kAnyActor, kAnyPolicy, kNotAuthor,
        forbidden("not_author")},
    {"private_author_deletes",
        kDelete, kPrivate, kAnyKind, kMember, kAnyActor, kAnyPolicy, kAuthor,
        kAllowed},
    {"private_group_admin_deletes_any_message",
        kDelete, kPrivate, kGroup, kGroupAdmin, kAnyActor, kAnyPolicy, kNotAuthor,
        kAllowed},
    // Org admins included: the organization has no power over a private group.
    {"private_group_member_cannot_delete_others",
        kDelete, kPrivate, kGroup, kGroupMember, kAnyActor, kAnyPolicy, kNotAuthor,
        forbidden("not_author")},
    {"private_chat_cannot_delete_others",
        kDelete, kPrivate, kChat, kMember, kAnyActor, kAnyPolicy, kNotAuthor,
        forbidden("not_author")},

    {"private_group_member_leaves",
        kLeave, kPrivate, kGroup, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        kAllowed},
    {"private_chat_cannot_be_left",
        kLeave, kPrivate, kChat, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_a_group")},

    {"private_chat_has_no_management",
        kManageAll | kSetPolicies | kExport, kPrivate, kChat, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_a_group")},
    {"private_group_admin_manages",
        kManageAll, kPrivate, kGroup, kGroupAdmin, kAnyActor, kAnyPolicy, kAnyAuthor,
        kAllowed},
    {"private_group_member_cannot_manage",
        kManageAll, kPrivate, kGroup, kGroupMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        forbidden("group_admin_required")},
    {"private_group_has_no_organization_policies",
        kSetPolicies, kPrivate, kGroup, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_organization_group")},
    // An organization exports what it owns; a private group's admins have nothing to export.
    {"private_group_membership_not_exported",
        kExport, kPrivate, kGroup, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_organization_group")},

    // Invite links: only groups have them; a private group's link admits anyone, members
    // included (joining again changes nothing).
    {"chat_has_no_invite_links",
        kJoin, kPrivate | kOrg, kChat, kMember | kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_a_group")},
    {"private_group_link_admits_anyone",
        kJoin, kPrivate, kGroup, kMember | kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        kAllowed},
    // Organization groups: a link the organization has turned off is dead for everyone; the
    // sign-in gate comes after it, so nobody is sent to sign in for nothing.
    // A managed public group's links are dead whatever else holds: it has none.
    {"managed_public_group_refuses_links",
        kJoin, kOrg, kGroup, kMember | kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        forbidden("managed_public_group"), kAnyRules, kAnyChange, kAnyPlace, kPublicManaged},
    {"org_group_links_off",
        kJoin, kOrg, kGroup, kMember | kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        forbidden("invite_links_disabled"), kRestrictive, kAnyChange, kAnyPlace, kLinkable},
    {"org_group_link_refused_while_disabled",
        kJoin, kOrg, kGroup, kMember | kNotMember, kAnyActor, kDisabled, kAnyAuthor,
        forbidden("organization_disabled"), kPermissive, kAnyChange, kAnyPlace, kLinkable},
    {"org_group_link_needs_work_account_under_gwa",
        kJoin, kOrg, kGroup, kMember | kNotMember, kUnlinked, kEnabledGwa, kAnyAuthor,
        forbidden("work_account_required"), kPermissive, kAnyChange, kAnyPlace, kLinkable},
    {"org_group_link_admits_linked_people_under_gwa",
        kJoin, kOrg, kGroup, kMember | kNotMember, kLinked, kEnabledGwa, kAnyAuthor,
        kAllowed, kPermissive, kAnyChange, kAnyPlace, kLinkable},
    // Subscribers of an unmanaged public group join by link like anyone (seed: "Members can
    // subscribe to a public group using a link").
    {"org_open_group_link_admits_anyone",
        kJoin, kOrg, kGroup, kMember | kNotMember, kAnyActor, kEnabledOpen, kAnyAuthor,
        kAllowed, kPermissive, kAnyChange, kAnyPlace, kLinkable},

    // add_to_organization: actor and policies are those of the target organization.
    {"private_chat_cannot_join_organization",
        kAddToOrg, kPrivate, kChat, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("chat_cannot_join_organization")},
    {"private_group_member_cannot_add_to_organization",
        kAddToOrg, kPrivate, kGroup, kGroupMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        forbidden("group_admin_required")},
    {"private_group_admin_linked_adds_to_organization",
        kAddToOrg, kPrivate, kGroup, kGroupAdmin, kLinked, kEnabled, kAnyAuthor,
        kAllowed},
    {"private_group_admin_linked_cannot_add_to_disabled_organization",
        kAddToOrg, kPrivate, kGroup, kGroupAdmin, kLinked, kDisabled, kAnyAuthor,
        forbidden("organization_disabled")},
    // Code not given by the spec; the sign-in is asked for before the org's state is revealed.
    {"private_group_admin_unlinked_cannot_add_to_organization",
        kAddToOrg, kPrivate, kGroup, kGroupAdmin, kAdminUnlinked | kMemberUnlinked, kAnyPolicy,
        kAnyAuthor,
        forbidden("work_account_required")},
    // Code not given by the spec: one cannot link a work account without being in the directory.
    {"private_group_admin_outside_directory_cannot_add_to_organization",
        kAddToOrg, kPrivate, kGroup, kGroupAdmin, kOutsider, kAnyPolicy, kAnyAuthor,
        forbidden("work_account_required")},

    // ---- Organization conversations, non-members. Only the owning organization's admins see
    // anything: an organization group's info, and its management (even while disabled).
    {"org_not_member_hidden",
        of(CA::read_messages, CA::send_message, CA::mark_read, CA::edit_message,
           CA::delete_message, CA::leave, CA::add_to_organization, CA::forward_from,
           CA::read_earlier_history, CA::read_subscriber_messages),
        kOrg, kAnyKind, kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    {"org_group_info_for_org_admins",
        of(CA::view_info, CA::view_all_members), kOrg, kGroup, kNotMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        kAllowed},
    {"org_group_info_hidden_from_non_admins",
        of(CA::view_info, CA::view_all_members), kOrg, kGroup, kNotMember, kNotOrgAdmins, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    {"org_chat_info_hidden_from_non_admins",
        of(CA::view_info, CA::view_all_members), kOrg, kChat, kNotMember, kNotOrgAdmins, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    // The spec grants non-member org admins the info of organization *groups* only; other
    // people's 1:1 organization chats stay hidden.
    {"org_chat_info_hidden_from_org_admins",
        of(CA::view_info, CA::view_all_members), kOrg, kChat, kNotMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    // Organization admins set every group's policies, in either direction (the tenant is theirs).
    {"org_group_managed_by_non_member_org_admins",
        kManage | kSetPolicies | kExport, kOrg, kGroup, kNotMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        kAllowed},
    {"org_group_management_hidden_from_non_members",
        kManageAll | kSetPolicies | kExport, kOrg, kGroup, kNotMember, kNotOrgAdmins, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    // Non-members get not_found; the org-admin exception is for groups, and a chat has none.
    {"org_chat_management_hidden_from_non_members",
        kManageAll | kSetPolicies | kExport, kOrg, kChat, kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},

    // ---- Organization conversations, members: the organization's gate first (disabled, then
    // work account: always for chats, for groups under gwa), then the action's own rule.
    {"org_disabled_closes_conversations",
        kMemberUse, kOrg, kAnyKind, kMember, kAnyActor, kDisabled, kAnyAuthor,
        forbidden("organization_disabled")},
    {"org_chat_needs_work_account",
        kMemberUse, kOrg, kChat, kMember, kUnlinked, kEnabled, kAnyAuthor,
        forbidden("work_account_required")},
    {"org_group_policy_needs_work_account",
        kMemberUse, kOrg, kGroup, kMember, kUnlinked, kEnabledGwa, kAnyAuthor,
        forbidden("work_account_required")},

    // Past the gate: linked members of an enabled org (chats and groups), or anyone in an
    // enabled org's open group.
    {"org_linked_member_uses",
        kPlainUse, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kFlatPlace},
    {"org_open_group_unlinked_member_uses",
        kPlainUse, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kFlatPlace},

    // ---- Hierarchies (Kaizala's hierarchical groups). Past the gate: in a group with child
    // groups, what is posted reaches every descendant, so members may not send text there
    // (announcements and cards only); its admins and the organization's admins may, which is
    // how announcements go down the tree until cards exist. Inherited members (in a child
    // group only) never post to the parent: child groups cannot post to parents or peers.
    {"parent_group_members_cannot_send_text",
        kSend, kOrg, kGroup, kGroupMember, kMemberLinked, kEnabled, kAnyAuthor,
        forbidden("parent_group_text_refused"), kAnyRules, kAnyChange, kParent},
    {"open_parent_group_unlinked_members_cannot_send_text",
        kSend, kOrg, kGroup, kGroupMember, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        forbidden("parent_group_text_refused"), kAnyRules, kAnyChange, kParent},
    {"parent_group_admins_send_text",
        kSend, kOrg, kGroup, kGroupAdmin, kLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kParent},
    {"parent_group_org_admin_members_send_text",
        kSend, kOrg, kGroup, kGroupMember, kAdminLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kParent},
    {"open_parent_group_unlinked_admins_send_text",
        kSend, kOrg, kGroup, kGroupAdmin, kUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kParent},
    {"open_parent_group_unlinked_org_admin_members_send_text",
        kSend, kOrg, kGroup, kGroupMember, kAdminUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kParent},
    // Organization admins included: through a child group they are readers here.
    {"inherited_members_cannot_send",
        kSend, kOrg, kGroup, kGroupMember, kLinked, kEnabled, kAnyAuthor,
        forbidden("inherited_member_cannot_send"), kAnyRules, kAnyChange, kInherited},
    {"open_group_unlinked_inherited_members_cannot_send",
        kSend, kOrg, kGroup, kGroupMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        forbidden("inherited_member_cannot_send"), kAnyRules, kAnyChange, kInherited},
    // Leaving a parent group one is in only through a child group means leaving the child.
    {"inherited_members_leave_the_child_instead",
        kLeave, kOrg, kGroup, kGroupMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("inherited_membership"), kAnyRules, kAnyChange, kInherited},

    // Viewing a group's hierarchy (seed 004: every role sees the hierarchy of the organization
    // groups they are in; organization admins see every group's). Chats have none.
    {"hierarchy_hidden_from_non_members_of_private_conversations",
        kViewHierarchy, kPrivate, kAnyKind, kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    {"org_chat_hierarchy_hidden_from_non_members",
        kViewHierarchy, kOrg, kChat, kNotMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    {"org_group_hierarchy_for_org_admins",
        kViewHierarchy, kOrg, kGroup, kNotMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        kAllowed},
    {"org_group_hierarchy_hidden_from_non_admins",
        kViewHierarchy, kOrg, kGroup, kNotMember, kNotOrgAdmins, kAnyPolicy, kAnyAuthor,
        not_found("conversation_not_found")},
    {"chat_has_no_hierarchy",
        kViewHierarchy, kPrivate | kOrg, kChat, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_a_group")},
    {"private_group_members_view_hierarchy",
        kViewHierarchy, kPrivate, kGroup, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        kAllowed},
    {"org_disabled_hides_hierarchy_from_members",
        kViewHierarchy, kOrg, kGroup, kMember, kAnyActor, kDisabled, kAnyAuthor,
        forbidden("organization_disabled")},
    {"org_group_policy_needs_work_account_for_hierarchy",
        kViewHierarchy, kOrg, kGroup, kMember, kUnlinked, kEnabledGwa, kAnyAuthor,
        forbidden("work_account_required")},
    {"org_group_members_view_hierarchy",
        kViewHierarchy, kOrg, kGroup, kMember, kLinked, kEnabled, kAnyAuthor,
        kAllowed},
    {"org_open_group_unlinked_members_view_hierarchy",
        kViewHierarchy, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed},

    // Public groups: the subscribers (non-admin members) see the admins and themselves, and of
    // the messages those for everyone and their own (the rows above let them read, send and
    // mark read; what they send is private to them and the admins: authz::private_to).
    // Everyone else sees the whole conversation; organization admins see every member.
    {"org_linked_member_sees_whole_flat_conversation",
        kWholeViews, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kAnyPlace, kFlatType},
    {"org_linked_public_group_admin_sees_whole_group",
        kWholeViews, kOrg, kGroup, kGroupAdmin, kLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kAnyPlace, kPublic},
    {"org_admin_linked_subscriber_sees_all_members",
        of(CA::view_all_members), kOrg, kGroup, kGroupMember, kAdminLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kAnyPlace, kPublic},
    {"org_linked_subscriber_sees_admins_and_self_only",
        of(CA::view_all_members), kOrg, kGroup, kGroupMember, kMemberLinked, kEnabled, kAnyAuthor,
        forbidden("subscribers_hidden"), kAnyRules, kAnyChange, kAnyPlace, kPublic},
    // Organization admins included: the private replies are the group admins' to read.
    {"org_linked_subscriber_reads_own_part_only",
        of(CA::read_subscriber_messages), kOrg, kGroup, kGroupMember, kLinked, kEnabled, kAnyAuthor,
        forbidden("subscriber_messages_hidden"), kAnyRules, kAnyChange, kAnyPlace, kPublic},
    {"org_open_group_unlinked_member_sees_whole_flat_group",
        kWholeViews, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kAnyPlace, kFlatType},
    {"org_open_public_group_unlinked_admin_sees_whole_group",
        kWholeViews, kOrg, kGroup, kGroupAdmin, kUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kAnyPlace, kPublic},
    {"org_admin_unlinked_subscriber_sees_all_members",
        of(CA::view_all_members), kOrg, kGroup, kGroupMember, kAdminUnlinked, kEnabledOpen,
        kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kAnyPlace, kPublic},
    {"org_open_public_group_unlinked_subscriber_sees_admins_and_self_only",
        of(CA::view_all_members), kOrg, kGroup, kGroupMember, kUnlinkedNonAdmins, kEnabledOpen,
        kAnyAuthor,
        forbidden("subscribers_hidden"), kAnyRules, kAnyChange, kAnyPlace, kPublic},
    {"org_open_public_group_unlinked_subscriber_reads_own_part_only",
        of(CA::read_subscriber_messages), kOrg, kGroup, kGroupMember, kUnlinked, kEnabledOpen,
        kAnyAuthor,
        forbidden("subscriber_messages_hidden"), kAnyRules, kAnyChange, kAnyPlace, kPublic},

    // Past the gate, forwarding out and reading what came before one joined follow the rules.
    {"org_linked_member_forwards_and_reads_earlier_history",
        kPolicyReads, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAnyAuthor,
        kAllowed, kPermissive},
    {"org_linked_member_forward_restricted",
        kForward, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAnyAuthor,
        forbidden("forward_restricted"), kRestrictive},
    {"org_linked_member_history_hidden",
        kEarlier, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAnyAuthor,
        forbidden("history_hidden"), kRestrictive},
    {"org_open_group_unlinked_member_forwards_and_reads_earlier_history",
        kPolicyReads, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed, kPermissive},
    {"org_open_group_unlinked_member_forward_restricted",
        kForward, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        forbidden("forward_restricted"), kRestrictive},
    {"org_open_group_unlinked_member_history_hidden",
        kEarlier, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        forbidden("history_hidden"), kRestrictive},

    {"org_linked_author_edits",
        kEdit, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAuthor,
        kAllowed},
    {"org_linked_non_author_cannot_edit",
        kEdit, kOrg, kAnyKind, kMember, kLinked, kEnabled, kNotAuthor,
        forbidden("not_author")},
    {"org_open_group_unlinked_author_edits",
        kEdit, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAuthor,
        kAllowed},
    {"org_open_group_unlinked_non_author_cannot_edit",
        kEdit, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kNotAuthor,
        forbidden("not_author")},

    {"org_linked_author_deletes",
        kDelete, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAuthor,
        kAllowed, kPermissive},
    {"org_open_group_unlinked_author_deletes",
        kDelete, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAuthor,
        kAllowed, kPermissive},
    // In a chat nobody deletes another's message, organization admins included.
    {"org_chat_non_author_cannot_delete",
        kDelete, kOrg, kChat, kMember, kLinked, kEnabled, kNotAuthor,
        forbidden("not_author"), kPermissive},
    {"org_group_admin_linked_deletes_any_message",
        kDelete, kOrg, kGroup, kGroupAdmin, kLinked, kEnabled, kNotAuthor,
        kAllowed, kPermissive},
    {"org_open_group_admin_unlinked_deletes_any_message",
        kDelete, kOrg, kGroup, kGroupAdmin, kUnlinked, kEnabledOpen, kNotAuthor,
        kAllowed, kPermissive},
    {"org_admin_linked_member_deletes_any_message",
        kDelete, kOrg, kGroup, kGroupMember, kAdminLinked, kEnabled, kNotAuthor,
        kAllowed, kPermissive},
    {"org_open_group_org_admin_unlinked_member_deletes_any_message",
        kDelete, kOrg, kGroup, kGroupMember, kAdminUnlinked, kEnabledOpen, kNotAuthor,
        kAllowed, kPermissive},
    // No deleting for everyone where the organization forbids it: authors and admins alike.
    {"org_linked_delete_for_everyone_disabled",
        kDelete, kOrg, kAnyKind, kMember, kLinked, kEnabled, kAnyAuthor,
        forbidden("delete_for_everyone_disabled"), kRestrictive},
    {"org_open_group_unlinked_delete_for_everyone_disabled",
        kDelete, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        forbidden("delete_for_everyone_disabled"), kRestrictive},
    {"org_group_linked_member_cannot_delete_others",
        kDelete, kOrg, kGroup, kGroupMember, kMemberLinked, kEnabled, kNotAuthor,
        forbidden("not_author"), kPermissive},
    {"org_open_group_unlinked_member_cannot_delete_others",
        kDelete, kOrg, kGroup, kGroupMember, kUnlinkedNonAdmins, kEnabledOpen, kNotAuthor,
        forbidden("not_author"), kPermissive},

    // Leaving. Spec order between "chat" and the gate is open; a chat is never left.
    {"org_chat_cannot_be_left",
        kLeave, kOrg, kChat, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_a_group")},
    // The spec's organization gate names no exception for leaving.
    // Leaving is never gated: people can always leave a group they can no longer use.
    {"org_disabled_group_can_still_be_left",
        kLeave, kOrg, kGroup, kMember, kAnyActor, kDisabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kDirect},
    {"org_group_policy_does_not_stop_leaving",
        kLeave, kOrg, kGroup, kMember, kUnlinked, kEnabledGwa, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kDirect},
    {"org_group_linked_member_leaves",
        kLeave, kOrg, kGroup, kMember, kLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kDirect},
    {"org_open_group_unlinked_member_leaves",
        kLeave, kOrg, kGroup, kMember, kUnlinked, kEnabledOpen, kAnyAuthor,
        kAllowed, kAnyRules, kAnyChange, kDirect},

    // Management by members. Org admins manage their organization's groups whatever their
    // membership, sign-in or the org's state; everyone else passes the gate, then needs to be
    // a group admin (spec order between gate and role is open; gate first).
    {"org_chat_has_no_management",
        kManageAll | kSetPolicies | kExport, kOrg, kChat, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("not_a_group")},
    {"org_group_managed_by_member_org_admins",
        kManage | kSetPolicies | kExport, kOrg, kGroup, kMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        kAllowed},
    // New invite links follow the policy for organization admins too (they can change it).
    {"org_admins_create_invites",
        kCreateInvite, kOrg, kGroup, kMember | kNotMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        kAllowed, kPermissive, kAnyChange, kAnyPlace, kLinkable},
    {"org_admins_cannot_create_invites_when_links_off",
        kCreateInvite, kOrg, kGroup, kMember | kNotMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        forbidden("invite_links_disabled"), kRestrictive, kAnyChange, kAnyPlace, kLinkable},
    // A managed public group has no links at all; checked before the policy, which is moot.
    {"org_admins_cannot_create_invites_to_managed_groups",
        kCreateInvite, kOrg, kGroup, kMember | kNotMember, kOrgAdmins, kAnyPolicy, kAnyAuthor,
        forbidden("managed_public_group"), kAnyRules, kAnyChange, kAnyPlace, kPublicManaged},
    {"org_disabled_group_admins_cannot_manage",
        kManageAll | kSetPolicies | kExport, kOrg, kGroup, kMember, kNotOrgAdmins, kDisabled, kAnyAuthor,
        forbidden("organization_disabled")},
    {"org_group_policy_needs_work_account_to_manage",
        kManageAll | kSetPolicies | kExport, kOrg, kGroup, kMember, kUnlinkedNonAdmins, kEnabledGwa, kAnyAuthor,
        forbidden("work_account_required")},
    {"org_group_admin_linked_manages",
        kManage | kExport, kOrg, kGroup, kGroupAdmin, kMemberLinked, kEnabled, kAnyAuthor,
        kAllowed},
    {"org_open_group_admin_unlinked_manages",
        kManage | kExport, kOrg, kGroup, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        kAllowed},
    {"org_group_admin_linked_creates_invites",
        kCreateInvite, kOrg, kGroup, kGroupAdmin, kMemberLinked, kEnabled, kAnyAuthor,
        kAllowed, kPermissive, kAnyChange, kAnyPlace, kLinkable},
    {"org_group_admin_linked_cannot_create_invites_when_links_off",
        kCreateInvite, kOrg, kGroup, kGroupAdmin, kMemberLinked, kEnabled, kAnyAuthor,
        forbidden("invite_links_disabled"), kRestrictive, kAnyChange, kAnyPlace, kLinkable},
    {"org_group_admin_linked_cannot_create_invites_to_managed_groups",
        kCreateInvite, kOrg, kGroup, kGroupAdmin, kMemberLinked, kEnabled, kAnyAuthor,
        forbidden("managed_public_group"), kAnyRules, kAnyChange, kAnyPlace, kPublicManaged},
    {"org_open_group_admin_unlinked_creates_invites",
        kCreateInvite, kOrg, kGroup, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        kAllowed, kPermissive, kAnyChange, kAnyPlace, kLinkable},
    {"org_open_group_admin_unlinked_cannot_create_invites_when_links_off",
        kCreateInvite, kOrg, kGroup, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        forbidden("invite_links_disabled"), kRestrictive, kAnyChange, kAnyPlace, kLinkable},
    {"org_open_group_admin_unlinked_cannot_create_invites_to_managed_groups",
        kCreateInvite, kOrg, kGroup, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        forbidden("managed_public_group"), kAnyRules, kAnyChange, kAnyPlace, kPublicManaged},

    // Group admins set their group's policies where the tenant lets them, and only stricter
    // than the tenant (seed 000: "Both organization admins and group admins can set policies
    // for organization groups"; the organization keeps the last word).
    {"org_group_admin_linked_tightens_policies",
        kSetPolicies, kOrg, kGroup, kGroupAdmin, kMemberLinked, kEnabled, kAnyAuthor,
        kAllowed, kAnyRules, kTighten},
    {"org_group_admin_linked_cannot_loosen_policies",
        kSetPolicies, kOrg, kGroup, kGroupAdmin, kMemberLinked, kEnabled, kAnyAuthor,
        forbidden("looser_than_tenant"), kAnyRules, kLoosen},
    {"org_group_admin_linked_locked_out_of_policies",
        kSetPolicies, kOrg, kGroup, kGroupAdmin, kMemberLinked, kEnabled, kAnyAuthor,
        forbidden("group_policies_locked"), kAnyRules, kLocked},
    {"org_open_group_admin_unlinked_tightens_policies",
        kSetPolicies, kOrg, kGroup, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        kAllowed, kAnyRules, kTighten},
    {"org_open_group_admin_unlinked_cannot_loosen_policies",
        kSetPolicies, kOrg, kGroup, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        forbidden("looser_than_tenant"), kAnyRules, kLoosen},
    {"org_open_group_admin_unlinked_locked_out_of_policies",
        kSetPolicies, kOrg, kGroup, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        forbidden("group_policies_locked"), kAnyRules, kLocked},
    {"org_group_member_linked_cannot_manage",
        kManageAll | kSetPolicies | kExport, kOrg, kGroup, kGroupMember, kMemberLinked, kEnabled, kAnyAuthor,
        forbidden("group_admin_required")},
    {"org_open_group_member_unlinked_cannot_manage",
        kManageAll | kSetPolicies | kExport, kOrg, kGroup, kGroupMember, kUnlinkedNonAdmins, kEnabledOpen, kAnyAuthor,
        forbidden("group_admin_required")},

    // add_to_organization on what an organization already owns (spec order between the role
    // and "already owned" is open; the role is checked first, as for private groups).
    {"org_chat_cannot_join_organization",
        kAddToOrg, kOrg, kChat, kMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("chat_cannot_join_organization")},
    {"org_group_member_cannot_add_to_organization",
        kAddToOrg, kOrg, kGroup, kGroupMember, kAnyActor, kAnyPolicy, kAnyAuthor,
        forbidden("group_admin_required")},
    {"org_group_already_owned",
        kAddToOrg, kOrg, kGroup, kGroupAdmin, kAnyActor, kAnyPolicy, kAnyAuthor,
        conflict("already_owned")},
};
// clang-format on

// ---- The organization table ------------------------------------------------------------------

struct OrgRow {
    const char* name;
    Set<OA> actions;
    Set<ActorKind> actors;
    Set<Policy> policies;
    Expect expect;
};

void PrintTo(const OrgRow& row, std::ostream* os) { *os << row.name; }

// Columns: name; actions, actor, policies; outcome.
// clang-format off
const std::vector<OrgRow> kOrgRows = {
    {"outsider_sees_no_organization",
        kAllOrgActions, kOutsider, kAnyPolicy,
        not_found("organization_not_found")},
    {"directory_people_view_organization",
        of(OA::view_organization), kInDirectory, kEnabled,
        kAllowed},
    {"admins_and_linked_members_view_directory",
        of(OA::view_directory), kOrgAdmins | kMemberLinked, kEnabled,
        kAllowed},
    {"unlinked_member_cannot_view_directory",
        of(OA::view_directory), kMemberUnlinked, kEnabled,
        forbidden("work_account_required")},
    {"admins_run_the_portal",
        kPortal, kOrgAdmins, kAnyPolicy,
        kAllowed},
    {"members_cannot_run_the_portal",
        kPortal, kOrgMembers, kEnabled,
        forbidden("org_admin_required")},
    {"linked_people_start_organization_chats",
        of(OA::start_organization_chat), kLinked, kEnabled,
        kAllowed},
    {"unlinked_people_cannot_start_organization_chats",
        of(OA::start_organization_chat), kAdminUnlinked | kMemberUnlinked, kEnabled,
        forbidden("work_account_required")},
    {"disabled_organization_closed_to_members",
        kAllOrgActions, kOrgMembers, kDisabled,
        forbidden("organization_disabled")},
    {"admins_keep_portal_views_while_disabled",
        of(OA::view_organization, OA::view_directory), kOrgAdmins, kDisabled,
        kAllowed},
    // Starting a chat is using Parley, not the portal: closed while disabled, admins included.
    {"no_organization_chats_while_disabled",
        of(OA::start_organization_chat), kOrgAdmins, kDisabled,
        forbidden("organization_disabled")},
};
// clang-format on

// ---- The person table (user details and custom attributes) -------------------------------------

// Whose entry: the actor's own, or someone else's. For the attribute actions, whether the
// attribute is shown to all members and whether people may edit their own value (the other
// actions ignore both and are asked with every combination).
enum class Subject { self, other };
enum class Visibility { visible, hidden };
enum class Editability { self_editable, admin_only };

constexpr auto kSelf = of(Subject::self);
constexpr auto kOther = of(Subject::other);
constexpr auto kAnySubject = kSelf | kOther;
constexpr auto kVisible = of(Visibility::visible);
constexpr auto kHidden = of(Visibility::hidden);
constexpr auto kAnyVisibility = kVisible | kHidden;
constexpr auto kSelfEditable = of(Editability::self_editable);
constexpr auto kAdminOnly = of(Editability::admin_only);
constexpr auto kAnyEditability = kSelfEditable | kAdminOnly;
constexpr auto kAllPersonActions =
    of(PA::view, PA::view_groups, PA::edit, PA::view_attribute, PA::edit_attribute);

struct PersonRow {
    const char* name;
    Set<PA> actions;
    Set<ActorKind> actors;
    Set<Policy> policies;
    Set<Subject> subjects;
    Set<Visibility> visibility;
    Set<Editability> editability;
    Expect expect;
};

void PrintTo(const PersonRow& row, std::ostream* os) { *os << row.name; }

// Columns: name; actions, actor, policies, subject, visibility, editability; outcome.
// clang-format off
const std::vector<PersonRow> kPersonRows = {
    {"outsider_sees_no_one",
        kAllPersonActions, kOutsider, kAnyPolicy, kAnySubject, kAnyVisibility, kAnyEditability,
        not_found("organization_not_found")},
    // Seed 004: admins manage all users, attributes included, also while Parley is disabled.
    {"admins_see_and_edit_everyone",
        kAllPersonActions, kOrgAdmins, kAnyPolicy, kAnySubject, kAnyVisibility, kAnyEditability,
        kAllowed},
    {"disabled_organization_closed_to_members",
        kAllPersonActions, kOrgMembers, kDisabled, kAnySubject, kAnyVisibility, kAnyEditability,
        forbidden("organization_disabled")},
    {"members_see_their_own_entry_whole",
        of(PA::view, PA::view_groups, PA::view_attribute), kOrgMembers, kEnabled, kSelf, kAnyVisibility,
        kAnyEditability,
        kAllowed},
    {"linked_members_see_others",
        of(PA::view), kMemberLinked, kEnabled, kOther, kAnyVisibility, kAnyEditability,
        kAllowed},
    {"linked_members_see_attributes_shown_to_all",
        of(PA::view_attribute), kMemberLinked, kEnabled, kOther, kVisible, kAnyEditability,
        kAllowed},
    {"unlinked_members_cannot_see_others",
        of(PA::view), kMemberUnlinked, kEnabled, kOther, kAnyVisibility, kAnyEditability,
        forbidden("work_account_required")},
    {"unlinked_members_cannot_see_others_attributes",
        of(PA::view_attribute), kMemberUnlinked, kEnabled, kOther, kVisible, kAnyEditability,
        forbidden("work_account_required")},
    {"admin_only_attributes_hidden_from_members",
        of(PA::view_attribute), kOrgMembers, kEnabled, kOther, kHidden, kAnyEditability,
        forbidden("attribute_hidden")},
    {"others_groups_are_for_admins",
        of(PA::view_groups), kOrgMembers, kEnabled, kOther, kAnyVisibility, kAnyEditability,
        forbidden("org_admin_required")},
    {"members_cannot_edit_entries",
        of(PA::edit), kOrgMembers, kEnabled, kAnySubject, kAnyVisibility, kAnyEditability,
        forbidden("org_admin_required")},
    {"members_edit_their_own_self_editable_values",
        of(PA::edit_attribute), kOrgMembers, kEnabled, kSelf, kAnyVisibility, kSelfEditable,
        kAllowed},
    {"members_cannot_edit_admin_only_values",
        of(PA::edit_attribute), kOrgMembers, kEnabled, kSelf, kAnyVisibility, kAdminOnly,
        forbidden("attribute_not_editable")},
    {"members_cannot_edit_others_values",
        of(PA::edit_attribute), kOrgMembers, kEnabled, kOther, kAnyVisibility, kAnyEditability,
        forbidden("attribute_not_editable")},
};
// clang-format on

// ---- The hierarchy table (linking a group under a parent group) -------------------------------

using HA = HierarchyAction;
// The two groups: organization groups of one organization, or a pair that can never be linked
// (the child is a private group, a chat, or another organization's group).
enum class Pair { same_org, child_private, child_chat, other_org };

constexpr auto kLink = of(HA::link);
constexpr auto kUnlink = of(HA::unlink);
constexpr auto kAnyLinkAction = kLink | kUnlink;
constexpr auto kSameOrg = of(Pair::same_org);
constexpr auto kChildPrivate = of(Pair::child_private);
constexpr auto kChildChat = of(Pair::child_chat);
constexpr auto kOtherOrg = of(Pair::other_org);
constexpr auto kAnyPair = kSameOrg | kChildPrivate | kChildChat | kOtherOrg;
constexpr auto kAnyMembership = kMember | kNotMember;
constexpr auto kNotGroupAdmin = kGroupMember | kNotMember;

struct LinkRow {
    const char* name;
    Set<HA> actions;
    Set<Pair> pairs;
    Set<Membership> parent;  // the actor's membership of the parent group
    Set<Membership> child;   // and of the child group
    Set<ActorKind> actors;   // relative to the parent's organization
    Set<Policy> policies;    // of that organization
    Expect expect;
};

void PrintTo(const LinkRow& row, std::ostream* os) { *os << row.name; }

// Columns: name; actions, pair, parent membership, child membership, actor, policies; outcome.
// Linking binds both groups, so a group admin must be admin of both; unlinking undoes it, which
// either side's admin may do; organization admins do both for any of their groups. The gate
// (Parley disabled, work account required) makes a group admin no admin here. Strangers to
// both groups learn nothing; the kind of pair is checked next.
// clang-format off
const std::vector<LinkRow> kLinkRows = {
    {"strangers_to_both_groups_learn_nothing",
        kAnyLinkAction, kAnyPair, kNotMember, kNotMember, kNotOrgAdmins, kAnyPolicy,
        not_found("conversation_not_found")},

    {"org_admins_cannot_link_a_private_group",
        kAnyLinkAction, kChildPrivate, kAnyMembership, kAnyMembership, kOrgAdmins, kAnyPolicy,
        conflict("not_organization_group")},
    {"members_cannot_link_a_private_group",
        kAnyLinkAction, kChildPrivate, kMember, kAnyMembership, kNotOrgAdmins, kAnyPolicy,
        conflict("not_organization_group")},
    {"child_members_cannot_link_a_private_group",
        kAnyLinkAction, kChildPrivate, kNotMember, kMember, kNotOrgAdmins, kAnyPolicy,
        conflict("not_organization_group")},
    {"org_admins_cannot_link_a_chat",
        kAnyLinkAction, kChildChat, kAnyMembership, kAnyMembership, kOrgAdmins, kAnyPolicy,
        conflict("not_a_group")},
    {"members_cannot_link_a_chat",
        kAnyLinkAction, kChildChat, kMember, kAnyMembership, kNotOrgAdmins, kAnyPolicy,
        conflict("not_a_group")},
    {"child_members_cannot_link_a_chat",
        kAnyLinkAction, kChildChat, kNotMember, kMember, kNotOrgAdmins, kAnyPolicy,
        conflict("not_a_group")},
    {"org_admins_cannot_link_another_organizations_group",
        kAnyLinkAction, kOtherOrg, kAnyMembership, kAnyMembership, kOrgAdmins, kAnyPolicy,
        conflict("different_organization")},
    {"members_cannot_link_another_organizations_group",
        kAnyLinkAction, kOtherOrg, kMember, kAnyMembership, kNotOrgAdmins, kAnyPolicy,
        conflict("different_organization")},
    {"child_members_cannot_link_another_organizations_group",
        kAnyLinkAction, kOtherOrg, kNotMember, kMember, kNotOrgAdmins, kAnyPolicy,
        conflict("different_organization")},

    // Organization admins, also while Parley is disabled (the portal stays theirs).
    {"org_admins_link_and_unlink",
        kAnyLinkAction, kSameOrg, kAnyMembership, kAnyMembership, kOrgAdmins, kAnyPolicy,
        kAllowed},

    {"admins_of_both_link",
        kLink, kSameOrg, kGroupAdmin, kGroupAdmin, kMemberLinked, kEnabled,
        kAllowed},
    {"unlinked_admins_of_both_open_groups_link",
        kLink, kSameOrg, kGroupAdmin, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen,
        kAllowed},
    {"admins_of_both_need_work_account_to_link",
        kLink, kSameOrg, kGroupAdmin, kGroupAdmin, kUnlinkedNonAdmins, kEnabledGwa,
        forbidden("group_admin_required")},
    {"admins_of_both_cannot_link_while_disabled",
        kLink, kSameOrg, kGroupAdmin, kGroupAdmin, kNotOrgAdmins, kDisabled,
        forbidden("group_admin_required")},
    {"parent_admin_alone_cannot_link",
        kLink, kSameOrg, kGroupAdmin, kNotGroupAdmin, kNotOrgAdmins, kAnyPolicy,
        forbidden("group_admin_required")},
    {"parent_members_cannot_link",
        kLink, kSameOrg, kGroupMember, kAnyMembership, kNotOrgAdmins, kAnyPolicy,
        forbidden("group_admin_required")},
    {"child_side_alone_cannot_link",
        kLink, kSameOrg, kNotMember, kMember, kNotOrgAdmins, kAnyPolicy,
        forbidden("group_admin_required")},

    {"parent_admins_unlink",
        kUnlink, kSameOrg, kGroupAdmin, kAnyMembership, kMemberLinked, kEnabled,
        kAllowed},
    {"unlinked_parent_admins_of_open_groups_unlink",
        kUnlink, kSameOrg, kGroupAdmin, kAnyMembership, kUnlinkedNonAdmins, kEnabledOpen,
        kAllowed},
    {"child_admins_unlink",
        kUnlink, kSameOrg, kNotGroupAdmin, kGroupAdmin, kMemberLinked, kEnabled,
        kAllowed},
    {"unlinked_child_admins_of_open_groups_unlink",
        kUnlink, kSameOrg, kNotGroupAdmin, kGroupAdmin, kUnlinkedNonAdmins, kEnabledOpen,
        kAllowed},
    {"parent_admins_need_work_account_to_unlink",
        kUnlink, kSameOrg, kGroupAdmin, kAnyMembership, kUnlinkedNonAdmins, kEnabledGwa,
        forbidden("group_admin_required")},
    {"child_admins_need_work_account_to_unlink",
        kUnlink, kSameOrg, kNotGroupAdmin, kGroupAdmin, kUnlinkedNonAdmins, kEnabledGwa,
        forbidden("group_admin_required")},
    {"parent_admins_cannot_unlink_while_disabled",
        kUnlink, kSameOrg, kGroupAdmin, kAnyMembership, kNotOrgAdmins, kDisabled,
        forbidden("group_admin_required")},
    {"child_admins_cannot_unlink_while_disabled",
        kUnlink, kSameOrg, kNotGroupAdmin, kGroupAdmin, kNotOrgAdmins, kDisabled,
        forbidden("group_admin_required")},
    {"members_of_either_cannot_unlink",
        kUnlink, kSameOrg, kGroupMember, kNotGroupAdmin, kNotOrgAdmins, kAnyPolicy,
        forbidden("group_admin_required")},
    {"child_members_cannot_unlink",
        kUnlink, kSameOrg, kNotMember, kGroupMember, kNotOrgAdmins, kAnyPolicy,
        forbidden("group_admin_required")},
};
// clang-format on

// ---- Building the inputs ----------------------------------------------------------------------

const char* name(ActorKind a) {
    switch (a) {
        case ActorKind::admin_linked:
            return "org_admin_linked";
        case ActorKind::admin_unlinked:
            return "org_admin_unlinked";
        case ActorKind::member_linked:
            return "org_member_linked";
        case ActorKind::member_unlinked:
            return "org_member_unlinked";
        case ActorKind::outsider:
            return "outsider";
    }
    return "?";
}

const char* name(Membership m) {
    switch (m) {
        case Membership::group_admin:
            return "group_admin";
        case Membership::group_member:
            return "group_member";
        case Membership::not_member:
            return "not_member";
    }
    return "?";
}

const char* name(OwnerKind o) { return o == OwnerKind::private_ ? "private" : "organization"; }

// A new ConversationKind breaks this switch (-Wswitch, an error under PARLEY_WERROR), so the
// kinds above and the table are extended in the same change.
const char* name(ConversationKind k) {
    switch (k) {
        case ConversationKind::chat:
            return "chat";
        case ConversationKind::group:
            return "group";
    }
    return "?";
}

const char* name(Policy p) {
    switch (p) {
        case Policy::enabled_open:
            return "parley_enabled";
        case Policy::enabled_gwa:
            return "parley_enabled+groups_require_work_account";
        case Policy::disabled_open:
            return "parley_disabled";
        case Policy::disabled_gwa:
            return "parley_disabled+groups_require_work_account";
    }
    return "?";
}

Actor make_actor(ActorKind a) {
    switch (a) {
        case ActorKind::admin_linked:
            return {"usr_actor", OrgRole::admin, true};
        case ActorKind::admin_unlinked:
            return {"usr_actor", OrgRole::admin, false};
        case ActorKind::member_linked:
            return {"usr_actor", OrgRole::member, true};
        case ActorKind::member_unlinked:
            return {"usr_actor", OrgRole::member, false};
        case ActorKind::outsider:
            return {"usr_actor", OrgRole::none, false};
    }
    return {};
}

const char* name(TypeKind t) {
    switch (t) {
        case TypeKind::flat:
            return "flat";
        case TypeKind::public_open:
            return "public";
        case TypeKind::public_managed:
            return "managed public";
    }
    return "?";
}

const char* name(Rules r) {
    return r == Rules::permissive ? "permissive rules" : "restrictive rules";
}

const char* name(Change c) {
    switch (c) {
        case Change::tighten:
            return "tightening change";
        case Change::loosen:
            return "loosening change";
        case Change::tighten_locked:
            return "tightening change, group admins locked out";
        case Change::loosen_locked:
            return "loosening change, group admins locked out";
    }
    return "?";
}

core::ConversationPolicies make_rules(Rules r) {
    core::ConversationPolicies rules;
    if (r == Rules::restrictive) {
        rules = {true, true, true, false, false, false};
    }
    return rules;
}

core::OrganizationPolicies make_policies(Policy p) {
    core::OrganizationPolicies policies;
    policies.parley_enabled = p == Policy::enabled_open || p == Policy::enabled_gwa;
    policies.groups_require_work_account = p == Policy::enabled_gwa || p == Policy::disabled_gwa;
    return policies;
}

// Every value of an action enum, found by asking to_string() until it says "unknown". A value
// added to the enum must be added to to_string() (its switch has no default), so it shows up
// here and, having no rows, fails EveryCaseHasExactlyOneRow.
template <typename Action>
std::vector<Action> probe_actions() {
    std::vector<Action> actions;
    for (int i = 0; i < 64; ++i) {  // Set<> holds 64 values
        auto action = static_cast<Action>(i);
        if (std::string_view(to_string(action)) == "unknown") break;
        actions.push_back(action);
    }
    return actions;
}

bool is_message_action(CA a) { return a == CA::edit_message || a == CA::delete_message; }

struct ConversationCase {
    CA action;
    OwnerKind owner;
    ConversationKind kind;
    Membership membership;
    ActorKind actor;
    Policy policy;
    Authorship authorship;
    Rules rules;
    Change change;
    Place place;
    TypeKind type;

    bool matches(const ConversationRow& row) const {
        return row.actions.has(action) && row.owners.has(owner) && row.kinds.has(kind) &&
               row.memberships.has(membership) && row.actors.has(actor) &&
               row.policies.has(policy) && row.authorship.has(authorship) && row.rules.has(rules) &&
               row.changes.has(change) && row.places.has(place) && row.types.has(type);
    }

    std::string describe() const {
        std::string s = std::string(to_string(action)) + " on " + name(owner) + " " +
                        (type == TypeKind::flat ? "" : std::string(name(type)) + " ") + name(kind) +
                        " by " + name(actor) + " (" + name(membership) + "), " + name(policy);
        if (is_message_action(action)) {
            s += authorship == Authorship::author ? ", own message" : ", another's message";
        }
        s += std::string(", ") + name(rules);
        if (action == CA::set_policies) s += std::string(", ") + name(change);
        if (place == Place::parent) s += ", in a group with child groups";
        if (place == Place::inherited) s += ", an inherited member (through a child group)";
        return s;
    }

    Result<void> run() const {
        ConversationFacts facts;
        facts.kind = kind;
        facts.owner = owner == OwnerKind::organization ? core::Owner::organization("org_acme")
                                                       : core::Owner::private_owner();
        if (membership == Membership::group_admin) facts.membership = MemberRole::admin;
        if (membership == Membership::group_member) facts.membership = MemberRole::member;
        facts.org_policies = make_policies(policy);
        facts.actor_is_author = authorship == Authorship::author;
        facts.policies = make_rules(rules);
        // As effective_policies() has it for a group without an override of its own.
        facts.policies.require_work_account = facts.org_policies.groups_require_work_account;
        facts.org_policies.group_admins_set_policies =
            change == Change::tighten || change == Change::loosen;
        facts.change_loosens_tenant = change == Change::loosen || change == Change::loosen_locked;
        facts.has_child_groups = place != Place::flat;
        facts.inherited_membership = place == Place::inherited;
        facts.group_type =
            type == TypeKind::flat ? core::GroupType::flat : core::GroupType::public_;
        facts.managed = type == TypeKind::public_managed;
        return check(make_actor(actor), action, facts);
    }
};

// The places a case is asked in: see Place.
std::vector<Place> places_for(CA action, OwnerKind owner, ConversationKind kind,
                              Membership membership) {
    if ((action != CA::send_message && action != CA::leave) || owner != OwnerKind::organization ||
        kind != ConversationKind::group) {
        return {Place::flat};
    }
    if (membership == Membership::group_member) return kPlaces;
    return {Place::flat, Place::parent};
}

// The whole space: every action × owner × kind × membership × actor × policies × rules, both
// authorships for the message actions (the others ignore it and are asked with "not author"),
// every change for set_policies (the others are asked with "tighten"), and every group type for
// organization groups (the only ones that can be other than flat).
std::vector<TypeKind> types_of(OwnerKind owner, ConversationKind kind) {
    if (owner == OwnerKind::organization && kind == ConversationKind::group) return kTypeKinds;
    return {TypeKind::flat};
}

std::vector<ConversationCase> all_conversation_cases() {
    std::vector<ConversationCase> cases;
    for (CA action : probe_actions<CA>()) {
        std::vector<Authorship> authorships = {Authorship::not_author};
        if (is_message_action(action)) authorships.push_back(Authorship::author);
        std::vector<Change> changes = {Change::tighten};
        if (action == CA::set_policies) changes = kChanges;
        for (OwnerKind owner : kOwnerKinds) {
            for (ConversationKind kind : kConversationKinds) {
                for (Membership membership : kMemberships) {
                    for (ActorKind actor : kActorKinds) {
                        for (Policy policy : kPolicies) {
                            for (Authorship authorship : authorships) {
                                for (Rules rules : kAllRules) {
                                    for (Change change : changes) {
                                        for (Place place :
                                             places_for(action, owner, kind, membership)) {
                                            // Public groups are never linked into a hierarchy.
                                            for (TypeKind type : types_of(owner, kind)) {
                                                if (place != Place::flat &&
                                                    type != TypeKind::flat) {
                                                    continue;
                                                }
                                                cases.push_back({action, owner, kind, membership,
                                                                 actor, policy, authorship, rules,
                                                                 change, place, type});
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return cases;
}

const char* name(Pair p) {
    switch (p) {
        case Pair::same_org:
            return "two groups of one organization";
        case Pair::child_private:
            return "child is a private group";
        case Pair::child_chat:
            return "child is a chat";
        case Pair::other_org:
            return "child is another organization's group";
    }
    return "?";
}

struct LinkCase {
    HA action;
    Pair pair;
    Membership parent;
    Membership child;
    ActorKind actor;
    Policy policy;

    bool matches(const LinkRow& row) const {
        return row.actions.has(action) && row.pairs.has(pair) && row.parent.has(parent) &&
               row.child.has(child) && row.actors.has(actor) && row.policies.has(policy);
    }

    std::string describe() const {
        return std::string(to_string(action)) + ", " + name(pair) + ", by " + name(actor) +
               " (parent: " + name(parent) + ", child: " + name(child) + "), " + name(policy);
    }

    static ConversationFacts group_facts(Membership m, Policy policy) {
        ConversationFacts f;
        f.kind = ConversationKind::group;
        f.owner = core::Owner::organization("org_acme");
        if (m == Membership::group_admin) f.membership = MemberRole::admin;
        if (m == Membership::group_member) f.membership = MemberRole::member;
        f.org_policies = make_policies(policy);
        f.policies = tenant_group_policies(f.org_policies);
        return f;
    }

    Result<void> run() const {
        LinkFacts facts{group_facts(parent, policy), group_facts(child, policy)};
        if (pair == Pair::child_private) facts.child.owner = core::Owner::private_owner();
        if (pair == Pair::child_chat) facts.child.kind = ConversationKind::chat;
        if (pair == Pair::other_org) facts.child.owner = core::Owner::organization("org_other");
        return check(make_actor(actor), action, facts);
    }
};

std::vector<LinkCase> all_link_cases() {
    std::vector<LinkCase> cases;
    for (HA action : {HA::link, HA::unlink}) {
        for (Pair pair : {Pair::same_org, Pair::child_private, Pair::child_chat, Pair::other_org}) {
            for (Membership parent : kMemberships) {
                for (Membership child : kMemberships) {
                    for (ActorKind actor : kActorKinds) {
                        for (Policy policy : kPolicies) {
                            cases.push_back({action, pair, parent, child, actor, policy});
                        }
                    }
                }
            }
        }
    }
    return cases;
}

struct OrgCase {
    OA action;
    ActorKind actor;
    Policy policy;

    bool matches(const OrgRow& row) const {
        return row.actions.has(action) && row.actors.has(actor) && row.policies.has(policy);
    }

    std::string describe() const {
        return std::string(to_string(action)) + " by " + name(actor) + ", " + name(policy);
    }

    Result<void> run() const {
        return check(make_actor(actor), action, OrgFacts{make_policies(policy)});
    }
};

std::vector<OrgCase> all_org_cases() {
    std::vector<OrgCase> cases;
    for (OA action : probe_actions<OA>()) {
        for (ActorKind actor : kActorKinds) {
            for (Policy policy : kPolicies) cases.push_back({action, actor, policy});
        }
    }
    return cases;
}

struct PersonCase {
    PA action;
    ActorKind actor;
    Policy policy;
    Subject subject;
    Visibility visibility;
    Editability editability;

    bool matches(const PersonRow& row) const {
        return row.actions.has(action) && row.actors.has(actor) && row.policies.has(policy) &&
               row.subjects.has(subject) && row.visibility.has(visibility) &&
               row.editability.has(editability);
    }

    std::string describe() const {
        return std::string(to_string(action)) + " of " +
               (subject == Subject::self ? "own" : "another's") + " entry by " + name(actor) +
               ", " + name(policy) +
               (visibility == Visibility::visible ? ", shown to all" : ", admin-only") +
               (editability == Editability::self_editable ? ", self-editable" : "");
    }

    Result<void> run() const {
        PersonFacts facts;
        facts.policies = make_policies(policy);
        facts.subject_is_actor = subject == Subject::self;
        facts.attribute_visible_to_members = visibility == Visibility::visible;
        facts.attribute_self_editable = editability == Editability::self_editable;
        return check(make_actor(actor), action, facts);
    }
};

std::vector<PersonCase> all_person_cases() {
    std::vector<PersonCase> cases;
    for (PA action : probe_actions<PA>()) {
        for (ActorKind actor : kActorKinds) {
            for (Policy policy : kPolicies) {
                for (Subject subject : {Subject::self, Subject::other}) {
                    for (Visibility v : {Visibility::visible, Visibility::hidden}) {
                        for (Editability e :
                             {Editability::self_editable, Editability::admin_only}) {
                            cases.push_back({action, actor, policy, subject, v, e});
                        }
                    }
                }
            }
        }
    }
    return cases;
}

// Runs every case a row covers and reports, once per row, the cases whose outcome differs.
template <typename Row, typename Case>
void expect_row(const Row& row, const std::vector<Case>& cases) {
    constexpr std::size_t kShown = 8;
    std::size_t covered = 0;
    std::vector<std::string> wrong;
    for (const Case& c : cases) {
        if (!c.matches(row)) continue;
        ++covered;
        Result<void> actual = c.run();
        std::string problem;
        if (describe(actual) != describe(row.expect)) {
            problem = "expected " + describe(row.expect) + ", got " + describe(actual);
        } else if (!actual && actual.error().message.empty()) {
            problem = "error without a message for people";
        }
        if (!problem.empty()) wrong.push_back(c.describe() + ": " + problem);
    }
    EXPECT_GT(covered, 0u) << "row " << row.name << " covers no case";
    if (wrong.empty()) return;
    std::string shown;
    for (std::size_t i = 0; i < wrong.size() && i < kShown; ++i) shown += "\n  " + wrong[i];
    ADD_FAILURE() << "row " << row.name << ": " << wrong.size() << " of " << covered
                  << " cases differ from the table" << shown
                  << (wrong.size() > kShown ? "\n  ..." : "");
}

// Checks that every case is covered by exactly one row: no gaps, no contradicting overlaps.
template <typename Row, typename Case>
void expect_partition(const std::vector<Row>& rows, const std::vector<Case>& cases) {
    std::vector<std::string> problems;
    for (const Case& c : cases) {
        std::string matching;
        int n = 0;
        for (const Row& row : rows) {
            if (!c.matches(row)) continue;
            ++n;
            matching += std::string(" ") + row.name;
        }
        if (n == 0) problems.push_back(c.describe() + ": no row");
        if (n > 1) problems.push_back(c.describe() + ": several rows:" + matching);
    }
    std::string shown;
    for (std::size_t i = 0; i < problems.size() && i < 10; ++i) shown += "\n  " + problems[i];
    EXPECT_TRUE(problems.empty()) << problems.size() << " of " << cases.size()
                                  << " cases are not covered by exactly one row" << shown;
}

template <typename Row>
std::string row_name(const testing::TestParamInfo<Row>& info) {
    return info.param.name;
}

// ---- The tests --------------------------------------------------------------------------------

class ConversationMatrix : public testing::TestWithParam<ConversationRow> {};

TEST_P(ConversationMatrix, MatchesSpec) {
    static const std::vector<ConversationCase> cases = all_conversation_cases();
    expect_row(GetParam(), cases);
}

INSTANTIATE_TEST_SUITE_P(Authz, ConversationMatrix, testing::ValuesIn(kConversationRows),
                         row_name<ConversationRow>);

class OrgMatrix : public testing::TestWithParam<OrgRow> {};

TEST_P(OrgMatrix, MatchesSpec) {
    static const std::vector<OrgCase> cases = all_org_cases();
    expect_row(GetParam(), cases);
}

INSTANTIATE_TEST_SUITE_P(Authz, OrgMatrix, testing::ValuesIn(kOrgRows), row_name<OrgRow>);

class PersonMatrix : public testing::TestWithParam<PersonRow> {};

TEST_P(PersonMatrix, MatchesSpec) {
    static const std::vector<PersonCase> cases = all_person_cases();
    expect_row(GetParam(), cases);
}

INSTANTIATE_TEST_SUITE_P(Authz, PersonMatrix, testing::ValuesIn(kPersonRows), row_name<PersonRow>);

class LinkMatrix : public testing::TestWithParam<LinkRow> {};

TEST_P(LinkMatrix, MatchesSpec) {
    static const std::vector<LinkCase> cases = all_link_cases();
    expect_row(GetParam(), cases);
}

INSTANTIATE_TEST_SUITE_P(Authz, LinkMatrix, testing::ValuesIn(kLinkRows), row_name<LinkRow>);

TEST(AuthzMatrixTable, EveryLinkCaseHasExactlyOneRow) {
    expect_partition(kLinkRows, all_link_cases());
}

TEST(AuthzMatrixTable, EveryPersonCaseHasExactlyOneRow) {
    expect_partition(kPersonRows, all_person_cases());
}

TEST(AuthzMatrixTable, EveryConversationCaseHasExactlyOneRow) {
    expect_partition(kConversationRows, all_conversation_cases());
}

TEST(AuthzMatrixTable, EveryOrgCaseHasExactlyOneRow) {
    expect_partition(kOrgRows, all_org_cases());
}

// A new action must come with rows: count the actions the tables cover against the enum, probed
// up to its last value.
TEST(AuthzMatrixTable, EveryActionHasRows) {
    std::vector<CA> conversation_actions = probe_actions<CA>();
    ASSERT_GT(conversation_actions.size(), static_cast<std::size_t>(CA::read_subscriber_messages))
        << "to_string(ConversationAction) stops before the last known value";
    std::set<CA> covered_conversation_actions;
    for (const ConversationRow& row : kConversationRows) {
        for (CA a : conversation_actions) {
            if (row.actions.has(a)) covered_conversation_actions.insert(a);
        }
    }
    EXPECT_EQ(covered_conversation_actions.size(), conversation_actions.size())
        << "a ConversationAction has no rows in kConversationRows";

    std::vector<OA> org_actions = probe_actions<OA>();
    ASSERT_GT(org_actions.size(), static_cast<std::size_t>(OA::create_public_group))
        << "to_string(OrgAction) stops before the last known value";
    std::set<OA> covered_org_actions;
    for (const OrgRow& row : kOrgRows) {
        for (OA a : org_actions) {
            if (row.actions.has(a)) covered_org_actions.insert(a);
        }
    }
    EXPECT_EQ(covered_org_actions.size(), org_actions.size())
        << "an OrgAction has no rows in kOrgRows";

    std::vector<PA> person_actions = probe_actions<PA>();
    ASSERT_GT(person_actions.size(), static_cast<std::size_t>(PA::edit_attribute))
        << "to_string(PersonAction) stops before the last known value";
    std::set<PA> covered_person_actions;
    for (const PersonRow& row : kPersonRows) {
        for (PA a : person_actions) {
            if (row.actions.has(a)) covered_person_actions.insert(a);
        }
    }
    EXPECT_EQ(covered_person_actions.size(), person_actions.size())
        << "a PersonAction has no rows in kPersonRows";
}

}  // namespace
}  // namespace parley::authz
