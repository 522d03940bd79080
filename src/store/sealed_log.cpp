#include "store/sealed_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <utility>

namespace parley::store {
namespace {

constexpr std::size_t kLengthBytes = 4;

std::unexpected<Error> unwritable() {
    return fail(ErrorKind::internal, "file_unwritable", "A file cannot be written.");
}

// The record's place is part of what it is sealed with.
std::string record_ad(std::string_view associated_data, std::uint64_t index) {
    return std::string(associated_data) + "#" + std::to_string(index);
}

}  // namespace

SealedLogWriter::SealedLogWriter(std::filesystem::path path, int fd, const crypto::DataKey& key,
                                 std::string associated_data)
    : path_(std::move(path)), fd_(fd), key_(key), associated_data_(std::move(associated_data)) {}

SealedLogWriter::~SealedLogWriter() { ::close(fd_); }

Result<std::unique_ptr<SealedLogWriter>> SealedLogWriter::create(const std::filesystem::path& path,
                                                                 const crypto::DataKey& key,
                                                                 std::string associated_data) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return unwritable();
    return std::unique_ptr<SealedLogWriter>(
        new SealedLogWriter(path, fd, key, std::move(associated_data)));
}

Result<void> SealedLogWriter::append(std::string_view bytes) {
    if (bytes.empty()) return ok();
    const std::string sealed = crypto::seal(key_, bytes, record_ad(associated_data_, records_));
    std::string record(kLengthBytes, '\0');
    for (std::size_t i = 0; i < kLengthBytes; ++i) {
        record[i] = static_cast<char>((sealed.size() >> (8 * (kLengthBytes - 1 - i))) & 0xff);
    }
    record += sealed;
    // One write() of the whole record where the system allows, so that a reader sees it whole
    // or not at all; a short write is continued.
    std::string_view rest = record;
    while (!rest.empty()) {
        const ssize_t n = ::write(fd_, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return unwritable();
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ++records_;
    return ok();
}

Result<std::string> read_sealed_log(const std::filesystem::path& path, const crypto::DataKey& key,
                                    std::string_view associated_data) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorKind::not_found, "file_not_found", "No such file.");
    const std::string file((std::istreambuf_iterator<char>(in)), {});
    if (in.bad()) {
        return fail(ErrorKind::internal, "file_unreadable", "A stored file cannot be read.");
    }
    std::string plain;
    std::size_t at = 0;
    for (std::uint64_t index = 0;; ++index) {
        if (file.size() - at < kLengthBytes) break;  // the end, or a length cut off
        std::size_t length = 0;
        for (std::size_t i = 0; i < kLengthBytes; ++i) {
            length = (length << 8) | static_cast<unsigned char>(file[at + i]);
        }
        if (file.size() - at - kLengthBytes < length) break;  // a record cut off by a crash
        PARLEY_TRY_ASSIGN(
            auto record, crypto::open(key, std::string_view(file).substr(at + kLengthBytes, length),
                                      record_ad(associated_data, index)));
        plain += record;
        at += kLengthBytes + length;
    }
    return plain;
}

}  // namespace parley::store
