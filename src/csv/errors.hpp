#pragma once
// The stable error codes of the CSV reader and writer, which import jobs write into their error
// logs and clients may switch on. Which of them stop a file and which skip one row is decided
// in reader.hpp ("Fatal and per-row errors").

namespace parley::csv {

// Fatal: the file is rejected as a whole.
inline constexpr char kNotText[] = "csv_not_text";                // binary data, a NUL byte
inline constexpr char kNotUtf8[] = "csv_not_utf8";                // a field that is not UTF-8
inline constexpr char kMalformed[] = "csv_malformed";             // broken quoting
inline constexpr char kTooLarge[] = "csv_too_large";              // a field/record/row over a cap
inline constexpr char kEmpty[] = "csv_empty";                     // no header row at all
inline constexpr char kMissingColumns[] = "csv_missing_columns";  // required columns absent
inline constexpr char kDuplicateColumns[] = "csv_duplicate_columns";
inline constexpr char kReadFailed[] = "csv_read_failed";    // the input stream failed (I/O)
inline constexpr char kWriteFailed[] = "csv_write_failed";  // the output stream failed (I/O)

// Per row: the row is skipped and the file goes on.
inline constexpr char kRowLength[] = "csv_row_length";  // more or fewer fields than the header

}  // namespace parley::csv
