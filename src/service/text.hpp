#pragma once
// Small text checks shared by the use cases: UTF-8 validity, length in characters, trimming.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace parley::service {

// The number of Unicode code points, or nullopt if text is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

std::string trim(std::string_view text);

}  // namespace parley::service
