#pragma once
// Organizations: their settings and tenant policies, their directory of people (added one by
// one or as a comma-separated list, searched by name or email alias, removed), and their
// groups as the portal sees them. Thread-safe.

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/attributes.hpp"
#include "service/events.hpp"

namespace parley::service {

struct PersonInput {
    std::string phone;
    // Unset: kept as they are for someone already listed (empty for a newcomer); set to "":
    // cleared.
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<core::OrgRole> role;  // unset: kept; a newcomer is a member
    // Custom attribute values by name ("" clears); only those given change.
    std::vector<std::pair<std::string, std::string>> attributes;
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
    std::vector<std::pair<std::string, std::string>> attributes;  // by name; "" clears
    bool changes_profile() const { return name || email || role; }
};

// One directory row with the extra columns asked for (nullopt: no value).
struct DirectoryRow {
    store::DirectoryEntry entry;
    std::vector<std::optional<std::string>> columns;  // in the order of DirectoryPage::columns
};

struct DirectoryPage {
    std::vector<core::AttributeDefinition> columns;
    std::vector<DirectoryRow> rows;
    std::int64_t total = 0;
};

struct ShownAttribute {
    core::AttributeDefinition definition;
    std::optional<std::string> value;
};

// A person's details as the caller may see them (seed 004 "detailed view").
struct PersonDetail {
    core::OrgPerson person;
    std::optional<TimestampMs> last_active_at;              // see store::DirectoryEntry
    std::optional<std::vector<store::PersonGroup>> groups;  // nullopt: not the caller's to see
    std::vector<ShownAttribute> attributes;                 // those the caller may see
};

struct AttributesView {
    std::vector<core::AttributeDefinition> attributes;
    std::vector<core::AttributeDefinition> suggestions;  // not defined yet, to offer
};

struct NewAttribute {
    std::string name;
    std::string type;
    bool mandatory = false;
    bool self_editable = false;
    bool visible_to_members = false;
};

// The parts of an attribute definition a PATCH changes; unset ones stay.
struct AttributeChange {
    std::optional<std::string> name;
    std::optional<std::string> type;
    std::optional<bool> mandatory;
    std::optional<bool> self_editable;
    std::optional<bool> visible_to_members;
};

// How long a removed person can be restored (issue 4); after it the removal is final.
constexpr TimestampMs kRestoreWindowMs = 30LL * 24 * 60 * 60 * 1000;

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
    // The directory page with up to kMaxDirectoryColumns attribute columns, named as the
    // attributes are (ASCII case ignored): too_many_columns, unknown_column, or the refusal
    // of an attribute the caller may not see.
    Result<DirectoryPage> list_directory(const Caller& caller, const core::Id& org_id,
                                         const store::PersonQuery& query,
                                         const std::vector<std::string>& columns);
    Result<PersonDetail> get_person(const Caller& caller, const core::Id& org_id,
                                    const core::Id& user_id);
    // Admins change anything; people their own self-editable attributes. All or nothing.
    Result<core::OrgPerson> update_person(const Caller& caller, const core::Id& org_id,
                                          const core::Id& user_id, const PersonPatch& patch);
    // Out of the directory and every organization group; their devices are told to wipe the
    // organization's conversations (now if online, at their next connect otherwise). What
    // was removed is kept for kRestoreWindowMs.
    Result<store::RemovedPerson> remove_person(const Caller& caller, const core::Id& org_id,
                                               const core::Id& user_id);
    // The sweep that makes removals final once the restore window has passed, in every
    // organization (the lazy purge on list and restore covers only the one asked about).
    // Returns how many people were purged. A system task: no caller.
    Result<std::int64_t> purge_expired_removals();
    // Removals older than the window are purged here, lazily, before answering.
    Result<std::vector<store::RemovedRecord>> list_removed_people(const Caller& caller,
                                                                  const core::Id& org_id);
    // Back into the directory and the groups the organization still owns, each told so;
    // gone "restore_expired" after the window.
    Result<store::RestoredPerson> restore_person(const Caller& caller, const core::Id& org_id,
                                                 const core::Id& user_id);

    // Custom attributes: everyone in the directory sees the definitions (people need them to
    // fill in their own values); admins add several at once (all or none) and remove them.
    Result<AttributesView> list_attributes(const Caller& caller, const core::Id& org_id);
    Result<std::vector<core::AttributeDefinition>> add_attributes(
        const Caller& caller, const core::Id& org_id, const std::vector<NewAttribute>& attributes);
    // Making an attribute mandatory asks it of people added from then on; those already in
    // the directory keep their blank values until someone fills them in.
    Result<core::AttributeDefinition> update_attribute(const Caller& caller, const core::Id& org_id,
                                                       const core::Id& attribute_id,
                                                       const AttributeChange& change);
    // All or none, with every value people had.
    Result<void> remove_attributes(const Caller& caller, const core::Id& org_id,
                                   const std::vector<core::Id>& attribute_ids);
    // The organization's rules applied to values given by name, for the API and the CSV
    // import alike: per-attribute errors with stable codes (see validate_attributes()).
    Result<AttributeValidation> validate_attribute_values(
        const core::Id& org_id, const std::vector<std::pair<std::string, std::string>>& given,
        bool adding_someone);

    // Admins see every organization group; members the ones they are in.
    Result<std::vector<core::Conversation>> list_groups(const Caller& caller,
                                                        const core::Id& org_id);

private:
    Result<core::OrgPerson> add_person(const core::Id& org_id, const PersonInput& input,
                                       const std::string& region,
                                       const std::vector<core::AttributeDefinition>& attributes);
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
