#pragma once
// Phone numbers, which identify people: every number is stored and compared in E.164
// ("+6591234567"), whatever form it was typed or imported in. Parsing and validation are
// libphonenumber's, against its metadata of allocated number ranges. Thread-safe:
// PhoneNumberUtil::GetInstance() is a thread-safe singleton whose const methods may run
// concurrently.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace parley::core {

// Returns input in E.164 if it is a valid (allocated, not merely well-sized) number.
// default_region (ISO 3166 alpha-2, any case) says how to read national forms such as
// "9123 4567" or "(030) 123456", and that region's international prefix ("011 65 …" for US);
// numbers in + form need none. "00" followed by a country code is read as "+" when the region's
// own reading is not valid: Singapore's prefix is 001, yet "0065 …" is common. Spaces, dashes,
// dots and brackets are ignored; letters (vanity numbers) and extensions are refused.
// Fails with ErrorKind::invalid and code:
//   "phone_required"  input is empty or blank;
//   "invalid_region"  the region is empty or unknown and the number is not in + form;
//   "invalid_phone"   anything else; the message quotes the input.
Result<std::string> normalize_phone(std::string_view input, std::string_view default_region);

// Whether region is an ISO 3166 alpha-2 code libphonenumber has metadata for; any case.
bool is_known_region(std::string_view region);

struct PhoneListItem {
    std::string input;  // the item as given, without surrounding whitespace
    Result<std::string> e164;
};

// Splits "91234567, 91234568,+44 7400 123456" on commas and normalizes each item, keeping the
// input order. Blank items are skipped; invalid ones are reported in place, not dropped.
std::vector<PhoneListItem> parse_phone_list(std::string_view comma_separated,
                                            std::string_view region);

}  // namespace parley::core
