#include "csv/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::csv {
namespace {

using namespace std::string_literals;

TEST(Utf8, FindsTheFirstInvalidByte) {
    constexpr auto npos = std::string_view::npos;
    EXPECT_EQ(find_invalid_utf8(""), npos);
    EXPECT_EQ(find_invalid_utf8("plain ascii, long enough for the fast path"), npos);
    EXPECT_EQ(find_invalid_utf8("\0"s), npos);  // NUL is UTF-8; the reader rejects it apart
    EXPECT_EQ(find_invalid_utf8("\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), npos);
    EXPECT_EQ(find_invalid_utf8("\x80"), 0u);
    EXPECT_EQ(find_invalid_utf8("abcdefgh\xC0\x80"), 8u);                  // after an ASCII word
    EXPECT_EQ(find_invalid_utf8("abcdefghij\xE2\x82"), 10u);               // truncated at the end
    EXPECT_EQ(find_invalid_utf8("abcdefg\xC3\xA9\xED\xA0\x80"), 9u);       // surrogate
    EXPECT_EQ(find_invalid_utf8("\xF4\x8F\xBF\xBF\xF4\x90\x80\x80"), 4u);  // past U+10FFFF
    EXPECT_EQ(find_invalid_utf8("\xE0\xA0"), 0u);
    EXPECT_EQ(find_invalid_utf8("\xE1\x80\x7F"), 0u);
    EXPECT_EQ(find_invalid_utf8("\xF1\x80\x80\xC0"), 0u);
    EXPECT_TRUE(is_utf8("\xF1\x80\x80\x80"));
    EXPECT_FALSE(is_utf8("\xF8\x88\x80\x80\x80"));  // five-byte forms are gone
}

// Every two-byte lead against every second byte, checked against the definition.
TEST(Utf8, AgreesWithTheDefinitionOnAllTwoByteInputs) {
    for (int a = 0x80; a < 0x100; ++a) {
        for (int b = 0; b < 0x100; ++b) {
            const std::string s{static_cast<char>(a), static_cast<char>(b)};
            const bool expected = a >= 0xC2 && a <= 0xDF && b >= 0x80 && b <= 0xBF;
            EXPECT_EQ(is_utf8(s), expected) << std::hex << a << " " << b;
        }
    }
}

}  // namespace
}  // namespace parley::csv
