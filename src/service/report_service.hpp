#pragma once
// Reports (seed 004, "View Reports"): each organization group's activity over a period: its
// members and admins now, and the messages, the people who sent them, the cards and the card
// responses of the period. Organization admins get every group of theirs; group admins the
// groups they administer directly; members none. Counts only: a report quotes no message,
// names no sender and shows no answer. Only what the organization owns is counted, so a
// private group's messages from before it joined the organization stay out of it. Thread-safe
// (no state of its own).

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "service/access.hpp"

namespace parley::service {

// From `from` (inclusive) to `to` (exclusive).
struct ReportPeriod {
    TimestampMs from = 0;
    TimestampMs to = 0;
};

// What the caller asks for; unset: up to now, and the 30 days before `to`.
struct ReportPeriodRequest {
    std::optional<TimestampMs> from;
    std::optional<TimestampMs> to;
};

inline constexpr TimestampMs kDefaultReportDays = 30;

struct GroupReportRow {
    core::Conversation group;
    store::GroupActivity activity;
};

struct GroupsReport {
    core::Id organization_id;
    ReportPeriod period;
    bool all_groups = false;             // every group of the organization (an admin's report)
    std::vector<GroupReportRow> groups;  // by name
};

struct ReportFile {
    std::string file_name;
    std::string bytes;
};

class ReportService {
public:
    ReportService(store::Store& store, Access& access, const Clock& clock)
        : store_(store), access_(access), clock_(clock) {}

    // Fails with invalid "period_invalid" unless from < to, and forbidden
    // "reports_not_available" for a caller who is neither an organization admin nor the direct
    // admin of one of its groups (not_found "organization_not_found" outside its directory).
    Result<GroupsReport> groups(const Caller& caller, const core::Id& org_id,
                                const ReportPeriodRequest& period);
    // The same report as a CSV file, one row per group, for a spreadsheet.
    Result<ReportFile> groups_csv(const Caller& caller, const core::Id& org_id,
                                  const ReportPeriodRequest& period);

private:
    store::Store& store_;
    Access& access_;
    const Clock& clock_;
};

}  // namespace parley::service
