// Encryption at rest: what reaches the disk is sealed, data keys are stored only wrapped by the
// master key, and the wrong master key fails loudly instead of yielding garbage.

#include <gtest/gtest.h>

#include "crypto/aead.hpp"
#include "store_test_support.hpp"

namespace parley::store::testing {
namespace {

const std::string kSecret = "zebra-quartz-7731 the merger closes on Friday";
const std::string kEditedSecret = "walrus-onyx-4410 the merger is off";

class EncryptionTest : public StoreTest {
protected:
    EncryptionTest() {
        alice_ = make_user("Alice");
        bob_ = make_user("Bob");
        acme_ = make_org("Acme");
        private_ = make_group(alice_, {bob_}, core::Owner::private_owner(), "Private group", true);
        org_ = make_group(alice_, {bob_}, core::Owner::organization(acme_.id), "Acme group", true);
    }

    // Every byte SQLite has written: the main file and the write-ahead log.
    std::string disk_bytes() const { return file_bytes(db_path()) + file_bytes(wal_path()); }

    core::User alice_, bob_;
    core::Organization acme_;
    core::Conversation private_, org_;
};

TEST_F(EncryptionTest, MessageTextNeverReachesTheDisk) {
    const auto in_private = post(private_, alice_, kSecret + " (private)");
    const auto in_org = post(org_, bob_, kSecret + " (org)");
    ASSERT_FALSE(file_bytes(db_path()).empty());
    // While the store is open the rows are (at least) in the WAL.
    const std::string open_bytes = disk_bytes();
    ASSERT_NE(open_bytes.find(alice_.phone), std::string::npos)
        << "the scan must see plain columns, or it proves nothing";
    EXPECT_EQ(open_bytes.find("zebra-quartz-7731"), std::string::npos);
    EXPECT_EQ(open_bytes.find("merger"), std::string::npos);
    EXPECT_EQ(open_bytes.find("created Private group"), std::string::npos);  // announcements too

    ASSERT_TRUE(store().edit_message(org_.id, in_org.id, kEditedSecret, tick()));
    EXPECT_EQ(disk_bytes().find("walrus-onyx-4410"), std::string::npos);

    // After a clean close everything is checkpointed into the main file.
    close();
    const std::string closed_bytes = disk_bytes();
    EXPECT_NE(closed_bytes.find(alice_.phone), std::string::npos);
    EXPECT_EQ(closed_bytes.find("zebra-quartz-7731"), std::string::npos);
    EXPECT_EQ(closed_bytes.find("walrus-onyx-4410"), std::string::npos);

    // And it all reads back.
    reopen();
    EXPECT_EQ((*store().find_message(private_.id, in_private.id))->text, kSecret + " (private)");
    EXPECT_EQ((*store().find_message(org_.id, in_org.id))->text, kEditedSecret);
}

TEST_F(EncryptionTest, DataKeysAreStoredOnlyWrapped) {
    const auto m = post(org_, alice_, kSecret);
    post(private_, alice_, kSecret);
    close();  // checkpoint, so the scan below covers every byte written

    RawDb raw(db_path());
    const auto keys = raw.rows("SELECT id, wrapped FROM data_keys ORDER BY id");
    ASSERT_EQ(keys.size(), 2u);  // Acme's, and the private group's
    EXPECT_EQ(keys[0][0], "cnv:" + private_.id);
    EXPECT_EQ(keys[1][0], "org:" + acme_.id);
    const std::string bytes = disk_bytes();
    for (const auto& row : keys) {
        // nonce (24) + the 32-byte key + tag (16): a wrapped key, never a raw one.
        EXPECT_EQ(row[1].size(), crypto::DataKey::kSize + crypto::kSealOverhead) << row[0];
        EXPECT_EQ(row[1].size(), 72u);
        auto key = key_ring_.unwrap(row[1], row[0]);
        ASSERT_TRUE(key) << row[0] << ": " << key.error().message;
        // The key the store really uses appears nowhere on disk.
        EXPECT_EQ(bytes.find(std::string(key->bytes())), std::string::npos) << row[0];
        // A wrapped key does not unwrap under another key id.
        EXPECT_FALSE(key_ring_.unwrap(row[1], row[0] == keys[0][0] ? keys[1][0] : keys[0][0]));
    }

    // And that unwrapped key is the one the message body is sealed with.
    auto org_key = key_ring_.unwrap(keys[1][1], keys[1][0]);
    ASSERT_TRUE(org_key);
    const auto body = raw.rows("SELECT body, key_id FROM messages WHERE id = ?1", {m.id});
    ASSERT_EQ(body.size(), 1u);
    EXPECT_EQ(body[0][1], "org:" + acme_.id);
    EXPECT_EQ(body[0][0].size(), kSecret.size() + crypto::kSealOverhead);
    auto opened = crypto::open(*org_key, body[0][0], "message:" + m.id);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, kSecret);
}

TEST_F(EncryptionTest, AnotherMasterKeyFailsToReadInsteadOfReturningGarbage) {
    const auto m = post(org_, alice_, kSecret);
    close();

    const auto wrong_ring = crypto::KeyRing::from_key(crypto::DataKey::generate());
    auto opened = open_with(wrong_ring);
    ASSERT_TRUE(opened) << opened.error().message;  // the schema is readable without keys
    store_ = std::move(*opened);

    expect_error(store().list_messages(org_.id, MessageRange{}), ErrorKind::internal,
                 "decrypt_failed");
    expect_error(store().find_message(org_.id, m.id), ErrorKind::internal, "decrypt_failed");
    expect_error(store().list_messages(private_.id, MessageRange{}), ErrorKind::internal,
                 "decrypt_failed");
    // Nor can it write under a key it cannot unwrap (and it does not replace the key).
    expect_error(store().append_message(draft(org_, alice_, "new")), ErrorKind::internal,
                 "decrypt_failed");
    // Plain data is still there.
    EXPECT_TRUE(*store().find_user(alice_.id));

    // The right master key reads everything, untouched.
    close();
    reopen();
    auto found = store().find_message(org_.id, m.id);
    ASSERT_TRUE(found && *found) << (found ? "" : found.error().message);
    EXPECT_EQ((*found)->text, kSecret);
    EXPECT_EQ(conversation(org_.id).last_seq, 2);
}

TEST_F(EncryptionTest, BodiesSwappedInStorageFailToOpen) {
    const auto a = post(org_, alice_, "message A");
    const auto b = post(org_, bob_, "message B");
    close();
    {
        RawDb raw(db_path());
        // Same key, same conversation: only the associated data (the message id) tells them
        // apart.
        raw.exec("UPDATE messages SET body = (SELECT body FROM messages WHERE id = '" + b.id +
                 "') WHERE id = '" + a.id + "'");
    }
    reopen();
    expect_error(store().find_message(org_.id, a.id), ErrorKind::internal, "decrypt_failed");
    EXPECT_EQ((*store().find_message(org_.id, b.id))->text, "message B");
}

TEST_F(EncryptionTest, AWrappedKeyMovedToAnotherIdDoesNotUnwrap) {
    post(org_, alice_, "org secret");
    post(private_, alice_, "private secret");
    close();
    {
        RawDb raw(db_path());
        raw.exec("UPDATE data_keys SET wrapped = (SELECT wrapped FROM data_keys WHERE id = 'org:" +
                 acme_.id + "') WHERE id = 'cnv:" + private_.id + "'");
    }
    reopen();
    expect_error(store().list_messages(private_.id, MessageRange{}), ErrorKind::internal,
                 "decrypt_failed");
    EXPECT_EQ(all_messages(org_.id).back().text, "org secret");
}

}  // namespace
}  // namespace parley::store::testing
