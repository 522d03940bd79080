#include "service/import_service.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/log.hpp"
#include "crypto/random.hpp"
#include "csv/writer.hpp"
#include "service/job_files.hpp"
#include "service/text.hpp"

namespace parley::service {
namespace {

using authz::OrgAction;

// Writes bytes to a new file only the server's user can read, and syncs it: a job row must
// never point at a file a crash lost.
Result<void> write_private_file(const std::filesystem::path& path, std::string_view bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        spdlog::error("cannot create {}: {}", path.string(), std::strerror(errno));
        return fail(ErrorKind::internal, "import_storage_failed",
                    "The server could not store the file; the error is in its log.");
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    const bool synced = done == bytes.size() && ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!synced) {
        spdlog::error("cannot write {}: {}", path.string(), std::strerror(saved_errno));
        std::error_code ec;
        std::filesystem::remove(path, ec);
        return fail(ErrorKind::internal, "import_storage_failed",
                    "The server could not store the file; the error is in its log.");
    }
    return ok();
}

Result<std::string> read_whole_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorKind::not_found, "import_file_missing",
                    "The file of this job is no longer on the server.");
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

ImportService::ImportService(store::Store& store, Access& access, EventSink& events,
                             const Clock& clock, ImportSettings settings)
    : store_(store),
      access_(access),
      events_(events),
      clock_(clock),
      settings_(std::move(settings)) {}

std::filesystem::path ImportService::upload_path(const core::Id& job_id) const {
    return settings_.directory / (job_id + ".csv");
}

std::filesystem::path ImportService::error_log_path(const core::Id& job_id) const {
    return settings_.directory / (job_id + ".errors.csv");
}

Result<std::int64_t> ImportService::recover() {
    PARLEY_TRY_VOID(prepare_private_directory(settings_.directory, "imports_dir", "imports"));
    return store_.fail_unfinished_import_jobs(
        "import_interrupted",
        "The server stopped while this file was being imported; rows applied before the stop "
        "stay applied. Upload the file again to finish: rows already applied count as "
        "unchanged.",
        clock_.now_ms());
}

Result<core::ImportJob> ImportService::upload(const Caller& caller, const core::Id& org_id,
                                              ImportUpload upload) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::run_imports));
    const ImportFileKind* kind = find_import_kind(upload.kind);
    if (!kind) {
        return fail(ErrorKind::invalid, "unknown_import_kind",
                    "kind must be users, user_groups or parent_groups (the file kinds that can be "
                    "uploaded).");
    }
    if (upload.body.empty()) {
        return fail(ErrorKind::invalid, "empty_file",
                    "The file is empty: send the CSV file as the request body.");
    }
    core::ImportJob job;
    job.id = crypto::new_id("imp");
    job.organization_id = org_id;
    job.kind = kind->kind();
    job.file_name = clean_file_name(upload.file_name, "upload.csv");
    job.file_bytes = static_cast<std::int64_t>(upload.body.size());
    job.uploaded_by = caller.user.id;
    job.uploaded_by_phone = caller.user.phone;
    job.dry_run = upload.dry_run;
    job.status = core::ImportStatus::queued;
    job.created_at = clock_.now_ms();
    PARLEY_TRY_VOID(write_private_file(upload_path(job.id), upload.body));
    if (auto created = store_.create_import_job(job); !created) {
        std::error_code ec;
        std::filesystem::remove(upload_path(job.id), ec);
        return std::unexpected(created.error());
    }
    if (queue_) queue_->enqueue(org_id, job.id);
    return job;
}

Result<std::vector<core::ImportJob>> ImportService::list(const Caller& caller,
                                                         const core::Id& org_id) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::view_imports));
    return store_.list_import_jobs(org_id, settings_.history_limit);
}

Result<core::ImportJob> ImportService::find(const Caller& caller, const core::Id& org_id,
                                            const core::Id& job_id) {
    PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::view_imports));
    PARLEY_TRY_ASSIGN(auto job, store_.find_import_job(org_id, job_id));
    if (!job) {
        return fail(ErrorKind::not_found, "import_not_found",
                    "The organization has no such import; GET …/imports lists them.");
    }
    return *job;
}

Result<core::ImportJob> ImportService::get(const Caller& caller, const core::Id& org_id,
                                           const core::Id& job_id) {
    return find(caller, org_id, job_id);
}

Result<ImportFile> ImportService::file(const Caller& caller, const core::Id& org_id,
                                       const core::Id& job_id) {
    PARLEY_TRY_ASSIGN(auto job, find(caller, org_id, job_id));
    PARLEY_TRY_ASSIGN(auto bytes, read_whole_file(upload_path(job.id)));
    return ImportFile{job.file_name, std::move(bytes)};
}

Result<ImportFile> ImportService::errors(const Caller& caller, const core::Id& org_id,
                                         const core::Id& job_id) {
    PARLEY_TRY_ASSIGN(auto job, find(caller, org_id, job_id));
    std::string name = job.file_name;
    if (name.size() > 4 && name.ends_with(".csv")) name.resize(name.size() - 4);
    name += "-errors.csv";
    std::error_code ec;
    if (!std::filesystem::exists(error_log_path(job.id), ec)) {
        std::string header;
        csv::Writer writer([&](std::string_view bytes) { header += bytes; });
        writer.write_row(std::span<const std::string>(error_log_header()));
        PARLEY_TRY_VOID(writer.flush());
        return ImportFile{name, header};
    }
    PARLEY_TRY_ASSIGN(auto bytes, read_whole_file(error_log_path(job.id)));
    return ImportFile{name, std::move(bytes)};
}

Result<ImportFile> ImportService::template_file(const Caller& caller, const core::Id& org_id,
                                                const std::string& kind_name) {
    PARLEY_TRY_ASSIGN(auto access, access_.organization(caller, org_id, OrgAction::view_imports));
    const ImportFileKind* kind = find_import_kind(kind_name);
    if (!kind) {
        return fail(ErrorKind::not_found, "unknown_import_kind",
                    "There is no template \"" + kind_name.substr(0, 50) +
                        "\"; the kinds are users, user_groups and parent_groups.");
    }
    PARLEY_TRY_ASSIGN(auto attributes, store_.list_attributes(org_id));
    std::string out;
    {
        csv::Writer writer([&](std::string_view bytes) { out += bytes; }, {',', true, true});
        for (const auto& row : kind->template_rows(access.organization, attributes)) {
            writer.write_row(std::span<const std::string>(row));
        }
        PARLEY_TRY_VOID(writer.flush());
    }
    return ImportFile{std::string(core::to_string(kind->kind())) + "-template.csv", std::move(out)};
}

Result<std::optional<ImportRun>> ImportService::begin(const core::Id& org_id,
                                                      const core::Id& job_id) {
    PARLEY_TRY_ASSIGN(auto found, store_.find_import_job(org_id, job_id));
    if (!found || found->status != core::ImportStatus::queued) {
        return std::optional<ImportRun>();
    }
    core::ImportJob job = std::move(*found);
    job.status = core::ImportStatus::processing;
    PARLEY_TRY_VOID(store_.update_import_job(job));

    // The upload was allowed when it was made; the rows are applied in the uploader's name
    // now, so they must still be allowed to.
    PARLEY_TRY_ASSIGN(auto uploader, store_.find_user(job.uploaded_by));
    if (!uploader) {
        Error gone{ErrorKind::forbidden, "org_admin_required",
                   "The uploader's account is gone; nothing was applied.", std::nullopt};
        PARLEY_TRY_VOID(finish(job, gone));
        return std::optional<ImportRun>();
    }
    Caller caller{*uploader, {}, {}};
    auto access = access_.organization(caller, org_id, OrgAction::run_imports);
    if (!access) {
        Error refused = access.error();
        refused.message += " (checked when the job started: nothing was applied)";
        PARLEY_TRY_VOID(finish(job, refused));
        return std::optional<ImportRun>();
    }
    ImportRun run{job,
                  upload_path(job.id),
                  error_log_path(job.id),
                  &import_kind(job.kind),
                  {},
                  ImportDependencies{store_, events_, clock_, settings_.batch_rows}};
    run.context.job = job;
    run.context.organization = std::move(access->organization);
    run.context.uploader = *uploader;
    PARLEY_TRY_ASSIGN(run.context.attributes, store_.list_attributes(org_id));
    return std::optional<ImportRun>(std::move(run));
}

Result<void> ImportService::save(const core::ImportJob& job) {
    return store_.update_import_job(job);
}

Result<void> ImportService::finish(core::ImportJob& job, const std::optional<Error>& error) {
    mark_finished(job, error, clock_.now_ms(), core::ImportStatus::failed,
                  core::ImportStatus::completed);
    return store_.update_import_job(job);
}

}  // namespace parley::service
