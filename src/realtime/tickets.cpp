#include "realtime/tickets.hpp"

#include "crypto/hashing.hpp"
#include "crypto/random.hpp"

namespace parley::realtime {

TicketBook::TicketBook(Clock& clock) : clock_(clock) {}

std::string TicketBook::issue(const service::Caller& caller) {
    std::string ticket = "tkt_" + crypto::random_token();
    const TimestampMs now = clock_.now_ms();
    std::lock_guard lock(mutex_);
    purge_locked(now);
    if (by_hash_.size() >= kMaxOutstanding) by_hash_.erase(by_hash_.begin());
    by_hash_[crypto::hash_token(ticket)] =
        Entry{caller, now + std::chrono::milliseconds(kLifetime).count()};
    return ticket;
}

std::optional<service::Caller> TicketBook::redeem(std::string_view ticket) {
    if (ticket.empty() || ticket.size() > 256) return std::nullopt;
    const std::string hash = crypto::hash_token(ticket);
    const TimestampMs now = clock_.now_ms();
    std::lock_guard lock(mutex_);
    auto it = by_hash_.find(hash);
    if (it == by_hash_.end()) return std::nullopt;
    Entry entry = std::move(it->second);
    by_hash_.erase(it);
    if (entry.expires_at <= now) return std::nullopt;
    return std::move(entry.caller);
}

void TicketBook::purge_locked(TimestampMs now) {
    std::erase_if(by_hash_, [now](const auto& item) { return item.second.expires_at <= now; });
}

}  // namespace parley::realtime
