#include "service/export_service.hpp"

#include "common/log.hpp"
#include "crypto/random.hpp"
#include "service/job_files.hpp"
#include "service/text.hpp"

namespace parley::service {
namespace {

using authz::ConversationAction;
using authz::OrgAction;

constexpr char kPartialSuffix[] = ".part";

Result<core::ExportKind> parse_kind(const std::string& kind) {
    if (kind == "people") return core::ExportKind::people;
    if (kind == "group_members") return core::ExportKind::group_members;
    return fail(ErrorKind::invalid, "unknown_export_kind",
                "kind must be people (the directory) or group_members (one group's members, "
                "with group_id).");
}

std::unexpected<Error> group_not_found() {
    return fail(ErrorKind::not_found, "group_not_found",
                "The organization has no such group; GET …/groups lists its groups.");
}

// Binds a sealed export to its job: a file put in another's place fails to open.
std::string export_file_ad(const core::Id& job_id) { return "export:" + job_id; }

std::unexpected<Error> export_not_found() {
    return fail(ErrorKind::not_found, "export_not_found",
                "The organization has no such export; GET …/exports lists them.");
}

}  // namespace

Error export_write_failed() {
    return Error{ErrorKind::internal, "export_write_failed",
                 "The server could not write the export file; the error is in its log.",
                 std::nullopt};
}

ExportService::ExportService(store::Store& store, Access& access, const Clock& clock,
                             ExportSettings settings)
    : store_(store), access_(access), clock_(clock), settings_(std::move(settings)) {}

std::filesystem::path ExportService::file_path(const core::Id& job_id) const {
    return settings_.directory / (job_id + ".csv.sealed");
}

std::filesystem::path ExportService::legacy_file_path(const core::Id& job_id) const {
    return settings_.directory / (job_id + ".csv");
}

Result<std::int64_t> ExportService::recover() {
    PARLEY_TRY_VOID(prepare_private_directory(settings_.directory, "exports_dir", "exports"));
    std::error_code ec;
    // Half-written files of jobs a stop cut off: they are failed below, and nobody downloads
    // a failed job's file.
    for (const auto& entry : std::filesystem::directory_iterator(settings_.directory, ec)) {
        if (entry.path().extension() == kPartialSuffix) std::filesystem::remove(entry.path(), ec);
    }
    return store_.fail_unfinished_export_jobs(
        "export_interrupted",
        "The server stopped while this file was being written; start the export again.",
        clock_.now_ms());
}

Result<core::Conversation> ExportService::exportable_group(const Caller& caller,
                                                           const core::Id& org_id,
                                                           const core::Id& group_id) {
    PARLEY_TRY_ASSIGN(auto found, store_.find_conversation(group_id));
    // One answer for every group that is not this organization's, so that the route tells
    // nothing about other organizations' or private groups.
    if (!found || found->kind != core::ConversationKind::group ||
        found->owner.organization_id != org_id) {
        return group_not_found();
    }
    PARLEY_TRY_ASSIGN(auto access,
                      access_.conversation(caller, group_id, ConversationAction::export_members));
    return std::move(access.conversation);
}

Result<void> ExportService::may_make(const Caller& caller, const core::ExportJob& job) {
    if (job.kind == core::ExportKind::people) {
        return discard_value(
            access_.organization(caller, job.organization_id, OrgAction::export_people));
    }
    return discard_value(exportable_group(caller, job.organization_id, job.group_id));
}

Result<core::ExportJob> ExportService::create(const Caller& caller, const core::Id& org_id,
                                              const ExportRequest& request) {
    PARLEY_TRY_ASSIGN(auto kind, parse_kind(request.kind));
    core::ExportJob job;
    job.id = crypto::new_id("exp");
    job.organization_id = org_id;
    job.kind = kind;
    job.exported_by = caller.user.id;
    job.exported_by_phone = caller.user.phone;
    job.status = core::ExportStatus::queued;
    job.created_at = clock_.now_ms();
    const std::string date = format_rfc3339(job.created_at).substr(0, 10);
    if (kind == core::ExportKind::people) {
        if (!request.group_id.empty()) {
            return fail(ErrorKind::invalid, "group_id_unexpected",
                        "group_id is for kind=group_members; a people export is the whole "
                        "directory.");
        }
        PARLEY_TRY_VOID(access_.organization(caller, org_id, OrgAction::export_people));
        job.file_name = "people-" + date + ".csv";
    } else {
        if (request.group_id.empty()) {
            return fail(ErrorKind::invalid, "group_id_required",
                        "Say which group to export: group_id=<group id>.");
        }
        PARLEY_TRY_ASSIGN(auto group, exportable_group(caller, org_id, request.group_id));
        job.group_id = group.id;
        job.group_name = group.name;
        job.file_name = clean_file_name(group.name + "-members-" + date + ".csv",
                                        "group-members-" + date + ".csv");
    }
    PARLEY_TRY_VOID(store_.create_export_job(job));
    if (queue_) queue_->enqueue(org_id, job.id);
    return job;
}

Result<std::vector<core::ExportJob>> ExportService::list(const Caller& caller,
                                                         const core::Id& org_id) {
    auto all = access_.organization(caller, org_id, OrgAction::view_exports);
    if (all) return store_.list_export_jobs(org_id, std::nullopt, settings_.history_limit);
    if (all.error().kind == ErrorKind::internal) return std::unexpected(all.error());
    PARLEY_TRY_ASSIGN(auto own,
                      store_.list_export_jobs(org_id, caller.user.id, settings_.history_limit));
    // With nothing of one's own, the refusal says why there is nothing to see.
    if (own.empty()) return std::unexpected(all.error());
    return own;
}

Result<core::ExportJob> ExportService::get(const Caller& caller, const core::Id& org_id,
                                           const core::Id& job_id) {
    auto all = access_.organization(caller, org_id, OrgAction::view_exports);
    PARLEY_TRY_ASSIGN(auto job, store_.find_export_job(org_id, job_id));
    if (all) {
        if (!job) return export_not_found();
        return *job;
    }
    // Not an admin: only one's own exports, and only while one may still make them.
    if (!job || job->exported_by != caller.user.id) return std::unexpected(all.error());
    PARLEY_TRY_VOID(may_make(caller, *job));
    return *job;
}

Result<ExportFile> ExportService::file(const Caller& caller, const core::Id& org_id,
                                       const core::Id& job_id) {
    PARLEY_TRY_ASSIGN(auto job, get(caller, org_id, job_id));
    switch (job.status) {
        case core::ExportStatus::queued:
        case core::ExportStatus::running:
            return fail(ErrorKind::conflict, "export_not_ready",
                        "The export is still " + std::string(core::to_string(job.status)) + " (" +
                            std::to_string(job.progress) + "%); download it once GET …/exports/" +
                            job.id + " says completed.");
        case core::ExportStatus::failed:
            return fail(ErrorKind::conflict, "export_failed",
                        "This export failed (" + job.error_code +
                            "), so it has no file; start "
                            "a new one.");
        case core::ExportStatus::completed:
            break;
    }
    auto bytes = read_job_file(store_, job.organization_id, file_path(job.id),
                               export_file_ad(job.id), legacy_file_path(job.id));
    if (!bytes && bytes.error().code == "file_not_found") {
        return fail(ErrorKind::gone, "export_file_missing",
                    "The file of this export is no longer on the server; start a new one.");
    }
    if (!bytes) return std::unexpected(bytes.error());
    return ExportFile{job.file_name, std::move(*bytes)};
}

Result<std::optional<ExportRun>> ExportService::begin(const core::Id& org_id,
                                                      const core::Id& job_id) {
    PARLEY_TRY_ASSIGN(auto found, store_.find_export_job(org_id, job_id));
    if (!found || found->status != core::ExportStatus::queued) {
        return std::optional<ExportRun>();
    }
    core::ExportJob job = std::move(*found);
    job.status = core::ExportStatus::running;
    PARLEY_TRY_VOID(store_.update_export_job(job));

    // The export was allowed when it was asked for; the data is read now, so the exporter
    // must still be allowed to.
    PARLEY_TRY_ASSIGN(auto exporter, store_.find_user(job.exported_by));
    if (!exporter) {
        Error gone{ErrorKind::forbidden, "org_admin_required",
                   "The exporter's account is gone; nothing was written.", std::nullopt};
        PARLEY_TRY_VOID(finish(job, gone));
        return std::optional<ExportRun>();
    }
    Caller caller{*exporter, {}, {}};
    if (auto allowed = may_make(caller, job); !allowed) {
        Error refused = allowed.error();
        refused.message += " (checked when the job started: nothing was written)";
        PARLEY_TRY_VOID(finish(job, refused));
        return std::optional<ExportRun>();
    }
    ExportRun run;
    run.file = file_path(job.id);
    run.partial = run.file;
    run.partial += kPartialSuffix;
    {
        PARLEY_TRY_ASSIGN(auto key, organization_key(store_, org_id));
        auto writer = store::SealedWriter::create(run.partial, key, export_file_ad(job.id));
        if (!writer) {
            spdlog::error("export {}: cannot create its file: {}", job.id, writer.error().message);
            PARLEY_TRY_VOID(finish(job, export_write_failed()));
            return std::optional<ExportRun>();
        }
        run.writer = std::move(*writer);
    }
    if (job.kind == core::ExportKind::people) {
        PARLEY_TRY_ASSIGN(auto attributes, store_.list_attributes(org_id));
        PARLEY_TRY_ASSIGN(run.expected_rows, store_.count_people(org_id, ""));
        run.source = people_export(store_, org_id, std::move(attributes), settings_.page_rows);
    } else {
        PARLEY_TRY_ASSIGN(auto group, store_.find_conversation(job.group_id));
        if (!group) {  // gone since may_make() found it
            PARLEY_TRY_VOID(finish(job, group_not_found().error()));
            return std::optional<ExportRun>();
        }
        PARLEY_TRY_ASSIGN(run.expected_rows, store_.count_members(group->id));
        run.source = group_members_export(store_, org_id, *group, settings_.page_rows);
    }
    run.job = std::move(job);
    return std::optional<ExportRun>(std::move(run));
}

Result<void> ExportService::save(const core::ExportJob& job) {
    return store_.update_export_job(job);
}

Result<void> ExportService::finish(core::ExportJob& job, const std::optional<Error>& error) {
    mark_finished(job, error, clock_.now_ms(), core::ExportStatus::failed,
                  core::ExportStatus::completed);
    return store_.update_export_job(job);
}

}  // namespace parley::service
