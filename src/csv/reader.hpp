#pragma once
// A strict, streaming CSV (RFC 4180) reader for the organization bulk-import jobs: files that
// admins export from spreadsheets. It is fed a file in chunks and hands out one record at a
// time, so memory is bounded by the largest record (see ReaderOptions), never by the file.
// Not thread-safe: one Reader per file, used by one thread at a time.
//
// What it accepts (the quoting itself is libcsv's, in strict mode):
// - UTF-8 with or without a BOM (stripped); CRLF, LF or CR line ends, mixed; quoted fields with
//   separators, doubled quotes and line breaks. Fields are returned exactly as written: nothing
//   is trimmed (the header's names are, see header.hpp).
// - The separator is, in order of precedence: ReaderOptions::separator if set; the character of
//   an Excel "sep=X" first line (the line is skipped and is not a row); otherwise the header
//   line decides: `,` if it has a comma outside quotes, else `;` if it has a semicolon outside
//   quotes, else TAB if it has a tab, else `,` (a one-column file).
// - The first record with a non-blank field is the header; it is mapped onto a ColumnSpec and
//   consumed (next() returns only data records). Records whose fields are all blank (empty or
//   only spaces and tabs), like trailing empty spreadsheet rows, are skipped silently.
// - Row numbers are record numbers as a spreadsheet shows them: the header is row 1 (unless
//   blank rows precede it, which count), a record spanning three lines is one row, skipped
//   blank rows still count. Line numbers are physical lines (a "sep=" line is line 1).
//
// Fatal and per-row errors. A fatal error means the file cannot be trusted as a whole and must
// be rejected: next() returns it (after any records completed before it) and keeps returning
// it. Fatal: csv_not_text (a NUL byte anywhere, or a first KiB that looks binary), csv_not_utf8
// (any field; the issue wants such files rejected, not half-applied), csv_malformed (broken
// quoting: after it, where rows begin and end is guesswork), csv_too_large (a field, record or
// column count over its cap), csv_empty (no header), csv_missing_columns and
// csv_duplicate_columns (from the header), csv_read_failed (I/O). A per-row error
// (csv_row_length: more or fewer fields than the header) comes with its record
// (Record::error()): log it and go on.
//
// Because every fatal error must be known before anything is applied, a job makes two passes
// over the stored upload: validate() first (cheap: nothing is kept), then a StreamReader that
// applies rows. Both see the same rows and the same errors.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "csv/header.hpp"

struct csv_parser;  // libcsv's, kept out of this header

namespace parley::csv {

// Where something is in the file; 1-based, 0 when not applicable (e.g. no column).
struct Location {
    std::size_t row = 0;
    std::size_t line = 0;
    std::size_t column = 0;
};

struct ReaderOptions {
    std::optional<char> separator;  // forces the separator; otherwise detected (see above)
    std::size_t max_field_bytes = 64 * 1024;
    std::size_t max_record_bytes = 1024 * 1024;
    std::size_t max_columns = 1024;
};

// One data record. A view into the reader's buffers: valid until the reader's next call.
class Record {
public:
    std::size_t row() const { return row_; }
    std::size_t line() const { return line_; }  // the physical line where the record starts

    std::size_t size() const { return fields_.size(); }
    std::string_view operator[](std::size_t column) const { return fields_[column]; }
    std::span<const std::string_view> fields() const { return fields_; }

    // The field of a column by its spec name (or any header name); nullopt when the file has no
    // such column or this row is too short to have it.
    std::optional<std::string_view> get(std::string_view name) const;

    // Set when this row is to be skipped (csv_row_length); the fields are still readable, for
    // the error log.
    const Error* error() const { return error_ ? &*error_ : nullptr; }

private:
    friend class Reader;

    std::size_t row_ = 0;
    std::size_t line_ = 0;
    const Header* header_ = nullptr;
    std::vector<std::string_view> fields_;
    std::optional<Error> error_;
};

class Reader {
public:
    explicit Reader(ColumnSpec spec = {}, ReaderOptions options = {});
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    // Hands over the next bytes of the file. The reader keeps a view, not a copy: chunk must
    // stay valid until wants_input() is true again.
    // REQUIRES: wants_input().
    void feed(std::string_view chunk);
    // Says that the file ends here (the last record may lack a line break).
    void finish();
    // True when all input fed so far has been parsed and finish() has not been called.
    bool wants_input() const;

    // The next data record, or nullptr: more input is wanted (wants_input()) or, after
    // finish(), the file has ended. An error is fatal; error_location() says where.
    Result<const Record*> next();
    // Parses until the header row has been read; nullptr: more input is wanted.
    Result<const Header*> read_header();

    const Header* header() const { return header_ ? &*header_ : nullptr; }
    char separator() const { return separator_; }  // once the header line has been seen
    bool had_bom() const { return had_bom_; }
    const Location& error_location() const { return error_location_; }
    // Rows so far: the header, data records and skipped blank rows.
    std::size_t rows() const { return rows_; }

private:
    struct Span {
        std::uint32_t offset;
        std::uint32_t size;
    };
    struct Pending {
        std::size_t first_span;
        std::size_t size;
        std::size_t row;
        std::size_t line;
    };

    static void on_field_cb(void* data, std::size_t size, void* self);
    static void on_row_cb(int terminator, void* self);
    void on_field(const char* data, std::size_t size);
    void on_row(int terminator);
    void reject_field(std::string_view field, Location where);

    bool pump();
    bool take_prefix();
    void parse_piece(std::string_view& source);
    void finish_parse();
    void compact();
    void set_fatal(Error error, Location where);
    std::size_t current_column() const { return spans_.size() - record_first_span_ + 1; }
    std::size_t current_record_bytes() const;

    ColumnSpec spec_;
    ReaderOptions options_;
    std::unique_ptr<csv_parser, void (*)(csv_parser*)> parser_;

    // Until the separator is known, input is copied here; afterwards it is parsed from owned_
    // (the rest of prefix_), then from input_ (the caller's chunk).
    bool in_prefix_ = true;
    std::string prefix_;
    std::string_view owned_;
    std::string_view input_;
    bool finished_ = false;
    bool ended_ = false;
    char separator_ = ',';
    bool had_bom_ = false;

    // Fields of queued records and of the record being parsed, in one buffer reused throughout.
    std::string data_;
    std::vector<Span> spans_;
    std::vector<Pending> queue_;
    std::size_t queue_next_ = 0;
    std::size_t record_first_span_ = 0;  // first span of the record being parsed
    std::vector<std::string_view> names_;

    std::size_t rows_ = 0;
    std::size_t line_ = 1;         // the physical line being parsed
    std::size_t record_line_ = 1;  // where the record being parsed starts
    bool last_row_ended_cr_ = false;

    std::optional<Header> header_;
    std::optional<Error> fatal_;
    Location error_location_;
    Record record_;
};

// A Reader pulling from a std::istream in 64 KiB blocks: what a job uses on a stored upload.
// Not thread-safe.
class StreamReader {
public:
    static constexpr std::size_t kBlockSize = 64 * 1024;

    explicit StreamReader(std::istream& in, ColumnSpec spec = {}, ReaderOptions options = {});

    // The header (never nullptr on success).
    Result<const Header*> header();
    // The next data record, or nullptr at the end of the file.
    Result<const Record*> next();

    const Reader& reader() const { return reader_; }

private:
    Result<void> refill();

    std::istream& in_;
    Reader reader_;
    std::string block_;
};

// What a validation pass learned about a file that has no fatal error.
struct Summary {
    std::size_t records = 0;     // data records (not the header, not skipped blank rows)
    std::size_t row_errors = 0;  // of which were per-row errors (skipped when applying)
    std::size_t rows = 0;        // all rows, as in Record::row()
    char separator = ',';
    bool had_bom = false;
    std::vector<std::string> unknown_columns;  // header names the spec does not have
};

// The first pass of "validate, then apply": reads the whole stream keeping nothing, and
// returns the first fatal error (error_location, if given, says where) or a Summary.
Result<Summary> validate(std::istream& in, const ColumnSpec& spec,
                         const ReaderOptions& options = {}, Location* error_location = nullptr);

}  // namespace parley::csv
