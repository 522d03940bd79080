// Attachments over the real server: upload of every kind (type from the content, metadata,
// thumbnails, durations), the refusals (lying names, unsupported types, truncated pictures,
// oversize bodies, non-members), download headers and streaming, messages carrying several
// attachments with a caption (history and live), forwards, the blobs at rest, and the sweep of
// what no one will fetch again.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

namespace fs = std::filesystem;

std::string attachments_path(const std::string& conversation) {
    return conv_path(conversation) + "/attachments";
}

std::string group_with(ParleyServer& server, const Session& owner,
                       const std::vector<std::string>& phones, const std::string& name = "Files") {
    auto r = server.post("/api/v1/groups", {{"name", name}, {"members", phones}}, owner.token);
    if (r.status != 201) throw std::runtime_error("group: " + r.raw);
    return r.body["id"];
}

std::vector<fs::path> files_under(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    return files;
}

struct Expected {
    std::string file;
    std::string kind;
    std::string content_type;
    std::optional<int> width;
    std::optional<int> height;
    std::optional<int> duration_ms;
};

TEST(Attachments, EveryKindIsRecognisedFromItsContentAndDescribed) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, alice.token, "Media");
    const Expected kinds[] = {
        {"picture.png", "picture", "image/png", 3, 2, {}},
        {"photo.jpg", "picture", "image/jpeg", 400, 200, {}},
        {"sticker.webp", "picture", "image/webp", 400, 200, {}},
        {"anim.gif", "picture", "image/gif", 8, 6, {}},
        {"document.pdf", "document", "application/pdf", {}, {}, {}},
        {"report.docx",
         "document",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         {},
         {},
         {}},
        {"notes.txt", "document", "text/plain", {}, {}, {}},
        {"table.csv", "document", "text/csv", {}, {}, {}},
        {"tune.mp3", "audio", "audio/mpeg", {}, {}, 78},
        {"song.m4a", "audio", "audio/mp4", {}, {}, 3000},
        {"sound.ogg", "audio", "audio/ogg", {}, {}, 2000},
        {"voice.wav", "audio", "audio/wav", {}, {}, 500},
        {"clip.mp4", "video", "video/mp4", {}, {}, 2500},
        {"phone.3gp", "video", "video/3gpp", {}, {}, 4000},
        {"movie.webm", "video", "video/webm", {}, {}, {}},
    };
    for (const Expected& e : kinds) {
        SCOPED_TRACE(e.file);
        const std::string bytes = attachment_fixture(e.file);
        // The declared Content-Type is not trusted: everything is sent as text/html.
        Response r = upload_attachment(server, alice, group, e.file, bytes, "text/html");
        ASSERT_EQ(r.status, 201) << r;
        const json& a = r.body;
        EXPECT_TRUE(a["id"].get<std::string>().starts_with("att_")) << a;
        EXPECT_EQ(a["kind"], e.kind);
        EXPECT_EQ(a["content_type"], e.content_type);
        EXPECT_EQ(a["name"], e.file);
        EXPECT_EQ(a["size"], bytes.size());
        EXPECT_EQ(a["message_id"], nullptr);
        EXPECT_EQ(a["width"], e.width ? json(*e.width) : json(nullptr));
        EXPECT_EQ(a["height"], e.height ? json(*e.height) : json(nullptr));
        EXPECT_EQ(a["duration_ms"], e.duration_ms ? json(*e.duration_ms) : json(nullptr));
        EXPECT_EQ(a["has_thumbnail"], e.kind == "picture");

        // The uploader gets the exact bytes back.
        Response back =
            server.get("/api/v1/attachments/" + a["id"].get<std::string>(), alice.token);
        ASSERT_EQ(back.status, 200) << back;
        EXPECT_EQ(back.raw, bytes);
        EXPECT_EQ(back.header("content-type"), e.content_type);
        if (e.kind == "picture") {
            Response thumb = server.get(a["thumbnail_url"].get<std::string>(), alice.token);
            ASSERT_EQ(thumb.status, 200) << thumb;
            EXPECT_EQ(thumb.header("content-type"), "image/jpeg");
            ASSERT_GE(thumb.raw.size(), 4u);
            EXPECT_EQ(thumb.raw.substr(0, 2), "\xFF\xD8");
        } else {
            Response thumb = server.get(
                "/api/v1/attachments/" + a["id"].get<std::string>() + "/thumbnail", alice.token);
            EXPECT_EQ(thumb.status, 404) << thumb;
            EXPECT_EQ(thumb.error_code(), "thumbnail_not_found");
        }
    }
}

TEST(Attachments, LargeFileStreamsInAndOutIntact) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, alice.token, "Big");
    // Several chunks and a partial one: plain text so that its type is recognised.
    std::string text;
    for (int i = 0; text.size() < 300'000; ++i) text += "line " + std::to_string(i) + "\n";
    Response r = upload_attachment(server, alice, group, "big.txt", text);
    ASSERT_EQ(r.status, 201) << r;
    EXPECT_EQ(r.body["size"], text.size());
    Response back = server.get(r.body["url"].get<std::string>(), alice.token);
    ASSERT_EQ(back.status, 200) << back;
    EXPECT_EQ(back.header("content-length"), std::to_string(text.size()));
    EXPECT_TRUE(back.raw == text) << "downloaded " << back.raw.size() << " bytes";
}

TEST(Attachments, ContentDecidesAndLiesAreRefused) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, alice.token, "Checks");
    struct Case {
        std::string name;
        std::string bytes;
        int status;
        std::string code;
    };
    const std::string jpeg = attachment_fixture("photo.jpg");
    const Case cases[] = {
        {"photo.jpg", attachment_fixture("picture.png"), 415, "attachment_type_mismatch"},
        {"notes.pdf", attachment_fixture("notes.txt"), 415, "attachment_type_mismatch"},
        {"clip.mp3", attachment_fixture("clip.mp4"), 415, "attachment_type_mismatch"},
        {"report.xlsx", attachment_fixture("report.docx"), 415, "attachment_type_mismatch"},
        {"noextension", attachment_fixture("document.pdf"), 415, "attachment_type_mismatch"},
        {"archive.zip", attachment_fixture("archive.zip"), 415, "attachment_type_unsupported"},
        {"page.html", "<!DOCTYPE html><html><script>alert(1)</script></html>", 415,
         "attachment_type_unsupported"},
        {"broken.png", attachment_fixture("truncated.png"), 422, "attachment_unreadable"},
        {"broken.jpg", jpeg.substr(0, jpeg.size() / 2), 422, "attachment_unreadable"},
        {"empty.txt", "", 422, "attachment_empty"},
        {"a/b.txt", "text", 422, "invalid_file_name"},
        {"", "text", 422, "invalid_file_name"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Response r = upload_attachment(server, alice, group, c.name, c.bytes);
        EXPECT_EQ(r.status, c.status) << r;
        EXPECT_EQ(r.error_code(), c.code) << r;
    }
    // Nothing refused was kept: no blob, no leftover upload.
    EXPECT_TRUE(files_under(server.data_dir() / "blobs").empty());
    EXPECT_TRUE(files_under(server.data_dir() / "uploads").empty());
    // The name may come in a header instead.
    Response by_header =
        server.http().request("POST", attachments_path(group), attachment_fixture("notes.txt"),
                              alice.token, {"X-Filename: notes.txt"});
    EXPECT_EQ(by_header.status, 201) << by_header;
}

TEST(Attachments, OversizeUploadIsRefusedAndItsPartDeleted) {
    ParleyServer server({"--max-attachment-bytes", "4096"});
    Session alice = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, alice.token, "Small files");
    Response big = upload_attachment(server, alice, group, "voice.wav",
                                     attachment_fixture("voice.wav"));  // 8044 bytes
    EXPECT_EQ(big.status, 413) << big;
    EXPECT_EQ(big.error_code(), "attachment_too_large");
    // A chunked body has no length to check up front: it is cut while it arrives.
    std::string chunked_text(10'000, 'x');
    Response cut =
        server.client()->request("POST", attachments_path(group) + "?filename=a.txt", chunked_text,
                                 alice.token, {"Transfer-Encoding: chunked"});
    EXPECT_EQ(cut.status, 413) << cut;
    EXPECT_EQ(cut.error_code(), "attachment_too_large");
    EXPECT_TRUE(files_under(server.data_dir() / "uploads").empty());
    EXPECT_TRUE(files_under(server.data_dir() / "blobs").empty());
    // Under the limit still works, and ordinary JSON routes keep their own limit.
    EXPECT_EQ(upload_attachment(server, alice, group, "notes.txt", attachment_fixture("notes.txt"))
                  .status,
              201);
    EXPECT_EQ(send_text(server, alice.token, group, "still fine")["text"], "still fine");
}

TEST(Attachments, OnlyThoseWhoMaySendUploadAndOnlyReadersDownload) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    const std::string group = group_with(server, alice, {kBobPhone});

    Response stranger =
        upload_attachment(server, carol, group, "notes.txt", attachment_fixture("notes.txt"));
    EXPECT_EQ(stranger.status, 404) << stranger;
    EXPECT_EQ(stranger.error_code(), "conversation_not_found");
    Response anonymous = server.http().request("POST", attachments_path(group) + "?filename=n.txt",
                                               attachment_fixture("notes.txt"), "", {});
    EXPECT_EQ(anonymous.status, 401) << anonymous;

    json a = upload_fixture(server, alice, group, "picture.png");
    const std::string url = a["url"];
    // Unsent: the uploader's alone, even for members.
    EXPECT_EQ(server.get(url, bob.token).error_code(), "attachment_not_found");
    EXPECT_EQ(server.get(url, carol.token).error_code(), "attachment_not_found");
    EXPECT_EQ(server.get(url + "/thumbnail", bob.token).status, 404);
    EXPECT_EQ(server.get(url).status, 401);

    auto sent = server.post(messages_path(group), {{"attachments", {a["id"]}}}, alice.token);
    ASSERT_EQ(sent.status, 201) << sent;
    EXPECT_EQ(server.get(url, bob.token).status, 200);
    EXPECT_EQ(server.get(url + "/thumbnail", bob.token).status, 200);
    Response outsider = server.get(url, carol.token);
    EXPECT_EQ(outsider.status, 404) << outsider;
    EXPECT_EQ(outsider.error_code(), "attachment_not_found");
    EXPECT_EQ(server.get("/api/v1/attachments/att_nope", bob.token).status, 404);

    // Bob leaves: the file goes with the conversation.
    ASSERT_LT(server.del(group_path(group) + "/members/" + bob.user_id, bob.token).status, 300);
    EXPECT_EQ(server.get(url, bob.token).status, 404);
    // Deleted for everyone: nobody downloads it any more.
    ASSERT_EQ(
        server.del(messages_path(group) + "/" + sent.body["id"].get<std::string>(), alice.token)
            .status,
        200);
    EXPECT_EQ(server.get(url, alice.token).status, 404);
}

TEST(Attachments, DownloadHeadersStopSniffingAndInlining) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, alice.token, "Headers");
    Response pdf = upload_attachment(server, alice, group, "résumé \"final\".pdf",
                                     attachment_fixture("document.pdf"));
    ASSERT_EQ(pdf.status, 201) << pdf;
    Response r = server.get(pdf.body["url"].get<std::string>() + "?inline=1", alice.token);
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.header("content-type"), "application/pdf");
    EXPECT_EQ(r.header("content-length"),
              std::to_string(attachment_fixture("document.pdf").size()));
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("content-security-policy"), "sandbox");
    // Not a picture: a download whatever is asked, with the exact name in RFC 8187 form.
    EXPECT_EQ(r.header("content-disposition"),
              "attachment; filename=\"r__sum__ _final_.pdf\"; "
              "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf");

    json png = upload_fixture(server, alice, group, "picture.png");
    Response shown = server.get(png["url"].get<std::string>() + "?inline=1", alice.token);
    EXPECT_TRUE(shown.header("content-disposition").starts_with("inline; "))
        << shown.header("content-disposition");
    Response saved = server.get(png["url"].get<std::string>(), alice.token);
    EXPECT_TRUE(saved.header("content-disposition").starts_with("attachment; "));
    EXPECT_EQ(saved.header("content-security-policy"), "sandbox");
}

TEST(Attachments, MessageCarriesSeveralWithCaptionInHistoryAndLive) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    const std::string group = group_with(server, alice, {kBobPhone});
    WsClient wb(server.port(), "/api/v1/stream", {bearer(bob)});
    ASSERT_EQ(wb.read().value("type", ""), "hello");

    json photo = upload_fixture(server, alice, group, "photo.jpg");
    json doc = upload_fixture(server, alice, group, "document.pdf");
    json voice = upload_fixture(server, alice, group, "voice.wav");
    auto sent = server.post(
        messages_path(group),
        {{"text", "Site visit"}, {"attachments", {photo["id"], doc["id"], voice["id"]}}},
        alice.token);
    ASSERT_EQ(sent.status, 201) << sent;
    EXPECT_EQ(sent.body["text"], "Site visit");
    ASSERT_EQ(sent.body["attachments"].size(), 3u) << sent;
    EXPECT_EQ(sent.body["attachments"][0]["id"], photo["id"]);
    EXPECT_EQ(sent.body["attachments"][1]["id"], doc["id"]);
    EXPECT_EQ(sent.body["attachments"][2]["id"], voice["id"]);
    EXPECT_EQ(sent.body["attachments"][0]["width"], 400);
    EXPECT_EQ(sent.body["attachments"][2]["duration_ms"], 500);
    EXPECT_EQ(sent.body["attachments"][0]["message_id"], sent.body["id"]);

    json event;
    do {
        event = wb.read_until("message.created");
        ASSERT_FALSE(event.is_null()) << wb.error().message();
    } while (event["message"]["id"] != sent.body["id"]);
    auto history = all_messages(server.http(), group, bob.token);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(as_live(history.back()), event["message"]);
    EXPECT_EQ(history.back()["attachments"], sent.body["attachments"]);
    EXPECT_FALSE(history.back().dump().contains("blob")) << "no storage detail leaks";

    // Attachments alone, no caption.
    json only = upload_fixture(server, alice, group, "notes.txt");
    auto bare = server.post(messages_path(group), {{"attachments", {only["id"]}}}, alice.token);
    ASSERT_EQ(bare.status, 201) << bare;
    EXPECT_EQ(bare.body["text"], "");

    // Refusals: sent already, someone else's, another conversation's, unknown, none at all.
    auto again = server.post(messages_path(group), {{"attachments", {photo["id"]}}}, alice.token);
    EXPECT_EQ(again.status, 409) << again;
    EXPECT_EQ(again.error_code(), "attachment_already_sent");
    json bobs = upload_fixture(server, bob, group, "notes.txt");
    auto theirs = server.post(messages_path(group), {{"attachments", {bobs["id"]}}}, alice.token);
    EXPECT_EQ(theirs.status, 422) << theirs;
    EXPECT_EQ(theirs.error_code(), "attachment_not_found");
    const std::string other = create_group(server, alice.token, "Elsewhere");
    json elsewhere = upload_fixture(server, alice, other, "notes.txt");
    auto moved =
        server.post(messages_path(group), {{"attachments", {elsewhere["id"]}}}, alice.token);
    EXPECT_EQ(moved.error_code(), "attachment_not_found") << moved;
    auto unknown = server.post(messages_path(group), {{"attachments", {"att_nope"}}}, alice.token);
    EXPECT_EQ(unknown.error_code(), "attachment_not_found") << unknown;
    auto empty = server.post(messages_path(group), {{"text", " "}}, alice.token);
    EXPECT_EQ(empty.error_code(), "empty_message") << empty;
    std::vector<std::string> eleven;
    for (int i = 0; i < 11; ++i) {
        eleven.push_back(upload_fixture(server, alice, group, "notes.txt")["id"]);
    }
    auto many = server.post(messages_path(group), {{"attachments", eleven}}, alice.token);
    EXPECT_EQ(many.error_code(), "too_many_attachments") << many;
    // A refused message claimed nothing: the same uploads still send.
    eleven.pop_back();
    auto ten = server.post(messages_path(group), {{"attachments", eleven}}, alice.token);
    EXPECT_EQ(ten.status, 201) << ten;

    // A retry with the same client_id answers with the original, not attachment_already_sent.
    json retried = upload_fixture(server, alice, group, "table.csv");
    json body = {{"text", "csv"}, {"attachments", {retried["id"]}}, {"client_id", "retry-1"}};
    auto first = server.post(messages_path(group), body, alice.token);
    ASSERT_EQ(first.status, 201) << first;
    auto second = server.post(messages_path(group), body, alice.token);
    EXPECT_EQ(second.status, 200) << second;
    EXPECT_EQ(second.body["id"], first.body["id"]);
    EXPECT_EQ(second.body["attachments"], first.body["attachments"]);
}

TEST(Attachments, ForwardCarriesThemIntoAnotherConversation) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    const std::string source = group_with(server, alice, {kCarolPhone}, "Source");
    const std::string target = group_with(server, alice, {kBobPhone}, "Target");
    json photo = upload_fixture(server, alice, source, "photo.jpg");
    json doc = upload_fixture(server, alice, source, "document.pdf");
    auto original =
        server.post(messages_path(source),
                    {{"text", "Plans"}, {"attachments", {photo["id"], doc["id"]}}}, alice.token);
    ASSERT_EQ(original.status, 201) << original;

    auto forwarded = server.post(
        messages_path(target),
        {{"forward_of", {{"conversation_id", source}, {"message_id", original.body["id"]}}}},
        alice.token);
    ASSERT_EQ(forwarded.status, 201) << forwarded;
    EXPECT_EQ(forwarded.body["forwarded"], true);
    EXPECT_EQ(forwarded.body["text"], "Plans");
    ASSERT_EQ(forwarded.body["attachments"].size(), 2u) << forwarded;
    const json copy = forwarded.body["attachments"][0];
    EXPECT_NE(copy["id"], photo["id"]);
    EXPECT_EQ(copy["conversation_id"], target);
    EXPECT_EQ(copy["name"], "photo.jpg");
    EXPECT_EQ(copy["width"], 400);

    // Bob reads the target only: the copy is his to fetch, the original is not.
    Response fetched = server.get(copy["url"].get<std::string>(), bob.token);
    ASSERT_EQ(fetched.status, 200) << fetched;
    EXPECT_TRUE(fetched.raw == attachment_fixture("photo.jpg"));
    EXPECT_EQ(server.get(copy["thumbnail_url"].get<std::string>(), bob.token).status, 200);
    EXPECT_EQ(server.get(photo["url"].get<std::string>(), bob.token).status, 404);
    // Carol reads the source only.
    EXPECT_EQ(server.get(photo["url"].get<std::string>(), carol.token).status, 200);
    EXPECT_EQ(server.get(copy["url"].get<std::string>(), carol.token).status, 404);
    auto bobs_history = all_messages(server.http(), target, bob.token);
    EXPECT_EQ(bobs_history.back()["attachments"], forwarded.body["attachments"]);

    // Someone who cannot read the source cannot forward from it.
    auto refused = server.post(
        messages_path(target),
        {{"forward_of", {{"conversation_id", source}, {"message_id", original.body["id"]}}}},
        bob.token);
    EXPECT_EQ(refused.status, 404) << refused;
}

TEST(Attachments, BlobsAtRestAreSealedAndStoredOncePerOwner) {
    ParleyServer server;
    Session alice = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, alice.token, "Secrets");
    const std::string secret = "The launch code is 0000-SECRET-PLAINTEXT.\n";
    Response first = upload_attachment(server, alice, group, "secret.txt", secret);
    ASSERT_EQ(first.status, 201) << first;
    Response second = upload_attachment(server, alice, group, "copy.txt", secret);
    ASSERT_EQ(second.status, 201) << second;
    EXPECT_NE(first.body["id"], second.body["id"]);

    auto blobs = files_under(server.data_dir() / "blobs");
    // The same bytes under the same owner key: one blob, in a two-level directory.
    ASSERT_EQ(blobs.size(), 1u);
    const fs::path relative = fs::relative(blobs[0], server.data_dir() / "blobs");
    EXPECT_EQ(relative.begin()->string().size(), 2u) << relative;
    const std::string stored = read_file(blobs[0]);
    EXPECT_EQ(stored.find("SECRET-PLAINTEXT"), std::string::npos);
    EXPECT_GT(stored.size(), secret.size());
    EXPECT_TRUE(files_under(server.data_dir() / "uploads").empty());

    // Another conversation of a private owner has its own key: another blob.
    const std::string other = create_group(server, alice.token, "Other");
    ASSERT_EQ(upload_attachment(server, alice, other, "secret.txt", secret).status, 201);
    EXPECT_EQ(files_under(server.data_dir() / "blobs").size(), 2u);

    // Still served intact after a restart.
    server.stop();
    server.restart();
    Session again = server.sign_in(kAdminPhone);
    Response back = server.get(first.body["url"].get<std::string>(), again.token);
    ASSERT_EQ(back.status, 200) << back;
    EXPECT_EQ(back.raw, secret);
}

TEST(Attachments, UploadsNeverSentAndFilesOfDeletedMessagesAreSwept) {
    // Sweeps every second; an upload unsent for a second is gone at the next one.
    ParleyServer server({"--attachment-sweep-interval", "1", "--unsent-attachment-ttl", "1"});
    Session alice = server.sign_in(kAdminPhone);
    const std::string group = create_group(server, alice.token, "Sweep");
    const fs::path blobs = server.data_dir() / "blobs";
    auto send = [&](const std::string& id) {
        Response r = server.post(messages_path(group), {{"attachments", {id}}}, alice.token);
        EXPECT_EQ(r.status, 201) << r;
        return r.body.value("id", "");
    };
    const std::string kept = upload_fixture(server, alice, group, "document.pdf")["id"];
    send(kept);
    const std::string unsent = upload_fixture(server, alice, group, "notes.txt")["id"];
    const std::string deleted = upload_fixture(server, alice, group, "photo.jpg")["id"];
    const std::string deleted_message = send(deleted);
    ASSERT_EQ(server.del(messages_path(group) + "/" + deleted_message, alice.token).status, 200);
    // document.pdf; notes.txt; photo.jpg and its thumbnail.
    ASSERT_EQ(files_under(blobs).size(), 4u);

    // Only the sent document's blob stays.
    for (int i = 0; i < 300 && files_under(blobs).size() != 1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(files_under(blobs).size(), 1u);
    Response back = server.get("/api/v1/attachments/" + kept, alice.token);
    ASSERT_EQ(back.status, 200) << back;
    EXPECT_EQ(back.raw, attachment_fixture("document.pdf"));
    EXPECT_EQ(server.get("/api/v1/attachments/" + unsent, alice.token).error_code(),
              "attachment_not_found");
    EXPECT_EQ(server.get("/api/v1/attachments/" + deleted, alice.token).error_code(),
              "attachment_not_found");
    // A swept upload cannot be sent any more; a new upload of the same bytes can.
    EXPECT_EQ(
        server.post(messages_path(group), {{"attachments", {unsent}}}, alice.token).error_code(),
        "attachment_not_found");
    send(upload_fixture(server, alice, group, "notes.txt")["id"]);
}

}  // namespace
}  // namespace parley::it
