// Messages: sequence numbers, idempotent sends, history paging, edit and delete, replies,
// length limits, read markers, and what a non-member can learn (nothing).

#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

struct TwoPeople {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session b = server.sign_in(kBobPhone);
    std::string group = create_group(server, a.token, "Chatter");

    TwoPeople() {
        auto added = server.post(group_path(group) + "/members", {{"phone", kBobPhone}}, a.token);
        EXPECT_EQ(added.status, 200) << added;
    }
    std::int64_t last_seq(const std::string& token) {
        auto view = server.get(conv_path(group), token);
        EXPECT_EQ(view.status, 200) << view;
        return view.body["last_seq"].get<std::int64_t>();
    }
};

TEST(Messages, SequenceNumbersIncreasePerConversation) {
    TwoPeople t;
    auto& server = t.server;
    std::int64_t start = t.last_seq(t.a.token);  // "created" and "added" system messages
    EXPECT_GE(start, 2);

    std::string other = create_group(server, t.b.token, "Elsewhere");
    std::int64_t expected = start;
    for (int i = 0; i < 5; ++i) {
        auto m = send_text(server, i % 2 ? t.b.token : t.a.token, t.group, "n" + std::to_string(i));
        EXPECT_EQ(m["seq"], ++expected) << m;
        EXPECT_EQ(m["conversation_id"], t.group);
        EXPECT_EQ(m["kind"], "text");
        EXPECT_EQ(m["sender_id"], i % 2 ? t.b.user_id : t.a.user_id);
        EXPECT_EQ(m["edited_at"], nullptr);
        EXPECT_EQ(m["deleted"], false);
        // Another conversation counts on its own.
        auto o = send_text(server, t.b.token, other, "o" + std::to_string(i));
        EXPECT_EQ(o["seq"], i + 2) << o;
    }
    EXPECT_EQ(t.last_seq(t.a.token), expected);

    auto history = all_messages(server.http(), t.group, t.a.token);
    ASSERT_EQ(static_cast<std::int64_t>(history.size()), expected);
    for (std::size_t i = 0; i < history.size(); ++i) EXPECT_EQ(history[i]["seq"], i + 1);
}

TEST(Messages, ClientIdMakesSendingIdempotent) {
    TwoPeople t;
    auto& server = t.server;
    json body = {{"text", "exactly once"}, {"client_id", "c-123"}};
    auto first = server.post(messages_path(t.group), body, t.a.token);
    ASSERT_EQ(first.status, 201) << first;
    EXPECT_EQ(first.body["duplicate"], false);
    EXPECT_EQ(first.body["client_id"], "c-123");
    auto retry = server.post(messages_path(t.group), body, t.a.token);
    ASSERT_EQ(retry.status, 200) << retry;
    EXPECT_EQ(retry.body["duplicate"], true);
    EXPECT_EQ(retry.body["id"], first.body["id"]);
    EXPECT_EQ(retry.body["seq"], first.body["seq"]);
    EXPECT_EQ(retry.body["text"], "exactly once");

    // The same client_id from someone else is their own message.
    auto other_sender = server.post(messages_path(t.group), body, t.b.token);
    EXPECT_EQ(other_sender.status, 201) << other_sender;
    EXPECT_NE(other_sender.body["id"], first.body["id"]);

    int copies = 0;
    for (const auto& m : all_messages(server.http(), t.group, t.a.token)) {
        if (m["sender_id"] == t.a.user_id && m["client_id"] == "c-123") ++copies;
    }
    EXPECT_EQ(copies, 1);

    auto long_id = server.post(messages_path(t.group),
                               {{"text", "x"}, {"client_id", std::string(101, 'k')}}, t.a.token);
    EXPECT_EQ(long_id.status, 422) << long_id;
    EXPECT_EQ(long_id.error_code(), "invalid_client_id");
}

TEST(Messages, HistoryPaging) {
    TwoPeople t;
    auto& server = t.server;
    std::int64_t base = t.last_seq(t.a.token);
    for (int i = 1; i <= 10; ++i) send_text(server, t.a.token, t.group, "m" + std::to_string(i));
    std::int64_t last = base + 10;

    auto seqs = [](const Response& r) {
        std::vector<std::int64_t> out;
        for (const auto& m : r.body["messages"]) out.push_back(m["seq"]);
        return out;
    };
    auto first_page = server.get(messages_path(t.group) + "?after=0&limit=5", t.a.token);
    ASSERT_EQ(first_page.status, 200) << first_page;
    EXPECT_EQ(seqs(first_page), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(first_page.body["has_more"], true);

    auto tail = server.get(
        messages_path(t.group) + "?after=" + std::to_string(last - 3) + "&limit=5", t.a.token);
    ASSERT_EQ(tail.status, 200) << tail;
    EXPECT_EQ(seqs(tail), (std::vector<std::int64_t>{last - 2, last - 1, last}));
    EXPECT_EQ(tail.body["has_more"], false);

    // Before: the newest ones below the cursor, oldest first.
    auto before = server.get(
        messages_path(t.group) + "?before=" + std::to_string(last) + "&limit=3", t.a.token);
    ASSERT_EQ(before.status, 200) << before;
    EXPECT_EQ(seqs(before), (std::vector<std::int64_t>{last - 3, last - 2, last - 1}));
    EXPECT_EQ(before.body["has_more"], true);
    auto oldest = server.get(messages_path(t.group) + "?before=3&limit=5", t.a.token);
    ASSERT_EQ(oldest.status, 200) << oldest;
    EXPECT_EQ(seqs(oldest), (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(oldest.body["has_more"], false);

    // A window.
    auto window = server.get(messages_path(t.group) + "?after=2&before=6&limit=10", t.a.token);
    ASSERT_EQ(window.status, 200) << window;
    EXPECT_EQ(seqs(window), (std::vector<std::int64_t>{3, 4, 5}));
    EXPECT_EQ(window.body["has_more"], false);

    // Default page and the largest allowed.
    auto default_page = server.get(messages_path(t.group), t.a.token);
    EXPECT_EQ(default_page.body["messages"].size(), static_cast<std::size_t>(last));
    auto biggest = server.get(messages_path(t.group) + "?limit=200", t.a.token);
    EXPECT_EQ(biggest.status, 200) << biggest;
    auto past_end =
        server.get(messages_path(t.group) + "?after=" + std::to_string(last + 50), t.a.token);
    ASSERT_EQ(past_end.status, 200) << past_end;
    EXPECT_TRUE(past_end.body["messages"].empty());
    EXPECT_EQ(past_end.body["has_more"], false);
}

TEST(Messages, EditAndDelete) {
    TwoPeople t;
    auto& server = t.server;
    auto mine = send_text(server, t.b.token, t.group, "typo hree");
    std::string path = messages_path(t.group) + "/" + mine["id"].get<std::string>();

    auto not_mine = server.patch(path, {{"text", "hijacked"}}, t.a.token);
    EXPECT_EQ(not_mine.status, 403) << not_mine;
    EXPECT_EQ(not_mine.error_code(), "not_author");

    auto edited = server.patch(path, {{"text", "typo here"}}, t.b.token);
    ASSERT_EQ(edited.status, 200) << edited;
    EXPECT_EQ(edited.body["text"], "typo here");
    EXPECT_NE(edited.body["edited_at"], nullptr);
    EXPECT_EQ(edited.body["seq"], mine["seq"]);
    auto history = all_messages(server.http(), t.group, t.a.token);
    EXPECT_EQ(history.back()["text"], "typo here");
    EXPECT_NE(history.back()["edited_at"], nullptr);
    auto empty_edit = server.patch(path, {{"text", " "}}, t.b.token);
    EXPECT_EQ(empty_edit.status, 422) << empty_edit;

    // System messages cannot be edited by anyone.
    auto system_id = history.front()["id"].get<std::string>();
    auto edit_system =
        server.patch(messages_path(t.group) + "/" + system_id, {{"text", "x"}}, t.a.token);
    EXPECT_EQ(edit_system.status, 403) << edit_system;

    // The sender deletes their own.
    auto deleted = server.del(path, t.b.token);
    ASSERT_EQ(deleted.status, 200) << deleted;
    EXPECT_EQ(deleted.body["deleted"], true);
    EXPECT_EQ(deleted.body["text"], "");
    EXPECT_NE(deleted.body["deleted_at"], nullptr);
    auto again = server.del(path, t.b.token);
    EXPECT_EQ(again.status, 404) << again;
    auto edit_deleted = server.patch(path, {{"text", "back"}}, t.b.token);
    EXPECT_EQ(edit_deleted.status, 404) << edit_deleted;

    // A member cannot delete someone else's; a group admin can.
    auto admins = send_text(server, t.a.token, t.group, "admin's words");
    auto by_member =
        server.del(messages_path(t.group) + "/" + admins["id"].get<std::string>(), t.b.token);
    EXPECT_EQ(by_member.status, 403) << by_member;
    EXPECT_EQ(by_member.error_code(), "not_author");
    auto members = send_text(server, t.b.token, t.group, "member's words");
    auto by_admin =
        server.del(messages_path(t.group) + "/" + members["id"].get<std::string>(), t.a.token);
    EXPECT_EQ(by_admin.status, 200) << by_admin;

    // In history a deleted message keeps its place, without its text.
    int deleted_seen = 0;
    for (const auto& m : all_messages(server.http(), t.group, t.b.token)) {
        if (m["id"] == mine["id"] || m["id"] == members["id"]) {
            ++deleted_seen;
            EXPECT_EQ(m["deleted"], true) << m;
            EXPECT_EQ(m["text"], "") << m;
        }
    }
    EXPECT_EQ(deleted_seen, 2);

    // In a 1:1 chat only the sender deletes.
    auto chat = server.post("/api/v1/chats", {{"phone", kBobPhone}}, t.a.token);
    ASSERT_EQ(chat.status, 201) << chat;
    auto in_chat = send_text(server, t.b.token, chat.body["id"], "chat words");
    auto other_deletes = server.del(
        messages_path(chat.body["id"]) + "/" + in_chat["id"].get<std::string>(), t.a.token);
    EXPECT_EQ(other_deletes.status, 403) << other_deletes;
    // A message id of another conversation is not found here.
    auto wrong_conv = server.del(
        messages_path(chat.body["id"]) + "/" + admins["id"].get<std::string>(), t.a.token);
    EXPECT_EQ(wrong_conv.status, 404) << wrong_conv;
}

TEST(Messages, RepliesAndTextLimits) {
    TwoPeople t;
    auto& server = t.server;
    auto original = send_text(server, t.a.token, t.group, "question?");
    auto reply = server.post(messages_path(t.group),
                             {{"text", "answer"}, {"reply_to", original["id"]}}, t.b.token);
    ASSERT_EQ(reply.status, 201) << reply;
    EXPECT_EQ(reply.body["reply_to"], original["id"]);
    auto missing =
        server.post(messages_path(t.group),
                    {{"text", "to nothing"}, {"reply_to", "msg_does_not_exist"}}, t.b.token);
    EXPECT_EQ(missing.status, 422) << missing;
    EXPECT_EQ(missing.error_code(), "reply_target_not_found");
    // A message of another conversation is not a valid target either.
    std::string other = create_group(server, t.a.token, "Other");
    auto elsewhere = send_text(server, t.a.token, other, "elsewhere");
    auto cross = server.post(messages_path(t.group), {{"text", "x"}, {"reply_to", elsewhere["id"]}},
                             t.a.token);
    EXPECT_EQ(cross.status, 422) << cross;

    auto ok_ascii =
        server.post(messages_path(t.group), {{"text", std::string(4000, 'a')}}, t.a.token);
    EXPECT_EQ(ok_ascii.status, 201) << ok_ascii.status;
    auto long_ascii =
        server.post(messages_path(t.group), {{"text", std::string(4001, 'a')}}, t.a.token);
    EXPECT_EQ(long_ascii.status, 413) << long_ascii;
    EXPECT_EQ(long_ascii.error_code(), "message_too_long");

    // Characters, not bytes: 4000 euro signs are 12000 bytes and allowed.
    std::string euros;
    for (int i = 0; i < 4000; ++i) euros += "€";
    auto ok_euro = server.post(messages_path(t.group), {{"text", euros}}, t.a.token);
    ASSERT_EQ(ok_euro.status, 201) << ok_euro.status << " " << ok_euro.error_code();
    EXPECT_EQ(ok_euro.body["text"], euros);
    auto long_euro = server.post(messages_path(t.group), {{"text", euros + "€"}}, t.a.token);
    EXPECT_EQ(long_euro.status, 413) << long_euro;
    EXPECT_EQ(long_euro.error_code(), "message_too_long");
    // Emoji outside the BMP count as one character each (and arrive as JSON surrogate pairs).
    std::string emoji;
    for (int i = 0; i < 4000; ++i) emoji += "\xF0\x9F\x98\x80";
    auto ok_emoji = server.http().post_raw(messages_path(t.group),
                                           json({{"text", emoji}}).dump(-1, ' ', true), t.a.token);
    EXPECT_EQ(ok_emoji.status, 201) << ok_emoji.status << " " << ok_emoji.error_code();
    if (ok_emoji.status == 201) {
        EXPECT_EQ(ok_emoji.body["text"], emoji);
    }

    auto empty = server.post(messages_path(t.group), {{"text", ""}}, t.a.token);
    EXPECT_EQ(empty.status, 422) << empty;
    EXPECT_EQ(empty.error_code(), "empty_message");
    auto blank = server.post(messages_path(t.group), {{"text", " \n\t "}}, t.a.token);
    EXPECT_EQ(blank.status, 422) << blank;
    EXPECT_EQ(blank.error_code(), "empty_message");
    auto invalid_utf8 =
        server.http().post_raw(messages_path(t.group), "{\"text\":\"\xC3\x28\"}", t.a.token);
    EXPECT_EQ(invalid_utf8.status, 400) << invalid_utf8;
    EXPECT_EQ(invalid_utf8.error_code(), "malformed_json");
}

TEST(Messages, ReadMarkersAndUnreadCounts) {
    TwoPeople t;
    auto& server = t.server;
    for (int i = 0; i < 3; ++i) send_text(server, t.a.token, t.group, "news " + std::to_string(i));
    std::int64_t last = t.last_seq(t.a.token);

    auto summary = [&](const std::string& token) {
        auto list = server.get("/api/v1/conversations", token);
        EXPECT_EQ(list.status, 200) << list;
        for (const auto& c : list.body["conversations"]) {
            if (c["id"] == t.group) return c;
        }
        ADD_FAILURE() << "group missing from the list: " << list;
        return json();
    };
    // The sender has read what they sent; B has read nothing since joining (a new member's
    // marker starts where the group was when they joined).
    EXPECT_EQ(summary(t.a.token)["unread"], 0);
    std::int64_t joined_at = summary(t.b.token)["read_seq"];
    EXPECT_LE(joined_at, last - 3);
    EXPECT_EQ(summary(t.b.token)["unread"], last - joined_at);

    auto read = server.post(conv_path(t.group) + "/read", {{"seq", last - 1}}, t.b.token);
    ASSERT_EQ(read.status, 200) << read;
    EXPECT_EQ(read.body["read_seq"], last - 1);
    EXPECT_EQ(summary(t.b.token)["unread"], 1);

    // Markers never move back, nor beyond the last message.
    auto back = server.post(conv_path(t.group) + "/read", {{"seq", 1}}, t.b.token);
    EXPECT_EQ(back.body["read_seq"], last - 1) << back;
    auto beyond = server.post(conv_path(t.group) + "/read", {{"seq", last + 100}}, t.b.token);
    EXPECT_EQ(beyond.body["read_seq"], last) << beyond;
    EXPECT_EQ(summary(t.b.token)["unread"], 0);

    send_text(server, t.a.token, t.group, "one more");
    EXPECT_EQ(summary(t.b.token)["unread"], 1);
    auto negative = server.post(conv_path(t.group) + "/read", {{"seq", -1}}, t.b.token);
    EXPECT_EQ(negative.status, 422) << negative;
    EXPECT_EQ(negative.error_code(), "invalid_seq");
}

TEST(Messages, NonMembersGet404Everywhere) {
    TwoPeople t;
    auto& server = t.server;
    Session outsider = server.sign_in(kCarolPhone);
    auto m = send_text(server, t.a.token, t.group, "members only");
    std::string msg = messages_path(t.group) + "/" + m["id"].get<std::string>();

    struct Probe {
        std::string method, path;
        std::optional<json> body;
    };
    std::vector<Probe> probes = {
        {"GET", conv_path(t.group), {}},
        {"GET", messages_path(t.group), {}},
        {"POST", messages_path(t.group), json{{"text", "let me in"}}},
        {"PATCH", msg, json{{"text", "edited"}}},
        {"DELETE", msg, {}},
        {"POST", conv_path(t.group) + "/read", json{{"seq", 1}}},
        {"GET", group_path(t.group), {}},
        {"PATCH", group_path(t.group), json{{"name", "mine now"}}},
        {"GET", group_path(t.group) + "/members", {}},
        {"POST", group_path(t.group) + "/members", json{{"phone", kDavePhone}}},
        {"DELETE", group_path(t.group) + "/members/" + t.b.user_id, {}},
        {"PATCH", group_path(t.group) + "/members/" + t.b.user_id, json{{"role", "member"}}},
        {"DELETE", group_path(t.group) + "/members/me", {}},
        {"GET", group_path(t.group) + "/invites", {}},
        {"POST", group_path(t.group) + "/invites", json::object()},
        {"GET", group_path(t.group) + "/organization", {}},
        {"GET", conv_path("cnv_does_not_exist"), {}},
        {"GET", messages_path("cnv_does_not_exist"), {}},
    };
    for (const auto& p : probes) {
        SCOPED_TRACE(p.method + " " + p.path);
        auto r = server.http().request(
            p.method, p.path, p.body ? std::optional<std::string>(p.body->dump()) : std::nullopt,
            outsider.token);
        EXPECT_EQ(r.status, 404) << r;
        EXPECT_EQ(r.error_code(), "conversation_not_found") << r;
        // The answer for a real conversation is the same as for one that does not exist.
        EXPECT_EQ(r.error_message(), "No such conversation, or you are not a member of it.");
    }
    // Nothing changed.
    auto history = all_messages(server.http(), t.group, t.a.token);
    EXPECT_EQ(history.back()["id"], m["id"]);
    EXPECT_EQ(history.back()["text"], "members only");
}

}  // namespace
}  // namespace parley::it
