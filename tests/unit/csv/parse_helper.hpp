#pragma once
// Test helper: runs a whole input through csv::Reader, fed in chunks of the sizes a chunker
// picks, and collects everything the reader says, so that tests can compare runs. Not
// thread-safe.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "csv/reader.hpp"

namespace parley::csv::testing {

struct Parsed {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> records;
    std::vector<std::size_t> rows;
    std::vector<std::size_t> lines;
    std::vector<std::string> row_errors;  // per record: "" or the error code
    char separator = 0;
    bool bom = false;
    std::string fatal_code;  // "" if the file was read to the end
    std::string fatal_message;
    Location where;

    bool operator==(const Parsed& o) const {
        return header == o.header && records == o.records && rows == o.rows && lines == o.lines &&
               row_errors == o.row_errors && separator == o.separator && bom == o.bom &&
               fatal_code == o.fatal_code && fatal_message == o.fatal_message &&
               where.row == o.where.row && where.line == o.where.line &&
               where.column == o.where.column;
    }
};

inline std::ostream& operator<<(std::ostream& os, const Parsed& p) {
    os << "{fatal=" << p.fatal_code << " '" << p.fatal_message << "' at " << p.where.row << ":"
       << p.where.line << ":" << p.where.column << " records=[";
    for (std::size_t i = 0; i < p.records.size(); ++i) {
        os << "(row " << p.rows[i] << " line " << p.lines[i] << " " << p.row_errors[i] << ":";
        for (const auto& f : p.records[i]) os << " [" << f << "]";
        os << ")";
    }
    return os << "]}";
}

// Returns the size of the next chunk; the whole rest when it returns 0.
using Chunker = std::function<std::size_t()>;

inline Parsed parse(std::string_view input, const ColumnSpec& spec = {},
                    const ReaderOptions& options = {}, const Chunker& chunker = {}) {
    Reader reader(spec, options);
    Parsed out;
    auto drain = [&]() -> bool {
        while (true) {
            auto record = reader.next();
            if (!record) {
                out.fatal_code = record.error().code;
                out.fatal_message = record.error().message;
                out.where = reader.error_location();
                return false;
            }
            if (*record == nullptr) return true;
            const Record& r = **record;
            out.records.emplace_back(r.fields().begin(), r.fields().end());
            out.rows.push_back(r.row());
            out.lines.push_back(r.line());
            out.row_errors.push_back(r.error() ? r.error()->code : "");
        }
    };
    bool going = true;
    while (going && !input.empty()) {
        std::size_t n = chunker ? chunker() : 0;
        if (n == 0 || n > input.size()) n = input.size();
        reader.feed(input.substr(0, n));
        input.remove_prefix(n);
        going = drain();
    }
    if (going) {
        reader.finish();
        drain();
    }
    if (const Header* h = reader.header()) {
        for (std::size_t i = 0; i < h->size(); ++i) out.header.push_back(h->name(i));
    }
    out.separator = reader.separator();
    out.bom = reader.had_bom();
    return out;
}

inline Chunker fixed_chunks(std::size_t n) {
    return [n] { return n; };
}

}  // namespace parley::csv::testing
