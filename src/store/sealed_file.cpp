#include "store/sealed_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace parley::store {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::unexpected<Error> damaged() {
    return fail(ErrorKind::internal, "decrypt_failed", "A stored file is damaged.");
}

std::unexpected<Error> unwritable() {
    return fail(ErrorKind::internal, "file_unwritable", "A file cannot be written.");
}

class FileSealedReader final : public SealedReader {
public:
    FileSealedReader(File file, std::unique_ptr<crypto::ChunkOpener> opener)
        : file_(std::move(file)), opener_(std::move(opener)) {}

    Result<std::optional<std::string>> next() override {
        if (done_) return std::optional<std::string>();
        std::string sealed(crypto::kChunkBytes + crypto::kChunkOverhead, '\0');
        sealed.resize(std::fread(sealed.data(), 1, sealed.size(), file_.get()));
        if (std::ferror(file_.get())) {
            return fail(ErrorKind::internal, "file_unreadable", "A stored file cannot be read.");
        }
        if (sealed.empty()) return damaged();  // ended before its final chunk: cut
        bool last = false;
        PARLEY_TRY_ASSIGN(auto plain, opener_->open(sealed, last));
        if (last) {
            done_ = true;
            if (std::fgetc(file_.get()) != EOF) return damaged();
        }
        return std::optional<std::string>(std::move(plain));
    }

private:
    File file_;
    std::unique_ptr<crypto::ChunkOpener> opener_;
    bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<SealedReader>> open_sealed(const std::filesystem::path& path,
                                                  const crypto::DataKey& key,
                                                  std::string associated_data) {
    File in(std::fopen(path.c_str(), "rb"));
    if (!in) return fail(ErrorKind::not_found, "file_not_found", "No such file.");
    std::string header(crypto::kStreamHeaderBytes, '\0');
    header.resize(std::fread(header.data(), 1, header.size(), in.get()));
    PARLEY_TRY_ASSIGN(auto opener,
                      crypto::ChunkOpener::start(key, header, std::move(associated_data)));
    return std::unique_ptr<SealedReader>(
        std::make_unique<FileSealedReader>(std::move(in), std::move(opener)));
}

Result<std::string> read_sealed(const std::filesystem::path& path, const crypto::DataKey& key,
                                std::string associated_data) {
    PARLEY_TRY_ASSIGN(auto reader, open_sealed(path, key, std::move(associated_data)));
    std::string out;
    for (;;) {
        PARLEY_TRY_ASSIGN(auto chunk, reader->next());
        if (!chunk) return out;
        out += *chunk;
    }
}

SealedIStream::SealedIStream(std::unique_ptr<SealedReader> reader) : std::istream(nullptr) {
    buffer_.reader = std::move(reader);
    rdbuf(&buffer_);
}

SealedIStream::Buffer::int_type SealedIStream::Buffer::underflow() {
    while (gptr() == egptr()) {
        if (error) return traits_type::eof();
        auto next = reader->next();
        if (!next) {
            error = next.error();
            // An exception from underflow() makes the istream set badbit (and not rethrow,
            // unless asked to): a damaged file must not read as a shorter one.
            throw std::ios_base::failure(error->message);
        }
        if (!*next) return traits_type::eof();
        chunk = std::move(**next);
        setg(chunk.data(), chunk.data(), chunk.data() + chunk.size());
    }
    return traits_type::to_int_type(*gptr());
}

Result<std::unique_ptr<SealedWriter>> SealedWriter::create(const std::filesystem::path& path,
                                                           const crypto::DataKey& key,
                                                           std::string associated_data) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return unwritable();
    std::FILE* file = ::fdopen(fd, "wb");
    if (!file) {
        ::close(fd);
        std::error_code ec;
        std::filesystem::remove(path, ec);
        return unwritable();
    }
    std::unique_ptr<SealedWriter> writer(
        new SealedWriter(path, file, key, std::move(associated_data)));
    PARLEY_TRY_VOID(writer->put(writer->sealer_.header()));
    return writer;
}

SealedWriter::SealedWriter(std::filesystem::path path, std::FILE* file, const crypto::DataKey& key,
                           std::string associated_data)
    : path_(std::move(path)), file_(file), sealer_(key, std::move(associated_data)) {}

SealedWriter::~SealedWriter() {
    if (file_) std::fclose(file_);
    if (!finished_) {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
}

Result<void> SealedWriter::put(std::string_view sealed) {
    if (!failed_ && std::fwrite(sealed.data(), 1, sealed.size(), file_) != sealed.size()) {
        failed_ = true;
    }
    if (failed_) return unwritable();
    return ok();
}

Result<void> SealedWriter::write(std::string_view bytes) {
    if (failed_ || finished_) return unwritable();
    pending_ += bytes;
    plaintext_bytes_ += bytes.size();
    // A full chunk is sealed only once more bytes follow it: the last chunk must say so.
    std::size_t at = 0;
    while (pending_.size() - at > crypto::kChunkBytes) {
        PARLEY_TRY_VOID(
            put(sealer_.seal(std::string_view(pending_).substr(at, crypto::kChunkBytes), false)));
        at += crypto::kChunkBytes;
    }
    pending_.erase(0, at);
    return ok();
}

Result<void> SealedWriter::finish() {
    if (failed_ || finished_) return unwritable();
    PARLEY_TRY_VOID(put(sealer_.seal(pending_, true)));
    pending_.clear();
    const bool synced = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!synced || !closed) {
        failed_ = true;
        return unwritable();
    }
    finished_ = true;
    return ok();
}

Result<void> write_sealed(const std::filesystem::path& path, const crypto::DataKey& key,
                          std::string associated_data, std::string_view bytes) {
    PARLEY_TRY_ASSIGN(auto writer, SealedWriter::create(path, key, std::move(associated_data)));
    PARLEY_TRY_VOID(writer->write(bytes));
    return writer->finish();
}

}  // namespace parley::store
