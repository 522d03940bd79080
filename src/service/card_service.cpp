#include "service/card_service.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "crypto/random.hpp"
#include "csv/writer.hpp"

namespace parley::service {

using authz::CardAction;
using nlohmann::json;

namespace {

std::unexpected<Error> card_not_found() {
    return fail(ErrorKind::not_found, "card_not_found",
                "No such card, or you are not a member of its conversation.");
}

// Stored documents are ours; one that does not parse is a bug or damage, never the client's.
Result<json> parse_stored(const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::exception&) {
        return fail(ErrorKind::internal, "card_corrupt",
                    "A stored card could not be read; see the server log.");
    }
}

bool counts_public(const core::Card& card, const authz::ConversationFacts& facts) {
    return card.results_visibility == core::ResultsVisibility::all &&
           facts.group_type != core::GroupType::public_;
}

}  // namespace

Result<core::Message> CardService::create(const Caller& caller, const core::Id& conversation_id,
                                          const CreateCard& request) {
    const TimestampMs now = clock_.now_ms();
    PARLEY_TRY_ASSIGN(auto spec, cards::normalize_spec(request.type, request.spec));
    cards::CardOptions options{request.anonymous,
                               request.results_visibility.value_or(core::ResultsVisibility::all),
                               request.allow_multiple, request.due_at};
    PARLEY_TRY_ASSIGN(options, cards::check_options(request.type, options,
                                                    request.results_visibility.has_value(), now));
    if (!request.attachments.empty() && request.type != core::CardType::announcement) {
        return fail(ErrorKind::invalid, "card_spec_invalid",
                    "Only announcements carry attachments; a survey asks for them with an "
                    "attachment question.");
    }
    if (!request.attachments.empty() && !attachments_) {
        return fail(ErrorKind::invalid, "attachment_not_found", "This server keeps no files.");
    }
    PARLEY_TRY_ASSIGN(auto access, access_.load(caller, conversation_id));
    authz::CardFacts facts;
    facts.conversation = access.facts;
    facts.type = request.type;
    PARLEY_TRY_VOID(authz::check(access.actor, CardAction::create, facts));
    const auto assignees = cards::assignees_of(spec);
    for (std::size_t i = 0; i < assignees.size(); ++i) {
        PARLEY_TRY_ASSIGN(auto member, store_.find_member(conversation_id, assignees[i]));
        if (!member) {
            return fail(
                ErrorKind::invalid, "card_spec_invalid",
                "spec.assignees[" + std::to_string(i) + "] is not a member of this conversation.");
        }
    }
    core::Card card;
    card.id = crypto::new_id("crd");
    card.conversation_id = conversation_id;
    card.creator_id = caller.user.id;
    card.type = request.type;
    card.spec = spec.dump();
    card.anonymous = options.anonymous;
    card.results_visibility = options.results_visibility;
    card.allow_multiple = options.allow_multiple;
    card.due_at = options.due_at;
    card.summary = cards::initial_summary(request.type, spec).dump();
    card.owner = access.conversation.owner;
    card.created_at = now;

    core::Message draft;
    draft.id = crypto::new_id("msg");
    draft.conversation_id = conversation_id;
    draft.sender_id = caller.user.id;
    draft.kind = core::MessageKind::card;
    draft.text = cards::title_of(request.type, spec);
    draft.owner = access.conversation.owner;
    draft.private_to = authz::private_to(access.facts, caller.user.id);
    draft.created_at = now;
    if (!request.attachments.empty()) {
        PARLEY_TRY_ASSIGN(draft.attachments, attachments_->claimable(caller, conversation_id,
                                                                     request.attachments, ""));
    }
    card.message_id = draft.id;
    draft.card = card;
    // message.created (with the card) is announced by the store as it commits.
    return store_.create_card(draft);
}

Result<CardService::Loaded> CardService::load(const Caller& caller, const core::Id& card_id) {
    PARLEY_TRY_ASSIGN(auto card, store_.find_card(card_id));
    if (!card) return card_not_found();
    auto access = access_.load(caller, card->conversation_id);
    if (!access) {
        if (access.error().kind == ErrorKind::not_found) return card_not_found();
        return fail(access.error());
    }
    if (auto readable = Access::check(*access, authz::ConversationAction::read_messages);
        !readable) {
        if (readable.error().kind == ErrorKind::not_found) return card_not_found();
        return fail(readable.error());
    }
    // The card is as visible as its message: not to those whose history starts after it.
    PARLEY_TRY_ASSIGN(auto message, store_.find_message(card->conversation_id, card->message_id));
    if (!message || message->deleted_at || !Access::read_scope(*access).sees(*message)) {
        return card_not_found();
    }
    PARLEY_TRY_ASSIGN(auto spec, parse_stored(card->spec));
    Loaded loaded{std::move(*card), std::move(spec), std::move(*access), {}};
    authz::CardFacts& f = loaded.facts;
    f.conversation = loaded.access.facts;
    f.actor_is_creator = loaded.card.creator_id == caller.user.id;
    f.type = loaded.card.type;
    f.state = loaded.card.state_at(clock_.now_ms());
    f.results_visibility = loaded.card.results_visibility;
    const auto assignees = cards::assignees_of(loaded.spec);
    f.actor_is_assignee =
        std::find(assignees.begin(), assignees.end(), caller.user.id) != assignees.end();
    return loaded;
}

Result<Participation> CardService::participation(const core::Card& card, const json& spec,
                                                 const json& summary) {
    Participation p;
    if (card.type == core::CardType::job) {
        p.eligible = static_cast<std::int64_t>(cards::assignees_of(spec).size());
        p.responded = static_cast<std::int64_t>(summary.value("done", json::object()).size());
        return p;
    }
    PARLEY_TRY_ASSIGN(auto readers, access_.readers(card.conversation_id));
    p.eligible = static_cast<std::int64_t>(readers.user_ids.size());
    // An announcement is acknowledged by the others: its sender is not among those asked
    // (as in the not-acknowledged list). A poll's creator may vote like anyone.
    if (card.type == core::CardType::announcement &&
        std::find(readers.user_ids.begin(), readers.user_ids.end(), card.creator_id) !=
            readers.user_ids.end()) {
        --p.eligible;
    }
    p.responded = summary.value("responders", std::int64_t{0});
    return p;
}

Result<CardView> CardService::view_of(const Caller& caller, Loaded loaded) {
    CardView v;
    v.state = loaded.facts.state;
    v.spec = loaded.spec;
    if (authz::check(loaded.access.actor, CardAction::view_results, loaded.facts)) {
        PARLEY_TRY_ASSIGN(auto summary, parse_stored(loaded.card.summary));
        PARLEY_TRY_ASSIGN(v.participation, participation(loaded.card, loaded.spec, summary));
        v.summary = cards::public_summary(loaded.card.type, summary);
    }
    PARLEY_TRY_ASSIGN(v.mine, store_.list_card_responses(loaded.card.id, caller.user.id));
    if (loaded.card.type == core::CardType::survey && !v.mine.empty()) {
        PARLEY_TRY_ASSIGN(auto files, store_.list_card_attachments(loaded.card.id));
        // An answer is the responder's own upload, so theirs are the ones they uploaded.
        std::erase_if(files,
                      [&](const core::Attachment& a) { return a.uploader_id != caller.user.id; });
        v.my_attachments = std::move(files);
    }
    v.can_respond =
        authz::check(loaded.access.actor, CardAction::respond, loaded.facts).has_value();
    PARLEY_TRY_ASSIGN(v.reminded_at, store_.find_card_reminder(loaded.card.id, caller.user.id));
    v.card = std::move(loaded.card);
    return v;
}

Result<CardView> CardService::get(const Caller& caller, const core::Id& card_id) {
    PARLEY_TRY_ASSIGN(auto loaded, load(caller, card_id));
    return view_of(caller, std::move(loaded));
}

Result<CardAnswered> CardService::respond(const Caller& caller, const core::Id& card_id,
                                          const json& body,
                                          const std::optional<core::Id>& response_id) {
    PARLEY_TRY_ASSIGN(auto loaded, load(caller, card_id));
    PARLEY_TRY_VOID(authz::check(loaded.access.actor, CardAction::respond, loaded.facts));
    const core::CardType type = loaded.card.type;
    PARLEY_TRY_ASSIGN(auto answers, cards::normalize_response(type, loaded.spec, body));
    const TimestampMs now = clock_.now_ms();
    core::CardResponse response;
    response.id = crypto::new_id("rsp");
    response.card_id = card_id;
    response.responder_id = caller.user.id;
    response.slot =
        cards::slot_for(type, answers, caller.user.id, response.id, loaded.card.allow_multiple);
    response.answers = answers.dump();
    response.created_at = now;
    response.updated_at = now;
    const auto attachment_ids = cards::attachment_answers(type, loaded.spec, answers);
    if (!attachment_ids.empty()) {
        if (!attachments_) {
            return fail(ErrorKind::invalid, "attachment_not_found", "This server keeps no files.");
        }
        if (response_id) {
            // Naming someone else's response is the mistake to report, not their files.
            PARLEY_TRY_ASSIGN(auto mine, store_.list_card_responses(card_id, caller.user.id));
            if (std::none_of(mine.begin(), mine.end(),
                             [&](const core::CardResponse& r) { return r.id == *response_id; })) {
                return fail(ErrorKind::not_found, "response_not_found",
                            "You have no response with that id on this card.");
            }
        }
        PARLEY_TRY_VOID(attachments_->check_answerable(caller, loaded.card.conversation_id, card_id,
                                                       attachment_ids));
    }
    const json& spec = loaded.spec;
    auto update = [&](const std::string& summary, const std::optional<std::string>& previous,
                      bool first) -> Result<std::string> {
        PARLEY_TRY_ASSIGN(auto current, parse_stored(summary));
        std::optional<json> replaced;
        if (previous) {
            PARLEY_TRY_ASSIGN(replaced, parse_stored(*previous));
        }
        return cards::apply_response(type, spec, std::move(current), replaced, answers, first,
                                     caller.user.id, now)
            .dump();
    };
    PARLEY_TRY_ASSIGN(auto outcome,
                      store_.put_card_response(response, response_id, now, update, attachment_ids));
    outcome.card.spec = loaded.card.spec;  // the store returns the card without it
    announce(outcome.card, counts_public(outcome.card, loaded.facts.conversation));
    CardAnswered answered{std::move(outcome.response), outcome.replaced, std::move(outcome.card),
                          core::CardState::active, std::nullopt};
    answered.state = answered.card.state_at(now);
    if (authz::check(loaded.access.actor, CardAction::view_results, loaded.facts)) {
        PARLEY_TRY_ASSIGN(auto summary, parse_stored(answered.card.summary));
        answered.summary = cards::public_summary(type, summary);
    }
    return answered;
}

Result<CardResponses> CardService::responses(const Caller& caller, const core::Id& card_id) {
    PARLEY_TRY_ASSIGN(auto loaded, load(caller, card_id));
    PARLEY_TRY_VOID(authz::check(loaded.access.actor, CardAction::view_results, loaded.facts));
    PARLEY_TRY_ASSIGN(auto rows, store_.list_card_responses(card_id, std::nullopt));
    CardResponses out;
    out.state = loaded.facts.state;
    for (auto& r : rows) {
        PARLEY_TRY_ASSIGN(auto answers, parse_stored(r.answers));
        std::optional<core::Id> who;
        if (!loaded.card.anonymous) who = r.responder_id;
        out.responses.push_back(ResponseRow{std::move(r), std::move(answers), std::move(who)});
    }
    if (loaded.card.type == core::CardType::survey && !out.responses.empty()) {
        PARLEY_TRY_ASSIGN(out.attachments, store_.list_card_attachments(card_id));
        if (loaded.card.anonymous) {
            for (auto& a : out.attachments) a.uploader_id.clear();
        }
    }
    if (loaded.card.type == core::CardType::announcement) {
        PARLEY_TRY_ASSIGN(auto readers, access_.readers(loaded.card.conversation_id));
        std::unordered_set<core::Id> acknowledged;
        for (const auto& row : out.responses) {
            acknowledged.insert(row.response.responder_id);
            out.acknowledged.emplace_back(row.response.responder_id, row.response.created_at);
        }
        for (const auto& user : readers.user_ids) {
            if (user != loaded.card.creator_id && !acknowledged.contains(user)) {
                out.not_acknowledged.push_back(user);
            }
        }
    }
    if (loaded.card.type == core::CardType::job) {
        PARLEY_TRY_ASSIGN(auto summary, parse_stored(loaded.card.summary));
        const json done = summary.value("done", json::object());
        for (const auto& assignee : cards::assignees_of(loaded.spec)) {
            std::optional<TimestampMs> at;
            if (auto it = done.find(assignee); it != done.end()) at = it->get<TimestampMs>();
            out.assignees.emplace_back(assignee, at);
        }
    }
    out.card = std::move(loaded.card);
    return out;
}

Result<bool> CardService::responses_visible(const Caller& caller, const core::Id& card_id) {
    auto loaded = load(caller, card_id);
    if (!loaded) {
        // Any refusal is a no; only the server's own failures are errors.
        if (loaded.error().kind != ErrorKind::internal) return false;
        return fail(loaded.error());
    }
    return authz::check(loaded->access.actor, CardAction::view_results, loaded->facts).has_value();
}

Result<CardView> CardService::close(const Caller& caller, const core::Id& card_id) {
    PARLEY_TRY_ASSIGN(auto loaded, load(caller, card_id));
    PARLEY_TRY_VOID(authz::check(loaded.access.actor, CardAction::close, loaded.facts));
    PARLEY_TRY_ASSIGN(auto closed, store_.close_card(card_id, clock_.now_ms()));
    announce(closed, counts_public(closed, loaded.facts.conversation));
    loaded.card = std::move(closed);
    loaded.facts.state = loaded.card.state_at(clock_.now_ms());
    return view_of(caller, std::move(loaded));
}

Result<std::vector<core::Id>> CardService::remind(const Caller& caller, const core::Id& card_id) {
    PARLEY_TRY_ASSIGN(auto loaded, load(caller, card_id));
    PARLEY_TRY_VOID(authz::check(loaded.access.actor, CardAction::remind, loaded.facts));
    const core::Card& card = loaded.card;
    PARLEY_TRY_ASSIGN(auto readers, access_.readers(card.conversation_id));
    std::unordered_set<core::Id> answered;
    std::optional<std::unordered_set<core::Id>> asked;  // jobs: the assignees only
    if (card.type == core::CardType::job) {
        PARLEY_TRY_ASSIGN(auto summary, parse_stored(card.summary));
        const json done = summary.value("done", json::object());
        for (const auto& [user, at] : done.items()) answered.insert(user);
        const auto assignees = cards::assignees_of(loaded.spec);
        asked.emplace(assignees.begin(), assignees.end());
    } else {
        PARLEY_TRY_ASSIGN(auto rows, store_.list_card_responses(card.id, std::nullopt));
        for (const auto& r : rows) answered.insert(r.responder_id);
    }
    std::vector<core::Id> targets;
    for (const auto& user : readers.user_ids) {
        if (user == card.creator_id || answered.contains(user)) continue;
        if (asked && !asked->contains(user)) continue;
        targets.push_back(user);
    }
    if (targets.empty()) return targets;
    const TimestampMs now = clock_.now_ms();
    PARLEY_TRY_VOID(store_.record_card_reminder(card.id, targets, now, now - kReminderIntervalMs));
    Event event;
    event.type = "card.reminder";
    event.user_ids = targets;
    event.card =
        core::CardNotice{card.id,      card.message_id, card.conversation_id, card.state_at(now),
                         card.version, std::nullopt};
    events_.publish(event);
    return targets;
}

Result<CardCsv> CardService::results_csv(const Caller& caller, const core::Id& card_id) {
    PARLEY_TRY_ASSIGN(auto loaded, load(caller, card_id));
    PARLEY_TRY_VOID(authz::check(loaded.access.actor, CardAction::export_results, loaded.facts));
    const core::Card& card = loaded.card;
    PARLEY_TRY_ASSIGN(auto rows, store_.list_card_responses(card_id, std::nullopt));
    std::unordered_map<core::Id, std::string> labels;
    if (!card.anonymous) {
        PARLEY_TRY_ASSIGN(auto members, store_.list_members(card.conversation_id));
        for (const auto& m : members) {
            labels.emplace(m.user.id, m.user.name.empty()
                                          ? m.user.phone
                                          : m.user.name + " (" + m.user.phone + ")");
        }
    }
    CardCsv out;
    out.file_name = "card-" + card.id + "-results.csv";
    csv::Writer writer([&](std::string_view bytes) { out.bytes.append(bytes); },
                       csv::WriterOptions{',', true, true});
    writer.write_row(cards::csv_header(card.type, loaded.spec, card.anonymous));
    for (const auto& r : rows) {
        PARLEY_TRY_ASSIGN(auto answers, parse_stored(r.answers));
        auto label = labels.find(r.responder_id);
        writer.write_row(cards::csv_row(card.type, loaded.spec, card.anonymous, r, answers,
                                        label == labels.end() ? r.responder_id : label->second));
    }
    PARLEY_TRY_VOID(writer.flush());
    return out;
}

Result<CardView> CardService::add_items(const Caller& caller, const core::Id& card_id,
                                        const json& items) {
    PARLEY_TRY_ASSIGN(auto loaded, load(caller, card_id));
    if (loaded.card.type != core::CardType::checklist) {
        return fail(ErrorKind::conflict, "not_a_checklist", "Only checklists take new items.");
    }
    PARLEY_TRY_VOID(authz::check(loaded.access.actor, CardAction::edit, loaded.facts));
    auto update = [&](const std::string& spec,
                      const std::string& summary) -> Result<std::pair<std::string, std::string>> {
        PARLEY_TRY_ASSIGN(auto current_spec, parse_stored(spec));
        PARLEY_TRY_ASSIGN(auto current_summary, parse_stored(summary));
        PARLEY_TRY_ASSIGN(
            auto next, cards::add_checklist_items(current_spec, std::move(current_summary), items));
        return std::pair{next.first.dump(), next.second.dump()};
    };
    PARLEY_TRY_ASSIGN(auto updated, store_.update_card_spec(card_id, clock_.now_ms(), update));
    announce(updated, counts_public(updated, loaded.facts.conversation));
    PARLEY_TRY_ASSIGN(loaded.spec, parse_stored(updated.spec));
    loaded.card = std::move(updated);
    return view_of(caller, std::move(loaded));
}

Result<std::int64_t> CardService::expire_due() {
    PARLEY_TRY_ASSIGN(auto expired, store_.expire_due_cards(clock_.now_ms()));
    for (const auto& card : expired) {
        PARLEY_TRY_ASSIGN(auto conversation, store_.find_conversation(card.conversation_id));
        authz::ConversationFacts facts;
        if (conversation) facts = authz::conversation_facts(*conversation);
        announce(card, counts_public(card, facts));
    }
    return static_cast<std::int64_t>(expired.size());
}

void CardService::announce(const core::Card& card, bool counts_are_public) {
    Event event;
    event.type = "card.updated";
    event.conversation_id = card.conversation_id;
    event.card =
        core::CardNotice{card.id,
                         card.message_id,
                         card.conversation_id,
                         card.state_at(clock_.now_ms()),
                         card.version,
                         counts_are_public ? std::optional(card.response_count) : std::nullopt};
    events_.publish(event);
}

}  // namespace parley::service
