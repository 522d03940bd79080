// Routes of action cards (issue 5): create in a conversation, respond, read, results, close,
// remind, CSV export, checklist items. The JSON shapes are in docs/openapi.yaml; the rules in
// service::CardService and service/card_rules.hpp.

#include <nlohmann/json.hpp>

#include "http/api.hpp"
#include "http/api_context.hpp"
#include "http/json_body.hpp"
#include "http/serialize.hpp"

namespace parley::http {
namespace {

using nlohmann::json;

net::Response json_reply(int status, const json& body) {
    net::Response r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

json response_json(const core::CardResponse& r, const json& answers,
                   const std::optional<core::Id>& responder) {
    return {{"id", r.id},
            {"responder_id", responder ? json(*responder) : json(nullptr)},
            {"answers", answers},
            {"created_at", format_rfc3339(r.created_at)},
            {"updated_at", format_rfc3339(r.updated_at)}};
}

json answers_json(const core::Card& card, const json& spec, const std::string& stored) {
    json answers = json::parse(stored, nullptr, false);
    if (answers.is_discarded()) return nullptr;
    return service::cards::public_answers(card.type, spec, answers);
}

json view_json(const service::CardView& v) {
    json j = to_json(v.card);
    j["spec"] = v.spec;
    j["state"] = core::to_string(v.state);
    j["response_count"] = v.summary ? json(v.card.response_count) : json(nullptr);
    j["summary"] = v.summary ? *v.summary : json(nullptr);
    j["participation"] = v.summary ? json{{"eligible", v.participation.eligible},
                                          {"responded", v.participation.responded}}
                                   : json(nullptr);
    json mine = json::array();
    for (const auto& r : v.mine) {
        mine.push_back(response_json(r, answers_json(v.card, v.spec, r.answers), r.responder_id));
    }
    j["my_responses"] = mine;
    json my_files = json::array();
    for (const auto& a : v.my_attachments) my_files.push_back(to_json(a));
    j["my_attachments"] = std::move(my_files);
    j["can_respond"] = v.can_respond;
    j["reminded_at"] = v.reminded_at ? json(format_rfc3339(*v.reminded_at)) : json(nullptr);
    return j;
}

Result<std::optional<TimestampMs>> due_at_field(const JsonBody& body) {
    PARLEY_TRY_ASSIGN(auto text, body.optional_string("due_at"));
    if (!text) return std::optional<TimestampMs>();
    auto at = parse_rfc3339(*text);
    if (!at) {
        return fail(ErrorKind::invalid, "card_spec_invalid",
                    "due_at must be an RFC 3339 time such as 2026-12-01T17:00:00Z.");
    }
    return at;
}

}  // namespace

void Api::register_cards_routes() {
    add("POST", "/api/v1/conversations/{id}/cards", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(
            auto body,
            JsonBody::parse(c.request.body, {"type", "spec", "anonymous", "results_visibility",
                                             "allow_multiple", "due_at", "attachments"}));
        service::CreateCard request;
        PARLEY_TRY_ASSIGN(auto type, body.required_string("type"));
        auto parsed_type = core::parse_card_type(type);
        if (!parsed_type) {
            return fail(ErrorKind::invalid, "card_spec_invalid",
                        "type must be poll, survey, announcement, job or checklist.");
        }
        request.type = *parsed_type;
        if (!body.has("spec")) {
            return fail(ErrorKind::invalid, "missing_field", "Field \"spec\" is required.");
        }
        request.spec = body.json()["spec"];
        if (!request.spec.is_object()) {
            return fail(ErrorKind::bad_request, "wrong_type", "Field \"spec\" must be an object.");
        }
        PARLEY_TRY_ASSIGN(auto anonymous, body.optional_bool("anonymous"));
        request.anonymous = anonymous.value_or(false);
        PARLEY_TRY_ASSIGN(auto allow_multiple, body.optional_bool("allow_multiple"));
        request.allow_multiple = allow_multiple.value_or(false);
        PARLEY_TRY_ASSIGN(auto visibility, body.optional_string("results_visibility"));
        if (visibility) {
            request.results_visibility = core::parse_results_visibility(*visibility);
            if (!request.results_visibility) {
                return fail(ErrorKind::invalid, "card_spec_invalid",
                            "results_visibility must be \"all\" or \"sender\".");
            }
        }
        PARLEY_TRY_ASSIGN(request.due_at, due_at_field(body));
        PARLEY_TRY_ASSIGN(request.attachments, body.string_array("attachments"));
        PARLEY_TRY_ASSIGN(auto message, s_.cards.create(c.me(), c.param("id"), request));
        json j = to_json(*message.card);
        core::Message plain = message;
        plain.card.reset();
        j["message"] = to_json(plain);
        return json_reply(201, j);
    });

    add("GET", "/api/v1/cards/{id}", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto view, s_.cards.get(c.me(), c.param("id")));
        return json_reply(200, view_json(view));
    });

    add("POST", "/api/v1/cards/{id}/responses", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body,
                          JsonBody::parse(c.request.body, {"answers", "response_id", "done", "item",
                                                           "ticked", "acknowledged"}));
        PARLEY_TRY_ASSIGN(auto response_id, body.optional_string("response_id"));
        PARLEY_TRY_ASSIGN(auto answered,
                          s_.cards.respond(c.me(), c.param("id"), body.json(), response_id));
        const core::Card& card = answered.card;
        json spec = json::parse(card.spec, nullptr, false);
        json j = {
            {"response",
             response_json(answered.response, answers_json(card, spec, answered.response.answers),
                           answered.response.responder_id)},
            {"replaced", answered.replaced},
            {"card",
             {{"id", card.id},
              {"state", core::to_string(answered.state)},
              {"version", card.version},
              {"response_count", answered.summary ? json(card.response_count) : json(nullptr)}}},
            {"summary", answered.summary ? *answered.summary : json(nullptr)}};
        return json_reply(answered.replaced ? 200 : 201, j);
    });

    add("GET", "/api/v1/cards/{id}/responses", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto all, s_.cards.responses(c.me(), c.param("id")));
        json spec = json::parse(all.card.spec, nullptr, false);
        json rows = json::array();
        for (const auto& row : all.responses) {
            rows.push_back(response_json(
                row.response, service::cards::public_answers(all.card.type, spec, row.answers),
                row.responder_id));
        }
        json files = json::array();
        for (const auto& a : all.attachments) {
            json file = to_json(a);
            if (a.uploader_id.empty()) file["uploader_id"] = nullptr;  // an anonymous card's
            files.push_back(std::move(file));
        }
        json j = {{"card_id", all.card.id},
                  {"type", core::to_string(all.card.type)},
                  {"state", core::to_string(all.state)},
                  {"anonymous", all.card.anonymous},
                  {"responses", rows},
                  {"attachments", files}};
        if (all.card.type == core::CardType::announcement) {
            json acknowledged = json::array();
            for (const auto& [user, at] : all.acknowledged) {
                acknowledged.push_back({{"user_id", user}, {"at", format_rfc3339(at)}});
            }
            j["acknowledged"] = acknowledged;
            j["not_acknowledged"] = all.not_acknowledged;
        }
        if (all.card.type == core::CardType::job) {
            json assignees = json::array();
            for (const auto& [user, at] : all.assignees) {
                assignees.push_back({{"user_id", user},
                                     {"done", at.has_value()},
                                     {"done_at", at ? json(format_rfc3339(*at)) : json(nullptr)}});
            }
            j["assignees"] = assignees;
        }
        return json_reply(200, j);
    });

    add("POST", "/api/v1/cards/{id}/close", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_VOID(JsonBody::parse(c.request.body, {}));
        PARLEY_TRY_ASSIGN(auto view, s_.cards.close(c.me(), c.param("id")));
        return json_reply(200, view_json(view));
    });

    add("POST", "/api/v1/cards/{id}/remind", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_VOID(JsonBody::parse(c.request.body, {}));
        PARLEY_TRY_ASSIGN(auto reminded, s_.cards.remind(c.me(), c.param("id")));
        return json_reply(200, {{"reminded", reminded}, {"count", reminded.size()}});
    });

    add("POST", "/api/v1/cards/{id}/items", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto body, JsonBody::parse(c.request.body, {"items"}));
        if (!body.has("items")) {
            return fail(ErrorKind::invalid, "missing_field", "Field \"items\" is required.");
        }
        PARLEY_TRY_ASSIGN(auto view,
                          s_.cards.add_items(c.me(), c.param("id"), body.json()["items"]));
        return json_reply(200, view_json(view));
    });

    add("GET", "/api/v1/cards/{id}/results.csv", [this](Context& c) -> Result<net::Response> {
        PARLEY_TRY_ASSIGN(auto file, s_.cards.results_csv(c.me(), c.param("id")));
        net::Response r;
        r.content_type = "text/csv; charset=utf-8";
        r.headers.push_back(
            {"Content-Disposition", "attachment; filename=\"" + file.file_name + "\""});
        r.body = std::move(file.bytes);
        return r;
    });
}

}  // namespace parley::http
