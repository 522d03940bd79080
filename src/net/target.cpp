#include "net/target.hpp"

namespace parley::net {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<Target> parse_target(std::string_view target) {
    if (!target.starts_with('/')) return std::nullopt;
    const auto question = target.find('?');
    const std::string_view raw_path = target.substr(0, question);

    Target result;
    result.path.reserve(raw_path.size());
    for (std::size_t i = 0; i < raw_path.size(); ++i) {
        int c = static_cast<unsigned char>(raw_path[i]);
        if (c == '%') {
            const int high = i + 2 < raw_path.size() ? hex_value(raw_path[i + 1]) : -1;
            const int low = high >= 0 ? hex_value(raw_path[i + 2]) : -1;
            if (low < 0) return std::nullopt;
            c = high * 16 + low;
            i += 2;
        }
        if (c < 0x20 || c == 0x7f) return std::nullopt;
        result.path.push_back(static_cast<char>(c));
    }
    if (question != std::string_view::npos) result.query = target.substr(question + 1);
    return result;
}

}  // namespace parley::net
