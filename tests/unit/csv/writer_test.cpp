#include "csv/writer.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "csv/reader.hpp"

namespace parley::csv {
namespace {

std::string write(const std::vector<std::vector<std::string>>& rows, WriterOptions options = {}) {
    std::ostringstream out;
    {
        Writer writer(out, options);
        for (const auto& row : rows) writer.write_row(row);
        EXPECT_TRUE(writer.flush());
    }
    return out.str();
}

std::string cell(const std::string& value, WriterOptions options = {}) {
    std::string line = write({{value}}, options);
    EXPECT_TRUE(line.ends_with("\r\n")) << line;
    return line.substr(0, line.size() - 2);
}

TEST(Writer, QuotesOnlyWhatMustBeQuoted) {
    struct Case {
        std::string in, out;
    };
    const Case cases[] = {
        {"plain", "plain"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"line\nbreak", "\"line\nbreak\""},
        {"cr\r", "\"cr\r\""},
        {" lead", "\" lead\""},
        {"trail ", "\"trail \""},
        {"in side", "in side"},
        {"a;b", "a;b"},
        {"", "\"\""},  // a row of one empty field must not become a blank line
        {"caf\xC3\xA9", "caf\xC3\xA9"},
    };
    for (const auto& c : cases) EXPECT_EQ(cell(c.in), c.out) << c.in;

    WriterOptions semicolons;
    semicolons.separator = ';';
    EXPECT_EQ(cell("a;b", semicolons), "\"a;b\"");
    EXPECT_EQ(cell("a,b", semicolons), "a,b");
}

TEST(Writer, WritesCrlfRowsAndAnOptionalBom) {
    EXPECT_EQ(write({{"a", "b"}, {"1", ""}, {}}), "a,b\r\n1,\r\n\r\n");
    WriterOptions bom;
    bom.bom = true;
    bom.separator = ';';
    EXPECT_EQ(write({{"a", "b"}, {"1", "2"}}, bom),
              "\xEF\xBB\xBF"
              "a;b\r\n1;2\r\n");
    EXPECT_EQ(write({}, bom), "");
}

TEST(Writer, GuardsAgainstFormulaInjection) {
    struct Case {
        std::string in, out;
    };
    const Case cases[] = {
        {"=1+1", "'=1+1"},
        {"=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\tx", "\"'\tx\""},
        {"\rx", "\"'\rx\""},
        {"+SUM(A1)", "'+SUM(A1)"},
        {"-2+3", "'-2+3"},
        {"-1e5", "'-1e5"},
        {"+65,9988", "\"'+65,9988\""},
        {"-", "'-"},
        {"+", "'+"},
        {"+ ()", "'+ ()"},
        // Numbers and phone numbers stay as they are.
        {"+65 9988 5544", "+65 9988 5544"},
        {"+1 (555) 123-4567", "+1 (555) 123-4567"},
        {"-12.5", "-12.5"},
        {"+41.79.555.00.11", "+41.79.555.00.11"},
        {"-(3)", "-(3)"},
        // Only the first character matters.
        {"a=b", "a=b"},
        {" =1", "\" =1\""},
        {"1+1", "1+1"},
        // A value that starts with ' before a formula is guarded too, so that the guard can
        // be told from the value when the file is read back (unguard_formula).
        {"'=1", "''=1"},
        {"''@x", "'''@x"},
        {"'plain", "'plain"},
        {"'", "'"},
        {"'+65 9988 5544", "'+65 9988 5544"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(cell(c.in), c.out) << c.in;
        EXPECT_EQ(needs_formula_guard(c.in), c.out != c.in && c.out != "\"" + c.in + "\"") << c.in;
    }
    WriterOptions off;
    off.guard_formulas = false;
    EXPECT_EQ(cell("=1+1", off), "=1+1");
    EXPECT_EQ(cell("@x", off), "@x");
}

// Writes tricky values and reads them back with csv::Reader: the same fields come out.
void expect_round_trip(WriterOptions options) {
    const std::vector<std::string> values = {
        "",
        " ",
        "a,b",
        "a;b",
        "\"",
        "\"\"",
        "x\ny",
        "x\r\ny",
        "\r",
        "\n",
        "trail ",
        " lead",
        "tab\t",
        "\"quoted\"",
        "a\"b",
        "Bj\xC3\xB6rk \xF0\x9F\x98\x80",
        "+65 9988 5544",
        "=1+1",
        "@me",
        "-x",
        "\xEF\xBB\xBF"
        "bom inside",
        std::string(5000, 'w'),
    };
    std::vector<std::vector<std::string>> rows = {{"id", "value", "other"}};
    for (std::size_t i = 0; i < values.size(); ++i) {
        rows.push_back({std::to_string(i), values[i], values[values.size() - 1 - i]});
    }
    const std::string file = write(rows, options);

    Reader reader;
    reader.feed(file);
    reader.finish();
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto record = reader.next();
        ASSERT_TRUE(record) << record.error().message;
        ASSERT_NE(*record, nullptr) << i;
        auto expected = [&](const std::string& v) {
            return options.guard_formulas && needs_formula_guard(v) ? "'" + v : v;
        };
        EXPECT_EQ((*record)->get("id"), std::to_string(i));
        EXPECT_EQ((*record)->get("value"), expected(values[i])) << i;
        EXPECT_EQ((*record)->get("other"), expected(values[values.size() - 1 - i])) << i;
    }
    auto end = reader.next();
    ASSERT_TRUE(end);
    EXPECT_EQ(*end, nullptr);
    EXPECT_EQ(reader.separator(), options.separator);
    EXPECT_EQ(reader.had_bom(), options.bom);
}

TEST(Writer, RoundTripsThroughTheReader) {
    WriterOptions plain;
    plain.guard_formulas = false;
    expect_round_trip(plain);
}

TEST(Writer, RoundTripsWithGuardSemicolonsAndBom) {
    WriterOptions excel;
    excel.separator = ';';
    excel.bom = true;
    expect_round_trip(excel);
    expect_round_trip(WriterOptions{});
}

// What an import reads back is what was exported, whatever the value starts with.
TEST(Writer, UnguardInvertsTheGuard) {
    for (std::string value :
         {"=1+1", "'=1+1", "''=1", "@me", "'@me", "-x", "'-x", "+SUM(A1)", "-12.5", "'-12.5",
          "'plain", "''", "'", "", "plain", "+65 9988 5544", "\tx", "'\rx"}) {
        const std::string written = needs_formula_guard(value) ? "'" + value : value;
        EXPECT_EQ(unguard_formula(written), value) << value;
    }
    // A cell nobody guarded keeps its leading quote unless a formula follows it.
    EXPECT_EQ(unguard_formula("'hello"), "'hello");
    EXPECT_EQ(unguard_formula("'=x"), "=x");
}

TEST(Writer, StreamsToASinkInBlocks) {
    std::vector<std::size_t> blocks;
    std::string all;
    {
        Writer writer([&](std::string_view bytes) {
            blocks.push_back(bytes.size());
            all += bytes;
        });
        for (int i = 0; i < 10000; ++i) writer.write_row({"someone", std::to_string(i)});
        EXPECT_GE(blocks.size(), 2u);  // handed on before the end, not held whole
        for (std::size_t size : blocks) {
            EXPECT_GE(size, Writer::kFlushBytes);
            EXPECT_LT(size, Writer::kFlushBytes + 100);
        }
    }  // the destructor flushes the rest
    EXPECT_TRUE(all.starts_with("someone,0\r\nsomeone,1\r\n"));
    EXPECT_TRUE(all.ends_with("someone,9999\r\n"));
}

TEST(Writer, ReportsAFailedStream) {
    std::ostringstream out;
    out.setstate(std::ios::badbit);
    Writer writer(out);
    writer.write_row({"a"});
    auto flushed = writer.flush();
    ASSERT_FALSE(flushed);
    EXPECT_EQ(flushed.error().code, "csv_write_failed");
}

}  // namespace
}  // namespace parley::csv
