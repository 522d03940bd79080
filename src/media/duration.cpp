#include "media/duration.hpp"

#include <algorithm>
#include <string>

namespace parley::media {
namespace {

std::string read_at(std::FILE* f, std::int64_t offset, std::size_t n) {
    std::string bytes(n, '\0');
    if (offset < 0 || fseeko(f, offset, SEEK_SET) != 0) return {};
    bytes.resize(std::fread(bytes.data(), 1, n, f));
    return bytes;
}

std::int64_t file_size(std::FILE* f) {
    if (fseeko(f, 0, SEEK_END) != 0) return -1;
    return ftello(f);
}

std::uint64_t le(const std::string& b, std::size_t at, int n) {
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
}

std::uint64_t be(const std::string& b, std::size_t at, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
}

std::optional<std::int64_t> to_ms(std::uint64_t units, std::uint64_t per_second) {
    if (per_second == 0) return std::nullopt;
    return static_cast<std::int64_t>(static_cast<long double>(units) * 1000 / per_second);
}

// The first box of `type` among the boxes in [begin, end): (payload offset, payload end).
std::optional<std::pair<std::int64_t, std::int64_t>> find_box(std::FILE* f, std::int64_t begin,
                                                              std::int64_t end,
                                                              std::string_view type) {
    std::int64_t at = begin;
    for (int boxes = 0; boxes < 10000 && at + 8 <= end; ++boxes) {
        auto h = read_at(f, at, 16);
        if (h.size() < 8) return std::nullopt;
        std::uint64_t size = be(h, 0, 4);
        std::int64_t header = 8;
        if (size == 1) {
            if (h.size() < 16) return std::nullopt;
            size = be(h, 8, 8);
            header = 16;
        } else if (size == 0) {
            size = static_cast<std::uint64_t>(end - at);
        }
        if (size < static_cast<std::uint64_t>(header) ||
            size > static_cast<std::uint64_t>(end - at)) {
            return std::nullopt;
        }
        if (std::string_view(h.data() + 4, 4) == type) {
            return std::pair{at + header, at + static_cast<std::int64_t>(size)};
        }
        at += static_cast<std::int64_t>(size);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> wav_duration_ms(std::FILE* f) {
    const std::int64_t size = file_size(f);
    auto riff = read_at(f, 0, 12);
    if (riff.size() < 12 || riff.compare(0, 4, "RIFF") != 0 || riff.compare(8, 4, "WAVE") != 0) {
        return std::nullopt;
    }
    std::uint64_t byte_rate = 0;
    std::int64_t at = 12;
    for (int chunks = 0; chunks < 1000 && at + 8 <= size; ++chunks) {
        // Chunk id, size, then for "fmt ": format, channels, sample rate, byte rate.
        auto h = read_at(f, at, 20);
        if (h.size() < 8) return std::nullopt;
        const std::string_view id(h.data(), 4);
        std::uint64_t length = le(h, 4, 4);
        if (id == "fmt ") {
            if (h.size() < 20) return std::nullopt;
            byte_rate = le(h, 16, 4);
        } else if (id == "data") {
            if (byte_rate == 0) return std::nullopt;
            // Streaming writers leave the size at its maximum: the rest of the file is data.
            const std::uint64_t available = static_cast<std::uint64_t>(size - at - 8);
            if (length > available) length = available;
            return to_ms(length, byte_rate);
        }
        at += 8 + static_cast<std::int64_t>(length + (length & 1));
    }
    return std::nullopt;
}

std::optional<std::int64_t> mp4_duration_ms(std::FILE* f) {
    const std::int64_t size = file_size(f);
    if (size < 8) return std::nullopt;
    auto moov = find_box(f, 0, size, "moov");
    if (!moov) return std::nullopt;
    auto mvhd = find_box(f, moov->first, moov->second, "mvhd");
    if (!mvhd) return std::nullopt;
    auto h = read_at(f, mvhd->first, 32);
    if (h.size() < 20) return std::nullopt;
    const int version = static_cast<unsigned char>(h[0]);
    std::uint64_t timescale = 0;
    std::uint64_t duration = 0;
    if (version == 1) {
        if (h.size() < 32) return std::nullopt;
        timescale = be(h, 20, 4);
        duration = be(h, 24, 8);
        if (duration == ~std::uint64_t{0}) return std::nullopt;
    } else {
        timescale = be(h, 12, 4);
        duration = be(h, 16, 4);
        if (duration == 0xFFFFFFFF) return std::nullopt;
    }
    return to_ms(duration, timescale);
}

std::optional<std::int64_t> ogg_duration_ms(std::FILE* f) {
    const std::int64_t size = file_size(f);
    auto first = read_at(f, 0, 27 + 255 + 19);
    if (first.size() < 28 || first.compare(0, 4, "OggS") != 0) return std::nullopt;
    const std::size_t packet = 27 + static_cast<unsigned char>(first[26]);
    if (first.size() < packet + 19) return std::nullopt;
    std::uint64_t rate = 0;
    std::uint64_t pre_skip = 0;
    if (first.compare(packet, 7, "\x01vorbis") == 0) {
        rate = le(first, packet + 12, 4);
    } else if (first.compare(packet, 8, "OpusHead") == 0) {
        rate = 48000;  // Opus granules always count 48 kHz samples
        pre_skip = le(first, packet + 10, 2);
    } else {
        return std::nullopt;
    }
    // The last page's granule position is the number of samples up to its end.
    const std::int64_t tail = std::min<std::int64_t>(size, 65536);
    auto end = read_at(f, size - tail, static_cast<std::size_t>(tail));
    for (auto at = end.rfind("OggS"); at != std::string::npos; at = end.rfind("OggS", at - 1)) {
        if (at + 14 <= end.size() && end[at + 4] == 0) {
            const auto granule = static_cast<std::int64_t>(le(end, at + 6, 8));
            if (granule < 0) return std::nullopt;
            const auto samples = static_cast<std::uint64_t>(granule);
            return to_ms(samples > pre_skip ? samples - pre_skip : 0, rate);
        }
        if (at == 0) break;
    }
    return std::nullopt;
}

namespace {

// One MPEG audio frame header (ISO 11172-3 / 13818-3), as far as a duration needs it.
struct MpegFrame {
    int version = 0;  // 1: MPEG-1, 2: MPEG-2, 25: MPEG-2.5
    int layer = 0;    // 1, 2 or 3
    std::uint64_t bitrate = 0;
    std::uint64_t sample_rate = 0;
    bool mono = false;
    std::int64_t length = 0;  // bytes, header included
    std::uint64_t samples = 0;
};

std::optional<MpegFrame> mpeg_frame(const std::string& b, std::size_t at) {
    if (at + 4 > b.size()) return std::nullopt;
    const auto h = static_cast<std::uint32_t>(be(b, at, 4));
    if ((h >> 21) != 0x7FF) return std::nullopt;
    const int version_bits = static_cast<int>((h >> 19) & 3);
    const int layer_bits = static_cast<int>((h >> 17) & 3);
    const int bitrate_index = static_cast<int>((h >> 12) & 15);
    const int rate_index = static_cast<int>((h >> 10) & 3);
    if (version_bits == 1 || layer_bits == 0 || bitrate_index == 0 || bitrate_index == 15 ||
        rate_index == 3) {
        return std::nullopt;  // reserved, or a free-format bitrate no header states
    }
    static constexpr int kKbps[5][15] = {
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},  // 1, layer 1
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},     // 1, layer 2
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},      // 1, layer 3
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},     // 2, layer 1
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},          // 2, layers 2-3
    };
    static constexpr int kRates[3] = {44100, 48000, 32000};
    MpegFrame f;
    f.version = version_bits == 3 ? 1 : version_bits == 2 ? 2 : 25;
    f.layer = 4 - layer_bits;
    const int table = f.version == 1 ? f.layer - 1 : (f.layer == 1 ? 3 : 4);
    f.bitrate = static_cast<std::uint64_t>(kKbps[table][bitrate_index]) * 1000;
    f.sample_rate = static_cast<std::uint64_t>(kRates[rate_index] / (f.version == 1   ? 1
                                                                     : f.version == 2 ? 2
                                                                                      : 4));
    f.mono = ((h >> 6) & 3) == 3;
    const std::int64_t padding = (h >> 9) & 1;
    if (f.layer == 1) {
        f.samples = 384;
        f.length = (12 * static_cast<std::int64_t>(f.bitrate / f.sample_rate) + padding) * 4;
    } else {
        f.samples = f.layer == 3 && f.version != 1 ? 576 : 1152;
        f.length = static_cast<std::int64_t>(f.samples / 8 * f.bitrate / f.sample_rate) + padding;
    }
    return f;
}

}  // namespace

std::optional<std::int64_t> mp3_duration_ms(std::FILE* f) {
    const std::int64_t size = file_size(f);
    // An ID3v2 tag first: its size is four 7-bit bytes, plus a footer when flagged.
    std::int64_t start = 0;
    auto id3 = read_at(f, 0, 10);
    if (id3.size() == 10 && id3.compare(0, 3, "ID3") == 0) {
        std::int64_t tag = 0;
        for (int i = 6; i < 10; ++i) tag = (tag << 7) | (static_cast<unsigned char>(id3[i]) & 0x7F);
        start = 10 + tag + ((static_cast<unsigned char>(id3[5]) & 0x10) ? 10 : 0);
    }
    // The first frame, confirmed by the one after it where the file is long enough, so that a
    // stray 0xFFE in padding is not taken for audio.
    auto head = read_at(f, start, 65536 + 4096);
    std::optional<MpegFrame> frame;
    std::size_t at = 0;
    for (; at + 4 <= head.size() && at < 65536; ++at) {
        frame = mpeg_frame(head, at);
        if (!frame) continue;
        const auto next = at + static_cast<std::size_t>(frame->length);
        if (start + static_cast<std::int64_t>(next) >= size || mpeg_frame(head, next)) break;
        frame.reset();
    }
    if (!frame) return std::nullopt;
    // A VBR file states its frame count in a Xing/Info or VBRI header in its first frame.
    const std::size_t side = frame->version == 1 ? (frame->mono ? 17 : 32) : (frame->mono ? 9 : 17);
    const std::size_t xing = at + 4 + side;
    if (xing + 12 <= head.size() &&
        (head.compare(xing, 4, "Xing") == 0 || head.compare(xing, 4, "Info") == 0)) {
        if (be(head, xing + 4, 4) & 1) {
            return to_ms(be(head, xing + 8, 4) * frame->samples, frame->sample_rate);
        }
    }
    const std::size_t vbri = at + 4 + 32;
    if (vbri + 18 <= head.size() && head.compare(vbri, 4, "VBRI") == 0) {
        return to_ms(be(head, vbri + 14, 4) * frame->samples, frame->sample_rate);
    }
    // Otherwise a constant bitrate: the audio's bytes over it (an ID3v1 tag is no audio).
    std::int64_t audio = size - start - static_cast<std::int64_t>(at);
    if (auto tail = read_at(f, size - 128, 3); tail == "TAG") audio -= 128;
    if (audio <= 0) return std::nullopt;
    return to_ms(static_cast<std::uint64_t>(audio) * 8, frame->bitrate);
}

std::optional<std::int64_t> duration_ms(std::FILE* file, std::string_view format) {
    if (format == "wav") return wav_duration_ms(file);
    if (format == "mp4") return mp4_duration_ms(file);
    if (format == "ogg") return ogg_duration_ms(file);
    if (format == "mp3") return mp3_duration_ms(file);
    return std::nullopt;
}

}  // namespace parley::media
