#pragma once
// Files sealed in chunks under a data key (crypto/chunked.hpp): attachment blobs and the files
// of organization jobs (import uploads and error logs, exports). A sealed file is the stream
// header then the sealed chunks; the associated data binds it to what it is (a blob's name, a
// job's id and role), so a file moved under another name fails to open, as does one cut or
// altered. Neither writing nor reading holds a whole file in memory. Not thread-safe: one
// object per file.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/aead.hpp"
#include "crypto/chunked.hpp"

namespace parley::store {

// Reads a sealed file's plaintext one chunk at a time.
class SealedReader {
public:
    virtual ~SealedReader() = default;
    // The next chunk, or nullopt after the last. Fails with internal "decrypt_failed" if the
    // file was altered or cut, "file_unreadable" on an I/O error.
    virtual Result<std::optional<std::string>> next() = 0;
};

// Fails with not_found "file_not_found" if there is no such file, internal "decrypt_failed"
// if it was not sealed under this key and associated data.
Result<std::unique_ptr<SealedReader>> open_sealed(const std::filesystem::path& path,
                                                  const crypto::DataKey& key,
                                                  std::string associated_data);

// The whole plaintext, for files known to be small enough to hold (a job's file on download).
Result<std::string> read_sealed(const std::filesystem::path& path, const crypto::DataKey& key,
                                std::string associated_data);

// A sealed file's plaintext as a std::istream, decrypted a chunk at a time as it is read (a
// CSV reader streams through it). A file that cannot be read or opened to the end sets badbit
// rather than ending early: check bad() after reading.
class SealedIStream : public std::istream {
public:
    explicit SealedIStream(std::unique_ptr<SealedReader> reader);
    // Why badbit was set, if it was.
    const std::optional<Error>& error() const { return buffer_.error; }

private:
    struct Buffer : std::streambuf {
        std::unique_ptr<SealedReader> reader;
        std::string chunk;
        std::optional<Error> error;
        int_type underflow() override;
    };
    Buffer buffer_;
};

// Writes a new sealed file (mode 0600: readable by the server's user only; an existing file is
// not overwritten). Plaintext given to write() is sealed a chunk at a time; finish() seals the
// last chunk and syncs the file to disk. A writer destroyed before finish() removes its file.
class SealedWriter {
public:
    // Fails with internal "file_unwritable" if the file cannot be created.
    static Result<std::unique_ptr<SealedWriter>> create(const std::filesystem::path& path,
                                                        const crypto::DataKey& key,
                                                        std::string associated_data);
    ~SealedWriter();
    SealedWriter(const SealedWriter&) = delete;
    SealedWriter& operator=(const SealedWriter&) = delete;

    // Fails with internal "file_unwritable" on an I/O error (then and ever after).
    Result<void> write(std::string_view bytes);
    Result<void> finish();
    std::uint64_t plaintext_bytes() const { return plaintext_bytes_; }

private:
    SealedWriter(std::filesystem::path path, std::FILE* file, const crypto::DataKey& key,
                 std::string associated_data);
    Result<void> put(std::string_view sealed);

    std::filesystem::path path_;
    std::FILE* file_;
    crypto::ChunkSealer sealer_;
    std::string pending_;  // plaintext not yet sealed: less than a chunk, or exactly one
    std::uint64_t plaintext_bytes_ = 0;
    bool failed_ = false;
    bool finished_ = false;
};

// Seals `bytes` into a new file at `path` (see SealedWriter).
Result<void> write_sealed(const std::filesystem::path& path, const crypto::DataKey& key,
                          std::string associated_data, std::string_view bytes);

}  // namespace parley::store
