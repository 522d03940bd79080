#include "http/api.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "http/api_context.hpp"
#include "http/errors.hpp"
#include "http/json_body.hpp"
#include "http/serialize.hpp"

namespace parley::http {

using nlohmann::json;

net::Response json_response(int status, const json& body) {
    net::Response r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view q) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!q.empty()) {
        auto amp = q.find('&');
        auto part = q.substr(0, amp);
        if (!part.empty()) {
            auto eq = part.find('=');
            out.emplace_back(
                percent_decode(part.substr(0, eq)),
                eq == std::string_view::npos ? "" : percent_decode(part.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) break;
        q.remove_prefix(amp + 1);
    }
    return out;
}

// Each item as its API JSON, in order.
template <typename Items>
json json_array(const Items& items) {
    json out = json::array();
    for (const auto& item : items) out.push_back(to_json(item));
    return out;
}

net::Response no_content() {
    net::Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

std::string user_agent(const net::Request& r) {
    auto ua = r.header("user-agent");
    return ua ? std::string(ua->substr(0, 300)) : std::string();
}

Result<core::MemberRole> parse_member_role(const std::string& s) {
    if (s == "admin") return core::MemberRole::admin;
    if (s == "member") return core::MemberRole::member;
    return fail(ErrorKind::invalid, "invalid_role", "role must be \"admin\" or \"member\".");
}

Result<core::GroupType> parse_group_type(const std::string& s) {
    auto type = core::parse_group_type(s);
    if (!type) {
        return fail(ErrorKind::invalid, "invalid_group_type",
                    "type must be \"flat\" or \"public\".");
    }
    return *type;
}

// "type" and "managed" of a group being created: flat and unmanaged when absent.
Result<service::GroupTypeChoice> group_type_choice(const JsonBody& body) {
    service::GroupTypeChoice choice;
    PARLEY_TRY_ASSIGN(auto type, body.optional_string("type"));
    if (type) {
        PARLEY_TRY_ASSIGN(choice.type, parse_group_type(*type));
    }
    PARLEY_TRY_ASSIGN(auto managed, body.optional_bool("managed"));
    choice.managed = managed.value_or(false);
    return choice;
}

Result<core::OrgRole> parse_org_role(const std::string& s) {
    if (s == "admin") return core::OrgRole::admin;
    if (s == "member") return core::OrgRole::member;
    return fail(ErrorKind::invalid, "invalid_role", "role must be \"admin\" or \"member\".");
}

// {"Department": "Sales", "Employee ID": 1042, "On call": true, "Manager": null} as text by
// name: numbers and booleans as JSON writes them, null as "" (clear).
Result<std::vector<std::pair<std::string, std::string>>> attribute_values(const JsonBody& body) {
    std::vector<std::pair<std::string, std::string>> out;
    const json& raw = body.json().value("attributes", json());
    if (raw.is_null()) return out;
    if (!raw.is_object()) {
        return fail(ErrorKind::bad_request, "wrong_type",
                    "Field \"attributes\" must be an object of attribute name → value.");
    }
    for (const auto& [name, value] : raw.items()) {
        if (value.is_string()) {
            out.emplace_back(name, value.get<std::string>());
        } else if (value.is_number() || value.is_boolean()) {
            out.emplace_back(name, value.dump());
        } else if (value.is_null()) {
            out.emplace_back(name, "");
        } else {
            return fail(ErrorKind::bad_request, "wrong_type",
                        "Attribute \"" + name.substr(0, 100) +
                            "\" must be a string, number, boolean or null.");
        }
    }
    return out;
}

// "Department, Location" → {"Department", "Location"}; blanks dropped.
std::vector<std::string> split_list(std::string_view rest) {
    std::vector<std::string> out;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string item = std::string(rest.substr(0, comma));
        auto begin = item.find_first_not_of(" \t");
        if (begin != std::string::npos) {
            item = item.substr(begin, item.find_last_not_of(" \t") - begin + 1);
            out.push_back(std::move(item));
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return out;
}

Result<store::PersonSort> parse_person_sort(const std::string& s) {
    if (s == "name") return store::PersonSort::name;
    if (s == "phone") return store::PersonSort::phone;
    if (s == "added") return store::PersonSort::added;
    if (s == "last_active") return store::PersonSort::last_active;
    return fail(ErrorKind::invalid, "invalid_sort",
                "sort must be name, phone, added or last_active.");
}

// The policies an organization admin sets for the tenant, and the ones a group overrides.
constexpr std::string_view kConversationPolicyNames[] = {
    "restrict_copy",           "restrict_share",      "restrict_forward",
    "new_members_see_history", "delete_for_everyone", "invite_links"};
constexpr std::string_view kTenantOnlyPolicyNames[] = {
    "parley_enabled", "groups_require_work_account", "group_admins_set_policies"};
// A group's own: the tenant sets the default of all its groups as groups_require_work_account.
constexpr std::string_view kGroupOnlyPolicyNames[] = {"require_work_account"};

std::string policy_list(bool with_tenant_only) {
    std::string out;
    auto add = [&](std::string_view name) { out += (out.empty() ? "" : ", ") + std::string(name); };
    if (with_tenant_only) {
        for (auto name : kTenantOnlyPolicyNames) add(name);
    }
    for (auto name : kConversationPolicyNames) add(name);
    if (!with_tenant_only) {
        for (auto name : kGroupOnlyPolicyNames) add(name);
    }
    return out;
}

// The body's "policies" object, or null when absent. A name we do not know is refused as
// unprocessable (422) rather than as a typo in the request's shape: the object is well formed,
// and the message lists what can be set.
Result<nlohmann::json> policies_field(const JsonBody& body, bool tenant) {
    const auto& raw = body.json().value("policies", nlohmann::json());
    if (raw.is_null()) return raw;
    if (!raw.is_object()) {
        return fail(ErrorKind::bad_request, "wrong_type", "Field \"policies\" must be an object.");
    }
    for (const auto& [name, value] : raw.items()) {
        bool known =
            std::find(std::begin(kConversationPolicyNames), std::end(kConversationPolicyNames),
                      name) != std::end(kConversationPolicyNames);
        bool tenant_only =
            std::find(std::begin(kTenantOnlyPolicyNames), std::end(kTenantOnlyPolicyNames), name) !=
            std::end(kTenantOnlyPolicyNames);
        bool group_only =
            std::find(std::begin(kGroupOnlyPolicyNames), std::end(kGroupOnlyPolicyNames), name) !=
            std::end(kGroupOnlyPolicyNames);
        if (known || (tenant && tenant_only) || (!tenant && group_only)) continue;
        std::string message = "\"" + name + "\" is not a policy";
        if (tenant_only) message += " a group can set (it is the organization's)";
        if (group_only) {
            message +=
                " of the organization (it is a group's; the organization's default for "
                "its groups is groups_require_work_account)";
        }
        return fail(ErrorKind::invalid, "unknown_policy",
                    message + "; the policies are: " + policy_list(tenant) + ".");
    }
    return raw;
}

// One group override: true or false sets it, null clears it (the tenant's value applies).
Result<service::OverrideChange> override_change(const nlohmann::json& policies,
                                                std::string_view name) {
    auto it = policies.find(name);
    if (it == policies.end()) return service::OverrideChange();
    if (it->is_null()) return service::OverrideChange(std::optional<bool>());
    if (!it->is_boolean()) {
        return fail(ErrorKind::bad_request, "wrong_type",
                    "Field \"policies." + std::string(name) +
                        "\" must be true, false or null (null: use the organization's).");
    }
    return service::OverrideChange(it->get<bool>());
}

// Uploads are CSV: text/csv, or what browsers and spreadsheets label CSV files with.
Result<void> require_csv_body(const net::Request& request) {
    std::string type(request.header("content-type").value_or(""));
    type = type.substr(0, type.find(';'));
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    while (!type.empty() && type.back() == ' ') type.pop_back();
    for (const char* accepted : {"text/csv", "application/csv", "text/plain",
                                 "application/vnd.ms-excel", "application/octet-stream"}) {
        if (type == accepted) return ok();
    }
    return fail(ErrorKind::bad_request, "csv_content_type_required",
                "Send the CSV file itself as the body with Content-Type: text/csv.");
}

// A report's period from the query: from and to as RFC 3339 times, each optional.
Result<service::ReportPeriodRequest> report_period(const Api::Context& c) {
    service::ReportPeriodRequest period;
    for (auto [name, field] : {std::pair{"from", &service::ReportPeriodRequest::from},
                               std::pair{"to", &service::ReportPeriodRequest::to}}) {
        auto text = c.query_value(name);
        if (!text) continue;
        auto at = parse_rfc3339(*text);
        if (!at) {
            return fail(ErrorKind::bad_request, "invalid_query",
                        "Query parameter \"" + std::string(name) +
                            "\" must be a time such as 2026-11-01T00:00:00Z.");
        }
        period.*field = *at;
    }
    return period;
}

net::Response csv_download(std::string file_name, std::string bytes) {
    net::Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + file_name + "\""});
    r.body = std::move(bytes);
    return r;
}

net::Response csv_download(service::ImportFile file) {
    return csv_download(std::move(file.file_name), std::move(file.bytes));
}

net::Response csv_download(service::ExportFile file) {
    return csv_download(std::move(file.file_name), std::move(file.bytes));
}

json person_results(const std::vector<service::PersonResult>& results) {
    json added = json::array();
    json failed = json::array();
    for (const auto& r : results) {
        if (r.person) {
            added.push_back(to_json(*r.person));
        } else {
            failed.push_back({{"phone", r.phone}, {"error", to_json(*r.error)}});
        }
    }
    return {{"added", added}, {"failed", failed}};
}

json member_changes(const std::vector<service::MemberChange>& changes) {
    json added = json::array();
    json already = json::array();
    json failed = json::array();
    for (const auto& c : changes) {
        if (c.error) {
            failed.push_back({{"phone", c.phone}, {"error", to_json(*c.error)}});
        } else if (c.added) {
            added.push_back(to_json(*c.user));
        } else {
            already.push_back(to_json(*c.user));
        }
    }
    return {{"added", added}, {"already_members", already}, {"failed", failed}};
}

}  // namespace

Api::Api(Services services, Metrics& metrics, std::function<Result<void>()> health_check,
         ThreadPool& file_work)
    : s_(services),
      metrics_(metrics),
      health_check_(std::move(health_check)),
      file_work_(file_work) {
    register_routes();
}

std::vector<std::pair<std::string, std::string>> Api::routes() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : router_.routes()) out.emplace_back(r.method, r.pattern);
    return out;
}

void Api::add(const char* method, const char* pattern, Handler handler, bool authenticated) {
    router_.add(method, pattern, Entry{std::move(handler), authenticated});
}

net::Response Api::handle(const net::Request& request) {
    auto started = std::chrono::steady_clock::now();
    auto match = router_.match(request.method, request.path);
    std::string route_label = match.route ? match.route->pattern : "unmatched";
    net::Response response;
    if (!match.route) {
        if (match.method_not_allowed) {
            response = error_response(405, "method_not_allowed",
                                      "This path does not accept " + request.method + ".");
            std::string allow;
            for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
            response.headers.push_back({"Allow", allow});
        } else {
            response = error_response(404, "route_not_found", "No such endpoint: " + request.path);
        }
    } else {
        Context ctx{request, std::move(match.params), parse_query(request.query), std::nullopt};
        Result<net::Response> result = fail(ErrorKind::internal, "internal", "Not handled.");
        bool authorized = true;
        if (match.route->handler.authenticated) {
            auto header = request.header("authorization");
            std::string_view token;
            if (header && header->size() > 7 && header->at(6) == ' ' &&
                std::equal(header->begin(), header->begin() + 6, "bearer", [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) == b;
                })) {
                token = header->substr(7);
            }
            if (token.empty()) {
                result = fail(ErrorKind::unauthenticated, "token_missing",
                              "Sign in first: send \"Authorization: Bearer <token>\".");
                authorized = false;
            } else {
                auto caller = s_.identity.authenticate(token, request.remote_address);
                if (!caller) {
                    result = std::unexpected(caller.error());
                    authorized = false;
                } else {
                    ctx.caller = std::move(*caller);
                }
            }
        }
        if (authorized) {
            try {
                result = match.route->handler.handler(ctx);
            } catch (const std::exception& e) {
                // Exceptions never cross module boundaries by design; one that does is a bug.
                spdlog::error("handler {} {} threw: {}", request.method, route_label, e.what());
                result = fail(ErrorKind::internal, "internal",
                              "The server failed; the error is in its log.");
            }
        }
        if (result) {
            response = std::move(*result);
        } else {
            if (result.error().kind == ErrorKind::internal) {
                spdlog::error("{} {} failed: {} ({})", request.method, route_label,
                              result.error().code, result.error().message);
            }
            response = error_response(result.error());
        }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.record_request(route_label, request.method, response.status, seconds);
    return response;
}

Result<net::Response> Api::create_group_with_members(
    Context& c, const JsonBody& body, const std::function<Result<core::Conversation>()>& create) {
    PARLEY_TRY_ASSIGN(auto members, body.string_array("members"));
    PARLEY_TRY_ASSIGN(auto region, body.optional_string("region"));
    if (members.size() > 1000) {
        return fail(ErrorKind::payload_too_large, "too_many_members",
                    "At most 1000 members when creating a group; add more afterwards.");
    }
    PARLEY_TRY_VOID(s_.conversations.check_phones(members, region.value_or("")));
    PARLEY_TRY_ASSIGN(auto group, create());
    if (members.empty()) return json_response(201, to_json(group));
    PARLEY_TRY_ASSIGN(auto changes,
                      s_.conversations.add_members(c.me(), group.id, members, region.value_or(""),
                                                   core::MemberRole::member));
    PARLEY_TRY_ASSIGN(auto view, s_.conversations.view(c.me(), group.id));
    json j = to_json(view.conversation);
    j["members"] = member_changes(changes);
    return json_response(201, j);
}

void Api::register_routes() {
    register_cards_routes();
    // ---- health ------------------------------------------------------------------------------
    add(
        "GET", "/healthz",
        [this](Context&) -> Result<net::Response> {
            auto healthy = health_check_();
            if (!healthy) return json_response(503, {{"status", "unavailable"}});
            return json_response(200, {{"status", "ok"}});
        },
        false);
    add(
        "GET", "/metrics",
        [this](Context&) -> Result<net::Response> {
            net::Response r;
            r.content_type = "text/plain; version=0.0.4";
            r.body = metrics_.render();
            return r;
        },
        false);

    // ---- sign-in -----------------------------------------------------------------------------
    add(
        "POST", "/api/v1/auth/codes",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"phone", "region"}));
            PARLEY_TRY_ASSIGN(auto phone, body.required_string("phone"));
            PARLEY_TRY_ASSIGN(auto region, body.optional_string("region"));
            PARLEY_TRY_ASSIGN(auto issued,
                              s_.identity.request_sign_in_code(phone, region.value_or(""),
                                                               c.request.remote_address));
            return json_response(
                202, {{"phone", issued.phone}, {"expires_in", issued.expires_in_seconds}});
        },
        false);

    add(
        "POST", "/api/v1/auth/sessions",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto body,
                              JsonBody::parse(c.request.body, {"phone", "region", "code"}));
            PARLEY_TRY_ASSIGN(auto phone, body.required_string("phone"));
            PARLEY_TRY_ASSIGN(auto code, body.required_string("code"));
            PARLEY_TRY_ASSIGN(auto region, body.optional_string("region"));
            PARLEY_TRY_ASSIGN(auto session,
                              s_.identity.sign_in(phone, region.value_or(""), code,
                                                  user_agent(c.request), c.request.remote_address));
            return json_response(201, {{"token", session.token},
                                       {"session_id", session.session.id},
                                       {"user", to_json(session.user)}});
        },
        false);

    add("GET", "/api/v1/auth/sessions", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto sessions, s_.identity.sessions(c.me()));
        json list = json::array();
        for (const auto& s : sessions) list.push_back(to_json(s, c.me().session_id));
        return json_response(200, {{"sessions", list}});
    });

    add("DELETE", "/api/v1/auth/sessions/{id}", [this](Context& c) -> Result<net::Response> {
        std::string id = c.param("id") == "current" ? c.me().session_id : c.param("id");
        PARLEY_TRY_VOID(s_.identity.revoke_session(c.me(), id));
        return no_content();
    });

    // ---- me ----------------------------------------------------------------------------------
    add("GET", "/api/v1/me", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto profile, s_.identity.profile(c.me()));
        json j = to_json(profile.user);
        json orgs = json::array();
        for (const auto& [org, person] : profile.organizations) {
            orgs.push_back({{"id", org.id},
                            {"name", org.name},
                            {"role", core::to_string(person.role)},
                            {"email", person.email.empty() ? json(nullptr) : json(person.email)},
                            {"work_account_linked", person.work_account_linked}});
        }
        j["organizations"] = orgs;
        j["work_account"] = profile.work_account ? to_json(*profile.work_account) : json(nullptr);
        return json_response(200, j);
    });

    add("PATCH", "/api/v1/me", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"name"}));
        PARLEY_TRY_ASSIGN(auto name, body.required_string("name"));
        PARLEY_TRY_ASSIGN(auto user, s_.identity.rename(c.me(), name));
        return json_response(200, to_json(user));
    });

    add("GET", "/api/v1/me/work-account", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto profile, s_.identity.profile(c.me()));
        if (!profile.work_account) {
            return fail(ErrorKind::not_found, "work_account_not_linked",
                        "You are not signed in to a work account.");
        }
        return json_response(200, to_json(*profile.work_account));
    });

    add("POST", "/api/v1/me/work-account", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"email"}));
        PARLEY_TRY_ASSIGN(auto email, body.required_string("email"));
        PARLEY_TRY_ASSIGN(auto pending, s_.identity.request_work_account(c.me(), email));
        return json_response(202, {{"organization_id", pending.organization_id},
                                   {"email", pending.email},
                                   {"expires_in", pending.expires_in_seconds}});
    });

    add("PUT", "/api/v1/me/work-account", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"code"}));
        PARLEY_TRY_ASSIGN(auto code, body.required_string("code"));
        PARLEY_TRY_ASSIGN(auto account, s_.identity.confirm_work_account(c.me(), code));
        return json_response(200, to_json(account));
    });

    add("DELETE", "/api/v1/me/work-account", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_VOID(s_.identity.unlink_work_account(c.me()));
        return no_content();
    });

    // ---- organizations -----------------------------------------------------------------------
    auto org_json = [](const service::OrganizationView& v) {
        json j = to_json(v.organization);
        j["my_role"] = core::to_string(v.my_role);
        j["work_account_linked"] = v.work_account_linked;
        return j;
    };

    add("GET", "/api/v1/organizations/{id}", [this, org_json](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto view, s_.organizations.get(c.me(), c.param("id")));
        return json_response(200, org_json(view));
    });

    add("PATCH", "/api/v1/organizations/{id}",
        [this, org_json](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(
                auto body, JsonBody::parse(c.request.body, {"name", "default_region", "policies"}));
            service::OrganizationPatch patch;
            PARLEY_TRY_ASSIGN(patch.name, body.optional_string("name"));
            PARLEY_TRY_ASSIGN(patch.default_region, body.optional_string("default_region"));
            PARLEY_TRY_ASSIGN(auto raw_policies, policies_field(body, true));
            if (!raw_policies.is_null()) {
                PARLEY_TRY_ASSIGN(
                    auto policies,
                    JsonBody::parse(raw_policies.dump(),
                                    {"parley_enabled", "groups_require_work_account",
                                     "group_admins_set_policies", "restrict_copy", "restrict_share",
                                     "restrict_forward", "new_members_see_history",
                                     "delete_for_everyone", "invite_links"}));
                auto flag = [&](const char* name, std::optional<bool>& out) -> Result<void> {
                    PARLEY_TRY_ASSIGN(out, policies.optional_bool(name));
                    return ok();
                };
                PARLEY_TRY_VOID(flag("parley_enabled", patch.parley_enabled));
                PARLEY_TRY_VOID(
                    flag("groups_require_work_account", patch.groups_require_work_account));
                PARLEY_TRY_VOID(flag("group_admins_set_policies", patch.group_admins_set_policies));
                PARLEY_TRY_VOID(flag("restrict_copy", patch.restrict_copy));
                PARLEY_TRY_VOID(flag("restrict_share", patch.restrict_share));
                PARLEY_TRY_VOID(flag("restrict_forward", patch.restrict_forward));
                PARLEY_TRY_VOID(flag("new_members_see_history", patch.new_members_see_history));
                PARLEY_TRY_VOID(flag("delete_for_everyone", patch.delete_for_everyone));
                PARLEY_TRY_VOID(flag("invite_links", patch.invite_links));
            }
            PARLEY_TRY_ASSIGN(auto view, s_.organizations.update(c.me(), c.param("id"), patch));
            return json_response(200, org_json(view));
        });

    add("GET", "/api/v1/organizations/{id}/people", [this](Context& c) -> Result<net::Response> {
        store::PersonQuery q;
        q.text = c.query_value("q").value_or("");
        PARLEY_TRY_ASSIGN(auto limit, c.query_int("limit"));
        PARLEY_TRY_ASSIGN(auto offset, c.query_int("offset"));
        q.limit = static_cast<int>(std::clamp<std::int64_t>(limit.value_or(50), -1, 100000));
        q.offset = static_cast<int>(std::clamp<std::int64_t>(offset.value_or(0), -1, INT32_MAX));
        PARLEY_TRY_ASSIGN(q.sort, parse_person_sort(c.query_value("sort").value_or("name")));
        std::string order = c.query_value("order").value_or("asc");
        if (order != "asc" && order != "desc") {
            return fail(ErrorKind::invalid, "invalid_order", "order must be asc or desc.");
        }
        q.descending = order == "desc";
        auto columns = split_list(c.query_value("columns").value_or(""));
        PARLEY_TRY_ASSIGN(auto page,
                          s_.organizations.list_directory(c.me(), c.param("id"), q, columns));
        json j = to_json(page);
        j["limit"] = q.limit;
        j["offset"] = q.offset;
        return json_response(200, j);
    });

    add("POST", "/api/v1/organizations/{id}/people", [this](Context& c) -> Result<net::Response> {
        // Either one person {"phone","name","email","role"} or a list: {"phones": "a, b, c"}.
        PARLEY_TRY_ASSIGN(
            auto body, JsonBody::parse(c.request.body, {"phone", "phones", "name", "email", "role",
                                                        "region", "attributes"}));
        PARLEY_TRY_ASSIGN(auto region, body.optional_string("region"));
        PARLEY_TRY_ASSIGN(auto attributes, attribute_values(body));
        PARLEY_TRY_ASSIGN(auto phone, body.optional_string("phone"));
        PARLEY_TRY_ASSIGN(auto phones, body.optional_string("phones"));
        PARLEY_TRY_ASSIGN(auto role_text, body.optional_string("role"));
        std::optional<core::OrgRole> role;
        if (role_text) {
            PARLEY_TRY_ASSIGN(role, parse_org_role(*role_text));
        }
        std::vector<service::PersonInput> inputs;
        if (phone && phones) {
            return fail(ErrorKind::invalid, "phone_or_phones",
                        "Give either \"phone\" (one person) or \"phones\" (a comma-separated "
                        "list), not both.");
        }
        if (phone) {
            PARLEY_TRY_ASSIGN(auto name, body.optional_string("name"));
            PARLEY_TRY_ASSIGN(auto email, body.optional_string("email"));
            inputs.push_back({*phone, name, email, role, attributes});
        } else if (phones) {
            std::string_view rest = *phones;
            while (!rest.empty()) {
                auto comma = rest.find(',');
                std::string item(rest.substr(0, comma));
                if (item.find_first_not_of(" \t") != std::string::npos) {
                    inputs.push_back({item, std::nullopt, std::nullopt, role, attributes});
                }
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
            }
        } else {
            return fail(ErrorKind::invalid, "missing_field",
                        "Field \"phone\" (one person) or \"phones\" (a list) is required.");
        }
        PARLEY_TRY_ASSIGN(auto results, s_.organizations.add_people(c.me(), c.param("id"), inputs,
                                                                    region.value_or("")));
        json j = person_results(results);
        bool single_failed = phone && j["failed"].size() == 1;
        if (single_failed) return std::unexpected(*results.front().error);
        return json_response(j["added"].empty() ? 422 : 201, j);
    });

    add("GET", "/api/v1/organizations/{id}/people/{user_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto detail, s_.organizations.get_person(c.me(), c.param("id"),
                                                                       c.param("user_id")));
            return json_response(200, to_json(detail));
        });

    add("PATCH", "/api/v1/organizations/{id}/people/{user_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body,
                                                         {"name", "email", "role", "attributes"}));
            service::PersonPatch patch;
            PARLEY_TRY_ASSIGN(patch.attributes, attribute_values(body));
            PARLEY_TRY_ASSIGN(patch.name, body.optional_string("name"));
            PARLEY_TRY_ASSIGN(patch.email, body.optional_string("email"));
            PARLEY_TRY_ASSIGN(auto role, body.optional_string("role"));
            if (role) {
                PARLEY_TRY_ASSIGN(patch.role, parse_org_role(*role));
            }
            PARLEY_TRY_ASSIGN(auto person, s_.organizations.update_person(
                                               c.me(), c.param("id"), c.param("user_id"), patch));
            return json_response(200, to_json(person));
        });

    add("DELETE", "/api/v1/organizations/{id}/people/{user_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto removed, s_.organizations.remove_person(c.me(), c.param("id"),
                                                                           c.param("user_id")));
            return json_response(200, {{"removed_from_groups", removed.conversations_left}});
        });

    add("GET", "/api/v1/organizations/{id}/removed-people",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto removed,
                              s_.organizations.list_removed_people(c.me(), c.param("id")));
            return json_response(200, {{"removed_people", json_array(removed)}});
        });

    add("POST", "/api/v1/organizations/{id}/people/{user_id}/restore",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_VOID(JsonBody::parse(c.request.body, {}));
            PARLEY_TRY_ASSIGN(auto restored, s_.organizations.restore_person(c.me(), c.param("id"),
                                                                             c.param("user_id")));
            json groups = json::array();
            for (const auto& g : restored.groups_rejoined) {
                groups.push_back({{"id", g.id}, {"name", g.name}});
            }
            json j = to_json(restored.person);
            j["rejoined_groups"] = std::move(groups);
            return json_response(200, j);
        });

    // ---- bulk CSV uploads (jobs) -------------------------------------------------------------
    // The file is the raw request body; multipart would buy nothing but a parser. Bodies on
    // this route have their own size limit (--max-upload-bytes, enforced in net/).
    add("POST", "/api/v1/organizations/{id}/imports", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_VOID(require_csv_body(c.request));
        service::ImportUpload upload;
        upload.kind = c.query_value("kind").value_or("");
        std::string dry_run = c.query_value("dry_run").value_or("false");
        if (dry_run != "true" && dry_run != "false") {
            return fail(ErrorKind::bad_request, "invalid_query",
                        "Query parameter \"dry_run\" must be true or false.");
        }
        upload.dry_run = dry_run == "true";
        auto header_name = c.request.header("x-file-name");
        upload.file_name = c.query_value("file_name")
                               .value_or(header_name ? std::string(*header_name) : std::string());
        upload.body = c.request.body;
        PARLEY_TRY_ASSIGN(auto job, s_.imports.upload(c.me(), c.param("id"), std::move(upload)));
        return json_response(202, to_json(job));
    });
    add("GET", "/api/v1/organizations/{id}/imports", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto jobs, s_.imports.list(c.me(), c.param("id")));
        return json_response(200, {{"imports", json_array(jobs)}});
    });
    add("GET", "/api/v1/organizations/{id}/imports/{job_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto job, s_.imports.get(c.me(), c.param("id"), c.param("job_id")));
            return json_response(200, to_json(job));
        });
    add("GET", "/api/v1/organizations/{id}/imports/{job_id}/file",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto file, s_.imports.file(c.me(), c.param("id"), c.param("job_id")));
            return csv_download(std::move(file));
        });
    add("GET", "/api/v1/organizations/{id}/imports/{job_id}/errors",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto file,
                              s_.imports.errors(c.me(), c.param("id"), c.param("job_id")));
            return csv_download(std::move(file));
        });
    add("GET", "/api/v1/organizations/{id}/import-templates/{kind}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto file,
                              s_.imports.template_file(c.me(), c.param("id"), c.param("kind")));
            return csv_download(std::move(file));
        });

    // ---- exports (jobs) ----------------------------------------------------------------------
    // Like an upload, the request is its query (kind, group_id); there is no body to send.
    add("POST", "/api/v1/organizations/{id}/exports", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_VOID(JsonBody::parse(c.request.body, {}));
        service::ExportRequest request;
        request.kind = c.query_value("kind").value_or("");
        request.group_id = c.query_value("group_id").value_or("");
        PARLEY_TRY_ASSIGN(auto job, s_.exports.create(c.me(), c.param("id"), request));
        return json_response(202, to_json(job));
    });
    add("GET", "/api/v1/organizations/{id}/exports", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto jobs, s_.exports.list(c.me(), c.param("id")));
        return json_response(200, {{"exports", json_array(jobs)}});
    });
    add("GET", "/api/v1/organizations/{id}/exports/{job_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto job, s_.exports.get(c.me(), c.param("id"), c.param("job_id")));
            return json_response(200, to_json(job));
        });
    add("GET", "/api/v1/organizations/{id}/exports/{job_id}/file",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto file, s_.exports.file(c.me(), c.param("id"), c.param("job_id")));
            return csv_download(std::move(file));
        });

    // ---- reports (seed 004, "View Reports") --------------------------------------------------
    add("GET", "/api/v1/organizations/{id}/reports/groups",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto period, report_period(c));
            PARLEY_TRY_ASSIGN(auto report, s_.reports.groups(c.me(), c.param("id"), period));
            return json_response(200, to_json(report));
        });
    add("GET", "/api/v1/organizations/{id}/reports/groups.csv",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto period, report_period(c));
            PARLEY_TRY_ASSIGN(auto file, s_.reports.groups_csv(c.me(), c.param("id"), period));
            return csv_download(std::move(file.file_name), std::move(file.bytes));
        });

    // ---- custom attributes -------------------------------------------------------------------
    add("GET", "/api/v1/organizations/{id}/attributes",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto view, s_.organizations.list_attributes(c.me(), c.param("id")));
            return json_response(200, {{"attributes", json_array(view.attributes)},
                                       {"suggestions", json_array(view.suggestions)}});
        });

    add("POST", "/api/v1/organizations/{id}/attributes",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"attributes"}));
            const json& raw = body.json().value("attributes", json());
            if (raw.is_null()) {
                return fail(ErrorKind::invalid, "missing_field",
                            "Field \"attributes\" (a list of attributes) is required.");
            }
            if (!raw.is_array()) {
                return fail(ErrorKind::bad_request, "wrong_type",
                            "Field \"attributes\" must be a list of objects.");
            }
            std::vector<service::NewAttribute> attributes;
            for (const auto& item : raw) {
                if (!item.is_object()) {
                    return fail(ErrorKind::bad_request, "wrong_type",
                                "Each attribute must be an object {\"name\", \"type\", …}.");
                }
                PARLEY_TRY_ASSIGN(
                    auto one,
                    JsonBody::parse(item.dump(), {"name", "type", "mandatory", "self_editable",
                                                  "visible_to_members"}));
                service::NewAttribute a;
                PARLEY_TRY_ASSIGN(a.name, one.required_string("name"));
                PARLEY_TRY_ASSIGN(auto type, one.optional_string("type"));
                a.type = type.value_or("string");
                PARLEY_TRY_ASSIGN(auto mandatory, one.optional_bool("mandatory"));
                PARLEY_TRY_ASSIGN(auto self_editable, one.optional_bool("self_editable"));
                PARLEY_TRY_ASSIGN(auto visible, one.optional_bool("visible_to_members"));
                a.mandatory = mandatory.value_or(false);
                a.self_editable = self_editable.value_or(false);
                a.visible_to_members = visible.value_or(false);
                attributes.push_back(std::move(a));
            }
            PARLEY_TRY_ASSIGN(auto created,
                              s_.organizations.add_attributes(c.me(), c.param("id"), attributes));
            return json_response(201, {{"attributes", json_array(created)}});
        });

    add("PATCH", "/api/v1/organizations/{id}/attributes/{attribute_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body,
                                                         {"name", "type", "mandatory",
                                                          "self_editable", "visible_to_members"}));
            service::AttributeChange change;
            PARLEY_TRY_ASSIGN(change.name, body.optional_string("name"));
            PARLEY_TRY_ASSIGN(change.type, body.optional_string("type"));
            PARLEY_TRY_ASSIGN(change.mandatory, body.optional_bool("mandatory"));
            PARLEY_TRY_ASSIGN(change.self_editable, body.optional_bool("self_editable"));
            PARLEY_TRY_ASSIGN(change.visible_to_members, body.optional_bool("visible_to_members"));
            PARLEY_TRY_ASSIGN(auto updated,
                              s_.organizations.update_attribute(c.me(), c.param("id"),
                                                                c.param("attribute_id"), change));
            return json_response(200, to_json(updated));
        });

    add("DELETE", "/api/v1/organizations/{id}/attributes/{attribute_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_VOID(s_.organizations.remove_attributes(c.me(), c.param("id"),
                                                               {c.param("attribute_id")}));
            return no_content();
        });

    // Several at once (the portal's multi-select): ?ids=atr_1,atr_2, all or none.
    add("DELETE", "/api/v1/organizations/{id}/attributes",
        [this](Context& c) -> Result<net::Response> {
            auto ids = split_list(c.query_value("ids").value_or(""));
            PARLEY_TRY_VOID(s_.organizations.remove_attributes(c.me(), c.param("id"), ids));
            return no_content();
        });

    add("GET", "/api/v1/organizations/{id}/groups", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto groups, s_.organizations.list_groups(c.me(), c.param("id")));
        json list = json_array(groups);
        return json_response(200, {{"groups", list}});
    });

    add("POST", "/api/v1/organizations/{id}/groups", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"name", "members", "region",
                                                                      "type", "managed"}));
        PARLEY_TRY_ASSIGN(auto name, body.required_string("name"));
        PARLEY_TRY_ASSIGN(auto type, group_type_choice(body));
        PARLEY_TRY_VOID(service::ConversationService::check_group_type(
            core::Owner::organization(c.param("id")), type));
        return create_group_with_members(c, body, [&] {
            return s_.conversations.create_organization_group(c.me(), c.param("id"), name, type);
        });
    });

    // ---- groups ------------------------------------------------------------------------------
    add("POST", "/api/v1/groups", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"name", "members", "region",
                                                                      "type", "managed"}));
        PARLEY_TRY_ASSIGN(auto name, body.required_string("name"));
        PARLEY_TRY_ASSIGN(auto type, group_type_choice(body));
        PARLEY_TRY_VOID(
            service::ConversationService::check_group_type(core::Owner::private_owner(), type));
        return create_group_with_members(
            c, body, [&] { return s_.conversations.create_group(c.me(), name, type); });
    });

    add("GET", "/api/v1/groups/{id}", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto view, s_.conversations.view(c.me(), c.param("id")));
        if (view.conversation.kind != core::ConversationKind::group) {
            return fail(ErrorKind::not_found, "group_not_found",
                        "No such group; for chats use /api/v1/conversations/{id}.");
        }
        return json_response(200, to_json(view));
    });

    // A group's name and its policy overrides (organization groups), in one request; see
    // docs/openapi.yaml for who may change which.
    add("PATCH", "/api/v1/groups/{id}", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body,
                          JsonBody::parse(c.request.body, {"name", "policies", "type", "managed"}));
        service::GroupPatch patch;
        PARLEY_TRY_ASSIGN(patch.name, body.optional_string("name"));
        PARLEY_TRY_ASSIGN(auto type, body.optional_string("type"));
        if (type) {
            PARLEY_TRY_ASSIGN(patch.type, parse_group_type(*type));
        }
        PARLEY_TRY_ASSIGN(patch.managed, body.optional_bool("managed"));
        PARLEY_TRY_ASSIGN(auto raw_policies, policies_field(body, false));
        if (!raw_policies.is_null()) {
            service::PolicyPatch& p = patch.policies.emplace();
            PARLEY_TRY_ASSIGN(p.restrict_copy, override_change(raw_policies, "restrict_copy"));
            PARLEY_TRY_ASSIGN(p.restrict_share, override_change(raw_policies, "restrict_share"));
            PARLEY_TRY_ASSIGN(p.restrict_forward,
                              override_change(raw_policies, "restrict_forward"));
            PARLEY_TRY_ASSIGN(p.new_members_see_history,
                              override_change(raw_policies, "new_members_see_history"));
            PARLEY_TRY_ASSIGN(p.delete_for_everyone,
                              override_change(raw_policies, "delete_for_everyone"));
            PARLEY_TRY_ASSIGN(p.invite_links, override_change(raw_policies, "invite_links"));
            PARLEY_TRY_ASSIGN(p.require_work_account,
                              override_change(raw_policies, "require_work_account"));
        }
        PARLEY_TRY_ASSIGN(auto view, s_.conversations.update_group(c.me(), c.param("id"), patch));
        return json_response(200, to_json(view));
    });

    add("GET", "/api/v1/groups/{id}/members", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto view, s_.conversations.view(c.me(), c.param("id")));
        json j = member_list_json(view);
        j["members"] = json_array(view.members);
        return json_response(200, j);
    });

    add("POST", "/api/v1/groups/{id}/members", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body,
                          JsonBody::parse(c.request.body, {"phone", "phones", "region", "role"}));
        PARLEY_TRY_ASSIGN(auto phone, body.optional_string("phone"));
        PARLEY_TRY_ASSIGN(auto phones, body.string_array("phones"));
        PARLEY_TRY_ASSIGN(auto region, body.optional_string("region"));
        PARLEY_TRY_ASSIGN(auto role_text, body.optional_string("role"));
        core::MemberRole role = core::MemberRole::member;
        if (role_text) {
            PARLEY_TRY_ASSIGN(role, parse_member_role(*role_text));
        }
        if (phone) phones.insert(phones.begin(), *phone);
        if (phones.empty()) {
            return fail(ErrorKind::invalid, "missing_field",
                        "Field \"phone\" or \"phones\" is required.");
        }
        if (phones.size() > 1000) {
            return fail(ErrorKind::payload_too_large, "too_many_members",
                        "At most 1000 numbers per request.");
        }
        PARLEY_TRY_ASSIGN(auto changes, s_.conversations.add_members(c.me(), c.param("id"), phones,
                                                                     region.value_or(""), role));
        if (phone && phones.size() == 1 && changes.front().error) {
            return std::unexpected(*changes.front().error);
        }
        json j = member_changes(changes);
        return json_response(j["failed"].size() == changes.size() ? 422 : 200, j);
    });

    add("PATCH", "/api/v1/groups/{id}/members/{user_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"role"}));
            PARLEY_TRY_ASSIGN(auto role_text, body.required_string("role"));
            PARLEY_TRY_ASSIGN(auto role, parse_member_role(role_text));
            PARLEY_TRY_VOID(
                s_.conversations.set_role(c.me(), c.param("id"), c.param("user_id"), role));
            return json_response(
                200, {{"user_id", c.param("user_id")}, {"role", core::to_string(role)}});
        });

    add("DELETE", "/api/v1/groups/{id}/members/{user_id}",
        [this](Context& c) -> Result<net::Response> {
            std::string user_id = c.param("user_id") == "me" ? c.me().user.id : c.param("user_id");
            if (user_id == c.me().user.id) {
                PARLEY_TRY_VOID(
                    s_.conversations.leave(c.me(), c.param("id"), c.query_value("successor")));
            } else {
                PARLEY_TRY_VOID(s_.conversations.remove_member(c.me(), c.param("id"), user_id));
            }
            return no_content();
        });

    // ---- hierarchies -------------------------------------------------------------------------
    add("PUT", "/api/v1/groups/{id}/parent", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"parent_id"}));
        PARLEY_TRY_ASSIGN(auto parent_id, body.required_string("parent_id"));
        PARLEY_TRY_ASSIGN(auto change,
                          s_.conversations.link_parent(c.me(), c.param("id"), parent_id));
        return json_response(200, {{"group_id", change.child_id},
                                   {"parent_id", change.parent_id},
                                   {"changed", change.changed}});
    });

    add("DELETE", "/api/v1/groups/{id}/parent", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_VOID(s_.conversations.unlink_parent(c.me(), c.param("id")));
        return no_content();
    });

    add("GET", "/api/v1/groups/{id}/hierarchy", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto tree, s_.conversations.hierarchy(c.me(), c.param("id")));
        json j = to_json(tree);
        j["group_id"] = c.param("id");
        return json_response(200, j);
    });

    add("GET", "/api/v1/groups/{id}/invites", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto invites, s_.conversations.list_invites(c.me(), c.param("id")));
        json list = json_array(invites);
        return json_response(200, {{"invites", list}});
    });

    add("POST", "/api/v1/groups/{id}/invites", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body,
                          JsonBody::parse(c.request.body, {"expires_in_seconds", "max_uses"}));
        service::NewInvite request;
        PARLEY_TRY_ASSIGN(request.expires_in_seconds, body.optional_int("expires_in_seconds"));
        PARLEY_TRY_ASSIGN(request.max_uses, body.optional_int("max_uses"));
        PARLEY_TRY_ASSIGN(auto created,
                          s_.conversations.create_invite(c.me(), c.param("id"), request));
        json j = to_json(created.invite);
        j["token"] = created.token;
        j["path"] = "/api/v1/invites/" + created.token;
        return json_response(201, j);
    });

    add("DELETE", "/api/v1/groups/{id}/invites/{invite_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_VOID(
                s_.conversations.revoke_invite(c.me(), c.param("id"), c.param("invite_id")));
            return no_content();
        });

    add("GET", "/api/v1/invites/{token}", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto preview, s_.conversations.preview_invite(c.param("token")));
        json j = {{"group",
                   {{"id", preview.conversation.id},
                    {"name", preview.conversation.name},
                    {"owner", to_json(preview.conversation.owner)},
                    {"type", core::to_string(preview.conversation.group_type)},
                    {"member_count", preview.member_count}}},
                  {"expires_at", preview.invite.expires_at
                                     ? json(format_rfc3339(*preview.invite.expires_at))
                                     : json(nullptr)},
                  {"revoked", preview.invite.revoked}};
        if (preview.organization) {
            j["group"]["organization"] = {{"id", preview.organization->id},
                                          {"name", preview.organization->name}};
        }
        return json_response(200, j);
    });

    add("POST", "/api/v1/invites/{token}", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto joined, s_.conversations.join(c.me(), c.param("token")));
        json j = to_json(joined.conversation);
        j["already_member"] = joined.already_member;
        return json_response(joined.already_member ? 200 : 201, j);
    });

    add("GET", "/api/v1/groups/{id}/organization", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto view, s_.conversations.view(c.me(), c.param("id")));
        json j = {{"owner", to_json(view.conversation.owner)}};
        if (view.organization)
            j["organization"] = {{"id", view.organization->id}, {"name", view.organization->name}};
        return json_response(200, j);
    });

    add("PUT", "/api/v1/groups/{id}/organization", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"organization_id"}));
        PARLEY_TRY_ASSIGN(auto org_id, body.required_string("organization_id"));
        PARLEY_TRY_ASSIGN(auto group,
                          s_.conversations.add_to_organization(c.me(), c.param("id"), org_id));
        return json_response(200, to_json(group));
    });

    // ---- chats and conversations -------------------------------------------------------------
    add("POST", "/api/v1/chats", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body,
                          JsonBody::parse(c.request.body, {"phone", "region", "organization_id"}));
        service::NewChat request;
        PARLEY_TRY_ASSIGN(request.phone, body.required_string("phone"));
        PARLEY_TRY_ASSIGN(auto region, body.optional_string("region"));
        request.region = region.value_or("");
        PARLEY_TRY_ASSIGN(request.organization_id, body.optional_string("organization_id"));
        PARLEY_TRY_ASSIGN(auto chat, s_.conversations.create_chat(c.me(), request));
        json j = to_json(chat.conversation);
        j["created"] = chat.created;
        if (chat.conversation.owner.is_organization()) {
            j["notice"] = "This is an organization chat: the organization owns its messages.";
        }
        return json_response(chat.created ? 201 : 200, j);
    });

    add("GET", "/api/v1/conversations", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto list, s_.conversations.list(c.me()));
        json items = json_array(list);
        return json_response(200, {{"conversations", items}});
    });

    add("GET", "/api/v1/conversations/{id}", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto view, s_.conversations.view(c.me(), c.param("id")));
        return json_response(200, to_json(view));
    });

    add("GET", "/api/v1/conversations/{id}/messages", [this](Context& c) -> Result<net::Response> {
        store::MessageRange range;
        PARLEY_TRY_ASSIGN(range.after, c.query_int("after"));
        PARLEY_TRY_ASSIGN(range.before, c.query_int("before"));
        PARLEY_TRY_ASSIGN(auto limit, c.query_int("limit"));
        range.limit = static_cast<int>(std::clamp<std::int64_t>(limit.value_or(50), -1, 100000));
        PARLEY_TRY_ASSIGN(auto page, s_.messages.history(c.me(), c.param("id"), range));
        json items = json_array(page.messages);
        return json_response(200, {{"messages", items}, {"has_more", page.has_more}});
    });

    add("POST", "/api/v1/conversations/{id}/messages", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body,
                          JsonBody::parse(c.request.body, {"text", "client_id", "reply_to",
                                                           "forward_of", "attachments"}));
        service::SendMessage request;
        PARLEY_TRY_ASSIGN(request.attachments, body.string_array("attachments"));
        const auto& forward = body.json().value("forward_of", nlohmann::json());
        if (forward.is_null() && request.attachments.empty()) {
            PARLEY_TRY_ASSIGN(request.text, body.required_string("text"));
        } else if (forward.is_null()) {
            PARLEY_TRY_ASSIGN(auto caption, body.optional_string("text"));
            request.text = caption.value_or("");
        } else {
            if (!forward.is_object()) {
                return fail(ErrorKind::bad_request, "wrong_type",
                            "Field \"forward_of\" must be an object: {\"conversation_id\", "
                            "\"message_id\"}.");
            }
            PARLEY_TRY_ASSIGN(auto source,
                              JsonBody::parse(forward.dump(), {"conversation_id", "message_id"}));
            service::ForwardOf& of = request.forward_of.emplace();
            PARLEY_TRY_ASSIGN(of.conversation_id, source.required_string("conversation_id"));
            PARLEY_TRY_ASSIGN(of.message_id, source.required_string("message_id"));
            PARLEY_TRY_ASSIGN(auto text, body.optional_string("text"));
            request.text = text.value_or("");
        }
        PARLEY_TRY_ASSIGN(auto client_id, body.optional_string("client_id"));
        request.client_id = client_id.value_or("");
        PARLEY_TRY_ASSIGN(request.reply_to, body.optional_string("reply_to"));
        PARLEY_TRY_ASSIGN(auto sent, s_.messages.send(c.me(), c.param("id"), request));
        json j = to_json(sent.message);
        j["duplicate"] = sent.duplicate;
        return json_response(sent.duplicate ? 200 : 201, j);
    });

    add("PATCH", "/api/v1/conversations/{id}/messages/{message_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"text"}));
            PARLEY_TRY_ASSIGN(auto text, body.required_string("text"));
            PARLEY_TRY_ASSIGN(auto m,
                              s_.messages.edit(c.me(), c.param("id"), c.param("message_id"), text));
            return json_response(200, to_json(m));
        });

    add("DELETE", "/api/v1/conversations/{id}/messages/{message_id}",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto m,
                              s_.messages.remove(c.me(), c.param("id"), c.param("message_id")));
            return json_response(200, to_json(m));
        });

    add("POST", "/api/v1/conversations/{id}/read", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"seq"}));
        PARLEY_TRY_ASSIGN(auto seq, body.optional_int("seq"));
        if (!seq) return fail(ErrorKind::invalid, "missing_field", "Field \"seq\" is required.");
        PARLEY_TRY_ASSIGN(auto read_seq, s_.messages.mark_read(c.me(), c.param("id"), *seq));
        return json_response(200, {{"conversation_id", c.param("id")}, {"read_seq", read_seq}});
    });

    // The stream itself is a WebSocket upgrade, answered by realtime/ before routing; a plain
    // GET lands here.
    add(
        "GET", "/api/v1/stream",
        [](Context&) -> Result<net::Response> {
            net::Response response = error_response(
                426, "upgrade_required", "Open this endpoint as a WebSocket (Upgrade: websocket).");
            response.headers.push_back({"Upgrade", "websocket"});
            return response;
        },
        false);
    add("POST", "/api/v1/stream/tickets", [this](Context& c) -> Result<net::Response> {
        if (!stream_ticket_issuer_) {
            return fail(ErrorKind::unavailable, "stream_unavailable", "The stream is not served.");
        }
        return json_response(201, {{"ticket", stream_ticket_issuer_(c.me())}, {"expires_in", 30}});
    });

    register_attachments_routes();

    register_reactions_routes();
}

}  // namespace parley::http
