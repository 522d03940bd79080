#pragma once
// `parleyd backup --to DIR`: a copy of the data directory that a server can start from, taken
// while the server runs. The database is copied as it was at one moment (VACUUM INTO); the
// files it names (attachment blobs, import and export job files) are copied after it, so every
// file the copy's database names is there. Backing up again into the same directory copies
// only the files it does not hold yet: blobs are named by their content and job files are
// written once. Everything copied stays sealed under the organizations' data keys, which only
// the master key opens: so the master key is left out unless asked for, to be kept apart.
//
// To restore: stop parleyd, put the backup directory where the data directory was (or point
// --data-dir at it), give the master key (--master-key, or master.key inside it), start.

#include <cstdint>
#include <filesystem>
#include <string>

#include "app/config.hpp"
#include "common/result.hpp"

namespace parley::app {

struct BackupReport {
    std::uint64_t database_bytes = 0;
    std::size_t files_copied = 0;  // new to the backup directory
    std::uint64_t bytes_copied = 0;
    std::size_t files_present = 0;  // already there from an earlier backup
    bool master_key_copied = false;
};

// Backs up config.data_dir into request.to (created 0700 if missing). Fails with:
//   "no_database"              config.data_dir holds no database;
//   "backup_inside_data_dir"   request.to is the data directory or inside it;
//   "backup_failed"            a file could not be read or written (the message names it);
//   "snapshot_failed"          see store/sqlite/snapshot.hpp.
Result<BackupReport> back_up(const Config& config, const BackupRequest& request);

// What to tell the operator once it is done: what was copied, and where the master key is.
std::string describe(const BackupReport& report, const BackupRequest& request,
                     const Config& config);

}  // namespace parley::app
