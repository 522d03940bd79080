#pragma once
// Header: the header row of an import file mapped onto the columns a job expects, so that rows
// can be read by name (record.get("Phone Number")) whatever the order and spelling of the
// file's header. An immutable value once built; safe to share between threads.
//
// Names match when equal after normalize_column_name(): surrounding whitespace and a stray BOM
// removed, inner runs of whitespace collapsed to one space, ASCII letters lower-cased. Only
// ASCII is case-folded: column names are ours (or attribute names an admin typed), and full
// Unicode case folding would need ICU for little gain.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace parley::csv {

// The columns a file kind has. The names given here are the canonical ones: get() takes them.
struct ColumnSpec {
    std::vector<std::string> required;
    std::vector<std::string> optional;
};

class Header {
public:
    // Maps the fields of a header row. Fails with invalid "csv_missing_columns" naming every
    // required column that is absent, or "csv_duplicate_columns" naming every name used twice.
    // Columns the spec does not name are not an error (they may be attributes): see unknown().
    // Columns with an empty name are ignored: spreadsheets leave them after the last real one.
    static Result<Header> map(std::span<const std::string_view> names, const ColumnSpec& spec);

    // The number of columns in the file, which every row must have.
    std::size_t size() const { return names_.size(); }

    // The column of a spec name, or of any other header name; nullopt if the file has none
    // (an optional column, or a name that is not there at all).
    std::optional<std::size_t> index(std::string_view name) const;

    // Column `column`'s name as written in the file, trimmed. REQUIRES: column < size().
    const std::string& name(std::size_t column) const { return names_[column]; }

    // The columns the spec does not name, in file order.
    const std::vector<std::size_t>& unknown() const { return unknown_; }

private:
    struct Canonical {
        std::string name;  // as given in the spec
        std::size_t column;
    };

    std::vector<std::string> names_;  // trimmed, per column
    std::vector<std::string> keys_;   // normalized, per column
    std::vector<Canonical> canonical_;
    std::vector<std::size_t> unknown_;
};

// The form in which column names are compared (see the top of this file).
std::string normalize_column_name(std::string_view name);

}  // namespace parley::csv
