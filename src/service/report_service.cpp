#include "service/report_service.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "csv/writer.hpp"

namespace parley::service {

using authz::ConversationAction;
using authz::OrgAction;

Result<GroupsReport> ReportService::groups(const Caller& caller, const core::Id& org_id,
                                           const ReportPeriodRequest& asked) {
    ReportPeriod period;
    period.to = asked.to.value_or(clock_.now_ms());
    period.from = asked.from.value_or(period.to - kDefaultReportDays * 24 * 3600 * 1000);
    if (period.from >= period.to) {
        return fail(ErrorKind::invalid, "period_invalid",
                    "The report's period must start before it ends: give from earlier than to.");
    }
    GroupsReport report;
    report.organization_id = org_id;
    report.period = period;

    // Organization admins: every group. Anyone else: the groups authz/ lets them see the
    // report of, among those they are in (direct admins); none at all is a refusal.
    std::optional<std::unordered_set<core::Id>> only;
    auto admin = access_.organization(caller, org_id, OrgAction::view_reports);
    if (admin) {
        report.all_groups = true;
    } else if (admin.error().code != "org_admin_required") {
        return std::unexpected(admin.error());
    } else {
        PARLEY_TRY_ASSIGN(auto mine, store_.list_person_groups(org_id, caller.user.id));
        only.emplace();
        for (const auto& g : mine) {
            if (g.role != core::MemberRole::admin) continue;
            auto allowed =
                access_.conversation(caller, g.conversation.id, ConversationAction::view_report);
            if (allowed) {
                only->insert(g.conversation.id);
            } else if (allowed.error().kind == ErrorKind::internal) {
                return std::unexpected(allowed.error());
            }
        }
        if (only->empty()) {
            return fail(ErrorKind::forbidden, "reports_not_available",
                        "Reports are for the organization's admins and for the admins of its "
                        "groups; you administer none of them.");
        }
    }

    PARLEY_TRY_ASSIGN(auto groups, store_.list_organization_groups(org_id));
    PARLEY_TRY_ASSIGN(auto activity, store_.list_group_activity(org_id, period.from, period.to));
    std::unordered_map<core::Id, store::GroupActivity> by_group;
    for (auto& a : activity) by_group.emplace(a.conversation_id, std::move(a));
    for (auto& g : groups) {
        if (only && !only->contains(g.id)) continue;
        auto it = by_group.find(g.id);
        store::GroupActivity counts =
            it == by_group.end() ? store::GroupActivity{g.id} : std::move(it->second);
        report.groups.push_back({std::move(g), std::move(counts)});
    }
    std::ranges::stable_sort(report.groups, {},
                             [](const GroupReportRow& r) { return r.group.name; });
    return report;
}

Result<ReportFile> ReportService::groups_csv(const Caller& caller, const core::Id& org_id,
                                             const ReportPeriodRequest& asked) {
    PARLEY_TRY_ASSIGN(auto report, groups(caller, org_id, asked));
    const ReportPeriod& period = report.period;
    ReportFile out;
    // The period's days in the name, so that downloads of several periods do not collide.
    out.file_name = "group-activity-" + format_rfc3339(period.from).substr(0, 10) + "-to-" +
                    format_rfc3339(period.to - 1).substr(0, 10) + ".csv";
    csv::Writer writer([&](std::string_view bytes) { out.bytes.append(bytes); },
                       csv::WriterOptions{',', true, true});
    writer.write_row({"Group", "Group ID", "Type", "Members", "Admins", "Messages",
                      "Active senders", "Cards", "Card responses", "Last activity"});
    for (const auto& row : report.groups) {
        const auto& a = row.activity;
        writer.write_row(
            {row.group.name, row.group.id, core::to_string(row.group.group_type),
             std::to_string(a.members), std::to_string(a.admins), std::to_string(a.messages),
             std::to_string(a.senders), std::to_string(a.cards), std::to_string(a.responses),
             row.group.last_activity_at > 0 ? format_rfc3339(row.group.last_activity_at) : ""});
    }
    PARLEY_TRY_VOID(writer.flush());
    return out;
}

}  // namespace parley::service
