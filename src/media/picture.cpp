#include "media/picture.hpp"

#include <gd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <optional>

namespace parley::media {
namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

struct ImageDestroyer {
    void operator()(gdImagePtr image) const { gdImageDestroy(image); }
};
using Image = std::unique_ptr<gdImage, ImageDestroyer>;

std::uint32_t be16(const unsigned char* p) { return (p[0] << 8) | p[1]; }
std::uint32_t be32(const unsigned char* p) {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
std::uint32_t le16(const unsigned char* p) { return p[0] | (p[1] << 8); }
std::uint32_t le24(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16); }

struct Size {
    long long width = 0;
    long long height = 0;
};

std::string read_at(std::FILE* f, long offset, std::size_t n) {
    std::string bytes(n, '\0');
    if (std::fseek(f, offset, SEEK_SET) != 0) return {};
    bytes.resize(std::fread(bytes.data(), 1, n, f));
    return bytes;
}

// The size a picture's header claims, without decoding it.
std::optional<Size> header_size(std::FILE* f, std::string_view format) {
    if (format == "png") {
        auto h = read_at(f, 16, 8);
        if (h.size() < 8) return std::nullopt;
        auto* p = reinterpret_cast<const unsigned char*>(h.data());
        return Size{be32(p), be32(p + 4)};
    }
    if (format == "gif") {
        auto h = read_at(f, 6, 4);
        if (h.size() < 4) return std::nullopt;
        auto* p = reinterpret_cast<const unsigned char*>(h.data());
        return Size{le16(p), le16(p + 2)};
    }
    if (format == "webp") {
        auto h = read_at(f, 12, 18);
        if (h.size() < 18) return std::nullopt;
        auto* p = reinterpret_cast<const unsigned char*>(h.data());
        std::string_view chunk(h.data(), 4);
        if (chunk == "VP8X") return Size{le24(p + 12) + 1LL, le24(p + 15) + 1LL};
        if (chunk == "VP8L") {
            const std::uint32_t bits =
                p[9] | (p[10] << 8) | (p[11] << 16) | (static_cast<std::uint32_t>(p[12]) << 24);
            return Size{(bits & 0x3FFF) + 1LL, ((bits >> 14) & 0x3FFF) + 1LL};
        }
        if (chunk == "VP8 ") return Size{le16(p + 14) & 0x3FFF, le16(p + 16) & 0x3FFF};
        return std::nullopt;
    }
    // JPEG: walk the markers to the first start-of-frame.
    long at = 2;
    for (int markers = 0; markers < 1000; ++markers) {
        auto h = read_at(f, at, 9);
        if (h.size() < 4) return std::nullopt;
        auto* p = reinterpret_cast<const unsigned char*>(h.data());
        if (p[0] != 0xFF) return std::nullopt;
        const unsigned marker = p[1];
        const bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (h.size() < 9) return std::nullopt;
            return Size{be16(p + 7), be16(p + 5)};
        }
        at += 2 + static_cast<long>(be16(p + 2));
    }
    return std::nullopt;
}

// libjpeg decodes a truncated JPEG with a warning and grey where the data is missing; the end
// marker (within the last bytes, after which some cameras add padding) says it is whole.
bool jpeg_has_end(std::FILE* f) {
    if (std::fseek(f, 0, SEEK_END) != 0) return false;
    const long size = std::ftell(f);
    const long tail = std::min(size, 4096L);
    auto bytes = read_at(f, size - tail, static_cast<std::size_t>(tail));
    return bytes.find("\xFF\xD9") != std::string::npos;
}

Result<Picture> unreadable() {
    return fail(ErrorKind::invalid, "attachment_unreadable",
                "The picture is truncated or corrupt and cannot be decoded.");
}

void quiet_gd_errors(int, const char*, va_list) {}

}  // namespace

Result<Picture> read_picture(const std::filesystem::path& file, std::string_view format) {
    static const bool quiet = [] {
        gdSetErrorMethod(quiet_gd_errors);  // a bad upload is the client's error, not a log line
        return true;
    }();
    (void)quiet;
    File f(std::fopen(file.c_str(), "rb"));
    if (!f) return fail(ErrorKind::internal, "media_error", "The picture could not be opened.");
    auto size = header_size(f.get(), format);
    if (!size || size->width <= 0 || size->height <= 0) return unreadable();
    if (size->width * size->height > kMaxPicturePixels) {
        return fail(ErrorKind::invalid, "attachment_unreadable",
                    "The picture is larger than 50 megapixels and is not decoded.");
    }
    if (format == "jpeg" && !jpeg_has_end(f.get())) return unreadable();
    std::rewind(f.get());
    Image image;
    if (format == "jpeg") {
        image.reset(gdImageCreateFromJpegEx(f.get(), 0));
    } else if (format == "png") {
        image.reset(gdImageCreateFromPng(f.get()));
    } else if (format == "gif") {
        image.reset(gdImageCreateFromGif(f.get()));
    } else if (format == "webp") {
        image.reset(gdImageCreateFromWebp(f.get()));
    }
    if (!image) return unreadable();
    Picture picture;
    picture.width = gdImageSX(image.get());
    picture.height = gdImageSY(image.get());
    const int longer = std::max(picture.width, picture.height);
    const double scale = longer > kThumbnailMaxSide ? double(kThumbnailMaxSide) / longer : 1.0;
    const int width = std::max(1, static_cast<int>(picture.width * scale + 0.5));
    const int height = std::max(1, static_cast<int>(picture.height * scale + 0.5));
    Image thumbnail(gdImageCreateTrueColor(width, height));
    if (!thumbnail) return fail(ErrorKind::internal, "media_error", "Out of memory.");
    // Transparent areas become white rather than black in the JPEG.
    gdImageFilledRectangle(thumbnail.get(), 0, 0, width - 1, height - 1,
                           gdImageColorAllocate(thumbnail.get(), 255, 255, 255));
    gdImageCopyResampled(thumbnail.get(), image.get(), 0, 0, 0, 0, width, height, picture.width,
                         picture.height);
    int bytes = 0;
    void* jpeg = gdImageJpegPtr(thumbnail.get(), &bytes, 80);
    if (!jpeg) return fail(ErrorKind::internal, "media_error", "The thumbnail failed.");
    picture.thumbnail_jpeg.assign(static_cast<const char*>(jpeg), static_cast<std::size_t>(bytes));
    gdFree(jpeg);
    return picture;
}

}  // namespace parley::media
