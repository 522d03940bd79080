#pragma once
// Small text checks shared by the use cases: UTF-8 validity, length in characters, trimming,
// file names.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace parley::service {

// The number of Unicode code points, or nullopt if text is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

std::string trim(std::string_view text);

// A file name fit for the history and a Content-Disposition header: the last path component,
// without control characters or quotes, trimmed, valid UTF-8, cut to 200 bytes when longer than 200
// characters; `fallback` when nothing is left.
std::string clean_file_name(std::string_view given, std::string_view fallback);

}  // namespace parley::service
