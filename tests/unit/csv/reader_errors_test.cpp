// Bad input for csv::Reader: every fatal error, where it says it is, and its limits.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "csv/reader.hpp"
#include "unit/csv/parse_helper.hpp"

namespace parley::csv {
namespace {

using namespace std::string_literals;
using testing::parse;
using testing::Parsed;

void expect_at(const Parsed& p, std::size_t row, std::size_t line, std::size_t column) {
    EXPECT_EQ(p.where.row, row) << p;
    EXPECT_EQ(p.where.line, line) << p;
    EXPECT_EQ(p.where.column, column) << p;
}

TEST(ReaderErrors, BrokenQuotingIsMalformedWithItsPlace) {
    struct Case {
        std::string file;
        std::size_t row, line, column;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"a,b\n1,x\"y\n", 2, 2, 2, "inside a value that does not start with one"},
        {"a,b\n1,\"x\"y\n", 2, 2, 2, "text after a closing quote"},
        {"a,b\n1, \"x\"\n", 2, 2, 2, "inside a value that does not start with one"},
        {"a,b\n1,\"x\" \n", 2, 2, 2, "text after a closing quote"},
        {"a,b\n1,2\n\"open\nstill,open\n", 3, 3, 1, "never closed"},
        {"a,b\n1,\"open", 2, 2, 2, "never closed"},
        {"a,b\n\"x\ny\",\"p\"q\n", 2, 3, 2, "text after a closing quote"},
        {"a,b\n1,\"x\ny\"z\n", 2, 3, 2, "text after a closing quote"},
        {"a\"b,c\n", 1, 1, 1, "inside a value that does not start with one"},
        {"\n\na,b\r\n1,2\r\n3,4\"\r\n", 5, 5, 2, "inside a value"},
    };
    for (const auto& c : cases) {
        Parsed p = parse(c.file);
        EXPECT_EQ(p.fatal_code, "csv_malformed") << c.file;
        expect_at(p, c.row, c.line, c.column);
        EXPECT_NE(p.fatal_message.find(c.says), std::string::npos) << p.fatal_message;
        EXPECT_NE(
            p.fatal_message.find("Row " + std::to_string(c.row) + " (line " +
                                 std::to_string(c.line) + "), column " + std::to_string(c.column)),
            std::string::npos)
            << p.fatal_message;
    }
}

TEST(ReaderErrors, RecordsBeforeAFatalErrorAreDeliveredThenTheErrorSticks) {
    Reader reader;
    reader.feed("a,b\n1,2\n3,\"x\"y\n5,6\n");
    reader.finish();
    auto first = reader.next();
    ASSERT_TRUE(first && *first);
    EXPECT_EQ((**first)[0], "1");
    for (int i = 0; i < 2; ++i) {
        auto next = reader.next();
        ASSERT_FALSE(next);
        EXPECT_EQ(next.error().code, "csv_malformed");
        EXPECT_EQ(next.error().kind, ErrorKind::bad_request);
    }
    EXPECT_FALSE(reader.wants_input());
}

TEST(ReaderErrors, BinaryFilesAreNotText) {
    const std::string files[] = {
        "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10"s,   // an image
        "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0"s,       // .xlsx (a zip)
        "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0"s,  // .xls
        "\xEF\xBB\xBFname,phone\n\0\0\0\0"s,          // NUL after a BOM
        "\x01\x02\x03"s,                              // control bytes only
        "name,phone\n" + std::string(900, 'x') +
            "\x01\x02\x03\x04\x05\x06\x07\x08\x0b"
            "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16",  // 18 controls in the first KiB
    };
    for (const auto& file : files) {
        Parsed p = parse(file);
        EXPECT_EQ(p.fatal_code, "csv_not_text") << p;
        EXPECT_TRUE(p.records.empty());
        EXPECT_NE(p.fatal_message.find("This is not a CSV file"), std::string::npos);
    }
}

TEST(ReaderErrors, AFewControlCharactersAreStillText) {
    const std::string file =
        "name,note\n" + std::string(1000, 'x') + ",\x01\x02\x03\x04\x05\x06\x07\x08\n";
    Parsed p = parse(file);
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_EQ(p.records.size(), 1u);
}

TEST(ReaderErrors, ANulByteAnywhereIsNotText) {
    std::string file = "name,note\n";
    for (int i = 0; i < 100; ++i) file += "someone,something\n";
    file += "x,a\0b\n"s;
    Parsed p = parse(file);
    EXPECT_EQ(p.fatal_code, "csv_not_text") << p;
    EXPECT_EQ(p.records.size(), 100u);
    expect_at(p, 102, 102, 2);
    EXPECT_NE(p.fatal_message.find("Row 102, column 2 contains a NUL byte"), std::string::npos)
        << p.fatal_message;
}

TEST(ReaderErrors, InvalidUtf8IsRejectedWithRowAndColumn) {
    const std::string bad[] = {
        "\x80",              // a continuation byte alone
        "\xBF",              //
        "\xC0\x80",          // overlong NUL
        "\xC1\xBF",          // overlong
        "\xE0\x80\x80",      // overlong
        "\xE0\x9F\xBF",      // overlong (U+07FF in three bytes)
        "\xF0\x80\x80\x80",  // overlong
        "\xF0\x8F\xBF\xBF",  // overlong (U+FFFF in four bytes)
        "\xED\xA0\x80",      // surrogate U+D800
        "\xED\xBF\xBF",      // surrogate U+DFFF
        "\xF4\x90\x80\x80",  // U+110000
        "\xF5\x80\x80\x80",  // past U+10FFFF
        "\xFE",              //
        "\xFF",              //
        "\xC3",              // truncated at the end of the field
        "\xE2\x82",          // truncated
        "\xF0\x9F\x98",      // truncated
        "\xC3x",             // a continuation byte missing
        "\xE2\x28\xA1",      //
        "caf\xE9",           // Latin-1, the usual culprit
        "ok\xC3\xA9\x80",    // a good character, then a stray byte
    };
    for (const auto& seq : bad) {
        Parsed p = parse("name,note\nok,fine\nx," + seq + "\n");
        EXPECT_EQ(p.fatal_code, "csv_not_utf8") << seq;
        EXPECT_EQ(p.fatal_message,
                  "Row 3, column 2 is not UTF-8 text: save the file as 'CSV UTF-8'.");
        expect_at(p, 3, 3, 2);
        EXPECT_EQ(p.records.size(), 1u);
    }
}

TEST(ReaderErrors, ValidUtf8Passes) {
    const std::string good[] = {
        "\xC2\x80",          // U+0080
        "\xDF\xBF",          // U+07FF
        "\xE0\xA0\x80",      // U+0800
        "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
        "\xEE\x80\x80",      // U+E000, just above
        "\xEF\xBF\xBF",      // U+FFFF
        "\xF0\x90\x80\x80",  // U+10000
        "\xF4\x8F\xBF\xBF",  // U+10FFFF
        "\xEF\xBB\xBF",      // a BOM inside a field is a character like any other
        "Bj\xC3\xB6rk \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80",
    };
    for (const auto& seq : good) {
        Parsed p = parse("name,note\nx," + seq + "\n");
        EXPECT_EQ(p.fatal_code, "") << seq;
        ASSERT_EQ(p.records.size(), 1u);
        EXPECT_EQ(p.records[0][1], seq);
    }
}

TEST(ReaderErrors, InvalidUtf8InTheHeaderOrAMultiLineField) {
    Parsed header = parse("na\xE9me,note\nx,y\n");
    EXPECT_EQ(header.fatal_code, "csv_not_utf8");
    expect_at(header, 1, 1, 1);

    Parsed multi = parse("a,b\n1,\"x\ny\xFF\"\n");
    EXPECT_EQ(multi.fatal_code, "csv_not_utf8");
    expect_at(multi, 2, 3, 2);
}

TEST(ReaderErrors, EmptyFilesHaveNoHeader) {
    for (std::string file : {""s, "\n\n"s, "\xEF\xBB\xBF"s, ",,\r\n, ,\r\n"s, "sep=;\n"s}) {
        Parsed p = parse(file);
        EXPECT_EQ(p.fatal_code, "csv_empty") << file;
    }
}

TEST(ReaderErrors, HeaderErrorsAreFatalAtRowOne) {
    Parsed missing = parse("Name,Region\nAda,SG\n", {{"Phone Number", "Name", "Email"}, {}});
    EXPECT_EQ(missing.fatal_code, "csv_missing_columns") << missing;
    EXPECT_TRUE(missing.records.empty());
    expect_at(missing, 1, 1, 0);
    EXPECT_NE(missing.fatal_message.find("\"Phone Number\", \"Email\""), std::string::npos)
        << missing.fatal_message;

    Parsed duplicate = parse("\n\nName,phone,PHONE \nAda,1,2\n");
    EXPECT_EQ(duplicate.fatal_code, "csv_duplicate_columns") << duplicate;
    expect_at(duplicate, 3, 3, 0);
}

TEST(ReaderErrors, FieldRecordAndColumnCaps) {
    ReaderOptions small;
    small.max_field_bytes = 16;
    small.max_record_bytes = 40;
    small.max_columns = 4;

    Parsed ok = parse("a,b,c\n" + std::string(16, 'x') + ",\"" + std::string(16, 'y') + "\",z\n",
                      {}, small);
    EXPECT_EQ(ok.fatal_code, "") << ok;

    Parsed field = parse("a,b\n1,\"" + std::string(17, 'y') + "\"\n", {}, small);
    EXPECT_EQ(field.fatal_code, "csv_too_large") << field;
    EXPECT_EQ(field.fatal_message, "Row 2, column 2 is longer than 16 bytes.");
    expect_at(field, 2, 2, 2);

    Parsed record = parse("a,b,c\n" + std::string(15, 'x') + "," + std::string(15, 'x') + "," +
                              std::string(15, 'x') + "\n",
                          {}, small);
    EXPECT_EQ(record.fatal_code, "csv_too_large") << record;
    EXPECT_EQ(record.fatal_message, "Row 2 is longer than 40 bytes.");

    Parsed columns = parse("a,b,c,d,e\n", {}, small);
    EXPECT_EQ(columns.fatal_code, "csv_too_large") << columns;
    EXPECT_EQ(columns.fatal_message, "Row 1 has more than 4 columns.");
}

// A field that never ends must fail after about max_field_bytes of input, not grow with the
// file: the reader caps libcsv's buffer between pieces.
TEST(ReaderErrors, AnEndlessFieldFailsEarly) {
    ReaderOptions options;  // 64 KiB per field
    Reader reader({}, options);
    const std::string head = "name,note\nAda,\"";
    const std::string block(4096, 'z');
    std::size_t fed = 0;
    std::string error;
    reader.feed(head);
    fed += head.size();
    while (fed < 8 * 1024 * 1024 && error.empty()) {
        auto record = reader.next();
        if (!record) {
            error = record.error().code;
            break;
        }
        ASSERT_EQ(*record, nullptr);
        ASSERT_TRUE(reader.wants_input());
        reader.feed(block);
        fed += block.size();
    }
    EXPECT_EQ(error, "csv_too_large");
    EXPECT_LT(fed, options.max_field_bytes + 64 * 1024);
}

}  // namespace
}  // namespace parley::csv
