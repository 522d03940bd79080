// Attachment routes: upload (the body arrives as a file, streamed to disk by net/), download
// and thumbnail (streamed out, decrypted one chunk at a time).

#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "http/api_context.hpp"
#include "http/serialize.hpp"

namespace parley::http {
namespace {

// Hands a blob's plaintext to net/ chunk by chunk as the response is written.
// Reads and decrypts an attachment one chunk per pull, on the file-work pool: a chunk is a
// disk read and a decryption, too slow for an io thread.
class BlobSource final : public net::BodySource {
public:
    BlobSource(std::uint64_t size, std::unique_ptr<store::SealedReader> reader, ThreadPool& work)
        : size_(size), reader_(std::move(reader)), work_(work) {}

    std::uint64_t size() const override { return size_; }

    // The session holds this source until `deliver` has run, so the task may use `this`.
    void pull(Deliver deliver) override {
        auto shared = std::make_shared<Deliver>(std::move(deliver));
        const bool posted = work_.post([this, shared] {
            auto chunk = reader_->next();
            if (!chunk) {
                spdlog::error("attachment download failed: {} ({})", chunk.error().code,
                              chunk.error().message);
                return (*shared)(std::nullopt);
            }
            (*shared)(chunk->value_or(std::string()));
        });
        if (!posted) (*shared)(std::nullopt);  // shutting down: the response is cut
    }

private:
    std::uint64_t size_;
    std::unique_ptr<store::SealedReader> reader_;
    ThreadPool& work_;
};

// RFC 6266 / RFC 8187: an ASCII fallback for old clients, then the exact UTF-8 name.
std::string content_disposition(std::string_view disposition, std::string_view name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string fallback;
    std::string encoded;
    for (unsigned char c : name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        fallback += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%') ? char(c) : '_';
        if (plain) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 0xF];
        }
    }
    return std::string(disposition) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" +
           encoded;
}

std::string thumbnail_name(const std::string& name) {
    auto dot = name.rfind('.');
    return (dot == std::string::npos ? name : name.substr(0, dot)) + "-thumbnail.jpg";
}

}  // namespace

void Api::register_attachments_routes() {
    // The body is the file itself (any Content-Type: the type is read from the content); the
    // name comes from ?filename= or an X-Filename header.
    add("POST", "/api/v1/conversations/{id}/attachments",
        [this](Context& c) -> Result<net::Response> {
            auto name = c.query_value("filename");
            if (!name) {
                if (auto header = c.request.header("x-filename")) name = std::string(*header);
            }
            if (!name) {
                return fail(ErrorKind::invalid, "invalid_file_name",
                            "Name the file: ?filename=photo.jpg or an X-Filename header.");
            }
            if (!c.request.body_file) {
                return fail(ErrorKind::invalid, "attachment_empty",
                            "The file is empty; send its bytes as the request body.");
            }
            service::Upload upload{c.request.body_file->path(), *name};
            PARLEY_TRY_ASSIGN(auto attachment,
                              s_.attachments.upload(c.me(), c.param("id"), upload));
            return json_response(201, to_json(attachment));
        });

    const auto download = [this](Context& c, bool thumbnail) -> Result<net::Response> {
        const bool inline_requested = c.query_value("inline").value_or("") == "1";
        PARLEY_TRY_ASSIGN(auto d, s_.attachments.download(c.me(), c.param("id"), thumbnail));
        // Only pictures may be shown in place; everything else is a download, and the sandbox
        // keeps even a mislabelled file from running script under our origin.
        const bool show_inline = inline_requested && (thumbnail || d.attachment.kind == "picture");
        net::Response r;
        r.status = 200;
        r.content_type = d.content_type;
        r.headers.push_back({"Content-Disposition",
                             content_disposition(show_inline ? "inline" : "attachment",
                                                 thumbnail ? thumbnail_name(d.attachment.name)
                                                           : d.attachment.name)});
        r.headers.push_back({"Content-Security-Policy", "sandbox"});
        r.headers.push_back({"Cache-Control", "private, no-store"});
        r.source = std::make_shared<BlobSource>(d.size, std::move(d.reader), file_work_);
        return r;
    };
    add("GET", "/api/v1/attachments/{id}", [download](Context& c) { return download(c, false); });
    add("GET", "/api/v1/attachments/{id}/thumbnail",
        [download](Context& c) { return download(c, true); });
}

}  // namespace parley::http
