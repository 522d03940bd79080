#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "common/log.hpp"
#include "crypto/aead.hpp"
#include "crypto/random.hpp"
#include "store/sqlite/db.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/writer.hpp"

namespace parley::store::sqlite {
namespace {

using core::Conversation;
using core::ConversationKind;
using core::Member;
using core::MemberRole;
using core::Message;
using core::OrgPerson;
using core::OrgRole;
using core::Owner;
using core::User;

// ---- SQL, one named constant per statement -------------------------------------------------

constexpr const char* kUserColumns = "id, phone, name, created_at";
constexpr const char* kInsertUser =
    "INSERT INTO users(id, phone, name, created_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(phone) DO NOTHING";
constexpr const char* kSelectUserById =
    "SELECT id, phone, name, created_at FROM users WHERE id = ?1";
constexpr const char* kSelectUserByPhone =
    "SELECT id, phone, name, created_at FROM users WHERE phone = ?1";
constexpr const char* kUpdateUserName = "UPDATE users SET name = ?2 WHERE id = ?1";

constexpr const char* kUpsertCode =
    "INSERT INTO sign_in_codes(phone, purpose, code_hash, target, expires_at, attempts, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6) ON CONFLICT(phone, purpose) DO UPDATE SET "
    "code_hash = excluded.code_hash, target = excluded.target, expires_at = excluded.expires_at, "
    "attempts = 0, created_at = excluded.created_at";
constexpr const char* kSelectCode =
    "SELECT phone, purpose, code_hash, target, expires_at, attempts, created_at "
    "FROM sign_in_codes WHERE phone = ?1 AND purpose = ?2";
constexpr const char* kBumpCodeAttempts =
    "UPDATE sign_in_codes SET attempts = attempts + 1 WHERE phone = ?1 AND purpose = ?2 "
    "RETURNING attempts";
constexpr const char* kDeleteCode =
    "DELETE FROM sign_in_codes WHERE phone = ?1 AND purpose = ?2 AND code_hash = ?3";

constexpr const char* kInsertSession =
    "INSERT INTO sessions(id, user_id, token_hash, user_agent, client_address, created_at, "
    "last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr const char* kSelectSessionByHash =
    "SELECT id, user_id, token_hash, user_agent, client_address, created_at, last_used_at, "
    "revoked_at FROM sessions WHERE token_hash = ?1";
constexpr const char* kSelectSessionsByUser =
    "SELECT id, user_id, token_hash, user_agent, client_address, created_at, last_used_at, "
    "revoked_at FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY created_at";
constexpr const char* kTouchSession =
    "UPDATE sessions SET last_used_at = ?2 WHERE id = ?1 AND last_used_at < ?2";
constexpr const char* kRevokeSession =
    "UPDATE sessions SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL";

// The tenant policies, in the order read_organization() and the writes below use them.
#define ORGANIZATION_COLUMNS                                                            \
    "o.id, o.name, o.default_region, o.parley_enabled, o.groups_require_work_account, " \
    "o.created_at, o.group_admins_set_policies, o.restrict_copy, o.restrict_share, "    \
    "o.restrict_forward, o.new_members_see_history, o.delete_for_everyone, o.invite_links "
constexpr int kOrganizationColumns = 13;
constexpr const char* kInsertOrganization =
    "INSERT INTO organizations(id, name, default_region, parley_enabled, "
    "groups_require_work_account, created_at, group_admins_set_policies, restrict_copy, "
    "restrict_share, restrict_forward, new_members_see_history, delete_for_everyone, "
    "invite_links) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr const char* kSelectOrganization =
    "SELECT " ORGANIZATION_COLUMNS "FROM organizations o WHERE o.id = ?1";
constexpr const char* kSelectOrganizationByName = "SELECT " ORGANIZATION_COLUMNS
                                                  "FROM organizations o WHERE o.name = ?1 "
                                                  "ORDER BY o.created_at LIMIT 1";
constexpr const char* kUpdateOrganization =
    "UPDATE organizations SET name = ?2, default_region = ?3, parley_enabled = ?4, "
    "groups_require_work_account = ?5, group_admins_set_policies = ?6, restrict_copy = ?7, "
    "restrict_share = ?8, restrict_forward = ?9, new_members_see_history = ?10, "
    "delete_for_everyone = ?11, invite_links = ?12 WHERE id = ?1";
constexpr const char* kSelectUserOrganizations =
    "SELECT " ORGANIZATION_COLUMNS
    ", p.organization_id, p.user_id, u.phone, p.name, p.email, "
    "p.role, "
    "(w.user_id IS NOT NULL), p.added_at "
    "FROM org_people p JOIN organizations o ON o.id = p.organization_id "
    "JOIN users u ON u.id = p.user_id "
    "LEFT JOIN work_accounts w ON w.user_id = p.user_id AND w.organization_id = p.organization_id "
    "WHERE p.user_id = ?1 AND p.removed_at IS NULL ORDER BY o.created_at";

// Directory entries always come with the phone and the work-account link.
#define PERSON_SELECT                                                                         \
    "SELECT p.organization_id, p.user_id, u.phone, p.name, p.email, p.role, "                 \
    "(w.user_id IS NOT NULL), p.added_at FROM org_people p JOIN users u ON u.id = p.user_id " \
    "LEFT JOIN work_accounts w ON w.user_id = p.user_id AND w.organization_id = "             \
    "p.organization_id "
constexpr const char* kUpsertPerson =
    "INSERT INTO org_people(organization_id, user_id, name, email, role, added_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(organization_id, user_id) DO UPDATE SET "
    "name = excluded.name, email = excluded.email, role = excluded.role, "
    "added_at = CASE WHEN removed_at IS NULL THEN added_at ELSE excluded.added_at END, "
    "removed_at = NULL";
constexpr const char* kSelectPerson =
    PERSON_SELECT "WHERE p.organization_id = ?1 AND p.user_id = ?2 AND p.removed_at IS NULL";
// Driven by the group's members (CROSS JOIN fixes the order): left to itself SQLite walks the
// whole directory and probes each person's membership, which in a 100,000-person organization
// made every audience read of a small group cost a directory scan.
// Walks the members' primary key (no sort) and touches no user row: a group's audience is read
// after every change of its membership.
constexpr const char* kSelectMemberAccessFacts =
    "SELECT m.user_id, m.role, m.joined_seq, m.via_group_id IS NOT NULL, p.role, "
    "(w.user_id IS NOT NULL) FROM members m LEFT JOIN org_people p "
    "ON p.organization_id = ?2 AND p.user_id = m.user_id AND p.removed_at IS NULL "
    "LEFT JOIN work_accounts w ON p.user_id IS NOT NULL AND w.user_id = m.user_id AND "
    "w.organization_id = ?2 WHERE m.conversation_id = ?1 ORDER BY m.user_id";
constexpr const char* kSelectPersonByEmail = PERSON_SELECT
    "WHERE p.organization_id = ?1 AND ?2 <> '' AND lower(p.email) = lower(?2) "
    "AND p.removed_at IS NULL";
// ?2 is a LIKE pattern with '\' as escape; '%' matches everyone.
constexpr const char* kSearchPeople = PERSON_SELECT
    "WHERE p.organization_id = ?1 AND p.removed_at IS NULL AND (p.name LIKE ?2 ESCAPE '\\' OR "
    "p.email LIKE ?2 ESCAPE '\\' OR u.phone LIKE ?2 ESCAPE '\\') "
    "ORDER BY p.name COLLATE NOCASE, u.phone LIMIT ?3 OFFSET ?4";
constexpr const char* kCountPeople =
    "SELECT COUNT(*) FROM org_people p JOIN users u ON u.id = p.user_id "
    "WHERE p.organization_id = ?1 AND p.removed_at IS NULL AND (p.name LIKE ?2 ESCAPE '\\' OR "
    "p.email LIKE ?2 ESCAPE '\\' OR u.phone LIKE ?2 ESCAPE '\\')";
// The directory as the people list pages it: the search above, with each person's last session
// use as column 8, in one of four orders each way.
#define DIRECTORY_SELECT                                                                          \
    "SELECT p.organization_id, p.user_id, u.phone, p.name, p.email, p.role, "                     \
    "(w.user_id IS NOT NULL), p.added_at, "                                                       \
    "(SELECT MAX(s.last_used_at) FROM sessions s WHERE s.user_id = p.user_id) AS last_active "    \
    "FROM org_people p JOIN users u ON u.id = p.user_id "                                         \
    "LEFT JOIN work_accounts w ON w.user_id = p.user_id AND w.organization_id = "                 \
    "p.organization_id WHERE p.organization_id = ?1 AND p.removed_at IS NULL AND "                \
    "(p.name LIKE ?2 ESCAPE '\\' OR p.email LIKE ?2 ESCAPE '\\' OR u.phone LIKE ?2 ESCAPE '\\') " \
    "ORDER BY "
#define DIRECTORY_PAGE " LIMIT ?3 OFFSET ?4"
// Indexed by PersonSort, then [ascending, descending].
constexpr const char* kDirectoryPages[4][2] = {
    {DIRECTORY_SELECT "p.name COLLATE NOCASE, u.phone" DIRECTORY_PAGE,
     DIRECTORY_SELECT "p.name COLLATE NOCASE DESC, u.phone DESC" DIRECTORY_PAGE},
    {DIRECTORY_SELECT "u.phone" DIRECTORY_PAGE, DIRECTORY_SELECT "u.phone DESC" DIRECTORY_PAGE},
    {DIRECTORY_SELECT "p.added_at, u.phone" DIRECTORY_PAGE,
     DIRECTORY_SELECT "p.added_at DESC, u.phone DESC" DIRECTORY_PAGE},
    {DIRECTORY_SELECT "last_active, u.phone" DIRECTORY_PAGE,
     DIRECTORY_SELECT "last_active DESC, u.phone DESC" DIRECTORY_PAGE},
};
#undef DIRECTORY_PAGE
#undef DIRECTORY_SELECT
constexpr const char* kSelectLastActive =
    "SELECT MAX(last_used_at) FROM sessions WHERE user_id = ?1";
// Removed people: their entry as it was (the work-account link is gone with the removal).
#define REMOVED_SELECT                                                           \
    "SELECT p.organization_id, p.user_id, u.phone, p.name, p.email, p.role, 0, " \
    "p.added_at, p.removed_at FROM org_people p JOIN users u ON u.id = p.user_id "
constexpr const char* kSelectRemovedPeople = REMOVED_SELECT
    "WHERE p.organization_id = ?1 AND p.removed_at IS NOT NULL ORDER BY p.removed_at DESC, "
    "u.phone";
constexpr const char* kSelectRemovedPerson =
    REMOVED_SELECT "WHERE p.organization_id = ?1 AND p.user_id = ?2 AND p.removed_at IS NOT NULL";
#undef REMOVED_SELECT
#undef PERSON_SELECT
constexpr const char* kRecordRemovedMemberships =
    "INSERT INTO removed_memberships(organization_id, user_id, conversation_id, role) "
    "SELECT ?1, ?2, m.conversation_id, m.role FROM members m "
    "JOIN conversations c ON c.id = m.conversation_id "
    "WHERE m.user_id = ?2 AND c.owner_org_id = ?1 AND c.kind = 'group' AND "
    "m.via_group_id IS NULL";
constexpr const char* kDeleteRemovedMemberships =
    "DELETE FROM removed_memberships WHERE organization_id = ?1 AND user_id = ?2";
constexpr const char* kSelectRestorableMemberships =
    "SELECT r.conversation_id, r.role FROM removed_memberships r "
    "JOIN conversations c ON c.id = r.conversation_id "
    "WHERE r.organization_id = ?1 AND r.user_id = ?2 AND c.owner_org_id = ?1 AND "
    "c.kind = 'group' ORDER BY c.name COLLATE NOCASE, c.id";
constexpr const char* kUnremovePerson =
    "UPDATE org_people SET removed_at = NULL WHERE organization_id = ?1 AND user_id = ?2 "
    "AND removed_at IS NOT NULL AND removed_at >= ?3";
// Re-adding someone removed starts afresh (restore is the way to get the old entry back).
constexpr const char* kForgetRemovedValues =
    "DELETE FROM person_attributes WHERE organization_id = ?1 AND user_id = ?2 AND EXISTS "
    "(SELECT 1 FROM org_people WHERE organization_id = ?1 AND user_id = ?2 AND "
    "removed_at IS NOT NULL)";
constexpr const char* kSelectOrgsWithOldRemovals =
    "SELECT DISTINCT organization_id FROM org_people WHERE removed_at IS NOT NULL AND "
    "removed_at < ?1";
constexpr const char* kPurgeRemovedValues =
    "DELETE FROM person_attributes WHERE organization_id = ?1 AND user_id IN (SELECT user_id "
    "FROM org_people WHERE organization_id = ?1 AND removed_at IS NOT NULL AND removed_at < ?2)";
constexpr const char* kPurgeRemovedMemberships =
    "DELETE FROM removed_memberships WHERE organization_id = ?1 AND user_id IN (SELECT user_id "
    "FROM org_people WHERE organization_id = ?1 AND removed_at IS NOT NULL AND removed_at < ?2)";
constexpr const char* kPurgeRemovedPeople =
    "DELETE FROM org_people WHERE organization_id = ?1 AND removed_at IS NOT NULL AND "
    "removed_at < ?2";
constexpr const char* kPurgeOldWipes =
    "DELETE FROM pending_wipes WHERE organization_id = ?1 AND created_at < ?2";

constexpr const char* kRecordPendingWipes =
    "INSERT INTO pending_wipes(session_id, user_id, organization_id, created_at) "
    "SELECT id, user_id, ?1, ?3 FROM sessions WHERE user_id = ?2 AND revoked_at IS NULL "
    "ON CONFLICT(session_id, organization_id) DO UPDATE SET created_at = excluded.created_at";
constexpr const char* kSelectPendingWipes =
    "SELECT session_id, organization_id, created_at FROM pending_wipes WHERE session_id = ?1 "
    "AND created_at >= ?2 ORDER BY created_at";
constexpr const char* kDeletePendingWipe =
    "DELETE FROM pending_wipes WHERE session_id = ?1 AND organization_id = ?2";
constexpr const char* kDeleteUserPendingWipes =
    "DELETE FROM pending_wipes WHERE user_id = ?2 AND organization_id = ?1";

constexpr const char* kSelectAttributes =
    "SELECT id, organization_id, name, type, mandatory, self_editable, visible_to_members, "
    "created_at FROM org_attributes WHERE organization_id = ?1 ORDER BY created_at, rowid";
constexpr const char* kSelectAttributeByName =
    "SELECT name FROM org_attributes WHERE organization_id = ?1 AND lower(name) = lower(?2)";
constexpr const char* kInsertAttribute =
    "INSERT INTO org_attributes(id, organization_id, name, type, mandatory, self_editable, "
    "visible_to_members, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kUpdateAttribute =
    "UPDATE org_attributes SET name = ?3, type = ?4, mandatory = ?5, self_editable = ?6, "
    "visible_to_members = ?7 WHERE organization_id = ?1 AND id = ?2";
constexpr const char* kSelectOtherAttributeByName =
    "SELECT name FROM org_attributes WHERE organization_id = ?1 AND lower(name) = lower(?2) AND "
    "id <> ?3";
constexpr const char* kSelectAttributeType =
    "SELECT type, EXISTS (SELECT 1 FROM person_attributes v WHERE v.organization_id = ?1 AND "
    "v.attribute_id = ?2) FROM org_attributes WHERE organization_id = ?1 AND id = ?2";
constexpr const char* kDeleteAttributeValues =
    "DELETE FROM person_attributes WHERE organization_id = ?1 AND attribute_id = ?2";
constexpr const char* kDeleteAttribute =
    "DELETE FROM org_attributes WHERE organization_id = ?1 AND id = ?2";
// ?2 is a JSON array of user ids: one bound parameter for a whole page of people.
constexpr const char* kSelectAttributeValues =
    "SELECT attribute_id, user_id, value FROM person_attributes WHERE organization_id = ?1 AND "
    "user_id IN (SELECT value FROM json_each(?2))";
// Through the definition, so that a value never outlives an attribute removed meanwhile, nor
// lands on another organization's attribute.
constexpr const char* kUpsertAttributeValue =
    "INSERT INTO person_attributes(organization_id, user_id, attribute_id, value) "
    "SELECT ?1, ?2, id, ?4 FROM org_attributes WHERE id = ?3 AND organization_id = ?1 "
    "ON CONFLICT(organization_id, user_id, attribute_id) DO UPDATE SET value = excluded.value";
constexpr const char* kDeleteAttributeValue =
    "DELETE FROM person_attributes WHERE organization_id = ?1 AND user_id = ?2 AND "
    "attribute_id = ?3";
#undef ORGANIZATION_COLUMNS
constexpr const char* kMarkPersonRemoved =
    "UPDATE org_people SET removed_at = ?3 WHERE organization_id = ?1 AND user_id = ?2 "
    "AND removed_at IS NULL";
constexpr const char* kSelectOrgGroupsOfUser =
    "SELECT m.conversation_id FROM members m JOIN conversations c ON c.id = m.conversation_id "
    "WHERE m.user_id = ?2 AND c.owner_org_id = ?1 AND c.kind = 'group'";
constexpr const char* kDeleteWorkAccountForOrg =
    "DELETE FROM work_accounts WHERE user_id = ?2 AND organization_id = ?1";

constexpr const char* kUpsertWorkAccount =
    "INSERT INTO work_accounts(user_id, organization_id, email, linked_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(user_id) DO UPDATE SET organization_id = excluded.organization_id, "
    "email = excluded.email, linked_at = excluded.linked_at";
constexpr const char* kSelectWorkAccount =
    "SELECT user_id, organization_id, email, linked_at FROM work_accounts WHERE user_id = ?1";
constexpr const char* kDeleteWorkAccount = "DELETE FROM work_accounts WHERE user_id = ?1";

#define CONVERSATION_COLUMNS                                                                 \
    "c.id, c.kind, c.name, c.owner_org_id, c.last_seq, c.created_by, c.created_at, "         \
    "c.owner_changed_at, c.last_activity_at, c.policy_restrict_copy, "                       \
    "c.policy_restrict_share, c.policy_restrict_forward, c.policy_new_members_see_history, " \
    "c.policy_delete_for_everyone, c.policy_invite_links, c.group_type, c.managed, "         \
    "c.policy_require_work_account "
constexpr int kConversationColumns = 18;
constexpr const char* kInsertConversation =
    "INSERT INTO conversations(id, kind, name, owner_org_id, last_seq, created_by, created_at, "
    "owner_changed_at, last_activity_at, chat_key, group_type, managed) "
    "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?6, ?8, ?9, ?10)";
constexpr const char* kSelectConversation =
    "SELECT " CONVERSATION_COLUMNS "FROM conversations c WHERE c.id = ?1";
constexpr const char* kSelectChatByKey =
    "SELECT " CONVERSATION_COLUMNS "FROM conversations c WHERE c.chat_key = ?1";
constexpr const char* kSelectConversationsOfUser =
    "SELECT " CONVERSATION_COLUMNS
    ", m.role, m.read_seq, m.via_group_id FROM members m "
    "JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ?1 "
    "ORDER BY c.last_activity_at DESC, c.id";
constexpr const char* kSelectOrgGroups = "SELECT " CONVERSATION_COLUMNS
                                         "FROM conversations c WHERE c.owner_org_id = ?1 AND "
                                         "c.kind = 'group' ORDER BY c.name COLLATE NOCASE, c.id";
// Reports (list_group_activity): the organization's groups, their members, and what was said in
// them in a period under the organization's ownership (messages_by_org_time).
constexpr const char* kSelectOrgGroupIds =
    "SELECT id FROM conversations WHERE owner_org_id = ?1 AND kind = 'group'";
constexpr const char* kCountOrgGroupMembers =
    "SELECT m.conversation_id, COUNT(*), SUM(m.role = 'admin') FROM members m JOIN conversations "
    "c ON c.id = m.conversation_id WHERE c.owner_org_id = ?1 AND c.kind = 'group' GROUP BY "
    "m.conversation_id";
constexpr const char* kCountOrgMessages =
    "SELECT conversation_id, COUNT(*), COUNT(DISTINCT sender_id), SUM(kind = 'card') FROM "
    "messages WHERE owner_org_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND kind <> "
    "'system' GROUP BY conversation_id";
// From the period's responses (card_responses_by_time) to their cards' messages: CROSS JOIN
// keeps that order, where the planner would otherwise walk every message of the organization.
constexpr const char* kCountOrgCardResponses =
    "SELECT k.conversation_id, COUNT(*) FROM card_responses r CROSS JOIN cards k ON k.id = "
    "r.card_id CROSS JOIN messages m ON m.id = k.message_id WHERE r.created_at >= ?2 AND "
    "r.created_at < ?3 AND m.owner_org_id = ?1 GROUP BY k.conversation_id";

constexpr const char* kSelectPersonGroups =
    "SELECT " CONVERSATION_COLUMNS
    ", m.role FROM members m JOIN conversations c ON c.id = m.conversation_id "
    "WHERE m.user_id = ?2 AND c.owner_org_id = ?1 AND c.kind = 'group' AND "
    "m.via_group_id IS NULL ORDER BY c.name COLLATE NOCASE, c.id";
constexpr const char* kSelectRemovedMemberships =
    "SELECT " CONVERSATION_COLUMNS
    ", r.role FROM removed_memberships r JOIN conversations c ON c.id = r.conversation_id "
    "WHERE r.organization_id = ?1 AND r.user_id = ?2 ORDER BY c.name COLLATE NOCASE, c.id";
constexpr const char* kSelectOrgConversations =
    "SELECT " CONVERSATION_COLUMNS "FROM conversations c WHERE c.owner_org_id = ?1 ORDER BY c.id";

// ---- group hierarchy ----
// A hierarchy node: the group, its parent, its direct and inherited member counts.
#define HIERARCHY_NODE_COLUMNS                                                                     \
    CONVERSATION_COLUMNS                                                                           \
    ", (SELECT parent_id FROM group_parents WHERE child_id = c.id), "                              \
    "(SELECT COUNT(*) FROM members m WHERE m.conversation_id = c.id AND m.via_group_id IS NULL), " \
    "(SELECT COUNT(*) FROM members m WHERE m.conversation_id = c.id AND "                          \
    "m.via_group_id IS NOT NULL) "
constexpr const char* kSelectHierarchyNode =
    "SELECT " HIERARCHY_NODE_COLUMNS "FROM conversations c WHERE c.id = ?1";
// The depth guard only matters if a cycle ever got in: links are checked before they are made.
constexpr const char* kSelectSubtree =
    "WITH RECURSIVE sub(id, depth) AS (SELECT ?1, 0 UNION ALL SELECT g.child_id, sub.depth + 1 "
    "FROM group_parents g JOIN sub ON g.parent_id = sub.id WHERE sub.depth < 1000) "
    "SELECT " HIERARCHY_NODE_COLUMNS
    ", sub.depth FROM sub JOIN conversations c ON c.id = sub.id "
    "ORDER BY sub.depth, c.name COLLATE NOCASE, c.id";
#undef HIERARCHY_NODE_COLUMNS
#undef CONVERSATION_COLUMNS
constexpr const char* kSelectGroupLinks =
    "SELECT (SELECT parent_id FROM group_parents WHERE child_id = ?1), "
    "(SELECT COUNT(*) FROM group_parents WHERE parent_id = ?1)";
constexpr const char* kSelectOrgGroupLinks =
    "SELECT g.child_id, g.parent_id FROM group_parents g JOIN conversations c ON "
    "c.id = g.child_id WHERE c.owner_org_id = ?1 ORDER BY g.linked_at, g.child_id";
// Nearest first.
constexpr const char* kSelectAncestors =
    "WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM group_parents WHERE child_id = ?1 "
    "UNION ALL SELECT g.parent_id, up.depth + 1 FROM group_parents g JOIN up ON "
    "g.child_id = up.id WHERE up.depth < 1000) SELECT id FROM up ORDER BY depth";
constexpr const char* kSelectParent = "SELECT parent_id FROM group_parents WHERE child_id = ?1";
constexpr const char* kInsertGroupLink =
    "INSERT INTO group_parents(child_id, parent_id, linked_at) VALUES (?1, ?2, ?3)";
constexpr const char* kDeleteGroupLink = "DELETE FROM group_parents WHERE child_id = ?1";
// The inherited members group ?1 should have: every direct member of a descendant, each with
// one of those descendants (the smallest id, so the choice is stable).
#define WANTED_INHERITED                                                                       \
    "WITH RECURSIVE sub(id, depth) AS (SELECT child_id, 1 FROM group_parents WHERE "           \
    "parent_id = ?1 UNION ALL SELECT g.child_id, sub.depth + 1 FROM group_parents g JOIN sub " \
    "ON g.parent_id = sub.id WHERE sub.depth < 1000), "                                        \
    "want(user_id, via) AS (SELECT m.user_id, MIN(m.conversation_id) FROM members m WHERE "    \
    "m.conversation_id IN (SELECT id FROM sub) AND m.via_group_id IS NULL GROUP BY m.user_id) "
constexpr const char* kDropInherited = WANTED_INHERITED
    "DELETE FROM members WHERE conversation_id = ?1 AND via_group_id IS NOT NULL AND "
    "user_id NOT IN (SELECT user_id FROM want) RETURNING user_id";
// Direct members stay direct (DO NOTHING); newcomers start reading from now, like any member.
constexpr const char* kAddInherited = WANTED_INHERITED
    "INSERT INTO members(conversation_id, user_id, role, read_seq, joined_at, joined_seq, "
    "via_group_id) SELECT ?1, w.user_id, 'member', c.last_seq, ?2, c.last_seq, w.via FROM want w "
    "JOIN conversations c ON c.id = ?1 WHERE 1 ON CONFLICT(conversation_id, user_id) DO NOTHING "
    "RETURNING user_id";
// Inherited rows whose group no longer holds them directly point to one that does.
constexpr const char* kRepointInherited = WANTED_INHERITED
    "UPDATE members SET via_group_id = (SELECT via FROM want WHERE want.user_id = "
    "members.user_id) WHERE conversation_id = ?1 AND via_group_id IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM members d WHERE d.conversation_id = members.via_group_id AND "
    "d.user_id = members.user_id AND d.via_group_id IS NULL AND d.conversation_id IN "
    "(SELECT id FROM sub))";
#undef WANTED_INHERITED
constexpr const char* kSetPolicyOverrides =
    "UPDATE conversations SET policy_restrict_copy = ?2, policy_restrict_share = ?3, "
    "policy_restrict_forward = ?4, policy_new_members_see_history = ?5, "
    "policy_delete_for_everyone = ?6, policy_invite_links = ?7, "
    "policy_require_work_account = ?8 "
    "WHERE id = ?1 AND kind = 'group' AND owner_org_id IS NOT NULL";
constexpr const char* kSelectChatPeer =
    "SELECT u.id, u.phone, u.name, u.created_at FROM members m JOIN users u ON u.id = m.user_id "
    "WHERE m.conversation_id = ?1 AND m.user_id <> ?2 LIMIT 1";
constexpr const char* kRenameConversation = "UPDATE conversations SET name = ?2 WHERE id = ?1";
constexpr const char* kSetOwner =
    "UPDATE conversations SET owner_org_id = ?2, owner_changed_at = ?3 "
    "WHERE id = ?1 AND owner_org_id IS NULL";

constexpr const char* kSelectMember =
    "SELECT conversation_id, user_id, role, read_seq, joined_at, joined_seq, via_group_id "
    "FROM members WHERE conversation_id = ?1 AND user_id = ?2";
constexpr int kMemberColumns = 7;
// Direct members first, then admins, then by name.
constexpr const char* kSelectMembers =
    "SELECT m.conversation_id, m.user_id, m.role, m.read_seq, m.joined_at, m.joined_seq, "
    "m.via_group_id, u.id, u.phone, u.name, u.created_at FROM members m "
    "JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?1 "
    "ORDER BY m.via_group_id IS NOT NULL, m.role = 'admin' DESC, u.name COLLATE NOCASE, u.phone";
// Both markers start at the last message before joining: nothing before it is unread, and
// where new members do not see history, nothing before it is theirs to read. An inherited
// member becomes a direct one, keeping their markers.
constexpr const char* kInsertMember =
    "INSERT INTO members(conversation_id, user_id, role, read_seq, joined_at, joined_seq) "
    "VALUES (?1, ?2, ?3, (SELECT last_seq FROM conversations WHERE id = ?1), ?4, "
    "(SELECT last_seq FROM conversations WHERE id = ?1)) ON CONFLICT(conversation_id, user_id) "
    "DO UPDATE SET role = excluded.role, via_group_id = NULL WHERE via_group_id IS NOT NULL";
constexpr const char* kDeleteMember =
    "DELETE FROM members WHERE conversation_id = ?1 AND user_id = ?2";
constexpr const char* kSetMemberRole =
    "UPDATE members SET role = ?3 WHERE conversation_id = ?1 AND user_id = ?2";
constexpr const char* kCountAdmins =
    "SELECT COUNT(*) FROM members WHERE conversation_id = ?1 AND role = 'admin'";

// ---- bulk imports ----
#define IMPORT_JOB_SELECT                                                                      \
    "SELECT j.id, j.organization_id, j.kind, j.file_name, j.file_bytes, j.uploaded_by, "       \
    "COALESCE(u.phone, ''), j.dry_run, j.status, j.progress, j.rows, j.applied, j.unchanged, " \
    "j.failed, j.error_code, j.error_message, j.created_at, j.finished_at FROM import_jobs j " \
    "LEFT JOIN users u ON u.id = j.uploaded_by "
constexpr const char* kInsertImportJob =
    "INSERT INTO import_jobs(id, organization_id, kind, file_name, file_bytes, uploaded_by, "
    "dry_run, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr const char* kUpdateImportJob =
    "UPDATE import_jobs SET status = ?2, progress = ?3, rows = ?4, applied = ?5, unchanged = ?6, "
    "failed = ?7, error_code = ?8, error_message = ?9, finished_at = ?10 WHERE id = ?1";
constexpr const char* kSelectImportJob =
    IMPORT_JOB_SELECT "WHERE j.organization_id = ?1 AND j.id = ?2";
constexpr const char* kSelectImportJobs = IMPORT_JOB_SELECT
    "WHERE j.organization_id = ?1 ORDER BY j.created_at DESC, j.rowid DESC LIMIT ?2";
#undef IMPORT_JOB_SELECT
constexpr const char* kFailUnfinishedImportJobs =
    "UPDATE import_jobs SET status = 'failed', error_code = ?1, error_message = ?2, "
    "finished_at = ?3 WHERE status IN ('queued', 'processing')";

// ---- exports ----
#define EXPORT_JOB_SELECT                                                                     \
    "SELECT j.id, j.organization_id, j.kind, j.group_id, COALESCE(c.name, ''), j.file_name, " \
    "j.exported_by, COALESCE(u.phone, ''), j.status, j.progress, j.rows, j.file_bytes, "      \
    "j.error_code, j.error_message, j.created_at, j.finished_at FROM export_jobs j "          \
    "LEFT JOIN users u ON u.id = j.exported_by LEFT JOIN conversations c ON c.id = j.group_id "
constexpr const char* kInsertExportJob =
    "INSERT INTO export_jobs(id, organization_id, kind, group_id, file_name, exported_by, "
    "status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kUpdateExportJob =
    "UPDATE export_jobs SET status = ?2, progress = ?3, rows = ?4, file_bytes = ?5, "
    "error_code = ?6, error_message = ?7, finished_at = ?8 WHERE id = ?1";
constexpr const char* kSelectExportJob =
    EXPORT_JOB_SELECT "WHERE j.organization_id = ?1 AND j.id = ?2";
constexpr const char* kSelectExportJobs = EXPORT_JOB_SELECT
    "WHERE j.organization_id = ?1 ORDER BY j.created_at DESC, j.rowid DESC LIMIT ?2";
constexpr const char* kSelectExportJobsBy = EXPORT_JOB_SELECT
    "WHERE j.organization_id = ?1 AND j.exported_by = ?3 "
    "ORDER BY j.created_at DESC, j.rowid DESC LIMIT ?2";
#undef EXPORT_JOB_SELECT
constexpr const char* kFailUnfinishedExportJobs =
    "UPDATE export_jobs SET status = 'failed', error_code = ?1, error_message = ?2, "
    "finished_at = ?3 WHERE status IN ('queued', 'running')";
// Keyset pages by phone (unique), so each page costs the same however deep the export is.
constexpr const char* kSelectExportPeople =
    "SELECT p.organization_id, p.user_id, u.phone, p.name, p.email, p.role, "
    "(w.user_id IS NOT NULL), p.added_at FROM org_people p JOIN users u ON u.id = p.user_id "
    "LEFT JOIN work_accounts w ON w.user_id = p.user_id AND w.organization_id = "
    "p.organization_id WHERE p.organization_id = ?1 AND p.removed_at IS NULL AND u.phone > ?2 "
    "ORDER BY u.phone LIMIT ?3";
// ?2 is a JSON array of user ids: the organization groups of a whole page in one query.
constexpr const char* kSelectExportGroups =
    "SELECT m.user_id, c.name, m.role FROM members m JOIN conversations c ON "
    "c.id = m.conversation_id WHERE m.user_id IN (SELECT value FROM json_each(?2)) AND "
    "c.owner_org_id = ?1 AND c.kind = 'group' ORDER BY c.name COLLATE NOCASE, c.id";
constexpr const char* kSelectExportMembers =
    "SELECT u.phone, CASE WHEN p.name IS NOT NULL AND p.name <> '' THEN p.name ELSE u.name END, "
    "m.role FROM members m JOIN users u ON u.id = m.user_id "
    "LEFT JOIN org_people p ON p.organization_id = ?2 AND p.user_id = m.user_id AND "
    "p.removed_at IS NULL WHERE m.conversation_id = ?1 AND u.phone > ?3 ORDER BY u.phone LIMIT ?4";
constexpr const char* kCountMembers = "SELECT COUNT(*) FROM members WHERE conversation_id = ?1";
// Driven by the phones (the users' unique index), each with their live entry if any: ?2 is a
// JSON array of E.164 phones.
constexpr const char* kSelectImportPeople =
    "SELECT u.id, u.phone, u.name, u.created_at, "
    "p.user_id IS NOT NULL AND p.removed_at IS NULL, p.name, p.email, p.role, "
    "(w.user_id IS NOT NULL), p.added_at, p.user_id IS NOT NULL FROM users u "
    "LEFT JOIN org_people p ON p.organization_id = ?1 AND p.user_id = u.id "
    "LEFT JOIN work_accounts w ON w.user_id = u.id AND w.organization_id = ?1 "
    "WHERE u.phone IN (SELECT value FROM json_each(?2))";
constexpr const char* kSelectEmailHolders =
    "SELECT lower(p.email), p.user_id FROM org_people p WHERE p.organization_id = ?1 AND "
    "p.removed_at IS NULL AND lower(p.email) IN (SELECT value FROM json_each(?2))";
constexpr const char* kSelectOtherEmailHolder =
    "SELECT u.phone FROM org_people p JOIN users u ON u.id = p.user_id "
    "WHERE p.organization_id = ?1 AND lower(p.email) = lower(?2) AND u.phone <> ?3 AND "
    "p.removed_at IS NULL LIMIT 1";
// Creates the user if the phone is new and names a nameless one: one statement, its id back.
constexpr const char* kEnsureNamedUser =
    "INSERT INTO users(id, phone, name, created_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(phone) DO UPDATE SET name = CASE WHEN users.name = '' THEN excluded.name "
    "ELSE users.name END RETURNING id";
constexpr const char* kSelectMemberships =
    "SELECT conversation_id, user_id, role, read_seq, joined_at, joined_seq, via_group_id "
    "FROM members "
    "WHERE conversation_id IN (SELECT value FROM json_each(?1)) AND "
    "user_id IN (SELECT value FROM json_each(?2))";
// Like kInsertMember, by phone; an existing member takes the role given.
constexpr const char* kUpsertMemberByPhone =
    "INSERT INTO members(conversation_id, user_id, role, read_seq, joined_at, joined_seq) "
    "SELECT ?1, u.id, ?3, c.last_seq, ?4, c.last_seq FROM users u, conversations c "
    "WHERE u.phone = ?2 AND c.id = ?1 "
    "ON CONFLICT(conversation_id, user_id) DO UPDATE SET role = excluded.role, "
    "via_group_id = NULL RETURNING user_id";

#define MESSAGE_FIELDS                                                                      \
    "SELECT id, conversation_id, seq, sender_id, kind, client_id, reply_to, owner_org_id, " \
    "key_id, body, created_at, edited_at, deleted_at, forwarded, private_to, like_count, "  \
    "comment_count, "
// The last column is liked_by_reader: unknown (NULL) where no one reads, else whether ?6 likes it.
#define MESSAGE_COLUMNS MESSAGE_FIELDS "NULL FROM messages "
#define MESSAGE_COLUMNS_FOR_READER                                                    \
    MESSAGE_FIELDS                                                                    \
    "CASE WHEN ?6 IS NULL THEN NULL ELSE EXISTS(SELECT 1 FROM message_likes l WHERE " \
    "l.message_id = messages.id AND l.user_id = ?6) END FROM messages "
#define ATTACHMENT_COLUMNS                                                                     \
    "SELECT id, conversation_id, uploader_id, name, content_type, kind, size, width, height, " \
    "duration_ms, blob, key_id, thumbnail_blob, thumbnail_size, created_at, message_id, "      \
    "card_id, response_id FROM attachments "
constexpr const char* kInsertAttachment =
    "INSERT INTO attachments(id, conversation_id, uploader_id, name, content_type, kind, size, "
    "width, height, duration_ms, blob, key_id, thumbnail_blob, thumbnail_size, created_at, "
    "message_id, message_seq, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
    "?12, ?13, ?14, ?15, ?16, ?17, ?18)";
constexpr const char* kSelectAttachment = ATTACHMENT_COLUMNS "WHERE id = ?1";
constexpr const char* kSelectCardAttachments =
    ATTACHMENT_COLUMNS "WHERE card_id = ?1 ORDER BY created_at, id";
// Claims an unsent upload of this conversation and uploader for a message.
constexpr const char* kClaimAttachment =
    "UPDATE attachments SET message_id = ?1, message_seq = ?2, position = ?3 WHERE id = ?4 AND "
    "conversation_id = ?5 AND uploader_id = ?6 AND message_id IS NULL AND response_id IS NULL";
// Claims an unsent upload of this conversation and responder for a survey response; one
// already claimed by this same response (an update naming it again) stays claimed.
constexpr const char* kClaimAttachmentForResponse =
    "UPDATE attachments SET card_id = ?1, response_id = ?2 WHERE id = ?3 AND conversation_id = ?4 "
    "AND uploader_id = ?5 AND message_id IS NULL AND (response_id IS NULL OR response_id = ?2)";
// Gives back the uploads an updated response no longer names (?2: a JSON array of those it
// names): unsent uploads of their uploader again, which they may send, or the sweep collects.
constexpr const char* kReleaseResponseAttachments =
    "UPDATE attachments SET card_id = NULL, response_id = NULL WHERE response_id = ?1 AND "
    "id NOT IN (SELECT value FROM json_each(?2))";
constexpr const char* kDeleteUnsentAttachments =
    "DELETE FROM attachments WHERE message_id IS NULL AND response_id IS NULL AND "
    "created_at < ?1";
constexpr const char* kDeleteAttachmentsOfDeletedMessages =
    "DELETE FROM attachments WHERE message_id IS NOT NULL AND EXISTS (SELECT 1 FROM messages m "
    "WHERE m.id = attachments.message_id AND m.deleted_at IS NOT NULL)";
constexpr const char* kSelectReferencedBlobs =
    "SELECT blob FROM attachments UNION SELECT thumbnail_blob FROM attachments WHERE "
    "thumbnail_blob IS NOT NULL";
constexpr const char* kSelectMessageAttachments =
    ATTACHMENT_COLUMNS "WHERE message_id = ?1 ORDER BY position";
constexpr const char* kSelectAttachmentsBySeq = ATTACHMENT_COLUMNS
    "WHERE conversation_id = ?1 AND message_id IS NOT NULL AND message_seq BETWEEN ?2 AND ?3 "
    "ORDER BY message_seq, position";
constexpr const char* kNextSeq =
    "UPDATE conversations SET last_seq = last_seq + 1, "
    "last_activity_at = MAX(last_activity_at, ?2) WHERE id = ?1 RETURNING last_seq";
constexpr const char* kInsertMessage =
    "INSERT INTO messages(id, conversation_id, seq, sender_id, kind, client_id, reply_to, "
    "owner_org_id, key_id, body, created_at, forwarded, private_to) VALUES (?1, ?2, ?3, ?4, ?5, "
    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr const char* kSelectOwnerAndSenderMembership =
    "SELECT owner_org_id, EXISTS(SELECT 1 FROM members WHERE conversation_id = ?1 AND "
    "user_id = ?2) FROM conversations WHERE id = ?1";
constexpr const char* kAdvanceSenderRead =
    "UPDATE members SET read_seq = ?3 WHERE conversation_id = ?1 AND user_id = ?2";
// Repeats the partial index's condition (client_id <> '') so that SQLite can use
// messages_idempotency; without it every send scanned its whole conversation.
constexpr const char* kSelectMessageByClientId = MESSAGE_COLUMNS
    "WHERE conversation_id = ?1 AND sender_id = ?2 AND client_id = ?3 AND client_id <> ''";
constexpr const char* kSelectMessage = MESSAGE_COLUMNS "WHERE conversation_id = ?1 AND id = ?2";
// ?5 is MessageRange::viewer: NULL reads every message, an id leaves out those private to
// anyone else.
// ?6 is MessageRange::reader.
constexpr const char* kSelectMessagesAsc = MESSAGE_COLUMNS_FOR_READER
    "WHERE conversation_id = ?1 AND seq > ?2 AND seq < ?3 AND (?5 IS NULL OR private_to IS NULL "
    "OR private_to = ?5) ORDER BY seq LIMIT ?4";
constexpr const char* kSelectMessagesDesc = MESSAGE_COLUMNS_FOR_READER
    "WHERE conversation_id = ?1 AND seq > ?2 AND seq < ?3 AND (?5 IS NULL OR private_to IS NULL "
    "OR private_to = ?5) ORDER BY seq DESC LIMIT ?4";
// The comments of message ?7 (MessageRange::replies_to), from the messages_replies index.
constexpr const char* kSelectRepliesAsc = MESSAGE_COLUMNS_FOR_READER
    "WHERE conversation_id = ?1 AND reply_to = ?7 AND deleted_at IS NULL AND seq > ?2 AND "
    "seq < ?3 AND (?5 IS NULL OR private_to IS NULL OR private_to = ?5) ORDER BY seq LIMIT ?4";
constexpr const char* kSelectRepliesDesc = MESSAGE_COLUMNS_FOR_READER
    "WHERE conversation_id = ?1 AND reply_to = ?7 AND deleted_at IS NULL AND seq > ?2 AND "
    "seq < ?3 AND (?5 IS NULL OR private_to IS NULL OR private_to = ?5) ORDER BY seq DESC "
    "LIMIT ?4";
// Repeats the partial index's condition so that SQLite counts from messages_private alone.
constexpr const char* kCountPrivateToOthers =
    "SELECT COUNT(*) FROM messages WHERE conversation_id = ?1 AND seq > ?3 AND seq <= ?4 AND "
    "private_to IS NOT NULL AND private_to <> ?2";
#undef MESSAGE_COLUMNS_FOR_READER
#undef MESSAGE_COLUMNS
#undef MESSAGE_FIELDS
constexpr const char* kCountComment =
    "UPDATE messages SET comment_count = comment_count + ?3 WHERE conversation_id = ?1 AND "
    "id = ?2";
constexpr const char* kEditMessage =
    "UPDATE messages SET body = ?3, key_id = ?4, edited_at = ?5 WHERE conversation_id = ?1 AND "
    "id = ?2 AND deleted_at IS NULL";
// A deleted message's likes go with its text. Returns the message it answered, if any.
constexpr const char* kDeleteMessage =
    "UPDATE messages SET body = x'', deleted_at = ?3, like_count = 0 WHERE conversation_id = ?1 "
    "AND id = ?2 AND deleted_at IS NULL RETURNING reply_to";
constexpr const char* kDeleteLikesOfMessage = "DELETE FROM message_likes WHERE message_id = ?1";
// Likes. The message row is read inside the write, so a like never lands on a message deleted
// after the service's check.
constexpr const char* kSelectMessageState =
    "SELECT deleted_at IS NOT NULL FROM messages WHERE conversation_id = ?1 AND id = ?2";
constexpr const char* kInsertLike =
    "INSERT INTO message_likes(message_id, user_id, created_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(message_id, user_id) DO NOTHING";
constexpr const char* kDeleteLike =
    "DELETE FROM message_likes WHERE message_id = ?1 AND user_id = ?2";
constexpr const char* kCountLike =
    "UPDATE messages SET like_count = like_count + ?3 WHERE conversation_id = ?1 AND id = ?2 "
    "RETURNING like_count, comment_count";
constexpr const char* kSelectReactionCounts =
    "SELECT like_count, comment_count FROM messages WHERE conversation_id = ?1 AND id = ?2";
constexpr const char* kSelectLiked =
    "SELECT EXISTS(SELECT 1 FROM message_likes WHERE message_id = ?1 AND user_id = ?2)";
// ?5 is LikeQuery::admins_and: NULL lists everyone, an id only the conversation's admins and
// that user.
constexpr const char* kSelectLikes =
    "SELECT u.id, u.phone, u.name, u.created_at, l.created_at, l.id FROM message_likes l "
    "JOIN users u ON u.id = l.user_id WHERE l.message_id = ?2 AND l.id > ?3 AND (?5 IS NULL OR "
    "l.user_id = ?5 OR EXISTS(SELECT 1 FROM members m WHERE m.conversation_id = ?1 AND "
    "m.user_id = l.user_id AND m.role = 'admin')) ORDER BY l.id LIMIT ?4";
constexpr const char* kMarkRead =
    "UPDATE members SET read_seq = MAX(read_seq, MIN(?3, (SELECT last_seq FROM conversations "
    "WHERE id = ?1))) WHERE conversation_id = ?1 AND user_id = ?2 RETURNING read_seq";

constexpr const char* kInsertInvite =
    "INSERT INTO invites(id, conversation_id, token_hash, created_by, expires_at, max_uses, uses, "
    "revoked, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, ?7)";
#define INVITE_COLUMNS                                                                         \
    "SELECT id, conversation_id, created_by, expires_at, max_uses, uses, revoked, created_at " \
    "FROM invites "
constexpr const char* kSelectInvites =
    INVITE_COLUMNS "WHERE conversation_id = ?1 ORDER BY created_at";
constexpr const char* kSelectInviteByHash = INVITE_COLUMNS "WHERE token_hash = ?1";
#undef INVITE_COLUMNS
constexpr const char* kRevokeInvite =
    "UPDATE invites SET revoked = 1 WHERE conversation_id = ?1 AND id = ?2 AND revoked = 0";
constexpr const char* kCountInviteUse = "UPDATE invites SET uses = uses + 1 WHERE id = ?1";

// ---- action cards ----
#define CARD_COLUMNS                                                                      \
    "id, message_id, conversation_id, creator_id, type, key_id, spec, state, anonymous, " \
    "results_visibility, allow_multiple, due_at, closed_at, last_reminded_at, summary, "  \
    "response_count, version, created_at "
constexpr const char* kInsertCard =
    "INSERT INTO cards(id, message_id, conversation_id, creator_id, type, key_id, spec, state, "
    "anonymous, results_visibility, allow_multiple, due_at, summary, created_at) VALUES (?1, ?2, "
    "?3, ?4, ?5, ?6, ?7, 'active', ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr const char* kSelectCard = "SELECT " CARD_COLUMNS "FROM cards WHERE id = ?1";
constexpr const char* kSelectCardsOfMessages =
    "SELECT " CARD_COLUMNS "FROM cards WHERE message_id IN (SELECT value FROM json_each(?1))";
constexpr const char* kExpireDueCards =
    "UPDATE cards SET state = 'expired', closed_at = due_at, version = version + 1 "
    "WHERE state = 'active' AND due_at IS NOT NULL AND due_at <= ?1 RETURNING " CARD_COLUMNS;
constexpr const char* kCloseCard =
    "UPDATE cards SET state = 'closed', closed_at = ?2, version = version + 1 WHERE id = ?1 AND "
    "state = 'active' AND (due_at IS NULL OR due_at > ?2) RETURNING " CARD_COLUMNS;
#undef CARD_COLUMNS
constexpr const char* kUpdateCardSummary =
    "UPDATE cards SET summary = ?2, response_count = response_count + ?3, version = version + 1 "
    "WHERE id = ?1";
constexpr const char* kUpdateCardSpec =
    "UPDATE cards SET spec = ?2, summary = ?3, version = version + 1 WHERE id = ?1";
#define RESPONSE_COLUMNS \
    "SELECT id, card_id, responder_id, slot, answers, created_at, updated_at FROM card_responses "
constexpr const char* kSelectResponseById = RESPONSE_COLUMNS "WHERE card_id = ?1 AND id = ?2";
constexpr const char* kSelectResponseBySlot = RESPONSE_COLUMNS "WHERE card_id = ?1 AND slot = ?2";
constexpr const char* kSelectResponses = RESPONSE_COLUMNS
    "WHERE card_id = ?1 AND (?2 IS NULL OR responder_id = ?2) ORDER BY created_at, id";
#undef RESPONSE_COLUMNS
constexpr const char* kResponderHasResponse =
    "SELECT EXISTS(SELECT 1 FROM card_responses WHERE card_id = ?1 AND responder_id = ?2)";
constexpr const char* kResponderIsMember =
    "SELECT EXISTS(SELECT 1 FROM members WHERE conversation_id = ?1 AND user_id = ?2)";
constexpr const char* kInsertResponse =
    "INSERT INTO card_responses(id, card_id, responder_id, slot, answers, created_at, "
    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
constexpr const char* kUpdateResponse =
    "UPDATE card_responses SET responder_id = ?2, answers = ?3, updated_at = ?4 WHERE id = ?1";
constexpr const char* kSelectLastReminded = "SELECT last_reminded_at FROM cards WHERE id = ?1";
constexpr const char* kSetLastReminded = "UPDATE cards SET last_reminded_at = ?2 WHERE id = ?1";
constexpr const char* kUpsertReminder =
    "INSERT INTO card_reminders(card_id, user_id, reminded_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(card_id, user_id) DO UPDATE SET reminded_at = excluded.reminded_at";
constexpr const char* kSelectReminder =
    "SELECT reminded_at FROM card_reminders WHERE card_id = ?1 AND user_id = ?2";

constexpr const char* kSelectDataKey = "SELECT wrapped FROM data_keys WHERE id = ?1";
constexpr const char* kInsertDataKey =
    "INSERT INTO data_keys(id, wrapped, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

constexpr const char* kPing = "SELECT 1";

// ---- row mapping ---------------------------------------------------------------------------

User read_user(const Statement& s, int at = 0) {
    return User{s.text(at), s.text(at + 1), s.text(at + 2), s.int64(at + 3)};
}

core::Organization read_organization(const Statement& s) {
    core::Organization o;
    o.id = s.text(0);
    o.name = s.text(1);
    o.default_region = s.text(2);
    o.policies.parley_enabled = s.int64(3) != 0;
    o.policies.groups_require_work_account = s.int64(4) != 0;
    o.created_at = s.int64(5);
    o.policies.group_admins_set_policies = s.int64(6) != 0;
    auto& p = o.policies.conversations;
    p.restrict_copy = s.int64(7) != 0;
    p.restrict_share = s.int64(8) != 0;
    p.restrict_forward = s.int64(9) != 0;
    p.new_members_see_history = s.int64(10) != 0;
    p.delete_for_everyone = s.int64(11) != 0;
    p.invite_links = s.int64(12) != 0;
    return o;
}

OrgRole parse_org_role(const std::string& s) {
    return s == "admin" ? OrgRole::admin : OrgRole::member;
}
MemberRole parse_member_role(const std::string& s) {
    return s == "admin" ? MemberRole::admin : MemberRole::member;
}

OrgPerson read_person(const Statement& s, int at = 0) {
    OrgPerson p;
    p.organization_id = s.text(at);
    p.user_id = s.text(at + 1);
    p.phone = s.text(at + 2);
    p.name = s.text(at + 3);
    p.email = s.text(at + 4);
    p.role = parse_org_role(s.text(at + 5));
    p.work_account_linked = s.int64(at + 6) != 0;
    p.added_at = s.int64(at + 7);
    return p;
}

core::AttributeType parse_attribute_type(const std::string& s) {
    if (s == "number") return core::AttributeType::number;
    if (s == "boolean") return core::AttributeType::boolean;
    if (s == "date_time") return core::AttributeType::date_time;
    return core::AttributeType::string;
}

core::AttributeDefinition read_attribute(const Statement& s) {
    core::AttributeDefinition a;
    a.id = s.text(0);
    a.organization_id = s.text(1);
    a.name = s.text(2);
    a.type = parse_attribute_type(s.text(3));
    a.mandatory = s.int64(4) != 0;
    a.self_editable = s.int64(5) != 0;
    a.visible_to_members = s.int64(6) != 0;
    a.created_at = s.int64(7);
    return a;
}

// Ids as a JSON array of strings, for json_each(): a page of ids in one bound parameter.
std::string json_string_array(const std::vector<core::Id>& ids) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "[";
    for (const auto& id : ids) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (unsigned char ch : id) {
            if (ch == '"' || ch == '\\') {
                out += '\\';
                out += static_cast<char>(ch);
            } else if (ch < 0x20) {
                out += "\\u00";
                out += kHex[ch >> 4];
                out += kHex[ch & 0xF];
            } else {
                out += static_cast<char>(ch);
            }
        }
        out += '"';
    }
    out += ']';
    return out;
}

Owner read_owner(const Statement& s, int col) {
    auto org = s.optional_text(col);
    return org ? Owner::organization(*org) : Owner::private_owner();
}

std::optional<std::string> owner_column(const Owner& owner) {
    if (!owner.is_organization()) return std::nullopt;
    return owner.organization_id;
}

Conversation read_conversation(const Statement& s) {
    Conversation c;
    c.id = s.text(0);
    c.kind = s.text(1) == "chat" ? ConversationKind::chat : ConversationKind::group;
    c.name = s.text(2);
    c.owner = read_owner(s, 3);
    c.last_seq = s.int64(4);
    c.created_by = s.text(5);
    c.created_at = s.int64(6);
    c.owner_changed_at = s.int64(7);
    c.last_activity_at = s.int64(8);
    auto flag = [&](int col) -> std::optional<bool> {
        auto v = s.optional_int64(col);
        if (!v) return std::nullopt;
        return *v != 0;
    };
    auto& o = c.policy_overrides;
    o.restrict_copy = flag(9);
    o.restrict_share = flag(10);
    o.restrict_forward = flag(11);
    o.new_members_see_history = flag(12);
    o.delete_for_everyone = flag(13);
    o.invite_links = flag(14);
    c.group_type = core::parse_group_type(s.text(15)).value_or(core::GroupType::flat);
    c.managed = s.int64(16) != 0;
    o.require_work_account = flag(17);
    return c;
}

Member read_member(const Statement& s) {
    return Member{s.text(0),         s.text(1),  parse_member_role(s.text(2)),
                  s.int64(3),        s.int64(4), s.int64(5),
                  s.optional_text(6)};
}

core::Session read_session(const Statement& s) {
    core::Session r;
    r.id = s.text(0);
    r.user_id = s.text(1);
    r.token_hash = s.text(2);
    r.user_agent = s.text(3);
    r.client_address = s.text(4);
    r.created_at = s.int64(5);
    r.last_used_at = s.int64(6);
    r.revoked_at = s.optional_int64(7);
    return r;
}

core::Invite read_invite(const Statement& s) {
    core::Invite i;
    i.id = s.text(0);
    i.conversation_id = s.text(1);
    i.created_by = s.text(2);
    i.expires_at = s.optional_int64(3);
    i.max_uses = s.optional_int64(4);
    i.uses = s.int64(5);
    i.revoked = s.int64(6) != 0;
    i.created_at = s.int64(7);
    return i;
}

// A sealed message row before its body is opened.
struct SealedMessage {
    Message message;
    std::string key_id;
    std::string body;
};

core::Attachment read_attachment(const Statement& s) {
    core::Attachment a;
    a.id = s.text(0);
    a.conversation_id = s.text(1);
    a.uploader_id = s.text(2);
    a.name = s.text(3);
    a.content_type = s.text(4);
    a.kind = s.text(5);
    a.size = s.int64(6);
    a.width = s.optional_int64(7);
    a.height = s.optional_int64(8);
    a.duration_ms = s.optional_int64(9);
    a.blob = s.text(10);
    a.key_id = s.text(11);
    a.thumbnail_blob = s.optional_text(12);
    a.thumbnail_size = s.int64(13);
    a.created_at = s.int64(14);
    a.message_id = s.optional_text(15);
    a.card_id = s.optional_text(16);
    a.response_id = s.optional_text(17);
    return a;
}

SealedMessage read_sealed_message(const Statement& s) {
    SealedMessage r;
    Message& m = r.message;
    m.id = s.text(0);
    m.conversation_id = s.text(1);
    m.seq = s.int64(2);
    m.sender_id = s.text(3);
    const std::string kind = s.text(4);
    m.kind = kind == "system" ? core::MessageKind::system
             : kind == "card" ? core::MessageKind::card
                              : core::MessageKind::text;
    m.client_id = s.text(5);
    m.reply_to = s.optional_text(6);
    m.owner = read_owner(s, 7);
    r.key_id = s.text(8);
    r.body = s.blob(9);
    m.created_at = s.int64(10);
    m.edited_at = s.optional_int64(11);
    m.deleted_at = s.optional_int64(12);
    m.forwarded = s.int64(13) != 0;
    m.private_to = s.optional_text(14);
    m.like_count = s.int64(15);
    m.comment_count = s.int64(16);
    if (auto liked = s.optional_int64(17)) m.liked_by_reader = *liked != 0;
    return r;
}

// A card row before its spec and summary are opened.
struct SealedCard {
    core::Card card;
    std::string key_id;
    std::string spec;
    std::string summary;
};

SealedCard read_sealed_card(const Statement& s) {
    SealedCard r;
    core::Card& c = r.card;
    c.id = s.text(0);
    c.message_id = s.text(1);
    c.conversation_id = s.text(2);
    c.creator_id = s.text(3);
    c.type = core::parse_card_type(s.text(4)).value_or(core::CardType::poll);
    r.key_id = s.text(5);
    r.spec = s.blob(6);
    const std::string state = s.text(7);
    c.state = state == "closed"    ? core::CardState::closed
              : state == "expired" ? core::CardState::expired
                                   : core::CardState::active;
    c.anonymous = s.int64(8) != 0;
    c.results_visibility =
        core::parse_results_visibility(s.text(9)).value_or(core::ResultsVisibility::all);
    c.allow_multiple = s.int64(10) != 0;
    c.due_at = s.optional_int64(11);
    c.closed_at = s.optional_int64(12);
    c.last_reminded_at = s.optional_int64(13);
    r.summary = s.blob(14);
    c.response_count = s.int64(15);
    c.version = s.int64(16);
    c.created_at = s.int64(17);
    if (r.key_id.starts_with("org:")) c.owner = Owner::organization(r.key_id.substr(4));
    return r;
}

core::CardResponse read_sealed_response(const Statement& s) {
    core::CardResponse r;
    r.id = s.text(0);
    r.card_id = s.text(1);
    r.responder_id = s.text(2);
    r.slot = s.text(3);
    r.answers = s.blob(4);  // sealed until opened
    r.created_at = s.int64(5);
    r.updated_at = s.int64(6);
    return r;
}

core::ImportJob read_import_job(const Statement& s) {
    core::ImportJob j;
    j.id = s.text(0);
    j.organization_id = s.text(1);
    const std::string kind = s.text(2);
    j.kind = kind == "user_groups"     ? core::ImportKind::user_groups
             : kind == "parent_groups" ? core::ImportKind::parent_groups
                                       : core::ImportKind::users;
    j.file_name = s.text(3);
    j.file_bytes = s.int64(4);
    j.uploaded_by = s.text(5);
    j.uploaded_by_phone = s.text(6);
    j.dry_run = s.int64(7) != 0;
    const std::string status = s.text(8);
    j.status = status == "queued"       ? core::ImportStatus::queued
               : status == "processing" ? core::ImportStatus::processing
               : status == "completed"  ? core::ImportStatus::completed
                                        : core::ImportStatus::failed;
    j.progress = static_cast<int>(s.int64(9));
    j.rows = s.int64(10);
    j.applied = s.int64(11);
    j.unchanged = s.int64(12);
    j.failed = s.int64(13);
    j.error_code = s.text(14);
    j.error_message = s.text(15);
    j.created_at = s.int64(16);
    j.finished_at = s.optional_int64(17);
    return j;
}

core::ExportJob read_export_job(const Statement& s) {
    core::ExportJob j;
    j.id = s.text(0);
    j.organization_id = s.text(1);
    j.kind =
        s.text(2) == "group_members" ? core::ExportKind::group_members : core::ExportKind::people;
    j.group_id = s.text(3);
    j.group_name = s.text(4);
    j.file_name = s.text(5);
    j.exported_by = s.text(6);
    j.exported_by_phone = s.text(7);
    const std::string status = s.text(8);
    j.status = status == "queued"      ? core::ExportStatus::queued
               : status == "running"   ? core::ExportStatus::running
               : status == "completed" ? core::ExportStatus::completed
                                       : core::ExportStatus::failed;
    j.progress = static_cast<int>(s.int64(9));
    j.rows = s.int64(10);
    j.file_bytes = s.int64(11);
    j.error_code = s.text(12);
    j.error_message = s.text(13);
    j.created_at = s.int64(14);
    j.finished_at = s.optional_int64(15);
    return j;
}

const char* kind_column(core::MessageKind kind) {
    switch (kind) {
        case core::MessageKind::system:
            return "system";
        case core::MessageKind::card:
            return "card";
        case core::MessageKind::text:
            break;
    }
    return "text";
}

// Runs a statement expected to yield at most one row, mapping it with read.
template <typename T, typename Read>
Result<std::optional<T>> query_one(Statement& s, Read read) {
    PARLEY_TRY_ASSIGN(bool has_row, s.step());
    if (!has_row) return std::optional<T>();
    return std::optional<T>(read(s));
}

template <typename T, typename Read>
Result<std::vector<T>> query_all(Statement& s, Read read) {
    std::vector<T> rows;
    for (;;) {
        PARLEY_TRY_ASSIGN(bool has_row, s.step());
        if (!has_row) return rows;
        rows.push_back(read(s));
    }
}

// Escapes LIKE wildcards so that a search for "50%" matches the text "50%".
std::string like_pattern(const std::string& text) {
    std::string out = "%";
    for (char ch : text) {
        if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
        out += ch;
    }
    out += '%';
    return out;
}

// Associated data binds a sealed body to its message, so bodies cannot be swapped in storage.
std::string body_ad(const core::Id& message_id) { return "message:" + message_id; }
// The same for what a card keeps: its spec and summary, and each response's answers.
std::string card_spec_ad(const core::Id& card_id) { return "card-spec:" + card_id; }
std::string card_summary_ad(const core::Id& card_id) { return "card-summary:" + card_id; }
std::string card_response_ad(const core::Id& response_id) { return "card-response:" + response_id; }

// ---- reader pool ---------------------------------------------------------------------------

class ReaderPool {
public:
    void add(std::unique_ptr<Connection> c) { idle_.push_back(std::move(c)); }

    template <typename T>
    Result<T> with(const std::function<Result<T>(Connection&)>& fn) {
        Lease lease(*this);
        return fn(*lease.connection);
    }

private:
    // Checks a connection out for one call and back in however the call ends.
    struct Lease {
        explicit Lease(ReaderPool& pool) : pool(pool) {
            std::unique_lock lock(pool.mutex_);
            pool.available_.wait(lock, [&] { return !pool.idle_.empty(); });
            connection = std::move(pool.idle_.back());
            pool.idle_.pop_back();
        }
        ~Lease() {
            {
                std::lock_guard lock(pool.mutex_);
                pool.idle_.push_back(std::move(connection));
            }
            pool.available_.notify_one();
        }
        ReaderPool& pool;
        std::unique_ptr<Connection> connection;
    };

    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
};

// ---- the store -----------------------------------------------------------------------------

class SqliteStore final : public Store {
public:
    SqliteStore(const crypto::KeyRing& key_ring, std::unique_ptr<Writer> writer,
                std::function<void(double)> observe_latency,
                std::function<void(const Message&)> message_committed,
                std::function<void(const InheritedChange&)> memberships_inherited)
        : key_ring_(key_ring),
          writer_(std::move(writer)),
          observe_latency_(std::move(observe_latency)),
          message_committed_(std::move(message_committed)),
          memberships_inherited_(std::move(memberships_inherited)) {}

    ReaderPool& readers() { return readers_; }

    using Store::upsert_person;

    template <typename T>
    Result<T> read(const std::function<Result<T>(Connection&)>& fn) {
        Timed timed(observe_latency_);
        return readers_.with<T>(fn);
    }

    template <typename T>
    Result<T> write(const std::function<Result<T>(Connection&)>& fn) {
        Timed timed(observe_latency_);
        return writer_->write<T>(fn);
    }

    // For the large writes of imports; see Writer::write_alone.
    template <typename T>
    Result<T> write_alone(const std::function<Result<T>(Connection&)>& fn) {
        Timed timed(observe_latency_);
        return writer_->write_alone<T>(fn);
    }

    // ---- people ----

    Result<User> ensure_user(const std::string& phone, const std::string& name) override {
        return write<User>([&](Connection& c) -> Result<User> {
            {
                PARLEY_TRY_ASSIGN(auto ins, c.prepare(kInsertUser));
                ins->bind_all(crypto::new_id("usr"), phone, name, now_ms());
                PARLEY_TRY_VOID(ins->run());
            }
            PARLEY_TRY_ASSIGN(auto sel, c.prepare(kSelectUserByPhone));
            sel->bind_all(phone);
            PARLEY_TRY_ASSIGN(auto user,
                              query_one<User>(*sel, [](auto& s) { return read_user(s); }));
            if (!user) return fail(ErrorKind::internal, "store_error", "User vanished.");
            return *user;
        });
    }

    Result<std::optional<User>> find_user(const core::Id& id) override {
        return read<std::optional<User>>([&](Connection& c) -> Result<std::optional<User>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectUserById));
            s->bind_all(id);
            return query_one<User>(*s, [](auto& st) { return read_user(st); });
        });
    }

    Result<std::optional<User>> find_user_by_phone(const std::string& phone) override {
        return read<std::optional<User>>([&](Connection& c) -> Result<std::optional<User>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectUserByPhone));
            s->bind_all(phone);
            return query_one<User>(*s, [](auto& st) { return read_user(st); });
        });
    }

    Result<void> set_user_name(const core::Id& id, const std::string& name) override {
        return exec_write(kUpdateUserName, id, name);
    }

    // ---- codes ----

    Result<void> put_code(const CodeRecord& r) override {
        return exec_write(kUpsertCode, r.phone, r.purpose, r.code_hash, r.target, r.expires_at,
                          r.created_at);
    }

    Result<std::optional<CodeRecord>> find_code(const std::string& phone,
                                                const std::string& purpose) override {
        return read<std::optional<CodeRecord>>(
            [&](Connection& c) -> Result<std::optional<CodeRecord>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectCode));
                s->bind_all(phone, purpose);
                return query_one<CodeRecord>(*s, [](auto& st) {
                    return CodeRecord{st.text(0), st.text(1),  st.text(2),
                                      st.text(3), st.int64(4), static_cast<int>(st.int64(5)),
                                      st.int64(6)};
                });
            });
    }

    Result<int> count_code_attempt(const std::string& phone, const std::string& purpose) override {
        return write<int>([&](Connection& c) -> Result<int> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kBumpCodeAttempts));
            s->bind_all(phone, purpose);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            return row ? static_cast<int>(s->int64(0)) : 0;
        });
    }

    Result<bool> consume_code(const std::string& phone, const std::string& purpose,
                              const std::string& code_hash) override {
        return exec_write_changed(kDeleteCode, phone, purpose, code_hash);
    }

    // ---- sessions ----

    Result<void> create_session(const core::Session& s) override {
        return exec_write(kInsertSession, s.id, s.user_id, s.token_hash, s.user_agent,
                          s.client_address, s.created_at, s.last_used_at);
    }

    Result<std::optional<core::Session>> find_session_by_token_hash(
        const std::string& token_hash) override {
        return read<std::optional<core::Session>>(
            [&](Connection& c) -> Result<std::optional<core::Session>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectSessionByHash));
                s->bind_all(token_hash);
                return query_one<core::Session>(*s, [](auto& st) { return read_session(st); });
            });
    }

    Result<std::vector<core::Session>> list_sessions(const core::Id& user_id) override {
        return read<std::vector<core::Session>>(
            [&](Connection& c) -> Result<std::vector<core::Session>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectSessionsByUser));
                s->bind_all(user_id);
                return query_all<core::Session>(*s, [](auto& st) { return read_session(st); });
            });
    }

    Result<void> touch_session(const core::Id& session_id, TimestampMs at) override {
        return exec_write(kTouchSession, session_id, at);
    }

    Result<bool> revoke_session(const core::Id& user_id, const core::Id& session_id,
                                TimestampMs at) override {
        return exec_write_changed(kRevokeSession, session_id, user_id, at);
    }

    // ---- organizations ----

    Result<void> create_organization(const core::Organization& o) override {
        const auto& p = o.policies.conversations;
        return exec_write(kInsertOrganization, o.id, o.name, o.default_region,
                          o.policies.parley_enabled, o.policies.groups_require_work_account,
                          o.created_at, o.policies.group_admins_set_policies, p.restrict_copy,
                          p.restrict_share, p.restrict_forward, p.new_members_see_history,
                          p.delete_for_everyone, p.invite_links);
    }

    Result<std::optional<core::Organization>> find_organization(const core::Id& id) override {
        return find_org_by(kSelectOrganization, id);
    }

    Result<std::optional<core::Organization>> find_organization_by_name(
        const std::string& name) override {
        return find_org_by(kSelectOrganizationByName, name);
    }

    Result<void> update_organization(const core::Organization& o) override {
        const auto& p = o.policies.conversations;
        return exec_write(kUpdateOrganization, o.id, o.name, o.default_region,
                          o.policies.parley_enabled, o.policies.groups_require_work_account,
                          o.policies.group_admins_set_policies, p.restrict_copy, p.restrict_share,
                          p.restrict_forward, p.new_members_see_history, p.delete_for_everyone,
                          p.invite_links);
    }

    Result<std::vector<std::pair<core::Organization, OrgPerson>>> list_user_organizations(
        const core::Id& user_id) override {
        using Row = std::pair<core::Organization, OrgPerson>;
        return read<std::vector<Row>>([&](Connection& c) -> Result<std::vector<Row>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectUserOrganizations));
            s->bind_all(user_id);
            return query_all<Row>(*s, [](auto& st) {
                return Row{read_organization(st), read_person(st, kOrganizationColumns)};
            });
        });
    }

    Result<OrgPerson> upsert_person(const OrgPerson& p,
                                    const std::vector<core::AttributeValue>& attributes) override {
        return write<OrgPerson>([&](Connection& c) -> Result<OrgPerson> {
            PARLEY_TRY_VOID(run(c, kForgetRemovedValues, p.organization_id, p.user_id));
            PARLEY_TRY_VOID(run(c, kDeleteRemovedMemberships, p.organization_id, p.user_id));
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kUpsertPerson));
                s->bind_all(p.organization_id, p.user_id, p.name, p.email, core::to_string(p.role),
                            p.added_at);
                PARLEY_TRY_VOID(s->run());
            }
            PARLEY_TRY_VOID(write_values(c, p.organization_id, p.user_id, attributes));
            PARLEY_TRY_ASSIGN(auto found, select_person(c, p.organization_id, p.user_id));
            if (!found) return fail(ErrorKind::internal, "store_error", "Person vanished.");
            return *found;
        });
    }

    Result<std::optional<OrgPerson>> find_person(const core::Id& org_id,
                                                 const core::Id& user_id) override {
        return read<std::optional<OrgPerson>>(
            [&](Connection& c) { return select_person(c, org_id, user_id); });
    }

    Result<std::optional<OrgPerson>> find_person_by_email(const core::Id& org_id,
                                                          const std::string& email) override {
        return read<std::optional<OrgPerson>>(
            [&](Connection& c) -> Result<std::optional<OrgPerson>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectPersonByEmail));
                s->bind_all(org_id, email);
                return query_one<OrgPerson>(*s, [](auto& st) { return read_person(st); });
            });
    }

    Result<std::vector<OrgPerson>> search_people(const core::Id& org_id,
                                                 const PersonQuery& q) override {
        return read<std::vector<OrgPerson>>([&](Connection& c) -> Result<std::vector<OrgPerson>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSearchPeople));
            s->bind_all(org_id, like_pattern(q.text), std::max(1, q.limit), std::max(0, q.offset));
            return query_all<OrgPerson>(*s, [](auto& st) { return read_person(st); });
        });
    }

    Result<std::int64_t> count_people(const core::Id& org_id, const std::string& text) override {
        return read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kCountPeople));
            s->bind_all(org_id, like_pattern(text));
            PARLEY_TRY_ASSIGN(bool row, s->step());
            return row ? s->int64(0) : 0;
        });
    }

    Result<std::vector<DirectoryEntry>> list_directory(const core::Id& org_id,
                                                       const PersonQuery& q) override {
        const char* sql = kDirectoryPages[static_cast<int>(q.sort)][q.descending ? 1 : 0];
        return read<std::vector<DirectoryEntry>>(
            [&](Connection& c) -> Result<std::vector<DirectoryEntry>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
                s->bind_all(org_id, like_pattern(q.text), std::max(1, q.limit),
                            std::max(0, q.offset));
                return query_all<DirectoryEntry>(*s, [](auto& st) {
                    return DirectoryEntry{read_person(st), st.optional_int64(8)};
                });
            });
    }

    Result<std::optional<TimestampMs>> last_active(const core::Id& user_id) override {
        return read<std::optional<TimestampMs>>(
            [&](Connection& c) -> Result<std::optional<TimestampMs>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectLastActive));
                s->bind_all(user_id);
                PARLEY_TRY_ASSIGN(bool row, s->step());
                return row ? s->optional_int64(0) : std::nullopt;
            });
    }

    Result<std::vector<PersonGroup>> list_person_groups(const core::Id& org_id,
                                                        const core::Id& user_id) override {
        return read<std::vector<PersonGroup>>(
            [&](Connection& c) { return select_groups(c, kSelectPersonGroups, org_id, user_id); });
    }

    Result<std::vector<RemovedRecord>> list_removed_people(const core::Id& org_id) override {
        return read<std::vector<RemovedRecord>>(
            [&](Connection& c) -> Result<std::vector<RemovedRecord>> {
                std::vector<RemovedRecord> records;
                {
                    PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectRemovedPeople));
                    s->bind_all(org_id);
                    PARLEY_TRY_ASSIGN(records, query_all<RemovedRecord>(*s, [](auto& st) {
                                          return RemovedRecord{read_person(st), st.int64(8), {}};
                                      }));
                }
                for (auto& r : records) {
                    PARLEY_TRY_ASSIGN(r.groups, select_groups(c, kSelectRemovedMemberships, org_id,
                                                              r.person.user_id));
                }
                return records;
            });
    }

    Result<std::optional<RemovedRecord>> find_removed_person(const core::Id& org_id,
                                                             const core::Id& user_id) override {
        return read<std::optional<RemovedRecord>>(
            [&](Connection& c) -> Result<std::optional<RemovedRecord>> {
                std::optional<RemovedRecord> record;
                {
                    PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectRemovedPerson));
                    s->bind_all(org_id, user_id);
                    PARLEY_TRY_ASSIGN(record, query_one<RemovedRecord>(*s, [](auto& st) {
                                          return RemovedRecord{read_person(st), st.int64(8), {}};
                                      }));
                }
                if (record) {
                    PARLEY_TRY_ASSIGN(record->groups,
                                      select_groups(c, kSelectRemovedMemberships, org_id, user_id));
                }
                return record;
            });
    }

    Result<RestoredPerson> restore_person(const core::Id& org_id, const core::Id& user_id,
                                          TimestampMs removed_since, TimestampMs at,
                                          const std::vector<Message>& announcements) override {
        std::unordered_map<core::Id, SealInput> sealed;
        for (const auto& m : announcements) {
            PARLEY_TRY_ASSIGN(auto input, seal_input(m));
            sealed.insert_or_assign(m.conversation_id, std::move(input));
        }
        return write<RestoredPerson>([&](Connection& c) -> Result<RestoredPerson> {
            RestoredPerson restored;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kUnremovePerson));
                s->bind_all(org_id, user_id, removed_since);
                PARLEY_TRY_VOID(s->run());
                if (c.changes() == 0) {
                    return fail(ErrorKind::not_found, "removed_person_not_found",
                                "That person is not among the organization's removed people.");
                }
            }
            std::vector<Member> memberships;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectRestorableMemberships));
                s->bind_all(org_id, user_id);
                PARLEY_TRY_ASSIGN(
                    memberships, query_all<Member>(*s, [&](auto& st) {
                        return Member{st.text(0), user_id, parse_member_role(st.text(1)), 0, at};
                    }));
            }
            for (const auto& m : memberships) {
                PARLEY_TRY_ASSIGN(bool added, insert_member(c, m));
                if (!added) continue;  // joined again meanwhile, e.g. through an invite
                if (auto it = sealed.find(m.conversation_id); it != sealed.end()) {
                    PARLEY_TRY_VOID(insert_message(c, it->second));
                }
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectConversation));
                s->bind_all(m.conversation_id);
                PARLEY_TRY_ASSIGN(auto conv, query_one<Conversation>(*s, [](auto& st) {
                                      return read_conversation(st);
                                  }));
                if (conv) restored.groups_rejoined.push_back(std::move(*conv));
            }
            std::vector<core::Id> rejoined;
            for (const auto& g : restored.groups_rejoined) rejoined.push_back(g.id);
            PARLEY_TRY_VOID(sync_inherited(c, rejoined, false, at));
            PARLEY_TRY_VOID(run(c, kDeleteRemovedMemberships, org_id, user_id));
            PARLEY_TRY_VOID(run(c, kDeleteUserPendingWipes, org_id, user_id));
            PARLEY_TRY_ASSIGN(auto person, select_person(c, org_id, user_id));
            if (!person) return fail(ErrorKind::internal, "store_error", "Person vanished.");
            restored.person = std::move(*person);
            return restored;
        });
    }

    Result<std::int64_t> purge_removed_people(const core::Id& org_id,
                                              TimestampMs removed_before) override {
        return write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_VOID(run(c, kPurgeRemovedValues, org_id, removed_before));
            PARLEY_TRY_VOID(run(c, kPurgeRemovedMemberships, org_id, removed_before));
            PARLEY_TRY_VOID(run(c, kPurgeRemovedPeople, org_id, removed_before));
            std::int64_t purged = c.changes();
            PARLEY_TRY_VOID(run(c, kPurgeOldWipes, org_id, removed_before));
            return purged;
        });
    }

    Result<std::int64_t> purge_removed_people_everywhere(TimestampMs removed_before) override {
        PARLEY_TRY_ASSIGN(
            auto orgs,
            read<std::vector<core::Id>>([&](Connection& c) -> Result<std::vector<core::Id>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOrgsWithOldRemovals));
                s->bind_all(removed_before);
                return query_all<core::Id>(*s, [](auto& st) { return st.text(0); });
            }));
        std::int64_t purged = 0;
        for (const auto& org : orgs) {
            PARLEY_TRY_ASSIGN(auto n, purge_removed_people(org, removed_before));
            purged += n;
        }
        return purged;
    }

    // ---- custom attributes ----

    Result<std::vector<core::AttributeDefinition>> list_attributes(
        const core::Id& org_id) override {
        using Definitions = std::vector<core::AttributeDefinition>;
        return read<Definitions>([&](Connection& c) -> Result<Definitions> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttributes));
            s->bind_all(org_id);
            return query_all<core::AttributeDefinition>(
                *s, [](auto& st) { return read_attribute(st); });
        });
    }

    Result<void> add_attributes(const std::vector<core::AttributeDefinition>& defs) override {
        return discard_value(write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
            for (const auto& a : defs) {
                {
                    // Checked, so that the error names the attribute rather than an index.
                    PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttributeByName));
                    s->bind_all(a.organization_id, a.name);
                    PARLEY_TRY_ASSIGN(bool taken, s->step());
                    if (taken) {
                        return fail(ErrorKind::conflict, "attribute_exists",
                                    "The organization already has an attribute \"" + s->text(0) +
                                        "\"; choose another name.");
                    }
                }
                PARLEY_TRY_VOID(run(c, kInsertAttribute, a.id, a.organization_id, a.name,
                                    core::to_string(a.type), a.mandatory, a.self_editable,
                                    a.visible_to_members, a.created_at));
            }
            return std::monostate{};
        }));
    }

    Result<bool> update_attribute(const core::AttributeDefinition& d) override {
        return write<bool>([&](Connection& c) -> Result<bool> {
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttributeType));
                s->bind_all(d.organization_id, d.id);
                PARLEY_TRY_ASSIGN(bool found, s->step());
                if (!found) return false;
                if (s->text(0) != core::to_string(d.type) && s->int64(1) != 0) {
                    return fail(ErrorKind::conflict, "attribute_has_values",
                                "People already have values of this attribute, so its type "
                                "cannot change; add a new attribute of the other type instead.");
                }
            }
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOtherAttributeByName));
                s->bind_all(d.organization_id, d.name, d.id);
                PARLEY_TRY_ASSIGN(bool taken, s->step());
                if (taken) {
                    return fail(ErrorKind::conflict, "attribute_exists",
                                "The organization already has an attribute \"" + s->text(0) +
                                    "\"; choose another name.");
                }
            }
            PARLEY_TRY_VOID(run(c, kUpdateAttribute, d.organization_id, d.id, d.name,
                                core::to_string(d.type), d.mandatory, d.self_editable,
                                d.visible_to_members));
            return true;
        });
    }

    Result<bool> remove_attributes(const core::Id& org_id,
                                   const std::vector<core::Id>& ids) override {
        // Failing the job (not returning false) rolls back the removals made before it.
        auto removed = write<bool>([&](Connection& c) -> Result<bool> {
            for (const auto& id : ids) {
                PARLEY_TRY_VOID(run(c, kDeleteAttributeValues, org_id, id));
                PARLEY_TRY_VOID(run(c, kDeleteAttribute, org_id, id));
                if (c.changes() == 0) {
                    return fail(ErrorKind::not_found, "attribute_not_found",
                                "The organization has no attribute " + id + ".");
                }
            }
            return true;
        });
        if (!removed && removed.error().code == "attribute_not_found") return false;
        return removed;
    }

    Result<std::vector<core::AttributeValue>> list_attribute_values(
        const core::Id& org_id, const std::vector<core::Id>& user_ids) override {
        using Values = std::vector<core::AttributeValue>;
        if (user_ids.empty()) return Values{};
        return read<Values>([&](Connection& c) -> Result<Values> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttributeValues));
            s->bind_all(org_id, json_string_array(user_ids));
            return query_all<core::AttributeValue>(*s, [](auto& st) {
                return core::AttributeValue{st.text(0), st.text(1), st.text(2)};
            });
        });
    }

    Result<void> set_attribute_values(const core::Id& org_id, const core::Id& user_id,
                                      const std::vector<core::AttributeValue>& values) override {
        return discard_value(write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
            PARLEY_TRY_VOID(write_values(c, org_id, user_id, values));
            return std::monostate{};
        }));
    }

    // ---- pending wipes ----

    Result<std::vector<PendingWipe>> list_pending_wipes(const core::Id& session_id,
                                                        TimestampMs since) override {
        return read<std::vector<PendingWipe>>(
            [&](Connection& c) -> Result<std::vector<PendingWipe>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectPendingWipes));
                s->bind_all(session_id, since);
                return query_all<PendingWipe>(*s, [](auto& st) {
                    return PendingWipe{st.text(0), st.text(1), st.int64(2)};
                });
            });
    }

    Result<void> clear_pending_wipes(const core::Id& session_id,
                                     const std::vector<core::Id>& organization_ids) override {
        return discard_value(write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
            for (const auto& org_id : organization_ids) {
                PARLEY_TRY_VOID(run(c, kDeletePendingWipe, session_id, org_id));
            }
            return std::monostate{};
        }));
    }

    Result<RemovedPerson> remove_person(const core::Id& org_id, const core::Id& user_id,
                                        TimestampMs at) override {
        return write<RemovedPerson>([&](Connection& c) -> Result<RemovedPerson> {
            RemovedPerson removed;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kMarkPersonRemoved));
                s->bind_all(org_id, user_id, at);
                PARLEY_TRY_VOID(s->run());
                if (c.changes() == 0) {
                    return fail(ErrorKind::not_found, "person_not_found",
                                "That person is not in the organization's directory.");
                }
            }
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOrgGroupsOfUser));
                s->bind_all(org_id, user_id);
                PARLEY_TRY_ASSIGN(removed.conversations_left,
                                  query_all<core::Id>(*s, [](auto& st) { return st.text(0); }));
            }
            PARLEY_TRY_VOID(run(c, kDeleteRemovedMemberships, org_id, user_id));
            PARLEY_TRY_VOID(run(c, kRecordRemovedMemberships, org_id, user_id));
            PARLEY_TRY_VOID(run(c, kRecordPendingWipes, org_id, user_id, at));
            for (const auto& cid : removed.conversations_left) {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kDeleteMember));
                s->bind_all(cid, user_id);
                PARLEY_TRY_VOID(s->run());
            }
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kDeleteWorkAccountForOrg));
            s->bind_all(org_id, user_id);
            PARLEY_TRY_VOID(s->run());
            return removed;
        });
    }

    // ---- work accounts ----

    Result<void> link_work_account(const core::WorkAccount& a) override {
        return exec_write(kUpsertWorkAccount, a.user_id, a.organization_id, a.email, a.linked_at);
    }

    Result<std::optional<core::WorkAccount>> find_work_account(const core::Id& user_id) override {
        return read<std::optional<core::WorkAccount>>(
            [&](Connection& c) -> Result<std::optional<core::WorkAccount>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectWorkAccount));
                s->bind_all(user_id);
                return query_one<core::WorkAccount>(*s, [](auto& st) {
                    return core::WorkAccount{st.text(0), st.text(1), st.text(2), st.int64(3)};
                });
            });
    }

    Result<bool> unlink_work_account(const core::Id& user_id) override {
        return exec_write_changed(kDeleteWorkAccount, user_id);
    }

    // ---- conversations ----

    Result<void> create_conversation(const Conversation& conv, const std::string& chat_key,
                                     const std::vector<Member>& members,
                                     const std::optional<Message>& announcement) override {
        std::optional<SealInput> sealed;
        if (announcement) {
            PARLEY_TRY_ASSIGN(sealed, seal_input(*announcement));
        }
        return discard_value(write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
            std::optional<std::string> key;
            if (!chat_key.empty()) {
                // Checked, not inferred from a failed insert: any other conflict (a reused id,
                // an unknown organization) is not an existing chat.
                key = chat_key;
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectChatByKey));
                s->bind_all(chat_key);
                PARLEY_TRY_ASSIGN(bool exists, s->step());
                if (exists) {
                    return fail(ErrorKind::conflict, "chat_exists", "That chat exists already.");
                }
            }
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kInsertConversation));
                s->bind_all(conv.id, core::to_string(conv.kind), conv.name,
                            owner_column(conv.owner), conv.created_by, conv.created_at,
                            conv.owner_changed_at, key, core::to_string(conv.group_type),
                            conv.managed);
                PARLEY_TRY_VOID(s->run());
            }
            for (const auto& m : members) PARLEY_TRY_VOID(insert_member(c, m));
            if (sealed) PARLEY_TRY_VOID(insert_message(c, *sealed));
            return std::monostate{};
        }));
    }

    Result<std::optional<Conversation>> find_conversation(const core::Id& id) override {
        return find_conversation_by(kSelectConversation, id);
    }

    Result<std::optional<Conversation>> find_chat(const std::string& chat_key) override {
        return find_conversation_by(kSelectChatByKey, chat_key);
    }

    Result<std::vector<core::ConversationSummary>> list_conversations(
        const core::Id& user_id) override {
        using Summary = core::ConversationSummary;
        return read<std::vector<Summary>>([&](Connection& c) -> Result<std::vector<Summary>> {
            std::vector<Summary> rows;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectConversationsOfUser));
                s->bind_all(user_id);
                PARLEY_TRY_ASSIGN(rows, query_all<Summary>(*s, [](auto& st) {
                                      Summary r;
                                      r.conversation = read_conversation(st);
                                      r.role = parse_member_role(st.text(kConversationColumns));
                                      r.read_seq = st.int64(kConversationColumns + 1);
                                      r.via_group_id = st.optional_text(kConversationColumns + 2);
                                      r.unread = std::max<std::int64_t>(
                                          0, r.conversation.last_seq - r.read_seq);
                                      return r;
                                  }));
            }
            for (auto& r : rows) {
                if (r.conversation.kind != ConversationKind::chat) continue;
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectChatPeer));
                s->bind_all(r.conversation.id, user_id);
                PARLEY_TRY_ASSIGN(r.peer,
                                  query_one<User>(*s, [](auto& st) { return read_user(st); }));
            }
            return rows;
        });
    }

    Result<std::vector<Conversation>> list_organization_groups(const core::Id& org_id) override {
        return read<std::vector<Conversation>>(
            [&](Connection& c) -> Result<std::vector<Conversation>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOrgGroups));
                s->bind_all(org_id);
                return query_all<Conversation>(*s, [](auto& st) { return read_conversation(st); });
            });
    }

    Result<std::vector<store::GroupActivity>> list_group_activity(const core::Id& org_id,
                                                                  TimestampMs from,
                                                                  TimestampMs to) override {
        using store::GroupActivity;
        return read<std::vector<GroupActivity>>(
            [&](Connection& c) -> Result<std::vector<GroupActivity>> {
                std::vector<GroupActivity> groups;
                std::unordered_map<core::Id, std::size_t> index;
                PARLEY_TRY_ASSIGN(auto ids, c.prepare(kSelectOrgGroupIds));
                ids->bind_all(org_id);
                for (;;) {
                    PARLEY_TRY_ASSIGN(bool row, ids->step());
                    if (!row) break;
                    index.emplace(ids->text(0), groups.size());
                    groups.push_back(GroupActivity{ids->text(0)});
                }
                // Each count query adds its columns to the groups it names.
                auto add = [&](const char* sql, bool in_period, auto&& fill) -> Result<void> {
                    PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
                    if (in_period) {
                        s->bind_all(org_id, from, to);
                    } else {
                        s->bind_all(org_id);
                    }
                    for (;;) {
                        PARLEY_TRY_ASSIGN(bool row, s->step());
                        if (!row) break;
                        auto it = index.find(s->text(0));
                        if (it != index.end()) fill(groups[it->second], *s);
                    }
                    return ok();
                };
                PARLEY_TRY_VOID(add(kCountOrgGroupMembers, false, [](auto& g, auto& s) {
                    g.members = s.int64(1);
                    g.admins = s.int64(2);
                }));
                PARLEY_TRY_VOID(add(kCountOrgMessages, true, [](auto& g, auto& s) {
                    g.messages = s.int64(1);
                    g.senders = s.int64(2);
                    g.cards = s.int64(3);
                }));
                PARLEY_TRY_VOID(add(kCountOrgCardResponses, true,
                                    [](auto& g, auto& s) { g.responses = s.int64(1); }));
                return groups;
            });
    }

    Result<std::vector<Conversation>> list_organization_conversations(
        const core::Id& org_id) override {
        return read<std::vector<Conversation>>(
            [&](Connection& c) -> Result<std::vector<Conversation>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOrgConversations));
                s->bind_all(org_id);
                return query_all<Conversation>(*s, [](auto& st) { return read_conversation(st); });
            });
    }

    Result<void> rename_conversation(const core::Id& id, const std::string& name) override {
        return exec_write(kRenameConversation, id, name);
    }

    Result<bool> set_policy_overrides(const core::Id& id, const core::PolicyOverrides& o) override {
        return exec_write_changed(kSetPolicyOverrides, id, o.restrict_copy, o.restrict_share,
                                  o.restrict_forward, o.new_members_see_history,
                                  o.delete_for_everyone, o.invite_links, o.require_work_account);
    }

    Result<Conversation> set_owner(const core::Id& id, const Owner& owner, TimestampMs at,
                                   const std::optional<Message>& announcement) override {
        std::optional<SealInput> sealed;
        if (announcement) {
            PARLEY_TRY_ASSIGN(sealed, seal_input(*announcement));
        }
        return write<Conversation>([&](Connection& c) -> Result<Conversation> {
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSetOwner));
                s->bind_all(id, owner_column(owner), at);
                PARLEY_TRY_VOID(s->run());
            }
            if (c.changes() == 0) {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectConversation));
                s->bind_all(id);
                PARLEY_TRY_ASSIGN(bool exists, s->step());
                if (!exists) {
                    return fail(ErrorKind::not_found, "conversation_not_found",
                                "No such conversation.");
                }
                return fail(ErrorKind::conflict, "already_owned",
                            "This group is already owned by an organization.");
            }
            if (sealed) PARLEY_TRY_VOID(insert_message(c, *sealed));
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectConversation));
            s->bind_all(id);
            PARLEY_TRY_ASSIGN(auto conv, query_one<Conversation>(
                                             *s, [](auto& st) { return read_conversation(st); }));
            if (!conv) return fail(ErrorKind::not_found, "conversation_not_found", "Gone.");
            return *conv;
        });
    }

    // ---- group hierarchy ----

    Result<GroupLinks> find_group_links(const core::Id& group_id) override {
        return read<GroupLinks>([&](Connection& c) -> Result<GroupLinks> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectGroupLinks));
            s->bind_all(group_id);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            if (!row) return GroupLinks{};
            return GroupLinks{s->optional_text(0), s->int64(1)};
        });
    }

    Result<GroupHierarchy> group_hierarchy(const core::Id& group_id) override {
        return read<GroupHierarchy>([&](Connection& c) -> Result<GroupHierarchy> {
            GroupHierarchy h;
            PARLEY_TRY_ASSIGN(auto ancestors, select_ancestors(c, group_id));
            std::reverse(ancestors.begin(), ancestors.end());  // root first
            for (const auto& id : ancestors) {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectHierarchyNode));
                s->bind_all(id);
                PARLEY_TRY_ASSIGN(bool row, s->step());
                if (!row) continue;
                HierarchyNode node = read_hierarchy_node(*s);
                node.depth = static_cast<int>(h.ancestors.size());
                h.ancestors.push_back(std::move(node));
            }
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectSubtree));
            s->bind_all(group_id);
            const int offset = static_cast<int>(h.ancestors.size());
            PARLEY_TRY_ASSIGN(h.subtree, query_all<HierarchyNode>(*s, [&](auto& st) {
                                  HierarchyNode node = read_hierarchy_node(st);
                                  node.depth =
                                      offset + static_cast<int>(st.int64(kConversationColumns + 3));
                                  return node;
                              }));
            return h;
        });
    }

    Result<std::vector<std::pair<core::Id, core::Id>>> list_group_links(
        const core::Id& org_id) override {
        using Links = std::vector<std::pair<core::Id, core::Id>>;
        return read<Links>([&](Connection& c) -> Result<Links> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOrgGroupLinks));
            s->bind_all(org_id);
            return query_all<std::pair<core::Id, core::Id>>(*s, [](auto& st) {
                return std::pair{st.text(0), st.text(1)};
            });
        });
    }

    Result<bool> link_group(const GroupLinkWrite& link, TimestampMs at) override {
        PARLEY_TRY_ASSIGN(auto sealed, seal_all(link.announcements));
        return write<bool>([&](Connection& c) -> Result<bool> {
            PARLEY_TRY_ASSIGN(auto outcome, write_link(c, link, sealed, at));
            if (outcome.refusal) return std::unexpected(*outcome.refusal);
            return outcome.linked;
        });
    }

    Result<bool> unlink_group(const core::Id& child_id,
                              const std::vector<Message>& announcements) override {
        PARLEY_TRY_ASSIGN(auto sealed, seal_all(announcements));
        return write<bool>([&](Connection& c) -> Result<bool> {
            std::optional<core::Id> parent;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectParent));
                s->bind_all(child_id);
                PARLEY_TRY_ASSIGN(parent,
                                  query_one<core::Id>(*s, [](auto& st) { return st.text(0); }));
            }
            if (!parent) return false;
            PARLEY_TRY_VOID(run(c, kDeleteGroupLink, child_id));
            for (const auto& a : sealed) PARLEY_TRY_VOID(insert_message(c, a));
            PARLEY_TRY_VOID(sync_inherited(c, {*parent}, true, now_ms()));
            return true;
        });
    }

    Result<std::vector<ImportWriteResult>> import_group_links(
        const std::vector<GroupLinkWrite>& links, TimestampMs at) override {
        using Results = std::vector<ImportWriteResult>;
        std::vector<std::vector<SealInput>> sealed;
        sealed.reserve(links.size());
        for (const auto& link : links) {
            PARLEY_TRY_ASSIGN(auto s, seal_all(link.announcements));
            sealed.push_back(std::move(s));
        }
        return write<Results>([&](Connection& c) -> Result<Results> {
            Results results;
            results.reserve(links.size());
            for (std::size_t i = 0; i < links.size(); ++i) {
                PARLEY_TRY_ASSIGN(auto outcome, write_link(c, links[i], sealed[i], at));
                results.push_back({{}, outcome.refusal});
            }
            return results;
        });
    }

    // ---- members ----

    Result<std::optional<Member>> find_member(const core::Id& cid, const core::Id& uid) override {
        return read<std::optional<Member>>([&](Connection& c) -> Result<std::optional<Member>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMember));
            s->bind_all(cid, uid);
            return query_one<Member>(*s, [](auto& st) { return read_member(st); });
        });
    }

    Result<std::vector<MemberWithUser>> list_members(const core::Id& cid) override {
        return read<std::vector<MemberWithUser>>(
            [&](Connection& c) -> Result<std::vector<MemberWithUser>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMembers));
                s->bind_all(cid);
                return query_all<MemberWithUser>(*s, [](auto& st) {
                    return MemberWithUser{read_member(st), read_user(st, kMemberColumns)};
                });
            });
    }

    Result<std::vector<MemberAccessFacts>> list_member_access_facts(
        const core::Id& cid, const core::Id& org_id) override {
        return read<std::vector<MemberAccessFacts>>(
            [&](Connection& c) -> Result<std::vector<MemberAccessFacts>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMemberAccessFacts));
                s->bind_all(cid, org_id);
                return query_all<MemberAccessFacts>(*s, [](auto& st) {
                    MemberAccessFacts f;
                    f.user_id = st.text(0);
                    f.role = parse_member_role(st.text(1));
                    f.joined_seq = st.int64(2);
                    f.inherited = st.int64(3) != 0;
                    if (auto role = st.optional_text(4)) f.org_role = parse_org_role(*role);
                    f.work_account_linked = st.int64(5) != 0;
                    return f;
                });
            });
    }

    Result<bool> add_member(const Member& m, const std::optional<Message>& announcement) override {
        std::optional<SealInput> sealed;
        if (announcement) {
            PARLEY_TRY_ASSIGN(sealed, seal_input(*announcement));
        }
        return write<bool>([&](Connection& c) -> Result<bool> {
            PARLEY_TRY_ASSIGN(bool added, insert_member(c, m));
            if (added && sealed) PARLEY_TRY_VOID(insert_message(c, *sealed));
            if (added) PARLEY_TRY_VOID(sync_inherited(c, {m.conversation_id}, false, m.joined_at));
            return added;
        });
    }

    Result<bool> remove_member(const core::Id& cid, const core::Id& uid,
                               const std::optional<Message>& announcement) override {
        std::optional<SealInput> sealed;
        if (announcement) {
            PARLEY_TRY_ASSIGN(sealed, seal_input(*announcement));
        }
        return write<bool>([&](Connection& c) -> Result<bool> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kDeleteMember));
            s->bind_all(cid, uid);
            PARLEY_TRY_VOID(s->run());
            bool removed = c.changes() > 0;
            if (removed && sealed) PARLEY_TRY_VOID(insert_message(c, *sealed));
            if (removed) PARLEY_TRY_VOID(sync_inherited(c, {cid}, true, now_ms()));
            return removed;
        });
    }

    Result<bool> set_member_role(const core::Id& cid, const core::Id& uid,
                                 MemberRole role) override {
        return exec_write_changed(kSetMemberRole, cid, uid, core::to_string(role));
    }

    Result<std::int64_t> count_admins(const core::Id& cid) override {
        return read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kCountAdmins));
            s->bind_all(cid);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            return row ? s->int64(0) : 0;
        });
    }

    // ---- messages ----

    Result<AppendResult> append_message(const Message& draft) override {
        PARLEY_TRY_ASSIGN(auto input, seal_input(draft));
        PARLEY_TRY_ASSIGN(
            auto appended,
            write<std::pair<Message, std::optional<SealedMessage>>>(
                [&](Connection& c) -> Result<std::pair<Message, std::optional<SealedMessage>>> {
                    if (!draft.client_id.empty()) {
                        PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMessageByClientId));
                        s->bind_all(draft.conversation_id, draft.sender_id, draft.client_id);
                        PARLEY_TRY_ASSIGN(auto existing, query_one<SealedMessage>(*s, [](auto& st) {
                                              return read_sealed_message(st);
                                          }));
                        if (existing) return std::pair{Message{}, std::move(existing)};
                    }
                    PARLEY_TRY_VOID(check_still_current(c, draft));
                    PARLEY_TRY_ASSIGN(auto stored, insert_message(c, input));
                    if (!draft.sender_id.empty()) {
                        PARLEY_TRY_ASSIGN(auto s, c.prepare(kAdvanceSenderRead));
                        s->bind_all(draft.conversation_id, draft.sender_id, stored.seq);
                        PARLEY_TRY_VOID(s->run());
                    }
                    return std::pair{std::move(stored), std::optional<SealedMessage>()};
                }));
        if (appended.second) {
            // Read again with its attachments.
            PARLEY_TRY_ASSIGN(auto original,
                              find_message(draft.conversation_id, appended.second->message.id));
            if (!original) return fail(ErrorKind::internal, "store_error", "Message vanished.");
            return AppendResult{std::move(*original), true};
        }
        return AppendResult{std::move(appended.first), false};
    }

    Result<std::optional<Message>> find_message(const core::Id& cid, const core::Id& mid) override {
        PARLEY_TRY_ASSIGN(
            auto sealed,
            read<std::optional<SealedMessage>>(
                [&](Connection& c) -> Result<std::optional<SealedMessage>> {
                    PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMessage));
                    s->bind_all(cid, mid);
                    PARLEY_TRY_ASSIGN(auto row, query_one<SealedMessage>(*s, [](auto& st) {
                                          return read_sealed_message(st);
                                      }));
                    if (row && !row->message.deleted_at) {
                        PARLEY_TRY_ASSIGN(auto a, c.prepare(kSelectMessageAttachments));
                        a->bind_all(mid);
                        PARLEY_TRY_ASSIGN(row->message.attachments,
                                          query_all<core::Attachment>(
                                              *a, [](auto& st) { return read_attachment(st); }));
                    }
                    return row;
                }));
        if (!sealed) return std::optional<Message>();
        PARLEY_TRY_ASSIGN(auto message, open_message(*sealed));
        std::vector<Message> one{std::move(message)};
        PARLEY_TRY_VOID(attach_cards(one));
        return std::optional<Message>(std::move(one.front()));
    }

    Result<std::vector<Message>> list_messages(const core::Id& cid,
                                               const MessageRange& range) override {
        bool newest_first = range.before && !range.after;
        const char* sql = range.replies_to
                              ? (newest_first ? kSelectRepliesDesc : kSelectRepliesAsc)
                              : (newest_first ? kSelectMessagesDesc : kSelectMessagesAsc);
        PARLEY_TRY_ASSIGN(
            auto rows,
            read<std::vector<SealedMessage>>(
                [&](Connection& c) -> Result<std::vector<SealedMessage>> {
                    PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
                    s->bind_all(cid, std::max(range.after.value_or(0), range.floor),
                                range.before.value_or(std::numeric_limits<std::int64_t>::max()),
                                range.limit, range.viewer, range.reader);
                    if (range.replies_to) s->bind(7, *range.replies_to);
                    PARLEY_TRY_ASSIGN(auto messages, query_all<SealedMessage>(*s, [](auto& st) {
                                          return read_sealed_message(st);
                                      }));
                    PARLEY_TRY_VOID(load_attachments(c, cid, messages));
                    return messages;
                }));
        if (newest_first) std::reverse(rows.begin(), rows.end());
        std::vector<Message> messages;
        messages.reserve(rows.size());
        for (auto& row : rows) {
            PARLEY_TRY_ASSIGN(auto m, open_message(row));
            messages.push_back(std::move(m));
        }
        PARLEY_TRY_VOID(attach_cards(messages));
        return messages;
    }

    Result<void> insert_attachment(const core::Attachment& attachment) override {
        return exec_attachment_insert(attachment);
    }

    Result<std::int64_t> delete_dead_attachments(TimestampMs unsent_before) override {
        return write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_VOID(run(c, kDeleteUnsentAttachments, unsent_before));
            std::int64_t removed = c.changes();
            PARLEY_TRY_VOID(run(c, kDeleteAttachmentsOfDeletedMessages));
            return removed + c.changes();
        });
    }

    Result<std::unordered_set<std::string>> referenced_blobs() override {
        using Names = std::unordered_set<std::string>;
        return read<Names>([&](Connection& c) -> Result<Names> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectReferencedBlobs));
            Names names;
            for (;;) {
                PARLEY_TRY_ASSIGN(bool row, s->step());
                if (!row) break;
                names.insert(s->text(0));
            }
            return names;
        });
    }

    Result<std::optional<core::Attachment>> find_attachment(const core::Id& id) override {
        return read<std::optional<core::Attachment>>(
            [&](Connection& c) -> Result<std::optional<core::Attachment>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttachment));
                s->bind_all(id);
                return query_one<core::Attachment>(*s,
                                                   [](auto& st) { return read_attachment(st); });
            });
    }

    Result<std::vector<core::Attachment>> list_card_attachments(const core::Id& card_id) override {
        return read<std::vector<core::Attachment>>(
            [&](Connection& c) -> Result<std::vector<core::Attachment>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectCardAttachments));
                s->bind_all(card_id);
                return query_all<core::Attachment>(*s,
                                                   [](auto& st) { return read_attachment(st); });
            });
    }

    Result<void> exec_attachment_insert(const core::Attachment& attachment) {
        return discard_value(write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kInsertAttachment));
            bind_attachment(*s, attachment);
            PARLEY_TRY_VOID(s->run());
            return std::monostate{};
        }));
    }

    Result<Message> edit_message(const core::Id& cid, const core::Id& mid, const std::string& text,
                                 TimestampMs at) override {
        PARLEY_TRY_ASSIGN(auto current, find_message(cid, mid));
        if (!current || current->deleted_at) {
            return fail(ErrorKind::not_found, "message_not_found", "No such message.");
        }
        // Edits stay under the key of the message's owner, stamped when it was first written.
        std::string key_id = key_id_for(current->owner, cid);
        PARLEY_TRY_ASSIGN(auto key, data_key(key_id));
        std::string body = crypto::seal(key, text, body_ad(mid));
        PARLEY_TRY_ASSIGN(bool changed,
                          exec_write_changed(kEditMessage, cid, mid, Blob{body}, key_id, at));
        if (!changed) return fail(ErrorKind::not_found, "message_not_found", "No such message.");
        current->text = text;
        current->edited_at = at;
        return *current;
    }

    Result<Message> delete_message(const core::Id& cid, const core::Id& mid,
                                   TimestampMs at) override {
        PARLEY_TRY_ASSIGN(auto current, find_message(cid, mid));
        PARLEY_TRY_ASSIGN(bool changed, write<bool>([&](Connection& c) -> Result<bool> {
                              std::optional<core::Id> answered;
                              {
                                  PARLEY_TRY_ASSIGN(auto s, c.prepare(kDeleteMessage));
                                  s->bind_all(cid, mid, at);
                                  PARLEY_TRY_ASSIGN(bool row, s->step());
                                  if (!row) return false;
                                  answered = s->optional_text(0);
                              }
                              {
                                  PARLEY_TRY_ASSIGN(auto s, c.prepare(kDeleteLikesOfMessage));
                                  s->bind_all(mid);
                                  PARLEY_TRY_VOID(s->run());
                              }
                              if (answered) {
                                  PARLEY_TRY_ASSIGN(auto s, c.prepare(kCountComment));
                                  s->bind_all(cid, *answered, -1);
                                  PARLEY_TRY_VOID(s->run());
                              }
                              return true;
                          }));
        if (!current || !changed) {
            return fail(ErrorKind::not_found, "message_not_found", "No such message.");
        }
        current->text.clear();
        current->attachments.clear();  // their files are no longer served (AttachmentService)
        current->deleted_at = at;
        current->like_count = 0;
        return *current;
    }

    // ---- reactions ----

    Result<ReactionCounts> set_like(const core::Id& cid, const core::Id& mid, const core::Id& uid,
                                    bool liked, TimestampMs at) override {
        return write<ReactionCounts>([&](Connection& c) -> Result<ReactionCounts> {
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMessageState));
                s->bind_all(cid, mid);
                PARLEY_TRY_ASSIGN(bool row, s->step());
                if (!row)
                    return fail(ErrorKind::not_found, "message_not_found", "No such message.");
                if (s->int64(0) != 0) {
                    return fail(ErrorKind::conflict, "message_deleted",
                                "This message was deleted; it can no longer be liked.");
                }
            }
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(liked ? kInsertLike : kDeleteLike));
                if (liked) {
                    s->bind_all(mid, uid, at);
                } else {
                    s->bind_all(mid, uid);
                }
                PARLEY_TRY_VOID(s->run());
            }
            ReactionCounts counts;
            counts.changed = c.changes() > 0;
            PARLEY_TRY_ASSIGN(auto s,
                              c.prepare(counts.changed ? kCountLike : kSelectReactionCounts));
            if (counts.changed) {
                s->bind_all(cid, mid, std::int64_t{liked ? 1 : -1});
            } else {
                s->bind_all(cid, mid);
            }
            PARLEY_TRY_ASSIGN(bool row, s->step());
            if (!row) return fail(ErrorKind::not_found, "message_not_found", "No such message.");
            counts.like_count = s->int64(0);
            counts.comment_count = s->int64(1);
            return counts;
        });
    }

    Result<bool> likes(const core::Id& mid, const core::Id& uid) override {
        return read<bool>([&](Connection& c) -> Result<bool> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectLiked));
            s->bind_all(mid, uid);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            return row && s->int64(0) != 0;
        });
    }

    Result<std::vector<Like>> list_likes(const core::Id& cid, const core::Id& mid,
                                         const LikeQuery& query) override {
        return read<std::vector<Like>>([&](Connection& c) -> Result<std::vector<Like>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectLikes));
            s->bind_all(cid, mid, query.after, query.limit, query.admins_and);
            return query_all<Like>(*s, [](auto& st) {
                return Like{read_user(st), st.int64(4), st.int64(5)};
            });
        });
    }

    Result<std::int64_t> count_private_to_others(const core::Id& cid, const core::Id& uid,
                                                 std::int64_t after, std::int64_t up_to) override {
        if (up_to <= after) return std::int64_t{0};
        return read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kCountPrivateToOthers));
            s->bind_all(cid, uid, after, up_to);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            return row ? s->int64(0) : 0;
        });
    }

    Result<std::int64_t> mark_read(const core::Id& cid, const core::Id& uid,
                                   std::int64_t seq) override {
        return write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kMarkRead));
            s->bind_all(cid, uid, seq);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            if (!row) return fail(ErrorKind::not_found, "not_a_member", "Not a member.");
            return s->int64(0);
        });
    }

    // ---- invites ----

    Result<void> create_invite(const core::Invite& i, const std::string& token_hash) override {
        return exec_write(kInsertInvite, i.id, i.conversation_id, token_hash, i.created_by,
                          i.expires_at, i.max_uses, i.created_at);
    }

    Result<std::vector<core::Invite>> list_invites(const core::Id& cid) override {
        return read<std::vector<core::Invite>>(
            [&](Connection& c) -> Result<std::vector<core::Invite>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectInvites));
                s->bind_all(cid);
                return query_all<core::Invite>(*s, [](auto& st) { return read_invite(st); });
            });
    }

    Result<std::optional<core::Invite>> find_invite_by_token_hash(
        const std::string& token_hash) override {
        return read<std::optional<core::Invite>>(
            [&](Connection& c) -> Result<std::optional<core::Invite>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectInviteByHash));
                s->bind_all(token_hash);
                return query_one<core::Invite>(*s, [](auto& st) { return read_invite(st); });
            });
    }

    Result<bool> revoke_invite(const core::Id& cid, const core::Id& invite_id) override {
        return exec_write_changed(kRevokeInvite, cid, invite_id);
    }

    Result<RedeemedInvite> redeem_invite(const std::string& token_hash, const Member& member,
                                         TimestampMs now,
                                         const std::optional<Message>& announcement) override {
        // The announcement's owner is decided by the caller from a read that may be stale by
        // the time the write runs; ownership only ever goes private → organization, and
        // set_owner announces that change itself, so at worst the join notice is sealed under
        // the group's private key.
        std::optional<SealInput> sealed;
        if (announcement) {
            PARLEY_TRY_ASSIGN(sealed, seal_input(*announcement));
        }
        return write<RedeemedInvite>([&](Connection& c) -> Result<RedeemedInvite> {
            RedeemedInvite r;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectInviteByHash));
                s->bind_all(token_hash);
                PARLEY_TRY_ASSIGN(auto invite, query_one<core::Invite>(
                                                   *s, [](auto& st) { return read_invite(st); }));
                if (!invite) {
                    return fail(ErrorKind::not_found, "invite_not_found",
                                "This invite link is not valid.");
                }
                r.invite = *invite;
            }
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectConversation));
                s->bind_all(r.invite.conversation_id);
                PARLEY_TRY_ASSIGN(auto conv, query_one<Conversation>(*s, [](auto& st) {
                                      return read_conversation(st);
                                  }));
                if (!conv) return fail(ErrorKind::not_found, "invite_not_found", "Gone.");
                r.conversation = *conv;
            }
            Member m = member;
            m.conversation_id = r.invite.conversation_id;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMember));
                s->bind_all(m.conversation_id, m.user_id);
                PARLEY_TRY_ASSIGN(bool existing, s->step());
                // An inherited member joining by link becomes a direct one.
                if (existing && !s->optional_text(6)) {
                    r.already_member = true;
                    return r;
                }
            }
            if (r.invite.revoked) {
                return fail(ErrorKind::gone, "invite_revoked",
                            "This invite link was revoked; ask a group admin for a new one.");
            }
            if (r.invite.expires_at && *r.invite.expires_at <= now) {
                return fail(ErrorKind::gone, "invite_expired",
                            "This invite link has expired; ask a group admin for a new one.");
            }
            if (r.invite.max_uses && r.invite.uses >= *r.invite.max_uses) {
                return fail(ErrorKind::gone, "invite_used_up",
                            "This invite link has been used as often as allowed.");
            }
            PARLEY_TRY_VOID(insert_member(c, m));
            PARLEY_TRY_VOID(sync_inherited(c, {m.conversation_id}, false, now));
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kCountInviteUse));
            s->bind_all(r.invite.id);
            PARLEY_TRY_VOID(s->run());
            r.invite.uses += 1;
            if (sealed) {
                sealed->message.conversation_id = m.conversation_id;
                PARLEY_TRY_ASSIGN(auto announced, insert_message(c, *sealed));
                r.conversation.last_seq = announced.seq;
            }
            return r;
        });
    }

    // ---- bulk imports ----

    Result<void> create_import_job(const core::ImportJob& j) override {
        return exec_write(kInsertImportJob, j.id, j.organization_id, core::to_string(j.kind),
                          j.file_name, j.file_bytes, j.uploaded_by, j.dry_run,
                          core::to_string(j.status), j.created_at);
    }

    Result<void> update_import_job(const core::ImportJob& j) override {
        return exec_write(kUpdateImportJob, j.id, core::to_string(j.status), j.progress, j.rows,
                          j.applied, j.unchanged, j.failed, j.error_code, j.error_message,
                          j.finished_at);
    }

    Result<std::optional<core::ImportJob>> find_import_job(const core::Id& org_id,
                                                           const core::Id& job_id) override {
        return select_one<core::ImportJob>(kSelectImportJob, read_import_job, org_id, job_id);
    }

    Result<std::vector<core::ImportJob>> list_import_jobs(const core::Id& org_id,
                                                          int limit) override {
        return select_all<core::ImportJob>(kSelectImportJobs, read_import_job, org_id, limit);
    }

    Result<std::int64_t> fail_unfinished_import_jobs(const std::string& code,
                                                     const std::string& message,
                                                     TimestampMs at) override {
        return exec_write_count(kFailUnfinishedImportJobs, code, message, at);
    }

    Result<std::vector<ImportedPerson>> find_people_for_import(
        const core::Id& org_id, const std::vector<std::string>& phones) override {
        using People = std::vector<ImportedPerson>;
        if (phones.empty()) return People{};
        return read<People>([&](Connection& c) -> Result<People> {
            People people;
            std::vector<core::Id> listed;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectImportPeople));
                s->bind_all(org_id, json_string_array(phones));
                for (;;) {
                    PARLEY_TRY_ASSIGN(bool row, s->step());
                    if (!row) break;
                    ImportedPerson p;
                    p.user = read_user(*s);
                    p.ever_in_directory = s->int64(10) != 0;
                    if (s->int64(4) != 0) {
                        OrgPerson e;
                        e.organization_id = org_id;
                        e.user_id = p.user.id;
                        e.phone = p.user.phone;
                        e.name = s->text(5);
                        e.email = s->text(6);
                        e.role = parse_org_role(s->text(7));
                        e.work_account_linked = s->int64(8) != 0;
                        e.added_at = s->int64(9);
                        p.person = std::move(e);
                        listed.push_back(p.user.id);
                    }
                    people.push_back(std::move(p));
                }
            }
            if (listed.empty()) return people;
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttributeValues));
            s->bind_all(org_id, json_string_array(listed));
            std::unordered_map<core::Id, std::vector<core::AttributeValue>> values;
            for (;;) {
                PARLEY_TRY_ASSIGN(bool row, s->step());
                if (!row) break;
                values[s->text(1)].push_back({s->text(0), s->text(1), s->text(2)});
            }
            for (auto& p : people) {
                auto it = values.find(p.user.id);
                if (it != values.end()) p.values = std::move(it->second);
            }
            return people;
        });
    }

    // ---- exports ----

    Result<void> create_export_job(const core::ExportJob& j) override {
        return exec_write(kInsertExportJob, j.id, j.organization_id, core::to_string(j.kind),
                          j.group_id, j.file_name, j.exported_by, core::to_string(j.status),
                          j.created_at);
    }

    Result<void> update_export_job(const core::ExportJob& j) override {
        return exec_write(kUpdateExportJob, j.id, core::to_string(j.status), j.progress, j.rows,
                          j.file_bytes, j.error_code, j.error_message, j.finished_at);
    }

    Result<std::optional<core::ExportJob>> find_export_job(const core::Id& org_id,
                                                           const core::Id& job_id) override {
        return select_one<core::ExportJob>(kSelectExportJob, read_export_job, org_id, job_id);
    }

    Result<std::vector<core::ExportJob>> list_export_jobs(const core::Id& org_id,
                                                          const std::optional<core::Id>& by,
                                                          int limit) override {
        if (by) {
            return select_all<core::ExportJob>(kSelectExportJobsBy, read_export_job, org_id, limit,
                                               *by);
        }
        return select_all<core::ExportJob>(kSelectExportJobs, read_export_job, org_id, limit);
    }

    Result<std::int64_t> fail_unfinished_export_jobs(const std::string& code,
                                                     const std::string& message,
                                                     TimestampMs at) override {
        return exec_write_count(kFailUnfinishedExportJobs, code, message, at);
    }

    Result<std::vector<ExportedPerson>> export_people_page(const core::Id& org_id,
                                                           const std::string& after_phone,
                                                           int limit) override {
        using People = std::vector<ExportedPerson>;
        return read<People>([&](Connection& c) -> Result<People> {
            People people;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectExportPeople));
                s->bind_all(org_id, after_phone, std::max(1, limit));
                PARLEY_TRY_ASSIGN(auto entries, query_all<OrgPerson>(
                                                    *s, [](auto& st) { return read_person(st); }));
                people.reserve(entries.size());
                for (auto& e : entries) people.push_back({std::move(e), {}, {}});
            }
            if (people.empty()) return people;
            std::vector<core::Id> ids;
            std::unordered_map<core::Id, std::size_t> index;
            for (std::size_t i = 0; i < people.size(); ++i) {
                ids.push_back(people[i].person.user_id);
                index.emplace(people[i].person.user_id, i);
            }
            const std::string id_array = json_string_array(ids);
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttributeValues));
                s->bind_all(org_id, id_array);
                for (;;) {
                    PARLEY_TRY_ASSIGN(bool row, s->step());
                    if (!row) break;
                    auto it = index.find(s->text(1));
                    if (it == index.end()) continue;
                    people[it->second].values.push_back({s->text(0), s->text(1), s->text(2)});
                }
            }
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectExportGroups));
            s->bind_all(org_id, id_array);
            for (;;) {
                PARLEY_TRY_ASSIGN(bool row, s->step());
                if (!row) break;
                auto it = index.find(s->text(0));
                if (it == index.end()) continue;
                people[it->second].groups.emplace_back(s->text(1), parse_member_role(s->text(2)));
            }
            return people;
        });
    }

    Result<std::vector<ExportedMember>> export_members_page(const core::Id& conversation_id,
                                                            const core::Id& org_id,
                                                            const std::string& after_phone,
                                                            int limit) override {
        using Members = std::vector<ExportedMember>;
        return read<Members>([&](Connection& c) -> Result<Members> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectExportMembers));
            s->bind_all(conversation_id, org_id, after_phone, std::max(1, limit));
            return query_all<ExportedMember>(*s, [](auto& st) {
                return ExportedMember{st.text(0), st.text(1), parse_member_role(st.text(2))};
            });
        });
    }

    Result<std::int64_t> count_members(const core::Id& conversation_id) override {
        return read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kCountMembers));
            s->bind_all(conversation_id);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            return row ? s->int64(0) : 0;
        });
    }

    Result<std::vector<std::pair<std::string, core::Id>>> find_email_holders(
        const core::Id& org_id, const std::vector<std::string>& emails) override {
        using Holders = std::vector<std::pair<std::string, core::Id>>;
        if (emails.empty()) return Holders{};
        return read<Holders>([&](Connection& c) -> Result<Holders> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectEmailHolders));
            s->bind_all(org_id, json_string_array(emails));
            return query_all<std::pair<std::string, core::Id>>(*s, [](auto& st) {
                return std::pair{st.text(0), st.text(1)};
            });
        });
    }

    Result<std::vector<ImportWriteResult>> import_people(
        const std::vector<PersonWrite>& people) override {
        using Results = std::vector<ImportWriteResult>;
        return write_alone<Results>([&](Connection& c) -> Result<Results> {
            Results results;
            results.reserve(people.size());
            for (const auto& w : people) {
                PARLEY_TRY_ASSIGN(auto result, write_person_checked(c, w));
                results.push_back(std::move(result));
            }
            return results;
        });
    }

    Result<std::vector<Member>> find_memberships(const std::vector<core::Id>& conversation_ids,
                                                 const std::vector<core::Id>& user_ids) override {
        using Members = std::vector<Member>;
        if (conversation_ids.empty() || user_ids.empty()) return Members{};
        return read<Members>([&](Connection& c) -> Result<Members> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectMemberships));
            s->bind_all(json_string_array(conversation_ids), json_string_array(user_ids));
            return query_all<Member>(*s, [](auto& st) { return read_member(st); });
        });
    }

    Result<std::vector<ImportWriteResult>> import_memberships(
        const MembershipImport& import) override {
        using Results = std::vector<ImportWriteResult>;
        std::vector<SealInput> created;
        std::vector<SealInput> announcements;
        for (const auto& g : import.groups) {
            PARLEY_TRY_ASSIGN(auto sealed, seal_input(g.announcement));
            created.push_back(std::move(sealed));
        }
        for (const auto& m : import.announcements) {
            PARLEY_TRY_ASSIGN(auto sealed, seal_input(m));
            announcements.push_back(std::move(sealed));
        }
        return write_alone<Results>([&](Connection& c) -> Result<Results> {
            for (std::size_t i = 0; i < import.groups.size(); ++i) {
                const auto& conv = import.groups[i].conversation;
                PARLEY_TRY_VOID(run(c, kInsertConversation, conv.id, core::to_string(conv.kind),
                                    conv.name, owner_column(conv.owner), conv.created_by,
                                    conv.created_at, conv.owner_changed_at,
                                    std::optional<std::string>(), core::to_string(conv.group_type),
                                    conv.managed));
                for (const auto& m : import.groups[i].members) {
                    PARLEY_TRY_VOID(insert_member(c, m));
                }
                PARLEY_TRY_VOID(insert_message(c, created[i]));
            }
            std::unordered_map<std::string, Error> errors;
            for (const auto& w : import.people) {
                PARLEY_TRY_ASSIGN(auto result, write_person_checked(c, w));
                if (result.error) errors.emplace(w.person.phone, *result.error);
            }
            Results results;
            results.reserve(import.memberships.size());
            std::vector<core::Id> joined;  // groups that gained or changed members
            for (const auto& m : import.memberships) {
                auto refusal = errors.find(m.phone);
                if (refusal != errors.end()) {
                    results.push_back({{}, refusal->second});
                    continue;
                }
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kUpsertMemberByPhone));
                s->bind_all(m.conversation_id, m.phone, core::to_string(m.role), m.at);
                PARLEY_TRY_ASSIGN(bool row, s->step());
                if (!row) {
                    results.push_back({{},
                                       Error{ErrorKind::not_found, "group_not_found",
                                             "The group or the person is gone.", std::nullopt}});
                    continue;
                }
                results.push_back({s->text(0), std::nullopt});
                joined.push_back(m.conversation_id);
            }
            for (const auto& a : announcements) PARLEY_TRY_VOID(insert_message(c, a));
            std::sort(joined.begin(), joined.end());
            joined.erase(std::unique(joined.begin(), joined.end()), joined.end());
            PARLEY_TRY_VOID(sync_inherited(c, joined, false, now_ms()));
            return results;
        });
    }

    // ---- action cards ----

    Result<Message> create_card(const Message& draft) override {
        if (!draft.card)
            return fail(ErrorKind::internal, "store_error", "A card message needs its card.");
        PARLEY_TRY_ASSIGN(auto input, seal_input(draft));
        const core::Card& card = *draft.card;
        PARLEY_TRY_ASSIGN(auto key, data_key(input.key_id));
        const std::string spec = crypto::seal(key, card.spec, card_spec_ad(card.id));
        const std::string summary = crypto::seal(key, card.summary, card_summary_ad(card.id));
        return write<Message>([&](Connection& c) -> Result<Message> {
            PARLEY_TRY_VOID(check_still_current(c, draft));
            PARLEY_TRY_ASSIGN(auto stored, insert_message(c, input));
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kInsertCard));
                s->bind_all(card.id, stored.id, stored.conversation_id, card.creator_id,
                            core::to_string(card.type), input.key_id);
                s->bind_blob(7, spec);
                s->bind(8, card.anonymous);
                s->bind(9, core::to_string(card.results_visibility));
                s->bind(10, card.allow_multiple);
                s->bind(11, card.due_at);
                s->bind_blob(12, summary);
                s->bind(13, card.created_at);
                PARLEY_TRY_VOID(s->run());
            }
            PARLEY_TRY_VOID(
                run(c, kAdvanceSenderRead, draft.conversation_id, draft.sender_id, stored.seq));
            return stored;
        });
    }

    Result<std::optional<core::Card>> find_card(const core::Id& card_id) override {
        PARLEY_TRY_ASSIGN(auto sealed,
                          select_one<SealedCard>(
                              kSelectCard, [](auto& st) { return read_sealed_card(st); }, card_id));
        if (!sealed) return std::optional<core::Card>();
        PARLEY_TRY_ASSIGN(auto card, open_card(*sealed));
        return std::optional<core::Card>(std::move(card));
    }

    Result<CardResponseOutcome> put_card_response(
        const core::CardResponse& response, const std::optional<core::Id>& replace_id,
        TimestampMs now, const CardSummaryUpdate& update,
        const std::vector<core::Id>& attachments) override {
        PARLEY_TRY_ASSIGN(
            auto found,
            select_one<SealedCard>(
                kSelectCard, [](auto& st) { return read_sealed_card(st); }, response.card_id));
        if (!found) return card_not_found();
        PARLEY_TRY_ASSIGN(auto key, data_key(found->key_id));
        return write<CardResponseOutcome>([&](Connection& c) -> Result<CardResponseOutcome> {
            std::optional<SealedCard> row;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectCard));
                s->bind_all(response.card_id);
                PARLEY_TRY_ASSIGN(
                    row, query_one<SealedCard>(*s, [](auto& st) { return read_sealed_card(st); }));
            }
            if (!row) return card_not_found();
            PARLEY_TRY_VOID(check_card_active(row->card, now));
            {
                // A member removed since the service checked must not answer any more.
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kResponderIsMember));
                s->bind_all(row->card.conversation_id, response.responder_id);
                PARLEY_TRY_ASSIGN(bool has_row, s->step());
                if (!has_row || s->int64(0) == 0) return card_not_found();
            }
            std::optional<core::CardResponse> existing;
            {
                PARLEY_TRY_ASSIGN(
                    auto s, c.prepare(replace_id ? kSelectResponseById : kSelectResponseBySlot));
                s->bind_all(response.card_id, replace_id ? *replace_id : response.slot);
                PARLEY_TRY_ASSIGN(existing, query_one<core::CardResponse>(*s, [](auto& st) {
                                      return read_sealed_response(st);
                                  }));
            }
            if (replace_id && (!existing || existing->responder_id != response.responder_id)) {
                return fail(ErrorKind::not_found, "response_not_found",
                            "You have no response with that id on this card.");
            }
            bool first = false;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kResponderHasResponse));
                s->bind_all(response.card_id, response.responder_id);
                PARLEY_TRY_ASSIGN(bool has_row, s->step());
                first = has_row && s->int64(0) == 0;
            }
            std::optional<std::string> previous;
            if (existing) {
                PARLEY_TRY_ASSIGN(
                    previous, crypto::open(key, existing->answers, card_response_ad(existing->id)));
            }
            PARLEY_TRY_ASSIGN(auto summary,
                              crypto::open(key, row->summary, card_summary_ad(row->card.id)));
            PARLEY_TRY_ASSIGN(auto next, update(summary, previous, first));
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kUpdateCardSummary));
                s->bind(1, row->card.id);
                s->bind_blob(2, crypto::seal(key, next, card_summary_ad(row->card.id)));
                s->bind(3, std::int64_t{existing ? 0 : 1});
                PARLEY_TRY_VOID(s->run());
            }
            CardResponseOutcome out;
            out.replaced = existing.has_value();
            if (existing) {
                out.response = *existing;
                out.response.responder_id = response.responder_id;
                out.response.updated_at = now;
            } else {
                out.response = response;
            }
            out.response.answers = response.answers;
            const std::string sealed =
                crypto::seal(key, response.answers, card_response_ad(out.response.id));
            PARLEY_TRY_ASSIGN(auto s, c.prepare(existing ? kUpdateResponse : kInsertResponse));
            if (existing) {
                s->bind(1, out.response.id);
                s->bind(2, out.response.responder_id);
                s->bind_blob(3, sealed);
                s->bind(4, now);
            } else {
                s->bind_all(out.response.id, out.response.card_id, out.response.responder_id,
                            out.response.slot);
                s->bind_blob(5, sealed);
                s->bind(6, out.response.created_at);
            }
            PARLEY_TRY_VOID(s->run());
            if (existing) {
                PARLEY_TRY_VOID(run(c, kReleaseResponseAttachments, out.response.id,
                                    json_string_array(attachments)));
            }
            for (const auto& id : attachments) {
                PARLEY_TRY_ASSIGN(auto claim, c.prepare(kClaimAttachmentForResponse));
                claim->bind_all(out.response.card_id, out.response.id, id,
                                row->card.conversation_id, out.response.responder_id);
                PARLEY_TRY_VOID(claim->run());
                if (c.changes() != 1) {
                    return fail(ErrorKind::conflict, "attachment_already_sent",
                                "Attachment " + id +
                                    " was sent or used by another response meanwhile; upload the "
                                    "file again.");
                }
            }
            out.card = row->card;
            out.card.summary = std::move(next);
            out.card.response_count += existing ? 0 : 1;
            out.card.version += 1;
            return out;
        });
    }

    Result<std::vector<core::CardResponse>> list_card_responses(
        const core::Id& card_id, const std::optional<core::Id>& responder_id) override {
        using Rows = std::vector<core::CardResponse>;
        PARLEY_TRY_ASSIGN(auto found,
                          select_one<SealedCard>(
                              kSelectCard, [](auto& st) { return read_sealed_card(st); }, card_id));
        if (!found) return card_not_found();
        PARLEY_TRY_ASSIGN(auto key, data_key(found->key_id));
        PARLEY_TRY_ASSIGN(auto rows,
                          select_all<core::CardResponse>(
                              kSelectResponses, [](auto& st) { return read_sealed_response(st); },
                              card_id, responder_id));
        for (auto& r : rows) {
            PARLEY_TRY_ASSIGN(r.answers, crypto::open(key, r.answers, card_response_ad(r.id)));
        }
        return Rows(std::move(rows));
    }

    Result<core::Card> close_card(const core::Id& card_id, TimestampMs at) override {
        PARLEY_TRY_ASSIGN(auto closed, write<std::optional<SealedCard>>(
                                           [&](Connection& c) -> Result<std::optional<SealedCard>> {
                                               PARLEY_TRY_ASSIGN(auto s, c.prepare(kCloseCard));
                                               s->bind_all(card_id, at);
                                               return query_one<SealedCard>(*s, [](auto& st) {
                                                   return read_sealed_card(st);
                                               });
                                           }));
        if (closed) return open_card(*closed);
        PARLEY_TRY_ASSIGN(auto current, find_card(card_id));
        if (!current) return card_not_found();
        PARLEY_TRY_VOID(check_card_active(*current, at));
        return fail(ErrorKind::conflict, "card_closed", "This card is closed.");
    }

    Result<std::vector<core::Card>> expire_due_cards(TimestampMs now) override {
        PARLEY_TRY_ASSIGN(
            auto rows,
            write<std::vector<SealedCard>>([&](Connection& c) -> Result<std::vector<SealedCard>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kExpireDueCards));
                s->bind_all(now);
                return query_all<SealedCard>(*s, [](auto& st) { return read_sealed_card(st); });
            }));
        std::vector<core::Card> cards;
        for (const auto& row : rows) {
            PARLEY_TRY_ASSIGN(auto card, open_card(row));
            cards.push_back(std::move(card));
        }
        return cards;
    }

    Result<void> record_card_reminder(const core::Id& card_id,
                                      const std::vector<core::Id>& user_ids, TimestampMs at,
                                      TimestampMs not_after) override {
        return discard_value(write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectLastReminded));
                s->bind_all(card_id);
                PARLEY_TRY_ASSIGN(bool has_row, s->step());
                if (!has_row) return card_not_found();
                auto last = s->optional_int64(0);
                if (last && *last > not_after) {
                    Error e{ErrorKind::rate_limited, "reminder_too_soon",
                            "A reminder for this card went out recently; try again later.",
                            static_cast<int>((*last - not_after + 999) / 1000)};
                    return std::unexpected(std::move(e));
                }
            }
            PARLEY_TRY_VOID(run(c, kSetLastReminded, card_id, at));
            for (const auto& user : user_ids) {
                PARLEY_TRY_VOID(run(c, kUpsertReminder, card_id, user, at));
            }
            return std::monostate{};
        }));
    }

    Result<std::optional<TimestampMs>> find_card_reminder(const core::Id& card_id,
                                                          const core::Id& user_id) override {
        return select_one<TimestampMs>(
            kSelectReminder, [](auto& st) { return st.int64(0); }, card_id, user_id);
    }

    Result<core::Card> update_card_spec(const core::Id& card_id, TimestampMs now,
                                        const CardSpecUpdate& update) override {
        PARLEY_TRY_ASSIGN(auto found,
                          select_one<SealedCard>(
                              kSelectCard, [](auto& st) { return read_sealed_card(st); }, card_id));
        if (!found) return card_not_found();
        PARLEY_TRY_ASSIGN(auto key, data_key(found->key_id));
        return write<core::Card>([&](Connection& c) -> Result<core::Card> {
            std::optional<SealedCard> row;
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectCard));
                s->bind_all(card_id);
                PARLEY_TRY_ASSIGN(
                    row, query_one<SealedCard>(*s, [](auto& st) { return read_sealed_card(st); }));
            }
            if (!row) return card_not_found();
            PARLEY_TRY_VOID(check_card_active(row->card, now));
            PARLEY_TRY_ASSIGN(auto spec, crypto::open(key, row->spec, card_spec_ad(card_id)));
            PARLEY_TRY_ASSIGN(auto summary,
                              crypto::open(key, row->summary, card_summary_ad(card_id)));
            PARLEY_TRY_ASSIGN(auto next, update(spec, summary));
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kUpdateCardSpec));
            s->bind(1, card_id);
            s->bind_blob(2, crypto::seal(key, next.first, card_spec_ad(card_id)));
            s->bind_blob(3, crypto::seal(key, next.second, card_summary_ad(card_id)));
            PARLEY_TRY_VOID(s->run());
            core::Card card = row->card;
            card.spec = std::move(next.first);
            card.summary = std::move(next.second);
            card.version += 1;
            return card;
        });
    }

    Result<void> ping() override {
        return discard_value(read<std::monostate>([](Connection& c) -> Result<std::monostate> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kPing));
            PARLEY_TRY_VOID(s->step());
            return std::monostate{};
        }));
    }

private:
    // Reports how long its scope took to the latency observer, if there is one.
    class Timed {
    public:
        explicit Timed(const std::function<void(double)>& observe)
            : observe_(observe), started_(std::chrono::steady_clock::now()) {}
        ~Timed() {
            if (observe_) {
                observe_(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_)
                             .count());
            }
        }

    private:
        const std::function<void(double)>& observe_;
        std::chrono::steady_clock::time_point started_;
    };

    struct Blob {
        std::string bytes;
    };

    // A message ready to insert: its body sealed under its owner's key.
    struct SealInput {
        Message message;
        std::string key_id;
        std::string body;
    };

    static TimestampMs now_ms() { return SystemClock().now_ms(); }

    template <typename... Args>
    Result<void> exec_write(const char* sql, const Args&... args) {
        return discard_value(write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
            bind_args(*s, args...);
            PARLEY_TRY_VOID(s->run());
            return std::monostate{};
        }));
    }

    // Like exec_write; true if any row changed.
    template <typename... Args>
    Result<bool> exec_write_changed(const char* sql, const Args&... args) {
        return write<bool>([&](Connection& c) -> Result<bool> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
            bind_args(*s, args...);
            PARLEY_TRY_VOID(s->run());
            return c.changes() > 0;
        });
    }

    // Like exec_write; how many rows changed.
    template <typename... Args>
    Result<std::int64_t> exec_write_count(const char* sql, const Args&... args) {
        return write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
            bind_args(*s, args...);
            PARLEY_TRY_VOID(s->run());
            return c.changes();
        });
    }

    // One query on a reader: its first row through read_row, or nullopt.
    template <typename T, typename RowReader, typename... Args>
    Result<std::optional<T>> select_one(const char* sql, RowReader read_row, const Args&... args) {
        return read<std::optional<T>>([&](Connection& c) -> Result<std::optional<T>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
            bind_args(*s, args...);
            return query_one<T>(*s, read_row);
        });
    }

    // One query on a reader: every row through read_row.
    template <typename T, typename RowReader, typename... Args>
    Result<std::vector<T>> select_all(const char* sql, RowReader read_row, const Args&... args) {
        return read<std::vector<T>>([&](Connection& c) -> Result<std::vector<T>> {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
            bind_args(*s, args...);
            return query_all<T>(*s, read_row);
        });
    }

    template <typename... Args>
    static void bind_args(Statement& s, const Args&... args) {
        int i = 0;
        (bind_one(s, ++i, args), ...);
    }
    template <typename T>
    static void bind_one(Statement& s, int i, const T& v) {
        s.bind(i, v);
    }
    static void bind_one(Statement& s, int i, const Blob& b) { s.bind_blob(i, b.bytes); }

    Result<std::optional<core::Organization>> find_org_by(const char* sql, const std::string& v) {
        return read<std::optional<core::Organization>>(
            [&](Connection& c) -> Result<std::optional<core::Organization>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
                s->bind_all(v);
                return query_one<core::Organization>(
                    *s, [](auto& st) { return read_organization(st); });
            });
    }

    Result<std::optional<Conversation>> find_conversation_by(const char* sql,
                                                             const std::string& v) {
        return read<std::optional<Conversation>>(
            [&](Connection& c) -> Result<std::optional<Conversation>> {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
                s->bind_all(v);
                return query_one<Conversation>(*s, [](auto& st) { return read_conversation(st); });
            });
    }

    // Runs one statement inside a write; the caller's job keeps its transaction.
    template <typename... Args>
    static Result<void> run(Connection& c, const char* sql, const Args&... args) {
        PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
        s->bind_all(args...);
        return s->run();
    }

    static Result<void> write_values(Connection& c, const core::Id& org_id, const core::Id& user_id,
                                     const std::vector<core::AttributeValue>& values) {
        for (const auto& v : values) {
            if (v.value.empty()) {
                PARLEY_TRY_VOID(run(c, kDeleteAttributeValue, org_id, user_id, v.attribute_id));
            } else {
                PARLEY_TRY_VOID(
                    run(c, kUpsertAttributeValue, org_id, user_id, v.attribute_id, v.value));
            }
        }
        return ok();
    }

    static Result<std::vector<PersonGroup>> select_groups(Connection& c, const char* sql,
                                                          const core::Id& org_id,
                                                          const core::Id& user_id) {
        PARLEY_TRY_ASSIGN(auto s, c.prepare(sql));
        s->bind_all(org_id, user_id);
        return query_all<PersonGroup>(*s, [](auto& st) {
            return PersonGroup{read_conversation(st),
                               parse_member_role(st.text(kConversationColumns))};
        });
    }

    static Result<std::optional<OrgPerson>> select_person(Connection& c, const core::Id& org_id,
                                                          const core::Id& user_id) {
        PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectPerson));
        s->bind_all(org_id, user_id);
        return query_one<OrgPerson>(*s, [](auto& st) { return read_person(st); });
    }

    // One directory write of an import. The one business rule that a write can still break
    // (another entry took the email meanwhile) is checked before the row writes anything, so
    // a refused row leaves nothing behind without a savepoint per row: savepoints nested in a
    // large transaction make SQLite walk its statement journal for every page, which cost more
    // than the writes themselves. Other failures end the whole transaction.
    static Result<ImportWriteResult> write_person_checked(Connection& c, const PersonWrite& w) {
        const OrgPerson& p = w.person;
        if (!p.email.empty()) {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOtherEmailHolder));
            s->bind_all(p.organization_id, p.email, p.phone);
            PARLEY_TRY_ASSIGN(bool taken, s->step());
            if (taken) {
                return ImportWriteResult{
                    {},
                    Error{ErrorKind::conflict, "email_taken",
                          p.email + " already belongs to " + s->text(0) + " in this directory.",
                          std::nullopt}};
            }
        }
        core::Id user_id = p.user_id;
        if (user_id.empty() || !p.name.empty()) {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kEnsureNamedUser));
            s->bind_all(crypto::new_id("usr"), p.phone, p.name, p.added_at);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            if (!row) return fail(ErrorKind::internal, "store_error", "User vanished.");
            user_id = s->text(0);
        }
        if (w.may_have_removed_entry) {
            PARLEY_TRY_VOID(run(c, kForgetRemovedValues, p.organization_id, user_id));
            PARLEY_TRY_VOID(run(c, kDeleteRemovedMemberships, p.organization_id, user_id));
        }
        PARLEY_TRY_VOID(run(c, kUpsertPerson, p.organization_id, user_id, p.name, p.email,
                            core::to_string(p.role), p.added_at));
        PARLEY_TRY_VOID(write_values(c, p.organization_id, user_id, w.values));
        if (w.unlink_work_account) {
            PARLEY_TRY_VOID(run(c, kDeleteWorkAccountForOrg, p.organization_id, user_id));
        }
        return ImportWriteResult{user_id, std::nullopt};
    }

    static HierarchyNode read_hierarchy_node(const Statement& s) {
        HierarchyNode node;
        node.conversation = read_conversation(s);
        node.parent_id = s.optional_text(kConversationColumns);
        node.direct_members = s.int64(kConversationColumns + 1);
        node.inherited_members = s.int64(kConversationColumns + 2);
        return node;
    }

    static Result<std::vector<core::Id>> select_ancestors(Connection& c, const core::Id& group_id) {
        PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAncestors));
        s->bind_all(group_id);
        return query_all<core::Id>(*s, [](auto& st) { return st.text(0); });
    }

    Result<std::vector<SealInput>> seal_all(const std::vector<Message>& messages) {
        std::vector<SealInput> sealed;
        sealed.reserve(messages.size());
        for (const auto& m : messages) {
            PARLEY_TRY_ASSIGN(auto input, seal_input(m));
            sealed.push_back(std::move(input));
        }
        return sealed;
    }

    struct LinkOutcome {
        bool linked = false;
        std::optional<Error> refusal;  // nothing was written
    };

    // Checks a link against the tree as this transaction sees it, then makes it. A refusal is
    // decided before anything is written, so an import needs no savepoint per row.
    Result<LinkOutcome> write_link(Connection& c, const GroupLinkWrite& w,
                                   const std::vector<SealInput>& announcements, TimestampMs at) {
        auto refused = [](ErrorKind kind, const char* code, std::string message) {
            return LinkOutcome{false, Error{kind, code, std::move(message), std::nullopt}};
        };
        std::optional<core::Id> org;
        for (const auto* id : {&w.child_id, &w.parent_id}) {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectConversation));
            s->bind_all(*id);
            PARLEY_TRY_ASSIGN(auto conv, query_one<Conversation>(
                                             *s, [](auto& st) { return read_conversation(st); }));
            if (!conv || conv->kind != ConversationKind::group || !conv->owner.is_organization() ||
                (org && *org != conv->owner.organization_id)) {
                return refused(ErrorKind::conflict, "not_organization_group",
                               "Only groups of one organization can be linked into a hierarchy.");
            }
            org = conv->owner.organization_id;
        }
        if (w.child_id == w.parent_id) {
            return refused(ErrorKind::conflict, "hierarchy_cycle",
                           "A group cannot be its own parent.");
        }
        {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectParent));
            s->bind_all(w.child_id);
            PARLEY_TRY_ASSIGN(auto current,
                              query_one<core::Id>(*s, [](auto& st) { return st.text(0); }));
            if (current && *current == w.parent_id) return LinkOutcome{false, std::nullopt};
            if (current) {
                return refused(ErrorKind::conflict, "already_has_parent",
                               "That group already has a parent group; a group has one parent "
                               "at most. Unlink it first.");
            }
        }
        PARLEY_TRY_ASSIGN(auto ancestors, select_ancestors(c, w.parent_id));
        if (std::find(ancestors.begin(), ancestors.end(), w.child_id) != ancestors.end()) {
            return refused(ErrorKind::conflict, "hierarchy_cycle",
                           "The parent group is below that group in the hierarchy; linking them "
                           "would make a cycle.");
        }
        PARLEY_TRY_VOID(run(c, kInsertGroupLink, w.child_id, w.parent_id, at));
        for (const auto& a : announcements) PARLEY_TRY_VOID(insert_message(c, a));
        PARLEY_TRY_VOID(sync_inherited(c, {w.parent_id}, true, at));
        return LinkOutcome{true, std::nullopt};
    }

    // Brings the inherited members of these groups (with include_self) and of all their
    // ancestors in line with the direct members below them, and reports what changed once the
    // transaction commits. Groups without a parent or children cost one query each.
    Result<void> sync_inherited(Connection& c, const std::vector<core::Id>& groups,
                                bool include_self, TimestampMs at) {
        std::vector<core::Id> targets;
        std::unordered_set<core::Id> seen;
        for (const auto& g : groups) {
            if (include_self && seen.insert(g).second) targets.push_back(g);
            PARLEY_TRY_ASSIGN(auto ancestors, select_ancestors(c, g));
            for (auto& a : ancestors) {
                if (seen.insert(a).second) targets.push_back(std::move(a));
            }
        }
        std::vector<InheritedChange> changes;
        for (const auto& target : targets) {
            InheritedChange change{target, {}, {}};
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kDropInherited));
                s->bind_all(target);
                PARLEY_TRY_ASSIGN(change.removed,
                                  query_all<core::Id>(*s, [](auto& st) { return st.text(0); }));
            }
            {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kAddInherited));
                s->bind_all(target, at);
                PARLEY_TRY_ASSIGN(change.added,
                                  query_all<core::Id>(*s, [](auto& st) { return st.text(0); }));
            }
            PARLEY_TRY_VOID(run(c, kRepointInherited, target));
            if (!change.added.empty() || !change.removed.empty()) {
                changes.push_back(std::move(change));
            }
        }
        if (memberships_inherited_ && !changes.empty()) {
            c.after_commit([this, changes = std::move(changes)] {
                for (const auto& change : changes) memberships_inherited_(change);
            });
        }
        return ok();
    }

    static Result<bool> insert_member(Connection& c, const Member& m) {
        PARLEY_TRY_ASSIGN(auto s, c.prepare(kInsertMember));
        s->bind_all(m.conversation_id, m.user_id, core::to_string(m.role), m.joined_at);
        PARLEY_TRY_VOID(s->run());
        return c.changes() > 0;
    }

    // Seals outside the writer: key lookups may need their own write, and sealing is CPU work
    // that should not hold the write transaction.
    Result<SealInput> seal_input(const Message& m) {
        std::string key_id = key_id_for(m.owner, m.conversation_id);
        PARLEY_TRY_ASSIGN(auto key, data_key(key_id));
        return SealInput{m, key_id, crypto::seal(key, m.text, body_ad(m.id))};
    }

    // The caller decided owner and membership from reads taken before this write. Checking
    // them again inside the transaction makes "ownership is stamped when the message is
    // written" exact, and keeps a member removed meanwhile from posting.
    static Result<void> check_still_current(Connection& c, const Message& draft) {
        PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectOwnerAndSenderMembership));
        s->bind_all(draft.conversation_id, draft.sender_id);
        PARLEY_TRY_ASSIGN(bool row, s->step());
        if (!row || (!draft.sender_id.empty() && s->int64(1) == 0)) {
            return fail(ErrorKind::not_found, "conversation_not_found",
                        "No such conversation, or you are not a member of it.");
        }
        if (read_owner(*s, 0) != draft.owner) {
            return fail(ErrorKind::conflict, "owner_changed",
                        "The conversation's owner changed while sending; send again.");
        }
        return ok();
    }

    // Inserts with the conversation's next sequence number; returns the stored message, which
    // is announced once the transaction commits (SqliteSettings::message_committed).
    Result<Message> insert_message(Connection& c, const SealInput& in) {
        Message m = in.message;
        {
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kNextSeq));
            s->bind_all(m.conversation_id, m.created_at);
            PARLEY_TRY_ASSIGN(bool row, s->step());
            if (!row) {
                return fail(ErrorKind::not_found, "conversation_not_found",
                            "No such conversation.");
            }
            m.seq = s->int64(0);
        }
        PARLEY_TRY_ASSIGN(auto s, c.prepare(kInsertMessage));
        s->bind_all(m.id, m.conversation_id, m.seq, m.sender_id, kind_column(m.kind), m.client_id,
                    m.reply_to, owner_column(m.owner), in.key_id);
        s->bind_blob(10, in.body);
        s->bind(11, m.created_at);
        s->bind(12, m.forwarded);
        s->bind(13, m.private_to);
        PARLEY_TRY_VOID(s->run());
        PARLEY_TRY_VOID(attach(c, m));
        if (m.reply_to) {
            PARLEY_TRY_ASSIGN(auto counted, c.prepare(kCountComment));
            counted->bind_all(m.conversation_id, *m.reply_to, std::int64_t{1});
            PARLEY_TRY_VOID(counted->run());
        }
        if (message_committed_) c.after_commit([this, m] { message_committed_(m); });
        return m;
    }

    // Claims the message's uploads, or inserts its forwarded copies (store.hpp).
    static Result<void> attach(Connection& c, Message& m) {
        std::int64_t position = 0;
        for (auto& a : m.attachments) {
            if (a.message_id) {
                PARLEY_TRY_ASSIGN(auto s, c.prepare(kInsertAttachment));
                bind_attachment(*s, a);
                s->bind(16, m.id);
                s->bind(17, m.seq);
                s->bind(18, position++);
                PARLEY_TRY_VOID(s->run());
                continue;
            }
            PARLEY_TRY_ASSIGN(auto s, c.prepare(kClaimAttachment));
            s->bind_all(m.id, m.seq, position++, a.id, m.conversation_id, m.sender_id);
            PARLEY_TRY_VOID(s->run());
            if (c.changes() != 1) {
                return fail(ErrorKind::conflict, "attachment_already_sent",
                            "Attachment " + a.id + " was sent with another message meanwhile.");
            }
            a.message_id = m.id;
        }
        return ok();
    }

    static void bind_attachment(Statement& s, const core::Attachment& a) {
        s.bind_all(a.id, a.conversation_id, a.uploader_id, a.name, a.content_type, a.kind, a.size,
                   a.width, a.height, a.duration_ms, a.blob, a.key_id, a.thumbnail_blob,
                   a.thumbnail_size, a.created_at, a.message_id);
        s.bind_null(17);
        s.bind(18, 0);
    }

    // Fills the attachments of a page of messages with one query over its seq range.
    static Result<void> load_attachments(Connection& c, const core::Id& cid,
                                         std::vector<SealedMessage>& rows) {
        if (rows.empty()) return ok();
        std::int64_t low = rows.front().message.seq;
        std::int64_t high = low;
        for (const auto& r : rows) {
            low = std::min(low, r.message.seq);
            high = std::max(high, r.message.seq);
        }
        PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectAttachmentsBySeq));
        s->bind_all(cid, low, high);
        PARLEY_TRY_ASSIGN(auto attachments, query_all<core::Attachment>(
                                                *s, [](auto& st) { return read_attachment(st); }));
        if (attachments.empty()) return ok();
        std::unordered_map<core::Id, SealedMessage*> by_id;
        for (auto& r : rows) {
            if (!r.message.deleted_at) by_id.emplace(r.message.id, &r);
        }
        for (auto& a : attachments) {
            auto it = by_id.find(*a.message_id);
            if (it != by_id.end()) it->second->message.attachments.push_back(std::move(a));
        }
        return ok();
    }

    static std::unexpected<Error> card_not_found() {
        return fail(ErrorKind::not_found, "card_not_found",
                    "No such card, or you are not a member of its conversation.");
    }

    static Result<void> check_card_active(const core::Card& card, TimestampMs now) {
        switch (card.state_at(now)) {
            case core::CardState::active:
                return ok();
            case core::CardState::expired:
                return fail(ErrorKind::conflict, "card_expired",
                            "This card is past its due time and takes no more responses.");
            case core::CardState::closed:
                break;
        }
        return fail(ErrorKind::conflict, "card_closed", "This card is closed.");
    }

    Result<core::Card> open_card(const SealedCard& row) {
        core::Card card = row.card;
        PARLEY_TRY_ASSIGN(auto key, data_key(row.key_id));
        PARLEY_TRY_ASSIGN(card.spec, crypto::open(key, row.spec, card_spec_ad(card.id)));
        PARLEY_TRY_ASSIGN(card.summary, crypto::open(key, row.summary, card_summary_ad(card.id)));
        return card;
    }

    // Puts each card message's card in it: one query for a page of messages.
    Result<void> attach_cards(std::vector<Message>& messages) {
        std::vector<core::Id> ids;
        for (const auto& m : messages) {
            if (m.kind == core::MessageKind::card) ids.push_back(m.id);
        }
        if (ids.empty()) return ok();
        PARLEY_TRY_ASSIGN(auto rows,
                          select_all<SealedCard>(
                              kSelectCardsOfMessages, [](auto& st) { return read_sealed_card(st); },
                              json_string_array(ids)));
        std::unordered_map<core::Id, const SealedCard*> by_message;
        for (const auto& row : rows) by_message.emplace(row.card.message_id, &row);
        for (auto& m : messages) {
            auto it = by_message.find(m.id);
            if (it == by_message.end()) continue;
            PARLEY_TRY_ASSIGN(m.card, open_card(*it->second));
        }
        return ok();
    }

    Result<Message> open_message(const SealedMessage& row) {
        Message m = row.message;
        if (m.deleted_at) return m;
        PARLEY_TRY_ASSIGN(auto key, data_key(row.key_id));
        PARLEY_TRY_ASSIGN(m.text, crypto::open(key, row.body, body_ad(m.id)));
        return m;
    }

    // The data key with this id: cached, else unwrapped from storage, else created (in its
    // own committed write, so a key is never used before it is durable).
    Result<crypto::DataKey> data_key(const std::string& key_id) override {
        {
            std::lock_guard lock(keys_mutex_);
            if (auto it = keys_.find(key_id); it != keys_.end()) return it->second;
        }
        PARLEY_TRY_ASSIGN(auto wrapped,
                          read<std::optional<std::string>>(
                              [&](Connection& c) -> Result<std::optional<std::string>> {
                                  PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectDataKey));
                                  s->bind_all(key_id);
                                  return query_one<std::string>(
                                      *s, [](auto& st) { return st.blob(0); });
                              }));
        if (!wrapped) {
            std::string fresh = key_ring_.wrap(crypto::DataKey::generate(), key_id);
            PARLEY_TRY_ASSIGN(wrapped,
                              write<std::optional<std::string>>(
                                  [&](Connection& c) -> Result<std::optional<std::string>> {
                                      {
                                          PARLEY_TRY_ASSIGN(auto s, c.prepare(kInsertDataKey));
                                          s->bind(1, key_id);
                                          s->bind_blob(2, fresh);
                                          s->bind(3, now_ms());
                                          PARLEY_TRY_VOID(s->run());
                                      }
                                      PARLEY_TRY_ASSIGN(auto s, c.prepare(kSelectDataKey));
                                      s->bind_all(key_id);
                                      return query_one<std::string>(
                                          *s, [](auto& st) { return st.blob(0); });
                                  }));
            if (!wrapped) return fail(ErrorKind::internal, "store_error", "Data key vanished.");
        }
        PARLEY_TRY_ASSIGN(auto key, key_ring_.unwrap(*wrapped, key_id));
        std::lock_guard lock(keys_mutex_);
        keys_.insert_or_assign(key_id, key);
        return key;
    }

    const crypto::KeyRing& key_ring_;
    std::unique_ptr<Writer> writer_;
    std::function<void(double)> observe_latency_;
    std::function<void(const Message&)> message_committed_;
    std::function<void(const InheritedChange&)> memberships_inherited_;
    ReaderPool readers_;
    std::mutex keys_mutex_;
    std::unordered_map<std::string, crypto::DataKey> keys_;  // GUARDED_BY(keys_mutex_)
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const SqliteSettings& settings,
                                                 const crypto::KeyRing& key_ring) {
    std::string path = settings.path.string();
    PARLEY_TRY_ASSIGN(auto writer_connection, Connection::open(path, false, settings.synchronous,
                                                               settings.writer_cache_mib));
    PARLEY_TRY_ASSIGN(int version, migrate(*writer_connection));
    spdlog::info("store: sqlite {} at schema version {}", path, version);
    PARLEY_TRY_ASSIGN(auto checkpoint_connection,
                      Connection::open(path, false, settings.synchronous));
    auto store = std::make_unique<SqliteStore>(
        key_ring,
        std::make_unique<Writer>(std::move(writer_connection), settings.max_batch,
                                 std::make_unique<Checkpointer>(std::move(checkpoint_connection))),
        settings.observe_latency, settings.message_committed, settings.memberships_inherited);
    for (int i = 0; i < std::max(1, settings.readers); ++i) {
        PARLEY_TRY_ASSIGN(auto reader, Connection::open(path, true, settings.synchronous));
        store->readers().add(std::move(reader));
    }
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace parley::store::sqlite
