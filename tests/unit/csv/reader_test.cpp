#include "csv/reader.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "unit/csv/parse_helper.hpp"

namespace parley::csv {
namespace {

using namespace std::string_literals;
using testing::fixed_chunks;
using testing::parse;
using testing::Parsed;
using Rows = std::vector<std::vector<std::string>>;
using Numbers = std::vector<std::size_t>;

TEST(Reader, ReadsAPlainFileAndConsumesTheHeader) {
    Parsed p = parse("name,phone\nAda,+65 9988 5544\nBob,555\n");
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_EQ(p.header, (std::vector<std::string>{"name", "phone"}));
    EXPECT_EQ(p.records, (Rows{{"Ada", "+65 9988 5544"}, {"Bob", "555"}}));
    EXPECT_EQ(p.rows, (Numbers{2, 3}));
    EXPECT_EQ(p.lines, (Numbers{2, 3}));
    EXPECT_EQ(p.separator, ',');
    EXPECT_FALSE(p.bom);
}

TEST(Reader, LastRecordNeedsNoLineBreak) {
    Parsed p = parse("a,b\r\n1,2");
    EXPECT_EQ(p.records, (Rows{{"1", "2"}})) << p;
}

TEST(Reader, KeepsSpacesAndEmptyFieldsAsWritten) {
    Parsed p = parse("a,b,c\n  x , ,\n");
    EXPECT_EQ(p.records, (Rows{{"  x ", " ", ""}})) << p;
}

TEST(Reader, ReadsQuotedSeparatorsQuotesAndLineBreaks) {
    const std::string file =
        "name,note\r\n"
        "\"Lee, Ann\",\"said \"\"hi\"\"\"\r\n"
        "\"Multi\r\nline\",\"a\nb\nc\"\r\n"
        "\"\",\"\"\"\"\r\n"
        "last,row\r\n";
    Parsed p = parse(file);
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_EQ(p.records, (Rows{{"Lee, Ann", "said \"hi\""},
                               {"Multi\r\nline", "a\nb\nc"},
                               {"", "\""},
                               {"last", "row"}}));
    EXPECT_EQ(p.rows, (Numbers{2, 3, 4, 5}));
    // Row 3 spans lines 3 to 6 (one break in its first field, two in its second).
    EXPECT_EQ(p.lines, (Numbers{2, 3, 7, 8}));
}

TEST(Reader, AcceptsLfCrlfAndLoneCrMixed) {
    Parsed p = parse("a,b\n1,2\r\n3,4\r5,6\n\r\n7,8");
    EXPECT_EQ(p.records, (Rows{{"1", "2"}, {"3", "4"}, {"5", "6"}, {"7", "8"}})) << p;
    // The blank line 6 counts as a row (spreadsheets show it), and is skipped.
    EXPECT_EQ(p.rows, (Numbers{2, 3, 4, 6}));
    EXPECT_EQ(p.lines, (Numbers{2, 3, 4, 6}));
}

TEST(Reader, StripsTheBomAndDetectsSemicolonsWithCrlf) {
    Parsed p = parse("\xEF\xBB\xBFName;Phone;Note\r\nAda;+65 9988 5544;\"a;b, c\"\r\n");
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_TRUE(p.bom);
    EXPECT_EQ(p.separator, ';');
    EXPECT_EQ(p.header, (std::vector<std::string>{"Name", "Phone", "Note"}));
    EXPECT_EQ(p.records, (Rows{{"Ada", "+65 9988 5544", "a;b, c"}}));
}

TEST(Reader, ExcelSepLineSetsTheSeparatorAndIsNotARow) {
    Parsed p = parse("\xEF\xBB\xBFsep=;\r\nname;note\r\nAda;x,y\r\n");
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_EQ(p.separator, ';');
    EXPECT_EQ(p.header, (std::vector<std::string>{"name", "note"}));
    EXPECT_EQ(p.records, (Rows{{"Ada", "x,y"}}));
    EXPECT_EQ(p.rows, (Numbers{2}));
    EXPECT_EQ(p.lines, (Numbers{3}));

    // The sep= line wins over what the header would suggest.
    p = parse("SEP=,\nname;x,note\na;b,c\n");
    EXPECT_EQ(p.separator, ',') << p;
    EXPECT_EQ(p.records, (Rows{{"a;b", "c"}}));

    p = parse("sep=\t\nname\tnote\nAda\tx;y\n");
    EXPECT_EQ(p.separator, '\t') << p;
    EXPECT_EQ(p.records, (Rows{{"Ada", "x;y"}}));
}

TEST(Reader, HeaderLineDecidesTheSeparator) {
    struct Case {
        const char* file;
        char separator;
    };
    const Case cases[] = {
        {"a,b\n1,2\n", ','},
        {"a;b\n1;2\n", ';'},
        {"a\tb\n1\t2\n", '\t'},
        {"a;b,c\n", ','},           // a comma outside quotes wins
        {"\"x,y\";b\n1;2\n", ';'},  // commas inside quotes do not count
        {"\"x;y\"\tb\n", '\t'},     // nor do semicolons
        {"single\nvalue\n", ','},   // one column
        {"\n\n;;\na;b\n", ';'},     // blank lines before the header are skipped
        {"a;\"multi\nline, header\"\n", ';'},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(parse(c.file).separator, c.separator) << c.file;
    }
}

TEST(Reader, ForcedSeparatorOverridesDetection) {
    ReaderOptions options;
    options.separator = ';';
    Parsed p = parse("a,b;c\n1,2;3\n", {}, options);
    EXPECT_EQ(p.records, (Rows{{"1,2", "3"}})) << p;
}

TEST(Reader, SkipsBlankRowsButCountsThem) {
    Parsed p = parse("\n\na,b\n1,2\n,\n \t, \n\n3,4\n\"\",\"\"\n,\n\n\n");
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_EQ(p.records, (Rows{{"1", "2"}, {"3", "4"}}));
    EXPECT_EQ(p.rows, (Numbers{4, 8}));
    EXPECT_EQ(p.lines, (Numbers{4, 8}));
}

TEST(Reader, SemicolonBlankRowsAreSkippedToo) {
    Parsed p = parse("a;b\r\n1;2\r\n;\r\n;\r\n");
    EXPECT_EQ(p.records, (Rows{{"1", "2"}})) << p;
}

TEST(Reader, HeaderOnlyFileHasNoRecords) {
    Parsed p = parse("name,phone\r\n");
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_TRUE(p.records.empty());
    EXPECT_EQ(p.header.size(), 2u);
}

TEST(Reader, GetsFieldsByCanonicalName) {
    ColumnSpec spec{{"Phone Number", "Name"}, {"Email", "Region"}};
    Reader reader(spec);
    const std::string file =
        "\xEF\xBB\xBF  name ;PHONE   NUMBER;Department\r\nAda;+65 9988 5544;Ops\r\n";
    reader.feed(file);
    reader.finish();
    auto record = reader.next();
    ASSERT_TRUE(record && *record) << (record ? "end" : record.error().message);
    const Record& r = **record;
    EXPECT_EQ(r.get("Phone Number"), "+65 9988 5544");
    EXPECT_EQ(r.get("phone number"), "+65 9988 5544");
    EXPECT_EQ(r.get("Name"), "Ada");
    EXPECT_EQ(r.get("department"), "Ops");  // an unknown column, by its header name
    EXPECT_EQ(r.get("Email"), std::nullopt);
    EXPECT_EQ(r.get("nope"), std::nullopt);
    ASSERT_NE(reader.header(), nullptr);
    EXPECT_EQ(reader.header()->unknown(), (std::vector<std::size_t>{2}));
    auto end = reader.next();
    ASSERT_TRUE(end);
    EXPECT_EQ(*end, nullptr);
}

TEST(Reader, RowLengthMismatchIsAPerRowErrorAndReadingGoesOn) {
    Parsed p = parse("a,b,c\n1,2,3\n1,2\n1,2,3,4\n5,6,7\n");
    EXPECT_EQ(p.fatal_code, "") << p;
    EXPECT_EQ(p.records.size(), 4u);
    EXPECT_EQ(p.row_errors, (std::vector<std::string>{"", "csv_row_length", "csv_row_length", ""}));
    EXPECT_EQ(p.records[3], (std::vector<std::string>{"5", "6", "7"}));

    Reader reader;
    reader.feed("a,b,c\n1,2\n");
    reader.finish();
    auto r = reader.next();
    ASSERT_TRUE(r && *r);
    ASSERT_NE((*r)->error(), nullptr);
    EXPECT_EQ((*r)->error()->kind, ErrorKind::invalid);
    EXPECT_EQ((*r)->error()->message, "Row 2 has 2 values but the header has 3 columns.");
    EXPECT_EQ((*r)->size(), 2u);  // still readable, for the error log
}

// The file of the chunking tests: every feature, and line breaks inside quotes.
std::string tricky_file() {
    return "\xEF\xBB\xBFsep=;\r\n"
           "Name;Phone;Note\r\n"
           "\"Lee; Ann\";+65 9988 5544;\"line one\r\nline two\"\r\n"
           "\r\n"
           "B\xC3\xB6rk;00 41 79;\"\"\"quoted\"\"\nand \xF0\x9F\x98\x80\"\r\n"
           ";;\n"
           "short;row\n"
           "\"\";\"\";\"\r\n\"\r"
           "end;x;\"y\"";
}

TEST(Reader, SameResultWhateverTheChunkSizes) {
    const std::string file = tricky_file();
    const Parsed whole = parse(file);
    ASSERT_EQ(whole.fatal_code, "") << whole;
    ASSERT_EQ(whole.records.size(), 5u) << whole;
    EXPECT_EQ(whole.records[0][2], "line one\r\nline two");
    EXPECT_EQ(whole.records[1][2], "\"quoted\"\nand \xF0\x9F\x98\x80");
    EXPECT_EQ(whole.row_errors[2], "csv_row_length");
    EXPECT_EQ(whole.records[3], (std::vector<std::string>{"", "", "\r\n"}));
    EXPECT_EQ(whole.rows, (Numbers{2, 4, 6, 7, 8}));
    EXPECT_EQ(whole.lines, (Numbers{3, 6, 9, 10, 12}));

    EXPECT_EQ(parse(file, {}, {}, fixed_chunks(1)), whole);
    EXPECT_EQ(parse(file, {}, {}, fixed_chunks(2)), whole);
    EXPECT_EQ(parse(file, {}, {}, fixed_chunks(7)), whole);
    std::mt19937 random(42);
    for (int run = 0; run < 200; ++run) {
        std::uniform_int_distribution<std::size_t> size(1, 1 + run % 40);
        EXPECT_EQ(parse(file, {}, {}, [&] { return size(random); }), whole) << run;
    }
}

TEST(Reader, ChunkingDoesNotChangeErrors) {
    const std::string bad[] = {
        "a,b\n1,2\n3,\"x\"y\n5,6\n",
        "a,b\n1,2\n\"3\n,4\n",
        "a,b\n1,\"\xC3\x28\"\n",
        "a,b\n1,2\n3,\0\n"s,
    };
    for (const auto& file : bad) {
        const Parsed whole = parse(file);
        EXPECT_NE(whole.fatal_code, "") << file;
        EXPECT_EQ(parse(file, {}, {}, fixed_chunks(1)), whole) << file;
        EXPECT_EQ(parse(file, {}, {}, fixed_chunks(3)), whole) << file;
    }
}

TEST(StreamReader, ReadsFromAStream) {
    std::istringstream in(tricky_file());
    StreamReader reader(in, {{"phone"}, {"name"}});
    auto header = reader.header();
    ASSERT_TRUE(header) << header.error().message;
    EXPECT_EQ((*header)->size(), 3u);
    std::vector<std::string> phones;
    while (true) {
        auto record = reader.next();
        ASSERT_TRUE(record) << record.error().message;
        if (*record == nullptr) break;
        phones.emplace_back((*record)->get("phone").value_or("?"));
    }
    EXPECT_EQ(phones, (std::vector<std::string>{"+65 9988 5544", "00 41 79", "row", "", "x"}));
}

TEST(StreamReader, FailsOnAStreamError) {
    std::istringstream in("a,b\n1,2\n");
    in.setstate(std::ios::badbit);
    StreamReader reader(in);
    auto header = reader.header();
    ASSERT_FALSE(header);
    EXPECT_EQ(header.error().code, "csv_read_failed");
}

}  // namespace
}  // namespace parley::csv
