#include "service/card_rules.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "service/text.hpp"

namespace parley::service::cards {
namespace {

using core::CardType;

std::unexpected<Error> spec_invalid(const std::string& message) {
    return fail(ErrorKind::invalid, "card_spec_invalid", message);
}

// A required, non-blank string of at most max characters at spec[field].
Result<std::string> spec_text(const json& spec, const std::string& field, const std::string& name,
                              std::size_t max, bool required = true) {
    auto it = spec.find(field);
    if (it == spec.end() || it->is_null()) {
        if (!required) return std::string();
        return spec_invalid(name + " is required.");
    }
    if (!it->is_string()) return spec_invalid(name + " must be a string.");
    const std::string value = trim(it->get<std::string>());
    auto length = utf8_length(value);
    if (!length) return spec_invalid(name + " must be UTF-8 text.");
    if (required && value.empty()) return spec_invalid(name + " cannot be empty.");
    if (*length > max) {
        return spec_invalid(name + " holds at most " + std::to_string(max) + " characters.");
    }
    return value;
}

// A list of distinct non-blank strings (choices, items) of min..max entries.
Result<json> text_list(const json& spec, const std::string& field, const std::string& name,
                       std::size_t min, std::size_t max) {
    auto it = spec.find(field);
    if (it == spec.end() || !it->is_array()) {
        return spec_invalid(name + " must be an array of strings.");
    }
    if (it->size() < min || it->size() > max) {
        return spec_invalid(name + " needs " + std::to_string(min) + " to " + std::to_string(max) +
                            " entries; it has " + std::to_string(it->size()) + ".");
    }
    json out = json::array();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < it->size(); ++i) {
        json holder = {{"v", (*it)[i]}};
        PARLEY_TRY_ASSIGN(auto text, spec_text(holder, "v", name + "[" + std::to_string(i) + "]",
                                               kMaxTitleChars));
        if (!seen.insert(text).second) {
            return spec_invalid(name + "[" + std::to_string(i) + "] repeats \"" + text + "\".");
        }
        out.push_back(text);
    }
    return out;
}

Result<void> only_fields(const json& spec, std::initializer_list<const char*> fields,
                         const std::string& prefix = "spec") {
    for (const auto& [key, value] : spec.items()) {
        if (std::none_of(fields.begin(), fields.end(), [&](const char* f) { return key == f; })) {
            return spec_invalid(prefix + "." + key + " is not a field of this card type.");
        }
    }
    return ok();
}

constexpr const char* kQuestionTypes[] = {"single_choice", "multiple_choice", "text",      "number",
                                          "date_time",     "location",        "attachment"};

bool is_choice(const std::string& type) {
    return type == "single_choice" || type == "multiple_choice";
}

Result<json> normalize_question(const json& q, std::size_t index) {
    const std::string name = "questions[" + std::to_string(index) + "]";
    if (!q.is_object()) return spec_invalid(name + " must be an object.");
    PARLEY_TRY_VOID(only_fields(q, {"title", "type", "mandatory", "choices"}, name));
    PARLEY_TRY_ASSIGN(auto title, spec_text(q, "title", name + ".title", kMaxTitleChars));
    auto type_it = q.find("type");
    if (type_it == q.end() || !type_it->is_string() ||
        std::none_of(std::begin(kQuestionTypes), std::end(kQuestionTypes),
                     [&](const char* t) { return *type_it == t; })) {
        return spec_invalid(name +
                            ".type must be one of single_choice, multiple_choice, text, number, "
                            "date_time, location, attachment.");
    }
    const std::string type = *type_it;
    bool mandatory = false;
    if (auto m = q.find("mandatory"); m != q.end() && !m->is_null()) {
        if (!m->is_boolean()) return spec_invalid(name + ".mandatory must be true or false.");
        mandatory = m->get<bool>();
    }
    json out = {{"title", title}, {"type", type}, {"mandatory", mandatory}};
    if (is_choice(type)) {
        PARLEY_TRY_ASSIGN(out["choices"],
                          text_list(q, "choices", name + ".choices", 2, kMaxChoices));
    } else if (q.contains("choices")) {
        return spec_invalid(name + ".choices is only for single_choice and multiple_choice.");
    }
    return out;
}

std::unexpected<Error> answer_invalid(const std::string& code, std::size_t index, const json& q,
                                      const std::string& what) {
    std::string title = q.value("title", "");
    return fail(ErrorKind::invalid, code,
                "Answer " + std::to_string(index) + " (\"" + title + "\"): " + what);
}

// One answer of a poll or survey, normalized; null when left out (optional questions only).
Result<json> normalize_answer(const json& q, std::size_t index, const json& a) {
    const std::string type = q["type"];
    if (a.is_null()) {
        if (q.value("mandatory", false)) {
            return answer_invalid("answer_required", index, q, "this question must be answered.");
        }
        return json(nullptr);
    }
    const auto choice_count = q.contains("choices") ? q["choices"].size() : 0;
    auto choice_index = [&](const json& v) -> Result<std::int64_t> {
        if (!v.is_number_integer()) {
            return answer_invalid("answer_invalid", index, q,
                                  "give the index of a choice (0 for the first).");
        }
        std::int64_t i = v.get<std::int64_t>();
        if (i < 0 || i >= static_cast<std::int64_t>(choice_count)) {
            return answer_invalid("unknown_choice", index, q,
                                  "there is no choice " + std::to_string(i) +
                                      "; choices are 0 to " + std::to_string(choice_count - 1) +
                                      ".");
        }
        return i;
    };
    if (type == "single_choice") {
        PARLEY_TRY_ASSIGN(auto i, choice_index(a));
        return json(i);
    }
    if (type == "multiple_choice") {
        if (!a.is_array() || a.empty()) {
            return answer_invalid("answer_invalid", index, q,
                                  "give a non-empty array of choice indexes.");
        }
        std::set<std::int64_t> picked;
        for (const auto& v : a) {
            PARLEY_TRY_ASSIGN(auto i, choice_index(v));
            if (!picked.insert(i).second) {
                return answer_invalid("answer_invalid", index, q,
                                      "choice " + std::to_string(i) + " is given twice.");
            }
        }
        return json(std::vector<std::int64_t>(picked.begin(), picked.end()));
    }
    if (type == "text") {
        if (!a.is_string()) return answer_invalid("answer_invalid", index, q, "give text.");
        std::string text = trim(a.get<std::string>());
        auto length = utf8_length(text);
        if (!length || text.empty() || *length > kMaxTextChars) {
            return answer_invalid("answer_invalid", index, q,
                                  "give 1 to 4000 characters of UTF-8 text.");
        }
        return json(text);
    }
    if (type == "number") {
        if (!a.is_number() || !std::isfinite(a.get<double>())) {
            return answer_invalid("answer_invalid", index, q, "give a number.");
        }
        return a;
    }
    if (type == "date_time") {
        auto at = a.is_string() ? parse_rfc3339(a.get<std::string>()) : std::nullopt;
        if (!at) {
            return answer_invalid("answer_invalid", index, q,
                                  "give an RFC 3339 time such as 2026-11-26T09:00:00Z.");
        }
        return json(*at);
    }
    if (type == "location") {
        auto number_in = [&](const char* field, double limit) {
            auto it = a.find(field);
            return it != a.end() && it->is_number() && std::isfinite(it->get<double>()) &&
                   std::fabs(it->get<double>()) <= limit;
        };
        if (!a.is_object() || !number_in("latitude", 90) || !number_in("longitude", 180)) {
            return answer_invalid("answer_invalid", index, q,
                                  "give {\"latitude\": -90…90, \"longitude\": -180…180, "
                                  "\"name\": optional text}.");
        }
        json out = {{"latitude", a["latitude"]}, {"longitude", a["longitude"]}};
        for (const auto& [key, value] : a.items()) {
            if (key == "latitude" || key == "longitude") continue;
            auto length = value.is_string() ? utf8_length(value.get<std::string>()) : std::nullopt;
            if (key != "name" || !length || *length > kMaxTitleChars) {
                return answer_invalid("answer_invalid", index, q,
                                      "a location holds latitude, longitude and an optional name "
                                      "of at most 300 characters.");
            }
            out["name"] = value;
        }
        return out;
    }
    // attachment: the id of an uploaded attachment; attachments are checked where they live.
    if (!a.is_string() || trim(a.get<std::string>()).empty() ||
        a.get<std::string>().size() > kMaxAttachmentIdChars) {
        return answer_invalid("answer_invalid", index, q, "give an attachment id.");
    }
    return a;
}

// Questions of a poll or survey in one shape.
json questions_of(CardType type, const json& spec) {
    if (type == CardType::poll) {
        return json::array({{{"title", spec["question"]},
                             {"type", "single_choice"},
                             {"mandatory", true},
                             {"choices", spec["choices"]}}});
    }
    return spec.value("questions", json::array());
}

json question_tally(const json& q) {
    const std::string type = q["type"];
    json t = {{"answered", 0}};
    if (is_choice(type)) t["counts"] = std::vector<std::int64_t>(q["choices"].size(), 0);
    if (type == "number") t["sum"] = 0;
    if (type == "number" || type == "date_time") t["values"] = json::object();
    return t;
}

// Adds (sign 1) or takes back (sign -1) one answer's contribution to its question's tally.
void tally(json& t, const json& q, const json& answer, int sign) {
    if (answer.is_null()) return;
    const std::string type = q["type"];
    t["answered"] = t["answered"].get<std::int64_t>() + sign;
    if (type == "single_choice") {
        auto& c = t["counts"][answer.get<std::size_t>()];
        c = c.get<std::int64_t>() + sign;
    } else if (type == "multiple_choice") {
        for (const auto& i : answer) {
            auto& c = t["counts"][i.get<std::size_t>()];
            c = c.get<std::int64_t>() + sign;
        }
    } else if (type == "number" || type == "date_time") {
        if (type == "number") t["sum"] = t["sum"].get<double>() + sign * answer.get<double>();
        // A count per distinct value keeps min and max exact when an answer is replaced.
        auto& values = t["values"];
        const std::string key = answer.dump();
        std::int64_t n = values.value(key, std::int64_t{0}) + sign;
        if (n <= 0) {
            values.erase(key);
        } else {
            values[key] = n;
        }
    }
}

json normalized_ms_or_number(const std::string& key, bool time) {
    if (time) return json(std::stoll(key));
    return json::parse(key);
}

}  // namespace

Result<json> normalize_spec(CardType type, const json& spec) {
    if (!spec.is_object()) return spec_invalid("spec must be an object.");
    switch (type) {
        case CardType::poll: {
            PARLEY_TRY_VOID(only_fields(spec, {"question", "choices"}));
            PARLEY_TRY_ASSIGN(auto question,
                              spec_text(spec, "question", "spec.question", kMaxTitleChars));
            PARLEY_TRY_ASSIGN(auto choices,
                              text_list(spec, "choices", "spec.choices", 2, kMaxChoices));
            return json{{"question", question}, {"choices", choices}};
        }
        case CardType::survey: {
            PARLEY_TRY_VOID(only_fields(spec, {"title", "questions"}));
            PARLEY_TRY_ASSIGN(auto title, spec_text(spec, "title", "spec.title", kMaxTitleChars));
            auto it = spec.find("questions");
            if (it == spec.end() || !it->is_array() || it->empty() || it->size() > kMaxQuestions) {
                return spec_invalid("spec.questions must be an array of 1 to 50 questions.");
            }
            json questions = json::array();
            for (std::size_t i = 0; i < it->size(); ++i) {
                PARLEY_TRY_ASSIGN(auto q, normalize_question((*it)[i], i));
                questions.push_back(std::move(q));
            }
            return json{{"title", title}, {"questions", questions}};
        }
        case CardType::announcement: {
            PARLEY_TRY_VOID(only_fields(spec, {"title", "text"}));
            PARLEY_TRY_ASSIGN(auto title, spec_text(spec, "title", "spec.title", kMaxTitleChars));
            PARLEY_TRY_ASSIGN(auto text, spec_text(spec, "text", "spec.text", kMaxTextChars));
            return json{{"title", title}, {"text", text}};
        }
        case CardType::job: {
            PARLEY_TRY_VOID(only_fields(spec, {"title", "text", "assignees"}));
            PARLEY_TRY_ASSIGN(auto title, spec_text(spec, "title", "spec.title", kMaxTitleChars));
            PARLEY_TRY_ASSIGN(auto text,
                              spec_text(spec, "text", "spec.text", kMaxTextChars, false));
            auto it = spec.find("assignees");
            if (it == spec.end() || !it->is_array() || it->empty() || it->size() > kMaxAssignees) {
                return spec_invalid("spec.assignees must be an array of 1 to 100 user ids.");
            }
            std::set<std::string> seen;
            json assignees = json::array();
            for (std::size_t i = 0; i < it->size(); ++i) {
                const auto& a = (*it)[i];
                if (!a.is_string() || a.get<std::string>().empty() ||
                    a.get<std::string>().size() > 100) {
                    return spec_invalid("spec.assignees[" + std::to_string(i) +
                                        "] must be a user id.");
                }
                if (seen.insert(a.get<std::string>()).second) assignees.push_back(a);
            }
            json out = {{"title", title}, {"assignees", assignees}};
            if (!text.empty()) out["text"] = text;
            return out;
        }
        case CardType::checklist: {
            PARLEY_TRY_VOID(only_fields(spec, {"title", "items"}));
            PARLEY_TRY_ASSIGN(auto title, spec_text(spec, "title", "spec.title", kMaxTitleChars));
            PARLEY_TRY_ASSIGN(auto items, text_list(spec, "items", "spec.items", 1, kMaxItems));
            return json{{"title", title}, {"items", items}};
        }
    }
    return spec_invalid("Unknown card type.");
}

Result<CardOptions> check_options(CardType type, CardOptions options, bool visibility_given,
                                  TimestampMs now) {
    const bool answers = type == CardType::poll || type == CardType::survey;
    if (options.anonymous && !answers) {
        return spec_invalid("anonymous applies to polls and surveys only.");
    }
    if (options.allow_multiple && type != CardType::survey) {
        return spec_invalid("allow_multiple applies to surveys only.");
    }
    if (type == CardType::checklist) {
        if (visibility_given && options.results_visibility != core::ResultsVisibility::all) {
            return spec_invalid(
                "results_visibility of a checklist is always \"all\": everyone ticks its items.");
        }
        options.results_visibility = core::ResultsVisibility::all;
    } else if (!visibility_given) {
        // Announcements and jobs report to their sender (Kaizala: "the sender sees who has").
        options.results_visibility =
            answers ? core::ResultsVisibility::all : core::ResultsVisibility::sender;
    }
    if (options.due_at && *options.due_at <= now) {
        return spec_invalid("due_at must be in the future.");
    }
    return options;
}

json initial_summary(CardType type, const json& spec) {
    json s = {{"responses", 0}, {"responders", 0}};
    switch (type) {
        case CardType::poll:
        case CardType::survey: {
            json tallies = json::array();
            for (const auto& q : questions_of(type, spec)) tallies.push_back(question_tally(q));
            s["questions"] = tallies;
            break;
        }
        case CardType::announcement:
            s["acknowledged"] = 0;
            break;
        case CardType::job:
            s["done"] = json::object();
            break;
        case CardType::checklist: {
            json items = json::array();
            for (std::size_t i = 0; i < spec["items"].size(); ++i) {
                items.push_back({{"ticked", false}, {"by", nullptr}, {"at", nullptr}});
            }
            s["items"] = items;
            s["ticked"] = 0;
            break;
        }
    }
    return s;
}

std::string title_of(CardType type, const json& spec) {
    return type == CardType::poll ? spec.value("question", "") : spec.value("title", "");
}

std::vector<core::Id> assignees_of(const json& spec) {
    std::vector<core::Id> out;
    if (auto it = spec.find("assignees"); it != spec.end() && it->is_array()) {
        for (const auto& a : *it) out.push_back(a.get<std::string>());
    }
    return out;
}

Result<json> normalize_response(CardType type, const json& spec, const json& body) {
    auto refuse = [](const std::string& message) {
        return fail(ErrorKind::invalid, "answer_invalid", message);
    };
    auto allowed_only = [&](std::initializer_list<const char*> fields,
                            const char* expected) -> Result<void> {
        for (const auto& [key, value] : body.items()) {
            if (key == "response_id") continue;
            if (std::none_of(fields.begin(), fields.end(),
                             [&](const char* f) { return key == f; })) {
                return refuse("\"" + key + "\" is not part of a response to this card; send " +
                              expected + ".");
            }
        }
        return ok();
    };
    switch (type) {
        case CardType::poll:
        case CardType::survey: {
            PARLEY_TRY_VOID(allowed_only({"answers"}, "{\"answers\": [one per question]}"));
            const json questions = questions_of(type, spec);
            auto it = body.find("answers");
            if (it == body.end() || !it->is_array()) {
                return refuse("\"answers\" must be an array with one answer per question (" +
                              std::to_string(questions.size()) + ").");
            }
            if (it->size() != questions.size()) {
                return refuse("\"answers\" has " + std::to_string(it->size()) +
                              " entries; the card has " + std::to_string(questions.size()) +
                              " question(s). Use null for an optional question left out.");
            }
            json answers = json::array();
            bool any = false;
            for (std::size_t i = 0; i < questions.size(); ++i) {
                PARLEY_TRY_ASSIGN(auto a, normalize_answer(questions[i], i, (*it)[i]));
                any = any || !a.is_null();
                answers.push_back(std::move(a));
            }
            if (!any) return refuse("A response answers at least one question.");
            return json{{"answers", answers}};
        }
        case CardType::announcement: {
            PARLEY_TRY_VOID(allowed_only({"acknowledged"}, "{\"acknowledged\": true}"));
            if (auto it = body.find("acknowledged"); it != body.end() && *it != json(true)) {
                return refuse("\"acknowledged\" can only be true: an acknowledgement stands.");
            }
            return json{{"acknowledged", true}};
        }
        case CardType::job: {
            PARLEY_TRY_VOID(allowed_only({"done"}, "{\"done\": true or false}"));
            auto it = body.find("done");
            if (it == body.end() || !it->is_boolean()) {
                return refuse("A job's response is {\"done\": true or false}.");
            }
            return json{{"done", it->get<bool>()}};
        }
        case CardType::checklist: {
            PARLEY_TRY_VOID(
                allowed_only({"item", "ticked"}, "{\"item\": index, \"ticked\": bool}"));
            auto item = body.find("item");
            auto ticked = body.find("ticked");
            if (item == body.end() || !item->is_number_integer() || ticked == body.end() ||
                !ticked->is_boolean()) {
                return refuse("A checklist response is {\"item\": index, \"ticked\": true|false}.");
            }
            std::int64_t i = item->get<std::int64_t>();
            if (i < 0 || i >= static_cast<std::int64_t>(spec["items"].size())) {
                return fail(ErrorKind::invalid, "unknown_item",
                            "The checklist has no item " + std::to_string(i) + "; items are 0 to " +
                                std::to_string(spec["items"].size() - 1) + ".");
            }
            return json{{"item", i}, {"ticked", ticked->get<bool>()}};
        }
    }
    return refuse("Unknown card type.");
}

std::vector<core::Id> attachment_answers(CardType type, const json& spec, const json& answers) {
    std::vector<core::Id> ids;
    if (type != CardType::survey) return ids;
    const json questions = questions_of(type, spec);
    const json& given = answers["answers"];
    for (std::size_t i = 0; i < questions.size() && i < given.size(); ++i) {
        if (questions[i]["type"] == "attachment" && given[i].is_string()) {
            ids.push_back(given[i].get<std::string>());
        }
    }
    return ids;
}

std::string slot_for(CardType type, const json& answers, const core::Id& responder,
                     const core::Id& response_id, bool allow_multiple) {
    if (type == CardType::checklist) return "item:" + answers["item"].dump();
    if (allow_multiple) return "response:" + response_id;
    return "responder:" + responder;
}

json apply_response(CardType type, const json& spec, json s, const std::optional<json>& previous,
                    const json& answers, bool first_from_responder, const core::Id& responder,
                    TimestampMs at) {
    if (!previous) s["responses"] = s["responses"].get<std::int64_t>() + 1;
    if (first_from_responder) s["responders"] = s["responders"].get<std::int64_t>() + 1;
    switch (type) {
        case CardType::poll:
        case CardType::survey: {
            const json questions = questions_of(type, spec);
            for (std::size_t i = 0; i < questions.size(); ++i) {
                auto& t = s["questions"][i];
                if (previous) tally(t, questions[i], (*previous)["answers"][i], -1);
                tally(t, questions[i], answers["answers"][i], 1);
            }
            break;
        }
        case CardType::announcement:
            if (!previous) s["acknowledged"] = s["acknowledged"].get<std::int64_t>() + 1;
            break;
        case CardType::job:
            if (answers["done"].get<bool>()) {
                if (!s["done"].contains(responder)) s["done"][responder] = at;
            } else {
                s["done"].erase(responder);
            }
            break;
        case CardType::checklist: {
            auto& item = s["items"][answers["item"].get<std::size_t>()];
            const bool was = item["ticked"].get<bool>();
            const bool now = answers["ticked"].get<bool>();
            item = {{"ticked", now}, {"by", responder}, {"at", at}};
            if (was != now) s["ticked"] = s["ticked"].get<std::int64_t>() + (now ? 1 : -1);
            break;
        }
    }
    return s;
}

json public_answers(CardType type, const json& spec, const json& answers) {
    if (type != CardType::poll && type != CardType::survey) return answers;
    json out = answers;
    const json questions = questions_of(type, spec);
    for (std::size_t i = 0; i < questions.size() && i < out["answers"].size(); ++i) {
        auto& a = out["answers"][i];
        if (questions[i]["type"] == "date_time" && a.is_number_integer()) {
            a = format_rfc3339(a.get<std::int64_t>());
        }
    }
    return out;
}

json public_summary(CardType type, const json& summary) {
    json out = summary;
    auto as_time = [](json& at) {
        if (at.is_number_integer()) at = format_rfc3339(at.get<std::int64_t>());
    };
    if (type == CardType::job) {
        for (auto& [user, at] : out["done"].items()) as_time(at);
    }
    if (type == CardType::checklist) {
        for (auto& item : out["items"]) as_time(item["at"]);
    }
    if (type != CardType::poll && type != CardType::survey) return out;
    for (auto& t : out["questions"]) {
        auto values = t.find("values");
        if (values == t.end()) continue;
        const bool time = !t.contains("sum");
        json min = nullptr, max = nullptr;
        for (const auto& [key, count] : values->items()) {
            json v = normalized_ms_or_number(key, time);
            if (min.is_null() || v.get<double>() < min.get<double>()) min = v;
            if (max.is_null() || v.get<double>() > max.get<double>()) max = v;
        }
        if (time) {
            t["min"] = min.is_null() ? min : json(format_rfc3339(min.get<std::int64_t>()));
            t["max"] = max.is_null() ? max : json(format_rfc3339(max.get<std::int64_t>()));
        } else {
            t["min"] = min;
            t["max"] = max;
        }
        t.erase("values");
    }
    return out;
}

Result<std::pair<json, json>> add_checklist_items(const json& spec, json summary,
                                                  const json& items) {
    json holder = {{"items", items}};
    PARLEY_TRY_ASSIGN(auto added, text_list(holder, "items", "items", 1, kMaxItems));
    json next = spec;
    std::set<std::string> existing(spec["items"].begin(), spec["items"].end());
    for (const auto& item : added) {
        if (existing.contains(item.get<std::string>())) {
            return spec_invalid("The checklist already has the item \"" + item.get<std::string>() +
                                "\".");
        }
        next["items"].push_back(item);
        summary["items"].push_back({{"ticked", false}, {"by", nullptr}, {"at", nullptr}});
    }
    if (next["items"].size() > kMaxItems) {
        return spec_invalid("A checklist holds at most 100 items.");
    }
    return std::pair{next, summary};
}

namespace {

std::string cell_of(const json& q, const json& a) {
    if (a.is_null()) return "";
    const std::string type = q["type"];
    if (type == "single_choice") return q["choices"][a.get<std::size_t>()];
    if (type == "multiple_choice") {
        std::string out;
        for (const auto& i : a) {
            if (!out.empty()) out += "; ";
            out += q["choices"][i.get<std::size_t>()].get<std::string>();
        }
        return out;
    }
    if (type == "date_time") return format_rfc3339(a.get<std::int64_t>());
    if (type == "location") {
        std::string out = a["latitude"].dump() + "," + a["longitude"].dump();
        if (a.contains("name")) out += " " + a["name"].get<std::string>();
        return out;
    }
    if (a.is_string()) return a.get<std::string>();
    return a.dump();
}

}  // namespace

std::vector<std::string> csv_header(CardType type, const json& spec, bool anonymous) {
    std::vector<std::string> header;
    if (!anonymous) header.push_back("Responder");
    header.push_back("Responded At");
    switch (type) {
        case CardType::poll:
        case CardType::survey:
            for (const auto& q : questions_of(type, spec)) header.push_back(q["title"]);
            break;
        case CardType::announcement:
            header.push_back("Acknowledged");
            break;
        case CardType::job:
            header.push_back("Done");
            break;
        case CardType::checklist:
            header.push_back("Item");
            header.push_back("Ticked");
            break;
    }
    return header;
}

std::vector<std::string> csv_row(CardType type, const json& spec, bool anonymous,
                                 const core::CardResponse& response, const json& answers,
                                 const std::string& responder_label) {
    std::vector<std::string> row;
    if (!anonymous) row.push_back(responder_label);
    row.push_back(format_rfc3339(response.updated_at));
    switch (type) {
        case CardType::poll:
        case CardType::survey: {
            const json questions = questions_of(type, spec);
            for (std::size_t i = 0; i < questions.size(); ++i) {
                row.push_back(cell_of(questions[i], answers["answers"][i]));
            }
            break;
        }
        case CardType::announcement:
            row.push_back("yes");
            break;
        case CardType::job:
            row.push_back(answers["done"].get<bool>() ? "yes" : "no");
            break;
        case CardType::checklist:
            row.push_back(spec["items"][answers["item"].get<std::size_t>()]);
            row.push_back(answers["ticked"].get<bool>() ? "yes" : "no");
            break;
    }
    return row;
}

}  // namespace parley::service::cards
