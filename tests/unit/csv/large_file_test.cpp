// A 100,000-row import read through a stream generated on the fly: the reader must get through it
// with memory bounded by its blocks and records, not by the file, and validate() must find
// errors deep in it. Counts live heap bytes by replacing the global operator new (this binary
// only).

#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <new>
#include <streambuf>
#include <string>

#include "csv/reader.hpp"

namespace {

std::atomic<std::size_t> live_bytes{0};
std::atomic<std::size_t> peak_bytes{0};

void* counted_alloc(std::size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    const std::size_t now = live_bytes += malloc_usable_size(p);
    std::size_t peak = peak_bytes.load();
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
    }
    return p;
}

void counted_free(void* p) {
    if (p == nullptr) return;
    live_bytes -= malloc_usable_size(p);
    std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace parley::csv {
namespace {

// An istream's buffer that makes up a CSV file row by row, so the file never exists whole.
class GeneratedFile : public std::streambuf {
public:
    GeneratedFile(std::string header, std::size_t rows, std::function<std::string(std::size_t)> row)
        : line_(std::move(header)), rows_(rows), row_(std::move(row)) {
        setg(line_.data(), line_.data(), line_.data() + line_.size());
    }

    std::size_t bytes() const { return bytes_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        bytes_ += line_.size();
        if (next_ == rows_) return traits_type::eof();
        line_ = row_(next_++);
        setg(line_.data(), line_.data(), line_.data() + line_.size());
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string line_;
    std::size_t rows_;
    std::size_t next_ = 0;
    std::size_t bytes_ = 0;
    std::function<std::string(std::size_t)> row_;
};

constexpr std::size_t kRows = 100000;

std::string person(std::size_t i) {
    const std::string n = std::to_string(i);
    return "+65 9" + std::string(7 - n.size(), '0') + n + ",\"Person " + n + ", \"\"P\"\"\"," +
           "p" + n + "@example.com,\"Ops\nEast\"\r\n";
}

const ColumnSpec kSpec{{"Phone Number", "Name"}, {"Email", "Department"}};

TEST(LargeFile, HundredThousandRowsInBoundedMemory) {
    GeneratedFile file("Phone Number,Name,Email,Department\r\n", kRows, person);
    std::istream in(&file);
    StreamReader reader(in, kSpec);
    const std::size_t before = live_bytes.load();
    peak_bytes = before;

    std::size_t records = 0;
    std::size_t checked = 0;
    while (true) {
        auto record = reader.next();
        ASSERT_TRUE(record) << record.error().message;
        if (*record == nullptr) break;
        const Record& r = **record;
        if (r.row() != records + 2 || r.error() != nullptr) break;
        if (r.get("Name") == "Person " + std::to_string(records) + ", \"P\"" &&
            r.get("Department") == "Ops\nEast") {
            ++checked;
        }
        ++records;
    }
    const std::size_t peak = peak_bytes.load() - before;

    EXPECT_EQ(records, kRows);
    EXPECT_EQ(checked, kRows);
    EXPECT_EQ(reader.reader().rows(), kRows + 1);
    EXPECT_GT(file.bytes(), 6'000'000u);
    // The 64 KiB block, a 16 KiB prefix and one piece's records; nowhere near the 6 MB file.
    EXPECT_LT(peak, 512u * 1024) << "peak heap growth while parsing: " << peak;
    std::cout << "[ measured ] peak heap growth " << peak << " bytes for " << file.bytes()
              << " bytes of CSV\n";
}

// A caller may feed a whole file in one chunk: the reader still queues only a piece's worth.
TEST(LargeFile, OneHugeChunkIsParsedPieceByPiece) {
    std::string file = "Phone Number,Name,Email,Department\r\n";
    for (std::size_t i = 0; i < kRows; ++i) file += person(i);
    Reader reader(kSpec);
    const std::size_t before = live_bytes.load();
    peak_bytes = before;
    reader.feed(file);
    reader.finish();
    std::size_t records = 0;
    while (true) {
        auto record = reader.next();
        ASSERT_TRUE(record) << record.error().message;
        if (*record == nullptr) break;
        ++records;
    }
    const std::size_t peak = peak_bytes.load() - before;
    EXPECT_EQ(records, kRows);
    EXPECT_LT(peak, 512u * 1024) << "peak heap growth while parsing: " << peak;
}

TEST(LargeFile, ValidateCountsRowsAndRowErrors) {
    GeneratedFile file(
        "Phone Number,Name,Email,Department,Employee ID\r\n", kRows, [](std::size_t i) {
            std::string row = person(i);
            row.insert(row.size() - 2, i % 1000 == 7 ? "" : ",E" + std::to_string(i));
            return row;
        });
    std::istream in(&file);
    auto summary = validate(in, kSpec);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->records, kRows);
    EXPECT_EQ(summary->row_errors, kRows / 1000);
    EXPECT_EQ(summary->rows, kRows + 1);
    EXPECT_EQ(summary->separator, ',');
    EXPECT_EQ(summary->unknown_columns, (std::vector<std::string>{"Employee ID"}));
}

TEST(LargeFile, ValidateFindsBadUtf8DeepInTheFile) {
    GeneratedFile file("Phone Number,Name,Email,Department\r\n", kRows, [](std::size_t i) {
        return i == 54321 ? "+65 1,Caf\xE9,x,y\r\n" : person(i);
    });
    std::istream in(&file);
    Location where;
    auto summary = validate(in, kSpec, {}, &where);
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().code, "csv_not_utf8");
    EXPECT_EQ(summary.error().message,
              "Row 54323, column 2 is not UTF-8 text: save the file as 'CSV UTF-8'.");
    EXPECT_EQ(where.row, 54323u);
    EXPECT_EQ(where.line, 1 + 2 * 54321 + 1u);  // each generated person spans two lines
    EXPECT_EQ(where.column, 2u);
}

}  // namespace
}  // namespace parley::csv
