#pragma once
// What import and export jobs share: a private directory for their files (uploads and error
// logs, exported files: personal data, readable by the server's user only), and how a job
// that ends is marked.

#include <filesystem>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace parley::service {

// Creates the directory if needed and makes it 0700. `code` names the failure
// ("imports_dir", "exports_dir"), `what` the directory in its message.
Result<void> prepare_private_directory(const std::filesystem::path& directory, const char* code,
                                       const char* what);

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
