#include "media/file_type.hpp"

#include <magic.h>

#include <array>
#include <cstdio>
#include <mutex>
#include <optional>

namespace parley::media {
namespace {

// One accepted (detected type, extension) pair. A detected type may go with several
// extensions (text is .txt or .csv), and the pair decides the kind and the served type.
struct Accepted {
    std::string_view detected;
    std::string_view extension;
    std::string_view kind;
    std::string_view content_type;
    std::string_view format;
};

constexpr std::string_view kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::string_view kPptx =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation";

constexpr std::array kAccepted = std::to_array<Accepted>({
    {"image/jpeg", "jpg", "picture", "image/jpeg", "jpeg"},
    {"image/jpeg", "jpeg", "picture", "image/jpeg", "jpeg"},
    {"image/png", "png", "picture", "image/png", "png"},
    {"image/webp", "webp", "picture", "image/webp", "webp"},
    {"image/gif", "gif", "picture", "image/gif", "gif"},
    {"application/pdf", "pdf", "document", "application/pdf", ""},
    {"application/msword", "doc", "document", "application/msword", ""},
    {"application/vnd.ms-excel", "xls", "document", "application/vnd.ms-excel", ""},
    {"application/vnd.ms-powerpoint", "ppt", "document", "application/vnd.ms-powerpoint", ""},
    // Office 97 files libmagic cannot tell apart further: the extension names which.
    {"application/CDFV2", "doc", "document", "application/msword", ""},
    {"application/CDFV2", "xls", "document", "application/vnd.ms-excel", ""},
    {"application/CDFV2", "ppt", "document", "application/vnd.ms-powerpoint", ""},
    {"application/x-ole-storage", "doc", "document", "application/msword", ""},
    {"application/x-ole-storage", "xls", "document", "application/vnd.ms-excel", ""},
    {"application/x-ole-storage", "ppt", "document", "application/vnd.ms-powerpoint", ""},
    {kDocx, "docx", "document", kDocx, ""},
    {kXlsx, "xlsx", "document", kXlsx, ""},
    {kPptx, "pptx", "document", kPptx, ""},
    {"text/plain", "txt", "document", "text/plain", ""},
    {"text/plain", "csv", "document", "text/csv", ""},
    {"text/csv", "csv", "document", "text/csv", ""},
    {"text/csv", "txt", "document", "text/plain", ""},
    {"audio/mpeg", "mp3", "audio", "audio/mpeg", "mp3"},
    {"audio/x-m4a", "m4a", "audio", "audio/mp4", "mp4"},
    {"audio/mp4", "m4a", "audio", "audio/mp4", "mp4"},
    {"video/mp4", "m4a", "audio", "audio/mp4", "mp4"},
    {"audio/ogg", "ogg", "audio", "audio/ogg", "ogg"},
    {"application/ogg", "ogg", "audio", "audio/ogg", "ogg"},
    {"audio/x-wav", "wav", "audio", "audio/wav", "wav"},
    {"audio/wav", "wav", "audio", "audio/wav", "wav"},
    {"audio/vnd.wave", "wav", "audio", "audio/wav", "wav"},
    {"video/mp4", "mp4", "video", "video/mp4", "mp4"},
    {"video/3gpp", "3gp", "video", "video/3gpp", "mp4"},
    {"video/webm", "webm", "video", "video/webm", ""},
});

// libmagic's cookie is not thread-safe, and loading its database costs a few milliseconds:
// one cookie, loaded once, used under a lock.
class Magic {
public:
    Result<std::string> mime_type(const std::filesystem::path& file) {
        std::lock_guard lock(mutex_);
        if (!cookie_) {
            cookie_ = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
            if (!cookie_ || magic_load(cookie_, nullptr) != 0) {
                if (cookie_) magic_close(cookie_);
                cookie_ = nullptr;
                return fail(ErrorKind::internal, "media_error",
                            "The file type database (libmagic) could not be loaded.");
            }
        }
        const char* type = magic_file(cookie_, file.c_str());
        if (!type) {
            return fail(ErrorKind::internal, "media_error", "The file type could not be read.");
        }
        return std::string(type);
    }

private:
    std::mutex mutex_;
    magic_t cookie_ = nullptr;  // GUARDED_BY(mutex_)
};

Magic& magic() {
    static Magic instance;
    return instance;
}

std::uint32_t le16(const unsigned char* p) { return p[0] | (p[1] << 8); }
std::uint32_t le32(const unsigned char* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// An Office Open XML file is a zip whose members live under word/, xl/ or ppt/, next to
// [Content_Types].xml. Walks the local file headers of the first 64 KiB for their names, so a
// file libmagic only calls "zip" is still recognised without unpacking anything.
std::optional<std::string_view> office_type_of_zip(const std::filesystem::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return std::nullopt;
    std::string head(64 << 10, '\0');
    head.resize(std::fread(head.data(), 1, head.size(), f));
    std::fclose(f);
    const auto* data = reinterpret_cast<const unsigned char*>(head.data());
    bool content_types = false;
    std::optional<std::string_view> type;
    std::size_t at = 0;
    for (int entries = 0; entries < 64 && at + 30 <= head.size(); ++entries) {
        if (le32(data + at) != 0x04034b50) break;
        const std::uint32_t flags = le16(data + at + 6);
        const std::uint32_t compressed = le32(data + at + 18);
        const std::uint32_t name_length = le16(data + at + 26);
        const std::uint32_t extra_length = le16(data + at + 28);
        if (at + 30 + name_length > head.size()) break;
        std::string_view name(head.data() + at + 30, name_length);
        if (name == "[Content_Types].xml") content_types = true;
        if (name.starts_with("word/")) type = kDocx;
        if (name.starts_with("xl/")) type = kXlsx;
        if (name.starts_with("ppt/")) type = kPptx;
        if (content_types && type) return type;
        if (flags & 0x08) break;  // sizes follow the data: the next header cannot be found
        at += 30 + name_length + extra_length + compressed;
    }
    return std::nullopt;
}

}  // namespace

std::string extension_of(std::string_view file_name) {
    auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return {};
    std::string extension(file_name.substr(dot + 1));
    for (char& c : extension) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return extension;
}

Result<FileType> identify(const std::filesystem::path& file, std::string_view file_name) {
    PARLEY_TRY_ASSIGN(std::string detected, magic().mime_type(file));
    if (detected == "application/zip") {
        if (auto office = office_type_of_zip(file)) detected = std::string(*office);
    }
    const std::string extension = extension_of(file_name);
    bool known = false;
    for (const Accepted& a : kAccepted) {
        if (a.detected != detected) continue;
        known = true;
        if (a.extension == extension) {
            return FileType{std::string(a.kind), std::string(a.content_type),
                            std::string(a.format)};
        }
    }
    if (!known) {
        return fail(ErrorKind::unsupported_type, "attachment_type_unsupported",
                    "Files of type " + detected +
                        " cannot be attached; send pictures (jpg, png, webp, gif), documents "
                        "(pdf, doc/x, xls/x, ppt/x, txt, csv), audio (mp3, m4a, ogg, wav) or "
                        "video (mp4, 3gp, webm).");
    }
    return fail(ErrorKind::unsupported_type, "attachment_type_mismatch",
                "The file's content is " + detected + ", which its name \"" +
                    std::string(file_name) + "\" does not match; name it for what it is.");
}

}  // namespace parley::media
