#include "store/sqlite/migrations.hpp"

#include <array>
#include <string>

namespace parley::store::sqlite {
namespace {

constexpr const char* kMigration1 = R"sql(
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    phone       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

CREATE TABLE sign_in_codes (
    phone       TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (phone, purpose)
);

CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    token_hash      TEXT NOT NULL UNIQUE,
    user_agent      TEXT NOT NULL DEFAULT '',
    client_address  TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER NOT NULL,
    revoked_at      INTEGER
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE organizations (
    id                           TEXT PRIMARY KEY,
    name                         TEXT NOT NULL,
    default_region               TEXT NOT NULL,
    parley_enabled               INTEGER NOT NULL DEFAULT 1,
    groups_require_work_account  INTEGER NOT NULL DEFAULT 0,
    created_at                   INTEGER NOT NULL
);
CREATE INDEX organizations_by_name ON organizations(name);

CREATE TABLE org_people (
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    user_id          TEXT NOT NULL REFERENCES users(id),
    name             TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    role             TEXT NOT NULL DEFAULT 'member',
    added_at         INTEGER NOT NULL,
    removed_at       INTEGER,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX org_people_by_user ON org_people(user_id);
CREATE INDEX org_people_by_email ON org_people(organization_id, email);

CREATE TABLE work_accounts (
    user_id          TEXT PRIMARY KEY REFERENCES users(id),
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    email            TEXT NOT NULL,
    linked_at        INTEGER NOT NULL
);

CREATE TABLE conversations (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    owner_org_id      TEXT REFERENCES organizations(id),
    last_seq          INTEGER NOT NULL DEFAULT 0,
    created_by        TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    owner_changed_at  INTEGER NOT NULL DEFAULT 0,
    last_activity_at  INTEGER NOT NULL DEFAULT 0,
    chat_key          TEXT UNIQUE
);
CREATE INDEX conversations_by_owner ON conversations(owner_org_id);

CREATE TABLE members (
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    user_id          TEXT NOT NULL REFERENCES users(id),
    role             TEXT NOT NULL DEFAULT 'member',
    read_seq         INTEGER NOT NULL DEFAULT 0,
    joined_at        INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX members_by_user ON members(user_id);

CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    seq              INTEGER NOT NULL,
    sender_id        TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL DEFAULT 'text',
    client_id        TEXT NOT NULL DEFAULT '',
    reply_to         TEXT,
    owner_org_id     TEXT,
    key_id           TEXT NOT NULL,
    body             BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    edited_at        INTEGER,
    deleted_at       INTEGER,
    UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX messages_idempotency
    ON messages(conversation_id, sender_id, client_id) WHERE client_id <> '';

CREATE TABLE invites (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    token_hash       TEXT NOT NULL UNIQUE,
    created_by       TEXT NOT NULL,
    expires_at       INTEGER,
    max_uses         INTEGER,
    uses             INTEGER NOT NULL DEFAULT 0,
    revoked          INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL
);
CREATE INDEX invites_by_conversation ON invites(conversation_id);

-- Data keys, wrapped by the master key; never stored in clear.
CREATE TABLE data_keys (
    id          TEXT PRIMARY KEY,
    wrapped     BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);
)sql";

// Issue 4, the directory: custom attributes and their values, what a removal took away (so
// that it can be restored for a while), and wipes waiting for offline devices.
constexpr const char* kMigration2 = R"sql(
CREATE TABLE org_attributes (
    id                  TEXT PRIMARY KEY,
    organization_id     TEXT NOT NULL REFERENCES organizations(id),
    name                TEXT NOT NULL,
    type                TEXT NOT NULL,
    mandatory           INTEGER NOT NULL DEFAULT 0,
    self_editable       INTEGER NOT NULL DEFAULT 0,
    visible_to_members  INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);
-- Names are unique ignoring case; lower() folds ASCII only, which the service matches.
CREATE UNIQUE INDEX org_attributes_by_name ON org_attributes(organization_id, lower(name));

CREATE TABLE person_attributes (
    organization_id  TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    attribute_id     TEXT NOT NULL REFERENCES org_attributes(id),
    value            TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id, attribute_id)
);
CREATE INDEX person_attributes_by_attribute ON person_attributes(attribute_id);

-- The organization groups a removed person was taken out of; org_people.removed_at says when.
CREATE TABLE removed_memberships (
    organization_id  TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    conversation_id  TEXT NOT NULL,
    role             TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id, conversation_id)
);
CREATE INDEX org_people_removed ON org_people(organization_id, removed_at)
    WHERE removed_at IS NOT NULL;

-- One row per session that was live when its user was removed from an organization.
CREATE TABLE pending_wipes (
    session_id       TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    organization_id  TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (session_id, organization_id)
);
CREATE INDEX pending_wipes_by_user ON pending_wipes(user_id, organization_id);
)sql";

// Issue 4, policies: the tenant's conversation policies, each organization group's overrides
// (NULL inherits the tenant's), where each member's history starts, and forwarded messages.
// Defaults are what Parley did before, so existing data behaves as it did; members from before
// this version count as having joined at the start (joined_seq 0).
constexpr const char* kMigration3 = R"sql(
ALTER TABLE organizations ADD COLUMN group_admins_set_policies INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN restrict_copy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN restrict_share INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN restrict_forward INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN new_members_see_history INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN delete_for_everyone INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN invite_links INTEGER NOT NULL DEFAULT 1;

ALTER TABLE conversations ADD COLUMN policy_restrict_copy INTEGER;
ALTER TABLE conversations ADD COLUMN policy_restrict_share INTEGER;
ALTER TABLE conversations ADD COLUMN policy_restrict_forward INTEGER;
ALTER TABLE conversations ADD COLUMN policy_new_members_see_history INTEGER;
ALTER TABLE conversations ADD COLUMN policy_delete_for_everyone INTEGER;
ALTER TABLE conversations ADD COLUMN policy_invite_links INTEGER;

ALTER TABLE members ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;

ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
)sql";

// Issue 4, bulk CSV uploads: one row per upload job. The file itself and its error log live
// under <data>/imports/, named by the job id.
constexpr const char* kMigration4 = R"sql(
CREATE TABLE import_jobs (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    kind             TEXT NOT NULL,
    file_name        TEXT NOT NULL,
    file_bytes       INTEGER NOT NULL,
    uploaded_by      TEXT NOT NULL REFERENCES users(id),
    dry_run          INTEGER NOT NULL,
    status           TEXT NOT NULL,
    progress         INTEGER NOT NULL DEFAULT 0,
    rows             INTEGER NOT NULL DEFAULT 0,
    applied          INTEGER NOT NULL DEFAULT 0,
    unchanged        INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0,
    error_code       TEXT NOT NULL DEFAULT '',
    error_message    TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
);
CREATE INDEX import_jobs_by_org ON import_jobs(organization_id, created_at);
CREATE INDEX import_jobs_unfinished ON import_jobs(status)
    WHERE status IN ('queued', 'processing');

-- Email uniqueness is checked per row on import: one index lookup instead of a directory scan.
CREATE INDEX org_people_by_lower_email ON org_people(organization_id, lower(email));
)sql";

// Issue 4, exports: one row per export job. The file lives under <data>/exports/, named by
// the job id. group_id has no foreign key: the history outlives what it names.
constexpr const char* kMigration5 = R"sql(
CREATE TABLE export_jobs (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    kind             TEXT NOT NULL,
    group_id         TEXT NOT NULL DEFAULT '',
    file_name        TEXT NOT NULL,
    exported_by      TEXT NOT NULL REFERENCES users(id),
    status           TEXT NOT NULL,
    progress         INTEGER NOT NULL DEFAULT 0,
    rows             INTEGER NOT NULL DEFAULT 0,
    file_bytes       INTEGER NOT NULL DEFAULT 0,
    error_code       TEXT NOT NULL DEFAULT '',
    error_message    TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
);
CREATE INDEX export_jobs_by_org ON export_jobs(organization_id, created_at);
CREATE INDEX export_jobs_by_exporter ON export_jobs(organization_id, exported_by, created_at);
CREATE INDEX export_jobs_unfinished ON export_jobs(status)
    WHERE status IN ('queued', 'running');
)sql";

// Issue 4, hierarchical groups: which organization group is whose child (a tree: one parent at
// most), and inherited memberships. A member of a descendant group is also a member row of every
// ancestor, marked by via_group_id (a descendant they are a direct member of; NULL for direct
// members), so reads, unread counts, read markers and the live audience need no tree walk.
constexpr const char* kMigration6 = R"sql(
CREATE TABLE group_parents (
    child_id   TEXT PRIMARY KEY REFERENCES conversations(id),
    parent_id  TEXT NOT NULL REFERENCES conversations(id),
    linked_at  INTEGER NOT NULL
);
CREATE INDEX group_parents_by_parent ON group_parents(parent_id);

ALTER TABLE members ADD COLUMN via_group_id TEXT;
)sql";

// Issue 4, group types: each group's stored type (flat or public; hierarchical is derived from
// its subgroups, not stored) and whether a public group is managed, fixed at creation; and
// per-message visibility for public groups: the one member besides the admins a message is
// private to. The partial index serves a subscriber's unread count (the messages private to
// others after their marker) from the index alone, and costs nothing for other messages.
constexpr const char* kMigration7 = R"sql(
ALTER TABLE conversations ADD COLUMN group_type TEXT NOT NULL DEFAULT 'flat';
ALTER TABLE conversations ADD COLUMN managed INTEGER NOT NULL DEFAULT 0;

ALTER TABLE messages ADD COLUMN private_to TEXT;
CREATE INDEX messages_private ON messages(conversation_id, seq, private_to)
    WHERE private_to IS NOT NULL;
)sql";

// 8: a group's own "require work account" override (NULL: the tenant's applies).
constexpr const char* kMigration8 = R"sql(
ALTER TABLE conversations ADD COLUMN policy_require_work_account INTEGER;
)sql";

// 9: attachments. A row per uploaded file; its bytes are a sealed blob under the data dir.
// message_id and message_seq are set when a message carries it (one message per row: a
// forward inserts a new row for the same or a resealed blob).
constexpr const char* kMigration9 = R"sql(
CREATE TABLE attachments (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    uploader_id      TEXT NOT NULL,
    name             TEXT NOT NULL,
    content_type     TEXT NOT NULL,
    kind             TEXT NOT NULL,
    size             INTEGER NOT NULL,
    width            INTEGER,
    height           INTEGER,
    duration_ms      INTEGER,
    blob             TEXT NOT NULL,
    key_id           TEXT NOT NULL,
    thumbnail_blob   TEXT,
    thumbnail_size   INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    message_id       TEXT,
    message_seq      INTEGER,
    position         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_by_seq ON attachments(conversation_id, message_seq)
    WHERE message_id IS NOT NULL;
CREATE INDEX attachments_by_message ON attachments(message_id) WHERE message_id IS NOT NULL;
)sql";

// Issue 5, action cards: a card is a message (kind 'card') with a row here. spec, summary and
// each response's answers are sealed with the message owner's data key (key_id), like message
// bodies; state, counts, times and ids stay clear for the sweep and the queries. The summary is
// updated in each response's transaction, never recomputed. slot decides what a response
// replaces (its responder, itself, or a checklist item). Reminders are recorded per recipient.
constexpr const char* kMigration10 = R"sql(
CREATE TABLE cards (
    id                  TEXT PRIMARY KEY,
    message_id          TEXT NOT NULL UNIQUE REFERENCES messages(id),
    conversation_id     TEXT NOT NULL REFERENCES conversations(id),
    creator_id          TEXT NOT NULL REFERENCES users(id),
    type                TEXT NOT NULL,
    key_id              TEXT NOT NULL,
    spec                BLOB NOT NULL,
    state               TEXT NOT NULL DEFAULT 'active',
    anonymous           INTEGER NOT NULL DEFAULT 0,
    results_visibility  TEXT NOT NULL DEFAULT 'all',
    allow_multiple      INTEGER NOT NULL DEFAULT 0,
    due_at              INTEGER,
    closed_at           INTEGER,
    last_reminded_at    INTEGER,
    summary             BLOB NOT NULL,
    response_count      INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);
CREATE INDEX cards_due ON cards(due_at) WHERE state = 'active' AND due_at IS NOT NULL;

CREATE TABLE card_responses (
    id            TEXT PRIMARY KEY,
    card_id       TEXT NOT NULL REFERENCES cards(id),
    responder_id  TEXT NOT NULL REFERENCES users(id),
    slot          TEXT NOT NULL,
    answers       BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (card_id, slot)
);
CREATE INDEX card_responses_by_responder ON card_responses(card_id, responder_id);

CREATE TABLE card_reminders (
    card_id      TEXT NOT NULL REFERENCES cards(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    reminded_at  INTEGER NOT NULL,
    PRIMARY KEY (card_id, user_id)
);
)sql";

// 11, issue 5 reactions: likes (one row per person and message; the id pages the likers in
// the order they liked) and per-message counters, kept by the writes that change them, so that
// reading a message never counts. A comment is a reply: replies are indexed by what they answer,
// and the counts of the replies already written are filled in once here.
constexpr const char* kMigration11 = R"sql(
CREATE TABLE message_likes (
    id          INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL REFERENCES messages(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (message_id, user_id)
);

ALTER TABLE messages ADD COLUMN like_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_replies ON messages(conversation_id, reply_to, seq)
    WHERE reply_to IS NOT NULL;
UPDATE messages SET comment_count = (
    SELECT COUNT(*) FROM messages r WHERE r.conversation_id = messages.conversation_id AND
        r.reply_to = messages.id AND r.deleted_at IS NULL)
WHERE id IN (SELECT reply_to FROM messages WHERE reply_to IS NOT NULL);
)sql";

// 12, issue 5: a survey's attachment answer is an upload claimed by the response that names
// it (never by a message): fetched by its responder and by those who may see the card's
// responses. Unsent and unclaimed uploads are swept after a while (AttachmentSweeper).
constexpr const char* kMigration12 = R"sql(
ALTER TABLE attachments ADD COLUMN card_id TEXT;
ALTER TABLE attachments ADD COLUMN response_id TEXT;
CREATE INDEX attachments_unclaimed ON attachments(created_at)
    WHERE message_id IS NULL AND response_id IS NULL;
)sql";

// 13: a survey's results list the files its responses answer with (list_card_attachments).
constexpr const char* kMigration13 = R"sql(
CREATE INDEX attachments_by_card ON attachments(card_id) WHERE card_id IS NOT NULL;
)sql";

// 14: reports count what was said in an organization's groups in a period.
constexpr const char* kMigration14 = R"sql(
CREATE INDEX messages_by_org_time ON messages(owner_org_id, created_at)
    WHERE owner_org_id IS NOT NULL;
)sql";

// 15: and the card responses given in a period (bench/run-report-bench: a year of 100,000
// responses went from a walk over every message of the organization to 0.1 s).
constexpr const char* kMigration15 = R"sql(
CREATE INDEX card_responses_by_time ON card_responses(created_at);
)sql";

constexpr std::array<const char*, 15> kMigrations = {
    kMigration1,  kMigration2,  kMigration3,  kMigration4,  kMigration5,
    kMigration6,  kMigration7,  kMigration8,  kMigration9,  kMigration10,
    kMigration11, kMigration12, kMigration13, kMigration14, kMigration15};

int schema_version(Connection& c) {
    auto stmt = c.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!stmt) return -1;
    auto row = (*stmt)->step();
    return row && *row ? static_cast<int>((*stmt)->int64(0)) : -1;
}

// Applies the migration after the current version; false when there was none to apply.
// REQUIRES: inside a write transaction.
Result<bool> apply_next(Connection& c) {
    int current = schema_version(c);
    if (current < 0) {
        return fail(ErrorKind::internal, "store_error", "Cannot read the schema version.");
    }
    if (current > static_cast<int>(kMigrations.size())) {
        return fail(ErrorKind::internal, "schema_too_new",
                    "The database was written by a newer Parley (schema " +
                        std::to_string(current) + "); upgrade parleyd.");
    }
    if (current == static_cast<int>(kMigrations.size())) return false;
    PARLEY_TRY_VOID(c.exec(kMigrations[static_cast<std::size_t>(current)]));
    PARLEY_TRY_VOID(c.exec("INSERT INTO schema_migrations(version) VALUES (" +
                           std::to_string(current + 1) + ")"));
    return true;
}

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

Result<int> migrate(Connection& c) {
    PARLEY_TRY_VOID(
        c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
               "applied_at INTEGER NOT NULL DEFAULT (strftime('%s','now')))"));
    // Each step reads the version inside its own write transaction, so two processes starting
    // on a fresh database cannot both apply the same migration.
    for (;;) {
        PARLEY_TRY_VOID(c.exec("BEGIN IMMEDIATE"));
        auto step = apply_next(c);
        if (!step) {
            (void)c.exec("ROLLBACK");
            return std::unexpected(step.error());
        }
        PARLEY_TRY_VOID(c.exec("COMMIT"));
        if (!*step) break;
    }
    return latest_schema_version();
}

}  // namespace parley::store::sqlite
