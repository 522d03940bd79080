// The main() of every fuzz target (tests/fuzz/<name>.cpp defines LLVMFuzzerTestOneInput, the
// libFuzzer interface). With no arguments it runs one input from standard input: the way
// afl-fuzz runs a target (scripts/fuzz). With files or directories it runs each file once:
// the way ctest replays the seed corpus and the crashes found before (tests/fuzz/corpus), so a
// parser that breaks on one of them fails the build's tests, not only a fuzzing session.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& bytes) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::string read(std::istream& in) { return std::string((std::istreambuf_iterator<char>(in)), {}); }

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        run(read(std::cin));
        return 0;
    }
    std::size_t files = 0;
    for (int i = 1; i < argc; ++i) {
        std::vector<std::filesystem::path> inputs;
        if (std::filesystem::is_directory(argv[i])) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i])) {
                if (entry.is_regular_file()) inputs.push_back(entry.path());
            }
        } else {
            inputs.emplace_back(argv[i]);
        }
        for (const auto& path : inputs) {
            std::ifstream in(path, std::ios::binary);
            if (!in) {
                std::cerr << "cannot read " << path << "\n";
                return 2;
            }
            run(read(in));
            ++files;
        }
    }
    std::cout << files << " inputs ran without a failure\n";
    return files > 0 ? 0 : 2;  // an empty corpus proves nothing
}
