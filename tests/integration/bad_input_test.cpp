// Bad input, as a table: every row is a request the server must refuse with a given status and
// error code, in the one error shape {"error":{"code","message"}}, and without writing anything.
//
// Each row runs as its own parameterised test against a fresh server (so a failure names the
// row), and the whole table also runs back to back against one server, after which the
// conversation lists, histories, members, invites, directory and sessions must be exactly what
// they were before.

#include <gtest/gtest.h>

#include <algorithm>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

enum class Token { none, alice, bob, forged, malformed, basic };

struct Row {
    const char* name;  // the test's name: letters, digits, underscores
    const char* method;
    std::string path;  // {group} {chat} {org} {msg} {bob} are filled in
    std::optional<std::string> body;
    Token token;
    int status;
    const char* code;
    const char* allow = nullptr;  // for 405: a method the Allow header must list
};

constexpr std::size_t kMaxBody = 4096;

std::string big_body() { return "{\"name\":\"" + std::string(kMaxBody + 1000, 'x') + "\"}"; }
std::string big_text() { return "{\"text\":\"" + std::string(kMaxBody + 1000, 'x') + "\"}"; }
std::string deep_text() {
    return "{\"text\":" + std::string(1000, '[') + std::string(1000, ']') + "}";
}
std::string text_of(std::size_t chars) { return "{\"text\":\"" + std::string(chars, 'y') + "\"}"; }

const std::string kMessages = "/api/v1/conversations/{group}/messages";
const std::string kAttachments = "/api/v1/conversations/{group}/attachments";
const std::string kCards = "/api/v1/conversations/{group}/cards";
// A valid poll's body with `extra` fields appended.
std::string poll_body(const std::string& extra) {
    return "{\"type\":\"poll\",\"spec\":{\"question\":\"Q\",\"choices\":[\"a\",\"b\"]}" + extra +
           "}";
}

std::vector<Row> rows() {
    return {
        // Not JSON, or not an object.
        {"malformed_json", "POST", kMessages, "{\"text\":", Token::alice, 400, "malformed_json"},
        {"json_array_body", "POST", kMessages, "[\"text\",\"hi\"]", Token::alice, 400,
         "malformed_json"},
        {"json_string_body", "POST", kMessages, "\"hi\"", Token::alice, 400, "malformed_json"},
        {"json_number_body", "POST", "/api/v1/groups", "42", Token::alice, 400, "malformed_json"},
        {"trailing_garbage", "POST", kMessages, "{\"text\":\"hi\"} x", Token::alice, 400,
         "malformed_json"},
        {"invalid_utf8", "POST", kMessages, "{\"text\":\"\xff\xfe\"}", Token::alice, 400,
         "malformed_json"},
        {"single_quotes", "POST", kMessages, "{'text':'hi'}", Token::alice, 400, "malformed_json"},
        // Wrong types.
        {"text_number", "POST", kMessages, "{\"text\":5}", Token::alice, 400, "wrong_type"},
        {"text_bool", "POST", kMessages, "{\"text\":true}", Token::alice, 400, "wrong_type"},
        {"text_nested_deep", "POST", kMessages, deep_text(), Token::alice, 400, "wrong_type"},
        {"client_id_number", "POST", kMessages, "{\"text\":\"hi\",\"client_id\":7}", Token::alice,
         400, "wrong_type"},
        {"reply_to_object", "POST", kMessages, "{\"text\":\"hi\",\"reply_to\":{}}", Token::alice,
         400, "wrong_type"},
        {"members_string", "POST", "/api/v1/groups", "{\"name\":\"x\",\"members\":\"+6598765432\"}",
         Token::alice, 400, "wrong_type"},
        {"members_numbers", "POST", "/api/v1/groups", "{\"name\":\"x\",\"members\":[1]}",
         Token::alice, 400, "wrong_type"},
        {"chat_org_number", "POST", "/api/v1/chats",
         "{\"phone\":\"+6598765432\",\"organization_id\":5}", Token::alice, 400, "wrong_type"},
        {"read_seq_string", "POST", "/api/v1/conversations/{group}/read", "{\"seq\":\"5\"}",
         Token::alice, 400, "wrong_type"},
        {"read_seq_float", "POST", "/api/v1/conversations/{group}/read", "{\"seq\":1.5}",
         Token::alice, 400, "wrong_type"},
        {"read_seq_too_big", "POST", "/api/v1/conversations/{group}/read",
         "{\"seq\":99999999999999999999}", Token::alice, 400, "wrong_type"},
        {"invite_uses_float", "POST", "/api/v1/groups/{group}/invites", "{\"max_uses\":1.5}",
         Token::alice, 400, "wrong_type"},
        {"policies_number", "PATCH", "/api/v1/organizations/{org}", "{\"policies\":5}",
         Token::alice, 400, "wrong_type"},
        {"policy_string", "PATCH", "/api/v1/organizations/{org}",
         "{\"policies\":{\"parley_enabled\":\"no\"}}", Token::alice, 400, "wrong_type"},
        {"tenant_policy_number", "PATCH", "/api/v1/organizations/{org}",
         "{\"policies\":{\"restrict_forward\":1}}", Token::alice, 400, "wrong_type"},
        {"tenant_policy_string", "PATCH", "/api/v1/organizations/{org}",
         "{\"policies\":{\"invite_links\":\"off\"}}", Token::alice, 400, "wrong_type"},
        {"group_policies_array", "PATCH", "/api/v1/groups/{group}", "{\"policies\":[]}",
         Token::alice, 400, "wrong_type"},
        {"group_policy_string", "PATCH", "/api/v1/groups/{group}",
         "{\"policies\":{\"restrict_copy\":\"yes\"}}", Token::alice, 400, "wrong_type"},
        {"forward_of_string", "POST", kMessages, "{\"forward_of\":\"msg_1\"}", Token::alice, 400,
         "wrong_type"},
        {"forward_of_number_id", "POST", kMessages,
         "{\"forward_of\":{\"conversation_id\":\"{chat}\",\"message_id\":5}}", Token::alice, 400,
         "wrong_type"},
        {"forward_of_unknown_field", "POST", kMessages,
         "{\"forward_of\":{\"conversation_id\":\"{chat}\",\"message_id\":\"{msg}\","
         "\"x\":1}}",
         Token::alice, 400, "unknown_field"},
        {"owner_org_number", "PUT", "/api/v1/groups/{group}/organization",
         "{\"organization_id\":1}", Token::alice, 400, "wrong_type"},
        {"code_phone_number", "POST", "/api/v1/auth/codes", "{\"phone\":6591234567}", Token::none,
         400, "wrong_type"},
        // Unknown fields.
        {"unknown_field", "POST", kMessages, "{\"text\":\"hi\",\"colour\":\"red\"}", Token::alice,
         400, "unknown_field"},
        // A policy name we do not know is well-formed JSON but not a policy: 422 with the list.
        {"unknown_policy", "PATCH", "/api/v1/organizations/{org}",
         "{\"policies\":{\"read_receipts\":true}}", Token::alice, 422, "unknown_policy"},
        {"unknown_group_policy", "PATCH", "/api/v1/groups/{group}",
         "{\"policies\":{\"read_receipts\":true}}", Token::alice, 422, "unknown_policy"},
        {"tenant_policy_on_group", "PATCH", "/api/v1/groups/{group}",
         "{\"policies\":{\"parley_enabled\":false}}", Token::alice, 422, "unknown_policy"},
        {"unknown_group_field", "PATCH", "/api/v1/groups/{group}", "{\"colour\":\"red\"}",
         Token::alice, 400, "unknown_field"},
        {"unknown_sign_in_field", "POST", "/api/v1/auth/sessions",
         "{\"phone\":\"+6591234567\",\"code\":\"123456\",\"admin\":true}", Token::none, 400,
         "unknown_field"},
        // Missing fields.
        {"missing_text", "POST", kMessages, "{}", Token::alice, 422, "missing_field"},
        {"null_text", "POST", kMessages, "{\"text\":null}", Token::alice, 422, "missing_field"},
        {"empty_body", "POST", kMessages, "", Token::alice, 422, "missing_field"},
        {"blank_body", "POST", kMessages, " \r\n ", Token::alice, 422, "missing_field"},
        {"group_without_name", "POST", "/api/v1/groups", "{}", Token::alice, 422, "missing_field"},
        {"read_without_seq", "POST", "/api/v1/conversations/{group}/read", "{}", Token::alice, 422,
         "missing_field"},
        {"members_empty_list", "POST", "/api/v1/groups/{group}/members", "{\"phones\":[]}",
         Token::alice, 422, "missing_field"},
        {"group_patch_empty", "PATCH", "/api/v1/groups/{group}", "{}", Token::alice, 422,
         "missing_field"},
        {"forward_of_without_message", "POST", kMessages,
         "{\"forward_of\":{\"conversation_id\":\"{chat}\"}}", Token::alice, 422, "missing_field"},
        {"people_without_phone", "POST", "/api/v1/organizations/{org}/people", "{\"name\":\"X\"}",
         Token::alice, 422, "missing_field"},
        // Too large.
        {"body_too_large", "POST", "/api/v1/groups", big_body(), Token::alice, 413,
         "payload_too_large"},
        {"message_body_too_large", "POST", kMessages, big_text(), Token::alice, 413,
         "payload_too_large"},
        {"message_too_long", "POST", kMessages, text_of(4001), Token::alice, 413,
         "message_too_long"},
        // Tokens.
        {"token_missing", "GET", "/api/v1/conversations", std::nullopt, Token::none, 401,
         "token_missing"},
        {"token_missing_on_write", "POST", kMessages, "{\"text\":\"hi\"}", Token::none, 401,
         "token_missing"},
        {"token_basic_auth", "GET", "/api/v1/conversations", std::nullopt, Token::basic, 401,
         "token_missing"},
        {"token_forged", "GET", "/api/v1/conversations", std::nullopt, Token::forged, 401,
         "token_invalid"},
        {"token_forged_on_write", "POST", kMessages, "{\"text\":\"hi\"}", Token::forged, 401,
         "token_invalid"},
        {"token_malformed", "GET", "/api/v1/conversations", std::nullopt, Token::malformed, 401,
         "token_invalid"},
        // Routes and methods.
        {"route_not_found", "GET", "/api/v1/nope", std::nullopt, Token::alice, 404,
         "route_not_found"},
        {"route_wrong_version", "GET", "/api/v2/conversations", std::nullopt, Token::alice, 404,
         "route_not_found"},
        {"route_too_deep", "GET", "/api/v1/conversations/{group}/messages/x/y", std::nullopt,
         Token::alice, 404, "route_not_found"},
        {"method_not_allowed", "DELETE", "/api/v1/conversations", std::nullopt, Token::alice, 405,
         "method_not_allowed", "GET"},
        {"method_not_allowed_messages", "PUT", kMessages, "{\"text\":\"hi\"}", Token::alice, 405,
         "method_not_allowed", "POST"},
        {"method_not_allowed_anonymous", "POST", "/healthz", "{}", Token::none, 405,
         "method_not_allowed", "GET"},
        // Queries.
        {"limit_not_integer", "GET", kMessages + "?limit=abc", std::nullopt, Token::alice, 400,
         "invalid_query"},
        {"after_not_integer", "GET", kMessages + "?after=1x", std::nullopt, Token::alice, 400,
         "invalid_query"},
        {"before_empty", "GET", kMessages + "?before=", std::nullopt, Token::alice, 400,
         "invalid_query"},
        {"limit_overflow", "GET", kMessages + "?limit=99999999999999999999", std::nullopt,
         Token::alice, 400, "invalid_query"},
        {"limit_zero", "GET", kMessages + "?limit=0", std::nullopt, Token::alice, 422,
         "invalid_limit"},
        {"limit_1000", "GET", kMessages + "?limit=1000", std::nullopt, Token::alice, 422,
         "invalid_limit"},
        {"limit_negative", "GET", kMessages + "?limit=-5", std::nullopt, Token::alice, 422,
         "invalid_limit"},
        {"after_negative", "GET", kMessages + "?after=-1", std::nullopt, Token::alice, 422,
         "invalid_cursor"},
        {"people_limit_zero", "GET", "/api/v1/organizations/{org}/people?limit=0", std::nullopt,
         Token::alice, 422, "invalid_paging"},
        // Values the use cases refuse.
        {"group_blank_name", "POST", "/api/v1/groups", "{\"name\":\"   \"}", Token::alice, 422,
         "name_required"},
        {"group_bad_member", "POST", "/api/v1/groups",
         "{\"name\":\"x\",\"members\":[\"+6581234567\",\"+65 12\"]}", Token::alice, 422,
         "invalid_phone"},
        {"chat_bad_phone", "POST", "/api/v1/chats", "{\"phone\":\"abc\"}", Token::alice, 422,
         "invalid_phone"},
        {"chat_with_self", "POST", "/api/v1/chats", "{\"phone\":\"+6591234567\"}", Token::alice,
         422, "cannot_chat_with_self"},
        {"read_negative", "POST", "/api/v1/conversations/{group}/read", "{\"seq\":-1}",
         Token::alice, 422, "invalid_seq"},
        {"empty_text", "POST", kMessages, "{\"text\":\"\"}", Token::alice, 422, "empty_message"},
        {"edit_empty", "PATCH", kMessages + "/{msg}", "{\"text\":\"\"}", Token::alice, 422,
         "empty_message"},
        {"edit_by_other", "PATCH", kMessages + "/{msg}", "{\"text\":\"mine\"}", Token::bob, 403,
         "not_author"},
        {"delete_by_member", "DELETE", kMessages + "/{msg}", std::nullopt, Token::bob, 403,
         "not_author"},
        {"forward_with_text", "POST", kMessages,
         "{\"text\":\"x\",\"forward_of\":{\"conversation_id\":\"{group}\","
         "\"message_id\":\"{msg}\"}}",
         Token::alice, 422, "forward_with_text"},
        {"forward_from_stranger", "POST", kMessages,
         "{\"forward_of\":{\"conversation_id\":\"cnv_nope\",\"message_id\":\"{msg}\"}}",
         Token::alice, 404, "conversation_not_found"},
        {"group_policies_private", "PATCH", "/api/v1/groups/{group}",
         "{\"name\":\"New\",\"policies\":{\"restrict_copy\":true}}", Token::alice, 409,
         "not_organization_group"},
        {"reply_to_missing", "POST", kMessages, "{\"text\":\"x\",\"reply_to\":\"msg_nope\"}",
         Token::alice, 422, "reply_target_not_found"},
        {"role_invalid", "PATCH", "/api/v1/groups/{group}/members/{bob}", "{\"role\":\"owner\"}",
         Token::alice, 422, "invalid_role"},
        {"member_adds", "POST", "/api/v1/groups/{group}/members", "{\"phone\":\"+6587654321\"}",
         Token::bob, 403, "group_admin_required"},
        {"invite_expiry_zero", "POST", "/api/v1/groups/{group}/invites",
         "{\"expires_in_seconds\":0}", Token::alice, 422, "invalid_expiry"},
        {"invite_expiry_too_long", "POST", "/api/v1/groups/{group}/invites",
         "{\"expires_in_seconds\":31536001}", Token::alice, 422, "invalid_expiry"},
        {"people_phone_and_phones", "POST", "/api/v1/organizations/{org}/people",
         "{\"phone\":\"+6598765432\",\"phones\":\"+6581234567\"}", Token::alice, 422,
         "phone_or_phones"},
        {"people_bad_email", "POST", "/api/v1/organizations/{org}/people",
         "{\"phone\":\"+6581234567\",\"email\":\"nope\"}", Token::alice, 422, "invalid_email"},
        {"org_by_outsider", "PATCH", "/api/v1/organizations/{org}", "{\"name\":\"Mine\"}",
         Token::bob, 404, "organization_not_found"},
        {"work_email_invalid", "POST", "/api/v1/me/work-account", "{\"email\":\"x\"}", Token::alice,
         422, "invalid_email"},
        {"work_code_format", "PUT", "/api/v1/me/work-account", "{\"code\":\"12\"}", Token::alice,
         422, "code_format"},
        {"sign_in_code_format", "POST", "/api/v1/auth/sessions",
         "{\"phone\":\"+6591234567\",\"code\":\"abc\"}", Token::none, 422, "code_format"},
        {"unknown_group", "GET", "/api/v1/groups/cnv_nope", std::nullopt, Token::alice, 404,
         "conversation_not_found"},
        {"chat_as_group", "GET", "/api/v1/groups/{chat}", std::nullopt, Token::alice, 404,
         "group_not_found"},
        {"chat_to_organization", "PUT", "/api/v1/groups/{chat}/organization",
         "{\"organization_id\":\"{org}\"}", Token::alice, 409, "chat_cannot_join_organization"},
        // Custom attributes, the directory's columns and sort, removed people (issue 4).
        {"person_attributes_string", "POST", "/api/v1/organizations/{org}/people",
         "{\"phone\":\"+6581234567\",\"attributes\":\"Sales\"}", Token::alice, 400, "wrong_type"},
        {"person_attribute_object", "POST", "/api/v1/organizations/{org}/people",
         "{\"phone\":\"+6581234567\",\"attributes\":{\"A\":{}}}", Token::alice, 400, "wrong_type"},
        {"person_attribute_unknown", "POST", "/api/v1/organizations/{org}/people",
         "{\"phone\":\"+6581234567\",\"attributes\":{\"Shoe size\":\"42\"}}", Token::alice, 422,
         "unknown_attribute"},
        {"patch_attributes_list", "PATCH", "/api/v1/organizations/{org}/people/{bob}",
         "{\"attributes\":[1]}", Token::alice, 400, "wrong_type"},
        {"attributes_missing", "POST", "/api/v1/organizations/{org}/attributes", "{}", Token::alice,
         422, "missing_field"},
        {"attributes_object", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":{}}", Token::alice, 400, "wrong_type"},
        {"attributes_item_number", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[1]}", Token::alice, 400, "wrong_type"},
        {"attributes_empty", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[]}", Token::alice, 422, "attributes_required"},
        {"attribute_unknown_field", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"name\":\"A\",\"colour\":\"red\"}]}", Token::alice, 400,
         "unknown_field"},
        {"attribute_mandatory_string", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"name\":\"A\",\"mandatory\":\"yes\"}]}", Token::alice, 400,
         "wrong_type"},
        {"attribute_without_name", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"type\":\"string\"}]}", Token::alice, 422, "missing_field"},
        {"attribute_blank_name", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"name\":\"  \"}]}", Token::alice, 422, "invalid_attribute_name"},
        {"attribute_bad_type", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"name\":\"A\"},{\"name\":\"B\",\"type\":\"integer\"}]}", Token::alice,
         422, "invalid_attribute_type"},
        {"attribute_twice", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"name\":\"Dept\"},{\"name\":\"DEPT\"}]}", Token::alice, 422,
         "duplicate_attribute"},
        {"attributes_by_outsider", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"name\":\"A\"}]}", Token::bob, 404, "organization_not_found"},
        {"attribute_named_like_a_column", "POST", "/api/v1/organizations/{org}/attributes",
         "{\"attributes\":[{\"name\":\"groups\"}]}", Token::alice, 422, "attribute_name_reserved"},
        {"attribute_delete_unknown", "DELETE", "/api/v1/organizations/{org}/attributes/atr_nope",
         std::nullopt, Token::alice, 404, "attribute_not_found"},
        {"people_five_columns", "GET", "/api/v1/organizations/{org}/people?columns=A,B,C,D,E",
         std::nullopt, Token::alice, 422, "too_many_columns"},
        {"people_unknown_column", "GET", "/api/v1/organizations/{org}/people?columns=Shoe",
         std::nullopt, Token::alice, 422, "unknown_column"},
        {"people_bad_sort", "GET", "/api/v1/organizations/{org}/people?sort=age", std::nullopt,
         Token::alice, 422, "invalid_sort"},
        {"people_bad_order", "GET", "/api/v1/organizations/{org}/people?order=up", std::nullopt,
         Token::alice, 422, "invalid_order"},
        {"restore_not_removed", "POST", "/api/v1/organizations/{org}/people/{bob}/restore", "{}",
         Token::alice, 404, "removed_person_not_found"},
        {"restore_unknown_field", "POST", "/api/v1/organizations/{org}/people/{bob}/restore",
         "{\"groups\":true}", Token::alice, 400, "unknown_field"},
        {"removed_people_by_outsider", "GET", "/api/v1/organizations/{org}/removed-people",
         std::nullopt, Token::bob, 404, "organization_not_found"},
        // Exports: the request is the query; a body, a kind or a group that is not one is
        // refused before any job exists.
        {"export_unknown_kind", "POST", "/api/v1/organizations/{org}/exports?kind=all",
         std::nullopt, Token::alice, 422, "unknown_export_kind"},
        {"export_group_id_missing", "POST",
         "/api/v1/organizations/{org}/exports?kind=group_members", std::nullopt, Token::alice, 422,
         "group_id_required"},
        {"export_private_group", "POST",
         "/api/v1/organizations/{org}/exports?kind=group_members&group_id={group}", std::nullopt,
         Token::alice, 404, "group_not_found"},
        {"export_with_body", "POST", "/api/v1/organizations/{org}/exports?kind=people",
         "{\"kind\":\"people\"}", Token::alice, 400, "unknown_field"},
        {"export_by_outsider", "POST", "/api/v1/organizations/{org}/exports?kind=people",
         std::nullopt, Token::bob, 404, "organization_not_found"},
        {"export_file_unknown", "GET", "/api/v1/organizations/{org}/exports/exp_nope/file",
         std::nullopt, Token::alice, 404, "export_not_found"},
        // Hierarchies.
        {"parent_id_number", "PUT", "/api/v1/groups/{group}/parent", "{\"parent_id\":5}",
         Token::alice, 400, "wrong_type"},
        {"parent_unknown_field", "PUT", "/api/v1/groups/{group}/parent", "{\"parent\":\"x\"}",
         Token::alice, 400, "unknown_field"},
        {"parent_missing", "PUT", "/api/v1/groups/{group}/parent", "{}", Token::alice, 422,
         "missing_field"},
        {"parent_unknown_group", "PUT", "/api/v1/groups/{group}/parent",
         "{\"parent_id\":\"cnv_nope\"}", Token::alice, 404, "group_not_found"},
        {"parent_private_groups", "PUT", "/api/v1/groups/{group}/parent",
         "{\"parent_id\":\"{group}\"}", Token::alice, 409, "not_organization_group"},
        {"parent_of_chat", "PUT", "/api/v1/groups/{chat}/parent", "{\"parent_id\":\"{group}\"}",
         Token::alice, 409, "not_organization_group"},
        {"unlink_without_parent", "DELETE", "/api/v1/groups/{group}/parent", std::nullopt,
         Token::alice, 404, "not_linked"},
        {"hierarchy_of_chat", "GET", "/api/v1/groups/{chat}/hierarchy", std::nullopt, Token::alice,
         409, "not_a_group"},
        // Group types (issue 4): flat or public, public ones in organizations only, managed ones
        // public, and fixed once created.
        {"group_type_unknown", "POST", "/api/v1/organizations/{org}/groups",
         "{\"name\":\"x\",\"type\":\"hierarchical\"}", Token::alice, 422, "invalid_group_type"},
        {"group_type_number", "POST", "/api/v1/organizations/{org}/groups",
         "{\"name\":\"x\",\"type\":1}", Token::alice, 400, "wrong_type"},
        {"group_managed_string", "POST", "/api/v1/organizations/{org}/groups",
         "{\"name\":\"x\",\"type\":\"public\",\"managed\":\"yes\"}", Token::alice, 400,
         "wrong_type"},
        {"group_managed_flat", "POST", "/api/v1/organizations/{org}/groups",
         "{\"name\":\"x\",\"managed\":true}", Token::alice, 422, "managed_requires_public"},
        {"private_group_public", "POST", "/api/v1/groups", "{\"name\":\"x\",\"type\":\"public\"}",
         Token::alice, 422, "public_group_requires_organization"},
        {"private_group_type_unknown", "POST", "/api/v1/groups",
         "{\"name\":\"x\",\"type\":\"Public\"}", Token::alice, 422, "invalid_group_type"},
        {"public_group_by_outsider", "POST", "/api/v1/organizations/{org}/groups",
         "{\"name\":\"x\",\"type\":\"public\"}", Token::bob, 404, "organization_not_found"},
        {"group_type_change", "PATCH", "/api/v1/groups/{group}", "{\"type\":\"public\"}",
         Token::alice, 409, "group_type_fixed"},
        {"group_type_change_with_name", "PATCH", "/api/v1/groups/{group}",
         "{\"name\":\"Renamed\",\"type\":\"public\"}", Token::alice, 409, "group_type_fixed"},
        {"group_managed_change", "PATCH", "/api/v1/groups/{group}", "{\"managed\":true}",
         Token::alice, 409, "group_type_fixed"},
        {"group_type_patch_unknown", "PATCH", "/api/v1/groups/{group}", "{\"type\":\"broadcast\"}",
         Token::alice, 422, "invalid_group_type"},
        // Attachments: the body is the file, its type is read from it.
        {"attachment_without_name", "POST", kAttachments, "plain words\n", Token::alice, 422,
         "invalid_file_name"},
        {"attachment_name_with_slash", "POST", kAttachments + "?filename=..%2Fa.txt",
         "plain words\n", Token::alice, 422, "invalid_file_name"},
        {"attachment_empty", "POST", kAttachments + "?filename=a.txt", "", Token::alice, 422,
         "attachment_empty"},
        {"attachment_html", "POST", kAttachments + "?filename=page.html",
         "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", Token::alice, 415,
         "attachment_type_unsupported"},
        {"attachment_lying_name", "POST", kAttachments + "?filename=notes.pdf", "plain words\n",
         Token::alice, 415, "attachment_type_mismatch"},
        {"attachment_truncated_png", "POST", kAttachments + "?filename=p.png",
         std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x03\0\0\0\x02\x08\x02\0\0\0", 29),
         Token::alice, 422, "attachment_unreadable"},
        {"attachment_no_token", "POST", kAttachments + "?filename=a.txt", "plain words\n",
         Token::none, 401, "token_missing"},
        {"attachment_unknown", "GET", "/api/v1/attachments/att_nope", std::nullopt, Token::alice,
         404, "attachment_not_found"},
        {"attachment_unknown_thumbnail", "GET", "/api/v1/attachments/att_nope/thumbnail",
         std::nullopt, Token::alice, 404, "attachment_not_found"},
        {"attachment_download_no_token", "GET", "/api/v1/attachments/att_nope", std::nullopt,
         Token::none, 401, "token_missing"},
        {"message_attachments_string", "POST", kMessages, "{\"attachments\":\"att_x\"}",
         Token::alice, 400, "wrong_type"},
        {"message_attachment_unknown", "POST", kMessages, "{\"attachments\":[\"att_nope\"]}",
         Token::alice, 422, "attachment_not_found"},
        {"message_attachments_empty_no_text", "POST", kMessages, "{\"attachments\":[]}",
         Token::alice, 422, "missing_field"},
        {"forward_with_attachments", "POST", kMessages,
         "{\"forward_of\":{\"conversation_id\":\"{group}\",\"message_id\":\"{msg}\"},"
         "\"attachments\":[\"att_x\"]}",
         Token::alice, 422, "forward_with_text"},
        // Action cards (issue 5): malformed specs name the field; unknown cards are not found.
        {"card_type_unknown", "POST", kCards, "{\"type\":\"vote\",\"spec\":{}}", Token::alice, 422,
         "card_spec_invalid"},
        {"card_spec_missing", "POST", kCards, "{\"type\":\"poll\"}", Token::alice, 422,
         "missing_field"},
        {"card_spec_not_object", "POST", kCards, "{\"type\":\"poll\",\"spec\":[1]}", Token::alice,
         400, "wrong_type"},
        {"card_unknown_field", "POST", kCards, poll_body(",\"colour\":1"), Token::alice, 400,
         "unknown_field"},
        {"card_poll_one_choice", "POST", kCards,
         "{\"type\":\"poll\",\"spec\":{\"question\":\"Q\",\"choices\":[\"a\"]}}", Token::alice, 422,
         "card_spec_invalid"},
        {"card_poll_unknown_spec_field", "POST", kCards,
         "{\"type\":\"poll\",\"spec\":{\"question\":\"Q\",\"choices\":[\"a\",\"b\"],\"x\":1}}",
         Token::alice, 422, "card_spec_invalid"},
        {"card_due_in_past", "POST", kCards, poll_body(",\"due_at\":\"2001-01-01T00:00:00Z\""),
         Token::alice, 422, "card_spec_invalid"},
        {"card_due_not_a_time", "POST", kCards, poll_body(",\"due_at\":\"tomorrow\""), Token::alice,
         422, "card_spec_invalid"},
        {"card_visibility_unknown", "POST", kCards, poll_body(",\"results_visibility\":\"admins\""),
         Token::alice, 422, "card_spec_invalid"},
        {"card_anonymous_job", "POST", kCards,
         "{\"type\":\"job\",\"anonymous\":true,\"spec\":{\"title\":\"T\",\"assignees\":[\"{bob}\"]}"
         "}",
         Token::alice, 422, "card_spec_invalid"},
        {"card_job_assignee_not_member", "POST", kCards,
         "{\"type\":\"job\",\"spec\":{\"title\":\"T\",\"assignees\":[\"usr_nobody\"]}}",
         Token::alice, 422, "card_spec_invalid"},
        {"card_without_token", "POST", kCards, poll_body(""), Token::none, 401, "token_missing"},
        {"card_respond_unknown", "POST", "/api/v1/cards/crd_nope/responses", "{\"answers\":[0]}",
         Token::alice, 404, "card_not_found"},
        {"card_respond_malformed", "POST", "/api/v1/cards/crd_nope/responses",
         "{\"answers\":", Token::alice, 400, "malformed_json"},
        {"card_respond_unknown_field", "POST", "/api/v1/cards/crd_nope/responses", "{\"vote\":0}",
         Token::alice, 400, "unknown_field"},
        {"card_close_unknown", "POST", "/api/v1/cards/crd_nope/close", std::nullopt, Token::alice,
         404, "card_not_found"},
        {"card_csv_unknown", "GET", "/api/v1/cards/crd_nope/results.csv", std::nullopt, Token::bob,
         404, "card_not_found"},
        // Reactions (issue 5): likes of messages that take none, and bad pages.
        {"like_unknown_reaction", "PUT", kMessages + "/{msg}/reactions/heart", std::nullopt,
         Token::bob, 404, "unknown_reaction"},
        {"like_unknown_message", "PUT", kMessages + "/msg_nope/reactions/like", std::nullopt,
         Token::bob, 404, "message_not_found"},
        {"like_message_of_other_conversation", "PUT", kMessages + "/{chatmsg}/reactions/like",
         std::nullopt, Token::bob, 404, "message_not_found"},
        {"like_in_unknown_conversation", "PUT",
         "/api/v1/conversations/cnv_nope/messages/{msg}/reactions/like", std::nullopt, Token::bob,
         404, "conversation_not_found"},
        {"like_system_message", "PUT", kMessages + "/{sys}/reactions/like", std::nullopt,
         Token::bob, 409, "not_reactable"},
        {"like_deleted_message", "PUT", kMessages + "/{gone}/reactions/like", std::nullopt,
         Token::bob, 409, "message_deleted"},
        {"unlike_deleted_message", "DELETE", kMessages + "/{gone}/reactions/like", std::nullopt,
         Token::alice, 409, "message_deleted"},
        {"like_with_body", "PUT", kMessages + "/{msg}/reactions/like", "{\"count\":5}", Token::bob,
         400, "unknown_field"},
        {"like_with_malformed_body", "PUT", kMessages + "/{msg}/reactions/like", "{\"x\"",
         Token::bob, 400, "malformed_json"},
        {"like_without_token", "PUT", kMessages + "/{msg}/reactions/like", std::nullopt,
         Token::none, 401, "token_missing"},
        {"like_get", "GET", kMessages + "/{msg}/reactions/like", std::nullopt, Token::bob, 405,
         "method_not_allowed", "PUT"},
        {"likers_limit_zero", "GET", kMessages + "/{msg}/reactions?limit=0", std::nullopt,
         Token::bob, 422, "invalid_limit"},
        {"likers_limit_text", "GET", kMessages + "/{msg}/reactions?limit=ten", std::nullopt,
         Token::bob, 400, "invalid_query"},
        {"likers_after_negative", "GET", kMessages + "/{msg}/reactions?after=-1", std::nullopt,
         Token::bob, 422, "invalid_cursor"},
        {"comments_limit_too_big", "GET", kMessages + "/{msg}/comments?limit=201", std::nullopt,
         Token::bob, 422, "invalid_limit"},
        {"comments_unknown_message", "GET", kMessages + "/msg_nope/comments", std::nullopt,
         Token::bob, 404, "message_not_found"},
        {"comment_on_system_message", "POST", kMessages, "{\"text\":\"x\",\"reply_to\":\"{sys}\"}",
         Token::bob, 409, "not_reactable"},
        {"comment_on_deleted_message", "POST", kMessages,
         "{\"text\":\"x\",\"reply_to\":\"{gone}\"}", Token::bob, 409, "message_deleted"},
    };
}

// A server with Contoso (admin Alice), Bob, a group with both and a few messages, and a chat.
struct World {
    ParleyServer server{[] {
        auto args = contoso_args();
        args.push_back("--max-body-bytes");
        args.push_back(std::to_string(kMaxBody));
        // Refused requests write nothing; fewer fsyncs keep the 80 fresh servers quick.
        args.push_back("--sqlite-synchronous");
        args.push_back("NORMAL");
        return args;
    }()};
    Session alice = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    std::string org = first_organization_id(server, alice.token);
    std::string group = create_group(server, alice.token, "Table");
    std::string chat;
    std::string msg;
    std::string sys;      // the group's "created" system message
    std::string gone;     // a message deleted for everyone
    std::string chatmsg;  // a message of the chat, not of the group

    World() {
        auto added =
            server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, alice.token);
        EXPECT_EQ(added.status, 200) << added;
        msg = send_text(server, alice.token, group, "first")["id"];
        send_text(server, bob.token, group, "second", "cid-1");
        auto c = server.post("/api/v1/chats", {{"phone", kBobPhone}}, alice.token);
        EXPECT_EQ(c.status, 201) << c;
        chat = c.body["id"];
        chatmsg = send_text(server, bob.token, chat, "hi alice")["id"];
        gone = send_text(server, alice.token, group, "said too soon")["id"];
        auto deleted = server.del(messages_path(group) + "/" + gone, alice.token);
        EXPECT_EQ(deleted.status, 200) << deleted;
        auto history = all_messages(server.http(), group, alice.token);
        EXPECT_FALSE(history.empty());
        if (!history.empty()) {
            EXPECT_EQ(history[0]["kind"], "system");
            sys = history[0]["id"];
        }
        // One like already there, which a refused request must leave alone.
        auto liked = server.put(messages_path(group) + "/" + msg + "/reactions/like",
                                json::object(), bob.token);
        EXPECT_EQ(liked.status, 200) << liked;
        auto invite = server.post(group_path(group) + "/invites", {{"max_uses", 3}}, alice.token);
        EXPECT_EQ(invite.status, 201) << invite;
    }

    std::string fill(std::string s) const {
        const std::pair<std::string, std::string> values[] = {
            {"{group}", group}, {"{chat}", chat}, {"{org}", org},         {"{msg}", msg},
            {"{sys}", sys},     {"{gone}", gone}, {"{chatmsg}", chatmsg}, {"{bob}", bob.user_id}};
        for (const auto& [key, value] : values) {
            for (auto at = s.find(key); at != std::string::npos;
                 at = s.find(key, at + value.size())) {
                s.replace(at, key.size(), value);
            }
        }
        return s;
    }

    // Everything a request could have changed, as the people see it.
    json snapshot() {
        json snap;
        for (const Session* who : {&alice, &bob}) {
            json mine;
            auto list = server.get("/api/v1/conversations", who->token);
            EXPECT_EQ(list.status, 200) << list;
            mine["conversations"] = list.body;
            for (const auto& c : list.body["conversations"]) {
                std::string id = c["id"];
                mine["history"][id] = all_messages(server.http(), id, who->token);
                mine["view"][id] = server.get(conv_path(id), who->token).body;
                for (const auto& m : mine["history"][id]) {
                    if (m["deleted"] || m["kind"] == "system") continue;
                    std::string path = messages_path(id) + "/" + m["id"].get<std::string>();
                    mine["likes"][id].push_back(server.get(path + "/reactions", who->token).body);
                    mine["comments"][id].push_back(server.get(path + "/comments", who->token).body);
                }
            }
            mine["me"] = server.get("/api/v1/me", who->token).body;
            mine["sessions"] = server.get("/api/v1/auth/sessions", who->token).body;
            snap[who->phone] = mine;
        }
        snap["invites"] = server.get(group_path(group) + "/invites", alice.token).body;
        snap["organization"] = server.get(org_path(org), alice.token).body;
        snap["people"] = server.get(org_path(org) + "/people", alice.token).body;
        snap["org_groups"] = server.get(org_path(org) + "/groups", alice.token).body;
        snap["attributes"] = server.get(org_path(org) + "/attributes", alice.token).body;
        snap["removed_people"] = server.get(org_path(org) + "/removed-people", alice.token).body;
        snap["outbox_lines"] = server.outbox().size();
        return snap;
    }

    void run(const Row& row) {
        SCOPED_TRACE(std::string("row ") + row.name);
        std::vector<std::string> headers;
        std::string token;
        switch (row.token) {
            case Token::none:
                break;
            case Token::alice:
                token = alice.token;
                break;
            case Token::bob:
                token = bob.token;
                break;
            case Token::forged:
                token = std::string(43, 'Q');
                break;
            case Token::malformed:
                token = "this is not a token!";
                break;
            case Token::basic:
                headers.push_back("Authorization: Basic YWxpY2U6c2VjcmV0");
                break;
        }
        std::optional<std::string> body;
        if (row.body) body = fill(*row.body);
        auto r = server.http().request(row.method, fill(row.path), body, token, headers);
        EXPECT_EQ(r.status, row.status) << r;
        EXPECT_EQ(r.error_code(), row.code) << r;
        // One error shape everywhere.
        ASSERT_TRUE(r.body.is_object()) << r;
        EXPECT_EQ(r.body.size(), 1u) << r;
        ASSERT_TRUE(r.body["error"].is_object()) << r;
        EXPECT_EQ(r.body["error"].size(), 2u) << r;
        EXPECT_FALSE(r.error_message().empty()) << r;
        EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos) << r;
        if (row.allow) {
            EXPECT_NE(r.header("allow").find(row.allow), std::string::npos)
                << "Allow: " << r.header("allow");
        }
        if (row.status == 401) {
            EXPECT_EQ(r.header("www-authenticate"), "Bearer");
        }
    }
};

class BadInput : public ::testing::TestWithParam<Row> {};

TEST_P(BadInput, IsRefusedAndChangesNothing) {
    World world;
    json before = world.snapshot();
    world.run(GetParam());
    json after = world.snapshot();
    EXPECT_EQ(before, after) << "the refused request changed something:\n"
                             << json::diff(before, after).dump(2);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                             return std::string(info.param.name);
                         });

TEST(BadInputTable, WholeTableLeavesNoTrace) {
    World world;
    json before = world.snapshot();
    for (const auto& row : rows()) world.run(row);
    json after = world.snapshot();
    EXPECT_EQ(before, after) << "the refused requests changed something:\n"
                             << json::diff(before, after).dump(2);
    // And the server is still well.
    auto health = world.server.get("/healthz");
    EXPECT_EQ(health.status, 200) << health;
}

}  // namespace
}  // namespace parley::it
