#pragma once
// The rules of action cards as pure functions over JSON documents: what a card's spec may say
// (normalized on the way in), what a response must hold for its card, and how one response
// changes the card's summary. No I/O: CardService gathers facts and stores; these decide the
// content. Every refusal names the field or the question. Thread-safe (stateless).
//
// Specs (as clients send them and as they are stored):
//   poll          {"question", "choices": ["…", …]}                          2–20 choices
//   survey        {"title", "questions": [{"title", "type", "mandatory", "choices"}]}
//                 type: single_choice, multiple_choice, text, number, date_time, location,
//                 attachment; choices for the choice types only
//   announcement  {"title", "text"}
//   job           {"title", "text"?, "assignees": [user ids]}
//   checklist     {"title", "items": ["…", …]}
// Responses (the request body's fields; stored normalized):
//   poll, survey  {"answers": [one per question: index | [indexes] | "text" | number |
//                  "RFC 3339 time" | {"latitude","longitude","name"?} | "attachment id" |
//                  null for an optional question left out]}     (a poll has one question)
//   announcement  {"acknowledged": true}                         (or an empty body)
//   job           {"done": true|false}
//   checklist     {"item": index, "ticked": true|false}
// Summary: {"responses", "responders", and per type "questions" (counts per choice; count,
// sum, min, max for numbers; count, min, max for times; count otherwise), "acknowledged",
// "done" (assignee → when), "items" ([{"ticked","by","at"}])}.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/types.hpp"

namespace parley::service::cards {

using nlohmann::json;

constexpr std::size_t kMaxChoices = 20;
constexpr std::size_t kMaxQuestions = 50;
constexpr std::size_t kMaxItems = 100;
constexpr std::size_t kMaxAssignees = 100;
constexpr std::size_t kMaxTitleChars = 300;
constexpr std::size_t kMaxTextChars = 4000;
constexpr std::size_t kMaxAttachmentIdChars = 200;

struct CardOptions {
    bool anonymous = false;
    core::ResultsVisibility results_visibility = core::ResultsVisibility::all;
    bool allow_multiple = false;
    std::optional<TimestampMs> due_at;
};

// The spec as stored, or invalid "card_spec_invalid" naming the field.
Result<json> normalize_spec(core::CardType type, const json& spec);
// The options a type admits (anonymous and allow_multiple where they mean something, a due
// time in the future), with each type's default visibility filled in where none was asked:
// `visibility_given` says whether the client chose one.
Result<CardOptions> check_options(core::CardType type, CardOptions options, bool visibility_given,
                                  TimestampMs now);
// The summary of a card nobody has answered yet.
json initial_summary(core::CardType type, const json& spec);
// The card's one-line title: the message's text, for clients that do not know cards.
std::string title_of(core::CardType type, const json& spec);
// A job's assignees (empty for other types).
std::vector<core::Id> assignees_of(const json& spec);

// The response as stored, or invalid "answer_invalid" / "unknown_choice" / "answer_required"
// naming the question (or field), for a body holding the fields above.
Result<json> normalize_response(core::CardType type, const json& spec, const json& body);
// The attachment ids a normalized response gives as answers (surveys' attachment questions),
// in question order.
std::vector<core::Id> attachment_answers(core::CardType type, const json& spec,
                                         const json& answers);
// What a new response replaces (see core::CardResponse::slot).
std::string slot_for(core::CardType type, const json& answers, const core::Id& responder,
                     const core::Id& response_id, bool allow_multiple);

// The summary after one response: `previous` is the answers it replaces (nullopt for a new
// one), `first_from_responder` whether the responder had no response before. O(size of the
// summary), never of the number of responses.
json apply_response(core::CardType type, const json& spec, json summary,
                    const std::optional<json>& previous, const json& answers,
                    bool first_from_responder, const core::Id& responder, TimestampMs at);

// Stored answers as clients see them (times as RFC 3339, like everything the API returns).
json public_answers(core::CardType type, const json& spec, const json& answers);

// The summary as clients see it (internal tallies left out).
json public_summary(core::CardType type, const json& summary);

// Appends items to a checklist: the new spec and summary, or card_spec_invalid.
Result<std::pair<json, json>> add_checklist_items(const json& spec, json summary,
                                                  const json& items);

// The results file: one header, then one row per response. Anonymous cards leave the
// responder column out.
std::vector<std::string> csv_header(core::CardType type, const json& spec, bool anonymous);
std::vector<std::string> csv_row(core::CardType type, const json& spec, bool anonymous,
                                 const core::CardResponse& response, const json& answers,
                                 const std::string& responder_label);

}  // namespace parley::service::cards
