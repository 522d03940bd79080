#include "jobs/export_runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/log.hpp"
#include "csv/writer.hpp"

namespace parley::jobs {
namespace {

// A new file only the server's user can read (exports are organization data, kept like the
// uploads of import jobs), written through a csv::Writer sink. Remembers the first write error.
class PrivateFile {
public:
    explicit PrivateFile(const std::filesystem::path& path)
        : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) {
        if (fd_ < 0) errno_ = errno;
    }
    ~PrivateFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    PrivateFile(const PrivateFile&) = delete;
    PrivateFile& operator=(const PrivateFile&) = delete;

    void write(std::string_view bytes) {
        while (fd_ >= 0 && errno_ == 0 && !bytes.empty()) {
            ssize_t n = ::write(fd_, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                errno_ = n < 0 ? errno : EIO;
                break;
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
            written_ += n;
        }
    }

    // Syncs and closes; the error, if any write failed.
    Result<void> close() {
        if (fd_ >= 0 && errno_ == 0 && ::fsync(fd_) != 0) errno_ = errno;
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        return status();
    }

    Result<void> status() const {
        if (errno_ == 0) return ok();
        spdlog::error("cannot write {}: {}", path_.string(), std::strerror(errno_));
        return fail(ErrorKind::internal, "export_write_failed",
                    "The server could not write the export file; the error is in its log.");
    }

    std::int64_t written() const { return written_; }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    int errno_ = 0;
    std::int64_t written_ = 0;
};

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

    PrivateFile file(run.partial);
    if (auto opened = file.status(); !opened) return finish(opened.error());
    {
        csv::Writer writer([&file](std::string_view bytes) { file.write(bytes); },
                           csv::WriterOptions{',', true, true});
        writer.write_row(std::span<const std::string>(run.source->header()));
        for (;;) {
            auto page = run.source->next_page();
            if (!page) return finish(page.error());
            if (page->empty()) break;
            for (const auto& row : *page) writer.write_row(std::span<const std::string>(row));
            if (auto flushed = writer.flush(); !flushed) return finish(flushed.error());
            if (auto written = file.status(); !written) return finish(written.error());
            job.rows += static_cast<std::int64_t>(page->size());
            job.file_bytes = file.written();
            job.progress = static_cast<int>(std::min<std::int64_t>(
                99, run.expected_rows == 0 ? 99 : job.rows * 100 / run.expected_rows));
            if (auto saved = exports_.save(job); !saved) return finish(saved.error());
            if (queue_.stopping()) return;  // left running: recover() fails it next start
        }
        if (auto flushed = writer.flush(); !flushed) return finish(flushed.error());
    }
    if (auto closed = file.close(); !closed) return finish(closed.error());
    job.file_bytes = file.written();
    std::error_code ec;
    std::filesystem::rename(run.partial, run.file, ec);
    if (ec) {
        spdlog::error("export {}: cannot move {} into place: {}", job.id, run.partial.string(),
                      ec.message());
        return finish(Error{ErrorKind::internal, "export_write_failed",
                            "The server could not write the export file; the error is in its "
                            "log.",
                            std::nullopt});
    }
    finish(std::nullopt);
}

}  // namespace parley::jobs
