#include "crypto/key_ring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "crypto/random.hpp"

namespace parley::crypto {
namespace {

namespace fs = std::filesystem;

const std::string kValidHex(64, 'a');

class KeyRingFile : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "parley_key_ring_XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        path_ = dir_ / "master.key";
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write_key_file(const std::string& content, fs::perms mode) {
        std::ofstream(path_, std::ios::binary) << content;
        fs::permissions(path_, mode);
    }

    std::string read_key_file() const {
        std::ifstream in(path_, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        return content.str();
    }

    static void expect_error(const Result<KeyRing>& ring, const std::string& code) {
        ASSERT_FALSE(ring);
        EXPECT_EQ(ring.error().kind, ErrorKind::internal);
        EXPECT_EQ(ring.error().code, code);
    }

    fs::path dir_;
    fs::path path_;
};

constexpr auto kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

TEST_F(KeyRingFile, CreatesAnOwnerOnlyFileOf64HexDigitsAndANewline) {
    ASSERT_TRUE(KeyRing::load_or_create(path_, true));
    struct stat status {};
    ASSERT_EQ(::stat(path_.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0600u);
    const std::string content = read_key_file();
    ASSERT_EQ(content.size(), 65u);
    EXPECT_EQ(content.find_first_not_of("0123456789abcdef"), 64u);
    EXPECT_EQ(content.back(), '\n');
}

TEST_F(KeyRingFile, ReloadedKeyRingUnwrapsWhatTheFirstWrapped) {
    auto created = KeyRing::load_or_create(path_, true);
    ASSERT_TRUE(created);
    const DataKey data_key = DataKey::generate();
    const std::string wrapped = created->wrap(data_key, "org_1");

    auto reloaded = KeyRing::load_or_create(path_, false);
    ASSERT_TRUE(reloaded);
    EXPECT_EQ(reloaded->unwrap(wrapped, "org_1")->bytes(), data_key.bytes());
    EXPECT_EQ(reloaded->server_secret("code-hash"), created->server_secret("code-hash"));
}

TEST_F(KeyRingFile, CreateIfMissingLoadsAnExistingFileWithoutReplacingIt) {
    write_key_file(kValidHex + "\n", kOwnerOnly);
    auto ring = KeyRing::load_or_create(path_, true);
    ASSERT_TRUE(ring);
    EXPECT_EQ(read_key_file(), kValidHex + "\n");
    auto same_key = DataKey::from_bytes(std::string(32, '\xaa'));
    EXPECT_EQ(ring->server_secret("p"), KeyRing::from_key(*same_key).server_secret("p"));
}

TEST_F(KeyRingFile, AcceptsAFileWithoutTheFinalNewline) {
    write_key_file(kValidHex, kOwnerOnly);
    EXPECT_TRUE(KeyRing::load_or_create(path_, false));
}

TEST_F(KeyRingFile, RefusesAFileOpenToGroupOrOthers) {
    for (const auto mode : {fs::perms(0644), fs::perms(0640), fs::perms(0604), fs::perms(0620)}) {
        write_key_file(kValidHex + "\n", mode);
        auto ring = KeyRing::load_or_create(path_, false);
        expect_error(ring, "master_key_permissions");
        EXPECT_NE(ring.error().message.find("chmod 600 " + path_.string()), std::string::npos)
            << ring.error().message;
    }
}

TEST_F(KeyRingFile, RefusesAMissingFileWhenNotCreating) {
    auto ring = KeyRing::load_or_create(path_, false);
    expect_error(ring, "master_key_missing");
    EXPECT_NE(ring.error().message.find(path_.string()), std::string::npos);
    EXPECT_NE(ring.error().message.find("--dev"), std::string::npos);
    EXPECT_FALSE(fs::exists(path_));
}

TEST_F(KeyRingFile, RefusesMalformedFiles) {
    for (const std::string& content : {
             std::string(),
             std::string("\n"),
             std::string("abc\n"),
             std::string(63, 'a') + "\n",
             std::string(65, 'a') + "\n",
             std::string(64, 'g') + "\n",
             kValidHex + "\n\n",
             kValidHex + " \n",
             " " + kValidHex + "\n",
         }) {
        write_key_file(content, kOwnerOnly);
        SCOPED_TRACE(content);
        auto ring = KeyRing::load_or_create(path_, false);
        expect_error(ring, "master_key_invalid");
        EXPECT_NE(ring.error().message.find(path_.string()), std::string::npos);
    }
}

TEST_F(KeyRingFile, RefusesADirectory) {
    fs::create_directory(path_);
    fs::permissions(path_, fs::perms::owner_all);
    expect_error(KeyRing::load_or_create(path_, false), "master_key_invalid");
}

TEST_F(KeyRingFile, ReportsAnUncreatableFile) {
    expect_error(KeyRing::load_or_create(dir_ / "no_such_dir" / "master.key", true),
                 "master_key_unwritable");
}

TEST(KeyRing, UnwrapFailsForAnotherKeyIdMasterKeyOrAlteredBytes) {
    const KeyRing ring = KeyRing::from_key(DataKey::generate());
    const DataKey data_key = DataKey::generate();
    const std::string wrapped = ring.wrap(data_key, "org_1");
    EXPECT_EQ(ring.unwrap(wrapped, "org_1")->bytes(), data_key.bytes());

    const KeyRing other = KeyRing::from_key(DataKey::generate());
    std::string altered = wrapped;
    altered.back() = static_cast<char>(altered.back() ^ 0x80);
    for (const auto& unwrapped : {ring.unwrap(wrapped, "org_2"), other.unwrap(wrapped, "org_1"),
                                  ring.unwrap(altered, "org_1"), ring.unwrap("", "org_1")}) {
        ASSERT_FALSE(unwrapped);
        EXPECT_EQ(unwrapped.error().kind, ErrorKind::internal);
        EXPECT_EQ(unwrapped.error().code, "decrypt_failed");
        EXPECT_NE(unwrapped.error().message.find("org_"), std::string::npos);
    }
}

TEST(KeyRing, WrapsWithAFreshNonceAndHidesTheKey) {
    const KeyRing ring = KeyRing::from_key(DataKey::generate());
    const DataKey data_key = DataKey::generate();
    const std::string a = ring.wrap(data_key, "org_1");
    EXPECT_EQ(a.size(), DataKey::kSize + kSealOverhead);
    EXPECT_NE(a, ring.wrap(data_key, "org_1"));
    EXPECT_EQ(a.find(data_key.bytes()), std::string::npos);
}

TEST(KeyRing, ServerSecretIsDeterministicPerMasterKeyAndPurpose) {
    const DataKey master = DataKey::generate();
    const KeyRing ring = KeyRing::from_key(master);
    const std::string secret = ring.server_secret("code-hash");
    EXPECT_EQ(secret.size(), 32u);
    EXPECT_EQ(KeyRing::from_key(master).server_secret("code-hash"), secret);
    EXPECT_NE(ring.server_secret("other"), secret);
    EXPECT_NE(KeyRing::from_key(DataKey::generate()).server_secret("code-hash"), secret);
    EXPECT_EQ(secret.find(master.bytes()), std::string::npos);
}

}  // namespace
}  // namespace parley::crypto
