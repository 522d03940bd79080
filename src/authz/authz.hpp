#pragma once
// The permission matrix of seed 004 and the tenant/group policies of seed 000, as pure
// functions over (actor, action, resource facts). Every request is decided here and only here;
// there is no I/O, so the whole matrix is tested as one table (tests/unit/authz/).
//
// A decision is a Result<void>: success, or an Error whose kind is not_found when the actor may
// not even know the resource exists (a private conversation they are not in), forbidden when
// they may see it but not do this, and conflict when the resource's state forbids the action.
// Thread-safe (stateless).

#include "common/result.hpp"
#include "core/types.hpp"

namespace parley::authz {

// The person asking, relative to one organization (the one that owns the resource, or the one
// the action targets). For private resources only user_id matters.
struct Actor {
    core::Id user_id;
    core::OrgRole org_role = core::OrgRole::none;  // in that organization's directory
    bool work_account_linked = false;              // signed in to that organization's work account
};

// Actions on an organization itself (the management portal's rows of the seed-004 matrix).
enum class OrgAction {
    view_organization,          // name, policies, own role
    manage_organization,        // rename, tenant policies
    view_directory,             // search people by name or email alias
    manage_directory,           // add, remove, change roles of people
    create_organization_group,  // a group owned by the organization from the start
    view_all_groups,            // every organization group, member or not
    start_organization_chat,    // a 1:1 chat owned by the organization
    manage_attributes,          // define and remove the directory's custom attributes
    restore_people,             // list removed people and restore them
    run_imports,                // upload a bulk CSV file (people, group memberships) as a job
    view_imports,               // the upload history, the files, their error logs, templates
    export_people,              // the whole directory as a CSV file (a job)
    view_exports,               // everyone's exports: the history and the files
    create_public_group,        // an organization group of type public (broadcast)
    // Activity reports of every organization group (seed 004, "View Reports": all groups for
    // organization admins; group admins get their own groups' through view_report).
    view_reports,
};

struct OrgFacts {
    core::OrganizationPolicies policies;
};

// Actions on one person's directory entry (seed 004's user details and custom attributes).
enum class PersonAction {
    view,            // the entry itself: name, phone, role, work-account link, last active
    view_groups,     // the organization groups they are in, with their roles
    edit,            // name, email, role
    view_attribute,  // one attribute's value (PersonFacts::attribute_* describe it)
    edit_attribute,  // likewise
};

struct PersonFacts {
    core::OrganizationPolicies policies;
    bool subject_is_actor = false;              // the entry is the actor's own
    bool attribute_visible_to_members = false;  // attribute actions only
    bool attribute_self_editable = false;       // attribute actions only
};

// Actions on one conversation (chat or group).
enum class ConversationAction {
    view_info,      // name, owner, member list
    read_messages,  // history and live messages
    send_message,
    edit_message,    // REQUIRES: ConversationFacts::actor_is_author describes the target
    delete_message,  // for everyone; likewise
    mark_read,
    add_member,
    remove_member,
    set_member_role,
    rename,
    manage_invites,  // list and revoke invite links
    leave,
    add_to_organization,  // actor is relative to the target organization
    create_invite,        // a new invite link; the organization may have turned links off
    join_by_invite,       // redeeming a link; ConversationFacts::membership may be nullopt
    forward_from,         // copying a message out of this conversation into another
    // Reading messages from before one joined; refused where new members do not see history,
    // which the service turns into "history starts at the member's joined_seq".
    read_earlier_history,
    // A group's policy overrides. REQUIRES: ConversationFacts::change_loosens_tenant describes
    // the requested change (see loosens()).
    set_policies,
    // The membership as a CSV file (an export job): the group's managers, for organization
    // groups only (an organization's exports are of what it owns).
    export_members,
    // The group's place in its organization's hierarchy: ancestors and subtree (seed 004, "View
    // Groups: all organization groups in the hierarchy", for every role).
    view_hierarchy,
    // The group's activity report (seed 004, "View Reports"): organization groups only, for
    // the organization's admins and the group's direct admins; not for members.
    view_report,
    // The member list in full. Refused to a public group's subscribers, which the service
    // turns into "the admins and yourself, with the number of subscribers".
    view_all_members,
    // Messages private to another member (a public group's subscribers' messages, and the
    // admins' replies to them). Refused to subscribers, which the service turns into "messages
    // for everyone and your own private ones" for every read and every live delivery.
    read_subscriber_messages,
};

struct ConversationFacts {
    core::ConversationKind kind = core::ConversationKind::group;
    core::Owner owner;
    std::optional<core::MemberRole> membership;  // the actor's; nullopt if not a member
    core::OrganizationPolicies org_policies;     // of the owning (or target) organization
    bool actor_is_author = false;                // message actions only
    // The conversation's effective policies: the tenant's with the group's overrides (see
    // effective_policies()). Ignored for private conversations.
    core::ConversationPolicies policies;
    bool change_loosens_tenant = false;  // set_policies only
    // The group's stored type, and for public groups whether it is managed (no invite links).
    core::GroupType group_type = core::GroupType::flat;
    bool managed = false;
    // Hierarchies (organization groups): the actor's membership comes only from being in a
    // descendant group; the group has child groups (it is hierarchical, not flat).
    bool inherited_membership = false;
    bool has_child_groups = false;
};

// Reactions to one message (issue 5): likes and comments. The message's own visibility (the
// caller's history floor, a public group's private threads) is the service's ReadScope, which
// answers message_not_found; these decide what may be done with a message the actor sees.
enum class MessageAction {
    like,     // like it, or take the like back: whoever may read the conversation
    comment,  // reply to it: a comment is a message, so whoever may send one here
    // Everyone who likes it. Refused to a public group's subscribers, which the service turns
    // into "the admins and yourself" (the count stays whole).
    view_all_likers,
};

struct MessageFacts {
    ConversationFacts conversation;
    bool deleted = false;  // deleted for everyone
    bool system = false;   // a system message ("X was added"): nobody's to react to
};

// Linking an organization group under a parent group, or taking it out again. The actor is
// relative to the parent's organization.
enum class HierarchyAction { link, unlink };

struct LinkFacts {
    ConversationFacts parent;
    ConversationFacts child;
};

// The facts that come with the conversation itself (kind, owner, type); membership, policies
// and the actor's relation to the message are left for the caller.
ConversationFacts conversation_facts(const core::Conversation& conversation);

// Whether the member these facts describe (by ConversationFacts::membership) is a subscriber:
// a non-admin member of a public group, who sees the admins but not the other subscribers.
bool is_subscriber(const ConversationFacts& facts);

// The one member besides the admins who may read a new message, or nullopt for everyone who
// reads the conversation. `member` is the author (or, for a system message, the person it is
// about) and facts.membership their role; `thread` the private_to of the message it replies to.
// A subscriber's messages and the announcements about them are private to them; a reply stays
// in the private thread it answers, so an admin answering one subscriber answers them alone.
std::optional<core::Id> private_to(const ConversationFacts& facts, const core::Id& member,
                                   const std::optional<core::Id>& thread = std::nullopt);

// The policies that hold in a conversation: none for private ones (the defaults, which
// restrict nothing), the tenant's for organization chats, the tenant's with the group's
// overrides for organization groups.
core::ConversationPolicies effective_policies(const core::Conversation& conversation,
                                              const core::OrganizationPolicies& org_policies);

// What an organization group of this tenant has before its own overrides: the tenant's
// conversation defaults with its groups_require_work_account.
core::ConversationPolicies tenant_group_policies(const core::OrganizationPolicies& org_policies);

// True if applying these overrides would make some policy less strict than the tenant's:
// lift a restriction, show history, allow deleting for everyone or invite links, or stop
// requiring a work account, where the tenant does not (`tenant` is tenant_group_policies()).
// Group admins may only tighten; organization admins may do either.
bool loosens(const core::ConversationPolicies& tenant, const core::PolicyOverrides& overrides);

// Who may fetch an attachment's bytes (or thumbnail). An unsent upload is its uploader's alone
// (and only while they may still read the conversation); a sent one goes to whoever may read
// the message that carries it (membership, history floor, a public group's privacy, the
// organization's policies: all decided already by check(read_messages) and ReadScope).
struct AttachmentFacts {
    bool actor_is_uploader = false;
    bool sent = false;
    bool reads_conversation = false;  // check(read_messages) allowed the actor
    bool message_visible = false;     // sent: the message exists, is not deleted, is in scope
    bool answers_card = false;        // a survey response's attachment answer
    bool responses_visible = false;   // answers_card: the actor may see that card's responses
};
bool may_fetch_attachment(const AttachmentFacts& facts);

// Actions on an action card (issue 5). Decided with the card's conversation (its type and the
// actor's place in it) and the card itself.
enum class CardAction {
    create,          // post a card in the conversation (CardFacts' card fields unused)
    respond,         // answer, acknowledge, mark a job done, tick a checklist item
    view_results,    // the summary and everyone's responses
    export_results,  // the results as CSV: the creator and the admins only
    remind,          // remind those who have not responded
    close,           // stop responses for good
    edit,            // add checklist items
};

struct CardFacts {
    ConversationFacts conversation;  // of the card's conversation, with the actor's membership
    bool actor_is_creator = false;
    core::CardType type = core::CardType::poll;
    core::CardState state = core::CardState::active;  // as of now (Card::state_at)
    core::ResultsVisibility results_visibility = core::ResultsVisibility::all;
    bool actor_is_assignee = false;  // jobs
};

Result<void> check(const Actor& actor, OrgAction action, const OrgFacts& org);
Result<void> check(const Actor& actor, CardAction action, const CardFacts& facts);
Result<void> check(const Actor& actor, ConversationAction action, const ConversationFacts& facts);
Result<void> check(const Actor& actor, PersonAction action, const PersonFacts& facts);
Result<void> check(const Actor& actor, HierarchyAction action, const LinkFacts& facts);
Result<void> check(const Actor& actor, MessageAction action, const MessageFacts& facts);

// The rules of the tree itself, whoever asks: both groups are organization groups of one
// organization, neither is public. check(…, HierarchyAction, …) applies them too; a CSV
// import, whose uploader's right was checked at upload, asks this alone for each row.
Result<void> check_linkable(const LinkFacts& facts);

const char* to_string(OrgAction action);
const char* to_string(PersonAction action);
const char* to_string(ConversationAction action);
const char* to_string(HierarchyAction action);
const char* to_string(CardAction action);
const char* to_string(MessageAction action);

}  // namespace parley::authz
