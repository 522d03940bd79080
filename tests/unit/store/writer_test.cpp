// The batching Writer on its own: jobs queued while it is busy run as one batch, each in its
// own savepoint, so a failing job undoes only its own writes; a failed commit fails the batch.
// A "gate" job holds the writer while the jobs under test queue up behind it, which makes the
// batch composition deterministic (asserted through the writer's stats).

#include "store/sqlite/writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

using sqlite::Connection;
using sqlite::Writer;

class WriterTest : public ::testing::Test {
protected:
    void start(std::size_t max_batch = 256) {
        auto connection = Connection::open(path().string(), false, "OFF");
        ASSERT_TRUE(connection) << connection.error().message;
        ASSERT_TRUE((*connection)
                        ->exec("CREATE TABLE t (x INTEGER PRIMARY KEY);"
                               "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                               "CREATE TABLE child (pid INTEGER REFERENCES parent(id) "
                               "DEFERRABLE INITIALLY DEFERRED);"
                               "INSERT INTO t(x) VALUES (0);"));
        writer_ = std::make_unique<Writer>(std::move(*connection), max_batch);
    }

    std::filesystem::path path() const { return dir_.path() / "writer.db"; }

    std::vector<std::int64_t> values() {
        RawDb raw(path());
        std::vector<std::int64_t> out;
        for (const auto& row : raw.rows("SELECT x FROM t ORDER BY x")) {
            out.push_back(std::stoll(row[0]));
        }
        return out;
    }

    static Result<void> insert(Connection& c, std::int64_t x) {
        PARLEY_TRY_ASSIGN(auto s, c.prepare("INSERT INTO t(x) VALUES (?1)"));
        s->bind_all(x);
        return s->run();
    }

    Result<std::int64_t> write_value(std::int64_t x) {
        return writer_->write<std::int64_t>([x](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_VOID(insert(c, x));
            return x;
        });
    }

    // Writes two rows, then fails: neither row may survive.
    Result<std::int64_t> write_then_fail(std::int64_t x) {
        return writer_->write<std::int64_t>([x](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_VOID(insert(c, x));
            PARLEY_TRY_VOID(insert(c, x + 1));
            return fail(ErrorKind::conflict, "changed_my_mind", "The job failed after writing.");
        });
    }

    // Runs calls on their own threads, all queued behind a job that holds the writer, then
    // lets the writer go. Each call queues one job; the next starts once it is queued, so the
    // jobs queue in the order given, however the threads are scheduled.
    void run_queued(const std::vector<std::function<void()>>& calls) {
        std::promise<void> started, release;
        auto released = release.get_future().share();
        std::thread gate([&] {
            auto r = writer_->write<int>([&](Connection&) -> Result<int> {
                started.set_value();
                released.wait();
                return 0;
            });
            if (!r) ADD_FAILURE() << r.error().message;
        });
        started.get_future().wait();
        std::vector<std::thread> threads;
        for (const auto& call : calls) {
            threads.emplace_back(call);
            while (writer_->stats().queued < threads.size()) std::this_thread::yield();
        }
        release.set_value();
        gate.join();
        for (auto& t : threads) t.join();
    }

    TempDir dir_;
    std::unique_ptr<Writer> writer_;
};

TEST_F(WriterTest, AFailingJobUndoesOnlyItsOwnWritesInASharedBatch) {
    start();
    constexpr int kGood = 10, kPartial = 5, kDuplicate = 5;
    std::vector<Result<std::int64_t>> good(kGood, fail(ErrorKind::internal, "unset", "")),
        partial(kPartial, fail(ErrorKind::internal, "unset", "")),
        duplicate(kDuplicate, fail(ErrorKind::internal, "unset", ""));
    std::vector<std::function<void()>> calls;
    for (int i = 0; i < kGood; ++i) calls.push_back([&, i] { good[i] = write_value(i + 1); });
    for (int i = 0; i < kPartial; ++i) {
        calls.push_back([&, i] { partial[i] = write_then_fail(100 + 2 * i); });
    }
    for (int i = 0; i < kDuplicate; ++i) {
        calls.push_back([&, i] { duplicate[i] = write_value(0); });  // 0 exists
    }
    run_queued(calls);

    const auto stats = writer_->stats();
    EXPECT_EQ(stats.jobs, static_cast<std::uint64_t>(1 + kGood + kPartial + kDuplicate));
    EXPECT_EQ(stats.batches, 2u) << "the jobs under test did not share one batch";

    for (int i = 0; i < kGood; ++i) {
        ASSERT_TRUE(good[i]) << good[i].error().code;
        EXPECT_EQ(*good[i], i + 1);
    }
    for (const auto& r : partial) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "changed_my_mind");
    }
    for (const auto& r : duplicate) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, ErrorKind::conflict);
        EXPECT_EQ(r.error().code, "constraint_violation");
    }
    EXPECT_EQ(values(), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

// Jobs that run alone (large import batches) get a transaction each, between the shared
// batches of the others; one that fails takes back all its writes and nothing of the others.
TEST_F(WriterTest, AJobThatRunsAloneIsABatchOfItsOwnAndFailsAlone) {
    start();
    auto write_alone = [&](std::int64_t x, bool then_fail) {
        return writer_->write_alone<std::int64_t>(
            [x, then_fail](Connection& c) -> Result<std::int64_t> {
                PARLEY_TRY_VOID(insert(c, x));
                PARLEY_TRY_VOID(insert(c, x + 1));
                if (then_fail) return fail(ErrorKind::conflict, "changed_my_mind", "No.");
                return x;
            });
    };
    Result<std::int64_t> a = fail(ErrorKind::internal, "unset", ""), b = a, alone = a, failing = a,
                         c = a, d = a;
    run_queued({[&] { a = write_value(1); }, [&] { b = write_value(2); },
                [&] { alone = write_alone(10, false); }, [&] { failing = write_alone(20, true); },
                [&] { c = write_value(3); }, [&] { d = write_value(4); }});

    // The gate, {1, 2}, {10, 11}, {20, 21} rolled back, {3, 4}.
    EXPECT_EQ(writer_->stats().batches, 5u);
    ASSERT_TRUE(a && b && alone && c && d);
    ASSERT_FALSE(failing);
    EXPECT_EQ(failing.error().code, "changed_my_mind");
    EXPECT_EQ(values(), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 10, 11}));
}

TEST_F(WriterTest, AfterCommitActionsRunInCommitOrderBeforeTheirJobsReturnAndOnlyIfKept) {
    start();
    std::mutex mutex;
    std::vector<std::int64_t> announced;                         // GUARDED_BY(mutex)
    std::vector<std::pair<std::int64_t, std::size_t>> returned;  // value, announced so far
    auto announce = [&](Connection& c, std::int64_t x) {
        c.after_commit([&, x] {
            std::lock_guard lock(mutex);
            announced.push_back(x);
        });
    };
    auto good = [&](std::int64_t x) {
        return [&, x] {
            auto r = writer_->write<int>([&, x](Connection& c) -> Result<int> {
                PARLEY_TRY_VOID(insert(c, x));
                announce(c, x);
                return 0;
            });
            ASSERT_TRUE(r);
            std::lock_guard lock(mutex);
            returned.emplace_back(x, announced.size());
        };
    };
    auto failing = [&](std::int64_t x) {
        return [&, x] {
            auto r = writer_->write<int>([&, x](Connection& c) -> Result<int> {
                PARLEY_TRY_VOID(insert(c, x));
                announce(c, x);
                return fail(ErrorKind::conflict, "changed_my_mind", "undone");
            });
            ASSERT_FALSE(r);
        };
    };
    // Queued in this order, so the batch runs them in this order.
    run_queued({good(1), failing(2), good(3), good(4), failing(5)});
    EXPECT_EQ(writer_->stats().batches, 2u);
    EXPECT_EQ(announced, (std::vector<std::int64_t>{1, 3, 4}));
    // Every job of the batch returned after the whole batch was announced.
    for (const auto& [value, seen] : returned) EXPECT_EQ(seen, 3u) << value;
    EXPECT_EQ(values(), (std::vector<std::int64_t>{0, 1, 3, 4}));
}

TEST_F(WriterTest, AFailedCommitAnnouncesNothing) {
    start();
    std::atomic<int> announced = 0;
    // A deferred foreign key fails at COMMIT, after the job itself succeeded.
    auto r = writer_->write<int>([&](Connection& c) -> Result<int> {
        PARLEY_TRY_ASSIGN(auto s, c.prepare("INSERT INTO child(pid) VALUES (42)"));
        PARLEY_TRY_VOID(s->run());
        c.after_commit([&] { ++announced; });
        return 0;
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(announced.load(), 0);
    // The writer goes on, and announces again.
    auto next = writer_->write<int>([&](Connection& c) -> Result<int> {
        PARLEY_TRY_VOID(insert(c, 7));
        c.after_commit([&] { ++announced; });
        return 0;
    });
    ASSERT_TRUE(next);
    EXPECT_EQ(announced.load(), 1);
}

TEST_F(WriterTest, RespectsTheBatchLimit) {
    start(4);
    std::vector<std::function<void()>> calls;
    std::atomic<int> failures{0};
    for (int i = 1; i <= 10; ++i) {
        calls.push_back([&, i] {
            if (!write_value(i)) ++failures;
        });
    }
    run_queued(calls);
    EXPECT_EQ(failures.load(), 0);
    const auto stats = writer_->stats();
    EXPECT_EQ(stats.jobs, 11u);
    EXPECT_EQ(stats.batches, 1u + 3u);  // the gate, then 4 + 4 + 2
    EXPECT_EQ(values().size(), 11u);
}

TEST_F(WriterTest, AFailedCommitFailsTheWholeBatchAndTheWriterRecovers) {
    start();
    std::vector<Result<std::int64_t>> good(5, fail(ErrorKind::internal, "unset", ""));
    Result<std::int64_t> poison = fail(ErrorKind::internal, "unset", "");
    std::vector<std::function<void()>> calls;
    for (int i = 0; i < 5; ++i) calls.push_back([&, i] { good[i] = write_value(i + 1); });
    // A deferred foreign key is only checked at COMMIT, which therefore fails.
    calls.push_back([&] {
        poison = writer_->write<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
            PARLEY_TRY_VOID(c.exec("INSERT INTO child(pid) VALUES (999)"));
            return 999;
        });
    });
    run_queued(calls);
    EXPECT_EQ(writer_->stats().batches, 2u);

    // Nothing of the batch was committed, and every job in it says so.
    for (const auto& r : good) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, ErrorKind::conflict);
    }
    ASSERT_FALSE(poison);
    EXPECT_EQ(values(), std::vector<std::int64_t>{0});
    EXPECT_EQ(RawDb(path()).scalar("SELECT COUNT(*) FROM child"), 0);

    // The next write starts a clean transaction.
    auto after = write_value(42);
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_EQ(values(), (std::vector<std::int64_t>{0, 42}));
}

TEST_F(WriterTest, FinishesQueuedJobsWhenDestroyed) {
    start();
    std::vector<std::thread> threads;
    std::atomic<int> ok_count{0};
    for (int i = 1; i <= 20; ++i) {
        threads.emplace_back([&, i] {
            if (write_value(i)) ++ok_count;
        });
    }
    for (auto& t : threads) t.join();
    writer_.reset();
    EXPECT_EQ(ok_count.load(), 20);
    EXPECT_EQ(values().size(), 21u);
}

// SQLite may roll back a whole transaction by itself when a statement fails with SQLITE_FULL,
// IOERR, NOMEM or BUSY. The jobs after it must not autocommit one by one while being told they
// failed: what each job is told must match what is stored. An explicit ROLLBACK reproduces it.
TEST_F(WriterTest, AJobAfterALostTransactionIsReportedAsItReallyIs) {
    start();
    Result<std::int64_t> before = fail(ErrorKind::internal, "unset", "");
    Result<std::int64_t> after = fail(ErrorKind::internal, "unset", "");
    std::vector<std::function<void()>> calls{
        [&] { before = write_value(1); },
        [&] {
            (void)writer_->write<std::int64_t>([](Connection& c) -> Result<std::int64_t> {
                PARLEY_TRY_VOID(insert(c, 2));
                (void)c.exec("ROLLBACK");  // what SQLite does on some SQLITE_FULL/IOERR
                return fail(ErrorKind::internal, "store_error", "disk full");
            });
        },
        [&] { after = write_value(3); },
    };
    run_queued(calls);
    ASSERT_EQ(writer_->stats().batches, 2u);

    const auto stored = values();
    const bool has1 = std::find(stored.begin(), stored.end(), 1) != stored.end();
    const bool has3 = std::find(stored.begin(), stored.end(), 3) != stored.end();
    // Whatever the writer decides, what it reports must match what is in the database.
    EXPECT_EQ(before.has_value(), has1);
    EXPECT_EQ(after.has_value(), has3)
        << "job 3 reported " << (after ? "success" : after.error().message) << " but its row is "
        << (has3 ? "" : "not ") << "stored";
}

}  // namespace
}  // namespace parley::store::testing
