#include "realtime/hub.hpp"

#include <algorithm>
#include <utility>

#include "common/log.hpp"
#include "http/serialize.hpp"

namespace parley::realtime {

nlohmann::json event_json(const service::Event& event) {
    nlohmann::json j = {{"type", event.type}};
    if (event.type == "wipe") {
        j["organization_id"] = event.organization_id;
        j["user_ids"] = event.user_ids;
        return j;
    }
    j["conversation_id"] = event.conversation_id;
    j["seq"] = event.seq;
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

Hub::Hub(MemberLookup members) : members_(std::move(members)) {}

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

std::vector<std::shared_ptr<Session>> Hub::sessions_of(const std::vector<core::Id>& users) const {
    std::vector<std::shared_ptr<Session>> out;
    std::lock_guard lock(mutex_);
    for (const auto& user : users) {
        auto it = by_user_.find(user);
        if (it != by_user_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
}

void Hub::deliver(const service::Event& event) {
    std::vector<core::Id> users;
    if (!event.conversation_id.empty()) {
        auto members = members_(event.conversation_id);
        if (!members) {
            spdlog::warn("realtime: members of {} unavailable ({}); {} not delivered",
                         event.conversation_id, members.error().message, event.type);
        } else {
            users = std::move(*members);
        }
    }
    if (event.type == "member.removed" || event.type == "wipe") {
        users.insert(users.end(), event.user_ids.begin(), event.user_ids.end());
    }
    std::ranges::sort(users);
    users.erase(std::unique(users.begin(), users.end()), users.end());
    auto recipients = sessions_of(users);
    if (recipients.empty()) return;
    Frame frame = make_frame(event_json(event));
    serialized_.fetch_add(1);
    for (const auto& session : recipients) session->send(frame);
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

std::size_t Hub::session_count() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [user, sessions] : by_user_) n += sessions.size();
    return n;
}

}  // namespace parley::realtime
