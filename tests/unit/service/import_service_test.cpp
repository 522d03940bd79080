// ImportService without its runner: the error log's draft, which admins read while a job runs
// and which a stop may leave behind, is sealed on the disk from its first row. The runner's side
// is tested end to end in tests/integration/imports_test.cpp.

#include "service/import_service.hpp"

#include <fstream>
#include <iterator>

#include "unit/store/store_test_support.hpp"

namespace parley::service {
namespace {

using store::testing::file_bytes;

using store::testing::must;

class ImportServiceTest : public store::testing::StoreTest {
protected:
    ImportServiceTest() {
        org_ = make_org("Contoso");
        admin_ = make_user("Admin");
        add_person(org_, admin_, "", core::OrgRole::admin);
    }

    Caller admin() const { return Caller{admin_, {}, {}}; }
    // A users file with one bad row, uploaded and queued (no runner takes it here).
    core::ImportJob upload() {
        return must(imports_.upload(admin(), org_.id,
                                    {"users", false, "people.csv", "Phone Number\n+659100\n"}),
                    "upload");
    }
    std::filesystem::path draft(const core::ImportJob& job) const {
        return dir_.path() / "imports" / (job.id + "." + org_.id + ".errors.log.part");
    }

    ManualClock clock_;
    Access access_{store()};
    NullEventSink events_;
    ImportService imports_{store(), access_, events_, clock_, {dir_.path() / "imports"}};
    core::Organization org_;
    core::User admin_;
};

TEST_F(ImportServiceTest, TheErrorLogIsSealedWhileTheJobRunsAndReadsAsItGrows) {
    must(imports_.recover(), "recover");
    const auto job = upload();
    auto run = must(imports_.begin(org_.id, job.id), "begin");
    ASSERT_TRUE(run);
    const std::string header = "Row,Column,Value,Error,Message\r\n";
    const std::string row = "2,Phone Number,+659100,invalid_phone,not a number\r\n";
    must(run->error_log->append(header), "append");
    EXPECT_EQ(must(imports_.errors(admin(), org_.id, job.id), "errors").bytes, header);
    must(run->error_log->append(row), "append");
    EXPECT_EQ(must(imports_.errors(admin(), org_.id, job.id), "errors").bytes, header + row);

    const std::string on_disk = file_bytes(draft(job));
    ASSERT_FALSE(on_disk.empty());
    EXPECT_EQ(on_disk.find("+659100"), std::string::npos) << "the draft is in clear";
    EXPECT_EQ(on_disk.find("invalid_phone"), std::string::npos) << "the draft is in clear";

    // Finished: sealed whole, the draft gone, the same log.
    must(imports_.finish(run->job, std::nullopt), "finish");
    EXPECT_FALSE(std::filesystem::exists(draft(job)));
    EXPECT_EQ(must(imports_.errors(admin(), org_.id, job.id), "errors").bytes, header + row);
}

TEST_F(ImportServiceTest, ADraftAStopLeftIsSealedOnTheNextStart) {
    must(imports_.recover(), "recover");
    const auto job = upload();
    const std::string log = "Row,Column,Value,Error,Message\r\n2,Phone Number,+659100,x,y\r\n";
    {
        auto run = must(imports_.begin(org_.id, job.id), "begin");
        ASSERT_TRUE(run);
        must(run->error_log->append(log), "append");
        // A crash in the middle of the next record: its start is on the disk, not its end.
        std::ofstream(draft(job), std::ios::binary | std::ios::app)
            << std::string("\0\0\1\0abc", 7);
    }  // stopped without finish()

    ImportService next{store(), access_, events_, clock_, {dir_.path() / "imports"}};
    EXPECT_EQ(must(next.recover(), "recover"), 1);
    EXPECT_FALSE(std::filesystem::exists(draft(job)));
    EXPECT_EQ(must(next.errors(admin(), org_.id, job.id), "errors").bytes, log);
    auto failed = must(next.get(admin(), org_.id, job.id), "get");
    EXPECT_EQ(failed.status, core::ImportStatus::failed);
    EXPECT_EQ(failed.error_code, "import_interrupted");
}

TEST_F(ImportServiceTest, ADamagedDraftIsRefusedAsDamaged) {
    must(imports_.recover(), "recover");
    const auto job = upload();
    auto run = must(imports_.begin(org_.id, job.id), "begin");
    ASSERT_TRUE(run);
    must(run->error_log->append("Row,Column,Value,Error,Message\r\n"), "append");
    std::string bytes = file_bytes(draft(job));
    bytes[bytes.size() - 3] ^= 1;
    std::ofstream(draft(job), std::ios::binary | std::ios::trunc) << bytes;
    store::testing::expect_error(imports_.errors(admin(), org_.id, job.id), ErrorKind::internal,
                                 "job_file_damaged");
}

}  // namespace
}  // namespace parley::service
