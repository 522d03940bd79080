// The Users file (seed 004): one row per person, creating or updating their directory entry
// by the rules of the people routes (phone normalization, email, name, custom attributes,
// mandatory attributes for newcomers, one admin kept). A blank cell leaves that value as it
// is: spreadsheets leave cells blank for "nothing to say", and re-uploading a file with fewer
// columns must not wipe what the others hold. Clearing a value is the people route's job.

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "core/phone.hpp"
#include "csv/writer.hpp"
#include "service/attributes.hpp"
#include "service/import_kinds.hpp"
#include "service/organization_service.hpp"
#include "service/text.hpp"

namespace parley::service {
namespace {

using columns::kEmail;
using columns::kName;
using columns::kPhone;
using columns::kRegion;
using columns::kRole;

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// One row as read; checked at flush, when the directory state of the whole batch is known.
struct PendingRow {
    std::size_t row = 0;
    std::string phone;
    std::optional<std::string> name;  // nullopt: no such column; "" a blank cell
    std::optional<std::string> email;
    std::optional<std::string> region;
    std::optional<std::string> role;
    std::vector<std::pair<std::string, std::string>> attributes;  // (header name, non-blank value)
};

// A row that passed its checks, waiting for its write.
struct Planned {
    std::size_t index = 0;  // into the batch
    store::PersonWrite write;
};

class UsersApplier final : public ImportApplier {
public:
    UsersApplier(ImportContext context, ImportDependencies deps)
        : context_(std::move(context)), deps_(deps) {
        const auto& header = *context_.header;
        for (std::size_t column = 0; column < header.size(); ++column) {
            const std::string key = attribute_key(header.name(column));
            auto it = std::find_if(
                context_.attributes.begin(), context_.attributes.end(),
                [&](const core::AttributeDefinition& d) { return attribute_key(d.name) == key; });
            if (it != context_.attributes.end()) attribute_columns_.push_back(column);
        }
    }

    void add(const csv::Record& record) override {
        PendingRow r;
        r.row = record.row();
        r.phone = std::string(record.get(kPhone).value_or(""));
        auto optional = [&](const char* column) -> std::optional<std::string> {
            auto v = record.get(column);
            if (!v) return std::nullopt;
            return trim(csv::unguard_formula(*v));
        };
        r.name = optional(kName);
        r.email = optional(kEmail);
        r.region = optional(kRegion);
        r.role = optional(kRole);
        for (std::size_t column : attribute_columns_) {
            if (column >= record.size()) continue;
            std::string value = trim(csv::unguard_formula(record[column]));
            if (!value.empty()) r.attributes.emplace_back(context_.header->name(column), value);
        }
        batch_.push_back(std::move(r));
    }

    bool full() const override { return batch_.size() >= deps_.batch_rows; }
    bool empty() const override { return batch_.empty(); }

    Result<BatchApply> check() override {
        std::vector<RowResult> results(batch_.size());
        std::vector<std::string> phones(batch_.size());
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            auto& r = batch_[i];
            results[i].row = r.row;
            std::string region =
                r.region && !r.region->empty() ? *r.region : context_.organization.default_region;
            auto phone = core::normalize_phone(r.phone, region);
            if (!phone) {
                bool region_fault = phone.error().code == "invalid_region" && r.region;
                fail_row(results[i], region_fault ? kRegion : kPhone,
                         region_fault ? *r.region : r.phone, phone.error());
                continue;
            }
            phones[i] = *phone;
        }
        std::vector<std::string> lookup;
        for (const auto& p : phones) {
            if (!p.empty()) lookup.push_back(p);
        }
        PARLEY_TRY_ASSIGN(auto known,
                          deps_.store.find_people_for_import(context_.organization.id, lookup));
        std::unordered_map<std::string, store::ImportedPerson*> by_phone;
        for (auto& k : known) by_phone.emplace(k.user.phone, &k);

        std::vector<Planned> planned;
        std::vector<std::string> emails;
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            if (phones[i].empty()) continue;
            auto it = by_phone.find(phones[i]);
            auto write =
                plan(batch_[i], phones[i], it == by_phone.end() ? nullptr : it->second, results[i]);
            if (!write) continue;
            if (!write->person.email.empty()) emails.push_back(write->person.email);
            planned.push_back({i, std::move(*write)});
        }
        PARLEY_TRY_VOID(check_emails(planned, emails, results));

        BatchWrite write;
        write.results = std::move(results);
        for (auto& p : planned) {
            if (write.results[p.index].outcome == RowOutcome::failed) continue;
            write.writes.push_back(std::move(p.write));
            write.indexes.push_back(p.index);
            write.phones_as_given.push_back(std::move(batch_[p.index].phone));
        }
        batch_.clear();
        if (context_.job.dry_run || write.writes.empty()) {
            return already_applied(std::move(write.results));
        }
        return BatchApply(
            [write = std::make_shared<BatchWrite>(std::move(write)), store = &deps_.store,
             events = &deps_.events,
             org = context_.organization.id]() { return apply(*write, *store, *events, org); });
    }

private:
    // A checked batch's writes, with what applying them needs of the batch.
    struct BatchWrite {
        std::vector<RowResult> results;  // of the whole batch; written rows may still fail
        std::vector<store::PersonWrite> writes;
        std::vector<std::size_t> indexes;          // per write: its row in results
        std::vector<std::string> phones_as_given;  // per write: for the error log
    };

    // Runs on the runner's writing thread: touches nothing of the applier.
    static Result<std::vector<RowResult>> apply(BatchWrite& b, store::Store& store,
                                                EventSink& events, const core::Id& org_id) {
        PARLEY_TRY_ASSIGN(auto written, store.import_people(b.writes));
        std::vector<core::Id> changed;
        for (std::size_t w = 0; w < written.size(); ++w) {
            auto& result = b.results[b.indexes[w]];
            if (written[w].error) {
                // The writer re-checks emails in its transaction: taken meanwhile through the
                // API, or still held when an earlier row meant to free it failed.
                const bool email = written[w].error->code == "email_taken";
                fail_row(result, email ? kEmail : kPhone,
                         email ? b.writes[w].person.email : b.phones_as_given[w],
                         *written[w].error);
            } else {
                changed.push_back(written[w].user_id);
            }
        }
        // One event for the batch: each makes the hub forget the organization's audiences.
        if (!changed.empty()) {
            events.publish(
                Event{"person.updated", {}, 0, std::nullopt, std::move(changed), org_id});
        }
        return std::move(b.results);
    }

    // The entry this row asks for, or nullopt when it fails or changes nothing (the outcome
    // says which).
    std::optional<store::PersonWrite> plan(const PendingRow& r, const std::string& phone,
                                           const store::ImportedPerson* known, RowResult& result) {
        auto first = first_row_.emplace(phone, r.row);
        if (!first.second) {
            result.outcome = RowOutcome::failed;
            result.errors.push_back(duplicate_row_error(kPhone, r.phone, first.first->second));
            return std::nullopt;
        }
        const core::OrgPerson* existing = known && known->person ? &*known->person : nullptr;
        std::string email;
        if (r.email && !r.email->empty()) {
            auto cleaned = clean_email(*r.email);
            if (!cleaned) {
                fail_row(result, kEmail, *r.email, cleaned.error());
            } else {
                email = *cleaned;
            }
        }
        if (r.name && !r.name->empty()) {
            auto length = utf8_length(*r.name);
            if (!length || *length > core::kMaxNameChars) {
                fail_row(result, kName, *r.name,
                         Error{ErrorKind::invalid, "invalid_name",
                               "A name must be UTF-8 and at most 200 characters.", std::nullopt});
            }
        }
        std::optional<core::OrgRole> role;
        if (r.role && !r.role->empty()) {
            const std::string text = lower_ascii(*r.role);
            if (text == "admin") {
                role = core::OrgRole::admin;
            } else if (text == "member") {
                role = core::OrgRole::member;
            } else {
                fail_row(result, kRole, *r.role,
                         Error{ErrorKind::invalid, "invalid_role",
                               "Role must be Admin or Member (any case), or blank to keep it.",
                               std::nullopt});
            }
        }
        auto validation = validate_attributes(context_.attributes, r.attributes, !existing);
        for (auto& e : validation.errors) {
            auto given = std::find_if(r.attributes.begin(), r.attributes.end(),
                                      [&](const auto& a) { return a.first == e.name; });
            fail_row(result, e.name, given == r.attributes.end() ? "" : given->second,
                     std::move(e.error));
        }
        if (result.outcome == RowOutcome::failed) return std::nullopt;

        core::OrgPerson person;
        person.organization_id = context_.organization.id;
        person.user_id = known ? known->user.id : core::Id();
        person.phone = phone;
        person.name = r.name && !r.name->empty() ? *r.name : existing ? existing->name : "";
        person.email = !email.empty() ? email : existing ? existing->email : "";
        person.role = role.value_or(existing ? existing->role : core::OrgRole::member);
        person.added_at = deps_.clock.now_ms();
        if (existing) {
            bool same = person.name == existing->name && person.email == existing->email &&
                        person.role == existing->role;
            for (const auto& v : validation.values) {
                auto held = std::find_if(known->values.begin(), known->values.end(),
                                         [&](const core::AttributeValue& h) {
                                             return h.attribute_id == v.attribute_id;
                                         });
                if (held == known->values.end() || held->value != v.value) same = false;
            }
            if (same) {
                result.outcome = RowOutcome::unchanged;
                return std::nullopt;
            }
            if (existing->role == core::OrgRole::admin && person.role != core::OrgRole::admin) {
                auto kept = keep_an_admin();
                if (!kept) {
                    fail_row(result, kRole, r.role.value_or(""), kept.error());
                    return std::nullopt;
                }
            }
        }
        store::PersonWrite write;
        write.person = std::move(person);
        write.values = std::move(validation.values);
        for (auto& v : write.values) v.user_id = write.person.user_id;
        write.unlink_work_account =
            existing && existing->work_account_linked && existing->email != write.person.email;
        if (existing && !existing->email.empty() && existing->email != write.person.email) {
            released_emails_.insert(existing->email);
        }
        write.may_have_removed_entry = known && known->ever_in_directory;
        return write;
    }

    // Emails belong to one person in a directory: another holder now, or an earlier row of
    // the file, fails the row. A holder whose email an earlier row of the file changes is
    // left to the writer, which checks again in its transaction: that row's batch may still
    // be being written while this one is checked.
    Result<void> check_emails(const std::vector<Planned>& planned,
                              const std::vector<std::string>& emails,
                              std::vector<RowResult>& results) {
        PARLEY_TRY_ASSIGN(auto holders,
                          deps_.store.find_email_holders(context_.organization.id, emails));
        std::unordered_map<std::string, core::Id> holder_of(holders.begin(), holders.end());
        for (const auto& p : planned) {
            const auto& person = p.write.person;
            if (person.email.empty()) continue;
            auto& result = results[p.index];
            auto holder = holder_of.find(person.email);
            if (holder != holder_of.end() && holder->second != person.user_id &&
                !released_emails_.contains(person.email)) {
                fail_row(result, kEmail, person.email,
                         Error{ErrorKind::conflict, "email_taken",
                               person.email + " already belongs to someone else in this "
                                              "directory.",
                               std::nullopt});
                continue;
            }
            auto first = email_row_.emplace(person.email, batch_[p.index].row);
            if (!first.second && first.first->second != batch_[p.index].row) {
                result.outcome = RowOutcome::failed;
                result.errors.push_back(
                    duplicate_row_error(kEmail, person.email, first.first->second));
            }
        }
        return ok();
    }

    // Demoting an admin must leave one: the admins are counted once per job, then kept.
    Result<void> keep_an_admin() {
        if (!admins_) {
            std::int64_t count = 0;
            for (int offset = 0;; offset += 500) {
                PARLEY_TRY_ASSIGN(auto page, deps_.store.search_people(context_.organization.id,
                                                                       {"", 500, offset}));
                for (const auto& p : page) count += p.role == core::OrgRole::admin ? 1 : 0;
                if (page.size() < 500) break;
            }
            admins_ = count;
        }
        if (*admins_ <= 1) {
            return fail(ErrorKind::conflict, "last_admin",
                        "That is the organization's last admin; make someone else admin first.");
        }
        --*admins_;
        return ok();
    }

    ImportContext context_;
    ImportDependencies deps_;
    std::vector<std::size_t> attribute_columns_;
    std::vector<PendingRow> batch_;
    std::unordered_map<std::string, std::size_t> first_row_;  // E.164 phone → first row
    std::unordered_map<std::string, std::size_t> email_row_;  // email → first row
    std::unordered_set<std::string> released_emails_;  // emails earlier rows change away from
    std::optional<std::int64_t> admins_;
};

class UsersKind final : public ImportFileKind {
public:
    core::ImportKind kind() const override { return core::ImportKind::users; }

    csv::ColumnSpec columns(
        const std::vector<core::AttributeDefinition>& attributes) const override {
        csv::ColumnSpec spec{{kPhone}, {kName, kEmail, kRegion, kRole}};
        for (const auto& a : attributes) spec.optional.push_back(a.name);
        return spec;
    }

    std::vector<std::vector<std::string>> template_rows(
        const core::Organization& organization,
        const std::vector<core::AttributeDefinition>& attributes) const override {
        std::vector<std::string> header{kPhone, kName, kEmail, kRegion, kRole};
        std::vector<std::string> example{"+65 9123 4567", "Priya Raman", "priya@example.com",
                                         organization.default_region, "Member"};
        for (const auto& a : attributes) {
            header.push_back(a.name);
            switch (a.type) {
                case core::AttributeType::string:
                    example.push_back(a.mandatory ? "(required)" : "");
                    break;
                case core::AttributeType::number:
                    example.push_back("42");
                    break;
                case core::AttributeType::boolean:
                    example.push_back("Yes");
                    break;
                case core::AttributeType::date_time:
                    example.push_back("2026-03-01");
                    break;
            }
        }
        return {header, example};
    }

    std::vector<std::string> ignored_columns() const override {
        return {columns::kWorkAccount, columns::kAdded, columns::kGroups};
    }

    Result<std::unique_ptr<ImportApplier>> start(ImportContext context,
                                                 ImportDependencies deps) const override {
        return std::unique_ptr<ImportApplier>(new UsersApplier(std::move(context), deps));
    }
};

}  // namespace

const ImportFileKind& users_import_kind() {
    static const UsersKind kind;
    return kind;
}

}  // namespace parley::service
