// RFC 3339 times as clients send them (a report's period, a card's due time): any text. Besides
// not crashing: a time that parses prints back to a time that parses to the same instant.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "common/clock.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto at = parley::parse_rfc3339(text);
    if (at) {
        const auto printed = parley::format_rfc3339(*at);
        auto again = parley::parse_rfc3339(printed);
        if (!again || *again != *at) {
            std::cerr << "\"" << text << "\" -> " << *at << " -> " << printed << "\n";
            std::abort();
        }
    }
    return 0;
}
