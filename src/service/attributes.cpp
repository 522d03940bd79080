#include "service/attributes.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "csv/header.hpp"
#include "service/people_columns.hpp"
#include "service/text.hpp"

namespace parley::service {
namespace {

using core::AttributeType;

std::string lower_ascii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::unexpected<Error> invalid_value(const core::AttributeDefinition& d, const std::string& what) {
    return fail(ErrorKind::invalid, "invalid_attribute_value",
                "\"" + d.name + "\" must be " + what + ".");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A plain decimal: sign, digits with at most one point, optional exponent. Rejects what
// from_chars would also take ("inf", "nan", hex) and what spreadsheets mean differently
// ("1,5", "1 000").
bool is_decimal(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    bool point = false;
    for (; i < s.size() && (is_digit(s[i]) || (s[i] == '.' && !point)); ++i) {
        if (s[i] == '.') {
            point = true;
        } else {
            ++digits;
        }
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exponent_digits = 0;
        for (; i < s.size() && is_digit(s[i]); ++i) ++exponent_digits;
        if (exponent_digits == 0) return false;
    }
    return i == s.size();
}

Result<std::string> normalize_number(const core::AttributeDefinition& d, const std::string& text) {
    if (!is_decimal(text)) return invalid_value(d, "a number like 42 or -3.5");
    std::string_view digits = text;
    if (digits.front() == '+') digits.remove_prefix(1);
    double value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
        return invalid_value(d, "a finite number");
    }
    if (value == 0) value = 0;  // "-0" reads back as 0
    char buffer[64];
    auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, written.ptr);
}

// Reads `count` digits at `at` into out; false if they are not all digits.
bool read_digits(std::string_view s, std::size_t at, std::size_t count, int& out) {
    if (at + count > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!is_digit(s[i])) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// RFC 3339 date-time or full date, to milliseconds since the epoch (UTC).
std::optional<TimestampMs> parse_date_time(std::string_view s) {
    int year = 0, month = 0, day = 0;
    if (!read_digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' ||
        !read_digits(s, 5, 2, month) || s[7] != '-' || !read_digits(s, 8, 2, day)) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{year},
                                           std::chrono::month{static_cast<unsigned>(month)},
                                           std::chrono::day{static_cast<unsigned>(day)}};
    if (year < 1 || !date.ok()) return std::nullopt;
    const TimestampMs day_ms =
        static_cast<TimestampMs>(std::chrono::sys_days(date).time_since_epoch().count()) *
        86'400'000;
    if (s.size() == 10) return day_ms;

    int hour = 0, minute = 0, second = 0;
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !read_digits(s, 11, 2, hour) ||
        s.size() < 19 || s[13] != ':' || !read_digits(s, 14, 2, minute) || s[16] != ':' ||
        !read_digits(s, 17, 2, second) || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    std::size_t at = 19;
    int millis = 0;
    if (at < s.size() && s[at] == '.') {
        std::size_t digits = 0;
        for (++at; at < s.size() && is_digit(s[at]); ++at, ++digits) {
            if (digits < 3) millis = millis * 10 + (s[at] - '0');
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 3; ++digits) millis *= 10;  // ".5" is 500 ms; past ms is cut
    }
    // RFC 3339 requires the offset: a time without one means nothing across time zones.
    if (at >= s.size()) return std::nullopt;
    TimestampMs offset_ms = 0;
    if (s[at] == 'Z' || s[at] == 'z') {
        ++at;
    } else if (s[at] == '+' || s[at] == '-') {
        int oh = 0, om = 0;
        if (!read_digits(s, at + 1, 2, oh) || at + 3 >= s.size() || s[at + 3] != ':' ||
            !read_digits(s, at + 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset_ms = (oh * 60 + om) * 60'000LL * (s[at] == '-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != s.size()) return std::nullopt;
    return day_ms + ((hour * 60LL + minute) * 60 + second) * 1000 + millis - offset_ms;
}

Result<std::string> normalize_date_time(const core::AttributeDefinition& d,
                                        const std::string& text) {
    // Stored years stay four digits (0001–9999) so that stored values sort as text.
    constexpr TimestampMs kFirst = -62'135'596'800'000;  // 0001-01-01T00:00:00Z
    constexpr TimestampMs kEnd = 253'402'300'800'000;    // 10000-01-01T00:00:00Z
    auto t = parse_date_time(text);
    if (!t || *t < kFirst || *t >= kEnd) {
        return invalid_value(d,
                             "a date like 2026-03-01 or a date and time with its offset like "
                             "2026-03-01T08:30:00+08:00");
    }
    return format_rfc3339(*t);
}

}  // namespace

std::vector<core::AttributeDefinition> suggested_attributes() {
    auto suggestion = [](const char* name, bool visible) {
        core::AttributeDefinition d;
        d.name = name;
        d.type = AttributeType::string;
        d.visible_to_members = visible;
        return d;
    };
    // An employee ID is for the admins; the rest help colleagues find each other.
    return {suggestion("Employee ID", false), suggestion("Manager", true),
            suggestion("Job Title", true), suggestion("Department", true),
            suggestion("Location", true)};
}

Result<core::AttributeType> parse_attribute_type(const std::string& text) {
    const std::string t = lower_ascii(text);
    if (t == "string") return AttributeType::string;
    if (t == "number") return AttributeType::number;
    if (t == "boolean") return AttributeType::boolean;
    if (t == "date_time") return AttributeType::date_time;
    return fail(ErrorKind::invalid, "invalid_attribute_type",
                "\"" + text.substr(0, 40) +
                    "\" is not an attribute type; use string, number, boolean (yes/no) or "
                    "date_time.");
}

Result<std::string> clean_attribute_name(const std::string& name) {
    std::string cleaned = trim(name);
    auto length = utf8_length(cleaned);
    bool control = std::any_of(cleaned.begin(), cleaned.end(),
                               [](unsigned char c) { return c < 0x20 || c == 0x7f; });
    if (!length || *length == 0 || *length > kMaxAttributeNameChars || control) {
        return fail(ErrorKind::invalid, "invalid_attribute_name",
                    "An attribute name must be 1–100 characters of text on one line.");
    }
    for (const char* column : columns::kPeopleFile) {
        if (csv::normalize_column_name(cleaned) == csv::normalize_column_name(column)) {
            return fail(ErrorKind::invalid, "attribute_name_reserved",
                        "\"" + std::string(column) +
                            "\" is a column of the people files (the Users import and the "
                            "people export); give the attribute another name.");
        }
    }
    return cleaned;
}

std::string attribute_key(const std::string& name) { return lower_ascii(trim(name)); }

Result<std::string> normalize_attribute_value(const core::AttributeDefinition& d,
                                              const std::string& text) {
    std::string value = trim(text);
    if (value.empty()) return value;
    switch (d.type) {
        case AttributeType::string: {
            auto length = utf8_length(value);
            if (!length) return invalid_value(d, "UTF-8 text");
            if (*length > kMaxAttributeValueChars) {
                return fail(ErrorKind::invalid, "attribute_value_too_long",
                            "\"" + d.name + "\" can be at most 500 characters long.");
            }
            return value;
        }
        case AttributeType::number:
            return normalize_number(d, value);
        case AttributeType::boolean: {
            const std::string v = lower_ascii(value);
            if (v == "true" || v == "yes") return std::string("true");
            if (v == "false" || v == "no") return std::string("false");
            return invalid_value(d, "true or false (yes or no)");
        }
        case AttributeType::date_time:
            return normalize_date_time(d, value);
    }
    return invalid_value(d, "a value of its type");
}

AttributeValidation validate_attributes(
    const std::vector<core::AttributeDefinition>& definitions,
    const std::vector<std::pair<std::string, std::string>>& given, bool require_mandatory) {
    std::unordered_map<std::string, const core::AttributeDefinition*> by_key;
    for (const auto& d : definitions) by_key.emplace(attribute_key(d.name), &d);
    AttributeValidation out;
    std::unordered_map<std::string, std::string> set;  // key → normalized value
    for (const auto& [name, text] : given) {
        const std::string key = attribute_key(name);
        auto it = by_key.find(key);
        if (it == by_key.end()) {
            out.errors.push_back(
                {name, Error{ErrorKind::invalid, "unknown_attribute",
                             "The organization has no attribute \"" + name.substr(0, 100) +
                                 "\"; GET …/attributes lists them.",
                             std::nullopt}});
            continue;
        }
        if (set.contains(key)) {
            out.errors.push_back(
                {name, Error{ErrorKind::invalid, "duplicate_attribute",
                             "\"" + it->second->name + "\" is given twice.", std::nullopt}});
            continue;
        }
        auto value = normalize_attribute_value(*it->second, text);
        if (!value) {
            out.errors.push_back({name, std::move(value.error())});
            set.emplace(key, "");
            continue;
        }
        if (value->empty() && it->second->mandatory) {
            out.errors.push_back(
                {name, Error{ErrorKind::invalid, "attribute_required",
                             "\"" + it->second->name + "\" is mandatory: it cannot be cleared.",
                             std::nullopt}});
            set.emplace(key, "");
            continue;
        }
        set.emplace(key, *value);
        out.values.push_back({it->second->id, {}, std::move(*value)});
    }
    if (require_mandatory) {
        for (const auto& d : definitions) {
            if (!d.mandatory) continue;
            auto it = set.find(attribute_key(d.name));
            if (it != set.end() && !it->second.empty()) continue;
            bool already_refused =
                it != set.end() &&
                std::any_of(out.errors.begin(), out.errors.end(), [&](const AttributeError& e) {
                    return attribute_key(e.name) == it->first;
                });
            if (already_refused) continue;
            out.errors.push_back({d.name, Error{ErrorKind::invalid, "attribute_required",
                                                "\"" + d.name +
                                                    "\" is mandatory: give it a value when "
                                                    "adding someone.",
                                                std::nullopt}});
        }
    }
    return out;
}

Error first_attribute_error(const AttributeValidation& validation) {
    Error e = validation.errors.front().error;
    if (validation.errors.size() > 1) {
        e.message += " (" + std::to_string(validation.errors.size() - 1) +
                     " more attribute problem" + (validation.errors.size() > 2 ? "s" : "") +
                     " in this request.)";
    }
    return e;
}

}  // namespace parley::service
