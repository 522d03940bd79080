#include "csv/header.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace parley::csv {
namespace {

Result<Header> map(std::vector<std::string_view> names, const ColumnSpec& spec) {
    return Header::map(names, spec);
}

TEST(ColumnName, NormalizesCaseSpacesAndBom) {
    EXPECT_EQ(normalize_column_name("Phone Number"), "phone number");
    EXPECT_EQ(normalize_column_name("  PHONE \t  number\r\n"), "phone number");
    EXPECT_EQ(normalize_column_name("\xEF\xBB\xBF Phone Number"), "phone number");
    EXPECT_EQ(normalize_column_name("\xEF\xBB\xBF\xEF\xBB\xBF"
                                    "a"),
              "a");
    EXPECT_EQ(normalize_column_name("Caf\xC3\xA9"), "caf\xC3\xA9");  // only ASCII is folded
    EXPECT_EQ(normalize_column_name("   "), "");
}

TEST(Header, MapsNamesInAnyOrderAndCase) {
    ColumnSpec spec{{"Phone Number", "Name"}, {"Email", "Region"}};
    auto h = map({" region", "NAME", "Employee ID", "phone number ", "Department"}, spec);
    ASSERT_TRUE(h) << h.error().message;
    EXPECT_EQ(h->size(), 5u);
    EXPECT_EQ(h->index("Phone Number"), 3u);
    EXPECT_EQ(h->index("Name"), 1u);
    EXPECT_EQ(h->index("Region"), 0u);
    EXPECT_EQ(h->index("Email"), std::nullopt);  // optional and absent
    EXPECT_EQ(h->index("employee id"), 2u);      // unknown columns by their own name
    EXPECT_EQ(h->index("nothing"), std::nullopt);
    EXPECT_EQ(h->index(""), std::nullopt);
    EXPECT_EQ(h->unknown(), (std::vector<std::size_t>{2, 4}));
    EXPECT_EQ(h->name(0), "region");
    EXPECT_EQ(h->name(3), "phone number");
}

TEST(Header, MissingRequiredColumnsAreListed) {
    ColumnSpec spec{{"Phone Number", "Name", "User Type"}, {"Email"}};
    auto h = map({"name", "email"}, spec);
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().kind, ErrorKind::invalid);
    EXPECT_EQ(h.error().code, "csv_missing_columns");
    EXPECT_EQ(h.error().message,
              "The header row lacks required columns: \"Phone Number\", \"User Type\". "
              "Download the template to see the expected columns.");
}

TEST(Header, DuplicateColumnsAreAnError) {
    auto h = map({"Name", "Phone", " name", "PHONE", "NAME"}, {{"Name"}, {}});
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().code, "csv_duplicate_columns");
    EXPECT_NE(h.error().message.find("\"name\", \"PHONE\""), std::string::npos)
        << h.error().message;
}

TEST(Header, EmptyColumnNamesAreIgnored) {
    auto h = map({"Name", "", "  ", "Phone", ""}, {{"Name", "Phone"}, {}});
    ASSERT_TRUE(h) << h.error().message;
    EXPECT_TRUE(h->unknown().empty());
    EXPECT_EQ(h->index("Phone"), 3u);
    EXPECT_EQ(h->size(), 5u);
}

}  // namespace
}  // namespace parley::csv
