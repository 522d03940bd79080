#include "service/import_kinds.hpp"

namespace parley::service {

const std::vector<const ImportFileKind*>& import_file_kinds() {
    static const std::vector<const ImportFileKind*> kinds{
        &users_import_kind(), &user_groups_import_kind(), &parent_groups_import_kind()};
    return kinds;
}

const ImportFileKind* find_import_kind(std::string_view name) {
    for (const auto* kind : import_file_kinds()) {
        if (core::to_string(kind->kind()) == name) return kind;
    }
    return nullptr;
}

const ImportFileKind& import_kind(core::ImportKind kind) {
    for (const auto* k : import_file_kinds()) {
        if (k->kind() == kind) return *k;
    }
    return users_import_kind();
}

void fail_row(RowResult& result, std::string column, std::string value, Error error) {
    result.outcome = RowOutcome::failed;
    result.errors.push_back({std::move(column), std::move(value), std::move(error)});
}

BatchApply already_applied(std::vector<RowResult> results) {
    return [results = std::move(results)]() -> Result<std::vector<RowResult>> { return results; };
}

RowError duplicate_row_error(const std::string& column, const std::string& value,
                             std::size_t first_row) {
    return {column, value,
            Error{ErrorKind::invalid, "duplicate_row",
                  "Row " + std::to_string(first_row) +
                      " of the file already has this; give each one row only.",
                  std::nullopt}};
}

}  // namespace parley::service
