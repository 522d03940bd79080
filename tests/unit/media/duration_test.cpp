// The header parsers behind media durations, fed from memory (fmemopen): what they read from
// good headers, and that damaged or unknown ones give no duration rather than a wrong one.

#include "media/duration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

namespace parley::media {
namespace {

struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// Keeps the bytes alive as long as the FILE that reads them.
class Memory {
public:
    explicit Memory(std::string bytes) : bytes_(std::move(bytes)) {
        file_.reset(fmemopen(bytes_.data(), bytes_.size(), "rb"));
    }
    std::FILE* get() const { return file_.get(); }

private:
    std::string bytes_;
    std::unique_ptr<std::FILE, Closer> file_;
};

std::string le(std::uint64_t v, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
    return s;
}

std::string be(std::uint64_t v, int n) {
    std::string s;
    for (int i = n - 1; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
    return s;
}

std::string wav(std::uint32_t byte_rate, std::uint32_t data_size, std::size_t data_present) {
    std::string fmt =
        le(1, 2) + le(1, 2) + le(byte_rate / 2, 4) + le(byte_rate, 4) + le(2, 2) + le(16, 2);
    std::string list = "LIST" + le(3, 4) + "abc" + std::string(1, '\0');  // odd size, padded
    std::string body = "WAVE" + std::string("fmt ") + le(fmt.size(), 4) + fmt + list + "data" +
                       le(data_size, 4) + std::string(data_present, '\0');
    return "RIFF" + le(body.size(), 4) + body;
}

std::string box(const std::string& type, const std::string& payload) {
    return be(8 + payload.size(), 4) + type + payload;
}

std::string mvhd_v0(std::uint32_t timescale, std::uint32_t duration) {
    return box("mvhd", std::string(4, '\0') + be(0, 4) + be(0, 4) + be(timescale, 4) +
                           be(duration, 4) + std::string(80, '\0'));
}

std::string mvhd_v1(std::uint32_t timescale, std::uint64_t duration) {
    return box("mvhd", std::string(1, '\1') + std::string(3, '\0') + be(0, 8) + be(0, 8) +
                           be(timescale, 4) + be(duration, 8) + std::string(80, '\0'));
}

std::string ogg_page(std::uint8_t type, std::int64_t granule, const std::string& packet) {
    return "OggS" + std::string(1, '\0') + std::string(1, static_cast<char>(type)) +
           le(static_cast<std::uint64_t>(granule), 8) + le(1, 4) + le(0, 4) + le(0, 4) +
           std::string(1, '\1') + std::string(1, static_cast<char>(packet.size())) + packet;
}

std::string vorbis_id(std::uint32_t rate) {
    return std::string("\x01vorbis", 7) + le(0, 4) + std::string(1, '\1') + le(rate, 4) + le(0, 4) +
           le(0, 4) + le(0, 4) + std::string(2, '\0');
}

TEST(WavDuration, ReadsByteRateAndDataSizeAcrossOtherChunks) {
    Memory m(wav(16000, 8000, 8000));
    EXPECT_EQ(wav_duration_ms(m.get()), 500);
}

TEST(WavDuration, StreamingSizeUsesWhatIsThere) {
    Memory m(wav(16000, 0xFFFFFFFF, 32000));
    EXPECT_EQ(wav_duration_ms(m.get()), 2000);
}

TEST(WavDuration, NotAWavOrNoRate) {
    Memory junk(std::string("RIFX") + std::string(40, '\0'));
    EXPECT_EQ(wav_duration_ms(junk.get()), std::nullopt);
    Memory zero_rate(wav(0, 100, 100));
    EXPECT_EQ(wav_duration_ms(zero_rate.get()), std::nullopt);
    Memory cut(wav(16000, 8000, 8000).substr(0, 20));
    EXPECT_EQ(wav_duration_ms(cut.get()), std::nullopt);
}

TEST(Mp4Duration, FindsMvhdInsideMoovAfterOtherBoxes) {
    Memory m(box("ftyp", "isom" + be(0, 4) + "isom") + box("free", std::string(10, 'x')) +
             box("moov", box("udta", "abcd") + mvhd_v0(1000, 2500)) + box("mdat", "zz"));
    EXPECT_EQ(mp4_duration_ms(m.get()), 2500);
}

TEST(Mp4Duration, MoovAtTheEndAndVersion1) {
    Memory m(box("ftyp", "M4A " + be(0, 4)) + box("mdat", std::string(5000, '\0')) +
             box("moov", mvhd_v1(44100, 44100ULL * 90)));
    EXPECT_EQ(mp4_duration_ms(m.get()), 90000);
}

TEST(Mp4Duration, UnknownOrBrokenGivesNone) {
    Memory unknown(box("moov", mvhd_v0(1000, 0xFFFFFFFF)));
    EXPECT_EQ(mp4_duration_ms(unknown.get()), std::nullopt);
    Memory no_timescale(box("moov", mvhd_v0(0, 100)));
    EXPECT_EQ(mp4_duration_ms(no_timescale.get()), std::nullopt);
    // A box claiming to be larger than the file.
    Memory lying(be(1000, 4) + "moov" + mvhd_v0(1000, 100));
    EXPECT_EQ(mp4_duration_ms(lying.get()), std::nullopt);
    Memory none(box("ftyp", "isom"));
    EXPECT_EQ(mp4_duration_ms(none.get()), std::nullopt);
}

TEST(OggDuration, LastGranuleOverSampleRate) {
    Memory m(ogg_page(2, 0, vorbis_id(22050)) + ogg_page(0, 11025, std::string(40, 'a')) +
             ogg_page(4, 22050 * 3, std::string(40, 'b')));
    EXPECT_EQ(ogg_duration_ms(m.get()), 3000);
}

TEST(OggDuration, OpusCountsAt48kHzLessPreSkip) {
    std::string head = std::string("OpusHead") + std::string(1, '\1') + std::string(1, '\1') +
                       le(312, 2) + le(48000, 4) + std::string(3, '\0');
    Memory m(ogg_page(2, 0, head) + ogg_page(4, 48000 + 312, std::string(10, 'c')));
    EXPECT_EQ(ogg_duration_ms(m.get()), 1000);
}

TEST(OggDuration, UnknownCodecOrNotOgg) {
    Memory flac(ogg_page(2, 0,
                         std::string("\x7f"
                                     "FLAC",
                                     5) +
                             std::string(30, '\0')) +
                ogg_page(4, 1000, "x"));
    EXPECT_EQ(ogg_duration_ms(flac.get()), std::nullopt);
    Memory junk(std::string(100, 'j'));
    EXPECT_EQ(ogg_duration_ms(junk.get()), std::nullopt);
}

// An MPEG-1 layer III frame of 128 kbit/s at 44.1 kHz, stereo, no padding: 417 bytes.
std::string mp3_frame(const std::string& payload = "") {
    std::string frame = be(0xFFFB9044, 4) + payload;
    frame.resize(417, '\0');
    return frame;
}

std::string id3v2(std::size_t size) {
    std::string tag = "ID3" + std::string("\x03\x00\x00", 3);
    for (int shift = 21; shift >= 0; shift -= 7) tag += static_cast<char>((size >> shift) & 0x7F);
    return tag + std::string(size, '\0');
}

TEST(Mp3Duration, ConstantBitrateAfterAnId3Tag) {
    // 100 frames of 417 bytes at 128 kbit/s: 41,700 bytes, 2606 ms.
    std::string frames;
    for (int i = 0; i < 100; ++i) frames += mp3_frame();
    Memory m(id3v2(300) + frames);
    EXPECT_EQ(mp3_duration_ms(m.get()), 2606);
    // An ID3v1 tag at the end is not audio.
    Memory tagged(id3v2(300) + frames + "TAG" + std::string(125, ' '));
    EXPECT_EQ(mp3_duration_ms(tagged.get()), 2606);
}

TEST(Mp3Duration, VariableBitrateCountsTheFramesItsXingHeaderStates) {
    // Side information of a stereo MPEG-1 frame is 32 bytes; then "Xing", flags, frames.
    const std::string xing = std::string(32, '\0') + "Xing" + be(1, 4) + be(1000, 4);
    std::string file = mp3_frame(xing);
    for (int i = 0; i < 3; ++i) file += mp3_frame();
    Memory m(file);
    EXPECT_EQ(mp3_duration_ms(m.get()), 26122);  // 1000 × 1152 samples at 44.1 kHz
    const std::string vbri = std::string(32, '\0') + "VBRI" + std::string(10, '\0') + be(500, 4);
    Memory v(mp3_frame(vbri) + mp3_frame());
    EXPECT_EQ(mp3_duration_ms(v.get()), 13061);
}

TEST(Mp3Duration, NoFrameOrAStraySyncGivesNone) {
    Memory junk(std::string(5000, 'j'));
    EXPECT_EQ(mp3_duration_ms(junk.get()), std::nullopt);
    // A sync word whose "next frame" is not one: padding, not audio.
    Memory stray(be(0xFFFB9044, 4) + std::string(2000, 'x'));
    EXPECT_EQ(mp3_duration_ms(stray.get()), std::nullopt);
    // Reserved version and free-format bitrate state no length.
    Memory reserved(be(0xFFEB9044, 4) + std::string(413, '\0'));
    EXPECT_EQ(mp3_duration_ms(reserved.get()), std::nullopt);
    Memory free_format(be(0xFFFB0044, 4) + std::string(413, '\0'));
    EXPECT_EQ(mp3_duration_ms(free_format.get()), std::nullopt);
}

TEST(Duration, OnlyForFormatsWithCheapHeaders) {
    Memory m(wav(16000, 8000, 8000));
    EXPECT_EQ(duration_ms(m.get(), "wav"), 500);
    EXPECT_EQ(duration_ms(m.get(), "mp3"), std::nullopt);
    EXPECT_EQ(duration_ms(m.get(), "webm"), std::nullopt);
    EXPECT_EQ(duration_ms(m.get(), ""), std::nullopt);
}

}  // namespace
}  // namespace parley::media
