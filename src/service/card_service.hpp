#pragma once
// Action cards (issue 5): create a card as a message of its conversation, respond (one
// response per person, updated in place, or several where the card allows), read the card
// and its results as the caller may see them, close, remind, export the results as CSV, and
// expire cards past their due time. Access gathers the facts, authz/ decides
// (authz::CardAction), service/card_rules.hpp holds the content rules, and the store keeps the
// summary in each response's transaction. Publishes card.updated and card.reminder.
// Thread-safe.

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/attachment_service.hpp"
#include "service/card_rules.hpp"
#include "service/events.hpp"

namespace parley::service {

struct CreateCard {
    core::CardType type = core::CardType::poll;
    nlohmann::json spec;
    bool anonymous = false;
    std::optional<core::ResultsVisibility> results_visibility;  // unset: the type's default
    bool allow_multiple = false;
    std::optional<TimestampMs> due_at;
    // The caller's unsent uploads to the conversation: an announcement's media (seed 004's
    // announcement carries pictures, documents, audio and video like a message does).
    std::vector<core::Id> attachments;
};

// How many of the people who can respond now have responded.
struct Participation {
    std::int64_t eligible = 0;   // the readers of the conversation (a job: its assignees)
    std::int64_t responded = 0;  // distinct responders among them, per the summary
};

// A card as one caller sees it.
struct CardView {
    core::Card card;
    core::CardState state = core::CardState::active;  // as of now
    nlohmann::json spec;
    std::optional<nlohmann::json> summary;  // when the caller may view results
    Participation participation;
    std::vector<core::CardResponse> mine;  // the caller's own responses
    // Surveys: the files the caller's own responses answer with, so that they can see which.
    std::vector<core::Attachment> my_attachments;
    bool can_respond = false;
    std::optional<TimestampMs> reminded_at;  // when the caller was last reminded
};

struct ResponseRow {
    core::CardResponse response;
    nlohmann::json answers;
    std::optional<core::Id> responder_id;  // unset on anonymous cards
};

// Everyone's responses as the caller may see them, with per-type status lists.
struct CardResponses {
    core::Card card;
    core::CardState state = core::CardState::active;
    std::vector<ResponseRow> responses;
    // Surveys: the files the responses answer with, so that they can be shown where they are
    // (in page, even where the conversation restricts sharing) rather than only downloaded.
    // On anonymous cards uploader_id is empty: it would name the responder.
    std::vector<core::Attachment> attachments;
    // Announcements: who acknowledged (with when) and who has not, among those who can.
    std::vector<std::pair<core::Id, TimestampMs>> acknowledged;
    std::vector<core::Id> not_acknowledged;
    // Jobs: each assignee with when they marked it done, if they have.
    std::vector<std::pair<core::Id, std::optional<TimestampMs>>> assignees;
};

// What a response returns: kept light (no member list read), since polls take many at once.
struct CardAnswered {
    core::CardResponse response;
    bool replaced = false;
    core::Card card;  // after the response (spec and summary as stored)
    core::CardState state = core::CardState::active;
    std::optional<nlohmann::json> summary;  // when the caller may view results
};

struct CardCsv {
    std::string file_name;
    std::string bytes;
};

constexpr std::int64_t kReminderIntervalMs = 10 * 60 * 1000;

class CardService {
public:
    // attachments: null on a server that keeps no files (announcements then carry none).
    CardService(store::Store& store, Access& access, EventSink& events, const Clock& clock,
                AttachmentService* attachments)
        : store_(store),
          access_(access),
          events_(events),
          clock_(clock),
          attachments_(attachments) {}

    Result<core::Message> create(const Caller& caller, const core::Id& conversation_id,
                                 const CreateCard& request);
    Result<CardView> get(const Caller& caller, const core::Id& card_id);
    // body: the request's fields (see card_rules.hpp); response_id: the caller's response to
    // update on a card that takes several.
    Result<CardAnswered> respond(const Caller& caller, const core::Id& card_id,
                                 const nlohmann::json& body,
                                 const std::optional<core::Id>& response_id);
    Result<CardResponses> responses(const Caller& caller, const core::Id& card_id);
    Result<CardView> close(const Caller& caller, const core::Id& card_id);
    // Returns the people reminded.
    Result<std::vector<core::Id>> remind(const Caller& caller, const core::Id& card_id);
    Result<CardCsv> results_csv(const Caller& caller, const core::Id& card_id);
    Result<CardView> add_items(const Caller& caller, const core::Id& card_id,
                               const nlohmann::json& items);
    // Whether the caller may see the card's responses (and so their attachment answers).
    Result<bool> responses_visible(const Caller& caller, const core::Id& card_id);
    // Stores "expired" on cards past their due time and announces them; returns how many.
    Result<std::int64_t> expire_due();

private:
    struct Loaded {
        core::Card card;
        nlohmann::json spec;
        ConversationAccess access;
        authz::CardFacts facts;
    };
    // The card if the caller may know it exists (a reader of its message), with the facts.
    Result<Loaded> load(const Caller& caller, const core::Id& card_id);
    Result<CardView> view_of(const Caller& caller, Loaded loaded);
    Result<Participation> participation(const core::Card& card, const nlohmann::json& spec,
                                        const nlohmann::json& summary);
    void announce(const core::Card& card, bool counts_public);

    store::Store& store_;
    Access& access_;
    EventSink& events_;
    const Clock& clock_;
    AttachmentService* attachments_;
};

}  // namespace parley::service
