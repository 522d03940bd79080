// Reports (seed 004, "View Reports"): each organization group's activity over a period, for the
// organization's admins (every group) and the groups' direct admins (their own), never for
// members; counts only what the organization owns.

#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

std::string report_path(const std::string& org) { return org_path(org) + "/reports/groups"; }

// Contoso with three organization groups:
//   Sales  bob (admin), carol; a poll by the admin that bob answers, two messages
//   Field  carol only; nothing said
//   Moved  the admin's private group with bob, two messages said while private, then added to
//          the organization and one more message
// Carol is a member of the directory and admin of no group; dave is not in the directory.
struct Reported {
    Reported() {
        auto linked = server.patch(org_path(org) + "/people/" + admin.user_id,
                                   {{"email", "admin@contoso.example"}}, admin.token);
        EXPECT_EQ(linked.status, 200) << linked;
        server.link_work_account(admin, "admin@contoso.example");
        add_person(server, admin.token, org, kBobPhone, "bob@contoso.example");
        add_person(server, admin.token, org, kCarolPhone, "carol@contoso.example");

        sales = group("Sales", {kBobPhone, kCarolPhone});
        auto promote = server.patch(group_path(sales) + "/members/" + bob.user_id,
                                    {{"role", "admin"}}, admin.token);
        EXPECT_EQ(promote.status, 200) << promote;
        field = group("Field", {kCarolPhone});
        send_text(server, bob.token, sales, "targets for December");
        send_text(server, carol.token, sales, "on it");
        auto poll = server.post(
            "/api/v1/conversations/" + sales + "/cards",
            {{"type", "poll"}, {"spec", {{"question", "Lunch?"}, {"choices", {"Rice", "Soup"}}}}},
            admin.token);
        EXPECT_EQ(poll.status, 201) << poll;
        auto vote = server.post("/api/v1/cards/" + poll.body.value("id", "") + "/responses",
                                {{"answers", {0}}}, bob.token);
        EXPECT_EQ(vote.status, 201) << vote;

        moved = create_group(server, admin.token, "Moved");
        EXPECT_EQ(
            server.post(group_path(moved) + "/members", {{"phone", kBobPhone}}, admin.token).status,
            200);
        send_text(server, admin.token, moved, "private: before the organization");
        send_text(server, bob.token, moved, "private too");
        auto move = server.put(group_path(moved) + "/organization", {{"organization_id", org}},
                               admin.token);
        EXPECT_EQ(move.status, 200) << move;
        send_text(server, bob.token, moved, "now the organization's");
    }

    std::string group(const std::string& name, const std::vector<std::string>& phones) {
        auto g = server.post(org_path(org) + "/groups", {{"name", name}, {"members", phones}},
                             admin.token);
        EXPECT_EQ(g.status, 201) << g;
        return g.body.value("id", "");
    }

    static const json& row(const json& report, const std::string& name) {
        for (const auto& g : report["groups"]) {
            if (g["name"] == name) return g;
        }
        static const json none;
        ADD_FAILURE() << "no row for " << name << " in " << report;
        return none;
    }

    ParleyServer server{contoso_args()};
    Session admin = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    Session dave = server.sign_in(kDavePhone);
    std::string org = first_organization_id(server, admin.token);
    std::string sales, field, moved;
};

TEST(Reports, AdminsSeeEveryGroupCountingOnlyWhatTheOrganizationOwns) {
    Reported r;
    auto report = r.server.get(report_path(r.org), r.admin.token);
    ASSERT_EQ(report.status, 200) << report;
    EXPECT_EQ(report.body["all_groups"], true);
    ASSERT_EQ(report.body["groups"].size(), 3u) << report;
    EXPECT_EQ(report.body["groups"][0]["name"], "Field");  // by name
    EXPECT_EQ(report.body["groups"][1]["name"], "Moved");
    EXPECT_EQ(report.body["groups"][2]["name"], "Sales");

    const json& sales = Reported::row(report.body, "Sales");
    EXPECT_EQ(sales["members"], 3);  // the admin who created it, bob and carol
    EXPECT_EQ(sales["admins"], 2);
    EXPECT_EQ(sales["messages"], 3) << "two texts and the poll; not the system messages";
    EXPECT_EQ(sales["senders"], 3);
    EXPECT_EQ(sales["cards"], 1);
    EXPECT_EQ(sales["responses"], 1);
    EXPECT_TRUE(sales["last_activity_at"].is_string()) << sales;

    const json& field = Reported::row(report.body, "Field");
    EXPECT_EQ(field["members"], 2);
    EXPECT_EQ(field["messages"], 0);
    EXPECT_EQ(field["senders"], 0);

    // What was said while the group was private stays out of the organization's report.
    const json& moved = Reported::row(report.body, "Moved");
    EXPECT_EQ(moved["members"], 2);
    EXPECT_EQ(moved["messages"], 1) << moved;
    EXPECT_EQ(moved["senders"], 1);
    // Counts only: no message text, name or phone number.
    EXPECT_EQ(report.raw.find("targets for December"), std::string::npos);
    EXPECT_EQ(report.raw.find(kBobPhone), std::string::npos);
}

TEST(Reports, GroupAdminsSeeTheirOwnGroupsAndMembersNone) {
    Reported r;
    auto bobs = r.server.get(report_path(r.org), r.bob.token);
    ASSERT_EQ(bobs.status, 200) << bobs;
    EXPECT_EQ(bobs.body["all_groups"], false);
    ASSERT_EQ(bobs.body["groups"].size(), 1u) << bobs << " (a member of Moved, admin of Sales)";
    EXPECT_EQ(bobs.body["groups"][0]["id"], r.sales);

    auto carols = r.server.get(report_path(r.org), r.carol.token);
    EXPECT_EQ(carols.status, 403) << carols;
    EXPECT_EQ(carols.error_code(), "reports_not_available");
    EXPECT_EQ(r.server.get(report_path(r.org) + ".csv", r.carol.token).error_code(),
              "reports_not_available");
    auto daves = r.server.get(report_path(r.org), r.dave.token);
    EXPECT_EQ(daves.status, 404) << daves;
    EXPECT_EQ(daves.error_code(), "organization_not_found");
    EXPECT_EQ(r.server.get(report_path(r.org)).status, 401);

    // Demoted, bob has no report any more.
    auto demote = r.server.patch(group_path(r.sales) + "/members/" + r.bob.user_id,
                                 {{"role", "member"}}, r.admin.token);
    ASSERT_EQ(demote.status, 200) << demote;
    EXPECT_EQ(r.server.get(report_path(r.org), r.bob.token).error_code(), "reports_not_available");
}

TEST(Reports, ThePeriodIsTheCallersAndBadOnesAreRefused) {
    Reported r;
    // A period before anything was said: the groups with their members, no activity.
    auto past = r.server.get(
        report_path(r.org) + "?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z", r.admin.token);
    ASSERT_EQ(past.status, 200) << past;
    EXPECT_EQ(past.body["from"], "2020-01-01T00:00:00.000Z");
    EXPECT_EQ(past.body["to"], "2020-02-01T00:00:00.000Z");
    const json& sales = Reported::row(past.body, "Sales");
    EXPECT_EQ(sales["members"], 3);
    EXPECT_EQ(sales["messages"], 0);
    EXPECT_EQ(sales["responses"], 0);

    auto backwards = r.server.get(
        report_path(r.org) + "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", r.admin.token);
    EXPECT_EQ(backwards.status, 422) << backwards;
    EXPECT_EQ(backwards.error_code(), "period_invalid");
    auto garbled = r.server.get(report_path(r.org) + "?from=last-tuesday", r.admin.token);
    EXPECT_EQ(garbled.status, 400) << garbled;
    EXPECT_EQ(garbled.error_code(), "invalid_query");
}

TEST(Reports, DownloadsAsCsv) {
    Reported r;
    auto csv =
        r.server.get(report_path(r.org) + ".csv?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
                     r.admin.token);
    ASSERT_EQ(csv.status, 200) << csv;
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_EQ(csv.header("content-disposition"),
              "attachment; filename=\"group-activity-2026-01-01-to-2026-12-31.csv\"");
    EXPECT_NE(csv.raw.find("Group,Group ID,Type,Members,Admins,Messages,Active senders,Cards,"
                           "Card responses,Last activity\r\n"),
              std::string::npos)
        << csv.raw;
    EXPECT_NE(csv.raw.find("Sales," + r.sales + ",flat,3,2,3,3,1,1,"), std::string::npos)
        << csv.raw;
    EXPECT_NE(csv.raw.find("Moved," + r.moved + ",flat,2,1,1,1,0,0,"), std::string::npos)
        << csv.raw;
}

}  // namespace
}  // namespace parley::it
