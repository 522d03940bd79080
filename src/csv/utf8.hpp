#pragma once
// Strict UTF-8 validation for the CSV reader: the byte-level check behind "csv_not_utf8".
// Rejects what Unicode's well-formed table (3-7) rejects: stray continuation bytes, truncated
// sequences, overlong forms, surrogates (U+D800..U+DFFF) and values past U+10FFFF. Pure
// functions; thread-safe.

#include <cstddef>
#include <string_view>

namespace parley::csv {

// The offset of the first byte that does not start a well-formed UTF-8 sequence, or npos if all
// of text is well-formed UTF-8.
std::size_t find_invalid_utf8(std::string_view text);

inline bool is_utf8(std::string_view text) {
    return find_invalid_utf8(text) == std::string_view::npos;
}

}  // namespace parley::csv
