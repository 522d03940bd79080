// ExportService without its runner: what the routes answer for a job that has not run yet
// (its file is not ready), and what a start-up does with jobs a stop left unfinished. The
// runner's side is tested end to end in tests/integration/exports_test.cpp.

#include "service/export_service.hpp"

#include "unit/store/store_test_support.hpp"

namespace parley::service {
namespace {

using store::testing::expect_error;
using store::testing::must;

class ExportServiceTest : public store::testing::StoreTest {
protected:
    ExportServiceTest() {
        org_ = make_org("Contoso");
        admin_ = make_user("Admin");
        add_person(org_, admin_, "", core::OrgRole::admin);
    }

    Caller admin() const { return Caller{admin_, {}, {}}; }

    ManualClock clock_;
    Access access_{store()};
    ExportService exports_{store(), access_, clock_, {dir_.path() / "exports"}};
    core::Organization org_;
    core::User admin_;
};

TEST_F(ExportServiceTest, QueuedJobHasNoFileYet) {
    must(exports_.recover(), "recover");
    auto job = must(exports_.create(admin(), org_.id, {"people", ""}), "create");
    EXPECT_EQ(job.status, core::ExportStatus::queued);
    EXPECT_EQ(job.file_name, "people-2023-11-14.csv");  // the clock's day
    auto file = exports_.file(admin(), org_.id, job.id);
    expect_error(file, ErrorKind::conflict, "export_not_ready");
    EXPECT_NE(file.error().message.find("queued"), std::string::npos) << file.error().message;

    // Started (running): still not ready.
    auto run = must(exports_.begin(org_.id, job.id), "begin");
    ASSERT_TRUE(run);
    EXPECT_EQ(run->job.status, core::ExportStatus::running);
    EXPECT_EQ(run->expected_rows, 1);
    expect_error(exports_.file(admin(), org_.id, job.id), ErrorKind::conflict, "export_not_ready");
    EXPECT_FALSE(must(exports_.begin(org_.id, job.id), "begin again")) << "begun once only";
}

TEST_F(ExportServiceTest, RecoverFailsUnfinishedJobsAndRemovesPartialFiles) {
    must(exports_.recover(), "recover");
    auto queued = must(exports_.create(admin(), org_.id, {"people", ""}), "create");
    auto running = must(exports_.create(admin(), org_.id, {"people", ""}), "create");
    ASSERT_TRUE(must(exports_.begin(org_.id, running.id), "begin"));
    const auto partial = dir_.path() / "exports" / (running.id + ".csv.part");
    { std::ofstream(partial) << "Phone Number\r\n"; }

    EXPECT_EQ(must(exports_.recover(), "recover"), 2);
    EXPECT_FALSE(std::filesystem::exists(partial));
    for (const auto& id : {queued.id, running.id}) {
        auto job = must(exports_.get(admin(), org_.id, id), "get");
        EXPECT_EQ(job.status, core::ExportStatus::failed);
        EXPECT_EQ(job.error_code, "export_interrupted");
        expect_error(exports_.file(admin(), org_.id, id), ErrorKind::conflict, "export_failed");
    }
    EXPECT_EQ(must(exports_.recover(), "recover"), 0);
}

TEST_F(ExportServiceTest, ExporterWhoLostTheRightFailsAtTheStart) {
    must(exports_.recover(), "recover");
    auto job = must(exports_.create(admin(), org_.id, {"people", ""}), "create");
    auto demoted = must(store().find_person(org_.id, admin_.id), "find_person");
    demoted->role = core::OrgRole::member;
    must(store().upsert_person(*demoted), "upsert_person");
    EXPECT_FALSE(must(exports_.begin(org_.id, job.id), "begin"));
    auto other = make_user("Other");
    add_person(org_, other, "", core::OrgRole::admin);
    auto failed = must(exports_.get(Caller{other, {}, {}}, org_.id, job.id), "get");
    EXPECT_EQ(failed.status, core::ExportStatus::failed);
    EXPECT_EQ(failed.error_code, "org_admin_required");
    EXPECT_TRUE(failed.finished_at);
}

}  // namespace
}  // namespace parley::service
