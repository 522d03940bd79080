#pragma once
// Files sealed in chunks (libsodium secretstream, XChaCha20-Poly1305), so a file of any size is
// sealed and opened without being whole in memory, and a reordered, cut or altered file fails
// to open. Plus a keyed digest of a file's bytes, which names blobs: the same file under the
// same data key gets the same name (stored once), under another key a different one, and the
// name tells nothing to whoever lacks the key. Not thread-safe: one object per file.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/aead.hpp"

namespace parley::crypto {

// Plaintext bytes per chunk; each sealed chunk is kChunkOverhead longer. The stream starts
// with a header of kStreamHeaderBytes.
inline constexpr std::size_t kChunkBytes = 64 << 10;
inline constexpr std::size_t kChunkOverhead = 17;
inline constexpr std::size_t kStreamHeaderBytes = 24;

class ChunkSealer {
public:
    // associated_data (e.g. the blob's name) is authenticated with every chunk.
    ChunkSealer(const DataKey& key, std::string associated_data);
    ~ChunkSealer();

    const std::string& header() const { return header_; }
    // REQUIRES: chunk.size() <= kChunkBytes; `last` on the final chunk only (possibly empty).
    std::string seal(std::string_view chunk, bool last);

private:
    struct State;
    std::unique_ptr<State> state_;
    std::string header_;
    std::string associated_data_;
};

class ChunkOpener {
public:
    // Fails with internal "decrypt_failed" if the header is not one of this key's.
    static Result<std::unique_ptr<ChunkOpener>> start(const DataKey& key, std::string_view header,
                                                      std::string associated_data);
    ~ChunkOpener();

    // The chunk's plaintext; sets `last` on the final one. Fails with internal "decrypt_failed"
    // if the chunk was altered, reordered or comes from another stream.
    Result<std::string> open(std::string_view sealed_chunk, bool& last);

private:
    ChunkOpener();
    struct State;
    std::unique_ptr<State> state_;
    std::string associated_data_;
};

// A keyed BLAKE2b-256 digest of bytes fed in pieces, as 64 hex digits.
class KeyedDigest {
public:
    // purpose separates the digests made for different uses with the same key.
    KeyedDigest(const DataKey& key, std::string_view purpose);
    ~KeyedDigest();
    void update(std::string_view bytes);
    std::string hex();  // REQUIRES: called once

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace parley::crypto
