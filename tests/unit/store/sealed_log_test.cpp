#include "store/sealed_log.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "crypto/init.hpp"
#include "fakes/temp_dir.hpp"
#include "unit/store/store_test_support.hpp"

namespace parley::store {
namespace {

using testing::file_bytes;

using parley::testing::TempDir;

void overwrite(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

class SealedLogTest : public ::testing::Test {
protected:
    void SetUp() override { crypto::init(); }
    std::filesystem::path path() const { return dir_.path() / "job.errors.log.part"; }
    std::unique_ptr<SealedLogWriter> writer() {
        auto w = SealedLogWriter::create(path(), key_, "import-errors-draft:imp_1");
        EXPECT_TRUE(w) << w.error().message;
        return std::move(*w);
    }
    Result<std::string> read(std::string_view ad = "import-errors-draft:imp_1") {
        return read_sealed_log(path(), key_, ad);
    }

    TempDir dir_;
    crypto::DataKey key_ = crypto::DataKey::generate();
};

TEST_F(SealedLogTest, ReadsBackWhatWasAppendedSoFarWhileItIsWritten) {
    auto log = writer();
    EXPECT_EQ(*read(), "") << "an empty log reads as empty";
    ASSERT_TRUE(log->append("Row,Column\r\n"));
    EXPECT_EQ(*read(), "Row,Column\r\n");
    ASSERT_TRUE(log->append(""));  // nothing, not an empty record
    ASSERT_TRUE(log->append("2,Phone Number,+6591000001\r\n"));
    EXPECT_EQ(*read(), "Row,Column\r\n2,Phone Number,+6591000001\r\n");
    EXPECT_EQ(file_bytes(path()).find("+6591000001"), std::string::npos) << "stored in clear";
    struct stat st {};
    ASSERT_EQ(::stat(path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SealedLogTest, ARecordCutOffByACrashIsLeftOut) {
    auto log = writer();
    ASSERT_TRUE(log->append("first\n"));
    const std::string whole = file_bytes(path());
    ASSERT_TRUE(log->append("second\n"));
    const std::string both = file_bytes(path());
    // Every cut inside the second record reads back the first alone.
    for (std::size_t cut = whole.size(); cut < both.size(); ++cut) {
        overwrite(path(), both.substr(0, cut));
        EXPECT_EQ(*read(), "first\n") << cut;
    }
}

TEST_F(SealedLogTest, OpensOnlyWithItsKeyItsNameAndItsRecordsInOrder) {
    auto log = writer();
    ASSERT_TRUE(log->append("one\n"));
    const std::size_t first = file_bytes(path()).size();
    ASSERT_TRUE(log->append("two\n"));
    const std::string both = file_bytes(path());
    EXPECT_EQ(read("import-errors-draft:imp_2").error().code, "decrypt_failed");
    EXPECT_EQ(read_sealed_log(path(), crypto::DataKey::generate(), "import-errors-draft:imp_1")
                  .error()
                  .code,
              "decrypt_failed");
    // The records swapped.
    overwrite(path(), both.substr(first) + both.substr(0, first));
    EXPECT_EQ(read().error().code, "decrypt_failed");
    // The first record taken out.
    overwrite(path(), both.substr(first));
    EXPECT_EQ(read().error().code, "decrypt_failed");
    // A byte altered.
    std::string altered = both;
    altered[altered.size() - 1] ^= 1;
    overwrite(path(), altered);
    EXPECT_EQ(read().error().code, "decrypt_failed");
    EXPECT_EQ(read_sealed_log(dir_.path() / "missing", key_, "x").error().code, "file_not_found");
}

}  // namespace
}  // namespace parley::store
