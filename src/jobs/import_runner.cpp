#include "jobs/import_runner.hpp"

#include <algorithm>
#include <chrono>
#include <future>

#include "common/log.hpp"
#include "csv/errors.hpp"
#include "csv/reader.hpp"
#include "csv/writer.hpp"

namespace parley::jobs {
namespace {

using service::RowOutcome;
using service::RowResult;

// The error log of one job: CSV rows in the file's order, appended to the sealed draft at each
// flush as the job goes, so that a long job's log can be read while it runs (a log quotes the
// upload's personal data: it is never on the disk in clear).
class ErrorLog {
public:
    explicit ErrorLog(store::SealedLogWriter& draft) : draft_(draft) {
        writer_.emplace([this](std::string_view bytes) { pending_.append(bytes); });
        writer_->write_row(std::span<const std::string>(service::error_log_header()));
    }

    void write(std::size_t row, const std::string& column, const std::string& value,
               const Error& error) {
        const std::string row_text = row == 0 ? "" : std::to_string(row);
        writer_->write_row({row_text, column, value, error.code, error.message});
    }

    void write(const RowResult& result) {
        for (const auto& e : result.errors) write(result.row, e.column, e.value, e.error);
    }

    Result<void> flush() {
        PARLEY_TRY_VOID(writer_->flush());
        auto appended = draft_.append(pending_);
        pending_.clear();
        if (!appended) {
            spdlog::error("cannot write the error log {}: {}", draft_.path().string(),
                          appended.error().message);
            return fail(ErrorKind::internal, csv::kWriteFailed,
                        "The server could not write the error log; the error is in its log.");
        }
        return ok();
    }

private:
    store::SealedLogWriter& draft_;
    std::string pending_;  // written rows not yet appended to the draft
    std::optional<csv::Writer> writer_;
};

void count(core::ImportJob& job, const RowResult& result) {
    switch (result.outcome) {
        case RowOutcome::applied:
            ++job.applied;
            break;
        case RowOutcome::unchanged:
            ++job.unchanged;
            break;
        case RowOutcome::failed:
            ++job.failed;
            break;
    }
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "\"" : ", \"") + n.substr(0, 100) + "\"";
    return out;
}

std::string column_list(const csv::ColumnSpec& spec) {
    std::vector<std::string> all = spec.required;
    all.insert(all.end(), spec.optional.begin(), spec.optional.end());
    return joined(all);
}

}  // namespace

ImportRunner::ImportRunner(service::ImportService& imports)
    : imports_(imports),
      queue_([this](const core::Id& org, const core::Id& job) { process(org, job); }) {}

void ImportRunner::enqueue(const core::Id& organization_id, const core::Id& job_id) {
    queue_.push(organization_id, job_id);
}

void ImportRunner::stop() { queue_.stop(); }

void ImportRunner::process(const core::Id& organization_id, const core::Id& job_id) {
    auto begun = imports_.begin(organization_id, job_id);
    if (!begun) {
        spdlog::error("import {}: cannot start: {} ({})", job_id, begun.error().code,
                      begun.error().message);
        return;
    }
    if (!*begun) return;
    service::ImportRun& run = **begun;
    core::ImportJob& job = run.job;
    ErrorLog log(*run.error_log);
    auto finish = [&](const std::optional<Error>& error) {
        (void)log.flush();  // whole before finish() seals it
        if (error) {
            spdlog::info("import {} failed: {}", job.id, error->code);
        } else {
            spdlog::info("import {} completed: {} applied, {} unchanged, {} failed", job.id,
                         job.applied, job.unchanged, job.failed);
        }
        if (auto saved = imports_.finish(job, error); !saved) {
            spdlog::error("import {}: cannot save its end: {}", job.id, saved.error().message);
        }
    };

    const csv::ColumnSpec spec = run.kind->columns(run.context.attributes);
    auto opened = imports_.open_upload(job);
    if (!opened) return finish(opened.error());
    std::istream& in = **opened;

    // Pass 1: the whole file, keeping nothing. A fatal problem fails the job before any row
    // is applied, with its place in the error log.
    csv::Location where;
    auto summary = csv::validate(in, spec, {}, &where);
    std::optional<Error> fatal;
    if (!summary) {
        fatal = summary.error();
        if (fatal->code == csv::kMissingColumns) {
            fatal->message += " A " + std::string(core::to_string(job.kind)) +
                              " file has the columns " + column_list(spec) +
                              " (GET …/import-templates/" + core::to_string(job.kind) + ").";
        }
    }
    if (summary) {
        // An exported file's own columns are no strangers.
        const auto ignored = run.kind->ignored_columns();
        std::erase_if(summary->unknown_columns, [&](const std::string& name) {
            return std::any_of(ignored.begin(), ignored.end(), [&](const std::string& i) {
                return csv::normalize_column_name(i) == csv::normalize_column_name(name);
            });
        });
    }
    if (summary && !summary->unknown_columns.empty() && !run.kind->allows_extra_columns()) {
        where = {1, 1, 0};
        fatal =
            Error{ErrorKind::invalid, "import_unknown_columns",
                  "The header has columns this file kind does not take: " +
                      joined(summary->unknown_columns) + ". The columns are " + column_list(spec) +
                      " (attribute columns are named as the organization's attributes). "
                      "Nothing was applied.",
                  std::nullopt};
    }
    if (fatal) {
        log.write(where.row, "", "", *fatal);
        (void)log.flush();
        return finish(fatal);
    }
    job.rows = static_cast<std::int64_t>(summary->records);

    // Pass 2: apply in batches, reading the file again.
    auto reopened = imports_.open_upload(job);
    if (!reopened) return finish(reopened.error());
    csv::StreamReader reader(**reopened, spec);
    auto header = reader.header();
    if (!header) return finish(header.error());
    run.context.header = *header;
    auto applier = run.kind->start(run.context, run.dependencies);
    if (!applier) return finish(applier.error());

    // Batch N is written on a thread of its own while this one reads and checks batch N+1:
    // the writer and the checks take turns no more. Rows the reader refuses (csv_row_length)
    // belong to the batch being read; they wait with it until the rows before them have their
    // results, so the log stays in the file's order.
    struct InFlight {
        std::future<Result<std::vector<RowResult>>> results;
        std::vector<RowResult> refused;
    };
    std::optional<InFlight> in_flight;
    std::vector<RowResult> refused;
    std::size_t done = 0;
    // Progress is a write of its own: saved a few times a second, not after every batch.
    auto last_saved = std::chrono::steady_clock::now();
    // Waits for the batch in flight and logs and counts its rows.
    auto collect = [&]() -> Result<void> {
        if (!in_flight) return ok();
        InFlight batch = std::move(*in_flight);
        in_flight.reset();
        PARLEY_TRY_ASSIGN(auto results, batch.results.get());
        std::size_t r = 0;
        for (const auto& result : results) {
            while (r < batch.refused.size() && batch.refused[r].row < result.row) {
                log.write(batch.refused[r++]);
            }
            count(job, result);
            if (result.outcome == RowOutcome::failed) log.write(result);
        }
        while (r < batch.refused.size()) log.write(batch.refused[r++]);
        done += results.size() + batch.refused.size();
        PARLEY_TRY_VOID(log.flush());
        job.progress = job.rows == 0 ? 100
                                     : static_cast<int>(std::min<std::int64_t>(
                                           99, static_cast<std::int64_t>(done) * 100 / job.rows));
        const auto now = std::chrono::steady_clock::now();
        if (now - last_saved < std::chrono::milliseconds(250)) return ok();
        last_saved = now;
        return imports_.save(job);
    };
    // Checks the batch read so far, waits for the one before it, and sends it to be written.
    auto next_batch = [&]() -> Result<void> {
        PARLEY_TRY_ASSIGN(auto apply, (*applier)->check());
        PARLEY_TRY_VOID(collect());
        in_flight = InFlight{std::async(std::launch::async, std::move(apply)), std::move(refused)};
        refused.clear();
        return ok();
    };
    for (;;) {
        auto record = reader.next();
        if (!record) return finish(record.error());  // validated: only I/O can fail here
        if (*record == nullptr) break;
        const csv::Record& r = **record;
        if (r.error() != nullptr) {
            RowResult result{r.row(), RowOutcome::failed, {{"", "", *r.error()}}};
            count(job, result);
            refused.push_back(std::move(result));
            continue;
        }
        (*applier)->add(r);
        if ((*applier)->full()) {
            if (auto sent = next_batch(); !sent) {
                spdlog::error("import {}: {}", job.id, sent.error().message);
                Error error = sent.error();
                error.message += " Rows before row " + std::to_string(r.row()) +
                                 " may have been applied; uploading the file again is safe.";
                if (in_flight) (void)in_flight->results.wait();
                return finish(error);
            }
            // Left processing: recover() fails it next start (the batch in flight ends first).
            if (queue_.stopping()) return;
        }
    }
    if (auto sent = next_batch(); !sent) {
        if (in_flight) (void)in_flight->results.wait();
        return finish(sent.error());
    }
    if (auto last = collect(); !last) return finish(last.error());
    finish(std::nullopt);
}

}  // namespace parley::jobs
