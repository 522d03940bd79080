#pragma once
// Store: everything Parley keeps, as domain operations. Nothing above store/ knows about SQL;
// sqlite/ is the embedded implementation and a PostgreSQL one implements the same interface.
//
// Calls block until the data is durable (writes) or read (queries); callers run them on the
// worker pool, never on network threads. Implementations are thread-safe.
//
// Message bodies are sealed by the implementation with the data key of the message's owner
// (one per organization, one per private conversation) before they reach storage; callers see
// plaintext. Operations that change membership or ownership take an optional system message,
// written in the same transaction, so that the history never disagrees with the state.

#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/result.hpp"
#include "core/types.hpp"
#include "crypto/aead.hpp"

namespace parley::store {

using core::Id;

// The data key that seals what an owner says: one per organization, one per private
// conversation (so a private group's past stays under its own key after it joins an org).
inline std::string key_id_for(const core::Owner& owner, const Id& conversation_id) {
    return owner.is_organization() ? "org:" + owner.organization_id : "cnv:" + conversation_id;
}

// A pending one-time code, hashed; (phone, purpose) has at most one.
struct CodeRecord {
    std::string phone;
    std::string purpose;    // "sign-in" or "work-account"
    std::string code_hash;  // keyed hash; the code itself is never stored
    std::string target;     // purpose-specific: "<org id> <email>" for work-account
    TimestampMs expires_at = 0;
    int attempts = 0;
    TimestampMs created_at = 0;
};

struct AppendResult {
    core::Message message;
    bool duplicate = false;  // the client_id was seen before; this is the original message
};

struct MessageRange {
    std::optional<std::int64_t> after;   // seq > after
    std::optional<std::int64_t> before;  // seq < before
    int limit = 50;                      // newest `limit` when only `before`, else oldest
    // seq > floor whatever the direction: where a member's visible history starts.
    std::int64_t floor = 0;
    // Set: leave out messages private to anyone but this user (a public group's subscriber
    // reading). Unset: every message.
    std::optional<Id> viewer;
    // Set: each message's liked_by_reader says whether this user likes it.
    std::optional<Id> reader;
    // Set: only the comments of this message (the replies to it), deleted ones left out.
    std::optional<Id> replies_to;
};

// A message's reaction counters after a like or unlike.
struct ReactionCounts {
    std::int64_t like_count = 0;
    std::int64_t comment_count = 0;
    bool changed = false;  // false: the like was already there (or already gone)
};

// One person's like of a message. `cursor` orders the likes as they were made (see LikeQuery).
struct Like {
    core::User user;
    TimestampMs liked_at = 0;
    std::int64_t cursor = 0;
};

struct LikeQuery {
    std::int64_t after = 0;  // likes with cursor > after, oldest first
    int limit = 50;
    // Set: only the likes of the conversation's admins and of this user (what a public group's
    // subscriber may know of the people who like a message).
    std::optional<Id> admins_and;
};

// How the directory is ordered; ties are broken by phone, so pages never overlap.
enum class PersonSort { name, phone, added, last_active };

struct PersonQuery {
    std::string text;  // matches name, email or phone; empty matches all
    int limit = 50;
    int offset = 0;
    PersonSort sort = PersonSort::name;
    bool descending = false;
};

// A directory row as the people list shows it.
struct DirectoryEntry {
    core::OrgPerson person;
    // The latest use of any of the person's sessions (sign-ins touch it, throttled): the one
    // activity the store answers with an index lookup. nullopt if never signed in.
    std::optional<TimestampMs> last_active_at;
};

// One organization group's activity report (seed 004's "View Reports"): its members now, and
// what was said in it in a period. Only what the organization owns counts: messages from before
// a private group was added to it stay private, so they are not counted either.
struct GroupActivity {
    Id conversation_id;
    std::int64_t members = 0;
    std::int64_t admins = 0;
    std::int64_t messages = 0;   // text and cards (comments included), not system messages
    std::int64_t senders = 0;    // the different people who sent them
    std::int64_t cards = 0;      // cards posted
    std::int64_t responses = 0;  // card responses given (an updated response counts once)
};

// An organization group the person is in, with their role there.
struct PersonGroup {
    core::Conversation conversation;
    core::MemberRole role = core::MemberRole::member;
};

// Someone taken out of a directory, restorable for a while: what restore puts back.
struct RemovedRecord {
    core::OrgPerson person;  // the directory entry as it was (work-account link already gone)
    TimestampMs removed_at = 0;
    std::vector<PersonGroup> groups;  // the memberships taken away, with their roles
};

struct RestoredPerson {
    core::OrgPerson person;
    std::vector<core::Conversation> groups_rejoined;  // with last_seq after the announcement
};

// A wipe that a signed-in device has not been told about yet.
struct PendingWipe {
    core::Id session_id;
    core::Id organization_id;
    TimestampMs created_at = 0;
};

struct MemberWithUser {
    core::Member member;
    core::User user;
};

// A member as authorization sees them (see list_member_access_facts).
struct MemberAccessFacts {
    Id user_id;
    core::MemberRole role = core::MemberRole::member;
    std::int64_t joined_seq = 0;
    bool inherited = false;
    std::optional<core::OrgRole> org_role;  // set when in the directory (and not removed)
    bool work_account_linked = false;       // to that organization
};

struct RedeemedInvite {
    core::Invite invite;
    core::Conversation conversation;
    bool already_member = false;  // nothing changed, no use was counted
};

struct RemovedPerson {
    std::vector<Id> conversations_left;  // organization groups the person was removed from
};

// One phone of an import file as the directory knows it (see find_people_for_import).
struct ImportedPerson {
    core::User user;
    std::optional<core::OrgPerson> person;     // the live directory entry, if any
    bool ever_in_directory = false;            // a live or a removed entry exists
    std::vector<core::AttributeValue> values;  // the live entry's attribute values
};

// A directory entry an import writes: added (un-removing a removed one afresh) or updated, with
// attribute values to set (non-empty) or clear (empty).
struct PersonWrite {
    // person.user_id empty: the user is found or created by person.phone (named person.name).
    core::OrgPerson person;
    std::vector<core::AttributeValue> values;
    bool unlink_work_account = false;  // the email changed: the link was made for the old one
    // False only when the import saw no entry at all, live or removed, for this phone: then
    // there is no removed entry's leftovers to clear, and two statements per newcomer are saved.
    bool may_have_removed_entry = true;
};

// A group an import creates, with its first members (the uploader as admin) and announcement.
struct NewGroup {
    core::Conversation conversation;
    std::vector<core::Member> members;
    core::Message announcement;
};

// One membership row of a user-group import; the user is named by E.164 phone, since people
// the same write adds to the directory have no user id yet.
struct MembershipWrite {
    Id conversation_id;
    std::string phone;
    core::MemberRole role = core::MemberRole::member;
    TimestampMs at = 0;
};

// What a user-group import writes in one transaction, in this order: new groups, directory
// entries for newcomers, memberships (added, or the role changed), then one announcement per
// group that gained members.
struct MembershipImport {
    std::vector<NewGroup> groups;
    std::vector<PersonWrite> people;
    std::vector<MembershipWrite> memberships;
    std::vector<core::Message> announcements;
};

// Per write, in order: the user id, or the error that undid that write alone.
struct ImportWriteResult {
    Id user_id;
    std::optional<Error> error;
};

// One person of an export page: the live directory entry, its attribute values and the
// organization groups the person is in, by name (ASCII case ignored), with their role.
struct ExportedPerson {
    core::OrgPerson person;
    std::vector<core::AttributeValue> values;
    std::vector<std::pair<std::string, core::MemberRole>> groups;
};

// One member of a group export page. name: the directory's name for them if they have a live
// entry with a name there, else the name on their account.
struct ExportedMember {
    std::string phone;
    std::string name;
    core::MemberRole role = core::MemberRole::member;
};

// A group's place in its organization's hierarchy.
struct GroupLinks {
    std::optional<Id> parent_id;
    std::int64_t children = 0;  // direct child groups; a group with any is hierarchical
};

// One group in a hierarchy view.
struct HierarchyNode {
    core::Conversation conversation;
    std::optional<Id> parent_id;
    int depth = 0;                       // 0 for the root of the whole tree
    std::int64_t direct_members = 0;     // members of the group itself
    std::int64_t inherited_members = 0;  // members of descendants only, who receive it too
};

// The ancestors of a group (root first) and its subtree (the group first, every parent before
// its children, siblings by name).
struct GroupHierarchy {
    std::vector<HierarchyNode> ancestors;
    std::vector<HierarchyNode> subtree;
};

// Makes child_id a child group of parent_id, with system messages (each in its own
// conversation) written only if the link is made.
struct GroupLinkWrite {
    Id child_id;
    Id parent_id;
    std::vector<core::Message> announcements;
};

// Inherited memberships a write gave or took (see Member::via_group_id): reported through
// SqliteSettings::memberships_inherited once committed, since a link, a join or a removal deep
// in a tree changes who is in every ancestor.
struct InheritedChange {
    Id conversation_id;
    std::vector<Id> added;
    std::vector<Id> removed;
};

// How one response changes a card's summary (service/card_rules.hpp), run inside the
// response's write transaction: given the summary as stored, the answers the response replaces
// (nullopt for a new one) and whether the responder had no response yet, the new summary.
using CardSummaryUpdate = std::function<Result<std::string>(
    const std::string& summary, const std::optional<std::string>& previous_answers,
    bool first_from_responder)>;

// A checklist's change by its creator (new items): the new spec and summary from the stored ones.
using CardSpecUpdate = std::function<Result<std::pair<std::string, std::string>>(
    const std::string& spec, const std::string& summary)>;

struct CardResponseOutcome {
    core::CardResponse response;  // as stored (created_at of the first version)
    bool replaced = false;        // an earlier response of the same slot was updated
    core::Card card;              // after the change (spec left empty)
};

class Store {
public:
    virtual ~Store() = default;

    // --- people -------------------------------------------------------------------------------
    // The user with this E.164 phone, created (with name) if there is none.
    virtual Result<core::User> ensure_user(const std::string& phone, const std::string& name) = 0;
    virtual Result<std::optional<core::User>> find_user(const Id& id) = 0;
    virtual Result<std::optional<core::User>> find_user_by_phone(const std::string& phone) = 0;
    virtual Result<void> set_user_name(const Id& id, const std::string& name) = 0;

    // --- one-time codes -----------------------------------------------------------------------
    virtual Result<void> put_code(const CodeRecord& code) = 0;  // replaces a pending one
    virtual Result<std::optional<CodeRecord>> find_code(const std::string& phone,
                                                        const std::string& purpose) = 0;
    // Counts a wrong attempt; returns the new count.
    virtual Result<int> count_code_attempt(const std::string& phone,
                                           const std::string& purpose) = 0;
    // Deletes the code iff it still has this hash; false if someone else consumed it first.
    virtual Result<bool> consume_code(const std::string& phone, const std::string& purpose,
                                      const std::string& code_hash) = 0;

    // --- sessions -----------------------------------------------------------------------------
    virtual Result<void> create_session(const core::Session& session) = 0;
    virtual Result<std::optional<core::Session>> find_session_by_token_hash(
        const std::string& token_hash) = 0;
    virtual Result<std::vector<core::Session>> list_sessions(const Id& user_id) = 0;
    // Records use, so that idle expiry counts from the last use; callers throttle it.
    virtual Result<void> touch_session(const Id& session_id, TimestampMs at) = 0;
    // False if the user has no such live session.
    virtual Result<bool> revoke_session(const Id& user_id, const Id& session_id,
                                        TimestampMs at) = 0;

    // --- organizations and their directories --------------------------------------------------
    virtual Result<void> create_organization(const core::Organization& org) = 0;
    virtual Result<std::optional<core::Organization>> find_organization(const Id& id) = 0;
    virtual Result<std::optional<core::Organization>> find_organization_by_name(
        const std::string& name) = 0;
    virtual Result<void> update_organization(const core::Organization& org) = 0;
    // Every organization whose directory lists the user, with the user's entry.
    virtual Result<std::vector<std::pair<core::Organization, core::OrgPerson>>>
    list_user_organizations(const Id& user_id) = 0;

    // Adds or updates (and un-removes) a directory entry, and sets (non-empty value) or clears
    // (empty value) the given attribute values, in one transaction; returns the entry as
    // stored. Un-removing someone starts afresh: the removal record and old values go.
    virtual Result<core::OrgPerson> upsert_person(
        const core::OrgPerson& person, const std::vector<core::AttributeValue>& attributes) = 0;
    Result<core::OrgPerson> upsert_person(const core::OrgPerson& person) {
        return upsert_person(person, {});
    }
    virtual Result<std::optional<core::OrgPerson>> find_person(const Id& org_id,
                                                               const Id& user_id) = 0;
    virtual Result<std::optional<core::OrgPerson>> find_person_by_email(
        const Id& org_id, const std::string& email) = 0;
    virtual Result<std::vector<core::OrgPerson>> search_people(const Id& org_id,
                                                               const PersonQuery& query) = 0;
    virtual Result<std::int64_t> count_people(const Id& org_id, const std::string& text) = 0;
    // search_people ordered as asked, with each person's last activity.
    virtual Result<std::vector<DirectoryEntry>> list_directory(const Id& org_id,
                                                               const PersonQuery& query) = 0;
    virtual Result<std::optional<TimestampMs>> last_active(const Id& user_id) = 0;
    // The organization's groups the user is a member of, by name.
    virtual Result<std::vector<PersonGroup>> list_person_groups(const Id& org_id,
                                                                const Id& user_id) = 0;
    // Takes the person out of the directory, out of every group the organization owns, and
    // unlinks their work account there. Private groups are untouched; organization chats keep
    // their two participants but refuse the person from now on (no linked work account).
    // Records what was removed (for restore) and a pending wipe for each live session of the
    // person (for devices that are offline now). Attribute values are kept until the record
    // is purged.
    virtual Result<RemovedPerson> remove_person(const Id& org_id, const Id& user_id,
                                                TimestampMs at) = 0;
    // Removed people of the organization, most recently removed first.
    virtual Result<std::vector<RemovedRecord>> list_removed_people(const Id& org_id) = 0;
    virtual Result<std::optional<RemovedRecord>> find_removed_person(const Id& org_id,
                                                                     const Id& user_id) = 0;
    // Puts a removed person back: directory entry, attribute values, and the memberships of
    // groups the organization still owns (each with its announcement from `announcements`,
    // matched by conversation id). Clears their pending wipes for the organization. Not
    // found "removed_person_not_found" unless removed at or after `removed_since`.
    virtual Result<RestoredPerson> restore_person(
        const Id& org_id, const Id& user_id, TimestampMs removed_since, TimestampMs at,
        const std::vector<core::Message>& announcements) = 0;
    // Makes removals before `removed_before` final: their records, values and directory rows
    // go, and so do the organization's undelivered wipes older than that. Returns how many
    // people were purged.
    virtual Result<std::int64_t> purge_removed_people(const Id& org_id,
                                                      TimestampMs removed_before) = 0;
    // purge_removed_people for every organization with such removals (the hourly sweep).
    virtual Result<std::int64_t> purge_removed_people_everywhere(TimestampMs removed_before) = 0;

    // --- custom attributes --------------------------------------------------------------------
    virtual Result<std::vector<core::AttributeDefinition>> list_attributes(const Id& org_id) = 0;
    // All or none; conflict "attribute_exists" if a name is taken (ASCII case ignored).
    virtual Result<void> add_attributes(
        const std::vector<core::AttributeDefinition>& definitions) = 0;
    // The definition and every value of it; false if there was none.
    // Name and flags as given; the type only while no one has a value (else conflict
    // "attribute_has_values"). False if the organization has no such attribute; conflict
    // "attribute_exists" if another attribute has the name (ASCII case ignored).
    virtual Result<bool> update_attribute(const core::AttributeDefinition& definition) = 0;
    // With their values; all or none: false, and nothing removed, if one is not the org's.
    virtual Result<bool> remove_attributes(const Id& org_id, const std::vector<Id>& ids) = 0;
    // The values of these people (removed ones included) in the organization.
    virtual Result<std::vector<core::AttributeValue>> list_attribute_values(
        const Id& org_id, const std::vector<Id>& user_ids) = 0;
    // Sets (non-empty value) or clears (empty value) one person's values in one transaction.
    virtual Result<void> set_attribute_values(const Id& org_id, const Id& user_id,
                                              const std::vector<core::AttributeValue>& values) = 0;

    // --- pending wipes ------------------------------------------------------------------------
    // The session's wipes recorded at or after `since` (older ones go with purges).
    virtual Result<std::vector<PendingWipe>> list_pending_wipes(const Id& session_id,
                                                                TimestampMs since) = 0;
    // Called once the wipes were sent.
    virtual Result<void> clear_pending_wipes(const Id& session_id,
                                             const std::vector<Id>& organization_ids) = 0;

    // --- work accounts ------------------------------------------------------------------------
    virtual Result<void> link_work_account(const core::WorkAccount& account) = 0;
    virtual Result<std::optional<core::WorkAccount>> find_work_account(const Id& user_id) = 0;
    virtual Result<bool> unlink_work_account(const Id& user_id) = 0;

    // --- conversations ------------------------------------------------------------------------
    // chat_key identifies a 1:1 chat (both users and the owner) so it is created once; empty
    // for groups. Conflict "chat_exists" if a chat with that key exists.
    virtual Result<void> create_conversation(const core::Conversation& conversation,
                                             const std::string& chat_key,
                                             const std::vector<core::Member>& members,
                                             const std::optional<core::Message>& announcement) = 0;
    virtual Result<std::optional<core::Conversation>> find_conversation(const Id& id) = 0;
    virtual Result<std::optional<core::Conversation>> find_chat(const std::string& chat_key) = 0;
    virtual Result<std::vector<core::ConversationSummary>> list_conversations(
        const Id& user_id) = 0;
    virtual Result<std::vector<core::Conversation>> list_organization_groups(const Id& org_id) = 0;
    // Every organization group's activity from `from` (inclusive) to `to` (exclusive), zeros
    // included, in no particular order.
    virtual Result<std::vector<GroupActivity>> list_group_activity(const Id& org_id,
                                                                   TimestampMs from,
                                                                   TimestampMs to) = 0;
    // Every conversation (chats and groups) the organization owns: whose policies its tenant
    // policies are.
    virtual Result<std::vector<core::Conversation>> list_organization_conversations(
        const Id& org_id) = 0;
    virtual Result<void> rename_conversation(const Id& id, const std::string& name) = 0;
    // Replaces an organization group's policy overrides (unset: inherit the tenant's). False if
    // there is no such organization group (private groups and chats have none).
    virtual Result<bool> set_policy_overrides(const Id& id,
                                              const core::PolicyOverrides& overrides) = 0;
    // Private → organization, once. Conflict "already_owned" if it has an owner already.
    virtual Result<core::Conversation> set_owner(
        const Id& id, const core::Owner& owner, TimestampMs at,
        const std::optional<core::Message>& announcement) = 0;

    // --- group hierarchy ----------------------------------------------------------------------
    // Each write below (and every membership write above and below) keeps inherited
    // memberships exact: every ancestor of a group has a member row for each direct member of
    // the group, marked inherited unless they are a direct member of the ancestor too.
    virtual Result<GroupLinks> find_group_links(const Id& group_id) = 0;
    virtual Result<GroupHierarchy> group_hierarchy(const Id& group_id) = 0;
    // Every (child, parent) link among the organization's groups.
    virtual Result<std::vector<std::pair<Id, Id>>> list_group_links(const Id& org_id) = 0;
    // False if the child already has this parent (nothing written). Conflict "hierarchy_cycle"
    // if the parent is the child or one of its descendants, "already_has_parent" if the child
    // has another parent.
    virtual Result<bool> link_group(const GroupLinkWrite& link, TimestampMs at) = 0;
    // Takes the child out of its parent's tree: false if it had no parent. The announcements
    // are written only if a link went.
    virtual Result<bool> unlink_group(const Id& child_id,
                                      const std::vector<core::Message>& announcements) = 0;
    // Links in one transaction, each checked as link_group checks it: one result per link (a
    // refused one writes nothing and carries its error; user_id is unused).
    virtual Result<std::vector<ImportWriteResult>> import_group_links(
        const std::vector<GroupLinkWrite>& links, TimestampMs at) = 0;

    // --- members ------------------------------------------------------------------------------
    virtual Result<std::optional<core::Member>> find_member(const Id& conversation_id,
                                                            const Id& user_id) = 0;
    virtual Result<std::vector<MemberWithUser>> list_members(const Id& conversation_id) = 0;
    // What deciding who may read the conversation needs of each member, in one query (it runs
    // for every change of a busy group's audience): the membership, and the member's entry in
    // the directory of org_id (empty for a private conversation). In user id order.
    virtual Result<std::vector<MemberAccessFacts>> list_member_access_facts(
        const Id& conversation_id, const Id& org_id) = 0;
    // False if already a direct member (nothing written); an inherited member becomes direct.
    virtual Result<bool> add_member(const core::Member& member,
                                    const std::optional<core::Message>& announcement) = 0;
    // False if not a member (nothing written). A direct member who is still in a descendant
    // group stays on as an inherited member.
    virtual Result<bool> remove_member(const Id& conversation_id, const Id& user_id,
                                       const std::optional<core::Message>& announcement) = 0;
    virtual Result<bool> set_member_role(const Id& conversation_id, const Id& user_id,
                                         core::MemberRole role) = 0;
    virtual Result<std::int64_t> count_admins(const Id& conversation_id) = 0;

    // --- messages -----------------------------------------------------------------------------
    // Assigns the next sequence number; the draft's id, sender, text, owner, client_id,
    // forwarded, private_to and created_at are kept. A repeated (sender, client_id) returns the
    // original, duplicate=true. A reply counts as a comment of the message it answers
    // (comment_count + 1 in the same transaction).
    // The draft's attachments are attached in the same transaction: one without message_id is
    // an upload the sender claims (refused with conflict "attachment_already_sent" unless it is
    // still unsent, of this conversation and the sender's); one whose message_id is the
    // draft's id is a new row (a forwarded copy) inserted with it.
    virtual Result<AppendResult> append_message(const core::Message& draft) = 0;
    virtual Result<std::optional<core::Message>> find_message(const Id& conversation_id,
                                                              const Id& message_id) = 0;
    virtual Result<std::vector<core::Message>> list_messages(const Id& conversation_id,
                                                             const MessageRange& range) = 0;
    virtual Result<core::Message> edit_message(const Id& conversation_id, const Id& message_id,
                                               const std::string& text, TimestampMs at) = 0;
    // Erases the text and the likes (like_count 0); a deleted comment no longer counts on the
    // message it answers.
    virtual Result<core::Message> delete_message(const Id& conversation_id, const Id& message_id,
                                                 TimestampMs at) = 0;
    // Likes (issue 5). Adds or takes away the user's like and the message's like_count in one
    // transaction; idempotent (changed=false when nothing changed). conflict "message_deleted"
    // if the message was deleted meanwhile, not_found if there is no such message.
    virtual Result<ReactionCounts> set_like(const Id& conversation_id, const Id& message_id,
                                            const Id& user_id, bool liked, TimestampMs at) = 0;
    virtual Result<bool> likes(const Id& message_id, const Id& user_id) = 0;
    virtual Result<std::vector<Like>> list_likes(const Id& conversation_id, const Id& message_id,
                                                 const LikeQuery& query) = 0;
    // How many messages with after < seq <= up_to are private to someone other than user_id:
    // what a public group's subscriber does not see of that range (their unread count).
    virtual Result<std::int64_t> count_private_to_others(const Id& conversation_id,
                                                         const Id& user_id, std::int64_t after,
                                                         std::int64_t up_to) = 0;
    // Moves the member's read marker forward (never back, never past the last message);
    // returns the marker after the call.
    virtual Result<std::int64_t> mark_read(const Id& conversation_id, const Id& user_id,
                                           std::int64_t seq) = 0;

    // --- invites ------------------------------------------------------------------------------
    virtual Result<void> create_invite(const core::Invite& invite,
                                       const std::string& token_hash) = 0;
    virtual Result<std::vector<core::Invite>> list_invites(const Id& conversation_id) = 0;
    virtual Result<std::optional<core::Invite>> find_invite_by_token_hash(
        const std::string& token_hash) = 0;
    virtual Result<bool> revoke_invite(const Id& conversation_id, const Id& invite_id) = 0;
    // Atomically checks the invite (revoked: gone "invite_revoked"; expired: gone
    // "invite_expired"; used up: gone "invite_used_up"), adds the member and counts the use.
    virtual Result<RedeemedInvite> redeem_invite(
        const std::string& token_hash, const core::Member& member, TimestampMs now,
        const std::optional<core::Message>& announcement) = 0;

    // --- bulk imports -------------------------------------------------------------------------
    virtual Result<void> create_import_job(const core::ImportJob& job) = 0;
    // Stores status, progress, counts, error and finished_at.
    virtual Result<void> update_import_job(const core::ImportJob& job) = 0;
    virtual Result<std::optional<core::ImportJob>> find_import_job(const Id& org_id,
                                                                   const Id& job_id) = 0;
    // Newest first.
    virtual Result<std::vector<core::ImportJob>> list_import_jobs(const Id& org_id, int limit) = 0;
    // Every job still queued or processing (left so by a stop) becomes failed with this error;
    // returns how many.
    virtual Result<std::int64_t> fail_unfinished_import_jobs(const std::string& code,
                                                             const std::string& message,
                                                             TimestampMs at) = 0;
    // The users of these E.164 phones (phones without a user are left out), each with their
    // live directory entry in the organization and its attribute values: what a page of import
    // rows needs, in three queries whatever the page size.
    virtual Result<std::vector<ImportedPerson>> find_people_for_import(
        const Id& org_id, const std::vector<std::string>& phones) = 0;
    // (lower-cased email, user id) for the live entries holding these emails.
    virtual Result<std::vector<std::pair<std::string, Id>>> find_email_holders(
        const Id& org_id, const std::vector<std::string>& emails) = 0;
    // Writes entries in one transaction; one refused (email_taken: another entry took the
    // email meanwhile) writes nothing and is reported in its result.
    virtual Result<std::vector<ImportWriteResult>> import_people(
        const std::vector<PersonWrite>& people) = 0;
    // (conversation id, user id, role) of the existing memberships among these.
    virtual Result<std::vector<core::Member>> find_memberships(
        const std::vector<Id>& conversation_ids, const std::vector<Id>& user_ids) = 0;
    // See MembershipImport; one result per membership (a person write that fails fails the
    // memberships of that phone). Announcements are sealed with their owner's key.
    virtual Result<std::vector<ImportWriteResult>> import_memberships(
        const MembershipImport& import) = 0;

    // --- exports -------------------------------------------------------------------------------
    virtual Result<void> create_export_job(const core::ExportJob& job) = 0;
    // Stores status, progress, rows, file_bytes, error and finished_at.
    virtual Result<void> update_export_job(const core::ExportJob& job) = 0;
    virtual Result<std::optional<core::ExportJob>> find_export_job(const Id& org_id,
                                                                   const Id& job_id) = 0;
    // Newest first; only those exported_by made when it is set.
    virtual Result<std::vector<core::ExportJob>> list_export_jobs(
        const Id& org_id, const std::optional<Id>& exported_by, int limit) = 0;
    // Every job still queued or running (left so by a stop) becomes failed with this error;
    // returns how many.
    virtual Result<std::int64_t> fail_unfinished_export_jobs(const std::string& code,
                                                             const std::string& message,
                                                             TimestampMs at) = 0;
    // The next `limit` live directory entries by phone after `after_phone` ("" for the first
    // page), with their values and groups: three queries a page, whatever its size, so an
    // export pages through any directory without holding it.
    virtual Result<std::vector<ExportedPerson>> export_people_page(const Id& org_id,
                                                                   const std::string& after_phone,
                                                                   int limit) = 0;
    // The next `limit` members of a conversation by phone after `after_phone`; names as the
    // organization's directory has them.
    virtual Result<std::vector<ExportedMember>> export_members_page(const Id& conversation_id,
                                                                    const Id& org_id,
                                                                    const std::string& after_phone,
                                                                    int limit) = 0;
    virtual Result<std::int64_t> count_members(const Id& conversation_id) = 0;

    // --- attachments --------------------------------------------------------------------------
    // The data key with this id (key_id_for()), created on first use.
    virtual Result<crypto::DataKey> data_key(const std::string& key_id) = 0;
    // An upload, unsent (message_id unset).
    virtual Result<void> insert_attachment(const core::Attachment& attachment) = 0;
    virtual Result<std::optional<core::Attachment>> find_attachment(const Id& attachment_id) = 0;
    // The attachments a card's responses answer with (survey attachment questions), oldest
    // first.
    virtual Result<std::vector<core::Attachment>> list_card_attachments(const Id& card_id) = 0;
    // Deletes the attachments no one will fetch again: uploads neither sent nor answering a
    // card that were made before `unsent_before`, and those of deleted messages. Returns how
    // many rows went.
    virtual Result<std::int64_t> delete_dead_attachments(TimestampMs unsent_before) = 0;
    // Every blob name an attachment names, as its file or its thumbnail.
    virtual Result<std::unordered_set<std::string>> referenced_blobs() = 0;

    // --- action cards -------------------------------------------------------------------------
    // Appends the card's message (draft.kind card, draft.card the card) and the card in one
    // transaction, checked and sequenced like append_message; spec and summary are sealed with
    // the owner's key. Returns the stored message with its card.
    virtual Result<core::Message> create_card(const core::Message& draft) = 0;
    virtual Result<std::optional<core::Card>> find_card(const Id& card_id) = 0;
    // Stores a response and the summary `update` computes, in one transaction, after checking
    // that the card is active at `now` (conflict "card_closed" / "card_expired" otherwise) and
    // that the responder is still a member ("card_not_found"). `replace_id` names the
    // responder's response to update (not found "response_not_found" if it is not theirs);
    // otherwise the response replaces the one of its slot, if any. `attachments` (a survey's
    // attachment answers: the responder's unsent uploads to the card's conversation) are claimed
    // for the response in the same transaction (conflict "attachment_already_sent" when one was
    // sent or claimed by another response meanwhile); those an updated response named before and
    // no longer names become their uploader's unsent uploads again.
    virtual Result<CardResponseOutcome> put_card_response(const core::CardResponse& response,
                                                          const std::optional<Id>& replace_id,
                                                          TimestampMs now,
                                                          const CardSummaryUpdate& update,
                                                          const std::vector<Id>& attachments) = 0;
    // Oldest first; answers opened. responder_id set: that responder's only.
    virtual Result<std::vector<core::CardResponse>> list_card_responses(
        const Id& card_id, const std::optional<Id>& responder_id) = 0;
    // Closes an active card (conflict "card_closed"/"card_expired" otherwise); returns it.
    virtual Result<core::Card> close_card(const Id& card_id, TimestampMs at) = 0;
    // Stores "expired" on every active card due at or before `now`; returns them.
    virtual Result<std::vector<core::Card>> expire_due_cards(TimestampMs now) = 0;
    // Records a reminder to these people unless the card was last reminded after
    // `not_after` (rate_limited "reminder_too_soon", with the seconds to wait).
    virtual Result<void> record_card_reminder(const Id& card_id, const std::vector<Id>& user_ids,
                                              TimestampMs at, TimestampMs not_after) = 0;
    // When the person was last reminded of the card, if ever.
    virtual Result<std::optional<TimestampMs>> find_card_reminder(const Id& card_id,
                                                                  const Id& user_id) = 0;
    // Changes an active card's spec and summary in one transaction; returns the card.
    virtual Result<core::Card> update_card_spec(const Id& card_id, TimestampMs now,
                                                const CardSpecUpdate& update) = 0;

    // --- health -------------------------------------------------------------------------------
    virtual Result<void> ping() = 0;
};

}  // namespace parley::store
