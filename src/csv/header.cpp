#include "csv/header.hpp"

#include <algorithm>

#include "csv/errors.hpp"

namespace parley::csv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims whitespace and BOMs (a file saved twice with a BOM, or one inside quotes) at both ends.
std::string_view trim(std::string_view s) {
    while (true) {
        if (!s.empty() && is_space(s.front())) {
            s.remove_prefix(1);
        } else if (s.starts_with(kBom)) {
            s.remove_prefix(kBom.size());
        } else if (!s.empty() && is_space(s.back())) {
            s.remove_suffix(1);
        } else {
            return s;
        }
    }
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += '"' + n + '"';
    }
    return out;
}

}  // namespace

std::string normalize_column_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    bool pending_space = false;
    for (char c : trim(name)) {
        if (is_space(c)) {
            pending_space = true;
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

Result<Header> Header::map(std::span<const std::string_view> names, const ColumnSpec& spec) {
    Header h;
    h.names_.reserve(names.size());
    h.keys_.reserve(names.size());
    std::vector<std::string> duplicates;
    for (std::string_view raw : names) {
        std::string key = normalize_column_name(raw);
        if (!key.empty() && std::find(h.keys_.begin(), h.keys_.end(), key) != h.keys_.end()) {
            std::string shown(trim(raw));
            if (std::find(duplicates.begin(), duplicates.end(), shown) == duplicates.end()) {
                duplicates.push_back(std::move(shown));
            }
        }
        h.names_.emplace_back(trim(raw));
        h.keys_.push_back(std::move(key));
    }
    if (!duplicates.empty()) {
        return fail(ErrorKind::invalid, kDuplicateColumns,
                    "The header row names these columns more than once: " + join(duplicates) +
                        ". Keep one column of each name.");
    }

    std::vector<bool> known(names.size(), false);
    std::vector<std::string> missing;
    auto add = [&](const std::string& wanted, bool required) {
        const std::string key = normalize_column_name(wanted);
        auto it = std::find(h.keys_.begin(), h.keys_.end(), key);
        if (it == h.keys_.end()) {
            if (required) missing.push_back(wanted);
            return;
        }
        const auto column = static_cast<std::size_t>(it - h.keys_.begin());
        known[column] = true;
        h.canonical_.push_back({wanted, column});
    };
    for (const auto& name : spec.required) add(name, true);
    for (const auto& name : spec.optional) add(name, false);
    if (!missing.empty()) {
        return fail(ErrorKind::invalid, kMissingColumns,
                    "The header row lacks required columns: " + join(missing) +
                        ". Download the template to see the expected columns.");
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!known[i] && !h.keys_[i].empty()) h.unknown_.push_back(i);
    }
    return h;
}

std::optional<std::size_t> Header::index(std::string_view name) const {
    // Callers pass the spec's own spelling on every row: find that without allocating.
    for (const auto& c : canonical_) {
        if (c.name == name) return c.column;
    }
    const std::string key = normalize_column_name(name);
    if (key.empty()) return std::nullopt;
    auto it = std::find(keys_.begin(), keys_.end(), key);
    if (it == keys_.end()) return std::nullopt;
    return static_cast<std::size_t>(it - keys_.begin());
}

}  // namespace parley::csv
