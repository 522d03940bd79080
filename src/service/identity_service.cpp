#include "service/identity_service.hpp"

#include "core/phone.hpp"
#include "service/organization_service.hpp"
#include "service/text.hpp"

namespace parley::service {

namespace {
constexpr const char* kWorkAccountPurpose = "work-account";
}

Result<auth::IssuedCode> IdentityService::request_sign_in_code(const std::string& phone,
                                                               const std::string& region,
                                                               const std::string& client_address) {
    PARLEY_TRY_ASSIGN(auto e164,
                      core::normalize_phone(phone, region.empty() ? default_region_ : region));
    return sign_in_.request_code(e164, client_address);
}

Result<auth::NewSession> IdentityService::sign_in(const std::string& phone,
                                                  const std::string& region,
                                                  const std::string& code,
                                                  const std::string& user_agent,
                                                  const std::string& client_address) {
    PARLEY_TRY_ASSIGN(auto e164,
                      core::normalize_phone(phone, region.empty() ? default_region_ : region));
    return sign_in_.sign_in(e164, code, user_agent, client_address);
}

Result<Caller> IdentityService::authenticate(std::string_view token,
                                             const std::string& client_address) {
    PARLEY_TRY_ASSIGN(auto who, sign_in_.authenticate(token));
    return Caller{std::move(who.user), who.session.id, client_address};
}

Result<std::vector<core::Session>> IdentityService::sessions(const Caller& caller) {
    return sign_in_.list_sessions(caller.user.id);
}

Result<void> IdentityService::revoke_session(const Caller& caller, const core::Id& session_id) {
    PARLEY_TRY_VOID(sign_in_.revoke(caller.user.id, session_id));
    Event revoked{"session.revoked", {}, 0, std::nullopt, {caller.user.id}, {}};
    revoked.session_id = session_id;
    events_.publish(revoked);
    return ok();
}

Result<Profile> IdentityService::profile(const Caller& caller) {
    Profile p;
    PARLEY_TRY_ASSIGN(auto user, store_.find_user(caller.user.id));
    p.user = user ? *user : caller.user;
    PARLEY_TRY_ASSIGN(p.organizations, store_.list_user_organizations(caller.user.id));
    PARLEY_TRY_ASSIGN(p.work_account, store_.find_work_account(caller.user.id));
    return p;
}

Result<core::User> IdentityService::rename(const Caller& caller, const std::string& name) {
    std::string cleaned = trim(name);
    auto length = utf8_length(cleaned);
    if (!length || *length > core::kMaxNameChars) {
        return fail(ErrorKind::invalid, "invalid_name",
                    "A name must be UTF-8 and at most 200 characters.");
    }
    PARLEY_TRY_VOID(store_.set_user_name(caller.user.id, cleaned));
    core::User user = caller.user;
    user.name = cleaned;
    return user;
}

Result<PendingWorkAccount> IdentityService::request_work_account(const Caller& caller,
                                                                 const std::string& email) {
    PARLEY_TRY_ASSIGN(auto cleaned, clean_email(email));
    if (cleaned.empty()) {
        return fail(ErrorKind::invalid, "email_required", "Give your work email address.");
    }
    PARLEY_TRY_ASSIGN(auto memberships, store_.list_user_organizations(caller.user.id));
    for (const auto& [org, person] : memberships) {
        if (person.email != cleaned) continue;
        // The code proves this address for this organization: both travel with it.
        PARLEY_TRY_ASSIGN(auto issued, sign_in_.request_code(
                                           caller.user.phone, caller.client_address,
                                           kWorkAccountPurpose, org.id + " " + cleaned, cleaned));
        return PendingWorkAccount{org.id, cleaned, issued.expires_in_seconds};
    }
    return fail(ErrorKind::not_found, "work_account_not_found",
                "No organization lists you with " + cleaned +
                    "; ask your organization admin to add you with that email.");
}

Result<core::WorkAccount> IdentityService::confirm_work_account(const Caller& caller,
                                                                const std::string& code) {
    auto record = sign_in_.verify_code(caller.user.phone, kWorkAccountPurpose, code);
    if (!record) {
        // A wrong code is a bad request here, not a dead session: 401 would sign clients out.
        Error error = record.error();
        if (error.kind == ErrorKind::unauthenticated) error.kind = ErrorKind::invalid;
        return fail(std::move(error));
    }
    // The code was issued for this organization and email; check they still match the
    // directory (an admin may have changed or removed the entry meanwhile).
    const std::string& target = record->target;
    auto space = target.find(' ');
    std::string org_id = target.substr(0, space);
    std::string email = space == std::string::npos ? "" : target.substr(space + 1);
    PARLEY_TRY_ASSIGN(auto person, store_.find_person(org_id, caller.user.id));
    if (!person || person->email.empty() || person->email != email) {
        return fail(ErrorKind::conflict, "work_account_changed",
                    "Your directory entry changed meanwhile; request a new code.");
    }
    core::WorkAccount account{caller.user.id, org_id, person->email, clock_.now_ms()};
    PARLEY_TRY_VOID(store_.link_work_account(account));
    events_.publish(Event{"person.updated", {}, 0, std::nullopt, {caller.user.id}, org_id});
    return account;
}

Result<void> IdentityService::unlink_work_account(const Caller& caller) {
    PARLEY_TRY_ASSIGN(auto account, store_.find_work_account(caller.user.id));
    PARLEY_TRY_ASSIGN(bool unlinked, store_.unlink_work_account(caller.user.id));
    if (!unlinked) {
        return fail(ErrorKind::not_found, "work_account_not_linked",
                    "You are not signed in to a work account.");
    }
    if (account) {
        events_.publish(Event{
            "person.updated", {}, 0, std::nullopt, {caller.user.id}, account->organization_id});
    }
    return ok();
}

}  // namespace parley::service
