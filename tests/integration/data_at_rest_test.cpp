// Data at rest: message text is sealed in the database, the master key file is private, and
// everything reads back after a restart.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

// Every file SQLite may keep data in.
std::string database_bytes(const std::filesystem::path& dir) {
    std::string bytes;
    for (const char* name : {"parley.db", "parley.db-wal", "parley.db-journal", "parley.db-shm"}) {
        auto path = dir / name;
        if (std::filesystem::exists(path)) bytes += read_file(path);
    }
    return bytes;
}

TEST(DataAtRest, MessagesAreSealedAndSurviveRestart) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string group = create_group(server, a.token, "Vault");
    ASSERT_EQ(server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token).status,
              200);
    const std::string secret = "zebra-quokka-7781 the merger closes on Friday";
    const std::string edited_secret = "narwhal-ibex-4432 the merger is off";
    const std::string reply_secret = "pangolin-okapi-9090 noted";
    auto sent = send_text(server, a.token, group, secret);
    auto other = send_text(server, b.token, group, reply_secret, "cid-rest");
    auto chat = server.post("/api/v1/chats", {{"phone", kBobPhone}}, a.token);
    ASSERT_EQ(chat.status, 201) << chat;
    send_text(server, a.token, chat.body["id"], "chat " + secret);

    // While running (WAL not yet checkpointed) the text is not on disk in the clear ...
    std::string live = database_bytes(server.data_dir());
    ASSERT_FALSE(live.empty());
    EXPECT_EQ(live.find("zebra-quokka-7781"), std::string::npos);
    EXPECT_EQ(live.find("pangolin-okapi-9090"), std::string::npos);
    // ... and edits are sealed too.
    auto edited = server.patch(messages_path(group) + "/" + sent["id"].get<std::string>(),
                               {{"text", edited_secret}}, a.token);
    ASSERT_EQ(edited.status, 200) << edited;

    ASSERT_EQ(server.stop(), 0) << "SIGTERM must stop parleyd with exit status 0";

    std::string bytes = database_bytes(server.data_dir());
    ASSERT_GT(bytes.size(), 1000u);
    EXPECT_EQ(bytes.find("zebra-quokka-7781"), std::string::npos)
        << "message text stored in the clear";
    EXPECT_EQ(bytes.find("narwhal-ibex-4432"), std::string::npos)
        << "edited text stored in the clear";
    EXPECT_EQ(bytes.find("pangolin-okapi-9090"), std::string::npos)
        << "message text stored in the clear";
    // Nor is a bearer token (only its hash is stored).
    EXPECT_EQ(bytes.find(a.token), std::string::npos) << "a session token stored in the clear";
    EXPECT_EQ(bytes.find(b.token), std::string::npos) << "a session token stored in the clear";

    auto key = server.data_dir() / "master.key";
    struct stat st {};
    ASSERT_EQ(::stat(key.c_str(), &st), 0) << key << " missing";
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "master.key mode is " << std::oct << (st.st_mode & 0777);
    EXPECT_GT(st.st_size, 0);
    struct stat dir {};
    ASSERT_EQ(::stat(server.data_dir().c_str(), &dir), 0);
    EXPECT_EQ(dir.st_mode & 077, 0u) << "the data directory is open to others";

    // Back up on the same directory: sessions, history and sequence numbers carry on.
    server.restart();
    auto history = all_messages(server.http(), group, b.token);
    bool found_edit = false, found_reply = false;
    for (const auto& m : history) {
        if (m["id"] == sent["id"]) {
            found_edit = true;
            EXPECT_EQ(m["text"], edited_secret);
            EXPECT_NE(m["edited_at"], nullptr);
        }
        if (m["id"] == other["id"]) {
            found_reply = true;
            EXPECT_EQ(m["text"], reply_secret);
            EXPECT_EQ(m["client_id"], "cid-rest");
        }
    }
    EXPECT_TRUE(found_edit);
    EXPECT_TRUE(found_reply);
    auto chat_history = all_messages(server.http(), chat.body["id"], b.token);
    ASSERT_FALSE(chat_history.empty());
    EXPECT_EQ(chat_history.back()["text"], "chat " + secret);

    auto next = send_text(server, a.token, group, "after restart");
    EXPECT_EQ(next["seq"], history.back()["seq"].get<std::int64_t>() + 1);
    // Idempotency survives the restart too.
    auto retry = server.post(messages_path(group),
                             {{"text", reply_secret}, {"client_id", "cid-rest"}}, b.token);
    EXPECT_EQ(retry.status, 200) << retry;
    EXPECT_EQ(retry.body["id"], other["id"]);
}

TEST(DataAtRest, OrganizationMessagesAreSealedToo) {
    ParleyServer server(contoso_args());
    Session a = server.sign_in(kAdminPhone);
    std::string org = first_organization_id(server, a.token);
    auto g = server.post(org_path(org) + "/groups", {{"name", "Board"}}, a.token);
    ASSERT_EQ(g.status, 201) << g;
    send_text(server, a.token, g.body["id"], "okapi-lemur-5150 quarterly numbers");
    ASSERT_EQ(server.stop(), 0);
    EXPECT_EQ(database_bytes(server.data_dir()).find("okapi-lemur-5150"), std::string::npos);
    server.restart();
    auto history = all_messages(server.http(), g.body["id"], a.token);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.back()["text"], "okapi-lemur-5150 quarterly numbers");
}

}  // namespace
}  // namespace parley::it
