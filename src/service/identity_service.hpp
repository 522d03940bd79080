#pragma once
// Identity: signing in with a phone number and a one-time code, the sessions that result, the
// caller's own profile and organizations, and linking a work account by proving the work
// email an organization's admin put in its directory. Thread-safe.

#include "auth/sign_in.hpp"
#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/events.hpp"

namespace parley::service {

struct Profile {
    core::User user;
    std::vector<std::pair<core::Organization, core::OrgPerson>> organizations;
    std::optional<core::WorkAccount> work_account;
};

struct PendingWorkAccount {
    core::Id organization_id;
    std::string email;
    std::int64_t expires_in_seconds = 0;
};

class IdentityService {
public:
    IdentityService(store::Store& store, auth::SignIn& sign_in, EventSink& events,
                    const Clock& clock, std::string default_region)
        : store_(store),
          sign_in_(sign_in),
          events_(events),
          clock_(clock),
          default_region_(std::move(default_region)) {}

    // phone in any form; region for national numbers (default: the server's).
    Result<auth::IssuedCode> request_sign_in_code(const std::string& phone,
                                                  const std::string& region,
                                                  const std::string& client_address);
    Result<auth::NewSession> sign_in(const std::string& phone, const std::string& region,
                                     const std::string& code, const std::string& user_agent,
                                     const std::string& client_address);
    // The Caller behind a bearer token.
    Result<Caller> authenticate(std::string_view token, const std::string& client_address);

    Result<std::vector<core::Session>> sessions(const Caller& caller);
    Result<void> revoke_session(const Caller& caller, const core::Id& session_id);

    Result<Profile> profile(const Caller& caller);
    Result<core::User> rename(const Caller& caller, const std::string& name);

    // Sends a code to the work email if some organization's directory lists the caller with it.
    Result<PendingWorkAccount> request_work_account(const Caller& caller, const std::string& email);
    Result<core::WorkAccount> confirm_work_account(const Caller& caller, const std::string& code);
    Result<void> unlink_work_account(const Caller& caller);

private:
    store::Store& store_;
    auth::SignIn& sign_in_;
    EventSink& events_;
    const Clock& clock_;
    std::string default_region_;
};

}  // namespace parley::service
