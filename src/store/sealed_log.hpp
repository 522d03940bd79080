#pragma once
// An append-only file of sealed records, for a file that must be readable while it is still
// being written: an import's error log, which admins follow while the job runs. (A sealed file,
// sealed_file.hpp, opens only once finished.) Each append() is one record: its length, then
// its bytes sealed under the data key with the associated data and the record's number, so
// records cannot be reordered, taken from the middle or moved to another file. A record cut off
// by a crash is left out on reading; the records before it read back. Not thread-safe: one
// writer per file; reading while it writes is fine.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/aead.hpp"

namespace parley::store {

class SealedLogWriter {
public:
    // Creates the file (mode 0600; an existing one is replaced). Fails with internal
    // "file_unwritable".
    static Result<std::unique_ptr<SealedLogWriter>> create(const std::filesystem::path& path,
                                                           const crypto::DataKey& key,
                                                           std::string associated_data);
    ~SealedLogWriter();
    SealedLogWriter(const SealedLogWriter&) = delete;
    SealedLogWriter& operator=(const SealedLogWriter&) = delete;

    // Appends one record (nothing for empty bytes), readable as soon as this returns. Fails
    // with internal "file_unwritable" on an I/O error.
    Result<void> append(std::string_view bytes);
    const std::filesystem::path& path() const { return path_; }

private:
    SealedLogWriter(std::filesystem::path path, int fd, const crypto::DataKey& key,
                    std::string associated_data);

    std::filesystem::path path_;
    int fd_;
    crypto::DataKey key_;
    std::string associated_data_;
    std::uint64_t records_ = 0;
};

// Every whole record's bytes, in order. Fails with not_found "file_not_found" if there is no
// such file, internal "decrypt_failed" if a whole record does not open (another key or
// associated data, or altered), "file_unreadable" on an I/O error.
Result<std::string> read_sealed_log(const std::filesystem::path& path, const crypto::DataKey& key,
                                    std::string_view associated_data);

}  // namespace parley::store
