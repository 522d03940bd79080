#pragma once
// BlobStore: attachment bytes as files under <data dir>/blobs/ab/cdef…, sealed in chunks with
// their owner's data key (crypto/chunked.hpp) and named by a keyed digest of their plaintext:
// the same file under the same owner key is stored once, under another owner's key it is
// another blob. Neither writing nor reading holds a whole file in memory. A blob is written to
// a temporary file and renamed into place, so a reader never sees half of one. Thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/chunked.hpp"
#include "store/sealed_file.hpp"

namespace parley::store {

struct StoredBlob {
    std::string name;        // 64 hex digits
    std::uint64_t size = 0;  // of the plaintext
};

class BlobStore {
public:
    explicit BlobStore(std::filesystem::path directory) : directory_(std::move(directory)) {}

    // Seals the file's bytes under key (reading the file twice: to name, then to seal).
    Result<StoredBlob> put_file(const crypto::DataKey& key, const std::filesystem::path& file);
    Result<StoredBlob> put_bytes(const crypto::DataKey& key, std::string_view bytes);
    // Copies a blob sealed under `from` into one sealed under `to`, chunk by chunk (a forward
    // into a conversation with another owner).
    Result<StoredBlob> reseal(const crypto::DataKey& from, const std::string& name,
                              const crypto::DataKey& to);

    // Fails with not_found "blob_not_found" if there is no such blob.
    // A reader of its plaintext (see SealedReader).
    Result<std::unique_ptr<SealedReader>> open(const crypto::DataKey& key,
                                               const std::string& name) const;

    std::filesystem::path path_of(const std::string& name) const;

    // Removes the blobs `referenced` does not name that were neither written nor reused within
    // `grace` (an upload's blob exists before the row naming it), and temporary files a crash
    // left that long ago. Returns how many files it removed.
    Result<std::int64_t> remove_unreferenced(
        const std::function<bool(const std::string& name)>& referenced, std::chrono::seconds grace);

private:
    // Writes the blob `name` from `read` (which fills its buffer and returns the bytes it put
    // there, 0 at the end), unless it exists.
    template <typename Read>
    Result<void> write_blob(const crypto::DataKey& key, const std::string& name, Read read);

    std::filesystem::path directory_;
    // Writers share it; the sweep takes it alone for each file it decides on, so a blob reused
    // by an upload (which refreshes its time) is never removed under it.
    std::shared_mutex sweeping_;
};

}  // namespace parley::store
