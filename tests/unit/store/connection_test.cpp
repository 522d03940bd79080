// Connection::open: the settings every connection gets, and the page cache a caller asks for
// (the writer's is larger: bulk imports touch every index of the directory).

#include <gtest/gtest.h>

#include "store/sqlite/db.hpp"
#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using sqlite::Connection;

std::int64_t pragma(Connection& c, const char* name) {
    auto s = c.prepare(name);
    EXPECT_TRUE(s) << s.error().message;
    auto row = (*s)->step();
    EXPECT_TRUE(row && *row) << name;
    return (*s)->int64(0);
}

class ConnectionTest : public ::testing::Test {
protected:
    std::string path() const { return (dir_.path() / "connection.db").string(); }
    TempDir dir_;
};

TEST_F(ConnectionTest, TakesThePageCacheItIsGivenInMiB) {
    auto writer = Connection::open(path(), false, "FULL", 16);
    ASSERT_TRUE(writer) << writer.error().message;
    EXPECT_EQ(pragma(**writer, "PRAGMA cache_size"), -16 * 1024);  // negative: KiB
    EXPECT_EQ(pragma(**writer, "PRAGMA foreign_keys"), 1);
    EXPECT_EQ(pragma(**writer, "PRAGMA synchronous"), 2);  // FULL

    auto reader = Connection::open(path(), true, "FULL");
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(pragma(**reader, "PRAGMA cache_size"), -2000);  // SQLite's default, 2 MiB
    EXPECT_EQ(pragma(**reader, "PRAGMA query_only"), 1);
}

}  // namespace
}  // namespace parley::store::testing
