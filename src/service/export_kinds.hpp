#pragma once
// The kinds of CSV export (issue 4): the organization's people, and one organization group's
// membership. Each kind's columns are those of the import file it can be uploaded again as:
//
//   people          Phone Number, Name, Email, Role, Work Account, Added, one column per custom
//                   attribute (the organization's order), Groups — the Users file's columns
//                   where they overlap; the Users import ignores Work Account, Added and Groups.
//   group_members   Group Name, Phone Number, Name, User Type — the User Group Mapping file's,
//                   whose import ignores Name.
//
// Values are as the server keeps them: Role and User Type "Admin" or "Member", Work Account
// "Linked" or "Not linked", Added and date-time attributes RFC 3339 in UTC, yes/no attributes
// "true" or "false". Groups lists the person's organization groups in name order as
// "Sales (Admin); Field (Member)": entries separated by "; ", each ending in the person's user
// type in parentheses; a ";" inside a group name is doubled, so the list splits on single ";"s.
//
// Rows come from the store one page at a time (keyset pages by phone), so an export of any size
// holds one page in memory. Not thread-safe: one source per job, used by the job's thread.

#include <memory>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace parley::service {

class ExportSource {
public:
    virtual ~ExportSource() = default;
    virtual const std::vector<std::string>& header() const = 0;
    // The next page of rows in the file's order; empty at the end.
    virtual Result<std::vector<std::vector<std::string>>> next_page() = 0;
};

// The whole directory. attributes: the organization's definitions, in its order.
std::unique_ptr<ExportSource> people_export(store::Store& store, const core::Id& org_id,
                                            std::vector<core::AttributeDefinition> attributes,
                                            int page_rows);

// One organization group's members (names from org_id's directory).
std::unique_ptr<ExportSource> group_members_export(store::Store& store, const core::Id& org_id,
                                                   const core::Conversation& group, int page_rows);

// "Sales (Admin); Field (Member)" (see the top of this file).
std::string format_group_roles(const std::vector<std::pair<std::string, core::MemberRole>>& groups);

}  // namespace parley::service
