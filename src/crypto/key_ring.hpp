#pragma once
// KeyRing: the server's master key and what is derived from it. The master key never encrypts
// data itself; it wraps (encrypts) the per-organization DataKeys stored in the database, and
// yields server secrets such as the key for hashing one-time codes. A database dump without the
// master key file therefore reveals neither messages nor codes. Thread-safe: immutable after
// construction.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/aead.hpp"

namespace parley::crypto {

class KeyRing {
public:
    // Loads the master key from file: 64 hex digits and a newline (tolerated if missing),
    // readable by its owner only.
    // If the file does not exist and create_if_missing is set (--dev, or first start), creates
    // it with a new random key, mode 0600 from the first instant. Fails (kind internal) with:
    //   "master_key_missing"      no file and create_if_missing is false;
    //   "master_key_permissions"  the file is open to group or others;
    //   "master_key_invalid"      not a regular file holding 64 hex digits;
    //   "master_key_unreadable" / "master_key_unwritable"  an I/O error.
    // Each message names the file and says what to do.
    static Result<KeyRing> load_or_create(const std::filesystem::path& file,
                                          bool create_if_missing);

    // For tests, and for tools that received the master key by other means.
    static KeyRing from_key(DataKey master);

    // Encrypts data_key for storage next to key_id. key_id is authenticated, so a wrapped key
    // copied to another id's row does not unwrap.
    std::string wrap(const DataKey& data_key, std::string_view key_id) const;

    // Fails with internal "decrypt_failed" if wrapped was altered, belongs to another key_id, or
    // was wrapped under another master key (the wrong master key file is the usual cause).
    Result<DataKey> unwrap(std::string_view wrapped, std::string_view key_id) const;

    // 32 raw bytes, the same for the same master key and purpose, independent across purposes:
    // server_secret("code-hash") keys the hashing of one-time codes.
    std::string server_secret(std::string_view purpose) const;

private:
    explicit KeyRing(const DataKey& master);

    DataKey wrap_key_;     // derived from the master key, used only to wrap data keys
    DataKey secret_root_;  // derived from the master key, keys server_secret() derivations
};

}  // namespace parley::crypto
