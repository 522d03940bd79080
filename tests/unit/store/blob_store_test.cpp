// BlobStore: files sealed in chunks under an owner key and named by a keyed digest; what is
// stored reveals nothing, opens only with its key, and fails loudly when altered, reordered or
// cut.

#include "store/blob_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "crypto/init.hpp"
#include "fakes/temp_dir.hpp"
#include "unit/store/store_test_support.hpp"

namespace parley::store {
namespace {

using testing::file_bytes;

using parley::testing::TempDir;

void write_all(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

Result<std::string> open_all(const BlobStore& blobs, const crypto::DataKey& key,
                             const std::string& name, std::size_t* chunks = nullptr) {
    PARLEY_TRY_ASSIGN(auto reader, blobs.open(key, name));
    std::string out;
    for (;;) {
        PARLEY_TRY_ASSIGN(auto chunk, reader->next());
        if (!chunk) return out;
        if (chunks) ++*chunks;
        EXPECT_LE(chunk->size(), crypto::kChunkBytes);
        out += *chunk;
    }
}

class BlobStoreTest : public ::testing::Test {
protected:
    void SetUp() override { crypto::init(); }
    TempDir dir_;
    BlobStore blobs_{dir_.path() / "blobs"};
    crypto::DataKey key_ = crypto::DataKey::generate();
    crypto::DataKey other_key_ = crypto::DataKey::generate();
};

std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 13) % 26);
    return s;
}

TEST_F(BlobStoreTest, RoundTripsFilesOfEverySizeInChunks) {
    for (std::size_t size : {std::size_t{1}, crypto::kChunkBytes - 1, crypto::kChunkBytes,
                             crypto::kChunkBytes * 3 + 5}) {
        const std::string plain = pattern(size);
        const auto file = dir_.path() / "in";
        write_all(file, plain);
        auto blob = blobs_.put_file(key_, file);
        ASSERT_TRUE(blob) << blob.error().message;
        EXPECT_EQ(blob->size, size);
        EXPECT_EQ(blob->name.size(), 64u);
        std::size_t chunks = 0;
        auto back = open_all(blobs_, key_, blob->name, &chunks);
        ASSERT_TRUE(back) << back.error().message;
        EXPECT_TRUE(*back == plain) << size;
        EXPECT_GE(chunks, (size + crypto::kChunkBytes - 1) / crypto::kChunkBytes);
        // The plaintext is not on disk. (A run under 16 bytes would turn up in random ciphertext
        // by chance: a 1-byte file's byte does about one time in six.)
        const std::string stored = file_bytes(blobs_.path_of(blob->name));
        if (size >= 16) {
            EXPECT_EQ(stored.find(plain.substr(0, 64)), std::string::npos);
        }
    }
}

TEST_F(BlobStoreTest, SameBytesSameKeyOneBlobOtherKeyAnother) {
    auto a = blobs_.put_bytes(key_, "same bytes");
    auto b = blobs_.put_bytes(key_, "same bytes");
    auto c = blobs_.put_bytes(other_key_, "same bytes");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->name, b->name);
    EXPECT_NE(a->name, c->name);
    EXPECT_EQ(blobs_.path_of(a->name).parent_path().filename().string(), a->name.substr(0, 2));
}

TEST_F(BlobStoreTest, OpensOnlyWithItsKey) {
    auto blob = blobs_.put_bytes(key_, "for the owner only");
    ASSERT_TRUE(blob);
    auto wrong = open_all(blobs_, other_key_, blob->name);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "decrypt_failed");
    EXPECT_EQ(open_all(blobs_, key_, std::string(64, '0')).error().code, "blob_not_found");
    EXPECT_EQ(open_all(blobs_, key_, "../../etc/passwd").error().code, "blob_not_found");
}

TEST_F(BlobStoreTest, AlteredCutOrReorderedFailsToOpen) {
    const std::string plain = pattern(crypto::kChunkBytes * 2 + 100);
    auto blob = blobs_.put_bytes(key_, plain);
    ASSERT_TRUE(blob);
    const auto path = blobs_.path_of(blob->name);
    const std::string sealed = file_bytes(path);
    const std::size_t sealed_chunk = crypto::kChunkBytes + crypto::kChunkOverhead;

    std::string flipped = sealed;
    flipped[crypto::kStreamHeaderBytes + sealed_chunk + 10] ^= 1;
    write_all(path, flipped);
    EXPECT_EQ(open_all(blobs_, key_, blob->name).error().code, "decrypt_failed");

    // The last chunk cut off: every chunk that remains is genuine, but the end is missing.
    write_all(path, sealed.substr(0, crypto::kStreamHeaderBytes + 2 * sealed_chunk));
    EXPECT_EQ(open_all(blobs_, key_, blob->name).error().code, "decrypt_failed");

    std::string swapped = sealed.substr(0, crypto::kStreamHeaderBytes) +
                          sealed.substr(crypto::kStreamHeaderBytes + sealed_chunk, sealed_chunk) +
                          sealed.substr(crypto::kStreamHeaderBytes, sealed_chunk) +
                          sealed.substr(crypto::kStreamHeaderBytes + 2 * sealed_chunk);
    write_all(path, swapped);
    EXPECT_EQ(open_all(blobs_, key_, blob->name).error().code, "decrypt_failed");

    write_all(path, sealed + "trailing");
    EXPECT_EQ(open_all(blobs_, key_, blob->name).error().code, "decrypt_failed");

    // A genuine blob under another name (a swapped file) does not open either.
    auto other = blobs_.put_bytes(key_, "another file");
    ASSERT_TRUE(other);
    write_all(path, file_bytes(blobs_.path_of(other->name)));
    EXPECT_EQ(open_all(blobs_, key_, blob->name).error().code, "decrypt_failed");
}

TEST_F(BlobStoreTest, ResealMovesBytesUnderAnotherKey) {
    const std::string plain = pattern(crypto::kChunkBytes + 3);
    auto blob = blobs_.put_bytes(key_, plain);
    ASSERT_TRUE(blob);
    auto copy = blobs_.reseal(key_, blob->name, other_key_);
    ASSERT_TRUE(copy) << copy.error().message;
    EXPECT_NE(copy->name, blob->name);
    EXPECT_EQ(copy->size, plain.size());
    auto back = open_all(blobs_, other_key_, copy->name);
    ASSERT_TRUE(back);
    EXPECT_TRUE(*back == plain);
    auto direct = blobs_.put_bytes(other_key_, plain);
    ASSERT_TRUE(direct);
    EXPECT_EQ(direct->name, copy->name);  // the same content under the same key
}

// Sets a file's time to `age` ago, as if written then.
void age(const std::filesystem::path& file, std::chrono::seconds age) {
    std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() - age);
}

TEST_F(BlobStoreTest, SweepRemovesOnlyOldBlobsNoOneNames) {
    using std::chrono::hours;
    auto named = blobs_.put_bytes(key_, "named");
    auto orphan = blobs_.put_bytes(key_, "orphan");
    auto fresh = blobs_.put_bytes(key_, "fresh orphan");
    ASSERT_TRUE(named && orphan && fresh);
    age(blobs_.path_of(named->name), hours(3));
    age(blobs_.path_of(orphan->name), hours(3));
    // A crash left half a blob behind, long ago.
    const auto leftover = blobs_.path_of(orphan->name).string() + ".tmp42";
    write_all(leftover, "half");
    age(leftover, hours(3));

    auto removed = blobs_.remove_unreferenced(
        [&](const std::string& name) { return name == named->name; }, hours(1));
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_EQ(*removed, 2);
    EXPECT_TRUE(open_all(blobs_, key_, named->name));
    EXPECT_FALSE(open_all(blobs_, key_, orphan->name));
    EXPECT_FALSE(std::filesystem::exists(leftover));
    // Written within the grace: its row may not exist yet.
    EXPECT_EQ(*open_all(blobs_, key_, fresh->name), "fresh orphan");
}

TEST_F(BlobStoreTest, ABlobStoredAgainIsFreshForTheSweep) {
    using std::chrono::hours;
    auto first = blobs_.put_bytes(key_, "reused");
    ASSERT_TRUE(first);
    age(blobs_.path_of(first->name), hours(3));
    // An upload of the same bytes reuses the blob before its row names it.
    auto again = blobs_.put_bytes(key_, "reused");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->name, first->name);
    auto removed = blobs_.remove_unreferenced([](const std::string&) { return false; }, hours(1));
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 0);
    EXPECT_EQ(*open_all(blobs_, key_, first->name), "reused");
}

TEST_F(BlobStoreTest, SweepOfAStoreNeverWrittenRemovesNothing) {
    auto removed = blobs_.remove_unreferenced([](const std::string&) { return false; },
                                              std::chrono::seconds(0));
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 0);
}

}  // namespace
}  // namespace parley::store
