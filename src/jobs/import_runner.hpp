#pragma once
// ImportRunner: the background thread that processes bulk CSV uploads, one job at a time in
// upload order, never on a network or request thread. Each job is read twice from its stored
// file: csv::validate() first, so that a file with a fatal problem (not CSV, not UTF-8,
// missing or unknown columns, a field over the caps) fails the job with nothing applied; then
// row by row in batches through the file kind's applier, with progress saved after each batch
// and every failed row written to the job's error log in the file's order.
//
// stop() lets the current batch finish and leaves the job as it is (processing); the next
// start marks it failed (ImportService::recover). Thread-safe.

#include "jobs/job_queue.hpp"
#include "service/import_service.hpp"

namespace parley::jobs {

class ImportRunner final : public service::ImportQueue {
public:
    explicit ImportRunner(service::ImportService& imports);
    ImportRunner(const ImportRunner&) = delete;
    ImportRunner& operator=(const ImportRunner&) = delete;

    void enqueue(const core::Id& organization_id, const core::Id& job_id) override;
    void stop();

    // Processes one job on the calling thread (what the runner's thread does with each).
    void process(const core::Id& organization_id, const core::Id& job_id);

private:
    service::ImportService& imports_;
    JobQueue queue_;  // last: its thread runs process()
};

}  // namespace parley::jobs
