#include "service/text.hpp"

namespace parley::service {

std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xe  ? 3
                          : (c >> 3) == 0x1e ? 4
                                             : 0;
        if (len == 0 || i + len > text.size()) return std::nullopt;
        std::uint32_t cp = len == 1 ? c : c & (0x7f >> len);
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xc0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (cc & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return std::nullopt;
        }
        i += len;
        ++count;
    }
    return count;
}

std::string trim(std::string_view text) {
    const char* ws = " \t\r\n";
    auto begin = text.find_first_not_of(ws);
    if (begin == std::string_view::npos) return {};
    auto end = text.find_last_not_of(ws);
    return std::string(text.substr(begin, end - begin + 1));
}

std::string clean_file_name(std::string_view given, std::string_view fallback) {
    auto slash = given.find_last_of("/\\");
    if (slash != std::string_view::npos) given.remove_prefix(slash + 1);
    std::string name;
    for (unsigned char c : given) {
        if (c < 0x20 || c == 0x7F || c == '"') continue;
        name += static_cast<char>(c);
    }
    name = trim(name);
    auto length = utf8_length(name);
    if (name.empty() || !length) return std::string(fallback);
    if (*length > 200) name.resize(200);
    while (!utf8_length(name)) name.pop_back();  // cut inside a character
    return name;
}

}  // namespace parley::service
