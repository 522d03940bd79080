#include "crypto/key_ring.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <system_error>

#include "crypto/bytes.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hashing.hpp"

namespace parley::crypto {

namespace {

// Changing a label changes every derived key: existing wrapped keys and code hashes would no
// longer open or match. Hence the version suffix; never edit these in place.
constexpr std::string_view kWrapLabel = "parley/key-ring/wrap-data-keys/v1";
constexpr std::string_view kSecretLabel = "parley/key-ring/server-secrets/v1";

constexpr std::size_t kHexChars = 2 * DataKey::kSize;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;

    int get() const { return fd_; }

private:
    int fd_;
};

DataKey derive(const DataKey& key, std::string_view label) {
    std::string bytes = blake2b_256(label, key.bytes());
    DataKey derived = *DataKey::from_bytes(bytes);  // BLAKE2b-256 yields exactly kSize bytes
    detail::wipe(bytes);
    return derived;
}

std::unexpected<Error> key_file_error(std::string code, std::string message) {
    return fail(ErrorKind::internal, std::move(code), std::move(message));
}

std::string describe(int error) { return std::generic_category().message(error); }

std::string octal_mode(mode_t mode) {
    char digits[8] = {'0'};
    auto end = std::to_chars(digits + 1, digits + sizeof digits, mode & 07777u, 8).ptr;
    return std::string(digits, end);
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// A new file survives a crash only once its directory entry is synced too. Losing the key file
// after data was sealed under it would make that data unreadable.
bool sync_directory(const std::filesystem::path& dir) {
    FileDescriptor fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

// Returns no key if the file already exists: it may hold a key another process just created,
// and must then be read like any other key file.
Result<std::optional<DataKey>> create_key_file(const std::filesystem::path& file) {
    // O_EXCL with mode 0600: the file is never open to others, not even before a chmod, and an
    // existing key is never overwritten.
    FileDescriptor fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        if (errno == EEXIST) return std::nullopt;
        return key_file_error("master_key_unwritable", "cannot create master key file " +
                                                           file.string() + ": " + describe(errno));
    }
    DataKey key = DataKey::generate();
    std::string hex = to_hex(key.bytes());
    const bool durable = write_all(fd.get(), hex) && write_all(fd.get(), "\n") &&
                         ::fsync(fd.get()) == 0 && sync_directory(file.parent_path());
    const int error = errno;
    detail::wipe(hex);
    if (!durable) {
        ::unlink(file.c_str());  // a partial file would be refused as invalid at every start
        return key_file_error("master_key_unwritable", "cannot write master key file " +
                                                           file.string() + ": " + describe(error));
    }
    return key;
}

Result<DataKey> read_key_file(const std::filesystem::path& file) {
    const std::string name = file.string();
    FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) {
            return key_file_error(
                "master_key_missing",
                "no master key file at " + name +
                    "; restore it from your backup, or start with --dev to create a new one "
                    "(only for a new installation: data sealed under a lost key is unreadable)");
        }
        return key_file_error("master_key_unreadable",
                              "cannot open master key file " + name + ": " + describe(errno));
    }
    // fstat on the open descriptor, so the file checked is the file read.
    struct stat status {};
    if (::fstat(fd.get(), &status) != 0) {
        return key_file_error("master_key_unreadable",
                              "cannot inspect master key file " + name + ": " + describe(errno));
    }
    if (!S_ISREG(status.st_mode)) {
        return key_file_error("master_key_invalid",
                              "master key file " + name + " is not a regular file");
    }
    if ((status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        return key_file_error("master_key_permissions",
                              "master key file " + name + " is open to group or others (mode " +
                                  octal_mode(status.st_mode) + "); run `chmod 600 " + name + "`");
    }

    // Room for the digits, the newline and one byte more, so that a longer file is noticed.
    std::string text(kHexChars + 2, '\0');
    std::size_t size = 0;
    while (size < text.size()) {
        const ssize_t n = ::read(fd.get(), text.data() + size, text.size() - size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            detail::wipe(text);
            return key_file_error("master_key_unreadable",
                                  "cannot read master key file " + name + ": " + describe(error));
        }
        if (n == 0) break;
        size += static_cast<std::size_t>(n);
    }
    std::string_view hex(text.data(), size);
    if (hex.ends_with('\n')) hex.remove_suffix(1);
    std::optional<DataKey> key;
    if (hex.size() == kHexChars) {
        if (auto bytes = from_hex(hex)) {
            key = *DataKey::from_bytes(*bytes);
            detail::wipe(*bytes);
        }
    }
    detail::wipe(text);
    if (!key) {
        return key_file_error("master_key_invalid",
                              "master key file " + name +
                                  " must hold exactly 64 hexadecimal digits and a newline; "
                                  "restore it from your backup");
    }
    return *key;
}

}  // namespace

KeyRing::KeyRing(const DataKey& master)
    : wrap_key_(derive(master, kWrapLabel)), secret_root_(derive(master, kSecretLabel)) {}

Result<KeyRing> KeyRing::load_or_create(const std::filesystem::path& file, bool create_if_missing) {
    if (create_if_missing) {
        auto created = create_key_file(file);
        if (!created) return fail(std::move(created.error()));
        if (*created) return KeyRing(**created);
    }
    auto master = read_key_file(file);
    if (!master) return fail(std::move(master.error()));
    return KeyRing(*master);
}

KeyRing KeyRing::from_key(DataKey master) { return KeyRing(master); }

std::string KeyRing::wrap(const DataKey& data_key, std::string_view key_id) const {
    return seal(wrap_key_, data_key.bytes(), key_id);
}

Result<DataKey> KeyRing::unwrap(std::string_view wrapped, std::string_view key_id) const {
    auto bytes = open(wrap_key_, wrapped, key_id);
    if (!bytes) {
        return fail(ErrorKind::internal, "decrypt_failed",
                    "data key " + std::string(key_id) +
                        " could not be unwrapped: the master key file is not the one it was "
                        "wrapped with, or the stored key was altered or moved");
    }
    auto key = DataKey::from_bytes(*bytes);
    detail::wipe(*bytes);
    return key;
}

std::string KeyRing::server_secret(std::string_view purpose) const {
    return blake2b_256(purpose, secret_root_.bytes());
}

}  // namespace parley::crypto
