#include "auth/sign_in.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

#include "common/log.hpp"
#include "core/phone.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hashing.hpp"
#include "crypto/random.hpp"

namespace parley::auth {
namespace {

constexpr int kCodeDigits = 6;
constexpr std::size_t kTokenBytes = 32;  // crypto::random_token()
// A token longer than this cannot be ours; refusing it early spares hashing megabytes.
constexpr std::size_t kMaxTokenChars = 64;
// Clients choose these strings; the store keeps them for the session list.
constexpr std::size_t kMaxUserAgentBytes = 512;
constexpr std::size_t kMaxClientAddressBytes = 128;

bool is_code_format(const std::string& code) {
    return code.size() == kCodeDigits &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Only what crypto::random_token() can produce: canonical base64url of 32 bytes.
bool is_token_format(std::string_view token) {
    if (token.size() > kMaxTokenChars) return false;
    const auto bytes = crypto::from_base64url(token);
    return bytes && bytes->size() == kTokenBytes;
}

// Cuts s to at most max bytes without splitting a UTF-8 sequence.
std::string truncate_utf8(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    return s.substr(0, end);
}

int ceil_seconds(std::int64_t ms) {
    return static_cast<int>(std::max<std::int64_t>(1, (ms + 999) / 1000));
}

std::string plural(std::int64_t n, const char* noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::unexpected<Error> code_invalid(std::string message) {
    return fail(ErrorKind::unauthenticated, "code_invalid", std::move(message));
}

std::unexpected<Error> too_many_attempts(const store::CodeRecord& record, TimestampMs now) {
    return fail(Error{ErrorKind::rate_limited, "too_many_attempts",
                      "Too many wrong codes; request a new code.",
                      ceil_seconds(record.expires_at - now)});
}

std::unexpected<Error> token_invalid() {
    return fail(ErrorKind::unauthenticated, "token_invalid",
                "This sign-in is not valid; sign in again.");
}

}  // namespace

SignIn::SignIn(store::Store& store, CodeSender& sender, const Clock& clock,
               std::string code_hash_key, SignInSettings settings)
    : store_(store),
      sender_(sender),
      clock_(clock),
      code_hash_key_(std::move(code_hash_key)),
      settings_(settings),
      per_phone_(clock, settings.per_phone),
      per_address_(clock, settings.per_address),
      sessions_(clock, settings.session_cache) {
    // crypto::keyed_hash aborts the process on other key sizes; better to stop at start-up.
    if (code_hash_key_.size() < 16 || code_hash_key_.size() > 64) {
        throw std::invalid_argument("the code hash key must be 16 to 64 bytes long");
    }
    if (settings_.code_ttl_ms < 1000 || settings_.max_attempts < 1 ||
        settings_.session_idle_ttl_ms < 1) {
        throw std::invalid_argument(
            "sign-in needs code_ttl_ms >= 1000, max_attempts >= 1 and session_idle_ttl_ms >= 1");
    }
}

Result<IssuedCode> SignIn::request_code(const std::string& phone_e164,
                                        const std::string& client_address,
                                        const std::string& purpose, const std::string& target,
                                        const std::string& email) {
    // Normalizing is the caller's job; this only refuses to key codes by anything else.
    const auto normalized = core::normalize_phone(phone_e164, "");
    if (!normalized || *normalized != phone_e164) {
        return fail(ErrorKind::invalid, "invalid_phone",
                    "Give the phone number in international form, such as +6591234567.");
    }
    if (purpose != kPurposeSignIn && purpose != kPurposeWorkAccount) {
        return fail(
            ErrorKind::invalid, "code_purpose",
            fmt::format("A code is for \"{}\" or \"{}\".", kPurposeSignIn, kPurposeWorkAccount));
    }
    if (purpose == kPurposeWorkAccount && email.empty()) {
        return fail(ErrorKind::invalid, "email_required",
                    "A work-account code is sent to your work email; give the address.");
    }

    // The address first: a client refused for flooding must not use up the allowance of the
    // phone number it targets, which belongs to someone else.
    if (auto taken = per_address_.take(client_address); !taken) {
        spdlog::warn("code request for {} refused: too many from its client address", phone_e164);
        return std::unexpected(std::move(taken.error()));
    }
    if (auto taken = per_phone_.take(phone_e164 + " " + purpose); !taken) {
        spdlog::warn("{} code request for {} refused: too many for this number", purpose,
                     phone_e164);
        return std::unexpected(std::move(taken.error()));
    }

    const TimestampMs now = clock_.now_ms();
    const std::string code = crypto::random_digits(kCodeDigits);
    const store::CodeRecord record{.phone = phone_e164,
                                   .purpose = purpose,
                                   .code_hash = code_hash(phone_e164, purpose, code),
                                   .target = target,
                                   .expires_at = now + settings_.code_ttl_ms,
                                   .attempts = 0,
                                   .created_at = now};
    PARLEY_TRY_VOID(store_.put_code(record));
    PARLEY_TRY_VOID(sender_.send(CodeDelivery{phone_e164, code, purpose, email}));
    spdlog::info("{} code for {} sent via {}", purpose, phone_e164, sender_.name());
    return IssuedCode{phone_e164, settings_.code_ttl_ms / 1000};
}

Result<store::CodeRecord> SignIn::verify_code(const std::string& phone, const std::string& purpose,
                                              const std::string& code) {
    if (!is_code_format(code)) {
        return fail(ErrorKind::invalid, "code_format",
                    "The code is the 6 digits we sent you; check it and try again.");
    }
    PARLEY_TRY_ASSIGN(auto found, store_.find_code(phone, purpose));
    if (!found) {
        return code_invalid("There is no code waiting for this number; request a new code.");
    }
    store::CodeRecord record = std::move(*found);

    const TimestampMs now = clock_.now_ms();
    if (now >= record.expires_at) {
        return fail(ErrorKind::gone, "code_expired", "This code has expired; request a new code.");
    }
    if (record.attempts >= settings_.max_attempts) return too_many_attempts(record, now);

    // The attempt is counted before the comparison, by the store's atomic increment: checking
    // the count read above and counting only wrong codes afterwards would let a burst of
    // concurrent guesses all pass the check. A right code's count is deleted with it.
    PARLEY_TRY_ASSIGN(const int attempts, store_.count_code_attempt(phone, purpose));
    if (attempts == 0) {  // consumed since it was read
        return code_invalid("This code was already used; request a new code.");
    }
    if (attempts > settings_.max_attempts) return too_many_attempts(record, now);

    if (!crypto::constant_time_equal(code_hash(phone, purpose, code), record.code_hash)) {
        spdlog::info("wrong {} code for {} (attempt {} of {})", purpose, phone, attempts,
                     settings_.max_attempts);
        if (attempts >= settings_.max_attempts) return too_many_attempts(record, now);
        return code_invalid(fmt::format("Wrong code; {} left.",
                                        plural(settings_.max_attempts - attempts, "attempt")));
    }
    PARLEY_TRY_ASSIGN(const bool consumed, store_.consume_code(phone, purpose, record.code_hash));
    if (!consumed) return code_invalid("This code was already used; request a new code.");
    return record;
}

Result<NewSession> SignIn::sign_in(const std::string& phone, const std::string& code,
                                   const std::string& user_agent,
                                   const std::string& client_address) {
    PARLEY_TRY_VOID(verify_code(phone, kPurposeSignIn, code));
    PARLEY_TRY_ASSIGN(core::User user, store_.ensure_user(phone, ""));

    const TimestampMs now = clock_.now_ms();
    std::string token = crypto::random_token();
    core::Session session;
    session.id = crypto::new_id("ses");
    session.user_id = user.id;
    session.token_hash = crypto::hash_token(token);
    session.user_agent = truncate_utf8(user_agent, kMaxUserAgentBytes);
    session.client_address = truncate_utf8(client_address, kMaxClientAddressBytes);
    session.created_at = now;
    session.last_used_at = now;
    PARLEY_TRY_VOID(store_.create_session(session));
    spdlog::info("user {} ({}) signed in: session {}", user.id, phone, session.id);
    return NewSession{std::move(token), std::move(session), std::move(user)};
}

Result<Authenticated> SignIn::authenticate(std::string_view bearer_token) {
    if (bearer_token.empty()) {
        return fail(ErrorKind::unauthenticated, "token_missing", "Sign in to continue.");
    }
    if (!is_token_format(bearer_token)) return token_invalid();

    const std::string token_hash = crypto::hash_token(bearer_token);
    std::optional<Authenticated> found = sessions_.find(token_hash);
    if (!found) {
        const std::uint64_t generation = sessions_.generation();
        PARLEY_TRY_ASSIGN(auto session, store_.find_session_by_token_hash(token_hash));
        if (!session) return token_invalid();
        PARLEY_TRY_ASSIGN(auto user, store_.find_user(session->user_id));
        if (!user) return token_invalid();
        found = Authenticated{std::move(*session), std::move(*user)};
        if (!found->session.revoked_at) sessions_.put(token_hash, *found, generation);
    }

    if (found->session.revoked_at) {
        return fail(ErrorKind::unauthenticated, "session_revoked",
                    "This session was signed out; sign in again.");
    }
    const TimestampMs now = clock_.now_ms();
    if (now - found->session.last_used_at >= settings_.session_idle_ttl_ms) {
        return fail(ErrorKind::unauthenticated, "session_expired",
                    "This session went unused for too long and has expired; sign in again.");
    }
    // Idle expiry counts from the last use. Recording use costs a write, so it happens at most
    // once per touch interval per session, never on every request.
    if (now - found->session.last_used_at >= settings_.session_touch_interval_ms) {
        const std::uint64_t generation = sessions_.generation();
        PARLEY_TRY_VOID(store_.touch_session(found->session.id, now));
        found->session.last_used_at = now;
        sessions_.put(token_hash, *found, generation);
    }
    return std::move(*found);
}

Result<std::vector<core::Session>> SignIn::list_sessions(const core::Id& user_id) {
    PARLEY_TRY_ASSIGN(auto sessions, store_.list_sessions(user_id));
    const TimestampMs now = clock_.now_ms();
    std::erase_if(sessions, [&](const core::Session& s) {
        return now - s.last_used_at >= settings_.session_idle_ttl_ms;
    });
    // A token hash is the key that finds a session: no reason to hand it further up.
    for (auto& s : sessions) s.token_hash.clear();
    return sessions;
}

Result<void> SignIn::revoke(const core::Id& user_id, const core::Id& session_id) {
    PARLEY_TRY_ASSIGN(const bool revoked,
                      store_.revoke_session(user_id, session_id, clock_.now_ms()));
    // After the store: a cache miss from now on reads the revocation.
    sessions_.evict_session(session_id);
    if (!revoked) {
        return fail(ErrorKind::not_found, "session_not_found",
                    "There is no such session; it may already be signed out.");
    }
    spdlog::info("user {} revoked session {}", user_id, session_id);
    return ok();
}

std::string SignIn::code_hash(const std::string& phone, const std::string& purpose,
                              const std::string& code) const {
    return crypto::keyed_hash(code_hash_key_, phone + ":" + purpose + ":" + code);
}

}  // namespace parley::auth
