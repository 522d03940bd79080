#include "store/sqlite/snapshot.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <system_error>

namespace parley::store::sqlite {
namespace {

Error snapshot_failed(const std::string& what) {
    return Error{ErrorKind::internal, "snapshot_failed", what};
}

// fsync on the file (or directory) at path: the rename that follows must not reach the disk
// before the bytes it names.
bool sync_path(const std::filesystem::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return false;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

// VACUUM INTO from a read-only connection: the backup never writes to the server's database.
// (Not Connection::open's read-only mode: its query_only pragma refuses VACUUM INTO too.)
Result<void> vacuum_into(const std::filesystem::path& database, const std::filesystem::path& into) {
    sqlite3* db = nullptr;
    int rc =
        sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_stmt* vacuum = nullptr;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 10'000);
        rc = sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &vacuum, nullptr);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_bind_text(vacuum, 1, into.c_str(), -1, SQLITE_TRANSIENT);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(vacuum);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_finalize(vacuum);
    sqlite3_close_v2(db);
    if (rc != SQLITE_OK) {
        return fail(snapshot_failed("Cannot copy the database " + database.string() + " into " +
                                    into.string() + ": " + detail));
    }
    return ok();
}

}  // namespace

Result<std::uint64_t> snapshot_database(const std::filesystem::path& database,
                                        const std::filesystem::path& into) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(database, ec)) {
        return fail(ErrorKind::not_found, "no_database",
                    "There is no database at " + database.string() + ".");
    }
    auto partial = into;
    partial += ".partial";
    std::filesystem::remove(partial, ec);  // left by a backup that was cut off

    // Created empty and private first (VACUUM INTO writes into an empty file), so the copy is
    // never readable by others, not even while it is written.
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(snapshot_failed("Cannot create " + partial.string() + ": " +
                                    std::generic_category().message(errno)));
    }
    ::close(fd);
    if (auto copied = vacuum_into(database, partial); !copied) {
        std::filesystem::remove(partial, ec);
        return fail(copied.error());
    }
    if (!sync_path(partial, O_RDONLY)) {
        std::filesystem::remove(partial, ec);
        return fail(snapshot_failed("Cannot write " + partial.string() + " to the disk."));
    }
    const auto size = std::filesystem::file_size(partial, ec);
    std::filesystem::rename(partial, into, ec);
    if (ec) {
        return fail(snapshot_failed("Cannot rename " + partial.string() + " to " + into.string() +
                                    ": " + ec.message()));
    }
    sync_path(into.parent_path().empty() ? "." : into.parent_path(), O_RDONLY | O_DIRECTORY);
    return static_cast<std::uint64_t>(size);
}

}  // namespace parley::store::sqlite
