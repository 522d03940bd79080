// parleyd backup: a copy of the data directory taken while the server runs, from which a
// server starts with everything that was there at that moment (messages, files, job files,
// sessions), given the master key; again into the same directory copies only what is new.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

namespace fs = std::filesystem;

ProcessResult backup(const ParleyServer& server, const fs::path& to,
                     std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        PARLEYD_PATH, "--dev", "--data-dir", server.data_dir().string(),
        "backup",     "--to",  to.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
}

mode_t mode_of(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

// Polls (bounded) until the export has ended; returns it.
json finished_export(ParleyServer& server, const std::string& org, const std::string& id,
                     const std::string& token) {
    for (int i = 0; i < 400; ++i) {
        auto r = server.get(org_path(org) + "/exports/" + id, token);
        if (r.body["status"] == "completed" || r.body["status"] == "failed") return r.body;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "export " << id << " did not end";
    return json();
}

TEST(Backup, AServerStartsFromTheCopyWithWhatWasThereWhenItWasTaken) {
    TempDir backups;
    const fs::path to = backups.path() / "monday";
    ParleyServer server(contoso_args());
    Session admin = server.sign_in(kAdminPhone);
    const std::string org = first_organization_id(server, admin.token);
    auto group = server.post(org_path(org) + "/groups",
                             {{"name", "Depot"}, {"members", {kBobPhone}}}, admin.token);
    ASSERT_EQ(group.status, 201) << group;
    const std::string depot = group.body["id"];
    const json photo = upload_fixture(server, admin, depot, "photo.jpg");
    auto sent =
        server.post(messages_path(depot),
                    {{"text", "before the backup"}, {"attachments", {photo["id"]}}}, admin.token);
    ASSERT_EQ(sent.status, 201) << sent;
    auto exported = server.http().request("POST", org_path(org) + "/exports?kind=people",
                                          std::nullopt, admin.token);
    ASSERT_EQ(exported.status, 202) << exported;
    const std::string export_id = exported.body["id"];
    ASSERT_EQ(finished_export(server, org, export_id, admin.token)["status"], "completed");
    auto export_file = server.get(org_path(org) + "/exports/" + export_id + "/file", admin.token);
    ASSERT_EQ(export_file.status, 200) << export_file;

    // Taken while the server runs.
    auto first = backup(server, to);
    ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
    EXPECT_NE(first.out.find("Backed up"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("master key"), std::string::npos) << first.out;
    EXPECT_TRUE(fs::is_regular_file(to / "parley.db"));
    EXPECT_FALSE(fs::exists(to / "master.key")) << "the key stays apart unless asked for";
    EXPECT_FALSE(fs::exists(to / "uploads"));
    EXPECT_EQ(mode_of(to), 0700u);
    EXPECT_EQ(mode_of(to / "parley.db"), 0600u);

    // What happens after it is not in it; a copy of it as it stands now is restored below.
    auto later = server.post(messages_path(depot), {{"text", "after the backup"}}, admin.token);
    ASSERT_EQ(later.status, 201) << later;
    TempDir restore_area;
    const fs::path monday = restore_area.path() / "monday";
    fs::copy(to, monday, fs::copy_options::recursive);

    // Again into the same directory: the files are there already, only the database is new.
    auto second = backup(server, to);
    ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
    EXPECT_NE(second.out.find(" 0 new files"), std::string::npos) << second.out;
    EXPECT_NE(second.out.find("files were there already"), std::string::npos) << second.out;
    const std::string key = (server.data_dir() / "master.key").string();
    ASSERT_EQ(server.stop(), 0);

    // Restoring: a server started on the copy with the master key. Sessions are in the
    // database, so the same token still works.
    auto texts_in = [&](ParleyServer& restored) {
        std::vector<std::string> texts;
        for (const auto& m : all_messages(restored.http(), depot, admin.token)) {
            if (m.contains("text") && m["text"].is_string()) texts.push_back(m["text"]);
        }
        return texts;
    };
    auto has = [](const std::vector<std::string>& texts, const std::string& text) {
        return std::find(texts.begin(), texts.end(), text) != texts.end();
    };
    {
        ParleyServer restored(ServerOptions{{"--master-key", key}, monday});
        const auto texts = texts_in(restored);
        EXPECT_TRUE(has(texts, "before the backup"));
        EXPECT_FALSE(has(texts, "after the backup"));
        auto file =
            restored.get("/api/v1/attachments/" + photo["id"].get<std::string>(), admin.token);
        ASSERT_EQ(file.status, 200) << file;
        EXPECT_EQ(file.raw, attachment_fixture("photo.jpg"));
        auto again = restored.get(org_path(org) + "/exports/" + export_id + "/file", admin.token);
        ASSERT_EQ(again.status, 200) << again;
        EXPECT_EQ(again.raw, export_file.raw);
        ASSERT_EQ(restored.stop(), 0);
    }
    {
        ParleyServer restored(ServerOptions{{"--master-key", key}, to});
        const auto texts = texts_in(restored);
        EXPECT_TRUE(has(texts, "before the backup"));
        EXPECT_TRUE(has(texts, "after the backup")) << "the second backup was taken after it";
        ASSERT_EQ(restored.stop(), 0);
    }
}

TEST(Backup, WithoutTheMasterKeyNothingInItOpens) {
    TempDir backups;
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, a.token, "Vault");
    send_text(server, a.token, group, "okapi-lemur-5150 sealed");
    auto made = backup(server, backups.path() / "b");
    ASSERT_EQ(made.exit_code, 0) << made.err;
    // Sealed as in the data directory: nothing readable in the copy.
    EXPECT_EQ(read_file(backups.path() / "b" / "parley.db").find("okapi-lemur-5150"),
              std::string::npos);

    // Asked for, the key comes along, private.
    auto with_key = backup(server, backups.path() / "k", {"--with-master-key"});
    ASSERT_EQ(with_key.exit_code, 0) << with_key.err;
    EXPECT_EQ(read_file(backups.path() / "k" / "master.key"),
              read_file(server.data_dir() / "master.key"));
    EXPECT_EQ(mode_of(backups.path() / "k" / "master.key"), 0600u);
    EXPECT_NE(with_key.out.find("whoever has this backup"), std::string::npos) << with_key.out;
}

TEST(Backup, RefusesWhatCannotBeABackup) {
    TempDir dir;
    // No --to.
    auto no_target =
        run_process({PARLEYD_PATH, "--dev", "--data-dir", dir.path().string(), "backup"});
    EXPECT_EQ(no_target.exit_code, 2) << no_target.err;
    EXPECT_NE(no_target.err.find("--to"), std::string::npos) << no_target.err;

    // A directory that is not a server's: nothing is created at the destination.
    auto empty = run_process({PARLEYD_PATH, "--dev", "--data-dir", dir.path().string(), "backup",
                              "--to", (dir.path() / ".." / "nowhere-parley-backup").string()});
    EXPECT_EQ(empty.exit_code, 1);
    EXPECT_NE(empty.err.find("no_database"), std::string::npos) << empty.err;
    EXPECT_FALSE(fs::exists(dir.path() / ".." / "nowhere-parley-backup"));

    // Into the data directory itself, or inside it.
    ParleyServer server;
    for (const fs::path& inside : {server.data_dir(), server.data_dir() / "backups" / "b"}) {
        auto r = backup(server, inside);
        EXPECT_EQ(r.exit_code, 1) << inside;
        EXPECT_NE(r.err.find("backup_inside_data_dir"), std::string::npos) << r.err;
    }
    EXPECT_FALSE(fs::exists(server.data_dir() / "backups"));

    // Where a file stands in the way.
    TempDir other;
    const fs::path file = other.path() / "taken";
    { std::ofstream(file) << "not a directory"; }
    auto blocked = backup(server, file);
    EXPECT_EQ(blocked.exit_code, 1);
    EXPECT_NE(blocked.err.find("backup_failed"), std::string::npos) << blocked.err;
    EXPECT_EQ(read_file(file), "not a directory");
}

TEST(Backup, HelpSaysWhatItDoes) {
    auto r = run_process({PARLEYD_PATH, "backup", "--help"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("--to"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--with-master-key"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace parley::it
