#pragma once
// Authenticated encryption of stored data (XChaCha20-Poly1305-IETF): messages and files are
// sealed under their owner's DataKey, and DataKeys under the master key (KeyRing).
// 192-bit nonces are safe to draw at random, so no nonce counter has to survive restarts or be
// shared between nodes. Thread-safe; a DataKey is an immutable value.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace parley::crypto {

// A 256-bit symmetric key. Its bytes are wiped when it is destroyed, so keys do not linger in
// freed memory; copies are independent and each wipes itself.
class DataKey {
public:
    static constexpr std::size_t kSize = 32;

    static DataKey generate();
    // Fails with internal "invalid_data_key" unless bytes is exactly kSize long.
    static Result<DataKey> from_bytes(std::string_view bytes);

    DataKey(const DataKey&) = default;
    DataKey& operator=(const DataKey&) = default;
    ~DataKey();

    std::string_view bytes() const { return {bytes_.data(), bytes_.size()}; }

private:
    DataKey() = default;

    std::array<char, kSize> bytes_{};
};

// What seal() adds to the plaintext: a 24-byte nonce in front and a 16-byte tag behind.
inline constexpr std::size_t kSealOverhead = 24 + 16;

// Returns nonce || ciphertext || tag, with a fresh random nonce each call. associated_data is
// authenticated but not stored: pass what binds the ciphertext to its place (an id, a column),
// so a sealed value copied elsewhere fails to open.
std::string seal(const DataKey& key, std::string_view plaintext, std::string_view associated_data);

// Fails with internal "decrypt_failed" if sealed was altered or truncated, or if the key or the
// associated data differ from those given to seal().
Result<std::string> open(const DataKey& key, std::string_view sealed,
                         std::string_view associated_data);

}  // namespace parley::crypto
