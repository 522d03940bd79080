// Sealed files: what a SealedWriter writes opens with its key and associated data only, in
// chunks, whatever its size; a cut or altered file fails; a new file is private, never
// overwrites another, and is removed when the writer is dropped unfinished.

#include "store/sealed_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "crypto/init.hpp"
#include "fakes/temp_dir.hpp"
#include "unit/store/store_test_support.hpp"

namespace parley::store {
namespace {

using testing::file_bytes;

using parley::testing::TempDir;

class SealedFileTest : public ::testing::Test {
protected:
    void SetUp() override { crypto::init(); }
    std::filesystem::path path(const char* name = "job.csv.sealed") const {
        return dir_.path() / name;
    }

    TempDir dir_;
    crypto::DataKey key_ = crypto::DataKey::generate();
};

TEST_F(SealedFileTest, RoundTripsAnySizeInChunks) {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, crypto::kChunkBytes,
                             crypto::kChunkBytes + 1, 2 * crypto::kChunkBytes + 7}) {
        std::string bytes(size, '\0');
        for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + i % 26);
        std::filesystem::remove(path());
        auto writer = SealedWriter::create(path(), key_, "export:exp_1");
        ASSERT_TRUE(writer) << writer.error().message;
        // Given in uneven pieces, as a CSV writer flushes.
        for (std::size_t at = 0; at < size; at += 1000) {
            ASSERT_TRUE((*writer)->write(std::string_view(bytes).substr(at, 1000)));
        }
        ASSERT_TRUE((*writer)->finish());
        EXPECT_EQ((*writer)->plaintext_bytes(), size);

        auto reader = open_sealed(path(), key_, "export:exp_1");
        ASSERT_TRUE(reader) << reader.error().message;
        std::string back;
        for (;;) {
            auto chunk = (*reader)->next();
            ASSERT_TRUE(chunk) << chunk.error().message;
            if (!*chunk) break;
            EXPECT_LE((*chunk)->size(), crypto::kChunkBytes);
            back += **chunk;
        }
        EXPECT_EQ(back, bytes) << size;
        // Only a run long enough that random ciphertext will not hold it by chance: a
        // single "a" turns up in one sealed file out of five.
        if (size >= 26) {
            EXPECT_EQ(file_bytes(path()).find(bytes.substr(0, 26)), std::string::npos)
                << "in clear";
        }
    }
}

TEST_F(SealedFileTest, OpensOnlyWithItsKeyAndAssociatedData) {
    ASSERT_TRUE(write_sealed(path(), key_, "import:imp_1", "Phone Number\n+6591000001\n"));
    EXPECT_EQ(*read_sealed(path(), key_, "import:imp_1"), "Phone Number\n+6591000001\n");
    EXPECT_EQ(file_bytes(path()).find("+6591000001"), std::string::npos) << "stored in clear";
    // Another job's name for it, or another organization's key: refused, not misread.
    EXPECT_EQ(read_sealed(path(), key_, "import:imp_2").error().code, "decrypt_failed");
    EXPECT_EQ(read_sealed(path(), crypto::DataKey::generate(), "import:imp_1").error().code,
              "decrypt_failed");
    EXPECT_EQ(read_sealed(path("missing"), key_, "import:imp_1").error().code, "file_not_found");
}

TEST_F(SealedFileTest, ACutOrAlteredFileFails) {
    ASSERT_TRUE(write_sealed(path(), key_, "x", std::string(crypto::kChunkBytes + 10, 'z')));
    const std::string whole = file_bytes(path());
    // Cut after the first chunk: every chunk read opens, but the last never comes.
    std::ofstream(path(), std::ios::binary | std::ios::trunc) << whole.substr(
        0, crypto::kStreamHeaderBytes + crypto::kChunkBytes + crypto::kChunkOverhead);
    EXPECT_EQ(read_sealed(path(), key_, "x").error().code, "decrypt_failed");
    std::string altered = whole;
    altered[altered.size() - 3] ^= 1;
    std::ofstream(path(), std::ios::binary | std::ios::trunc) << altered;
    EXPECT_EQ(read_sealed(path(), key_, "x").error().code, "decrypt_failed");
}

TEST_F(SealedFileTest, ReadsAsAStreamThatGoesBadRatherThanShortWhenDamaged) {
    std::string bytes;
    for (int i = 0; bytes.size() < 2 * crypto::kChunkBytes; ++i) {
        bytes += "+65910" + std::to_string(10000 + i) + ",Person " + std::to_string(i) + "\n";
    }
    ASSERT_TRUE(write_sealed(path(), key_, "import:imp_1", bytes));
    {
        SealedIStream in(*open_sealed(path(), key_, "import:imp_1"));
        const std::string back((std::istreambuf_iterator<char>(in)), {});
        EXPECT_EQ(back, bytes);
        EXPECT_FALSE(in.bad());
    }
    // The second chunk altered: the stream goes bad, never just ends early.
    std::string damaged = file_bytes(path());
    damaged[crypto::kStreamHeaderBytes + crypto::kChunkBytes + crypto::kChunkOverhead + 5] ^= 1;
    std::ofstream(path(), std::ios::binary | std::ios::trunc) << damaged;
    SealedIStream in(*open_sealed(path(), key_, "import:imp_1"));
    std::string block(crypto::kChunkBytes * 3, '\0');
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    EXPECT_TRUE(in.bad());
    ASSERT_TRUE(in.error());
    EXPECT_EQ(in.error()->code, "decrypt_failed");
}

TEST_F(SealedFileTest, ANewFileIsPrivateNeverOverwritesAndGoesIfUnfinished) {
    ASSERT_TRUE(write_sealed(path(), key_, "x", "first"));
    struct stat st {};
    ASSERT_EQ(::stat(path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(write_sealed(path(), key_, "x", "second").error().code, "file_unwritable");
    EXPECT_EQ(*read_sealed(path(), key_, "x"), "first");

    {
        auto writer = SealedWriter::create(path("partial"), key_, "x");
        ASSERT_TRUE(writer);
        ASSERT_TRUE((*writer)->write("half of it"));
        EXPECT_TRUE(std::filesystem::exists(path("partial")));
    }
    EXPECT_FALSE(std::filesystem::exists(path("partial")));
}

}  // namespace
}  // namespace parley::store
