// Issue 4 through the API: exports as jobs — the people of an organization (attributes, groups
// and roles) and one group's membership as CSV files, checked byte for byte (quoting, line
// breaks, the formula guard), uploaded again as imports that change nothing, the history and
// who may export what, and jobs cut off by a stop.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

std::string exports_path(const std::string& org) { return org_path(org) + "/exports"; }
std::string imports_path(const std::string& org) { return org_path(org) + "/imports"; }

// Contoso with two attributes, four people and two organization groups:
//   admin  +6591234567  org admin; admin of both groups (their creator)
//   bob    +6598765432  member; admin of Sales, member of "Field; North"
//   carol  +6581234567  org admin; member of Sales; a name a spreadsheet would run
//   dave   +6587654321  member of the directory only
struct Org {
    Org() {
        auto attributes = server.post(
            org_path(org) + "/attributes",
            {{"attributes",
              json::array({{{"name", "Department"}}, {{"name", "Level"}, {"type", "number"}}})}},
            admin.token);
        EXPECT_EQ(attributes.status, 201) << attributes;
        add(kBobPhone, "Ravi \"Rav\" Kumar", "bob@example.com", "member",
            {{"Department", "Sales, East\nFloor 2"}, {"Level", "3"}});
        add(kCarolPhone, "=HYPERLINK(\"http://x\")", "carol@example.com", "admin",
            {{"Level", "-2.5"}});
        add(kDavePhone, "Dave", "dave@example.com", "member", json::object());
        auto s =
            server.post(org_path(org) + "/groups",
                        {{"name", "Sales"}, {"members", {kBobPhone, kCarolPhone}}}, admin.token);
        EXPECT_EQ(s.status, 201) << s;
        sales = s.body["id"];
        auto f = server.post(org_path(org) + "/groups",
                             {{"name", "Field; North"}, {"members", {kBobPhone}}}, admin.token);
        EXPECT_EQ(f.status, 201) << f;
        field = f.body["id"];
        auto promote = server.patch(group_path(sales) + "/members/" + bob.user_id,
                                    {{"role", "admin"}}, admin.token);
        EXPECT_EQ(promote.status, 200) << promote;
    }

    void add(const std::string& phone, const std::string& name, const std::string& email,
             const std::string& role, const json& attributes) {
        auto r = server.post(org_path(org) + "/people",
                             {{"phone", phone},
                              {"name", name},
                              {"email", email},
                              {"role", role},
                              {"attributes", attributes}},
                             admin.token);
        EXPECT_EQ(r.status, 201) << r;
    }

    Response start(const std::string& query, const std::string& token) {
        return server.http().request("POST", exports_path(org) + "?" + query, std::nullopt, token);
    }

    // Polls (bounded) until the job has ended; returns it.
    json wait(const std::string& job_id, const std::string& token) {
        for (int i = 0; i < 400; ++i) {
            auto r = server.get(exports_path(org) + "/" + job_id, token);
            EXPECT_EQ(r.status, 200) << r;
            if (r.body["status"] == "completed" || r.body["status"] == "failed") return r.body;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        ADD_FAILURE() << "export " << job_id << " did not end";
        return json();
    }

    // Starts an export, waits for it to complete and downloads the file.
    std::string run(const std::string& query, const std::string& token, json* job_out = nullptr) {
        auto r = start(query, token);
        EXPECT_EQ(r.status, 202) << r;
        EXPECT_EQ(r.body["status"], "queued") << r;
        json job = wait(r.body["id"], token);
        EXPECT_EQ(job["status"], "completed") << job;
        EXPECT_EQ(job["progress"], 100) << job;
        EXPECT_TRUE(job["error"].is_null()) << job;
        if (job_out) *job_out = job;
        auto file =
            server.get(exports_path(org) + "/" + job["id"].get<std::string>() + "/file", token);
        EXPECT_EQ(file.status, 200) << file;
        EXPECT_EQ(file.header("content-type"), "text/csv; charset=utf-8");
        EXPECT_EQ(file.header("content-disposition"),
                  "attachment; filename=\"" + job["file_name"].get<std::string>() + "\"");
        return file.raw;
    }

    // Uploads a file as an import and waits for the job; returns it.
    json import(const std::string& kind, const std::string& body) {
        auto r = server.http().request("POST", imports_path(org) + "?kind=" + kind, body,
                                       admin.token, {"Content-Type: text/csv"});
        EXPECT_EQ(r.status, 202) << r;
        for (int i = 0; i < 400; ++i) {
            auto j =
                server.get(imports_path(org) + "/" + r.body["id"].get<std::string>(), admin.token);
            if (j.body["status"] == "completed" || j.body["status"] == "failed") return j.body;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        ADD_FAILURE() << "import did not end";
        return json();
    }

    std::string added_at(const std::string& phone) {
        auto r = server.get(org_path(org) + "/people?limit=100&sort=phone", admin.token);
        EXPECT_EQ(r.status, 200) << r;
        for (const auto& p : r.body["people"]) {
            if (p["phone"] == phone) return p["added_at"];
        }
        ADD_FAILURE() << phone << " is not in the directory";
        return "";
    }

    ParleyServer server{contoso_args()};
    Session admin = server.sign_in(kAdminPhone);
    std::string org = first_organization_id(server, admin.token);
    Session bob = server.sign_in(kBobPhone);
    Session dave = server.sign_in(kDavePhone);
    std::string sales;
    std::string field;
};

TEST(Exports, PeopleFileIsExactAndUploadsAgainUnchanged) {
    Org o;
    json job;
    const std::string file = o.run("kind=people", o.admin.token, &job);
    EXPECT_EQ(job["kind"], "people");
    EXPECT_EQ(job["rows"], 4);
    EXPECT_EQ(job["group"], nullptr);
    EXPECT_EQ(job["exported_by"]["phone"], kAdminPhone);
    EXPECT_EQ(job["file_bytes"], static_cast<std::int64_t>(file.size()));
    EXPECT_TRUE(job["file_name"].get<std::string>().starts_with("people-")) << job;

    // By phone; a BOM for spreadsheets; CRLF rows; quotes doubled inside quoted cells; a cell
    // with a comma or a line break quoted; the formula guard (') inside the quotes; numbers
    // left alone; a ";" in a group name doubled.
    const std::string expected =
        "\xEF\xBB\xBF"
        "Phone Number,Name,Email,Role,Work Account,Added,Department,Level,Groups\r\n"
        "+6581234567,\"'=HYPERLINK(\"\"http://x\"\")\",carol@example.com,Admin,Not linked," +
        o.added_at(kCarolPhone) +
        ",,-2.5,Sales (Member)\r\n"
        "+6587654321,Dave,dave@example.com,Member,Not linked," +
        o.added_at(kDavePhone) +
        ",,,\r\n"
        "+6591234567,,,Admin,Not linked," +
        o.added_at(kAdminPhone) +
        ",,,Field;; North (Admin); Sales (Admin)\r\n"
        "+6598765432,\"Ravi \"\"Rav\"\" Kumar\",bob@example.com,Member,Not linked," +
        o.added_at(kBobPhone) +
        ",\"Sales, East\nFloor 2\",3,Field;; North (Member); Sales (Admin)\r\n";
    EXPECT_EQ(file, expected);

    // The file as a Users import: every row already so, nothing changed, the guarded name
    // read back without its guard.
    auto people_before =
        o.server.get(org_path(o.org) + "/people?limit=100&sort=phone&columns=" + "Department,Level",
                     o.admin.token);
    auto again = o.import("users", file);
    EXPECT_EQ(again["status"], "completed") << again;
    EXPECT_EQ(again["applied"], 0) << again;
    EXPECT_EQ(again["unchanged"], 4) << again;
    EXPECT_EQ(again["failed"], 0) << again;
    auto people_after =
        o.server.get(org_path(o.org) + "/people?limit=100&sort=phone&columns=" + "Department,Level",
                     o.admin.token);
    EXPECT_EQ(people_after.body, people_before.body);

    // Edited in between, the same file is an ordinary Users upload.
    std::string edited = file;
    edited.replace(edited.find("Dave,"), 5, "David,");
    auto changed = o.import("users", edited);
    EXPECT_EQ(changed["applied"], 1) << changed;
    EXPECT_EQ(changed["unchanged"], 3) << changed;
}

TEST(Exports, GroupMembershipFileUploadsAgainUnchanged) {
    Org o;
    json job;
    const std::string file = o.run("kind=group_members&group_id=" + o.sales, o.admin.token, &job);
    EXPECT_EQ(job["kind"], "group_members");
    EXPECT_EQ(job["group"], json({{"id", o.sales}, {"name", "Sales"}}));
    EXPECT_EQ(job["rows"], 3);
    EXPECT_TRUE(job["file_name"].get<std::string>().starts_with("Sales-members-")) << job;
    EXPECT_EQ(file,
              "\xEF\xBB\xBF"
              "Group Name,Phone Number,Name,User Type\r\n"
              "Sales,+6581234567,\"'=HYPERLINK(\"\"http://x\"\")\",Member\r\n"
              "Sales,+6591234567,,Admin\r\n"
              "Sales,+6598765432,\"Ravi \"\"Rav\"\" Kumar\",Admin\r\n");
    auto again = o.import("user_groups", file);
    EXPECT_EQ(again["status"], "completed") << again;
    EXPECT_EQ(again["applied"], 0) << again;
    EXPECT_EQ(again["unchanged"], 3) << again;
    EXPECT_EQ(again["failed"], 0) << again;
}

TEST(Exports, GroupAdminsExportTheirGroupsOnly) {
    Org o;
    // Bob manages Sales: he exports its members and sees that export, and only his own.
    (void)o.run("kind=people", o.admin.token);
    json bobs;
    const std::string file = o.run("kind=group_members&group_id=" + o.sales, o.bob.token, &bobs);
    EXPECT_EQ(file.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(bobs["exported_by"]["phone"], kBobPhone);
    auto mine = o.server.get(exports_path(o.org), o.bob.token);
    ASSERT_EQ(mine.status, 200) << mine;
    ASSERT_EQ(mine.body["exports"].size(), 1u) << mine;
    EXPECT_EQ(mine.body["exports"][0]["id"], bobs["id"]);

    // Not the directory, nor a group he only belongs to.
    auto people = o.start("kind=people", o.bob.token);
    EXPECT_EQ(people.status, 403) << people;
    EXPECT_EQ(people.error_code(), "org_admin_required");
    auto field = o.start("kind=group_members&group_id=" + o.field, o.bob.token);
    EXPECT_EQ(field.status, 403) << field;
    EXPECT_EQ(field.error_code(), "group_admin_required");

    // The admin's export is not his to see.
    auto all = o.server.get(exports_path(o.org), o.admin.token);
    ASSERT_EQ(all.body["exports"].size(), 2u) << all;
    const std::string admins = all.body["exports"][1]["id"];
    auto other = o.server.get(exports_path(o.org) + "/" + admins, o.bob.token);
    EXPECT_EQ(other.status, 403) << other;
    EXPECT_EQ(other.error_code(), "org_admin_required");
    EXPECT_EQ(o.server.get(exports_path(o.org) + "/" + admins + "/file", o.bob.token).status, 403);

    // Demoted, he can no longer fetch what he exported as an admin.
    auto demote = o.server.patch(group_path(o.sales) + "/members/" + o.bob.user_id,
                                 {{"role", "member"}}, o.admin.token);
    ASSERT_EQ(demote.status, 200) << demote;
    auto gone = o.server.get(exports_path(o.org) + "/" + bobs["id"].get<std::string>() + "/file",
                             o.bob.token);
    EXPECT_EQ(gone.status, 403) << gone;
    EXPECT_EQ(gone.error_code(), "group_admin_required");
}

TEST(Exports, RefusedRequests) {
    Org o;
    struct Case {
        std::string query;
        std::string token;
        int status;
        std::string code;
    };
    const std::string private_group = create_group(o.server, o.admin.token, "Private");
    const std::vector<Case> cases = {
        {"kind=people", o.dave.token, 403, "org_admin_required"},
        {"kind=group_members&group_id=" + o.sales, o.dave.token, 404, "conversation_not_found"},
        {"kind=contacts", o.admin.token, 422, "unknown_export_kind"},
        {"", o.admin.token, 422, "unknown_export_kind"},
        {"kind=group_members", o.admin.token, 422, "group_id_required"},
        {"kind=people&group_id=" + o.sales, o.admin.token, 422, "group_id_unexpected"},
        {"kind=group_members&group_id=grp_nope", o.admin.token, 404, "group_not_found"},
        {"kind=group_members&group_id=" + private_group, o.admin.token, 404, "group_not_found"},
        {"kind=people", "", 401, "token_missing"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.query);
        auto r = o.start(c.query, c.token);
        EXPECT_EQ(r.status, c.status) << r;
        EXPECT_EQ(r.error_code(), c.code) << r;
    }
    // A body is not how an export is asked for.
    auto body =
        o.server.post(exports_path(o.org) + "?kind=people", {{"kind", "people"}}, o.admin.token);
    EXPECT_EQ(body.status, 400) << body;
    EXPECT_EQ(body.error_code(), "unknown_field");

    // Members see no history; nobody sees a job that is not there.
    auto list = o.server.get(exports_path(o.org), o.dave.token);
    EXPECT_EQ(list.status, 403) << list;
    EXPECT_EQ(list.error_code(), "org_admin_required");
    auto missing = o.server.get(exports_path(o.org) + "/exp_nope", o.admin.token);
    EXPECT_EQ(missing.status, 404) << missing;
    EXPECT_EQ(missing.error_code(), "export_not_found");
    auto missing_file = o.server.get(exports_path(o.org) + "/exp_nope/file", o.admin.token);
    EXPECT_EQ(missing_file.status, 404) << missing_file;
    // Nothing refused left a job behind.
    auto history = o.server.get(exports_path(o.org), o.admin.token);
    ASSERT_EQ(history.status, 200) << history;
    EXPECT_TRUE(history.body["exports"].empty()) << history;
}

TEST(Exports, AnotherOrganizationsGroupIsNotFound) {
    Org o;
    ASSERT_EQ(o.server.stop(), 0);
    o.server.restart({"--init-org", "Fabrikam", "--init-admin", kAdminPhone});
    std::string fabrikam;
    const auto me = o.server.get("/api/v1/me", o.admin.token);
    for (const auto& org : me.body["organizations"]) {
        if (org["name"] == "Fabrikam") fabrikam = org["id"];
    }
    ASSERT_FALSE(fabrikam.empty());
    auto g = o.server.post(org_path(fabrikam) + "/groups", {{"name", "Ops"}}, o.admin.token);
    ASSERT_EQ(g.status, 201) << g;
    // The admin of both may export Ops, but as Fabrikam's group, not Contoso's.
    auto r =
        o.start("kind=group_members&group_id=" + g.body["id"].get<std::string>(), o.admin.token);
    EXPECT_EQ(r.status, 404) << r;
    EXPECT_EQ(r.error_code(), "group_not_found");
    auto ok = o.server.http().request(
        "POST",
        exports_path(fabrikam) + "?kind=group_members&group_id=" + g.body["id"].get<std::string>(),
        std::nullopt, o.admin.token);
    EXPECT_EQ(ok.status, 202) << ok;
}

TEST(Exports, HistoryIsNewestFirst) {
    Org o;
    json first, second, third;
    o.run("kind=people", o.admin.token, &first);
    o.run("kind=group_members&group_id=" + o.field, o.admin.token, &second);
    o.run("kind=people", o.admin.token, &third);
    auto history = o.server.get(exports_path(o.org), o.admin.token);
    ASSERT_EQ(history.status, 200) << history;
    ASSERT_EQ(history.body["exports"].size(), 3u) << history;
    EXPECT_EQ(history.body["exports"][0], third);
    EXPECT_EQ(history.body["exports"][1], second);
    EXPECT_EQ(history.body["exports"][2], first);
    EXPECT_EQ(second["group"]["name"], "Field; North");
    EXPECT_EQ(second["rows"], 2);
}

// More people than one page (1,000): every person once, in phone order, and progress that
// ends at 100.
TEST(Exports, LargeDirectoryIsWrittenPageByPage) {
    Org o;
    std::string users = "Phone Number,Name\n";
    for (int i = 0; i < 2500; ++i) {
        const std::string digits = std::to_string(10000 + i).substr(1);
        users += "+659100" + digits + ",Person " + digits + "\n";
    }
    auto imported = o.import("users", users);
    ASSERT_EQ(imported["applied"], 2500) << imported;

    json job;
    const std::string file = o.run("kind=people", o.admin.token, &job);
    EXPECT_EQ(job["rows"], 2504);
    std::vector<std::string> phones;
    for (std::size_t start = file.find("\r\n") + 2; start < file.size();) {
        std::size_t end = file.find("\r\n", start);
        ASSERT_NE(end, std::string::npos);
        std::string line = file.substr(start, end - start);
        if (line.starts_with("+")) phones.push_back(line.substr(0, line.find(',')));
        start = end + 2;
    }
    // Bob's department has a line break inside quotes, so count phones, not lines.
    ASSERT_EQ(phones.size(), 2504u);
    EXPECT_TRUE(std::is_sorted(phones.begin(), phones.end()));
    EXPECT_EQ(std::adjacent_find(phones.begin(), phones.end()), phones.end()) << "a phone twice";
    EXPECT_EQ(phones.front(), "+6581234567");
    EXPECT_EQ(phones.back(), "+6598765432");
}

// On disk an export is sealed under the organization's key, private to the server's user;
// one kept from before exports were sealed (a plain .csv) still downloads.
TEST(Exports, FilesArePrivateAndSealed) {
    Org o;
    json job;
    const std::string csv = o.run("kind=people", o.admin.token, &job);
    ASSERT_NE(csv.find(kAdminPhone), std::string::npos) << csv;
    const std::string id = job["id"];
    const auto dir = o.server.data_dir() / "exports";
    auto file = dir / (id + ".csv.sealed");
    auto perms = std::filesystem::status(file).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto dir_perms = std::filesystem::status(dir).permissions();
    EXPECT_EQ(dir_perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
    const std::string stored = read_file(file);
    EXPECT_EQ(stored.find(kAdminPhone), std::string::npos) << "a phone number in clear";
    EXPECT_EQ(stored.find("Phone Number"), std::string::npos) << "the header in clear";

    // Sealed for this job: put in another's place, it does not open.
    json other;
    o.run("kind=people", o.admin.token, &other);
    const std::string other_id = other["id"];
    std::filesystem::copy_file(file, dir / (other_id + ".csv.sealed"),
                               std::filesystem::copy_options::overwrite_existing);
    auto swapped = o.server.get(exports_path(o.org) + "/" + other_id + "/file", o.admin.token);
    EXPECT_EQ(swapped.status, 500) << swapped;
    EXPECT_EQ(swapped.error_code(), "job_file_damaged");

    // From before sealing: a plain file where no sealed one is.
    std::filesystem::remove(file);
    std::ofstream(dir / (id + ".csv"), std::ios::binary) << "Phone Number\n+6590000000\n";
    auto legacy = o.server.get(exports_path(o.org) + "/" + id + "/file", o.admin.token);
    ASSERT_EQ(legacy.status, 200) << legacy;
    EXPECT_EQ(legacy.raw, "Phone Number\n+6590000000\n");
}

// A job the server was writing when it stopped is failed on the next start, its partial file
// removed, and its download refused with a clear code.
TEST(Exports, InterruptedJobsFailOnTheNextStart) {
    Org o;
    json job;
    o.run("kind=people", o.admin.token, &job);
    const std::string id = job["id"];
    ASSERT_EQ(o.server.stop(), 0);

    // What a stop in the middle of the job leaves: the row running, a partial file.
    const auto dir = o.server.data_dir() / "exports";
    std::filesystem::rename(dir / (id + ".csv.sealed"), dir / (id + ".csv.sealed.part"));
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((o.server.data_dir() / "parley.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* update = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "UPDATE export_jobs SET status = 'running', progress = 40, "
                                 "finished_at = NULL WHERE id = ?1",
                                 -1, &update, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(update, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(update), SQLITE_DONE);
    sqlite3_finalize(update);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);

    o.server.restart();
    auto after = o.server.get(exports_path(o.org) + "/" + id, o.admin.token);
    ASSERT_EQ(after.status, 200) << after;
    EXPECT_EQ(after.body["status"], "failed") << after;
    EXPECT_EQ(after.body["error"]["code"], "export_interrupted") << after;
    EXPECT_FALSE(after.body["finished_at"].is_null()) << after;
    EXPECT_FALSE(std::filesystem::exists(dir / (id + ".csv.sealed.part")));
    auto file = o.server.get(exports_path(o.org) + "/" + id + "/file", o.admin.token);
    EXPECT_EQ(file.status, 409) << file;
    EXPECT_EQ(file.error_code(), "export_failed");
}

}  // namespace
}  // namespace parley::it
