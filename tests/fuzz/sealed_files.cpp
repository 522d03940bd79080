// What the server reads back from its own disk, as if someone had put any bytes there: a sealed
// file (attachment blobs, job files) and a sealed log (an import's error-log draft). They must
// be refused (decrypt_failed) or read, never crash or read past their end.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "crypto/init.hpp"
#include "store/sealed_file.hpp"
#include "store/sealed_log.hpp"

namespace {

const parley::crypto::DataKey& key() {
    static const auto k = [] {
        parley::crypto::init();
        return *parley::crypto::DataKey::from_bytes(std::string(32, '\x2a'));
    }();
    return k;
}

std::filesystem::path scratch() {
    static const auto path = std::filesystem::temp_directory_path() /
                             ("parley-fuzz-sealed-" + std::to_string(::getpid()));
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    {
        std::ofstream out(scratch(), std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    (void)parley::store::read_sealed(scratch(), key(), "fuzz");
    (void)parley::store::read_sealed_log(scratch(), key(), "fuzz");
    std::filesystem::remove(scratch());
    return 0;
}
