#include "realtime/hub.hpp"

#include <algorithm>
#include <utility>

#include "common/log.hpp"
#include "http/serialize.hpp"

namespace parley::realtime {

namespace {

// Only what every recipient may know: clients GET the card for what they may see of it.
nlohmann::json card_notice_json(const core::CardNotice& n) {
    nlohmann::json j = {{"id", n.card_id},
                        {"message_id", n.message_id},
                        {"conversation_id", n.conversation_id},
                        {"state", core::to_string(n.state)},
                        {"version", n.version}};
    if (n.response_count) j["response_count"] = *n.response_count;
    return j;
}

}  // namespace

nlohmann::json event_json(const service::Event& event) {
    nlohmann::json j = {{"type", event.type}};
    if (event.card) j["card"] = card_notice_json(*event.card);
    if (event.type == "card.reminder") return j;
    if (event.type == "wipe" || event.type == "person.updated") {
        j["organization_id"] = event.organization_id;
        j["user_ids"] = event.user_ids;
        return j;
    }
    if (event.type == "session.revoked") {
        j["session_id"] = event.session_id;
        return j;
    }
    j["conversation_id"] = event.conversation_id;
    j["seq"] = event.seq;
    if (event.type == "reaction.updated" && event.message) {
        // Counts only: the message itself is unchanged, and "mine" differs per reader, so it
        // is left out of this frame (serialized once for all); a client knows its own like.
        j["message_id"] = event.message->id;
        j["reactions"] = http::reactions_json(event.message->like_count, std::nullopt);
        j["comment_count"] = event.message->comment_count;
        return j;
    }
    if (event.message) j["message"] = http::to_json(*event.message);
    if (event.type == "read.updated") {
        j["user_id"] = event.user_ids.empty() ? core::Id() : event.user_ids.front();
        j["read_seq"] = event.seq;
    } else if (event.type == "member.added" || event.type == "member.removed") {
        j["user_ids"] = event.user_ids;
    }
    if (!event.organization_id.empty()) j["organization_id"] = event.organization_id;
    return j;
}

Frame make_frame(const nlohmann::json& json) {
    return std::make_shared<const std::string>(
        json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

namespace {

// Events that change no one's access: the audience cached for their conversation stays.
bool is_message_event(const std::string& type) {
    return type == "message.created" || type == "message.edited" || type == "message.deleted" ||
           type == "read.updated" || type == "card.updated" || type == "reaction.updated";
}

// Events whose user_ids name people, whom a reader who sees part of the conversation hears of
// only as far as they may see them.
bool names_people(const std::string& type) {
    return type == "member.added" || type == "member.removed" || type == "read.updated";
}

}  // namespace

Hub::Hub(AudienceLookup audience, PublishedSoFar published_so_far)
    : audiences_(std::move(audience), kAudienceEntries, std::move(published_so_far)) {}

void Hub::add(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(mutex_);
    by_user_[session->user_id()].push_back(session);
}

void Hub::remove(const Session& session) {
    std::lock_guard lock(mutex_);
    auto it = by_user_.find(session.user_id());
    if (it == by_user_.end()) return;
    std::erase_if(it->second, [&](const auto& s) { return s.get() == &session; });
    if (it->second.empty()) by_user_.erase(it);
}

std::vector<std::shared_ptr<Session>> Hub::sessions_of(std::span<const core::Id> users,
                                                       const Skip& skip) const {
    std::vector<std::shared_ptr<Session>> out;
    std::lock_guard lock(mutex_);
    for (const auto& user : users) {
        if (skip && skip(user)) continue;
        auto it = by_user_.find(user);
        if (it != by_user_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
}

void Hub::forget_stale(const service::Event& event, std::uint64_t number) {
    if (!event.conversation_id.empty()) {
        if (!is_message_event(event.type)) audiences_.forget(event.conversation_id, number);
    } else if (!event.organization_id.empty()) {
        audiences_.forget_organization(event.organization_id, number);
    }
}

void Hub::deliver(const service::Event& event, std::uint64_t number) {
    forget_stale(event, number);
    if (event.type == "session.revoked") return revoke(event);
    if (event.type == "organization.updated") return;
    // With no stream open nobody can hear the event, so its audience is not read: an import
    // into 1,000 groups would otherwise read every group's members after each batch. A client
    // that connects later catches up from the store when it resumes.
    if (!has_sessions()) return;
    // The audience is read in place (members are unique): a 10,000-member group costs lookups,
    // not a copy of 10,000 ids per event.
    std::vector<std::shared_ptr<Session>> recipients;
    if (!event.conversation_id.empty()) {
        auto audience = audiences_.get(event.conversation_id);
        if (audience && (*audience)->sees_all) return deliver_in_part(event, **audience);
        if (audience) {
            const auto& floors = (*audience)->history_floors;
            Skip hidden_history;
            if (event.message && !floors.empty()) {
                hidden_history = [&](const core::Id& user) {
                    auto it = floors.find(user);
                    return it != floors.end() && event.message->seq <= it->second;
                };
            }
            recipients = sessions_of((*audience)->user_ids, hidden_history);
        } else if (audience.error().kind != ErrorKind::not_found) {
            // Members' clients learn of the event when they next resume or page.
            spdlog::warn("realtime: audience of {} unavailable ({}); {} not pushed",
                         event.conversation_id, audience.error().message, event.type);
        }
    }
    if (event.conversation_id.empty() || event.type == "member.removed") {
        // Users the event names, who may be outside the audience (removed, wiped): once each.
        auto named = sessions_of(event.user_ids);
        recipients.insert(recipients.end(), named.begin(), named.end());
        std::ranges::sort(recipients);
        recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());
    }
    auto queued = send_to(recipients, event);
    if (event.type == "wipe" && wipes_queued_ && !queued.empty()) {
        std::vector<core::Id> signed_in;
        for (const auto& session : queued) signed_in.push_back(session->signed_in_session());
        wipes_queued_(event.organization_id, std::move(signed_in));
    }
}

std::vector<std::shared_ptr<Session>> Hub::send_to(
    const std::vector<std::shared_ptr<Session>>& recipients, const service::Event& event) {
    std::vector<std::shared_ptr<Session>> queued;
    if (recipients.empty()) return queued;
    Frame frame = make_frame(event_json(event));
    serialized_.fetch_add(1, std::memory_order_relaxed);
    for (const auto& session : recipients) {
        if (!session->send(frame)) continue;
        deliveries_.fetch_add(1, std::memory_order_relaxed);
        queued.push_back(session);
    }
    return queued;
}

void Hub::deliver_in_part(const service::Event& event, const Audience& audience) {
    const auto& whole = *audience.sees_all;
    auto partial = [&](const core::Id& user) { return !whole.contains(user); };
    if (event.message) {
        // A private message reaches those who see all and its one other member; the others
        // reach everyone. Either way the history policy still holds.
        const auto& floors = audience.history_floors;
        const auto& only = event.message->private_to;
        send_to(sessions_of(audience.user_ids,
                            [&](const core::Id& u) {
                                if (only && u != *only && partial(u)) return true;
                                auto it = floors.find(u);
                                return it != floors.end() && event.message->seq <= it->second;
                            }),
                event);
        return;
    }
    if (!names_people(event.type)) {
        send_to(sessions_of(audience.user_ids), event);
        return;
    }

    // The people the event names, narrowed for each partial reader to those who see all and
    // the reader themself: the whole event to those who see all, one shared frame to the
    // partial readers it does not name (if it still names anyone), one each to those it names.
    send_to(sessions_of(audience.user_ids, partial), event);
    std::unordered_set<core::Id> named(event.user_ids.begin(), event.user_ids.end());
    auto narrowed = [&](const core::Id* self) {
        service::Event e = event;
        std::erase_if(e.user_ids,
                      [&](const core::Id& u) { return partial(u) && (!self || u != *self); });
        return e;
    };
    service::Event shared = narrowed(nullptr);
    if (!shared.user_ids.empty()) {
        send_to(sessions_of(audience.user_ids,
                            [&](const core::Id& u) { return !partial(u) || named.contains(u); }),
                shared);
    }
    auto tell = [&](const core::Id& user) {
        auto sessions = sessions_of(std::span(&user, 1));
        if (!sessions.empty()) send_to(sessions, narrowed(&user));
    };
    for (const auto& user : audience.user_ids) {
        if (partial(user) && named.erase(user) > 0) tell(user);
    }
    // Named people who no longer read the conversation must still hear they were removed.
    if (event.type == "member.removed") {
        for (const auto& user : event.user_ids) {
            if (partial(user) && named.erase(user) > 0) tell(user);
        }
    }
}

void Hub::revoke(const service::Event& event) {
    if (event.user_ids.empty()) return;
    Frame frame;
    for (const auto& session : sessions_of(std::span(event.user_ids).first(1))) {
        if (session->signed_in_session() != event.session_id) continue;
        if (!frame) frame = make_frame(event_json(event));
        session->send(frame);
        session->close_when_sent(kClosePolicy, "session revoked");
    }
}

void Hub::close_all(std::uint16_t code, const std::string& reason) {
    std::vector<std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [user, sessions] : by_user_) {
            all.insert(all.end(), sessions.begin(), sessions.end());
        }
    }
    for (const auto& session : all) session->close(code, reason);
}

bool Hub::has_sessions() const {
    std::lock_guard lock(mutex_);
    return !by_user_.empty();
}

std::size_t Hub::session_count() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [user, sessions] : by_user_) n += sessions.size();
    return n;
}

}  // namespace parley::realtime
