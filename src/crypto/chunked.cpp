#include "crypto/chunked.hpp"

#include <sodium.h>

#include <array>

#include "crypto/encoding.hpp"
#include "crypto/init.hpp"

namespace parley::crypto {
namespace {

static_assert(kChunkOverhead == crypto_secretstream_xchacha20poly1305_ABYTES);
static_assert(kStreamHeaderBytes == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(DataKey::kSize == crypto_secretstream_xchacha20poly1305_KEYBYTES);

// Subkeys keep the data key's uses apart: the sealing of chunks, and each digest purpose.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "parleyfl";
constexpr std::uint64_t kSealSubkey = 1;

std::array<unsigned char, 32> subkey(const DataKey& key, std::uint64_t id) {
    std::array<unsigned char, 32> out{};
    crypto_kdf_derive_from_key(out.data(), out.size(), id, kKdfContext,
                               reinterpret_cast<const unsigned char*>(key.bytes().data()));
    return out;
}

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

struct ChunkSealer::State {
    crypto_secretstream_xchacha20poly1305_state stream;
};

ChunkSealer::ChunkSealer(const DataKey& key, std::string associated_data)
    : state_(std::make_unique<State>()),
      header_(kStreamHeaderBytes, '\0'),
      associated_data_(std::move(associated_data)) {
    init();
    auto k = subkey(key, kSealSubkey);
    crypto_secretstream_xchacha20poly1305_init_push(
        &state_->stream, reinterpret_cast<unsigned char*>(header_.data()), k.data());
    sodium_memzero(k.data(), k.size());
}

ChunkSealer::~ChunkSealer() { sodium_memzero(&state_->stream, sizeof state_->stream); }

std::string ChunkSealer::seal(std::string_view chunk, bool last) {
    std::string out(chunk.size() + kChunkOverhead, '\0');
    crypto_secretstream_xchacha20poly1305_push(
        &state_->stream, reinterpret_cast<unsigned char*>(out.data()), nullptr, bytes_of(chunk),
        chunk.size(), bytes_of(associated_data_), associated_data_.size(),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    return out;
}

struct ChunkOpener::State {
    crypto_secretstream_xchacha20poly1305_state stream;
    bool finished = false;
};

ChunkOpener::ChunkOpener() : state_(std::make_unique<State>()) {}

ChunkOpener::~ChunkOpener() { sodium_memzero(&state_->stream, sizeof state_->stream); }

Result<std::unique_ptr<ChunkOpener>> ChunkOpener::start(const DataKey& key, std::string_view header,
                                                        std::string associated_data) {
    init();
    std::unique_ptr<ChunkOpener> opener(new ChunkOpener());
    opener->associated_data_ = std::move(associated_data);
    auto k = subkey(key, kSealSubkey);
    const bool ok = header.size() == kStreamHeaderBytes &&
                    crypto_secretstream_xchacha20poly1305_init_pull(
                        &opener->state_->stream, bytes_of(header), k.data()) == 0;
    sodium_memzero(k.data(), k.size());
    if (!ok) return fail(ErrorKind::internal, "decrypt_failed", "A sealed file is damaged.");
    return opener;
}

Result<std::string> ChunkOpener::open(std::string_view sealed_chunk, bool& last) {
    if (state_->finished || sealed_chunk.size() < kChunkOverhead) {
        return fail(ErrorKind::internal, "decrypt_failed", "A sealed file is damaged.");
    }
    std::string out(sealed_chunk.size() - kChunkOverhead, '\0');
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state_->stream, reinterpret_cast<unsigned char*>(out.data()), nullptr, &tag,
            bytes_of(sealed_chunk), sealed_chunk.size(), bytes_of(associated_data_),
            associated_data_.size()) != 0) {
        return fail(ErrorKind::internal, "decrypt_failed", "A sealed file is damaged.");
    }
    last = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    state_->finished = last;
    return out;
}

struct KeyedDigest::State {
    crypto_generichash_state hash;
};

KeyedDigest::KeyedDigest(const DataKey& key, std::string_view purpose)
    : state_(std::make_unique<State>()) {
    init();
    // The purpose is folded into the key, so digests for different purposes never coincide.
    unsigned char k[crypto_generichash_KEYBYTES];
    crypto_generichash(k, sizeof k, bytes_of(purpose), purpose.size(), bytes_of(key.bytes()),
                       key.bytes().size());
    crypto_generichash_init(&state_->hash, k, sizeof k, 32);
    sodium_memzero(k, sizeof k);
}

KeyedDigest::~KeyedDigest() { sodium_memzero(&state_->hash, sizeof state_->hash); }

void KeyedDigest::update(std::string_view bytes) {
    crypto_generichash_update(&state_->hash, bytes_of(bytes), bytes.size());
}

std::string KeyedDigest::hex() {
    unsigned char out[32];
    crypto_generichash_final(&state_->hash, out, sizeof out);
    return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

}  // namespace parley::crypto
