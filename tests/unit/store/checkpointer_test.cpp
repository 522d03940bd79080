// The Checkpointer: commits that take the WAL past its threshold wake it (the writer's commit
// itself never checkpoints), and stopping leaves an empty WAL with every row in the database.

#include "store/sqlite/checkpointer.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite/writer.hpp"
#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using sqlite::Checkpointer;
using sqlite::Connection;
using sqlite::Writer;

class CheckpointerTest : public ::testing::Test {
protected:
    std::filesystem::path path() const { return dir_.path() / "checkpoint.db"; }
    std::filesystem::path wal() const { return dir_.path() / "checkpoint.db-wal"; }

    std::unique_ptr<Connection> open() {
        auto connection = Connection::open(path().string(), false, "OFF");
        EXPECT_TRUE(connection) << connection.error().message;
        return std::move(*connection);
    }

    // A writer with a checkpointer wanted from `wal_pages` on; *checkpointer stays readable
    // while the writer lives.
    std::unique_ptr<Writer> start(int wal_pages, Checkpointer** checkpointer) {
        auto connection = open();
        EXPECT_TRUE(connection->exec("CREATE TABLE t (x INTEGER PRIMARY KEY, pad BLOB)"));
        auto owned = std::make_unique<Checkpointer>(open(), wal_pages);
        *checkpointer = owned.get();
        return std::make_unique<Writer>(std::move(connection), 16, std::move(owned));
    }

    static void insert_rows(Writer& writer, int from, int count) {
        auto written = writer.write<int>([&](Connection& c) -> Result<int> {
            for (int x = from; x < from + count; ++x) {
                PARLEY_TRY_ASSIGN(auto s, c.prepare("INSERT INTO t(x, pad) VALUES (?1, "
                                                    "zeroblob(2000))"));
                s->bind_all(x);
                PARLEY_TRY_VOID(s->run());
            }
            return count;
        });
        ASSERT_TRUE(written) << written.error().message;
    }

    TempDir dir_;
};

TEST_F(CheckpointerTest, CommitsPastTheThresholdAskForACheckpoint) {
    Checkpointer* checkpointer = nullptr;
    auto writer = start(50, &checkpointer);
    insert_rows(*writer, 0, 5);  // a few pages: under the threshold
    EXPECT_EQ(checkpointer->stats().requests, 0u);
    insert_rows(*writer, 5, 200);  // ~100 pages of 4 KiB
    EXPECT_GE(checkpointer->stats().requests, 1u);
}

TEST_F(CheckpointerTest, StoppingLeavesAnEmptyWalAndEveryRowInTheDatabase) {
    Checkpointer* checkpointer = nullptr;
    auto writer = start(10, &checkpointer);
    for (int batch = 0; batch < 20; ++batch) insert_rows(*writer, batch * 50, 50);
    EXPECT_GT(std::filesystem::file_size(wal()), 0u);
    // Another connection stays open, as the store's readers do: closing the writer's
    // connections is then no last close, which would checkpoint and delete the WAL anyway.
    RawDb raw(path());
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM t"), 1000);  // and it has read the WAL
    writer.reset();
    ASSERT_TRUE(std::filesystem::exists(wal()));
    EXPECT_EQ(std::filesystem::file_size(wal()), 0u);
    EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM t"), 1000);
}

}  // namespace
}  // namespace parley::store::testing
