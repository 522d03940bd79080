#pragma once
// ExportRunner: the background thread that writes export files, one job at a time in the order
// they were asked for, never on a network or request thread. A job pages through its source
// (service/export_kinds.hpp) and writes each page through csv::Writer (formula guard on, UTF-8
// BOM for spreadsheets) to a private partial file, saving its progress after each page; the
// finished file is synced and renamed into place, so a completed job always has a whole file.
//
// stop() lets the current page finish and leaves the job running; the next start marks it
// failed and deletes the partial file (ExportService::recover). Thread-safe.

#include "jobs/job_queue.hpp"
#include "service/export_service.hpp"

namespace parley::jobs {

class ExportRunner final : public service::ExportQueue {
public:
    explicit ExportRunner(service::ExportService& exports);
    ExportRunner(const ExportRunner&) = delete;
    ExportRunner& operator=(const ExportRunner&) = delete;

    void enqueue(const core::Id& organization_id, const core::Id& job_id) override;
    void stop();

    // Processes one job on the calling thread (what the runner's thread does with each).
    void process(const core::Id& organization_id, const core::Id& job_id);

private:
    service::ExportService& exports_;
    JobQueue queue_;  // last: its thread runs process()
};

}  // namespace parley::jobs
