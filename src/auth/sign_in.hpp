#pragma once
// SignIn: proving a phone number with a one-time code, and the sessions that proof opens.
//
//   request_code  rate-limits, stores only a keyed hash of a fresh 6-digit code, delivers it;
//   verify_code   checks a code (purpose-bound, single use, expiring, few attempts);
//   sign_in       verifies a "sign-in" code and opens a session, returning its bearer token;
//   authenticate  maps a bearer token to its session and user: the per-request hot path, read
//                 only and served from a small in-process cache;
//   list_sessions / revoke  a user's own sessions.
//
// Tokens and codes are never logged or stored; only their hashes are stored. Thread-safe if
// the Store, CodeSender and Clock it is given are (all of Parley's are). Calls block on the
// store; callers run them on the worker pool.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/code_sender.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/session_cache.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/types.hpp"
#include "store/store.hpp"

namespace parley::auth {

inline constexpr const char* kPurposeSignIn = "sign-in";
inline constexpr const char* kPurposeWorkAccount = "work-account";

struct SignInSettings {
    std::int64_t code_ttl_ms = 5 * 60'000;
    int max_attempts = 5;                       // wrong codes allowed per issued code
    RateLimit per_phone = {5, 15 * 60'000};     // code requests per (phone, purpose)
    RateLimit per_address = {30, 15 * 60'000};  // code requests per client address
    // A session unused this long stops working.
    std::int64_t session_idle_ttl_ms = 30LL * 24 * 60 * 60'000;
    // How stale a session's recorded last use may get before a request records it again.
    std::int64_t session_touch_interval_ms = 60 * 60'000;
    SessionCacheSettings session_cache;
};

struct IssuedCode {
    std::string phone;
    std::int64_t expires_in_seconds = 0;
};

struct NewSession {
    std::string token;  // the bearer token: shown to the client once, never stored
    core::Session session;
    core::User user;
};

class SignIn {
public:
    // code_hash_key keys the hashes of stored codes (KeyRing::server_secret("code-hash")), so
    // that a database dump does not reveal codes. Throws std::invalid_argument if it is not 16
    // to 64 bytes long or settings are out of range: configuration bugs, found at start-up.
    SignIn(store::Store& store, CodeSender& sender, const Clock& clock, std::string code_hash_key,
           SignInSettings settings);
    SignIn(const SignIn&) = delete;
    SignIn& operator=(const SignIn&) = delete;

    // Issues a code for (phone, purpose), replacing a pending one (and its attempt count), and
    // delivers it: to the phone for "sign-in", to email for "work-account". target is stored
    // with the code for the caller's later use (the organization id for a work account).
    // Fails with:
    //   invalid "invalid_phone"        phone is not in E.164;
    //   invalid "code_purpose"         purpose is neither kPurposeSignIn nor kPurposeWorkAccount;
    //   invalid "email_required"       a work-account code without an email;
    //   rate_limited "rate_limited"    too many requests for this phone or from this address
    //                                  (checked before any code is made; retry_after is set);
    //   unavailable "code_delivery_failed"  the sender failed (the code stays pending).
    Result<IssuedCode> request_code(const std::string& phone_e164,
                                    const std::string& client_address,
                                    const std::string& purpose = kPurposeSignIn,
                                    const std::string& target = "", const std::string& email = "");

    // Checks and consumes the pending code; returns its record (with target). Fails with:
    //   invalid "code_format"                 code is not 6 digits (not counted as an attempt);
    //   unauthenticated "code_invalid"        no pending code, already used, or wrong (the
    //                                         message says how many attempts are left);
    //   gone "code_expired";
    //   rate_limited "too_many_attempts"      max_attempts wrong codes were tried; only a new
    //                                         code helps.
    Result<store::CodeRecord> verify_code(const std::string& phone, const std::string& purpose,
                                          const std::string& code);

    // verify_code(phone, "sign-in", code), then the user with that phone (created on first
    // sign-in) gets a new session.
    Result<NewSession> sign_in(const std::string& phone, const std::string& code,
                               const std::string& user_agent, const std::string& client_address);

    // bearer_token is the token alone, without the "Bearer " scheme. Never writes to the store.
    // Fails with unauthenticated and code "token_missing" (empty), "token_invalid" (malformed,
    // unknown, or its user is gone), "session_revoked" or "session_expired" (idle too long).
    // A session revoked through this SignIn fails at once; one revoked through another process
    // within SessionCacheSettings::fresh_ms.
    Result<Authenticated> authenticate(std::string_view bearer_token);

    // The user's live sessions (not revoked, not idle past the TTL), oldest first, with
    // token_hash left empty: it is the key that finds a session and has no use further up.
    Result<std::vector<core::Session>> list_sessions(const core::Id& user_id);

    // Fails with not_found "session_not_found" if the user has no such live session.
    Result<void> revoke(const core::Id& user_id, const core::Id& session_id);

private:
    std::string code_hash(const std::string& phone, const std::string& purpose,
                          const std::string& code) const;

    store::Store& store_;
    CodeSender& sender_;
    const Clock& clock_;
    const std::string code_hash_key_;
    const SignInSettings settings_;
    RateLimiter per_phone_;
    RateLimiter per_address_;
    SessionCache sessions_;
};

}  // namespace parley::auth
