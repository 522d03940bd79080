#pragma once
// What import and export jobs share: a private directory for their files (uploads and error
// logs, exported files: personal data, readable by the server's user only), and how a job
// that ends is marked.

#include <filesystem>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/types.hpp"
#include "crypto/aead.hpp"
#include "store/store.hpp"

namespace parley::service {

// Creates the directory if needed and makes it 0700. `code` names the failure
// ("imports_dir", "exports_dir"), `what` the directory in its message.
Result<void> prepare_private_directory(const std::filesystem::path& directory, const char* code,
                                       const char* what);

// The organization's data key: its job files (import uploads and error logs, exports) are
// sealed with it (store/sealed_file.hpp), as its conversations' messages and attachments are.
Result<crypto::DataKey> organization_key(store::Store& store, const core::Id& org_id);

// A plain file's whole bytes (an error log's draft, a job file from before sealing): not_found
// "file_not_found" if it cannot be opened, internal "file_unreadable" if it cannot be read.
Result<std::string> read_plain_file(const std::filesystem::path& path);

// internal "job_file_damaged", for a sealed job file that fails its integrity check; the server's
// log names the file.
std::unexpected<Error> job_file_damaged(const std::filesystem::path& file);

// A job file's whole plaintext: `sealed` under the organization's key and `associated_data`,
// or, for a job that ended before job files were sealed, the plain file `legacy` (read as it
// is). not_found "file_not_found" when neither exists; internal "job_file_damaged" when the
// sealed file does not open (altered, cut, or put in another job's place).
Result<std::string> read_job_file(store::Store& store, const core::Id& org_id,
                                  const std::filesystem::path& sealed,
                                  const std::string& associated_data,
                                  const std::filesystem::path& legacy);

// Ends a job: Failed with the error's code and message, or Completed at 100 %.
template <typename Job, typename Status>
void mark_finished(Job& job, const std::optional<Error>& error, TimestampMs at, Status failed,
                   Status completed) {
    job.finished_at = at;
    if (error) {
        job.status = failed;
        job.error_code = error->code;
        job.error_message = error->message;
    } else {
        job.status = completed;
        job.progress = 100;
    }
}

}  // namespace parley::service
