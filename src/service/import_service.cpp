#include "service/import_service.hpp"

#include <cstring>
#include <fstream>

#include "common/log.hpp"
#include "crypto/random.hpp"
#include "csv/writer.hpp"
#include "service/job_files.hpp"
#include "service/text.hpp"
#include "store/sealed_file.hpp"
#include "store/sealed_log.hpp"

namespace parley::service {
namespace {

using authz::OrgAction;

// Bind a sealed file to its job and role: a file put in another's place fails to open.
std::string upload_ad(const core::Id& job_id) { return "import:" + job_id; }
std::string error_log_ad(const core::Id& job_id) { return "import-errors:" + job_id; }
std::string error_log_draft_ad(const core::Id& job_id) { return "import-errors-draft:" + job_id; }

// An error log while its job runs: "<job>.<organization><suffix>", a sealed log
// (store/sealed_log.hpp) that admins can read as it grows. Drafts from before they were sealed
// are plain files under the older suffix; a stop may have left one behind.
constexpr char kDraftSuffix[] = ".errors.log.part";
constexpr char kPlainDraftSuffix[] = ".errors.part";

std::unexpected<Error> file_missing() {
    return fail(ErrorKind::not_found, "import_file_missing",
                "The file of this job is no longer on the server.");
}

std::unexpected<Error> storage_failed(const Error& cause) {
    spdlog::error("cannot store an import file: {} ({})", cause.code, cause.message);
    return fail(ErrorKind::internal, "import_storage_failed",
                "The server could not store the file; the error is in its log.");
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
    return settings_.directory / (job_id + ".csv.sealed");
}

std::filesystem::path ImportService::error_log_path(const core::Id& job_id) const {
    return settings_.directory / (job_id + ".errors.csv.sealed");
}

std::filesystem::path ImportService::error_log_draft_path(const core::ImportJob& job) const {
    return settings_.directory / (job.id + "." + job.organization_id + kDraftSuffix);
}

std::filesystem::path ImportService::legacy_path(const core::Id& job_id, const char* suffix) const {
    return settings_.directory / (job_id + suffix);
}

Result<std::string> ImportService::read_error_log_draft(const core::Id& org_id,
                                                        const core::Id& job_id,
                                                        const std::filesystem::path& draft) {
    if (draft.string().ends_with(kPlainDraftSuffix)) return read_plain_file(draft);
    PARLEY_TRY_ASSIGN(auto key, organization_key(store_, org_id));
    auto bytes = store::read_sealed_log(draft, key, error_log_draft_ad(job_id));
    if (!bytes && bytes.error().code == "decrypt_failed") return job_file_damaged(draft);
    return bytes;
}

Result<void> ImportService::seal_error_log(const core::Id& org_id, const core::Id& job_id,
                                           const std::filesystem::path& draft) {
    std::error_code ec;
    if (!std::filesystem::exists(draft, ec)) return ok();
    auto bytes = read_error_log_draft(org_id, job_id, draft);
    if (!bytes) return storage_failed(bytes.error());
    PARLEY_TRY_ASSIGN(auto key, organization_key(store_, org_id));
    std::filesystem::remove(error_log_path(job_id), ec);  // a half-sealed one from a crash
    if (auto sealed =
            store::write_sealed(error_log_path(job_id), key, error_log_ad(job_id), *bytes);
        !sealed) {
        return storage_failed(sealed.error());
    }
    std::filesystem::remove(draft, ec);
    return ok();
}

Result<std::int64_t> ImportService::recover() {
    PARLEY_TRY_VOID(prepare_private_directory(settings_.directory, "imports_dir", "imports"));
    // The error logs of jobs a stop cut off: sealed, for the admin to see what was refused.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(settings_.directory, ec)) {
        const std::string name = entry.path().filename().string();
        const char* suffix = name.ends_with(kDraftSuffix)        ? kDraftSuffix
                             : name.ends_with(kPlainDraftSuffix) ? kPlainDraftSuffix
                                                                 : nullptr;
        if (!suffix) continue;
        const std::string ids = name.substr(0, name.size() - std::strlen(suffix));
        const auto dot = ids.find('.');
        if (dot == std::string::npos) continue;
        if (auto sealed = seal_error_log(ids.substr(dot + 1), ids.substr(0, dot), entry.path());
            !sealed) {
            spdlog::error("import {}: its error log stays unsealed: {}", ids.substr(0, dot),
                          sealed.error().message);
        }
    }
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
    {
        PARLEY_TRY_ASSIGN(auto key, organization_key(store_, org_id));
        if (auto stored =
                store::write_sealed(upload_path(job.id), key, upload_ad(job.id), upload.body);
            !stored) {
            return storage_failed(stored.error());
        }
    }
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
    auto bytes = read_job_file(store_, org_id, upload_path(job.id), upload_ad(job.id),
                               legacy_path(job.id, ".csv"));
    if (!bytes && bytes.error().code == "file_not_found") return file_missing();
    if (!bytes) return std::unexpected(bytes.error());
    return ImportFile{job.file_name, std::move(*bytes)};
}

Result<ImportFile> ImportService::errors(const Caller& caller, const core::Id& org_id,
                                         const core::Id& job_id) {
    PARLEY_TRY_ASSIGN(auto job, find(caller, org_id, job_id));
    std::string name = job.file_name;
    if (name.size() > 4 && name.ends_with(".csv")) name.resize(name.size() - 4);
    name += "-errors.csv";
    std::error_code ec;
    const auto draft = error_log_draft_path(job);
    if (!std::filesystem::exists(error_log_path(job.id), ec) &&
        std::filesystem::exists(draft, ec)) {
        // The job is running: its log so far (the header alone, below, until its first rows).
        auto bytes = read_error_log_draft(org_id, job.id, draft);
        if (bytes && !bytes->empty()) return ImportFile{name, std::move(*bytes)};
        // A draft gone since: the job has just finished, and its log is sealed (below).
        if (!bytes && bytes.error().code != "file_not_found") return std::unexpected(bytes.error());
    }
    auto bytes = read_job_file(store_, org_id, error_log_path(job.id), error_log_ad(job.id),
                               legacy_path(job.id, ".errors.csv"));
    if (bytes) return ImportFile{name, std::move(*bytes)};
    if (bytes.error().code != "file_not_found") return std::unexpected(bytes.error());
    std::string header;
    csv::Writer writer([&](std::string_view piece) { header += piece; });
    writer.write_row(std::span<const std::string>(error_log_header()));
    PARLEY_TRY_VOID(writer.flush());
    return ImportFile{name, header};
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
    auto key = organization_key(store_, org_id);
    auto log = key ? store::SealedLogWriter::create(error_log_draft_path(job), *key,
                                                    error_log_draft_ad(job.id))
                   : std::unexpected(key.error());
    if (!log) {
        Error unwritable = storage_failed(log.error()).error();
        PARLEY_TRY_VOID(finish(job, unwritable));
        return std::optional<ImportRun>();
    }
    ImportRun run{job,
                  std::move(*log),
                  &import_kind(job.kind),
                  {},
                  ImportDependencies{store_, events_, clock_, settings_.batch_rows}};
    run.context.job = job;
    run.context.organization = std::move(access->organization);
    run.context.uploader = *uploader;
    PARLEY_TRY_ASSIGN(run.context.attributes, store_.list_attributes(org_id));
    return std::optional<ImportRun>(std::move(run));
}

Result<std::unique_ptr<std::istream>> ImportService::open_upload(const core::ImportJob& job) {
    std::error_code ec;
    const auto legacy = legacy_path(job.id, ".csv");
    if (!std::filesystem::exists(upload_path(job.id), ec) && std::filesystem::exists(legacy, ec)) {
        return std::unique_ptr<std::istream>(
            std::make_unique<std::ifstream>(legacy, std::ios::binary));
    }
    PARLEY_TRY_ASSIGN(auto key, organization_key(store_, job.organization_id));
    auto reader = store::open_sealed(upload_path(job.id), key, upload_ad(job.id));
    if (!reader && reader.error().code == "file_not_found") return file_missing();
    if (!reader) return std::unexpected(reader.error());
    return std::unique_ptr<std::istream>(
        std::make_unique<store::SealedIStream>(std::move(*reader)));
}

Result<void> ImportService::save(const core::ImportJob& job) {
    return store_.update_import_job(job);
}

Result<void> ImportService::finish(core::ImportJob& job, const std::optional<Error>& error) {
    mark_finished(job, error, clock_.now_ms(), core::ImportStatus::failed,
                  core::ImportStatus::completed);
    if (auto sealed = seal_error_log(job.organization_id, job.id, error_log_draft_path(job));
        !sealed) {
        spdlog::error("import {}: its error log stays unsealed: {}", job.id,
                      sealed.error().message);
    }
    return store_.update_import_job(job);
}

}  // namespace parley::service
