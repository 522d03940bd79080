#include "csv/reader.hpp"

#include <csv.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <istream>
#include <string>

#include "csv/errors.hpp"
#include "csv/utf8.hpp"

namespace parley::csv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Bytes handed to libcsv per call: its callbacks cannot stop it, so this bounds how many
// records one call can queue (and how far past a cap a field can grow before we look).
constexpr std::size_t kPiece = 16 * 1024;
// How much of the start of a file the binary check looks at.
constexpr std::size_t kTextWindow = 1024;

// Physical line breaks in s: LF, CRLF or a lone CR (libcsv ends rows on a lone CR too).
std::size_t count_breaks(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n') {
            ++n;
        } else if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) {
            ++n;
        }
    }
    return n;
}

bool has_break(std::string_view s) {
    return std::memchr(s.data(), '\n', s.size()) != nullptr ||
           std::memchr(s.data(), '\r', s.size()) != nullptr;
}

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// A NUL byte, or control characters (other than TAB, LF, CR and FF) in more than 1 byte of 64:
// text exported from a spreadsheet has neither; a workbook, image, PDF or archive has both.
bool looks_binary(std::string_view window) {
    if (std::memchr(window.data(), '\0', window.size()) != nullptr) return true;
    std::size_t controls = 0;
    for (char ch : window) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
            ++controls;
        }
    }
    return controls * 64 > window.size();
}

bool starts_with_sep(std::string_view s) {
    if (s.size() < 5) return false;
    for (std::size_t i = 0; i < 4; ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != "sep="[i]) return false;
    }
    const char c = s[4];
    if (c == '\r' || c == '\n' || c == '"') return false;
    return s.size() == 5 || s[5] == '\r' || s[5] == '\n';
}

// The separator the header line implies (see reader.hpp), or nullopt if the first non-blank
// line has not ended yet and more input may come.
std::optional<char> detect_separator(std::string_view s, bool final) {
    bool quoted = false;
    bool content = false;
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    auto decide = [&]() -> char {
        if (commas > 0) return ',';
        if (semicolons > 0) return ';';
        if (tabs > 0) return '\t';
        return ',';
    };
    for (char c : s) {
        if (c == '"') {
            quoted = !quoted;
            content = true;
        } else if (quoted) {
            continue;
        } else if (c == '\r' || c == '\n') {
            if (content) return decide();
            commas = semicolons = tabs = 0;  // a blank line (a trailing ";;;" row): not the header
        } else if (c == ',') {
            ++commas;
        } else if (c == ';') {
            ++semicolons;
        } else if (c == '\t') {
            ++tabs;
        } else if (c != ' ') {
            content = true;
        }
    }
    if (final) return decide();
    return std::nullopt;
}

std::string kib(std::size_t bytes) {
    if (bytes % 1024 != 0) return std::to_string(bytes) + " bytes";
    return std::to_string(bytes / 1024) + " KiB";
}

std::string at(const Location& where) {
    return "Row " + std::to_string(where.row) + " (line " + std::to_string(where.line) +
           "), column " + std::to_string(where.column);
}

}  // namespace

std::optional<std::string_view> Record::get(std::string_view name) const {
    if (header_ == nullptr) return std::nullopt;
    auto column = header_->index(name);
    if (!column || *column >= fields_.size()) return std::nullopt;
    return fields_[*column];
}

Reader::Reader(ColumnSpec spec, ReaderOptions options)
    : spec_(std::move(spec)), options_(options), parser_(new csv_parser, [](csv_parser* p) {
          csv_free(p);
          delete p;
      }) {
    // Strict: a quote inside an unquoted field, text after a closing quote and (STRICT_FINI) an
    // unclosed quote at the end are errors. REPALL_NL reports blank lines, which count as rows.
    csv_init(parser_.get(), CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
    // libcsv trims spaces and tabs around unquoted fields by default; RFC 4180 keeps them, and
    // so do we (with this, a space before an opening quote makes the quote an error).
    csv_set_space_func(parser_.get(), [](unsigned char) -> int { return 0; });
    csv_set_blk_size(parser_.get(), 4096);
}

Reader::~Reader() = default;

void Reader::feed(std::string_view chunk) { input_ = chunk; }

void Reader::finish() { finished_ = true; }

bool Reader::wants_input() const { return !finished_ && !fatal_ && input_.empty(); }

Result<const Record*> Reader::next() {
    while (true) {
        if (queue_next_ < queue_.size()) {
            const Pending& p = queue_[queue_next_++];
            record_.fields_.clear();
            for (std::size_t i = p.first_span; i < p.first_span + p.size; ++i) {
                record_.fields_.emplace_back(data_.data() + spans_[i].offset, spans_[i].size);
            }
            record_.row_ = p.row;
            record_.line_ = p.line;
            record_.header_ = &*header_;
            record_.error_.reset();
            if (p.size != header_->size()) {
                record_.error_ = Error{ErrorKind::invalid, kRowLength,
                                       "Row " + std::to_string(p.row) + " has " +
                                           std::to_string(p.size) + " values but the header has " +
                                           std::to_string(header_->size()) + " columns.",
                                       std::nullopt};
            }
            return &record_;
        }
        if (fatal_) return fail(*fatal_);
        if (ended_ || !pump()) return nullptr;
    }
}

Result<const Header*> Reader::read_header() {
    while (true) {
        if (header_) return &*header_;
        if (fatal_) return fail(*fatal_);
        if (ended_ || !pump()) return nullptr;
    }
}

// Does one step of work; false when nothing can be done without more input.
bool Reader::pump() {
    if (in_prefix_ && !take_prefix()) return false;
    if (fatal_) return true;
    compact();
    if (!owned_.empty()) {
        parse_piece(owned_);
    } else if (!input_.empty()) {
        parse_piece(input_);
    } else if (finished_ && !ended_) {
        finish_parse();
    } else {
        return false;
    }
    return true;
}

// Copies input into prefix_ until the BOM, the binary check, a "sep=" line and the header line
// can be decided on; then hands prefix_ to the parser. False when more input is wanted.
bool Reader::take_prefix() {
    while (true) {
        const bool final = finished_ && input_.empty();
        std::string_view b = prefix_;
        bool decided = false;
        std::size_t skip = 0;
        bool sep_line = false;
        if (!final && b.size() < kBom.size() && kBom.starts_with(b)) {
            // The BOM may be split across chunks.
        } else {
            if (b.starts_with(kBom)) {
                had_bom_ = true;
                b.remove_prefix(kBom.size());
            }
            if (final || b.size() >= kTextWindow) {
                if (looks_binary(b.substr(0, kTextWindow))) {
                    set_fatal(Error{ErrorKind::bad_request, kNotText,
                                    "This is not a CSV file: it contains binary data. Save the "
                                    "spreadsheet as 'CSV UTF-8' and upload that file.",
                                    std::nullopt},
                              {});
                    in_prefix_ = false;
                    return true;
                }
                if (starts_with_sep(b)) {
                    separator_ = b[4];
                    sep_line = true;
                    skip = 5;
                    if (skip < b.size() && b[skip] == '\r') ++skip;
                    if (skip < b.size() && b[skip] == '\n') ++skip;
                }
                if (options_.separator) {
                    separator_ = *options_.separator;
                    decided = true;
                } else if (sep_line) {
                    decided = true;
                } else if (auto detected = detect_separator(b, final)) {
                    separator_ = *detected;
                    decided = true;
                } else if (b.size() > options_.max_record_bytes) {
                    // A header line this long is an error the parser will report.
                    decided = true;
                }
            }
        }
        if (decided) {
            csv_set_delim(parser_.get(), static_cast<unsigned char>(separator_));
            in_prefix_ = false;
            line_ = record_line_ = sep_line ? 2 : 1;
            owned_ = b.substr(skip);
            return true;
        }
        if (input_.empty()) return false;
        // Doubling keeps re-scanning the prefix linear in its length.
        const std::size_t take = std::min(input_.size(), std::max(kPiece, prefix_.size()));
        prefix_.append(input_.substr(0, take));
        input_.remove_prefix(take);
    }
}

void Reader::parse_piece(std::string_view& source) {
    const std::size_t n = std::min(kPiece, source.size());
    csv_parser* p = parser_.get();
    const std::size_t parsed = csv_parse(p, source.data(), n, on_field_cb, on_row_cb, this);
    source.remove_prefix(n);
    if (fatal_) return;
    if (parsed < n || csv_error(p) != CSV_SUCCESS) {
        const std::string_view partial(reinterpret_cast<const char*>(p->entry_buf), p->entry_pos);
        const Location where{rows_ + 1, line_ + count_breaks(partial), current_column()};
        if (csv_error(p) != CSV_EPARSE) {
            set_fatal(Error{ErrorKind::payload_too_large, kTooLarge,
                            at(where) + " is too large to read.", std::nullopt},
                      where);
        } else if (p->quoted) {
            set_fatal(Error{ErrorKind::bad_request, kMalformed,
                            at(where) + " has text after a closing quote (\"). Quotes inside a "
                                        "quoted value must be doubled (\"\").",
                            std::nullopt},
                      where);
        } else {
            set_fatal(Error{ErrorKind::bad_request, kMalformed,
                            at(where) + " has a quote (\") inside a value that does not start "
                                        "with one. Put the whole value in quotes and double the "
                                        "quotes inside it.",
                            std::nullopt},
                      where);
        }
        return;
    }
    // libcsv buffers the field being parsed without limit: cap it between pieces.
    const Location where{rows_ + 1, record_line_, current_column()};
    if (p->entry_pos > options_.max_field_bytes) {
        set_fatal(Error{ErrorKind::payload_too_large, kTooLarge,
                        at(where) + " is longer than " + kib(options_.max_field_bytes) + ".",
                        std::nullopt},
                  where);
    } else if (current_record_bytes() + p->entry_pos > options_.max_record_bytes) {
        set_fatal(
            Error{ErrorKind::payload_too_large, kTooLarge,
                  "Row " + std::to_string(where.row) + " (line " + std::to_string(where.line) +
                      ") is longer than " + kib(options_.max_record_bytes) + ".",
                  std::nullopt},
            where);
    }
}

void Reader::finish_parse() {
    ended_ = true;
    const std::size_t column = current_column();
    if (csv_fini(parser_.get(), on_field_cb, on_row_cb, this) != 0) {
        const Location where{rows_ + 1, line_, column};
        set_fatal(Error{ErrorKind::bad_request, kMalformed,
                        at(where) + " opens a quote (\") that is never closed.", std::nullopt},
                  where);
        return;
    }
    if (!header_) {
        set_fatal(Error{ErrorKind::invalid, kEmpty,
                        "The file is empty: it has no header row. Download the template to see "
                        "the expected columns.",
                        std::nullopt},
                  {});
    }
}

// Drops the records already handed out, moving the one being parsed to the front.
void Reader::compact() {
    if (queue_next_ < queue_.size() || (queue_.empty() && record_first_span_ == 0)) return;
    queue_.clear();
    queue_next_ = 0;
    const std::uint32_t base = record_first_span_ < spans_.size()
                                   ? spans_[record_first_span_].offset
                                   : static_cast<std::uint32_t>(data_.size());
    data_.erase(0, base);
    spans_.erase(spans_.begin(), spans_.begin() + static_cast<std::ptrdiff_t>(record_first_span_));
    for (auto& s : spans_) s.offset -= base;
    record_first_span_ = 0;
}

std::size_t Reader::current_record_bytes() const {
    if (record_first_span_ >= spans_.size()) return 0;
    return data_.size() - spans_[record_first_span_].offset;
}

void Reader::set_fatal(Error error, Location where) {
    if (fatal_) return;
    fatal_ = std::move(error);
    error_location_ = where;
}

void Reader::on_field_cb(void* data, std::size_t size, void* self) {
    static_cast<Reader*>(self)->on_field(static_cast<const char*>(data), size);
}

void Reader::on_row_cb(int terminator, void* self) {
    static_cast<Reader*>(self)->on_row(terminator);
}

void Reader::on_field(const char* data, std::size_t size) {
    if (fatal_) return;  // libcsv finishes its piece after an error; ignore the rest
    const std::string_view field = size == 0 ? std::string_view() : std::string_view(data, size);
    const Location where{rows_ + 1, line_, current_column()};
    if (where.column > options_.max_columns || size > options_.max_field_bytes ||
        current_record_bytes() + size > options_.max_record_bytes ||
        std::memchr(field.data(), '\0', size) != nullptr || !is_utf8(field)) {
        reject_field(field, where);
        return;
    }
    if (has_break(field)) line_ += count_breaks(field);
    spans_.push_back({static_cast<std::uint32_t>(data_.size()), static_cast<std::uint32_t>(size)});
    data_.append(field);
}

// The slow path of on_field: says what is wrong with a field that failed a check.
void Reader::reject_field(std::string_view field, Location where) {
    const std::string row = "Row " + std::to_string(where.row);
    const std::string row_column = row + ", column " + std::to_string(where.column);
    if (where.column > options_.max_columns) {
        set_fatal(
            Error{ErrorKind::payload_too_large, kTooLarge,
                  row + " has more than " + std::to_string(options_.max_columns) + " columns.",
                  std::nullopt},
            where);
    } else if (field.size() > options_.max_field_bytes) {
        set_fatal(Error{ErrorKind::payload_too_large, kTooLarge,
                        row_column + " is longer than " + kib(options_.max_field_bytes) + ".",
                        std::nullopt},
                  where);
    } else if (current_record_bytes() + field.size() > options_.max_record_bytes) {
        set_fatal(
            Error{ErrorKind::payload_too_large, kTooLarge,
                  row + " is longer than " + kib(options_.max_record_bytes) + ".", std::nullopt},
            where);
    } else if (std::memchr(field.data(), '\0', field.size()) != nullptr) {
        set_fatal(Error{ErrorKind::bad_request, kNotText,
                        "This is not a CSV file: " + row_column +
                            " contains a NUL byte. Save the spreadsheet as 'CSV UTF-8' and "
                            "upload that file.",
                        std::nullopt},
                  where);
    } else {
        where.line += count_breaks(field.substr(0, find_invalid_utf8(field)));
        set_fatal(
            Error{ErrorKind::bad_request, kNotUtf8,
                  row_column + " is not UTF-8 text: save the file as 'CSV UTF-8'.", std::nullopt},
            where);
    }
}

void Reader::on_row(int terminator) {
    if (fatal_) return;
    const std::size_t count = spans_.size() - record_first_span_;
    if (count == 0 && terminator == '\n' && last_row_ended_cr_) {
        // The LF of a CRLF whose CR ended the previous row (libcsv reports both).
        last_row_ended_cr_ = false;
        return;
    }
    ++rows_;
    const std::size_t row = rows_;
    const std::size_t line = record_line_;
    if (terminator != -1) ++line_;
    last_row_ended_cr_ = terminator == '\r';
    record_line_ = line_;
    if (count == 0) return;  // a blank line

    auto drop = [this] {
        data_.resize(spans_[record_first_span_].offset);
        spans_.resize(record_first_span_);
    };
    bool blank = true;
    for (std::size_t i = record_first_span_; i < spans_.size() && blank; ++i) {
        blank = is_blank(std::string_view(data_.data() + spans_[i].offset, spans_[i].size));
    }
    if (blank) {
        drop();
        return;
    }
    if (!header_) {
        names_.clear();
        for (std::size_t i = record_first_span_; i < spans_.size(); ++i) {
            names_.emplace_back(data_.data() + spans_[i].offset, spans_[i].size);
        }
        auto mapped = Header::map(names_, spec_);
        names_.clear();
        drop();
        if (!mapped) {
            set_fatal(std::move(mapped.error()), {row, line, 0});
            return;
        }
        header_ = std::move(*mapped);
        return;
    }
    queue_.push_back({record_first_span_, count, row, line});
    record_first_span_ = spans_.size();
}

StreamReader::StreamReader(std::istream& in, ColumnSpec spec, ReaderOptions options)
    : in_(in), reader_(std::move(spec), options) {}

Result<void> StreamReader::refill() {
    block_.resize(kBlockSize);
    in_.read(block_.data(), static_cast<std::streamsize>(block_.size()));
    const auto n = static_cast<std::size_t>(in_.gcount());
    if (in_.bad()) {
        return fail(ErrorKind::internal, kReadFailed, "The file could not be read.");
    }
    if (n > 0) reader_.feed(std::string_view(block_.data(), n));
    if (n == 0 || in_.eof()) reader_.finish();
    return ok();
}

Result<const Header*> StreamReader::header() {
    while (true) {
        PARLEY_TRY_ASSIGN(const Header* header, reader_.read_header());
        if (header != nullptr) return header;
        if (!reader_.wants_input()) {
            return fail(ErrorKind::internal, kReadFailed, "The file ended before its header.");
        }
        PARLEY_TRY_VOID(refill());
    }
}

Result<const Record*> StreamReader::next() {
    while (true) {
        PARLEY_TRY_ASSIGN(const Record* record, reader_.next());
        if (record != nullptr || !reader_.wants_input()) return record;
        PARLEY_TRY_VOID(refill());
    }
}

Result<Summary> validate(std::istream& in, const ColumnSpec& spec, const ReaderOptions& options,
                         Location* error_location) {
    StreamReader reader(in, spec, options);
    auto failed = [&](Error error) {
        if (error_location != nullptr) *error_location = reader.reader().error_location();
        return fail(std::move(error));
    };
    auto header = reader.header();
    if (!header) return failed(std::move(header.error()));
    Summary summary;
    for (std::size_t column : (*header)->unknown()) {
        summary.unknown_columns.push_back((*header)->name(column));
    }
    while (true) {
        auto record = reader.next();
        if (!record) return failed(std::move(record.error()));
        if (*record == nullptr) break;
        ++summary.records;
        if ((*record)->error() != nullptr) ++summary.row_errors;
    }
    summary.rows = reader.reader().rows();
    summary.separator = reader.reader().separator();
    summary.had_bom = reader.reader().had_bom();
    return summary;
}

}  // namespace parley::csv
