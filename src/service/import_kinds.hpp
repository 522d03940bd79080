#pragma once
// The kinds of bulk CSV file an organization admin uploads (seeds 001, 004): what columns each
// has, its downloadable template, and how its rows are checked and applied. A kind is one
// class implementing ImportFileKind in its own file, listed in import_file_kinds(); the job
// around it (storing the upload, validating the whole file first, progress, the error log)
// is the same for all kinds (service/import_service.hpp, jobs/import_runner.hpp).
//
// Rows are applied in batches: the applier takes up to a batch of rows, then check() reads
// what it needs for all of them at once and checks each by the same rules as the people and
// group routes; the BatchApply it returns writes the changes in one store transaction. The
// runner checks batch N+1 while batch N is written, so check() may only rely on what the
// applier itself remembers of earlier batches (or write within check(), as the kinds whose
// rows depend on the store's state after the previous batch do). Not thread-safe: one
// applier per job, used by the job's thread; a BatchApply runs on another thread and holds
// everything it needs.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "csv/header.hpp"
#include "csv/reader.hpp"
#include "service/events.hpp"
#include "service/people_columns.hpp"
#include "store/store.hpp"

namespace parley::service {

enum class RowOutcome { applied, unchanged, failed };

// One problem with one row, as the error log shows it. column is the file's column name as
// its header spells it ("" for the row as a whole).
struct RowError {
    std::string column;
    std::string value;
    Error error;
};

struct RowResult {
    std::size_t row = 0;  // as a spreadsheet numbers it (csv::Record::row())
    RowOutcome outcome = RowOutcome::applied;
    std::vector<RowError> errors;  // failed rows only
};

// What a job knows when it starts applying rows.
struct ImportContext {
    core::ImportJob job;
    core::Organization organization;
    core::User uploader;
    std::vector<core::AttributeDefinition> attributes;  // the organization's, at the start
    const csv::Header* header = nullptr;                // the file's, for column names
};

// Applies one checked batch (unless the job is a dry run): one result per row, in the order
// added (the file's order). An error means the store failed: rows of the batch may not have
// been applied.
using BatchApply = std::function<Result<std::vector<RowResult>>()>;

// A BatchApply for a batch whose results are already known (checked and written in check()).
BatchApply already_applied(std::vector<RowResult> results);

class ImportApplier {
public:
    virtual ~ImportApplier() = default;
    // Takes one data row, copying what it needs. REQUIRES: !full().
    virtual void add(const csv::Record& record) = 0;
    virtual bool full() const = 0;
    virtual bool empty() const = 0;
    // Checks the rows added since the last check and returns what applies them. An error
    // means the store failed while reading (or, for kinds that write here, writing).
    virtual Result<BatchApply> check() = 0;
};

// The services a kind applies rows through.
struct ImportDependencies {
    store::Store& store;
    EventSink& events;
    const Clock& clock;
    std::size_t batch_rows = 1000;
};

class ImportFileKind {
public:
    virtual ~ImportFileKind() = default;
    virtual core::ImportKind kind() const = 0;
    // The columns a file of this kind has in this organization.
    virtual csv::ColumnSpec columns(
        const std::vector<core::AttributeDefinition>& attributes) const = 0;
    // The downloadable template: the header and one example row.
    virtual std::vector<std::vector<std::string>> template_rows(
        const core::Organization& organization,
        const std::vector<core::AttributeDefinition>& attributes) const = 0;
    // Whether a header column the spec does not name may be ignored; false: the job fails
    // (import_unknown_columns), since a misspelt attribute column would be dropped silently.
    virtual bool allows_extra_columns() const { return false; }
    // Columns an export of the same data writes that this kind takes and ignores (what the
    // server keeps itself, like when someone was added), so that an exported file can be
    // edited and uploaded again.
    virtual std::vector<std::string> ignored_columns() const { return {}; }
    virtual Result<std::unique_ptr<ImportApplier>> start(ImportContext context,
                                                         ImportDependencies dependencies) const = 0;
};

// Users (seed 004): Phone Number, Name, Email, Region, Role, one column per custom attribute.
const ImportFileKind& users_import_kind();
// User Group Mapping (seed 001): Group Name, Phone Number, User Type.
const ImportFileKind& user_groups_import_kind();
// Parent Group Mapping (seed 001): Parent Group Name, Child Group Name.
const ImportFileKind& parent_groups_import_kind();

// Every kind, for lookups by name ("users", "user_groups", "parent_groups").
const std::vector<const ImportFileKind*>& import_file_kinds();
const ImportFileKind* find_import_kind(std::string_view name);
const ImportFileKind& import_kind(core::ImportKind kind);

// Shared by the kinds: marks the row failed with one more error.
void fail_row(RowResult& result, std::string column, std::string value, Error error);

// Shared by the kinds: "already on row N" (duplicate_row) for a key a file gives twice.
RowError duplicate_row_error(const std::string& column, const std::string& value,
                             std::size_t first_row);

}  // namespace parley::service
