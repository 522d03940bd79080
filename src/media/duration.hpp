#pragma once
// Media durations read from headers alone, where that is cheap: WAV (byte rate and data size),
// MP4/M4A/3GP (the movie header box, mvhd), Ogg Vorbis/Opus (the last page's granule position)
// and MP3 (a Xing/Info or VBRI frame count, else the constant bitrate of its first frame).
// WebM needs its clusters scanned, so it gets none. Thread-safe.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>

namespace parley::media {

// Milliseconds, or nullopt when the header is missing, malformed or says "unknown".
// REQUIRES: file open for reading (any position; it is moved).
std::optional<std::int64_t> wav_duration_ms(std::FILE* file);
std::optional<std::int64_t> mp4_duration_ms(std::FILE* file);
std::optional<std::int64_t> ogg_duration_ms(std::FILE* file);
std::optional<std::int64_t> mp3_duration_ms(std::FILE* file);

// By media::FileType::format: "wav", "mp4", "ogg" or "mp3"; nullopt for any other.
std::optional<std::int64_t> duration_ms(std::FILE* file, std::string_view format);

}  // namespace parley::media
