#pragma once
// Custom attributes (seed 004): the rules for defining them and for their values. Pure
// functions, shared by the people routes and the CSV import, so that a value refused in one is
// refused in the other with the same code. Thread-safe (stateless).
//
// Values are text in and normalized text out, stored as such:
//   string     UTF-8, trimmed, at most kMaxAttributeValueChars characters
//   number     a finite decimal ("42", "-3.5", "1e3"), stored in its shortest form ("1000")
//   boolean    true/false or yes/no in any case, stored as "true"/"false"
//   date_time  RFC 3339 ("2026-03-01T08:30:00+08:00") or a date ("2026-03-01", midnight UTC),
//              stored in UTC with milliseconds ("2026-03-01T00:30:00.000Z")
// An empty (or blank) value means "not set".

#include <map>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/types.hpp"

namespace parley::service {

constexpr std::size_t kMaxAttributeValueChars = 500;
constexpr std::size_t kMaxAttributeNameChars = 100;
constexpr std::size_t kMaxAttributesPerOrganization = 100;
constexpr std::size_t kMaxDirectoryColumns = 4;  // seed 004: "up to 4 columns"

// What the portal offers under "Add New" (seed 004), as definitions without ids.
std::vector<core::AttributeDefinition> suggested_attributes();

Result<core::AttributeType> parse_attribute_type(const std::string& text);

// The name trimmed; invalid_attribute_name unless 1–100 characters of UTF-8 without control
// characters.
Result<std::string> clean_attribute_name(const std::string& name);

// ASCII case folded, as the store's uniqueness index compares names.
std::string attribute_key(const std::string& name);

// The value normalized for its type (see above); invalid_attribute_value, or
// attribute_value_too_long, naming the attribute and what is expected.
Result<std::string> normalize_attribute_value(const core::AttributeDefinition& definition,
                                              const std::string& text);

struct AttributeError {
    std::string name;  // as given
    Error error;
};

struct AttributeValidation {
    std::vector<core::AttributeValue> values;  // normalized; empty value = clear; no user_id
    std::vector<AttributeError> errors;        // in the order of `given`
    bool ok() const { return errors.empty(); }
};

// Validates values given by attribute name (ASCII case ignored) against the organization's
// definitions. Per attribute: unknown_attribute, invalid_attribute_value,
// attribute_value_too_long, duplicate_attribute (two spellings of one name), and — when
// `require_mandatory` (someone new is being added) — attribute_required for every mandatory
// attribute without a non-empty value. Clearing a mandatory attribute is attribute_required
// always.
AttributeValidation validate_attributes(
    const std::vector<core::AttributeDefinition>& definitions,
    const std::vector<std::pair<std::string, std::string>>& given, bool require_mandatory);

// The first error of a failed validation as one Error, its message naming the others' count.
Error first_attribute_error(const AttributeValidation& validation);

}  // namespace parley::service
