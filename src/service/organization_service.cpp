#include "service/organization_service.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/phone.hpp"
#include "crypto/random.hpp"
#include "service/conversation_service.hpp"
#include "service/text.hpp"

namespace parley::service {

using authz::OrgAction;

Result<std::string> clean_email(const std::string& email) {
    std::string e = trim(email);
    std::transform(e.begin(), e.end(), e.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (e.empty()) return e;
    auto at = e.find('@');
    bool plausible = at != std::string::npos && at > 0 &&
                     e.find('@', at + 1) == std::string::npos &&
                     e.find('.', at) != std::string::npos && e.back() != '.' &&
                     e.find_first_of(" \t\r\n,;<>") == std::string::npos && e.size() <= 254;
    if (!plausible) {
        return fail(ErrorKind::invalid, "invalid_email",
                    "\"" + email + "\" is not an email address like name@example.com.");
    }
    return e;
}

Result<core::OrgPerson> OrganizationService::add_person(
    const core::Id& org_id, const PersonInput& input, const std::string& region,
    const std::vector<core::AttributeDefinition>& attributes) {
    PARLEY_TRY_ASSIGN(auto phone, core::normalize_phone(input.phone, region));
    PARLEY_TRY_ASSIGN(auto email, clean_email(input.email.value_or("")));
    std::string name = trim(input.name.value_or(""));
    auto name_length = utf8_length(name);
    if (!name_length || *name_length > core::kMaxNameChars) {
        return fail(ErrorKind::invalid, "invalid_name",
                    "A name must be UTF-8 and at most 200 characters.");
    }
    // Everything is checked before the first write: a refused person leaves no user behind.
    std::optional<core::OrgPerson> existing;
    PARLEY_TRY_ASSIGN(auto known_user, store_.find_user_by_phone(phone));
    if (known_user) {
        PARLEY_TRY_ASSIGN(existing, store_.find_person(org_id, known_user->id));
    }
    auto validation = validate_attributes(attributes, input.attributes, !existing);
    if (!validation.ok()) return fail(first_attribute_error(validation));
    PARLEY_TRY_ASSIGN(auto user, store_.ensure_user(phone, name));
    if (!email.empty()) {
        PARLEY_TRY_ASSIGN(auto holder, store_.find_person_by_email(org_id, email));
        if (holder && holder->user_id != user.id) {
            return fail(ErrorKind::conflict, "email_taken",
                        email + " already belongs to " + holder->phone + " in this directory.");
        }
    }
    core::OrgRole role = input.role.value_or(existing ? existing->role : core::OrgRole::member);
    if (existing && existing->role == core::OrgRole::admin && role != core::OrgRole::admin) {
        PARLEY_TRY_VOID(keep_an_admin(org_id, user.id));
    }
    core::OrgPerson person;
    person.organization_id = org_id;
    person.user_id = user.id;
    person.name = !input.name && existing ? existing->name : name;
    person.email = !input.email && existing ? existing->email : email;
    person.role = role;
    person.added_at = clock_.now_ms();
    if (user.name.empty() && !person.name.empty()) {
        PARLEY_TRY_VOID(store_.set_user_name(user.id, person.name));
    }
    // A work account proves one address: when the directory's address changes, the link
    // (made for the old one) goes.
    if (existing && existing->work_account_linked && existing->email != person.email) {
        PARLEY_TRY_VOID(store_.unlink_work_account(user.id));
    }
    for (auto& v : validation.values) v.user_id = user.id;
    PARLEY_TRY_ASSIGN(auto saved, store_.upsert_person(person, validation.values));
    events_.publish(Event{"person.updated", {}, 0, std::nullopt, {user.id}, org_id});
    return saved;
}

Result<core::Organization> OrganizationService::bootstrap(const std::string& name,
                                                          const std::string& region,
                                                          const std::string& admin_phone) {
    PARLEY_TRY_ASSIGN(auto existing, store_.find_organization_by_name(name));
    core::Organization org;
    if (existing) {
        org = *existing;
    } else {
        if (!core::is_known_region(region)) {
            return fail(ErrorKind::invalid, "invalid_region",
                        "\"" + region + "\" is not a known region code (like SG or IN).");
        }
        org.id = crypto::new_id("org");
        org.name = name;
        org.default_region = region;
        org.created_at = clock_.now_ms();
        PARLEY_TRY_VOID(store_.create_organization(org));
    }
    PARLEY_TRY_ASSIGN(auto attributes, store_.list_attributes(org.id));
    PARLEY_TRY_VOID(add_person(org.id, PersonInput{admin_phone, {}, {}, core::OrgRole::admin, {}},
                               org.default_region, attributes));
    return org;
}

Result<OrganizationView> OrganizationService::get(const Caller& caller, const core::Id& org_id) {
    PARLEY_TRY_ASSIGN(auto access,
                      access_.organization(caller, org_id, OrgAction::view_organization));
    return OrganizationView{std::move(access.organization), access.actor.org_role,
                            access.actor.work_account_linked};
}

Result<OrganizationView> OrganizationService::update(const Caller& caller, const core::Id& org_id,
                                                     const OrganizationPatch& patch) {
    PARLEY_TRY_ASSIGN(auto access,
                      access_.organization(caller, org_id, OrgAction::manage_organization));
    core::Organization org = access.organization;
    if (patch.name) {
        PARLEY_TRY_ASSIGN(org.name, ConversationService::clean_name(*patch.name));
    }
    if (patch.default_region) {
        if (!core::is_known_region(*patch.default_region)) {
            return fail(ErrorKind::invalid, "invalid_region",
                        "\"" + *patch.default_region + "\" is not a known region code.");
        }
        org.default_region = *patch.default_region;
        std::transform(org.default_region.begin(), org.default_region.end(),
                       org.default_region.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    }
    if (patch.parley_enabled) org.policies.parley_enabled = *patch.parley_enabled;
    auto set = [](const std::optional<bool>& value, bool& policy) {
        if (value) policy = *value;
    };
    set(patch.groups_require_work_account, org.policies.groups_require_work_account);
    set(patch.group_admins_set_policies, org.policies.group_admins_set_policies);
    auto& tenant = org.policies.conversations;
    set(patch.restrict_copy, tenant.restrict_copy);
    set(patch.restrict_share, tenant.restrict_share);
    set(patch.restrict_forward, tenant.restrict_forward);
    set(patch.new_members_see_history, tenant.new_members_see_history);
    set(patch.delete_for_everyone, tenant.delete_for_everyone);
    set(patch.invite_links, tenant.invite_links);
    PARLEY_TRY_VOID(store_.update_organization(org));
    if (org.policies != access.organization.policies) {
        events_.publish(Event{"organization.updated", {}, 0, std::nullopt, {}, org_id});
        // Tenant policies reach organization chats as well as groups: tell them all, so that
        // clients refresh the policies they honour.
        PARLEY_TRY_ASSIGN(auto conversations, store_.list_organization_conversations(org_id));
        for (const auto& c : conversations) {
            events_.publish(
                Event{"conversation.updated", c.id, c.last_seq, std::nullopt, {}, org_id});
        }
    }
    return OrganizationView{std::move(org), access.actor.org_role,
                            access.actor.work_account_linked};
}

Result<std::vector<PersonResult>> OrganizationService::add_people(
    const Caller& caller, const core::Id& org_id, const std::vector<PersonInput>& people,
    const std::string& region) {
    if (people.empty()) {
        return fail(ErrorKind::invalid, "people_required", "Give at least one phone number.");
    }
    if (people.size() > kMaxPeoplePerRequest) {
        return fail(ErrorKind::payload_too_large, "too_many_people",
                    "At most 1000 people per request; use a bulk upload for more.");
    }
    PARLEY_TRY_ASSIGN(auto access,
                      access_.organization(caller, org_id, OrgAction::manage_directory));
    std::string effective_region = region.empty() ? access.organization.default_region : region;
    PARLEY_TRY_ASSIGN(auto attributes, store_.list_attributes(org_id));
    std::vector<PersonResult> results;
    results.reserve(people.size());
    for (const auto& input : people) {
        auto added = add_person(org_id, input, effective_region, attributes);
        PersonResult r{input.phone, std::nullopt, std::nullopt};
        if (added) {
            r.person = std::move(*added);
        } else {
            r.error = std::move(added.error());
        }
        results.push_back(std::move(r));
    }
    return results;
}

Result<DirectoryPage> OrganizationService::list_directory(const Caller& caller,
                                                          const core::Id& org_id,
                                                          const store::PersonQuery& query,
                                                          const std::vector<std::string>& columns) {
    if (query.limit < 1 || query.limit > 500 || query.offset < 0) {
        return fail(ErrorKind::invalid, "invalid_paging",
                    "limit must be 1–500 and offset not negative.");
    }
    if (columns.size() > kMaxDirectoryColumns) {
        return fail(ErrorKind::invalid, "too_many_columns",
                    "Choose at most 4 attribute columns (columns=Department,Location).");
    }
    PARLEY_TRY_ASSIGN(auto access, access_.organization(caller, org_id, OrgAction::view_directory));
    DirectoryPage page;
    if (!columns.empty()) {
        PARLEY_TRY_ASSIGN(auto definitions, store_.list_attributes(org_id));
        for (const auto& column : columns) {
            auto it = std::find_if(definitions.begin(), definitions.end(), [&](const auto& d) {
                return attribute_key(d.name) == attribute_key(column);
            });
            if (it == definitions.end()) {
                return fail(ErrorKind::invalid, "unknown_column",
                            "The organization has no attribute \"" + column.substr(0, 100) +
                                "\" to show as a column; GET …/attributes lists them.");
            }
            bool listed = std::any_of(page.columns.begin(), page.columns.end(),
                                      [&](const auto& d) { return d.id == it->id; });
            if (listed) continue;
            authz::PersonFacts facts{access.organization.policies, false, it->visible_to_members,
                                     it->self_editable};
            PARLEY_TRY_VOID(authz::check(access.actor, authz::PersonAction::view_attribute, facts));
            page.columns.push_back(*it);
        }
    }
    PARLEY_TRY_ASSIGN(auto entries, store_.list_directory(org_id, query));
    PARLEY_TRY_ASSIGN(page.total, store_.count_people(org_id, query.text));
    std::vector<core::AttributeValue> values;
    if (!page.columns.empty() && !entries.empty()) {
        std::vector<core::Id> user_ids;
        for (const auto& e : entries) user_ids.push_back(e.person.user_id);
        PARLEY_TRY_ASSIGN(values, store_.list_attribute_values(org_id, user_ids));
    }
    std::map<std::pair<core::Id, core::Id>, std::string> by_person;  // (user, attribute)
    for (auto& v : values) by_person.emplace(std::pair{v.user_id, v.attribute_id}, v.value);
    page.rows.reserve(entries.size());
    for (auto& e : entries) {
        DirectoryRow row{std::move(e), {}};
        for (const auto& d : page.columns) {
            auto it = by_person.find({row.entry.person.user_id, d.id});
            row.columns.push_back(it == by_person.end() ? std::nullopt
                                                        : std::optional<std::string>(it->second));
        }
        page.rows.push_back(std::move(row));
    }
    return page;
}

Result<PersonDetail> OrganizationService::get_person(const Caller& caller, const core::Id& org_id,
                                                     const core::Id& user_id) {
    PARLEY_TRY_ASSIGN(auto access,
                      access_.person(caller, org_id, user_id, authz::PersonAction::view));
    PARLEY_TRY_ASSIGN(auto person, store_.find_person(org_id, user_id));
    if (!person) {
        return fail(ErrorKind::not_found, "person_not_found",
                    "That person is not in the organization's directory.");
    }
    PersonDetail detail;
    detail.person = std::move(*person);
    PARLEY_TRY_ASSIGN(detail.last_active_at, store_.last_active(user_id));
    authz::PersonFacts facts{access.organization.policies, user_id == caller.user.id, false, false};
    if (authz::check(access.actor, authz::PersonAction::view_groups, facts)) {
        PARLEY_TRY_ASSIGN(detail.groups, store_.list_person_groups(org_id, user_id));
    }
    PARLEY_TRY_ASSIGN(auto definitions, store_.list_attributes(org_id));
    PARLEY_TRY_ASSIGN(auto values, store_.list_attribute_values(org_id, {user_id}));
    for (auto& d : definitions) {
        facts.attribute_visible_to_members = d.visible_to_members;
        facts.attribute_self_editable = d.self_editable;
        if (!authz::check(access.actor, authz::PersonAction::view_attribute, facts)) continue;
        auto it = std::find_if(values.begin(), values.end(),
                               [&](const auto& v) { return v.attribute_id == d.id; });
        detail.attributes.push_back({std::move(d), it == values.end()
                                                       ? std::nullopt
                                                       : std::optional<std::string>(it->value)});
    }
    return detail;
}

Result<void> OrganizationService::keep_an_admin(const core::Id& org_id, const core::Id& user_id) {
    // Count admins precisely: the directory of a large organization is paged, admins are few.
    std::int64_t count = 0;
    bool target_is_admin = false;
    for (int offset = 0;; offset += 500) {
        PARLEY_TRY_ASSIGN(auto page,
                          store_.search_people(org_id, store::PersonQuery{"", 500, offset}));
        for (const auto& p : page) {
            if (p.role != core::OrgRole::admin) continue;
            ++count;
            if (p.user_id == user_id) target_is_admin = true;
        }
        if (page.size() < 500) break;
    }
    if (target_is_admin && count <= 1) {
        return fail(ErrorKind::conflict, "last_admin",
                    "That is the organization's last admin; make someone else admin first.");
    }
    return ok();
}

Result<core::OrgPerson> OrganizationService::update_person(const Caller& caller,
                                                           const core::Id& org_id,
                                                           const core::Id& user_id,
                                                           const PersonPatch& patch) {
    PARLEY_TRY_ASSIGN(auto access,
                      access_.person(caller, org_id, user_id,
                                     patch.changes_profile() || patch.attributes.empty()
                                         ? authz::PersonAction::edit
                                         : authz::PersonAction::view));
    PARLEY_TRY_ASSIGN(auto person, store_.find_person(org_id, user_id));
    if (!person) {
        return fail(ErrorKind::not_found, "person_not_found",
                    "That person is not in the organization's directory.");
    }
    PARLEY_TRY_ASSIGN(auto definitions, store_.list_attributes(org_id));
    auto validation = validate_attributes(definitions, patch.attributes, false);
    if (!validation.ok()) return fail(first_attribute_error(validation));
    authz::PersonFacts facts{access.organization.policies, user_id == caller.user.id, false, false};
    for (const auto& v : validation.values) {
        auto d = std::find_if(definitions.begin(), definitions.end(),
                              [&](const auto& def) { return def.id == v.attribute_id; });
        facts.attribute_visible_to_members = d->visible_to_members;
        facts.attribute_self_editable = d->self_editable;
        PARLEY_TRY_VOID(authz::check(access.actor, authz::PersonAction::edit_attribute, facts));
    }
    if (patch.changes_profile()) {
        PersonInput input{person->phone, patch.name, patch.email, patch.role, patch.attributes};
        return add_person(org_id, input, access.organization.default_region, definitions);
    }
    for (auto& v : validation.values) v.user_id = user_id;
    PARLEY_TRY_VOID(store_.set_attribute_values(org_id, user_id, validation.values));
    events_.publish(Event{"person.updated", {}, 0, std::nullopt, {user_id}, org_id});
    return *person;
}

Result<store::RemovedPerson> OrganizationService::remove_person(const Caller& caller,
                                                                const core::Id& org_id,
                                                                const core::Id& user_id) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::manage_directory));
    PARLEY_TRY_VOID(keep_an_admin(org_id, user_id));
    PARLEY_TRY_ASSIGN(auto removed, store_.remove_person(org_id, user_id, clock_.now_ms()));
    for (const auto& cid : removed.conversations_left) {
        events_.publish(Event{"member.removed", cid, 0, std::nullopt, {user_id}, org_id});
    }
    events_.publish(Event{"wipe", "", 0, std::nullopt, {user_id}, org_id});
    return removed;
}

Result<std::int64_t> OrganizationService::purge_expired_removals() {
    return store_.purge_removed_people_everywhere(clock_.now_ms() - kRestoreWindowMs);
}

Result<std::vector<store::RemovedRecord>> OrganizationService::list_removed_people(
    const Caller& caller, const core::Id& org_id) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::restore_people));
    PARLEY_TRY_VOID(store_.purge_removed_people(org_id, clock_.now_ms() - kRestoreWindowMs));
    return store_.list_removed_people(org_id);
}

Result<store::RestoredPerson> OrganizationService::restore_person(const Caller& caller,
                                                                  const core::Id& org_id,
                                                                  const core::Id& user_id) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::restore_people));
    PARLEY_TRY_ASSIGN(auto record, store_.find_removed_person(org_id, user_id));
    if (!record) {
        return fail(ErrorKind::not_found, "removed_person_not_found",
                    "That person is not among the organization's removed people.");
    }
    const TimestampMs now = clock_.now_ms();
    const TimestampMs cutoff = now - kRestoreWindowMs;
    if (record->removed_at < cutoff) {
        PARLEY_TRY_VOID(store_.purge_removed_people(org_id, cutoff));
        return fail(ErrorKind::gone, "restore_expired",
                    "That person was removed more than 30 days ago and can no longer be "
                    "restored; add them again instead.");
    }
    const auto& p = record->person;
    const std::string who = p.name.empty() ? p.phone : p.name;
    std::vector<core::Message> announcements;
    for (const auto& g : record->groups) {
        core::Message m;
        m.id = crypto::new_id("msg");
        m.conversation_id = g.conversation.id;
        m.kind = core::MessageKind::system;
        m.text = who + " was restored to the group.";
        m.owner = g.conversation.owner;
        // In a public group a subscriber's return is theirs and the admins' business only.
        authz::ConversationFacts facts = authz::conversation_facts(g.conversation);
        facts.membership = g.role;
        m.private_to = authz::private_to(facts, user_id);
        m.created_at = now;
        announcements.push_back(std::move(m));
    }
    PARLEY_TRY_ASSIGN(auto restored,
                      store_.restore_person(org_id, user_id, cutoff, now, announcements));
    for (const auto& c : restored.groups_rejoined) {
        events_.publish(Event{"member.added", c.id, c.last_seq, std::nullopt, {user_id}, org_id});
    }
    events_.publish(Event{"person.updated", {}, 0, std::nullopt, {user_id}, org_id});
    return restored;
}

Result<AttributesView> OrganizationService::list_attributes(const Caller& caller,
                                                            const core::Id& org_id) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::view_organization));
    AttributesView view;
    PARLEY_TRY_ASSIGN(view.attributes, store_.list_attributes(org_id));
    for (auto& s : suggested_attributes()) {
        bool defined = std::any_of(view.attributes.begin(), view.attributes.end(), [&](auto& d) {
            return attribute_key(d.name) == attribute_key(s.name);
        });
        if (!defined) view.suggestions.push_back(std::move(s));
    }
    return view;
}

Result<std::vector<core::AttributeDefinition>> OrganizationService::add_attributes(
    const Caller& caller, const core::Id& org_id, const std::vector<NewAttribute>& attributes) {
    if (attributes.empty()) {
        return fail(ErrorKind::invalid, "attributes_required", "Give at least one attribute.");
    }
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::manage_attributes));
    PARLEY_TRY_ASSIGN(auto existing, store_.list_attributes(org_id));
    if (existing.size() + attributes.size() > kMaxAttributesPerOrganization) {
        return fail(ErrorKind::invalid, "too_many_attributes",
                    "An organization can have at most 100 attributes; remove some first.");
    }
    std::vector<core::AttributeDefinition> created;
    std::vector<std::string> keys;
    const TimestampMs now = clock_.now_ms();
    for (const auto& a : attributes) {
        core::AttributeDefinition d;
        d.id = crypto::new_id("atr");
        d.organization_id = org_id;
        PARLEY_TRY_ASSIGN(d.name, clean_attribute_name(a.name));
        PARLEY_TRY_ASSIGN(d.type, parse_attribute_type(a.type));
        d.mandatory = a.mandatory;
        d.self_editable = a.self_editable;
        d.visible_to_members = a.visible_to_members;
        d.created_at = now;
        std::string key = attribute_key(d.name);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
            return fail(ErrorKind::invalid, "duplicate_attribute",
                        "\"" + d.name + "\" is given twice (names ignore case).");
        }
        keys.push_back(std::move(key));
        created.push_back(std::move(d));
    }
    PARLEY_TRY_VOID(store_.add_attributes(created));
    return created;
}

Result<core::AttributeDefinition> OrganizationService::update_attribute(
    const Caller& caller, const core::Id& org_id, const core::Id& attribute_id,
    const AttributeChange& change) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::manage_attributes));
    PARLEY_TRY_ASSIGN(auto definitions, store_.list_attributes(org_id));
    auto it = std::find_if(definitions.begin(), definitions.end(),
                           [&](const auto& d) { return d.id == attribute_id; });
    if (it == definitions.end()) {
        return fail(ErrorKind::not_found, "attribute_not_found",
                    "The organization has no such attribute.");
    }
    core::AttributeDefinition d = *it;
    if (change.name) {
        PARLEY_TRY_ASSIGN(d.name, clean_attribute_name(*change.name));
    }
    if (change.type) {
        PARLEY_TRY_ASSIGN(d.type, parse_attribute_type(*change.type));
    }
    d.mandatory = change.mandatory.value_or(d.mandatory);
    d.self_editable = change.self_editable.value_or(d.self_editable);
    d.visible_to_members = change.visible_to_members.value_or(d.visible_to_members);
    PARLEY_TRY_ASSIGN(bool updated, store_.update_attribute(d));
    if (!updated) {
        return fail(ErrorKind::not_found, "attribute_not_found",
                    "The organization has no such attribute.");
    }
    return d;
}

Result<void> OrganizationService::remove_attributes(const Caller& caller, const core::Id& org_id,
                                                    const std::vector<core::Id>& attribute_ids) {
    if (attribute_ids.empty()) {
        return fail(ErrorKind::invalid, "attributes_required",
                    "Name at least one attribute to remove.");
    }
    if (attribute_ids.size() > kMaxAttributesPerOrganization) {
        return fail(ErrorKind::invalid, "too_many_attributes",
                    "An organization has at most 100 attributes; name at most 100.");
    }
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::manage_attributes));
    std::vector<core::Id> unique = attribute_ids;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    PARLEY_TRY_ASSIGN(bool removed, store_.remove_attributes(org_id, unique));
    if (!removed) {
        return fail(ErrorKind::not_found, "attribute_not_found",
                    "The organization has no attribute with one of these ids; nothing was "
                    "removed.");
    }
    return ok();
}

Result<AttributeValidation> OrganizationService::validate_attribute_values(
    const core::Id& org_id, const std::vector<std::pair<std::string, std::string>>& given,
    bool adding_someone) {
    PARLEY_TRY_ASSIGN(auto definitions, store_.list_attributes(org_id));
    return validate_attributes(definitions, given, adding_someone);
}

Result<std::vector<core::Conversation>> OrganizationService::list_groups(const Caller& caller,
                                                                         const core::Id& org_id) {
    PARLEY_TRY_ASSIGN(auto access,
                      access_.organization(caller, org_id, OrgAction::view_organization));
    if (authz::check(access.actor, OrgAction::view_all_groups, {access.organization.policies})) {
        return store_.list_organization_groups(org_id);
    }
    PARLEY_TRY_ASSIGN(auto mine, store_.list_conversations(caller.user.id));
    std::vector<core::Conversation> groups;
    for (auto& s : mine) {
        const auto& c = s.conversation;
        if (c.kind == core::ConversationKind::group && c.owner.is_organization() &&
            c.owner.organization_id == org_id) {
            groups.push_back(std::move(s.conversation));
        }
    }
    return groups;
}

}  // namespace parley::service
