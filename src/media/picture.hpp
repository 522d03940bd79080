#pragma once
// Pictures: their size and a small JPEG thumbnail, decoded with libgd. The size is first read
// from the header, so a tiny file claiming a huge picture is refused before it is decoded.
// Thread-safe.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace parley::media {

inline constexpr int kThumbnailMaxSide = 320;
inline constexpr long long kMaxPicturePixels = 50'000'000;

struct Picture {
    int width = 0;
    int height = 0;
    std::string thumbnail_jpeg;  // at most kThumbnailMaxSide on its longer side
};

// format: "jpeg", "png", "webp" or "gif" (media::identify()). Fails with invalid
// "attachment_unreadable" when the picture is truncated or corrupt (the decoder fails, or a
// JPEG lacks its end marker), or larger than kMaxPicturePixels.
Result<Picture> read_picture(const std::filesystem::path& file, std::string_view format);

}  // namespace parley::media
