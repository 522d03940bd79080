// Types from content with libmagic, over the attachment fixtures: every accepted kind, names
// that lie, types refused; and pictures decoded (or refused when truncated).

#include "media/file_type.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fakes/temp_dir.hpp"
#include "media/picture.hpp"

namespace parley::media {
namespace {

std::filesystem::path fixture(const std::string& name) {
    return std::filesystem::path(PARLEY_SOURCE_DIR) / "tests/fixtures/attachments" / name;
}

TEST(FileType, AcceptedKindsByContent) {
    struct Row {
        const char* file;
        const char* name;
        const char* kind;
        const char* content_type;
    };
    const Row rows[] = {
        {"picture.png", "picture.PNG", "picture", "image/png"},
        {"photo.jpg", "photo.jpeg", "picture", "image/jpeg"},
        {"sticker.webp", "s.webp", "picture", "image/webp"},
        {"anim.gif", "a.gif", "picture", "image/gif"},
        {"document.pdf", "d.pdf", "document", "application/pdf"},
        {"report.docx", "r.docx", "document",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"notes.txt", "n.txt", "document", "text/plain"},
        {"notes.txt", "n.csv", "document", "text/csv"},
        {"table.csv", "t.csv", "document", "text/csv"},
        {"tune.mp3", "t.mp3", "audio", "audio/mpeg"},
        {"song.m4a", "s.m4a", "audio", "audio/mp4"},
        {"sound.ogg", "s.ogg", "audio", "audio/ogg"},
        {"voice.wav", "v.wav", "audio", "audio/wav"},
        {"clip.mp4", "c.mp4", "video", "video/mp4"},
        {"phone.3gp", "p.3gp", "video", "video/3gpp"},
        {"movie.webm", "m.webm", "video", "video/webm"},
    };
    for (const Row& r : rows) {
        auto type = identify(fixture(r.file), r.name);
        ASSERT_TRUE(type) << r.file << ": " << type.error().message;
        EXPECT_EQ(type->kind, r.kind) << r.file;
        EXPECT_EQ(type->content_type, r.content_type) << r.file;
    }
}

TEST(FileType, NamesThatLieAndTypesRefused) {
    auto lie = identify(fixture("picture.png"), "picture.jpg");
    ASSERT_FALSE(lie);
    EXPECT_EQ(lie.error().code, "attachment_type_mismatch");
    EXPECT_EQ(lie.error().kind, ErrorKind::unsupported_type);
    EXPECT_EQ(identify(fixture("report.docx"), "report.pptx").error().code,
              "attachment_type_mismatch");
    EXPECT_EQ(identify(fixture("voice.wav"), "voice").error().code, "attachment_type_mismatch");
    EXPECT_EQ(identify(fixture("archive.zip"), "archive.zip").error().code,
              "attachment_type_unsupported");
    EXPECT_EQ(identify(fixture("archive.zip"), "archive.docx").error().code,
              "attachment_type_unsupported");
}

TEST(Picture, SizeAndThumbnail) {
    auto wide = read_picture(fixture("photo.jpg"), "jpeg");
    ASSERT_TRUE(wide) << wide.error().message;
    EXPECT_EQ(wide->width, 400);
    EXPECT_EQ(wide->height, 200);
    EXPECT_EQ(wide->thumbnail_jpeg.substr(0, 2), "\xFF\xD8");
    for (auto [file, format] :
         {std::pair{"picture.png", "png"}, {"sticker.webp", "webp"}, {"anim.gif", "gif"}}) {
        auto p = read_picture(fixture(file), format);
        EXPECT_TRUE(p) << file;
    }
}

TEST(Picture, TruncatedIsUnreadable) {
    EXPECT_EQ(read_picture(fixture("truncated.png"), "png").error().code, "attachment_unreadable");
    parley::testing::TempDir dir;
    std::ifstream in(fixture("photo.jpg"), std::ios::binary);
    std::string jpeg((std::istreambuf_iterator<char>(in)), {});
    const auto half = dir.path() / "half.jpg";
    std::ofstream(half, std::ios::binary) << jpeg.substr(0, jpeg.size() / 2);
    EXPECT_EQ(read_picture(half, "jpeg").error().code, "attachment_unreadable");
    // A header claiming a gigapixel picture is refused before anything is decoded.
    std::ifstream png_in(fixture("picture.png"), std::ios::binary);
    std::string png((std::istreambuf_iterator<char>(png_in)), {});
    png.replace(16, 8, std::string("\x00\x01\x00\x00\x00\x01\x00\x00", 8));
    const auto huge = dir.path() / "huge.png";
    std::ofstream(huge, std::ios::binary) << png;
    EXPECT_EQ(read_picture(huge, "png").error().code, "attachment_unreadable");
}

}  // namespace
}  // namespace parley::media
