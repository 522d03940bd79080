// The CSV reader on any bytes, fed in pieces. Besides not crashing, two readings must agree:
// the whole input in one piece, and the same input cut into pieces at places the input's first
// byte chooses (the reader keeps views into the caller's chunks and carries partial records
// across them, which is where bugs would hide). Any difference aborts.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "csv/reader.hpp"

namespace {

// What a reading produced, as one string: every record (row, fields, row error) and the end.
std::string transcript(std::string_view input, std::size_t piece) {
    parley::csv::Reader reader({{"Phone Number"}, {"Name", "Email"}},
                               {std::nullopt, 256, 4096, 16});
    std::string out;
    std::size_t at = 0;
    for (;;) {
        auto next = reader.next();
        if (!next) {
            const auto& where = reader.error_location();
            return out + "fatal " + next.error().code + " at " + std::to_string(where.row) + ":" +
                   std::to_string(where.line) + ":" + std::to_string(where.column) + "\n";
        }
        if (*next) {
            const auto& record = **next;
            out += "row " + std::to_string(record.row()) + " line " + std::to_string(record.line());
            if (record.error()) out += " error " + record.error()->code;
            for (auto field : record.fields()) {
                out += " [" + std::string(field) + "]";
            }
            out += "\n";
            continue;
        }
        if (!reader.wants_input()) return out + "end\n";
        if (at >= input.size()) {
            reader.finish();
            continue;
        }
        const std::size_t n = std::min(piece, input.size() - at);
        reader.feed(input.substr(at, n));
        at += n;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::size_t piece = 1 + data[0] % 64;
    const std::string whole = transcript(input, input.size() + 1);
    const std::string pieces = transcript(input, piece);
    if (whole != pieces) {
        std::cerr << "read whole:\n" << whole << "read in pieces of " << piece << ":\n" << pieces;
        std::abort();
    }
    return 0;
}
