#include "core/phone.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

namespace parley::core {

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber's region for "no region": it then accepts only numbers in + form.
constexpr std::string_view kNoRegion = "ZZ";
constexpr std::string_view kInternationalExample = "+6591234567";

const PhoneNumberUtil& phone_util() { return *PhoneNumberUtil::GetInstance(); }

std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n\f\v";
    const auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

std::string to_upper(std::string_view s) {
    std::string upper(s);
    for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return upper;
}

// libphonenumber reads a number from its first digit or plus sign on.
bool in_plus_form(std::string_view number) {
    const auto start = number.find_first_of("+0123456789");
    return start != std::string_view::npos && number[start] == '+';
}

// libphonenumber turns letters into keypad digits ("1-800-FLOWERS"). Such a number cannot
// receive a sign-in code, and letters in a number are far more often a typing mistake.
bool has_ascii_letter(std::string_view number) {
    return std::ranges::any_of(
        number, [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

std::optional<std::string> parse_valid(const std::string& number, std::string_view region) {
    PhoneNumber parsed;
    const auto error = phone_util().Parse(number, std::string(region), &parsed);
    if (error != PhoneNumberUtil::NO_PARSING_ERROR) return std::nullopt;
    // Valid means "in a range the metadata knows is allocated". Debian's metadata lags real
    // allocations (Singapore's 99xx xxxx mobiles, used in Kaizala's own examples, are missing),
    // and refusing a real person's number is worse than accepting a well-formed one: so a
    // number of a possible mobile length for a known country is accepted too.
    std::string country_region;
    phone_util().GetRegionCodeForCountryCode(parsed.country_code(), &country_region);
    bool known_country = country_region != kNoRegion;
    bool acceptable =
        phone_util().IsValidNumber(parsed) ||
        (known_country && phone_util().IsPossibleNumberForTypeWithReason(
                              parsed, PhoneNumberUtil::MOBILE) == PhoneNumberUtil::IS_POSSIBLE);
    if (!acceptable) return std::nullopt;
    // E.164 has no extension ("…#12"): dropping it would silently change the number.
    if (parsed.has_extension()) return std::nullopt;
    std::string e164;
    phone_util().Format(parsed, PhoneNumberUtil::E164, &e164);
    return e164;
}

std::string example_for(const std::string& region) {
    PhoneNumber example;
    if (!phone_util().GetExampleNumberForType(region, PhoneNumberUtil::MOBILE, &example)) {
        return std::string(kInternationalExample);
    }
    std::string e164;
    phone_util().Format(example, PhoneNumberUtil::E164, &e164);
    return e164;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

bool is_known_region(std::string_view region) {
    static const std::set<std::string> known = [] {
        std::set<std::string> regions;
        phone_util().GetSupportedRegions(&regions);
        return regions;
    }();
    return known.contains(to_upper(region));
}

namespace {

Result<std::string> normalize_uncached(std::string_view number, std::string_view default_region) {
    if (number.empty()) {
        return fail(ErrorKind::invalid, "phone_required", "a phone number is required");
    }

    const std::string region = to_upper(default_region);
    const bool plus_form = in_plus_form(number);
    const bool region_known = is_known_region(region);
    if (!plus_form && !region_known) {
        const std::string how = "write the number with + and its country code, like " +
                                std::string(kInternationalExample) +
                                ", or give a two-letter country code such as SG";
        if (region.empty()) {
            return fail(ErrorKind::invalid, "invalid_region",
                        "no region given to read " + quoted(number) + "; " + how);
        }
        return fail(ErrorKind::invalid, "invalid_region",
                    "unknown region " + quoted(default_region) + "; " + how);
    }

    std::optional<std::string> e164;
    if (!has_ascii_letter(number)) {
        const std::string_view parse_region = region_known ? std::string_view(region) : kNoRegion;
        e164 = parse_valid(std::string(number), parse_region);
        // Most of the world dials abroad with 00 and people keep the habit where the prefix
        // differs (Singapore's is 001, 008, …): read "0065 …" as "+65 …" when nothing else fits.
        if (!e164 && number.starts_with("00")) {
            e164 = parse_valid("+" + std::string(number.substr(2)), parse_region);
        }
    }
    if (e164) return *e164;

    if (plus_form) {
        return fail(ErrorKind::invalid, "invalid_phone",
                    quoted(number) +
                        " is not a valid phone number; check the country code and the number "
                        "of digits");
    }
    return fail(ErrorKind::invalid, "invalid_phone",
                quoted(number) + " is not a valid phone number for region " + region +
                    "; give it in international form like " + example_for(region));
}

// Normalizing is a pure function of (number, region) that costs tens of microseconds of
// libphonenumber's regular expressions, and the same numbers come back again and again: a
// Users file and then its User Group Mapping file, re-uploads, directory searches. So answers
// are remembered, up to a bound; on reaching it the memory starts again (simpler than LRU, and
// a bulk import refills it in its own order anyway).
class NormalizedPhones {
public:
    static constexpr std::size_t kCapacity = 1 << 17;

    Result<std::string> get(std::string_view number, std::string_view region) {
        std::string key;
        key.reserve(region.size() + 1 + number.size());
        key.append(region).append(1, '\n').append(number);
        {
            std::lock_guard lock(mutex_);
            if (auto it = answers_.find(key); it != answers_.end()) return it->second;
        }
        auto answer = normalize_uncached(number, region);
        std::lock_guard lock(mutex_);
        if (answers_.size() >= kCapacity) answers_.clear();
        answers_.emplace(std::move(key), answer);
        return answer;
    }

private:
    std::mutex mutex_;
    std::unordered_map<std::string, Result<std::string>> answers_;  // GUARDED_BY(mutex_)
};

}  // namespace

Result<std::string> normalize_phone(std::string_view input, std::string_view default_region) {
    static NormalizedPhones memory;
    return memory.get(trim(input), default_region);
}

std::vector<PhoneListItem> parse_phone_list(std::string_view comma_separated,
                                            std::string_view region) {
    std::vector<PhoneListItem> items;
    std::size_t start = 0;
    while (start <= comma_separated.size()) {
        const auto comma = std::min(comma_separated.find(',', start), comma_separated.size());
        const std::string_view item = trim(comma_separated.substr(start, comma - start));
        if (!item.empty()) items.push_back({std::string(item), normalize_phone(item, region)});
        start = comma + 1;
    }
    return items;
}

}  // namespace parley::core
