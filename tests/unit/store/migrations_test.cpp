// Schema migrations: a fresh file reaches the latest version, reopening changes nothing, and a
// database written by a newer Parley is refused rather than half-understood.

#include "store/sqlite/migrations.hpp"

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using MigrationsTest = StoreTest;

TEST_F(MigrationsTest, FreshDatabaseMigratesToTheLatestVersion) {
    ASSERT_GE(sqlite::latest_schema_version(), 1);
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT MAX(version) FROM schema_migrations"),
              sqlite::latest_schema_version());
    // One row per migration: none skipped, none applied twice.
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM schema_migrations"),
              sqlite::latest_schema_version());
    for (const char* table :
         {"users", "sign_in_codes", "sessions", "organizations", "org_people", "work_accounts",
          "conversations", "members", "messages", "invites", "data_keys", "org_attributes",
          "person_attributes", "removed_memberships", "pending_wipes"}) {
        EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                             "name = ?1",
                             {table}),
                  1)
            << table;
    }
    EXPECT_EQ(raw.rows("PRAGMA journal_mode")[0][0], "wal");
    EXPECT_TRUE(store().ping());
}

TEST_F(MigrationsTest, ReopeningIsANoOpAndKeepsTheData) {
    const auto user = make_user("Alice");
    const auto before = RawDb(db_path()).rows("SELECT version, applied_at FROM schema_migrations");

    reopen();
    reopen();

    const auto after = RawDb(db_path()).rows("SELECT version, applied_at FROM schema_migrations");
    EXPECT_EQ(after, before);
    auto found = store().find_user(user.id);
    ASSERT_TRUE(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->phone, user.phone);
}

TEST_F(MigrationsTest, MigrateOnAnUpToDateConnectionReturnsTheLatestVersion) {
    close();
    auto connection = sqlite::Connection::open(db_path().string(), false, "OFF");
    ASSERT_TRUE(connection) << connection.error().message;
    auto version = sqlite::migrate(**connection);
    ASSERT_TRUE(version) << version.error().message;
    EXPECT_EQ(*version, sqlite::latest_schema_version());
    version = sqlite::migrate(**connection);
    ASSERT_TRUE(version) << version.error().message;
    EXPECT_EQ(*version, sqlite::latest_schema_version());
}

TEST_F(MigrationsTest, RefusesADatabaseFromANewerParley) {
    close();
    const int newer = sqlite::latest_schema_version() + 1;
    RawDb(db_path()).exec("INSERT INTO schema_migrations(version) VALUES (" +
                          std::to_string(newer) + ")");

    auto opened = open_with(key_ring_);
    expect_error(opened, ErrorKind::internal, "schema_too_new");
    // The refusal changed nothing.
    EXPECT_EQ(RawDb(db_path()).scalar("SELECT MAX(version) FROM schema_migrations"), newer);
}

TEST_F(MigrationsTest, OpeningInAMissingDirectoryFailsClearly) {
    close();
    sqlite::SqliteSettings s = settings();
    s.path = dir_.path() / "no" / "such" / "dir" / "parley.db";
    auto opened = sqlite::open_sqlite_store(s, key_ring_);
    expect_error(opened, ErrorKind::internal, "store_open_failed");
}

}  // namespace
}  // namespace parley::store::testing
