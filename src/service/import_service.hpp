#pragma once
// Bulk CSV uploads as jobs (seeds 001, 004): an organization admin uploads a file, which is
// stored with a job row, and a background runner (jobs/import_runner.hpp) validates and
// applies it; the history, the original file and the error log can be fetched afterwards.
// Every route is an admin's (authz OrgAction::run_imports and view_imports). The runner drives
// a job through begin() → open_upload() → save() → finish(). Thread-safe.
//
// Files (personal data) are sealed under the organization's data key in <imports dir>: the
// upload as <job id>.csv.sealed, the error log as <job id>.errors.csv.sealed. While the job runs
// the runner appends the log to a draft, <job id>.<organization id>.errors.log.part, a sealed
// log (store/sealed_log.hpp) that admins may read as it grows; finish() seals it whole, and
// recover() seals the drafts a stop left (also plain .errors.part drafts from before drafts
// were sealed). Jobs from before sealing keep their plain <job id>.csv and <job id>.errors.csv.

#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/events.hpp"
#include "service/import_kinds.hpp"
#include "store/sealed_log.hpp"

namespace parley::service {

struct ImportSettings {
    std::filesystem::path directory;  // where uploads and error logs are kept
    std::size_t batch_rows = 1000;    // rows checked and written together
    int history_limit = 200;          // jobs listed at most
};

struct ImportUpload {
    std::string kind;  // "users", "user_groups" or "parent_groups"
    bool dry_run = false;
    std::string file_name;
    std::string body;  // the CSV file
};

// Where jobs go once stored; the runner implements it.
class ImportQueue {
public:
    virtual ~ImportQueue() = default;
    // Must not block.
    virtual void enqueue(const core::Id& organization_id, const core::Id& job_id) = 0;
};

struct ImportFile {
    std::string file_name;
    std::string bytes;
};

// A job the runner has started (status processing); error_log is the draft it writes, sealed
// record by record so that it can be read while the job runs, and sealed whole by finish().
struct ImportRun {
    core::ImportJob job;
    std::unique_ptr<store::SealedLogWriter> error_log;
    const ImportFileKind* kind = nullptr;
    ImportContext context;  // header unset: the runner sets it once it has read the file
    ImportDependencies dependencies;
};

class ImportService {
public:
    ImportService(store::Store& store, Access& access, EventSink& events, const Clock& clock,
                  ImportSettings settings);

    // REQUIRES: called before the first upload.
    void set_queue(ImportQueue* queue) { queue_ = queue; }

    // Creates the imports directory and fails the jobs a stop left unfinished
    // (import_interrupted): rows they applied stay, and applying again is idempotent, so the
    // admin uploads the file again. Returns how many were failed.
    Result<std::int64_t> recover();

    // Stores the file and queues the job: 202 with the job. unknown_import_kind, empty_file.
    Result<core::ImportJob> upload(const Caller& caller, const core::Id& org_id,
                                   ImportUpload upload);
    Result<std::vector<core::ImportJob>> list(const Caller& caller, const core::Id& org_id);
    Result<core::ImportJob> get(const Caller& caller, const core::Id& org_id,
                                const core::Id& job_id);
    Result<ImportFile> file(const Caller& caller, const core::Id& org_id, const core::Id& job_id);
    // The error log (CSV: Row, Column, Value, Error, Message); the header alone while none.
    Result<ImportFile> errors(const Caller& caller, const core::Id& org_id, const core::Id& job_id);
    // The template of a kind: its header and an example row, with the current attributes.
    Result<ImportFile> template_file(const Caller& caller, const core::Id& org_id,
                                     const std::string& kind);

    // --- for the runner ---
    // Marks the job processing and gathers what applying it needs; nullopt if it is not queued
    // (any more). A job whose uploader is no longer an admin fails here.
    Result<std::optional<ImportRun>> begin(const core::Id& org_id, const core::Id& job_id);
    // The uploaded file, decrypted as it is read; bad() after reading if it could not be.
    // not_found import_file_missing if it is gone.
    Result<std::unique_ptr<std::istream>> open_upload(const core::ImportJob& job);
    // Stores progress and counts.
    Result<void> save(const core::ImportJob& job);
    // Completed, or failed with `error`; the finishing time is set here, and the error log's
    // draft (complete by now) sealed.
    Result<void> finish(core::ImportJob& job, const std::optional<Error>& error);

private:
    Result<core::ImportJob> find(const Caller& caller, const core::Id& org_id,
                                 const core::Id& job_id);
    std::filesystem::path upload_path(const core::Id& job_id) const;
    std::filesystem::path error_log_path(const core::Id& job_id) const;
    std::filesystem::path error_log_draft_path(const core::ImportJob& job) const;
    std::filesystem::path legacy_path(const core::Id& job_id, const char* suffix) const;
    // An error log's draft: sealed (or plain, from before drafts were sealed).
    Result<std::string> read_error_log_draft(const core::Id& org_id, const core::Id& job_id,
                                             const std::filesystem::path& draft);
    // Seals a finished job's error log draft, if it has one.
    Result<void> seal_error_log(const core::Id& org_id, const core::Id& job_id,
                                const std::filesystem::path& draft);

    store::Store& store_;
    Access& access_;
    EventSink& events_;
    const Clock& clock_;
    ImportSettings settings_;
    ImportQueue* queue_ = nullptr;
};

// The header of every error log.
inline const std::vector<std::string>& error_log_header() {
    static const std::vector<std::string> header{"Row", "Column", "Value", "Error", "Message"};
    return header;
}

}  // namespace parley::service
