// Issue 4 through the API: bulk CSV uploads as jobs (seeds 001, 004) — Users and User Group
// Mapping files, real-world spreadsheet files (tests/fixtures/imports/), per-row errors in the
// error log, files refused as a whole with nothing applied, dry runs, idempotent re-uploads,
// templates, history and downloads, admin-only access and the upload size limit.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

std::string fixture(const std::string& name) {
    return read_file(std::filesystem::path(PARLEY_SOURCE_DIR) / "tests/fixtures/imports" / name);
}

std::string imports_path(const std::string& org) { return org_path(org) + "/imports"; }

struct Portal {
    explicit Portal(std::vector<std::string> extra = {}) : server(args(std::move(extra))) {}

    static std::vector<std::string> args(std::vector<std::string> extra) {
        auto a = contoso_args();
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    Response upload(const std::string& kind, const std::string& body, bool dry_run = false,
                    const std::string& token = "", const std::string& content_type = "text/csv") {
        return server.http().request(
            "POST",
            imports_path(org) + "?kind=" + kind + "&dry_run=" + (dry_run ? "true" : "false") +
                "&file_name=" + kind + ".csv",
            body, token.empty() ? admin.token : token, {"Content-Type: " + content_type});
    }

    // Uploads and waits (bounded) for the job to end; returns the job.
    json run(const std::string& kind, const std::string& body, bool dry_run = false) {
        auto r = upload(kind, body, dry_run);
        EXPECT_EQ(r.status, 202) << r;
        EXPECT_EQ(r.body["status"], "queued") << r;
        return wait(r.body["id"]);
    }

    json wait(const std::string& job_id) {
        for (int i = 0; i < 400; ++i) {
            auto r = server.get(imports_path(org) + "/" + job_id, admin.token);
            EXPECT_EQ(r.status, 200) << r;
            if (r.body["status"] == "completed" || r.body["status"] == "failed") return r.body;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        ADD_FAILURE() << "import " << job_id << " did not end";
        return json();
    }

    std::string errors(const json& job) {
        auto r = server.get(imports_path(org) + "/" + job["id"].get<std::string>() + "/errors",
                            admin.token);
        EXPECT_EQ(r.status, 200) << r;
        EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
        return r.raw;
    }

    json people(const std::string& columns = "") {
        auto r = server.get(org_path(org) + "/people?limit=100&sort=phone&columns=" + columns,
                            admin.token);
        EXPECT_EQ(r.status, 200) << r;
        return r.body;
    }

    void add_department(bool mandatory) {
        auto r = server.post(
            org_path(org) + "/attributes",
            {{"attributes", json::array({{{"name", "Department"}, {"mandatory", mandatory}}})}},
            admin.token);
        ASSERT_EQ(r.status, 201) << r;
    }

    ParleyServer server;
    Session admin = server.sign_in(kAdminPhone);
    std::string org = first_organization_id(server, admin.token);
};

void expect_counts(const json& job, int applied, int unchanged, int failed) {
    EXPECT_EQ(job["status"], "completed") << job;
    EXPECT_EQ(job["applied"], applied) << job;
    EXPECT_EQ(job["unchanged"], unchanged) << job;
    EXPECT_EQ(job["failed"], failed) << job;
    EXPECT_EQ(job["rows"], applied + unchanged + failed) << job;
    EXPECT_EQ(job["progress"], 100) << job;
    EXPECT_TRUE(job["error"].is_null()) << job;
}

const json* find_person(const json& people, const std::string& phone) {
    for (const auto& row : people["people"]) {
        if (row["phone"] == phone) return &row;
    }
    return nullptr;
}

TEST(Imports, ExcelUsersFileAppliesAndReuploadChangesNothing) {
    Portal p;
    p.add_department(false);
    const std::string file = fixture("users_excel.csv");
    auto job = p.run("users", file);
    expect_counts(job, 4, 0, 0);
    EXPECT_EQ(job["kind"], "users");
    EXPECT_EQ(job["file_name"], "users.csv");
    EXPECT_EQ(job["uploaded_by"]["phone"], kAdminPhone);
    EXPECT_EQ(job["dry_run"], false);

    auto people = p.people("Department");
    EXPECT_EQ(people["total"], 5) << people;  // the admin and four people
    const json* mei = find_person(people, "+6591000001");
    ASSERT_NE(mei, nullptr) << people;
    EXPECT_EQ((*mei)["name"], "Tan; Mei Ling");
    EXPECT_EQ((*mei)["email"], "mei@example.com");
    EXPECT_EQ((*mei)["attributes"]["Department"], "Sales\r\nEast") << *mei;
    const json* ravi = find_person(people, "+6591000002");
    ASSERT_NE(ravi, nullptr) << people;
    EXPECT_EQ((*ravi)["name"], "Ravi \"Rav\" Kumar");
    EXPECT_EQ((*ravi)["email"], "ravi@example.com");
    EXPECT_EQ((*ravi)["role"], "admin");
    EXPECT_NE(find_person(people, "+6591000003"), nullptr) << "00 prefix";
    EXPECT_NE(find_person(people, "+6591000004"), nullptr) << "national form, region SG";

    // The same file again changes nothing; the history lists both, newest first.
    auto again = p.run("users", file);
    expect_counts(again, 0, 4, 0);
    EXPECT_EQ(p.people("Department"), people);
    auto history = p.server.get(imports_path(p.org), p.admin.token);
    ASSERT_EQ(history.status, 200) << history;
    ASSERT_EQ(history.body["imports"].size(), 2u);
    EXPECT_EQ(history.body["imports"][0]["id"], again["id"]);

    // The original comes back byte for byte; the error log is only its header.
    auto original = p.server.get(imports_path(p.org) + "/" + job["id"].get<std::string>() + "/file",
                                 p.admin.token);
    ASSERT_EQ(original.status, 200);
    EXPECT_EQ(original.raw, file);
    EXPECT_EQ(original.header("content-disposition"), "attachment; filename=\"users.csv\"");
    EXPECT_EQ(p.errors(job), "Row,Column,Value,Error,Message\r\n");
}

TEST(Imports, RowErrorsAreLoggedInFileOrderAndTheRestApplies) {
    Portal p;
    p.add_department(true);  // mandatory: a new person without one is a row error
    auto job = p.run("users", fixture("users_row_errors.csv"));
    expect_counts(job, 2, 0, 6);
    std::string log = p.errors(job);
    std::vector<std::string> codes;
    std::vector<std::string> rows;
    std::size_t start = log.find("\r\n") + 2;
    while (start < log.size()) {
        std::size_t end = log.find("\r\n", start);
        std::string line = log.substr(start, end - start);
        rows.push_back(line.substr(0, line.find(',')));
        for (const char* code : {"invalid_phone", "invalid_email", "invalid_role",
                                 "attribute_required", "duplicate_row", "csv_row_length"}) {
            if (line.find(code) != std::string::npos) codes.push_back(code);
        }
        start = end + 2;
    }
    EXPECT_EQ(rows, (std::vector<std::string>{"3", "4", "5", "6", "7", "8"})) << log;
    EXPECT_EQ(codes,
              (std::vector<std::string>{"invalid_phone", "invalid_email", "invalid_role",
                                        "attribute_required", "duplicate_row", "csv_row_length"}))
        << log;
    EXPECT_NE(log.find("3,Phone Number,12,invalid_phone"), std::string::npos) << log;
    EXPECT_NE(log.find("6,Department,,attribute_required"), std::string::npos) << log;
    auto people = p.people();
    EXPECT_EQ(people["total"], 3) << people;
    EXPECT_NE(find_person(people, "+6591000011"), nullptr);
    EXPECT_NE(find_person(people, "+6591000016"), nullptr);
}

// A file of several batches (1,000 rows each): batch N+1 is checked while batch N is written,
// and nothing of that shows. Row errors on both sides of each boundary, a row the reader
// refuses right after one, duplicates of rows in earlier batches, and an email that an
// earlier batch frees taken by a later one, and one an earlier batch gave taken again: the log
// stays in the file's order and the counts and the directory are what one batch at a time would
// give.
TEST(Imports, ManyBatchesApplyAsOneFileInOrder) {
    Portal p;
    add_person(p.server, p.admin.token, p.org, "+6593000001", "old@contoso.example");
    auto phone = [](int i) {
        char text[16];
        std::snprintf(text, sizeof text, "+6592%06d", i);
        return std::string(text);
    };
    std::string file = "Phone Number,Name,Email\n";
    for (int i = 0; i < 2600; ++i) {  // data row i is file row i + 2
        std::string line = phone(i) + ",Person " + std::to_string(i) + ",p" + std::to_string(i) +
                           "@contoso.example";
        if (i == 998) line = "12,Bad phone,bad@contoso.example";
        if (i == 999) line = phone(i) + ",Bad email,not-an-email";
        if (i == 1000) line = phone(i) + ",Too,many,fields,here";
        if (i == 1500) line = phone(10) + ",Again,again@contoso.example";
        if (i == 2100) line = phone(i) + ",Same email,p20@contoso.example";
        if (i == 50) line = "+6593000001,Moves on,new@contoso.example";
        if (i == 1700) line = phone(i) + ",Takes over,old@contoso.example";
        file += line + "\n";
    }
    auto job = p.run("users", file);
    expect_counts(job, 2595, 0, 5);
    std::string log = p.errors(job);
    std::vector<std::string> rows;
    for (std::size_t at = log.find("\r\n") + 2; at < log.size(); at = log.find("\r\n", at) + 2) {
        rows.push_back(log.substr(at, log.find(',', at) - at));
    }
    EXPECT_EQ(rows, (std::vector<std::string>{"1000", "1001", "1002", "1502", "2102"})) << log;
    EXPECT_NE(log.find("1002,,,csv_row_length"), std::string::npos) << log;
    const std::string duplicate_phone = log.substr(log.find("\r\n1502,") + 2, 60);
    EXPECT_EQ(duplicate_phone.rfind("1502,Phone Number,", 0), 0u) << log;
    EXPECT_NE(duplicate_phone.find("6592000010,duplicate_row"), std::string::npos) << log;
    // Row 22 holds that email by now (its batch was written): taken, as one at a time.
    EXPECT_NE(log.find("2102,Email,p20@contoso.example,email_taken"), std::string::npos) << log;

    auto holder = [&](const std::string& query) {
        auto r = p.server.get(org_path(p.org) + "/people?q=" + query, p.admin.token);
        EXPECT_EQ(r.status, 200) << r;
        EXPECT_EQ(r.body["people"].size(), 1u) << r;
        return r.body["people"].empty() ? json() : r.body["people"][0];
    };
    EXPECT_EQ(holder("6593000001")["email"], "new@contoso.example");
    EXPECT_EQ(holder("6592001700")["email"], "old@contoso.example");
    EXPECT_EQ(holder("6592002599")["name"], "Person 2599");
    auto all = p.server.get(org_path(p.org) + "/people?limit=1", p.admin.token);
    EXPECT_EQ(all.body["total"], 2596) << all;  // the admin, the one added first, 2,594 new
}

// The User Group Mapping across batches: groups one batch creates take members in the next,
// people one batch adds to the directory join more groups later, and a (group, person) pair
// an earlier batch wrote is a duplicate row.
TEST(Imports, ManyBatchesOfGroupMappingBuildOnEachOther) {
    Portal p;
    auto phone = [](int i) {
        char text[16];
        std::snprintf(text, sizeof text, "+6592%06d", i);
        return std::string(text);
    };
    std::string file = "Group Name,Phone Number,User Type\n";
    for (int i = 0; i < 2600; ++i) {  // file row i + 2; two rows a person, in two groups
        std::string group = "Team " + std::to_string(i % 4);
        std::string who = phone(i / 2);
        if (i == 1500) group = "Team 9", who = phone(0);  // new group, person from batch 1
        if (i == 2200) group = "Team 0", who = phone(0);  // the pair of row 2
        file += group + "," + who + "," + (i == 1 ? "Admin" : "Member") + "\n";
    }
    auto job = p.run("user_groups", file);
    expect_counts(job, 2599, 0, 1);
    std::string log = p.errors(job);
    EXPECT_NE(log.find("\r\n2202,Phone Number,"), std::string::npos) << log;
    EXPECT_NE(log.find("duplicate_row"), std::string::npos) << log;

    auto groups = p.server.get(org_path(p.org) + "/groups", p.admin.token);
    ASSERT_EQ(groups.status, 200) << groups;
    std::map<std::string, json> by_name;
    for (const auto& g : groups.body["groups"]) {
        by_name[g["name"]] = p.server.get(group_path(g["id"]), p.admin.token).body;
    }
    ASSERT_EQ(by_name.size(), 5u) << groups;
    // The uploader (who created the groups) and the rows: 650 for Team 0 to 3, less the two
    // Team 0 rows given to others; Team 9 has its one row.
    EXPECT_EQ(by_name["Team 0"]["member_count"], 1 + 648);
    EXPECT_EQ(by_name["Team 1"]["member_count"], 1 + 650);
    EXPECT_EQ(by_name["Team 3"]["member_count"], 1 + 650);
    EXPECT_EQ(by_name["Team 9"]["member_count"], 2);
    auto people = p.server.get(org_path(p.org) + "/people?limit=1", p.admin.token);
    EXPECT_EQ(people.body["total"], 1 + 1300) << people;

    // The same file again changes nothing: the row that was a duplicate still is.
    expect_counts(p.run("user_groups", file), 0, 2599, 1);
}

TEST(Imports, BrokenFilesFailWholeWithNothingApplied) {
    Portal p;
    struct Case {
        const char* file;
        const char* code;
    };
    for (const Case& c : {Case{"not_csv.bin", "csv_not_text"}, Case{"not_utf8.csv", "csv_not_utf8"},
                          Case{"missing_columns.csv", "csv_missing_columns"},
                          Case{"unknown_columns.csv", "import_unknown_columns"},
                          Case{"broken_quotes.csv", "csv_malformed"}}) {
        SCOPED_TRACE(c.file);
        auto job = p.run("users", fixture(c.file));
        EXPECT_EQ(job["status"], "failed") << job;
        EXPECT_EQ(job["error"]["code"], c.code) << job;
        EXPECT_EQ(job["applied"], 0) << job;
        EXPECT_FALSE(job["finished_at"].is_null());
        std::string log = p.errors(job);
        EXPECT_NE(log.find(c.code), std::string::npos) << log;
    }
    // not_utf8.csv's first row is valid: it was not applied either.
    EXPECT_EQ(p.people()["total"], 1);
    auto missing = p.run("users", fixture("missing_columns.csv"));
    EXPECT_NE(missing["error"]["message"].get<std::string>().find("Phone Number"),
              std::string::npos)
        << missing;
}

TEST(Imports, UserGroupMappingCreatesGroupsAndIsIdempotent) {
    Portal p;
    p.add_department(false);
    expect_counts(p.run("users", fixture("users_excel.csv")), 4, 0, 0);
    const std::string file = fixture("user_groups.csv");

    auto dry = p.run("user_groups", file, true);
    expect_counts(dry, 5, 0, 2);
    EXPECT_EQ(dry["dry_run"], true);
    auto groups = p.server.get(org_path(p.org) + "/groups", p.admin.token);
    ASSERT_EQ(groups.status, 200) << groups;
    EXPECT_TRUE(groups.body["groups"].empty()) << "a dry run creates nothing: " << groups;

    auto job = p.run("user_groups", file);
    expect_counts(job, 5, 0, 2);
    std::string log = p.errors(job);
    EXPECT_NE(log.find("6,User Type,Owner,invalid_user_type"), std::string::npos) << log;
    EXPECT_NE(log.find("7,Phone Number,+65 9100 0001,duplicate_row"), std::string::npos) << log;

    groups = p.server.get(org_path(p.org) + "/groups", p.admin.token);
    ASSERT_EQ(groups.body["groups"].size(), 2u) << groups;
    std::map<std::string, std::string> roles;  // phone → role in Field Sales
    for (const auto& g : groups.body["groups"]) {
        if (g["name"] != "Field Sales") continue;
        auto view = p.server.get(group_path(g["id"]), p.admin.token);
        ASSERT_EQ(view.status, 200) << view;
        for (const auto& m : view.body["members"]) roles[m["phone"]] = m["role"];
    }
    EXPECT_EQ(roles, (std::map<std::string, std::string>{{kAdminPhone, "admin"},
                                                         {"+6591000001", "member"},
                                                         {"+6591000002", "admin"},
                                                         {"+6591000051", "member"}}));
    // Someone new to the directory joined it (the organization has no mandatory attributes).
    EXPECT_NE(find_person(p.people(), "+6591000051"), nullptr);

    auto again = p.run("user_groups", file);
    expect_counts(again, 0, 5, 2);
}

// A group the mapping creates is announced live once, with its creator and first members in
// the same member.added: each member event makes the server read the group's audience again,
// which for 1,000 new groups competes with the import for the CPU.
TEST(Imports, GroupMappingAnnouncesANewGroupOnceWithCreatorAndMembers) {
    Portal p;
    WsClient ws(p.server.port(), "/api/v1/stream", {"Authorization: Bearer " + p.admin.token});
    ASSERT_FALSE(ws.refused) << *ws.refused;
    ASSERT_EQ(ws.read().value("type", ""), "hello");

    expect_counts(p.run("user_groups",
                        "Group Name,Phone Number,User Type\n"
                        "Crew,+6591000061,Member\nCrew,+6591000062,Admin\n"),
                  2, 0, 0);
    auto groups = p.server.get(org_path(p.org) + "/groups", p.admin.token);
    ASSERT_EQ(groups.status, 200) << groups;
    ASSERT_EQ(groups.body["groups"].size(), 1u) << groups;
    const std::string crew = groups.body["groups"][0]["id"];
    auto view = p.server.get(group_path(crew), p.admin.token);
    ASSERT_EQ(view.status, 200) << view;
    std::set<std::string> members;
    for (const auto& m : view.body["members"]) members.insert(m["user_id"].get<std::string>());
    ASSERT_EQ(members.size(), 3u) << view;

    // A message sent after the import marks the end of what the import announced.
    send_text(p.server, p.admin.token, crew, "Welcome, crew");
    std::vector<json> announced;
    for (int i = 0; i < 20; ++i) {
        json frame = ws.read();
        ASSERT_FALSE(frame.is_null()) << "the stream ended before the message arrived";
        if (frame.value("type", "") == "message.created" &&
            frame["message"].value("text", "") == "Welcome, crew") {
            break;
        }
        if (frame.value("type", "") == "member.added" && frame["conversation_id"] == crew) {
            announced.push_back(frame);
        }
    }
    ASSERT_EQ(announced.size(), 1u) << "one member.added for the new group";
    std::set<std::string> named;
    for (const auto& id : announced[0]["user_ids"]) named.insert(id.get<std::string>());
    EXPECT_EQ(named, members) << announced[0];
}

TEST(Imports, MandatoryAttributesKeepNewcomersOutOfGroupMapping) {
    Portal p;
    p.add_department(true);
    auto job = p.run("user_groups", "Group Name,Phone Number,User Type\nCrew,+6591000061,Member\n");
    expect_counts(job, 0, 0, 1);
    EXPECT_NE(p.errors(job).find("not_in_directory"), std::string::npos);
    EXPECT_EQ(p.people()["total"], 1);
}

TEST(Imports, TemplatesReflectTheAttributes) {
    Portal p;
    p.add_department(true);
    auto t = p.server.get(org_path(p.org) + "/import-templates/users", p.admin.token);
    ASSERT_EQ(t.status, 200) << t;
    EXPECT_EQ(t.raw.rfind("\xEF\xBB\xBFPhone Number,Name,Email,Region,Role,Department\r\n", 0), 0u)
        << t.raw;
    auto g = p.server.get(org_path(p.org) + "/import-templates/user_groups", p.admin.token);
    ASSERT_EQ(g.status, 200) << g;
    EXPECT_NE(g.raw.find("Group Name,Phone Number,User Type\r\n"), std::string::npos) << g.raw;
    auto unknown = p.server.get(org_path(p.org) + "/import-templates/parents", p.admin.token);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.error_code(), "unknown_import_kind");
}

TEST(Imports, RefusedUploads) {
    Portal p({"--max-upload-bytes", "4096"});
    auto kind = p.upload("parents", "Parent Group Name,Child Group Name\n");
    EXPECT_EQ(kind.status, 422) << kind;
    EXPECT_EQ(kind.error_code(), "unknown_import_kind");
    auto json_body = p.upload("users", "{}", false, "", "application/json");
    EXPECT_EQ(json_body.status, 400) << json_body;
    EXPECT_EQ(json_body.error_code(), "csv_content_type_required");
    auto empty = p.upload("users", "");
    EXPECT_EQ(empty.status, 422) << empty;
    auto dry = p.server.http().request("POST", imports_path(p.org) + "?kind=users&dry_run=yes",
                                       std::string("Phone Number\n"), p.admin.token,
                                       {"Content-Type: text/csv"});
    EXPECT_EQ(dry.status, 400) << dry;
    // Over the upload limit: refused before the body is read, no job.
    auto big = p.upload("users", "Phone Number\n" + std::string(5000, '9') + "\n");
    EXPECT_EQ(big.status, 413) << big;
    EXPECT_EQ(big.error_code(), "payload_too_large");
    // The upload limit is the upload route's: other routes keep --max-body-bytes.
    auto ok = p.upload("users", "Phone Number\n+6591000071\n");
    EXPECT_EQ(ok.status, 202) << ok;

    // Members may not upload nor look.
    add_person(p.server, p.admin.token, p.org, kBobPhone, "bob@example.com");
    Session bob = p.server.sign_in(kBobPhone);
    auto up = p.upload("users", "Phone Number\n+6591000072\n", false, bob.token);
    EXPECT_EQ(up.status, 403) << up;
    EXPECT_EQ(up.error_code(), "org_admin_required");
    EXPECT_EQ(p.server.get(imports_path(p.org), bob.token).status, 403);
    EXPECT_EQ(
        p.server
            .get(imports_path(p.org) + "/" + ok.body["id"].get<std::string>() + "/file", bob.token)
            .status,
        403);
    auto missing = p.server.get(imports_path(p.org) + "/imp_nope", p.admin.token);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.error_code(), "import_not_found");
    p.wait(ok.body["id"]);
}

// Parent Group Mapping (seed 001) -----------------------------------------------------------

// Creates organization groups by name (the admin is their group admin); name → id.
std::map<std::string, std::string> make_groups(Portal& p, const std::vector<std::string>& names) {
    std::map<std::string, std::string> ids;
    for (const auto& name : names) {
        auto r = p.server.post(org_path(p.org) + "/groups", {{"name", name}}, p.admin.token);
        EXPECT_EQ(r.status, 201) << r;
        ids[name] = r.body["id"];
    }
    return ids;
}

json parent_of(Portal& p, const std::string& group) {
    auto r = p.server.get(group_path(group), p.admin.token);
    EXPECT_EQ(r.status, 200) << r;
    return r.body["hierarchy"]["parent_id"];
}

TEST(Imports, ParentGroupMappingBuildsTheHierarchyAndIsIdempotent) {
    Portal p;
    auto g = make_groups(p, {"HQ", "Sales", "North Sales", "South Sales"});
    auto added = p.server.post(group_path(g["North Sales"]) + "/members", {{"phone", kBobPhone}},
                               p.admin.token);
    ASSERT_EQ(added.status, 200) << added;
    const std::string bob = added.body["added"][0]["id"];
    const std::string file = fixture("parent_groups.csv");

    auto dry = p.run("parent_groups", file, true);
    expect_counts(dry, 3, 1, 0);
    EXPECT_EQ(dry["kind"], "parent_groups");
    EXPECT_TRUE(parent_of(p, g["Sales"]).is_null()) << "a dry run links nothing";

    auto job = p.run("parent_groups", file);
    expect_counts(job, 3, 1, 0);
    EXPECT_EQ(parent_of(p, g["Sales"]), g["HQ"]);
    EXPECT_EQ(parent_of(p, g["North Sales"]), g["Sales"]);
    EXPECT_EQ(parent_of(p, g["South Sales"]), g["Sales"]);
    // The imported tree carries North's member up to HQ.
    auto hq = p.server.get(group_path(g["HQ"]) + "/members", p.admin.token);
    bool inherited = false;
    for (const auto& m : hq.body["members"]) {
        if (m["id"] == bob)
            inherited = m["inherited"] == true && m["via_group_id"] == g["North Sales"];
    }
    EXPECT_TRUE(inherited) << hq;
    // A User Group Mapping row into a child group reaches the ancestors too.
    expect_counts(p.run("user_groups",
                        "Group Name,Phone Number,User Type\n"
                        "South Sales,+6591000091,Member\n"),
                  1, 0, 0);
    hq = p.server.get(group_path(g["HQ"]) + "/members", p.admin.token);
    bool imported = false;
    for (const auto& m : hq.body["members"]) {
        if (m["phone"] == "+6591000091") imported = m["via_group_id"] == g["South Sales"];
    }
    EXPECT_TRUE(imported) << hq;

    expect_counts(p.run("parent_groups", file), 0, 4, 0);
    auto t = p.server.get(org_path(p.org) + "/import-templates/parent_groups", p.admin.token);
    ASSERT_EQ(t.status, 200) << t;
    EXPECT_NE(t.raw.find("Parent Group Name,Child Group Name\r\n"), std::string::npos) << t.raw;
}

TEST(Imports, ParentGroupMappingRowErrors) {
    Portal p;
    auto g = make_groups(p, {"Alpha", "Beta", "Gamma", "Delta", "HQ", "Sales", "Twin", "Twin"});

    // A cycle, a second parent and a group as its own parent fail their rows; the rest applies.
    auto cycle = p.run("parent_groups", fixture("parent_groups_cycle.csv"));
    expect_counts(cycle, 3, 0, 3);
    std::string log = p.errors(cycle);
    EXPECT_NE(log.find("4,Child Group Name,Alpha,hierarchy_cycle"), std::string::npos) << log;
    EXPECT_NE(log.find("5,Child Group Name,Gamma,already_has_parent"), std::string::npos) << log;
    EXPECT_NE(log.find("6,Child Group Name,Delta,hierarchy_cycle"), std::string::npos) << log;
    EXPECT_LT(log.find("4,"), log.find("5,")) << "the error log keeps the file's order";
    EXPECT_TRUE(parent_of(p, g["Alpha"]).is_null());
    EXPECT_EQ(parent_of(p, g["Delta"]), g["Alpha"]);

    // Unknown and ambiguous group names, and an empty one.
    auto unknown = p.run("parent_groups", fixture("parent_groups_unknown.csv"));
    expect_counts(unknown, 1, 0, 3);
    log = p.errors(unknown);
    EXPECT_NE(log.find("2,Child Group Name,Nowhere,group_not_found"), std::string::npos) << log;
    EXPECT_NE(log.find("3,Parent Group Name,Twin,ambiguous_group"), std::string::npos) << log;
    EXPECT_NE(log.find("4,Parent Group Name,,name_required"), std::string::npos) << log;
    EXPECT_EQ(parent_of(p, g["Sales"]), g["HQ"]);

    // Public groups never join a hierarchy, as parent or as child.
    auto customers = p.server.post(org_path(p.org) + "/groups",
                                   {{"name", "Customers"}, {"type", "public"}}, p.admin.token);
    ASSERT_EQ(customers.status, 201) << customers;
    p.server.del(group_path(g["Sales"]) + "/parent", p.admin.token);
    auto publics = p.run("parent_groups", fixture("parent_groups_public.csv"));
    expect_counts(publics, 1, 0, 2);
    log = p.errors(publics);
    EXPECT_NE(log.find("2,Child Group Name,Customers,public_group_not_linkable"), std::string::npos)
        << log;
    EXPECT_NE(log.find("3,Parent Group Name,Customers,public_group_not_linkable"),
              std::string::npos)
        << log;
    EXPECT_EQ(parent_of(p, g["Sales"]), g["HQ"]);
    EXPECT_TRUE(parent_of(p, customers.body["id"]).is_null());

    // A file without the child column fails whole.
    auto missing = p.run("parent_groups", fixture("parent_groups_missing_column.csv"));
    EXPECT_EQ(missing["status"], "failed") << missing;
    EXPECT_EQ(missing["error"]["code"], "csv_missing_columns") << missing;
    EXPECT_NE(missing["error"]["message"].get<std::string>().find("Child Group Name"),
              std::string::npos)
        << missing;
}

// On disk an upload and its error log are sealed under the organization's key, private to
// the server's user, and still download as they were; files kept from before sealing (plain
// .csv) still download too.
TEST(Imports, StoredFilesArePrivateAndSealed) {
    Portal p;
    const std::string upload = "Phone Number,Name\n+6591000081,Wendy Ng\n+659100,Bad Number\n";
    auto job = p.run("users", upload);
    expect_counts(job, 1, 0, 1);
    const std::string id = job["id"];
    const auto dir = p.server.data_dir() / "imports";
    for (const auto& name : {id + ".csv.sealed", id + ".errors.csv.sealed"}) {
        auto perms = std::filesystem::status(dir / name).permissions();
        EXPECT_EQ(perms & std::filesystem::perms::all,
                  std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
            << name;
        const std::string stored = read_file(dir / name);
        EXPECT_EQ(stored.find("Wendy"), std::string::npos) << name << ": in clear";
        EXPECT_EQ(stored.find("+659100"), std::string::npos) << name << ": in clear";
    }
    // Nothing else is left: no draft of the log, no plain copy.
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    EXPECT_EQ(names.size(), 2u) << ::testing::PrintToString(names);

    auto original = p.server.get(imports_path(p.org) + "/" + id + "/file", p.admin.token);
    ASSERT_EQ(original.status, 200) << original;
    EXPECT_EQ(original.raw, upload);
    const std::string log = p.errors(job);
    EXPECT_NE(log.find("3,Phone Number,+659100,"), std::string::npos) << log;

    // Altered on the disk: refused with a code that says so, not served.
    const std::string sealed_upload = read_file(dir / (id + ".csv.sealed"));
    std::string altered = sealed_upload;
    altered[altered.size() - 2] ^= 1;
    std::ofstream(dir / (id + ".csv.sealed"), std::ios::binary | std::ios::trunc) << altered;
    auto damaged = p.server.get(imports_path(p.org) + "/" + id + "/file", p.admin.token);
    EXPECT_EQ(damaged.status, 500) << damaged;
    EXPECT_EQ(damaged.error_code(), "job_file_damaged") << damaged;

    // From before sealing: plain files where no sealed ones are.
    std::filesystem::remove(dir / (id + ".csv.sealed"));
    std::filesystem::remove(dir / (id + ".errors.csv.sealed"));
    std::ofstream(dir / (id + ".csv"), std::ios::binary) << "Phone Number\n+6591000082\n";
    std::ofstream(dir / (id + ".errors.csv"), std::ios::binary) << "Row,Column\n";
    original = p.server.get(imports_path(p.org) + "/" + id + "/file", p.admin.token);
    EXPECT_EQ(original.raw, "Phone Number\n+6591000082\n");
    EXPECT_EQ(p.errors(job), "Row,Column\n");
}

// The error log a stop cut off is sealed at the next start, and downloads.
TEST(Imports, AnInterruptedJobsErrorLogIsSealedOnTheNextStart) {
    Portal p;
    auto job = p.run("users", "Phone Number\n+659100\n");
    const std::string id = job["id"];
    const auto dir = p.server.data_dir() / "imports";
    const std::string log = p.errors(job);
    ASSERT_EQ(p.server.stop(), 0);
    // What a stop in the middle of the job leaves: the log as a draft.
    std::filesystem::remove(dir / (id + ".errors.csv.sealed"));
    std::ofstream(dir / (id + "." + p.org + ".errors.part"), std::ios::binary) << log;
    p.server.restart();
    EXPECT_TRUE(std::filesystem::exists(dir / (id + ".errors.csv.sealed")));
    EXPECT_FALSE(std::filesystem::exists(dir / (id + "." + p.org + ".errors.part")));
    EXPECT_EQ(p.errors(job), log);
}

}  // namespace
}  // namespace parley::it
