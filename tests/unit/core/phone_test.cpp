#include "core/phone.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley::core {
namespace {

struct ValidCase {
    std::string input;
    std::string region;
    std::string e164;
};

TEST(NormalizePhone, ReadsEveryUsualFormIntoE164) {
    const std::vector<ValidCase> cases = {
        // SG: no trunk prefix; 001 is a real international prefix, 0065 a common habit.
        {"+65 9123 4567", "SG", "+6591234567"},
        // Possible but missing from Debian's metadata: Kaizala's own examples (seed 001).
        {"+6599885544", "", "+6599885544"},
        {"99885544", "SG", "+6599885544"},
        {"91234567", "SG", "+6591234567"},
        {"9123-4567", "SG", "+6591234567"},
        {"9123.4567", "SG", "+6591234567"},
        {"(+65) 9123 4567", "SG", "+6591234567"},
        {"[9123] 4567", "SG", "+6591234567"},
        {"  91234567\t", "SG", "+6591234567"},
        {"91234567", "sg", "+6591234567"},
        {"6123 4567", "SG", "+6561234567"},
        {"0065 9123-4567", "SG", "+6591234567"},
        {"001 65 9123 4567", "SG", "+6591234567"},
        // IN: trunk prefix 0, area codes in brackets.
        {"+91 81234 56789", "IN", "+918123456789"},
        {"81234 56789", "IN", "+918123456789"},
        {"08123456789", "IN", "+918123456789"},
        {"(022) 2345 6789", "IN", "+912223456789"},
        {"00 65 9123 4567", "IN", "+6591234567"},
        // US: optional leading 1, international prefix 011.
        {"(201) 555-0123", "US", "+12015550123"},
        {"201.555.0123", "US", "+12015550123"},
        {"1 201 555 0123", "US", "+12015550123"},
        {"+1-201-555-0123", "US", "+12015550123"},
        {"011 65 9123 4567", "US", "+6591234567"},
        {"0065 9123 4567", "US", "+6591234567"},
        // GB
        {"07400 123456", "GB", "+447400123456"},
        {"+44 7400 123456", "GB", "+447400123456"},
        {"(020) 7946 0958", "GB", "+442079460958"},
        {"00 44 7400 123456", "GB", "+447400123456"},
        // DE: area codes of varying length.
        {"0151 2345 6789", "DE", "+4915123456789"},
        {"015123456789", "DE", "+4915123456789"},
        {"(030) 123456", "DE", "+4930123456"},
        {"+49 30 901820", "DE", "+4930901820"},
        {"0049 151 23456789", "DE", "+4915123456789"},
        // + form needs no region, so an empty or unknown one does not matter.
        {"+65 9123 4567", "", "+6591234567"},
        {"+44 7400 123456", "XX", "+447400123456"},
    };
    for (const auto& c : cases) {
        auto e164 = normalize_phone(c.input, c.region);
        ASSERT_TRUE(e164) << c.input << " (" << c.region << "): " << e164.error().message;
        EXPECT_EQ(*e164, c.e164) << c.input << " (" << c.region << ")";
    }
}

struct InvalidCase {
    std::string input;
    std::string region;
    std::string code;
};

TEST(NormalizePhone, RejectsInvalidInputWithACode) {
    const std::vector<InvalidCase> cases = {
        {"12", "SG", "invalid_phone"},                   // too short
        {"9123456789012345678", "SG", "invalid_phone"},  // too long
        {"+65 9123", "SG", "invalid_phone"},             // too short after the country code
        {"+999 1234 5678", "", "invalid_phone"},         // no such country code
        {"abc", "SG", "invalid_phone"},                  // letters
        {"9123 45AB", "SG", "invalid_phone"},            // letters among digits
        {"+1 800 FLOWERS", "US", "invalid_phone"},       // vanity number
        {"91234567 ext 12", "SG", "invalid_phone"},      // extension
        {"91234567#12", "SG", "invalid_phone"},          // extension
        {"91234567;12", "SG", "invalid_phone"},          // extension
        {"91234567", "US", "invalid_phone"},             // national form of another region
        {"07400 123456", "SG", "invalid_phone"},         // national form of another region
        {"0065 1234", "SG", "invalid_phone"},            // 00 form, too short
        {"+65 9123 4567 8", "SG", "invalid_phone"},      // too long after the country code
        {"\xff\xfe", "SG", "invalid_phone"},             // not UTF-8
        {"", "SG", "phone_required"},
        {" \t ", "SG", "phone_required"},
        {"91234567", "", "invalid_region"},
        {"91234567", "XX", "invalid_region"},
        {"91234567", "ZZ", "invalid_region"},
        {"91234567", "SGP", "invalid_region"},
        {"91234567", "001", "invalid_region"},
        {"0065 9123 4567", "", "invalid_region"},
    };
    for (const auto& c : cases) {
        auto e164 = normalize_phone(c.input, c.region);
        ASSERT_FALSE(e164) << c.input << " (" << c.region << ") gave " << *e164;
        EXPECT_EQ(e164.error().kind, ErrorKind::invalid) << c.input;
        EXPECT_EQ(e164.error().code, c.code) << c.input << " (" << c.region << ")";
    }
}

TEST(NormalizePhone, MessagesQuoteTheInputAndSayWhatToDo) {
    EXPECT_EQ(normalize_phone(" 12 ", "sg").error().message,
              "\"12\" is not a valid phone number for region SG; give it in international form "
              "like +6581234567");
    EXPECT_EQ(normalize_phone("555 0123", "US").error().message,
              "\"555 0123\" is not a valid phone number for region US; give it in international "
              "form like +12015550123");
    EXPECT_EQ(normalize_phone("+65 12", "SG").error().message,
              "\"+65 12\" is not a valid phone number; check the country code and the number of "
              "digits");
    EXPECT_EQ(normalize_phone("91234567", "XX").error().message,
              "unknown region \"XX\"; write the number with + and its country code, like "
              "+6591234567, or give a two-letter country code such as SG");
    EXPECT_EQ(normalize_phone("91234567", "").error().message,
              "no region given to read \"91234567\"; write the number with + and its country "
              "code, like +6591234567, or give a two-letter country code such as SG");
    EXPECT_EQ(normalize_phone("", "SG").error().message, "a phone number is required");
}

// Answers are remembered per (number, region): asking again, or in another region, gives what
// a first reading gives.
TEST(NormalizePhone, RemembersAnswersPerRegion) {
    for (int round = 0; round < 2; ++round) {
        EXPECT_EQ(normalize_phone(" 9123 4567 ", "SG").value(), "+6591234567");
        EXPECT_EQ(normalize_phone("9123 4567", "sg").value(), "+6591234567");
        EXPECT_EQ(normalize_phone("9123 4567", "US").error().code, "invalid_phone");
        EXPECT_EQ(normalize_phone("9123 4567", "").error().code, "invalid_region");
    }
}

TEST(IsKnownRegion, AcceptsIsoAlpha2CodesInAnyCase) {
    for (const char* region : {"SG", "sg", "In", "US", "GB", "DE"}) {
        EXPECT_TRUE(is_known_region(region)) << region;
    }
    for (const char* region : {"", "S", "XX", "ZZ", "UK", "SGP", "001", "S G"}) {
        EXPECT_FALSE(is_known_region(region)) << region;
    }
}

TEST(ParsePhoneList, TrimsSkipsBlanksKeepsOrderAndReportsEachInvalidItem) {
    const auto items = parse_phone_list(" 91234567, 81234567,,  ,12,+44 7400 123456,abc,", "SG");
    ASSERT_EQ(items.size(), 5u);
    EXPECT_EQ(items[0].input, "91234567");
    EXPECT_EQ(items[0].e164.value(), "+6591234567");
    EXPECT_EQ(items[1].input, "81234567");
    EXPECT_EQ(items[1].e164.value(), "+6581234567");
    EXPECT_EQ(items[2].input, "12");
    EXPECT_EQ(items[2].e164.error().code, "invalid_phone");
    EXPECT_NE(items[2].e164.error().message.find("\"12\""), std::string::npos);
    EXPECT_EQ(items[3].input, "+44 7400 123456");
    EXPECT_EQ(items[3].e164.value(), "+447400123456");
    EXPECT_EQ(items[4].input, "abc");
    EXPECT_EQ(items[4].e164.error().code, "invalid_phone");
}

TEST(ParsePhoneList, ReadsTheSeedFormat) {
    const auto items = parse_phone_list("91234567, 91234568,91234569", "SG");
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0].e164.value(), "+6591234567");
    EXPECT_EQ(items[1].e164.value(), "+6591234568");
    EXPECT_EQ(items[2].e164.value(), "+6591234569");
}

TEST(ParsePhoneList, ReportsTheRegionForEveryNationalItem) {
    const auto items = parse_phone_list("91234567,+65 9123 4568", "");
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].e164.error().code, "invalid_region");
    EXPECT_EQ(items[1].e164.value(), "+6591234568");
}

TEST(ParsePhoneList, GivesNothingForABlankList) {
    EXPECT_TRUE(parse_phone_list("", "SG").empty());
    EXPECT_TRUE(parse_phone_list(" , ,", "SG").empty());
}

}  // namespace
}  // namespace parley::core
