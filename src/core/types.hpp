#pragma once
// The domain's nouns: people, organizations, conversations, messages, invites and roles, as
// plain values. No I/O and no behaviour beyond small derived facts; rules live in authz/ and
// use cases in service/. Thread-compatible (plain data).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace parley::core {

using Id = std::string;  // opaque, prefixed random ids such as "usr_…"

struct User {
    Id id;
    std::string phone;  // E.164
    std::string name;
    TimestampMs created_at = 0;
};

// Who owns a conversation's data, or one message's: its participants, or one organization.
struct Owner {
    enum class Type { private_, organization };
    Type type = Type::private_;
    Id organization_id;  // set iff type == organization

    static Owner private_owner() { return {}; }
    static Owner organization(Id org) { return {Type::organization, std::move(org)}; }
    bool is_organization() const { return type == Type::organization; }
    bool operator==(const Owner&) const = default;
};

// The rules an organization sets for what happens inside its conversations (seed 000, Kaizala's
// "Tenant Policy" and "Edit Policies"). Each field's default is what Parley did before policies
// existed, so an organization that sets nothing sees no change. Private conversations are never
// subject to them.
struct ConversationPolicies {
    bool restrict_copy = false;     // clients disable copying (told to clients only)
    bool restrict_share = false;    // clients disable sharing out of the app (told to clients only)
    bool restrict_forward = false;  // the server refuses forwarding out of the conversation
    bool new_members_see_history = true;  // off: members see messages from when they joined on
    bool delete_for_everyone = true;      // off: nobody deletes a message for everyone
    bool invite_links = true;             // off: no new invite links, existing ones stop working
    // Members must have linked the owning organization's work account to use the conversation.
    // Always on for organization chats; for groups the tenant's groups_require_work_account
    // with the group's override. (The tenant keeps its value in OrganizationPolicies, so this
    // field of OrganizationPolicies::conversations is unused.)
    bool require_work_account = false;
    bool operator==(const ConversationPolicies&) const = default;
};

// One organization group's departures from its tenant's ConversationPolicies; unset inherits.
struct PolicyOverrides {
    std::optional<bool> restrict_copy;
    std::optional<bool> restrict_share;
    std::optional<bool> restrict_forward;
    std::optional<bool> new_members_see_history;
    std::optional<bool> delete_for_everyone;
    std::optional<bool> invite_links;
    std::optional<bool> require_work_account;
    bool operator==(const PolicyOverrides&) const = default;
};

// The tenant's values with the group's overrides applied.
ConversationPolicies apply(const ConversationPolicies& tenant, const PolicyOverrides& overrides);

struct OrganizationPolicies {
    bool parley_enabled = true;                // off: the organization's conversations are closed
    bool groups_require_work_account = false;  // organization groups admit linked people only
    // Group admins may set their organization group's overrides (within the tenant's limits);
    // organization admins always may. On by default: Kaizala lets "both organization admins
    // and group admins set policies for organization groups" (seed 000).
    bool group_admins_set_policies = true;
    ConversationPolicies conversations;  // the defaults of every organization conversation
    bool operator==(const OrganizationPolicies&) const = default;
};

struct Organization {
    Id id;
    std::string name;
    std::string default_region;  // ISO 3166 alpha-2, e.g. "SG"
    OrganizationPolicies policies;
    TimestampMs created_at = 0;
};

enum class OrgRole { none, member, admin };

// A person in an organization's directory (seed 004 "Users").
struct OrgPerson {
    Id organization_id;
    Id user_id;
    std::string phone;
    std::string name;
    std::string email;  // work email; empty if none
    OrgRole role = OrgRole::member;
    bool work_account_linked = false;
    TimestampMs added_at = 0;
};

// A custom attribute an organization defines for the people in its directory (seed 004):
// "Employee ID", "Department", … Names are unique per organization, ignoring ASCII case.
enum class AttributeType { string, number, boolean, date_time };

struct AttributeDefinition {
    Id id;
    Id organization_id;
    std::string name;
    AttributeType type = AttributeType::string;
    bool mandatory = false;           // must be given when a person is added
    bool self_editable = false;       // people may change their own value
    bool visible_to_members = false;  // else only admins (and the person) see values
    TimestampMs created_at = 0;
};

// One person's value of one attribute, as normalized text (see service/attributes.hpp).
struct AttributeValue {
    Id attribute_id;
    Id user_id;
    std::string value;
};

// The work account a user has proven (one organization at a time).
struct WorkAccount {
    Id user_id;
    Id organization_id;
    std::string email;
    TimestampMs linked_at = 0;
};

enum class ConversationKind { chat, group };
enum class MemberRole { member, admin };

// The stored type of a group (issue 4, Kaizala's group types), chosen at creation and fixed
// after. Flat: everyone sees everyone and everything said. Public (broadcast): admins and
// subscribers (the non-admin members), who see the admins but not each other, and whose
// messages only the admins see. Private groups are always flat. Hierarchical is not stored: a
// group is hierarchical when it has subgroups, which is a fact about its links, not its type.
enum class GroupType { flat, public_ };

struct Conversation {
    Id id;
    ConversationKind kind = ConversationKind::group;
    std::string name;  // groups only
    Owner owner;
    std::int64_t last_seq = 0;
    Id created_by;
    TimestampMs created_at = 0;
    TimestampMs owner_changed_at = 0;  // when a private group was added to an organization
    TimestampMs last_activity_at = 0;  // last message, for ordering the conversation list
    PolicyOverrides policy_overrides;  // organization groups only; empty elsewhere
    // Groups only (chats are flat). Managed: a public group only its admins' people may join.
    GroupType group_type = GroupType::flat;
    bool managed = false;
};

struct Member {
    Id conversation_id;
    Id user_id;
    MemberRole role = MemberRole::member;
    std::int64_t read_seq = 0;  // highest sequence this member has read
    TimestampMs joined_at = 0;
    // The conversation's last sequence when this member joined (0 for founders and members
    // from before schema 3): where their history starts when new members do not see history.
    std::int64_t joined_seq = 0;
    // Set for an inherited membership: the member is a direct member of this descendant group
    // (one of them, if several) and receives this group's messages through it. Inherited members
    // read and are counted like others but do not post, and their role is always member.
    std::optional<Id> via_group_id;
    bool inherited() const { return via_group_id.has_value(); }
};

// A conversation as its member sees it in the list.
struct ConversationSummary {
    Conversation conversation;
    MemberRole role = MemberRole::member;
    std::int64_t read_seq = 0;
    std::int64_t unread = 0;   // last_seq - read_seq: every message after the marker, system and
                               // deleted ones included (sending moves the sender's marker),
                               // less, for a public group's subscriber, others' private ones
    std::optional<User> peer;  // chats: the other participant
    ConversationPolicies policies;   // in force (service fills them in; none for private ones)
    std::optional<Id> via_group_id;  // an inherited membership (see Member::via_group_id)
};

// card: an action card (poll, survey, …) posted as a message; its text is the card's title and
// Message::card holds the card itself where the store attaches it (history, resume, live).
enum class MessageKind { text, system, card };

// Action cards (issue 5, Kaizala's polls, surveys, announcements, jobs and checklists). The
// spec, the summary and each response's answers are JSON documents whose shape per type lives
// in service/card_rules.hpp; the store seals them with the owner's data key like message bodies.
enum class CardType { poll, survey, announcement, job, checklist };
// Stored states are active and closed; expired is derived from due_at (state_at), and a sweep
// stores it so that it can be announced.
enum class CardState { active, closed, expired };
// Who sees the results: everyone who may read the card, or its sender (and admins) only.
enum class ResultsVisibility { all, sender };

struct Card {
    Id id;  // "crd_…"
    Id message_id;
    Id conversation_id;
    Id creator_id;
    CardType type = CardType::poll;
    std::string spec;  // normalized JSON (service/card_rules.hpp)
    CardState state = CardState::active;
    bool anonymous = false;
    ResultsVisibility results_visibility = ResultsVisibility::all;
    bool allow_multiple = false;  // several responses per person (surveys)
    std::optional<TimestampMs> due_at;
    std::optional<TimestampMs> closed_at;  // closed or expired
    std::optional<TimestampMs> last_reminded_at;
    std::string summary;  // JSON, kept up to date in each response's transaction
    std::int64_t response_count = 0;
    std::int64_t version = 0;  // bumped by every change of summary or state
    Owner owner;               // the card message's owner, whose key seals spec and answers
    TimestampMs created_at = 0;

    // The state at `now`: an active card past its due time is expired even before the sweep
    // has stored it.
    CardState state_at(TimestampMs now) const {
        if (state == CardState::active && due_at && *due_at <= now) return CardState::expired;
        return state;
    }
};

// One stored response. slot says what a new response replaces: the responder (one response
// per person), the response itself (several allowed) or a checklist item (its latest tick).
struct CardResponse {
    Id id;  // "rsp_…"
    Id card_id;
    Id responder_id;
    std::string slot;
    std::string answers;  // normalized JSON
    TimestampMs created_at = 0;
    TimestampMs updated_at = 0;
};

// What card.updated and card.reminder tell: only what everyone who receives it may know.
struct CardNotice {
    Id card_id;
    Id message_id;
    Id conversation_id;
    CardState state = CardState::active;
    std::int64_t version = 0;
    std::optional<std::int64_t> response_count;  // only where results are visible to all
};

// A file sent with a message (a picture, document, audio or video). Uploaded first, unsent
// (message_id unset) and visible to its uploader only; attached to one message when that is
// sent. Its bytes are a blob sealed under key_id, the owner's data key at upload time.
struct Attachment {
    Id id;
    Id conversation_id;
    Id uploader_id;
    std::string name;                           // the file name given at upload
    std::string content_type;                   // from the content, e.g. "image/png"
    std::string kind;                           // "picture", "document", "audio" or "video"
    std::int64_t size = 0;                      // bytes of the file
    std::optional<std::int64_t> width;          // pictures
    std::optional<std::int64_t> height;         // pictures
    std::optional<std::int64_t> duration_ms;    // audio and video, where cheap to read
    std::string blob;                           // the blob's name in the blob store
    std::string key_id;                         // "org:<id>" or "cnv:<id>"
    std::optional<std::string> thumbnail_blob;  // pictures: a small JPEG, sealed the same way
    std::int64_t thumbnail_size = 0;
    TimestampMs created_at = 0;
    std::optional<Id> message_id;  // set once sent
    // Set once a survey response answers with it (never with message_id): its card and response.
    std::optional<Id> card_id;
    std::optional<Id> response_id;
};

// How many attachments one message may carry.
inline constexpr std::size_t kMaxAttachmentsPerMessage = 10;

struct Message {
    Id id;
    Id conversation_id;
    std::int64_t seq = 0;
    Id sender_id;  // empty for system messages
    MessageKind kind = MessageKind::text;
    std::string text;  // plaintext in the domain; sealed by the store
    std::string client_id;
    std::optional<Id> reply_to;
    Owner owner;  // stamped at write time; never changes afterwards
    TimestampMs created_at = 0;
    std::optional<TimestampMs> edited_at;
    std::optional<TimestampMs> deleted_at;  // deleted for everyone: text is erased
    bool forwarded = false;  // a copy of another message's text; where from is not disclosed
    // Set in public groups: the one member besides the admins who may read this message (the
    // subscriber who wrote it, whom a reply answers, or whom a system message is about). Unset:
    // everyone who reads the conversation. Stamped at write time; never changes.
    std::optional<Id> private_to;
    std::vector<Attachment> attachments;  // in the order they were attached; metadata only
    std::optional<Card> card;  // kind card: the card as it stands (attached by the store)
    // Reactions (issue 5), counters the store keeps in the same transaction as each change:
    // the people who like the message, and its comments (the replies to it not deleted).
    std::int64_t like_count = 0;
    std::int64_t comment_count = 0;
    // Whether the person reading likes it; unset where the message is not read by one person
    // (a live event, serialized once for every recipient).
    std::optional<bool> liked_by_reader;
};

struct Invite {
    Id id;
    Id conversation_id;
    Id created_by;
    std::optional<TimestampMs> expires_at;
    std::optional<std::int64_t> max_uses;
    std::int64_t uses = 0;
    bool revoked = false;
    TimestampMs created_at = 0;
};

struct Session {
    Id id;
    Id user_id;
    std::string token_hash;  // the token itself is never stored
    std::string user_agent;
    std::string client_address;
    TimestampMs created_at = 0;
    TimestampMs last_used_at = 0;
    std::optional<TimestampMs> revoked_at;
};

// A bulk CSV upload (seeds 001, 004) and what became of it. Counts are data rows: applied
// (something changed), unchanged (already so: re-uploading a file changes nothing), failed
// (a row error, in the job's error log). A Failed job applied nothing unless it was cut off
// by a server stop (error code import_interrupted).
enum class ImportKind { users, user_groups, parent_groups };
enum class ImportStatus { queued, processing, completed, failed };

struct ImportJob {
    Id id;
    Id organization_id;
    ImportKind kind = ImportKind::users;
    std::string file_name;  // as the uploader named it, for the history
    std::int64_t file_bytes = 0;
    Id uploaded_by;
    std::string uploaded_by_phone;  // filled in by reads, for the history
    bool dry_run = false;
    ImportStatus status = ImportStatus::queued;
    int progress = 0;  // percent of the file's bytes processed
    std::int64_t rows = 0;
    std::int64_t applied = 0;
    std::int64_t unchanged = 0;
    std::int64_t failed = 0;
    std::string error_code;  // Failed jobs only
    std::string error_message;
    TimestampMs created_at = 0;
    std::optional<TimestampMs> finished_at;
};

// An export of organization data as a CSV file (issue 4), written by a background job: the
// directory (people) or one organization group's membership (group_members). rows counts the
// data rows written so far; a Failed job's partial file is deleted.
enum class ExportKind { people, group_members };
enum class ExportStatus { queued, running, completed, failed };

struct ExportJob {
    Id id;
    Id organization_id;
    ExportKind kind = ExportKind::people;
    Id group_id;             // group_members only
    std::string group_name;  // filled in by reads, for the history ("" if the group is gone)
    std::string file_name;   // the download's name, e.g. "people-2026-11-26.csv"
    Id exported_by;
    std::string exported_by_phone;  // filled in by reads, for the history
    ExportStatus status = ExportStatus::queued;
    int progress = 0;  // percent of the rows written
    std::int64_t rows = 0;
    std::int64_t file_bytes = 0;
    std::string error_code;  // Failed jobs only
    std::string error_message;
    TimestampMs created_at = 0;
    std::optional<TimestampMs> finished_at;
};

const char* to_string(OrgRole role);
const char* to_string(MemberRole role);
const char* to_string(ImportKind kind);
const char* to_string(ImportStatus status);
const char* to_string(ExportKind kind);
const char* to_string(ExportStatus status);
const char* to_string(ConversationKind kind);
const char* to_string(GroupType type);
// "flat" or "public"; nullopt for anything else.
std::optional<GroupType> parse_group_type(std::string_view text);
const char* to_string(AttributeType type);
const char* to_string(CardType type);
const char* to_string(CardState state);
const char* to_string(ResultsVisibility visibility);
std::optional<CardType> parse_card_type(std::string_view text);
std::optional<ResultsVisibility> parse_results_visibility(std::string_view text);

constexpr std::size_t kMaxMessageChars = 4000;
constexpr std::size_t kMaxNameChars = 200;

}  // namespace parley::core
