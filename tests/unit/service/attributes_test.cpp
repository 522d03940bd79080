// Custom attribute rules (service/attributes.hpp): values by type, names, and the validation of
// a whole set of values that the people routes and the CSV import share.

#include "service/attributes.hpp"

#include <gtest/gtest.h>

namespace parley::service {
namespace {

using core::AttributeDefinition;
using core::AttributeType;

AttributeDefinition def(const std::string& name, AttributeType type, bool mandatory = false) {
    AttributeDefinition d;
    d.id = "atr_" + name;
    d.organization_id = "org_acme";
    d.name = name;
    d.type = type;
    d.mandatory = mandatory;
    return d;
}

std::string normalized(AttributeType type, const std::string& text) {
    auto r = normalize_attribute_value(def("X", type), text);
    if (!r) return "error:" + r.error().code;
    return *r;
}

TEST(AttributeValues, StringsAreTrimmedAndBounded) {
    EXPECT_EQ(normalized(AttributeType::string, "  Sales  "), "Sales");
    EXPECT_EQ(normalized(AttributeType::string, "   "), "");
    EXPECT_EQ(normalized(AttributeType::string, std::string(500, 'x')), std::string(500, 'x'));
    EXPECT_EQ(normalized(AttributeType::string, std::string(501, 'x')),
              "error:attribute_value_too_long");
    EXPECT_EQ(normalized(AttributeType::string, "\xff\xfe"), "error:invalid_attribute_value");
    // Characters, not bytes: 500 three-byte characters fit.
    std::string wide;
    for (int i = 0; i < 500; ++i) wide += "\xe2\x82\xac";
    EXPECT_EQ(normalized(AttributeType::string, wide), wide);
}

TEST(AttributeValues, NumbersAreFiniteDecimalsInShortestForm) {
    EXPECT_EQ(normalized(AttributeType::number, "42"), "42");
    EXPECT_EQ(normalized(AttributeType::number, "+007"), "7");
    EXPECT_EQ(normalized(AttributeType::number, "-3.50"), "-3.5");
    EXPECT_EQ(normalized(AttributeType::number, ".5"), "0.5");
    EXPECT_EQ(normalized(AttributeType::number, "1e3"), "1000");
    EXPECT_EQ(normalized(AttributeType::number, "-0"), "0");
    for (const char* bad : {"abc", "1,5", "1 000", "inf", "nan", "0x10", "1e", "--1", ".", "1e999",
                            "12abc", "1.2.3"}) {
        EXPECT_EQ(normalized(AttributeType::number, bad), "error:invalid_attribute_value") << bad;
    }
}

TEST(AttributeValues, BooleansAcceptYesAndNo) {
    EXPECT_EQ(normalized(AttributeType::boolean, "TRUE"), "true");
    EXPECT_EQ(normalized(AttributeType::boolean, "yes"), "true");
    EXPECT_EQ(normalized(AttributeType::boolean, "No"), "false");
    EXPECT_EQ(normalized(AttributeType::boolean, "false"), "false");
    EXPECT_EQ(normalized(AttributeType::boolean, "1"), "error:invalid_attribute_value");
    EXPECT_EQ(normalized(AttributeType::boolean, "maybe"), "error:invalid_attribute_value");
}

TEST(AttributeValues, DateTimesAreStoredInUtc) {
    EXPECT_EQ(normalized(AttributeType::date_time, "2026-03-01"), "2026-03-01T00:00:00.000Z");
    EXPECT_EQ(normalized(AttributeType::date_time, "2026-03-01T08:30:00+08:00"),
              "2026-03-01T00:30:00.000Z");
    EXPECT_EQ(normalized(AttributeType::date_time, "2026-03-01t08:30:00.5z"),
              "2026-03-01T08:30:00.500Z");
    EXPECT_EQ(normalized(AttributeType::date_time, "2026-03-01 00:15:00.123456-01:30"),
              "2026-03-01T01:45:00.123Z");
    EXPECT_EQ(normalized(AttributeType::date_time, "2024-02-29"), "2024-02-29T00:00:00.000Z");
    for (const char* bad :
         {"2025-02-29", "2026-13-01", "2026-00-10", "2026-03-32", "2026-03-01T24:00:00Z",
          "2026-03-01T08:30:00", "2026-03-01T08:30Z", "01/03/2026", "2026-3-1", "yesterday",
          "2026-03-01T08:30:00+0800", "2026-03-01T08:30:00Zjunk", "0000-01-01"}) {
        EXPECT_EQ(normalized(AttributeType::date_time, bad), "error:invalid_attribute_value")
            << bad;
    }
}

TEST(AttributeNames, AreTrimmedOneLineAndBounded) {
    EXPECT_EQ(*clean_attribute_name("  Employee ID "), "Employee ID");
    EXPECT_FALSE(clean_attribute_name("   "));
    EXPECT_FALSE(clean_attribute_name("Line\nbreak"));
    EXPECT_FALSE(clean_attribute_name(std::string(101, 'n')));
    EXPECT_EQ(clean_attribute_name("").error().code, "invalid_attribute_name");
    EXPECT_EQ(attribute_key(" DePartMent "), "department");
    EXPECT_EQ(*parse_attribute_type("Date_Time"), AttributeType::date_time);
    EXPECT_EQ(parse_attribute_type("text").error().code, "invalid_attribute_type");
}

// An attribute is a column beside the people files' own: it may not take one of their names,
// or an exported file would have the column twice and could not be uploaded again.
TEST(AttributeNames, AreNotThoseOfThePeopleFileColumns) {
    for (const char* name : {"Phone Number", "name", " EMAIL ", "Region", "role", "Work  Account",
                             "added", "Groups"}) {
        auto cleaned = clean_attribute_name(name);
        ASSERT_FALSE(cleaned) << name;
        EXPECT_EQ(cleaned.error().code, "attribute_name_reserved") << name;
    }
    EXPECT_TRUE(clean_attribute_name("Group"));
    EXPECT_TRUE(clean_attribute_name("Nickname"));
    for (const auto& suggested : suggested_attributes()) {
        EXPECT_TRUE(clean_attribute_name(suggested.name)) << suggested.name;
    }
}

TEST(AttributeValidation, ReportsEveryProblemByAttribute) {
    std::vector<AttributeDefinition> defs = {def("Department", AttributeType::string, true),
                                             def("Employee ID", AttributeType::number, true),
                                             def("On call", AttributeType::boolean)};
    auto v = validate_attributes(
        defs, {{"department", "Sales"}, {"Colour", "red"}, {"On call", "perhaps"}}, true);
    ASSERT_EQ(v.errors.size(), 3u);
    EXPECT_EQ(v.errors[0].name, "Colour");
    EXPECT_EQ(v.errors[0].error.code, "unknown_attribute");
    EXPECT_EQ(v.errors[0].error.kind, ErrorKind::invalid);
    EXPECT_EQ(v.errors[1].name, "On call");
    EXPECT_EQ(v.errors[1].error.code, "invalid_attribute_value");
    EXPECT_EQ(v.errors[2].name, "Employee ID");
    EXPECT_EQ(v.errors[2].error.code, "attribute_required");
    ASSERT_EQ(v.values.size(), 1u);
    EXPECT_EQ(v.values[0].attribute_id, "atr_Department");
    EXPECT_EQ(v.values[0].value, "Sales");
    Error first = first_attribute_error(v);
    EXPECT_EQ(first.code, "unknown_attribute");
    EXPECT_NE(first.message.find("2 more attribute problems"), std::string::npos) << first.message;
}

TEST(AttributeValidation, MandatoryOnlyWhenAddingButNeverCleared) {
    std::vector<AttributeDefinition> defs = {def("Department", AttributeType::string, true),
                                             def("Note", AttributeType::string)};
    EXPECT_TRUE(validate_attributes(defs, {}, false).ok());
    EXPECT_FALSE(validate_attributes(defs, {}, true).ok());
    auto cleared = validate_attributes(defs, {{"Department", " "}}, false);
    ASSERT_EQ(cleared.errors.size(), 1u);
    EXPECT_EQ(cleared.errors[0].error.code, "attribute_required");
    auto optional_cleared = validate_attributes(defs, {{"Note", ""}}, false);
    ASSERT_TRUE(optional_cleared.ok());
    ASSERT_EQ(optional_cleared.values.size(), 1u);
    EXPECT_EQ(optional_cleared.values[0].value, "");  // clears
}

TEST(AttributeValidation, TwoSpellingsOfOneNameAreRefused) {
    std::vector<AttributeDefinition> defs = {def("Department", AttributeType::string)};
    auto v = validate_attributes(defs, {{"Department", "A"}, {"DEPARTMENT", "B"}}, false);
    ASSERT_EQ(v.errors.size(), 1u);
    EXPECT_EQ(v.errors[0].error.code, "duplicate_attribute");
}

TEST(AttributeSuggestions, AreTheSeedsFive) {
    auto s = suggested_attributes();
    ASSERT_EQ(s.size(), 5u);
    EXPECT_EQ(s[0].name, "Employee ID");
    EXPECT_FALSE(s[0].visible_to_members);
    EXPECT_EQ(s[4].name, "Location");
    for (const auto& d : s) EXPECT_TRUE(d.id.empty());
}

}  // namespace
}  // namespace parley::service
