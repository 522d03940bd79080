#include "jobs/export_runner.hpp"

#include <algorithm>
#include <optional>

#include "common/log.hpp"
#include "csv/writer.hpp"

namespace parley::jobs {
namespace {

// Logs why the sealed file could not be written; the job says only that it could not.
Error sealing_failed(const core::ExportJob& job, const Error& error) {
    spdlog::error("export {}: cannot write its file: {} ({})", job.id, error.code, error.message);
    return service::export_write_failed();
}

}  // namespace

ExportRunner::ExportRunner(service::ExportService& exports)
    : exports_(exports),
      queue_([this](const core::Id& org, const core::Id& job) { process(org, job); }) {}

void ExportRunner::enqueue(const core::Id& organization_id, const core::Id& job_id) {
    queue_.push(organization_id, job_id);
}

void ExportRunner::stop() { queue_.stop(); }

void ExportRunner::process(const core::Id& organization_id, const core::Id& job_id) {
    auto begun = exports_.begin(organization_id, job_id);
    if (!begun) {
        spdlog::error("export {}: cannot start: {} ({})", job_id, begun.error().code,
                      begun.error().message);
        return;
    }
    if (!*begun) return;
    service::ExportRun& run = **begun;
    core::ExportJob& job = run.job;
    auto finish = [&](const std::optional<Error>& error) {
        if (error) {
            spdlog::info("export {} failed: {}", job.id, error->code);
            std::error_code ec;
            std::filesystem::remove(run.partial, ec);
        } else {
            spdlog::info("export {} completed: {} rows, {} bytes", job.id, job.rows,
                         job.file_bytes);
        }
        if (auto saved = exports_.finish(job, error); !saved) {
            spdlog::error("export {}: cannot save its end: {}", job.id, saved.error().message);
        }
    };

    // The CSV goes through the sealing writer as it is made; a failed write leaves nothing.
    store::SealedWriter& file = *run.writer;
    std::optional<Error> write_error;
    {
        csv::Writer writer(
            [&](std::string_view bytes) {
                if (write_error) return;
                if (auto written = file.write(bytes); !written) write_error = written.error();
            },
            csv::WriterOptions{',', true, true});
        writer.write_row(std::span<const std::string>(run.source->header()));
        for (;;) {
            auto page = run.source->next_page();
            if (!page) return finish(page.error());
            if (page->empty()) break;
            for (const auto& row : *page) writer.write_row(std::span<const std::string>(row));
            if (auto flushed = writer.flush(); !flushed) return finish(flushed.error());
            if (write_error) return finish(sealing_failed(job, *write_error));
            job.rows += static_cast<std::int64_t>(page->size());
            job.file_bytes = static_cast<std::int64_t>(file.plaintext_bytes());
            job.progress = static_cast<int>(std::min<std::int64_t>(
                99, run.expected_rows == 0 ? 99 : job.rows * 100 / run.expected_rows));
            if (auto saved = exports_.save(job); !saved) return finish(saved.error());
            if (queue_.stopping()) return;  // left running: recover() fails it next start
        }
        if (auto flushed = writer.flush(); !flushed) return finish(flushed.error());
    }
    if (write_error) return finish(sealing_failed(job, *write_error));
    if (auto closed = file.finish(); !closed) return finish(sealing_failed(job, closed.error()));
    job.file_bytes = static_cast<std::int64_t>(file.plaintext_bytes());
    std::error_code ec;
    std::filesystem::rename(run.partial, run.file, ec);
    if (ec) {
        spdlog::error("export {}: cannot move {} into place: {}", job.id, run.partial.string(),
                      ec.message());
        return finish(service::export_write_failed());
    }
    finish(std::nullopt);
}

}  // namespace parley::jobs
