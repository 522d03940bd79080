#pragma once
// Exports as jobs (issue 4): a CSV file of the organization's people, or of one organization
// group's membership (service/export_kinds.hpp), written by a background runner
// (jobs/export_runner.hpp) to <exports dir>/<job id>.csv.sealed, sealed under the
// organization's data key (like the files import jobs keep), with a job row for the history.
// The runner drives a job through begin() → save() → finish().
//
// Who may do what (authz/): organization admins export people (OrgAction::export_people) and
// see every export (view_exports); a group's managers export its membership
// (ConversationAction::export_members). Everyone else sees only the exports they made, each
// while they may still make it: a group admin demoted since cannot download the file.
// Thread-safe.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "service/access.hpp"
#include "service/export_kinds.hpp"
#include "store/sealed_file.hpp"

namespace parley::service {

struct ExportSettings {
    std::filesystem::path directory;  // where the files are written
    int page_rows = 1000;             // rows read from the store and written together
    int history_limit = 200;          // jobs listed at most
};

struct ExportRequest {
    std::string kind;      // "people" or "group_members"
    std::string group_id;  // group_members only
};

// Where jobs go once created; the runner implements it.
class ExportQueue {
public:
    virtual ~ExportQueue() = default;
    // Must not block.
    virtual void enqueue(const core::Id& organization_id, const core::Id& job_id) = 0;
};

struct ExportFile {
    std::string file_name;
    std::string bytes;
};

// A job the runner has started (status running).
// The job error when its file cannot be written (the cause goes to the log).
Error export_write_failed();

struct ExportRun {
    core::ExportJob job;
    std::filesystem::path file;                   // where the finished file goes
    std::filesystem::path partial;                // where it is written until then
    std::unique_ptr<store::SealedWriter> writer;  // seals the CSV into `partial`
    std::int64_t expected_rows = 0;  // for progress; the data may change while the job runs
    std::unique_ptr<ExportSource> source;
};

class ExportService {
public:
    ExportService(store::Store& store, Access& access, const Clock& clock, ExportSettings settings);

    // REQUIRES: called before the first create().
    void set_queue(ExportQueue* queue) { queue_ = queue; }

    // Creates the exports directory, fails the jobs a stop left unfinished
    // (export_interrupted) and deletes their partial files. Returns how many were failed.
    Result<std::int64_t> recover();

    // Queues an export: 202 with the job. unknown_export_kind, group_id_required,
    // group_id_unexpected, group_not_found.
    Result<core::ExportJob> create(const Caller& caller, const core::Id& org_id,
                                   const ExportRequest& request);
    // Newest first: every export for admins, one's own for others (see the top).
    Result<std::vector<core::ExportJob>> list(const Caller& caller, const core::Id& org_id);
    Result<core::ExportJob> get(const Caller& caller, const core::Id& org_id,
                                const core::Id& job_id);
    // The file of a completed job. Conflict export_not_ready while queued or running,
    // export_failed for a failed job; gone export_file_missing if the file was removed.
    Result<ExportFile> file(const Caller& caller, const core::Id& org_id, const core::Id& job_id);

    // --- for the runner ---
    // Marks the job running and opens its source; nullopt if it is not queued (any more). A
    // job whose exporter may no longer make it fails here, with nothing written.
    Result<std::optional<ExportRun>> begin(const core::Id& org_id, const core::Id& job_id);
    // Stores progress and the rows written.
    Result<void> save(const core::ExportJob& job);
    // Completed, or failed with `error`; the finishing time is set here.
    Result<void> finish(core::ExportJob& job, const std::optional<Error>& error);

private:
    // The group an export of org_id names: an organization group of org_id, which the caller
    // may export. not_found group_not_found for anything else.
    Result<core::Conversation> exportable_group(const Caller& caller, const core::Id& org_id,
                                                const core::Id& group_id);
    // Whether the caller may make this job again now (the right to its data).
    Result<void> may_make(const Caller& caller, const core::ExportJob& job);
    std::filesystem::path file_path(const core::Id& job_id) const;
    // Where an export that ended before exports were sealed has its plain file.
    std::filesystem::path legacy_file_path(const core::Id& job_id) const;

    store::Store& store_;
    Access& access_;
    const Clock& clock_;
    ExportSettings settings_;
    ExportQueue* queue_ = nullptr;
};

}  // namespace parley::service
