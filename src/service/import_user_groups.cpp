// The User Group Mapping file (seed 001): one row per (group, person, user type). Several
// groups per file; a group the organization does not have is created as an organization group,
// with the uploader as its admin as when an admin creates one in the portal. A phone not yet in
// the directory is added to it as a member, as seed 004 lists members of the organization's
// groups among its people — unless the organization has mandatory attributes, which this file
// cannot give: then the row fails (not_in_directory) and the person goes in a Users file first.
// Existing members with another user type get the one the file gives; nobody is removed.

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>

#include "core/phone.hpp"
#include "crypto/random.hpp"
#include "csv/writer.hpp"
#include "service/conversation_service.hpp"
#include "service/import_kinds.hpp"
#include "service/text.hpp"

namespace parley::service {
namespace {

constexpr const char* kGroup = columns::kGroupName;
constexpr const char* kPhone = columns::kPhone;
constexpr const char* kUserType = columns::kUserType;

struct PendingRow {
    std::size_t row = 0;
    std::string group;
    std::string phone;
    std::string user_type;
};

// A group as the job knows it: an existing one, or one this job creates (in a dry run, one it
// would create: no id).
struct GroupRef {
    core::Id id;
    bool ambiguous = false;  // several organization groups have this name
};

class UserGroupsApplier final : public ImportApplier {
public:
    UserGroupsApplier(ImportContext context, ImportDependencies deps,
                      std::vector<core::Conversation> groups)
        : context_(std::move(context)), deps_(deps) {
        for (auto& g : groups) {
            auto [it, inserted] = groups_.emplace(g.name, GroupRef{g.id, false});
            if (!inserted) it->second.ambiguous = true;
        }
        mandatory_attributes_ =
            std::any_of(context_.attributes.begin(), context_.attributes.end(),
                        [](const core::AttributeDefinition& d) { return d.mandatory; });
        uploader_name_ =
            context_.uploader.name.empty() ? context_.uploader.phone : context_.uploader.name;
    }

    void add(const csv::Record& record) override {
        batch_.push_back({record.row(),
                          std::string(csv::unguard_formula(record.get(kGroup).value_or(""))),
                          std::string(record.get(kPhone).value_or("")),
                          trim(record.get(kUserType).value_or(""))});
    }

    bool full() const override { return batch_.size() >= deps_.batch_rows; }
    bool empty() const override { return batch_.empty(); }

    // What a batch needs of the batches before it is in memory (the groups by name, with the
    // ids of those created; the first row of each group and phone), so it is checked while
    // the one before it is written. A person an earlier batch adds to the directory may look
    // new here: adding them again changes nothing.
    Result<BatchApply> check() override {
        const TimestampMs now = deps_.clock.now_ms();
        std::vector<RowResult> results(batch_.size());
        struct Checked {
            std::size_t index;
            std::string group;
            std::string phone;
            core::MemberRole role;
        };
        std::vector<Checked> checked;
        std::vector<std::string> phones;
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            const auto& r = batch_[i];
            auto& result = results[i];
            result.row = r.row;
            auto name = ConversationService::clean_name(r.group);
            if (!name) fail_row(result, kGroup, r.group, name.error());
            auto phone = core::normalize_phone(r.phone, context_.organization.default_region);
            if (!phone) fail_row(result, kPhone, r.phone, phone.error());
            auto role = parse_user_type(r.user_type);
            if (!role) fail_row(result, kUserType, r.user_type, role.error());
            if (result.outcome == RowOutcome::failed) continue;
            auto group = groups_.find(*name);
            if (group != groups_.end() && group->second.ambiguous) {
                fail_row(result, kGroup, r.group,
                         Error{ErrorKind::conflict, "ambiguous_group",
                               "The organization has several groups named \"" + *name +
                                   "\"; rename all but one first.",
                               std::nullopt});
                continue;
            }
            auto first = first_row_.emplace(*name + '\n' + *phone, r.row);
            if (!first.second) {
                result.outcome = RowOutcome::failed;
                result.errors.push_back(duplicate_row_error(kPhone, r.phone, first.first->second));
                continue;
            }
            phones.push_back(*phone);
            checked.push_back({i, std::move(*name), std::move(*phone), *role});
        }

        PARLEY_TRY_ASSIGN(auto known,
                          deps_.store.find_people_for_import(context_.organization.id, phones));
        std::unordered_map<std::string, const store::ImportedPerson*> by_phone;
        std::vector<core::Id> user_ids;
        for (const auto& k : known) {
            by_phone.emplace(k.user.phone, &k);
            user_ids.push_back(k.user.id);
        }
        std::vector<core::Id> group_ids;
        for (const auto& [name, ref] : groups_) {
            if (!ref.id.empty()) group_ids.push_back(ref.id);
        }
        // (group, user) → role, for the memberships this batch could touch.
        std::map<std::pair<core::Id, core::Id>, core::MemberRole> members;
        {
            std::vector<core::Id> touched;
            for (const auto& c : checked) {
                auto g = groups_.find(c.group);
                if (g != groups_.end() && !g->second.id.empty()) touched.push_back(g->second.id);
            }
            std::sort(touched.begin(), touched.end());
            touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
            PARLEY_TRY_ASSIGN(auto found, deps_.store.find_memberships(touched, user_ids));
            // Inherited members (through a child group) are not members by this file's
            // measure: the row makes them direct ones.
            for (const auto& m : found) {
                if (!m.inherited()) members[{m.conversation_id, m.user_id}] = m.role;
            }
        }

        store::MembershipImport import;
        std::vector<std::size_t> write_rows;               // per membership write: the batch row
        std::unordered_map<std::string, bool> added_here;  // phone → added to the directory
        for (const auto& c : checked) {
            auto& result = results[c.index];
            auto person = by_phone.find(c.phone);
            const store::ImportedPerson* p = person == by_phone.end() ? nullptr : person->second;
            if ((!p || !p->person) && !added_here.count(c.phone)) {
                if (mandatory_attributes_) {
                    fail_row(result, kPhone, batch_[c.index].phone,
                             Error{ErrorKind::invalid, "not_in_directory",
                                   "This person is not in the organization's directory, which has "
                                   "mandatory attributes: add them with a Users file first.",
                                   std::nullopt});
                    continue;
                }
                store::PersonWrite w;
                w.person.organization_id = context_.organization.id;
                w.person.user_id = p ? p->user.id : core::Id();
                w.person.phone = c.phone;
                w.person.role = core::OrgRole::member;
                w.person.added_at = now;
                w.may_have_removed_entry = p && p->ever_in_directory;
                import.people.push_back(std::move(w));
                added_here[c.phone] = true;
            }
            GroupRef& group = group_for(c.group, import, now);
            if (p && !group.id.empty()) {
                auto held = members.find({group.id, p->user.id});
                if (held != members.end() && held->second == c.role) {
                    result.outcome = RowOutcome::unchanged;
                    continue;
                }
            }
            import.memberships.push_back({group.id, c.phone, c.role, now});
            write_rows.push_back(c.index);
        }

        if (context_.job.dry_run || import.memberships.empty()) {
            batch_.clear();
            return already_applied(std::move(results));
        }
        // Announce before knowing which writes succeed: the count is what the rows ask for; a
        // row refused in the write is rare (the person changed meanwhile).
        std::map<core::Id, std::size_t> gained;
        for (const auto& m : import.memberships) ++gained[m.conversation_id];
        for (const auto& [group_id, count] : gained) {
            core::Message m;
            m.id = crypto::new_id("msg");
            m.conversation_id = group_id;
            m.kind = core::MessageKind::system;
            m.text = std::to_string(count) + (count == 1 ? " person was" : " people were") +
                     " added or updated by " + uploader_name_ + " from a CSV upload.";
            m.owner = core::Owner::organization(context_.organization.id);
            m.created_at = now;
            import.announcements.push_back(std::move(m));
        }
        auto write = std::make_shared<BatchWrite>();
        write->results = std::move(results);
        write->import = std::move(import);
        write->write_rows = std::move(write_rows);
        for (std::size_t row : write->write_rows)
            write->phones_as_given.push_back(batch_[row].phone);
        write->members = std::move(members);
        batch_.clear();
        return BatchApply([write, store = &deps_.store, events = &deps_.events,
                           uploader = context_.uploader.id, org = context_.organization.id]() {
            return apply(*write, *store, *events, uploader, org);
        });
    }

private:
    // A checked batch's write, with what applying it needs of the batch.
    struct BatchWrite {
        std::vector<RowResult> results;  // of the whole batch; written rows may still fail
        store::MembershipImport import;
        std::vector<std::size_t> write_rows;       // per membership write: its row in results
        std::vector<std::string> phones_as_given;  // per membership write: for the error log
        // (group, user) → role before the write, for the memberships the batch could touch.
        std::map<std::pair<core::Id, core::Id>, core::MemberRole> members;
    };

    // Runs on the runner's writing thread: touches nothing of the applier.
    static Result<std::vector<RowResult>> apply(BatchWrite& b, store::Store& store,
                                                EventSink& events, const core::Id& uploader,
                                                const core::Id& org_id) {
        std::map<core::Id, std::vector<core::Id>> added;  // group → new members
        std::map<core::Id, bool> role_changed;
        std::unordered_map<std::string, core::Id> user_of_phone;
        auto& results = b.results;
        auto& members = b.members;
        const auto& import = b.import;
        PARLEY_TRY_ASSIGN(auto written, store.import_memberships(import));
        // A group this batch created gained its creator too: in the same event as its first
        // members, since each member event makes the hub read the group's audience again.
        for (const auto& g : import.groups) {
            added[g.conversation.id].push_back(uploader);
            members[{g.conversation.id, uploader}] = core::MemberRole::admin;
        }
        for (std::size_t w = 0; w < written.size(); ++w) {
            auto& result = results[b.write_rows[w]];
            const auto& m = import.memberships[w];
            if (written[w].error) {
                fail_row(result, kPhone, b.phones_as_given[w], *written[w].error);
                continue;
            }
            user_of_phone.emplace(m.phone, written[w].user_id);
            auto held = members.find({m.conversation_id, written[w].user_id});
            if (held == members.end()) {
                added[m.conversation_id].push_back(written[w].user_id);
            } else {
                role_changed[m.conversation_id] = true;
            }
            members[{m.conversation_id, written[w].user_id}] = m.role;
        }
        // One event per group and batch, as a bulk add through the API does.
        for (auto& [group_id, ids] : added) {
            events.publish(Event{"member.added", group_id, 0, std::nullopt, std::move(ids), {}});
        }
        for (const auto& [group_id, changed] : role_changed) {
            events.publish(Event{"conversation.updated", group_id, 0, std::nullopt, {}, {}});
        }
        std::vector<core::Id> newcomers;
        for (const auto& w : import.people) {
            auto user = user_of_phone.find(w.person.phone);
            if (user != user_of_phone.end()) newcomers.push_back(user->second);
        }
        if (!newcomers.empty()) {
            events.publish(
                Event{"person.updated", {}, 0, std::nullopt, std::move(newcomers), org_id});
        }
        return std::move(results);
    }

    static Result<core::MemberRole> parse_user_type(const std::string& text) {
        std::string t = text;
        std::transform(t.begin(), t.end(), t.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (t == "member") return core::MemberRole::member;
        if (t == "admin") return core::MemberRole::admin;
        return fail(ErrorKind::invalid, "invalid_user_type",
                    "User Type must be Member or Admin (any case).");
    }

    // The group of that name, created (in this batch's write) when the organization has none.
    GroupRef& group_for(const std::string& name, store::MembershipImport& import, TimestampMs now) {
        auto it = groups_.find(name);
        if (it != groups_.end()) return it->second;
        GroupRef ref;
        if (!context_.job.dry_run) {
            store::NewGroup g;
            g.conversation.id = crypto::new_id("cnv");
            g.conversation.kind = core::ConversationKind::group;
            g.conversation.name = name;
            g.conversation.owner = core::Owner::organization(context_.organization.id);
            g.conversation.created_by = context_.uploader.id;
            g.conversation.created_at = now;
            g.conversation.last_activity_at = now;
            g.members.push_back(core::Member{g.conversation.id, context_.uploader.id,
                                             core::MemberRole::admin, 0, now});
            g.announcement.id = crypto::new_id("msg");
            g.announcement.conversation_id = g.conversation.id;
            g.announcement.kind = core::MessageKind::system;
            g.announcement.text = uploader_name_ + " created the group from a CSV upload.";
            g.announcement.owner = g.conversation.owner;
            g.announcement.created_at = now;
            ref.id = g.conversation.id;
            import.groups.push_back(std::move(g));
        }
        return groups_.emplace(name, ref).first->second;
    }

    ImportContext context_;
    ImportDependencies deps_;
    std::map<std::string, GroupRef> groups_;  // by exact (cleaned) name
    bool mandatory_attributes_ = false;
    std::string uploader_name_;
    std::vector<PendingRow> batch_;
    std::unordered_map<std::string, std::size_t> first_row_;  // group\nphone → first row
};

class UserGroupsKind final : public ImportFileKind {
public:
    core::ImportKind kind() const override { return core::ImportKind::user_groups; }

    csv::ColumnSpec columns(const std::vector<core::AttributeDefinition>&) const override {
        return {{kGroup, kPhone, kUserType}, {}};
    }

    std::vector<std::vector<std::string>> template_rows(
        const core::Organization&, const std::vector<core::AttributeDefinition>&) const override {
        return {{kGroup, kPhone, kUserType},
                {"Field Sales", "+65 9123 4567", "Member"},
                {"Field Sales", "+65 8123 4567", "Admin"}};
    }

    std::vector<std::string> ignored_columns() const override { return {columns::kName}; }

    Result<std::unique_ptr<ImportApplier>> start(ImportContext context,
                                                 ImportDependencies deps) const override {
        PARLEY_TRY_ASSIGN(auto groups,
                          deps.store.list_organization_groups(context.organization.id));
        return std::unique_ptr<ImportApplier>(
            new UserGroupsApplier(std::move(context), deps, std::move(groups)));
    }
};

}  // namespace

const ImportFileKind& user_groups_import_kind() {
    static const UserGroupsKind kind;
    return kind;
}

}  // namespace parley::service
