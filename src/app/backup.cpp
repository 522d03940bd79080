#include "app/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <string_view>
#include <system_error>

#include "store/sqlite/snapshot.hpp"

namespace parley::app {
namespace {

namespace fs = std::filesystem;

// The directories of the data directory that hold what the database names. uploads/ (requests
// in flight) and the dev outbox are not data.
constexpr std::array<std::string_view, 3> kFileDirectories = {"blobs", "imports", "exports"};

Error backup_failed(const std::string& what) {
    return Error{ErrorKind::internal, "backup_failed", what};
}

// Drafts (an import's error log while it runs, a copy cut off) are unfinished and, for error
// logs, not yet sealed: they are not data to keep.
bool is_draft(const fs::path& file) {
    const auto ext = file.extension();
    return ext == ".part" || ext == ".partial";
}

bool inside(const fs::path& path, const fs::path& directory) {
    auto [end, _] = std::mismatch(directory.begin(), directory.end(), path.begin(), path.end());
    return end == directory.end();
}

Result<void> make_private_directory(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
        return fail(backup_failed("Cannot create the directory " + dir.string() + ": " +
                                  (ec ? ec.message() : "something else is there")));
    }
    fs::permissions(dir, fs::perms::owner_all, ec);
    return ok();
}

// Copies one file as "<to>.partial", synced and renamed, readable by its owner only.
Result<void> copy_private_file(const fs::path& from, const fs::path& to) {
    auto partial = to;
    partial += ".partial";
    std::error_code ec;
    fs::copy_file(from, partial, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, ec);
    if (!ec) {
        const int fd = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::fsync(fd) != 0) ec = std::error_code(errno, std::generic_category());
        if (fd >= 0) ::close(fd);
    }
    if (!ec) fs::rename(partial, to, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        return fail(backup_failed("Cannot copy " + from.string() + " to " + to.string() + ": " +
                                  ec.message()));
    }
    return ok();
}

// Copies the files of `from` the backup does not hold yet into `to`, keeping their paths.
Result<void> copy_new_files(const fs::path& from, const fs::path& to, BackupReport& report) {
    std::error_code ec;
    if (!fs::is_directory(from, ec)) return ok();  // nothing of that kind stored yet
    PARLEY_TRY_VOID(make_private_directory(to));
    fs::recursive_directory_iterator it(from, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path relative = it->path().lexically_relative(from);
        if (it->is_directory(ec)) {
            PARLEY_TRY_VOID(make_private_directory(to / relative));
            continue;
        }
        if (!it->is_regular_file(ec) || is_draft(it->path())) continue;
        const auto size = it->file_size(ec);
        if (ec) {
            // Removed since it was listed (an unsent upload swept, say): not in the snapshot.
            ec.clear();
            continue;
        }
        const fs::path target = to / relative;
        std::error_code exists;
        if (fs::is_regular_file(target, exists) && fs::file_size(target, exists) == size) {
            ++report.files_present;
            continue;
        }
        PARLEY_TRY_VOID(copy_private_file(it->path(), target));
        ++report.files_copied;
        report.bytes_copied += size;
    }
    if (ec) {
        return fail(
            backup_failed("Cannot list the files of " + from.string() + ": " + ec.message()));
    }
    return ok();
}

std::string mib(std::uint64_t bytes) {
    const auto tenths = (bytes * 10 + (1 << 19)) >> 20;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MiB";
}

}  // namespace

Result<BackupReport> back_up(const Config& config, const BackupRequest& request) {
    std::error_code ec;
    const fs::path data = fs::weakly_canonical(config.data_dir, ec);
    const fs::path to = fs::weakly_canonical(request.to, ec);
    if (request.to.empty() || inside(to, data)) {
        return fail(ErrorKind::invalid, "backup_inside_data_dir",
                    "Back up into a directory outside the data directory " + data.string() +
                        " (--to " + request.to.string() + " is inside it).");
    }
    const fs::path database = config.data_dir / "parley.db";
    if (!fs::is_regular_file(database, ec)) {
        // Before creating anything at the destination.
        return fail(ErrorKind::not_found, "no_database",
                    "There is no database at " + database.string() +
                        ": give the data directory the server uses (--data-dir, or --config "
                        "with the server's file).");
    }
    PARLEY_TRY_VOID(make_private_directory(to));

    BackupReport report;
    // The database first: every file it names exists by then, and files are never changed.
    PARLEY_TRY_ASSIGN(report.database_bytes,
                      store::sqlite::snapshot_database(database, to / "parley.db"));
    for (std::string_view dir : kFileDirectories) {
        PARLEY_TRY_VOID(copy_new_files(config.data_dir / dir, to / dir, report));
    }
    if (request.with_master_key) {
        PARLEY_TRY_VOID(copy_private_file(config.master_key_file, to / "master.key"));
        report.master_key_copied = true;
    }
    return report;
}

std::string describe(const BackupReport& report, const BackupRequest& request,
                     const Config& config) {
    std::string text = "Backed up " + config.data_dir.string() + " to " + request.to.string() +
                       ": the database (" + mib(report.database_bytes) + ") and " +
                       std::to_string(report.files_copied) + " new files (" +
                       mib(report.bytes_copied) + ")";
    if (report.files_present > 0) {
        text += "; " + std::to_string(report.files_present) + " files were there already";
    }
    text += ".\n";
    if (report.master_key_copied) {
        text +=
            "The master key is in it too: whoever has this backup can read everything in "
            "it. Keep it as safe as the server.\n";
    } else {
        text += "The master key (" + config.master_key_file.string() +
                ") is not in it: keep a copy of the key apart from the backups, since nothing in "
                "them can be read without it. To restore, start parleyd with --data-dir on a "
                "copy of this directory and --master-key on that key.\n";
    }
    return text;
}

}  // namespace parley::app
