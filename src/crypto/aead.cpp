#include "crypto/aead.hpp"

#include <sodium.h>

#include "crypto/bytes.hpp"
#include "crypto/init.hpp"
#include "crypto/random.hpp"

namespace parley::crypto {

namespace {

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

static_assert(DataKey::kSize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kSealOverhead == kNonceBytes + kTagBytes);

}  // namespace

DataKey DataKey::generate() {
    init();
    DataKey key;
    crypto_aead_xchacha20poly1305_ietf_keygen(reinterpret_cast<unsigned char*>(key.bytes_.data()));
    return key;
}

Result<DataKey> DataKey::from_bytes(std::string_view bytes) {
    if (bytes.size() != kSize) {
        return fail(ErrorKind::internal, "invalid_data_key",
                    "a data key must be exactly 32 bytes, not " + std::to_string(bytes.size()));
    }
    DataKey key;
    bytes.copy(key.bytes_.data(), kSize);
    return key;
}

DataKey::~DataKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::string seal(const DataKey& key, std::string_view plaintext, std::string_view associated_data) {
    std::string sealed = random_bytes(kNonceBytes);
    sealed.resize(kNonceBytes + plaintext.size() + kTagBytes);
    unsigned char* out = detail::uchars(sealed);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out + kNonceBytes, nullptr, detail::uchars(plaintext), plaintext.size(),
        detail::uchars(associated_data), associated_data.size(), nullptr, out,
        detail::uchars(key.bytes()));
    return sealed;
}

Result<std::string> open(const DataKey& key, std::string_view sealed,
                         std::string_view associated_data) {
    init();
    if (sealed.size() >= kSealOverhead) {
        std::string plaintext(sealed.size() - kSealOverhead, '\0');
        const unsigned char* nonce = detail::uchars(sealed);
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                detail::uchars(plaintext), nullptr, nullptr, nonce + kNonceBytes,
                sealed.size() - kNonceBytes, detail::uchars(associated_data),
                associated_data.size(), nonce, detail::uchars(key.bytes())) == 0) {
            return plaintext;
        }
    }
    return fail(ErrorKind::internal, "decrypt_failed",
                "stored data could not be decrypted: it was altered, or sealed under another key");
}

}  // namespace parley::crypto
