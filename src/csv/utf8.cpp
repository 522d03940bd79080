#include "csv/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace parley::csv {

namespace {

bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // Almost every byte of an import file is ASCII: skip eight at a time.
        if (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, s + i, sizeof word);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        // The ranges of Unicode's Table 3-7: the second byte's range is what excludes overlong
        // forms (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and > U+10FFFF (F4 90..).
        std::size_t len = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xbf;
        if (in(c, 0xc2, 0xdf)) {
            len = 2;
        } else if (c == 0xe0) {
            len = 3, lo = 0xa0;
        } else if (in(c, 0xe1, 0xec) || in(c, 0xee, 0xef)) {
            len = 3;
        } else if (c == 0xed) {
            len = 3, hi = 0x9f;
        } else if (c == 0xf0) {
            len = 4, lo = 0x90;
        } else if (in(c, 0xf1, 0xf3)) {
            len = 4;
        } else if (c == 0xf4) {
            len = 4, hi = 0x8f;
        } else {
            return i;  // a continuation byte out of place, C0, C1 or F5..FF
        }
        if (i + len > n || !in(s[i + 1], lo, hi)) return i;
        for (std::size_t k = 2; k < len; ++k) {
            if (!in(s[i + k], 0x80, 0xbf)) return i;
        }
        i += len;
    }
    return std::string_view::npos;
}

}  // namespace parley::csv
