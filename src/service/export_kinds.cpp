#include "service/export_kinds.hpp"

#include <unordered_map>

#include "common/clock.hpp"
#include "service/import_kinds.hpp"

namespace parley::service {
namespace {

const char* user_type(core::MemberRole role) {
    return role == core::MemberRole::admin ? "Admin" : "Member";
}

const char* org_role(core::OrgRole role) {
    return role == core::OrgRole::admin ? "Admin" : "Member";
}

class PeopleExport final : public ExportSource {
public:
    PeopleExport(store::Store& store, core::Id org_id,
                 std::vector<core::AttributeDefinition> attributes, int page_rows)
        : store_(store),
          org_id_(std::move(org_id)),
          attributes_(std::move(attributes)),
          page_rows_(page_rows) {
        header_ = {columns::kPhone, columns::kName,        columns::kEmail,
                   columns::kRole,  columns::kWorkAccount, columns::kAdded};
        for (std::size_t i = 0; i < attributes_.size(); ++i) {
            header_.push_back(attributes_[i].name);
            column_of_.emplace(attributes_[i].id, i);
        }
        header_.push_back(columns::kGroups);
    }

    const std::vector<std::string>& header() const override { return header_; }

    Result<std::vector<std::vector<std::string>>> next_page() override {
        PARLEY_TRY_ASSIGN(auto page, store_.export_people_page(org_id_, after_, page_rows_));
        std::vector<std::vector<std::string>> rows;
        rows.reserve(page.size());
        for (const auto& p : page) {
            const core::OrgPerson& e = p.person;
            std::vector<std::string> row{e.phone,
                                         e.name,
                                         e.email,
                                         org_role(e.role),
                                         e.work_account_linked ? "Linked" : "Not linked",
                                         format_rfc3339(e.added_at)};
            row.resize(6 + attributes_.size());
            for (const auto& v : p.values) {
                auto column = column_of_.find(v.attribute_id);
                if (column != column_of_.end()) row[6 + column->second] = v.value;
            }
            row.push_back(format_group_roles(p.groups));
            rows.push_back(std::move(row));
        }
        if (!page.empty()) after_ = page.back().person.phone;
        return rows;
    }

private:
    store::Store& store_;
    core::Id org_id_;
    std::vector<core::AttributeDefinition> attributes_;
    int page_rows_;
    std::vector<std::string> header_;
    std::unordered_map<core::Id, std::size_t> column_of_;  // attribute id → its column
    std::string after_;                                    // the last phone written
};

class GroupMembersExport final : public ExportSource {
public:
    GroupMembersExport(store::Store& store, core::Id org_id, core::Conversation group,
                       int page_rows)
        : store_(store),
          org_id_(std::move(org_id)),
          group_(std::move(group)),
          page_rows_(page_rows) {}

    const std::vector<std::string>& header() const override { return header_; }

    Result<std::vector<std::vector<std::string>>> next_page() override {
        PARLEY_TRY_ASSIGN(auto page,
                          store_.export_members_page(group_.id, org_id_, after_, page_rows_));
        std::vector<std::vector<std::string>> rows;
        rows.reserve(page.size());
        for (const auto& m : page)
            rows.push_back({group_.name, m.phone, m.name, user_type(m.role)});
        if (!page.empty()) after_ = page.back().phone;
        return rows;
    }

private:
    store::Store& store_;
    core::Id org_id_;
    core::Conversation group_;
    int page_rows_;
    const std::vector<std::string> header_{columns::kGroupName, columns::kPhone, columns::kName,
                                           columns::kUserType};
    std::string after_;
};

}  // namespace

std::string format_group_roles(
    const std::vector<std::pair<std::string, core::MemberRole>>& groups) {
    std::string out;
    for (const auto& [name, role] : groups) {
        if (!out.empty()) out += "; ";
        for (char c : name) {
            out += c;
            if (c == ';') out += ';';
        }
        out += std::string(" (") + user_type(role) + ")";
    }
    return out;
}

std::unique_ptr<ExportSource> people_export(store::Store& store, const core::Id& org_id,
                                            std::vector<core::AttributeDefinition> attributes,
                                            int page_rows) {
    return std::make_unique<PeopleExport>(store, org_id, std::move(attributes), page_rows);
}

std::unique_ptr<ExportSource> group_members_export(store::Store& store, const core::Id& org_id,
                                                   const core::Conversation& group, int page_rows) {
    return std::make_unique<GroupMembersExport>(store, org_id, group, page_rows);
}

}  // namespace parley::service
