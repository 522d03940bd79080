#include "store/blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <random>
#include <system_error>

namespace parley::store {
namespace {

constexpr std::string_view kNamePurpose = "blob-name";

std::string associated_data(const std::string& name) { return "blob:" + name; }

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::unexpected<Error> io_error(std::string_view what) {
    return fail(ErrorKind::internal, "blob_unreadable", std::string(what));
}

bool valid_name(const std::string& name) {
    if (name.size() != 64) return false;
    for (char c : name) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

}  // namespace

std::filesystem::path BlobStore::path_of(const std::string& name) const {
    return directory_ / name.substr(0, 2) / name.substr(2);
}

template <typename Read>
Result<void> BlobStore::write_blob(const crypto::DataKey& key, const std::string& name, Read read) {
    const auto target = path_of(name);
    std::shared_lock sweep(sweeping_);
    std::error_code ec;
    if (std::filesystem::exists(target, ec)) {
        // The same bytes under the same key. Its time says "in use" to remove_unreferenced
        // until the row naming it is written.
        std::filesystem::last_write_time(target, std::filesystem::file_time_type::clock::now(), ec);
        return ok();
    }
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) return io_error("The blob directory cannot be created.");
    thread_local std::mt19937_64 random{std::random_device{}()};
    auto temporary = target;
    temporary += ".tmp" + std::to_string(random());
    auto written = [&]() -> Result<void> {
        PARLEY_TRY_ASSIGN(auto writer, SealedWriter::create(temporary, key, associated_data(name)));
        std::string chunk(crypto::kChunkBytes, '\0');
        for (;;) {
            chunk.resize(crypto::kChunkBytes);
            chunk.resize(read(chunk));
            if (chunk.empty()) break;
            PARLEY_TRY_VOID(writer->write(chunk));
        }
        return writer->finish();
    }();
    if (written) std::filesystem::rename(temporary, target, ec);
    if (!written || ec) {
        std::filesystem::remove(temporary, ec);
        return io_error("A blob cannot be written.");
    }
    return ok();
}

Result<StoredBlob> BlobStore::put_file(const crypto::DataKey& key,
                                       const std::filesystem::path& file) {
    StoredBlob blob;
    {
        File in(std::fopen(file.c_str(), "rb"));
        if (!in) return io_error("An upload cannot be read.");
        crypto::KeyedDigest digest(key, kNamePurpose);
        std::string chunk(crypto::kChunkBytes, '\0');
        for (;;) {
            const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), in.get());
            if (n == 0) break;
            digest.update(std::string_view(chunk.data(), n));
            blob.size += n;
        }
        if (std::ferror(in.get())) return io_error("An upload cannot be read.");
        blob.name = digest.hex();
    }
    File in(std::fopen(file.c_str(), "rb"));
    if (!in) return io_error("An upload cannot be read.");
    PARLEY_TRY_VOID(write_blob(key, blob.name, [&](std::string& buffer) {
        return std::fread(buffer.data(), 1, buffer.size(), in.get());
    }));
    return blob;
}

Result<StoredBlob> BlobStore::put_bytes(const crypto::DataKey& key, std::string_view bytes) {
    crypto::KeyedDigest digest(key, kNamePurpose);
    digest.update(bytes);
    StoredBlob blob{digest.hex(), bytes.size()};
    std::size_t at = 0;
    PARLEY_TRY_VOID(write_blob(key, blob.name, [&](std::string& buffer) {
        const std::size_t n = std::min(buffer.size(), bytes.size() - at);
        bytes.copy(buffer.data(), n, at);
        at += n;
        return n;
    }));
    return blob;
}

Result<StoredBlob> BlobStore::reseal(const crypto::DataKey& from, const std::string& name,
                                     const crypto::DataKey& to) {
    // First pass names the copy under the new key; the second seals it.
    StoredBlob blob;
    {
        PARLEY_TRY_ASSIGN(auto reader, open(from, name));
        crypto::KeyedDigest digest(to, kNamePurpose);
        for (;;) {
            PARLEY_TRY_ASSIGN(auto chunk, reader->next());
            if (!chunk) break;
            digest.update(*chunk);
            blob.size += chunk->size();
        }
        blob.name = digest.hex();
    }
    PARLEY_TRY_ASSIGN(auto reader, open(from, name));
    std::optional<Error> failure;
    std::string pending;  // plaintext read but not yet handed over
    PARLEY_TRY_VOID(write_blob(to, blob.name, [&](std::string& buffer) -> std::size_t {
        while (pending.size() < buffer.size() && !failure) {
            auto chunk = reader->next();
            if (!chunk) {
                failure = chunk.error();
                break;
            }
            if (!*chunk) break;
            pending += **chunk;
        }
        const std::size_t n = std::min(buffer.size(), pending.size());
        pending.copy(buffer.data(), n);
        pending.erase(0, n);
        return n;
    }));
    if (failure) {
        std::error_code ec;
        std::filesystem::remove(path_of(blob.name), ec);
        return fail(*failure);
    }
    return blob;
}

Result<std::unique_ptr<SealedReader>> BlobStore::open(const crypto::DataKey& key,
                                                      const std::string& name) const {
    if (!valid_name(name)) return fail(ErrorKind::not_found, "blob_not_found", "No such file.");
    auto reader = open_sealed(path_of(name), key, associated_data(name));
    if (!reader && reader.error().code == "file_not_found") {
        return fail(ErrorKind::not_found, "blob_not_found", "No such file.");
    }
    return reader;
}

Result<std::int64_t> BlobStore::remove_unreferenced(
    const std::function<bool(const std::string& name)>& referenced, std::chrono::seconds grace) {
    namespace fs = std::filesystem;
    std::int64_t removed = 0;
    std::error_code ec;
    if (!fs::exists(directory_, ec)) return removed;
    const auto cutoff = fs::file_time_type::clock::now() - grace;
    for (const auto& dir : fs::directory_iterator(directory_, ec)) {
        if (!dir.is_directory(ec) || dir.path().filename().string().size() != 2) continue;
        for (const auto& file : fs::directory_iterator(dir.path(), ec)) {
            const std::string leaf = file.path().filename().string();
            const std::string name = dir.path().filename().string() + leaf.substr(0, 62);
            const bool temporary = leaf.find(".tmp") != std::string::npos;
            if (!valid_name(name) || (!temporary && leaf.size() != 62)) continue;
            if (!temporary && referenced(name)) continue;
            std::unique_lock alone(sweeping_);
            std::error_code stat;
            const auto written = fs::last_write_time(file.path(), stat);
            if (stat || written > cutoff) continue;
            if (fs::remove(file.path(), stat)) ++removed;
        }
    }
    if (ec) {
        return fail(ErrorKind::internal, "blob_unreadable",
                    "The blob directory cannot be listed: " + ec.message());
    }
    return removed;
}

}  // namespace parley::store
