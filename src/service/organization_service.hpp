#pragma once
// Organizations: their settings and tenant policies, their directory of people (added one by
// one or as a comma-separated list, searched by name or email alias, removed), and their
// groups as the portal sees them. Thread-safe.

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/events.hpp"

namespace parley::service {

struct PersonInput {
    std::string phone;
    // Unset: kept as they are for someone already listed (empty for a newcomer); set to "":
    // cleared.
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<core::OrgRole> role;  // unset: kept; a newcomer is a member
};

struct PersonResult {
    std::string phone;  // as given
    std::optional<core::OrgPerson> person;
    std::optional<Error> error;
};

struct OrganizationPatch {
    std::optional<std::string> name;
    std::optional<std::string> default_region;
    std::optional<bool> parley_enabled;
    std::optional<bool> groups_require_work_account;
    std::optional<bool> group_admins_set_policies;
    std::optional<bool> restrict_copy;
    std::optional<bool> restrict_share;
    std::optional<bool> restrict_forward;
    std::optional<bool> new_members_see_history;
    std::optional<bool> delete_for_everyone;
    std::optional<bool> invite_links;
};

struct PersonPatch {
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<core::OrgRole> role;
};

struct PeoplePage {
    std::vector<core::OrgPerson> people;
    std::int64_t total = 0;
};

struct OrganizationView {
    core::Organization organization;
    core::OrgRole my_role = core::OrgRole::none;
    bool work_account_linked = false;
};

constexpr std::size_t kMaxPeoplePerRequest = 1000;

class OrganizationService {
public:
    OrganizationService(store::Store& store, Access& access, EventSink& events, const Clock& clock)
        : store_(store), access_(access), events_(events), clock_(clock) {}

    // First start: the organization named so (created if absent) with this admin in its
    // directory. Idempotent, so it can run on every start.
    Result<core::Organization> bootstrap(const std::string& name, const std::string& region,
                                         const std::string& admin_phone);

    Result<OrganizationView> get(const Caller& caller, const core::Id& org_id);
    Result<OrganizationView> update(const Caller& caller, const core::Id& org_id,
                                    const OrganizationPatch& patch);

    Result<std::vector<PersonResult>> add_people(const Caller& caller, const core::Id& org_id,
                                                 const std::vector<PersonInput>& people,
                                                 const std::string& region);
    Result<PeoplePage> list_people(const Caller& caller, const core::Id& org_id,
                                   const store::PersonQuery& query);
    Result<core::OrgPerson> get_person(const Caller& caller, const core::Id& org_id,
                                       const core::Id& user_id);
    Result<core::OrgPerson> update_person(const Caller& caller, const core::Id& org_id,
                                          const core::Id& user_id, const PersonPatch& patch);
    // Out of the directory and every organization group; their devices are told to wipe the
    // organization's conversations.
    Result<store::RemovedPerson> remove_person(const Caller& caller, const core::Id& org_id,
                                               const core::Id& user_id);

    // Admins see every organization group; members the ones they are in.
    Result<std::vector<core::Conversation>> list_groups(const Caller& caller,
                                                        const core::Id& org_id);

private:
    Result<core::OrgPerson> add_person(const core::Id& org_id, const PersonInput& input,
                                       const std::string& region);
    Result<void> keep_an_admin(const core::Id& org_id, const core::Id& user_id);

    store::Store& store_;
    Access& access_;
    EventSink& events_;
    const Clock& clock_;
};

// A plausible email address (one @, a dot in the domain, no spaces, at most 254 chars),
// lower-cased; empty stays empty.
Result<std::string> clean_email(const std::string& email);

}  // namespace parley::service
