#pragma once
// An RFC 4180 CSV writer for the export jobs: CRLF line ends, fields quoted only when they must
// be, an optional UTF-8 BOM so that Excel opens the file as UTF-8, and (on by default) a guard
// against spreadsheet formula injection in cells that come from users. Output is buffered and
// handed on in blocks of about 64 KiB, so an export of any size streams. Not thread-safe.

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace parley::csv {

struct WriterOptions {
    char separator = ',';
    bool bom = false;  // a UTF-8 BOM first: Excel then reads the file as UTF-8
    // Prefixes cells that a spreadsheet would run as a formula with a `'` (see
    // needs_formula_guard). Turn off only for files no spreadsheet will open.
    bool guard_formulas = true;
};

class Writer {
public:
    using Sink = std::function<void(std::string_view bytes)>;
    static constexpr std::size_t kFlushBytes = 64 * 1024;

    explicit Writer(std::ostream& out, WriterOptions options = {});
    explicit Writer(Sink sink, WriterOptions options = {});
    // Flushes what is buffered; an error then goes unreported: call flush() first.
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void write_row(std::span<const std::string_view> fields);
    void write_row(std::span<const std::string> fields);
    void write_row(std::initializer_list<std::string_view> fields) {
        write_row(std::span<const std::string_view>(fields.begin(), fields.size()));
    }

    // Hands everything buffered to the sink. For an ostream, fails with internal
    // "csv_write_failed" once the stream has failed.
    Result<void> flush();

private:
    void begin_row();
    void append_field(std::string_view field);
    void end_row();

    std::ostream* out_ = nullptr;
    Sink sink_;
    WriterOptions options_;
    std::string buffer_;
    bool started_ = false;
    bool first_field_ = true;
};

// True when a spreadsheet could take cell for a formula: it starts with `=`, `@`, TAB or CR, or
// with `+` or `-` unless the whole cell is a number or phone number (after the sign only digits,
// spaces, dashes, dots and parentheses, with at least one digit: "+65 9988 5544", "-12.5").
// Leading `'`s are looked past ("'=1" is guarded too), so that unguard_formula() can tell a
// guard from a value that starts with `'` and the two functions invert each other exactly.
bool needs_formula_guard(std::string_view cell);

// The cell as it was before the writer guarded it: without its first `'` when what follows
// needs a guard, else unchanged. Imports read cells through it, so that an exported file
// uploaded again gives back the values that were exported ("'=1" is read as "=1").
std::string_view unguard_formula(std::string_view cell);

}  // namespace parley::csv
