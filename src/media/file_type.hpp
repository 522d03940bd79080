#pragma once
// What an uploaded file is, decided from its content (libmagic), never from its name or the
// client's Content-Type; the name's extension must then agree with the content. Only the kinds
// of file Parley accepts as attachments are recognised. Thread-safe.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace parley::media {

struct FileType {
    std::string kind;          // "picture", "document", "audio" or "video"
    std::string content_type;  // what the file is served as, e.g. "image/png"
    std::string format;        // "jpeg", "png", "webp", "gif", "wav", "mp4", "ogg", ... or ""
};

// Fails with:
//   unsupported_type "attachment_type_unsupported"  the content is none of the accepted types;
//   unsupported_type "attachment_type_mismatch"     the content is accepted, but the extension
//                                                   of file_name says something else (or none);
//   internal "media_error"  libmagic could not be loaded or read the file.
Result<FileType> identify(const std::filesystem::path& file, std::string_view file_name);

// The lower-cased text after the last '.' of a file name ("" if none).
std::string extension_of(std::string_view file_name);

}  // namespace parley::media
