#pragma once
// Attachments: uploads checked from their content (type, extension, pictures decodable),
// described (size, picture dimensions and thumbnail, media duration) and stored as blobs
// sealed with the conversation owner's data key; then attached to messages (MessageService),
// copied by forwards, and served to whoever may read the message carrying them. Thread-safe.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "service/access.hpp"
#include "store/blob_store.hpp"

namespace parley::service {

inline constexpr std::size_t kMaxAttachmentNameBytes = 255;

struct AttachmentSettings {
    std::filesystem::path blob_directory;  // <data dir>/blobs
};

struct Upload {
    std::filesystem::path file;  // the received bytes; the caller deletes the file afterwards
    std::string name;            // the client's file name; its extension must fit the content
};

// An attachment's (or its thumbnail's) bytes, ready to stream.
struct Download {
    core::Attachment attachment;
    bool thumbnail = false;
    std::string content_type;
    std::uint64_t size = 0;
    std::unique_ptr<store::SealedReader> reader;
};

// Whether the caller may see the responses of a card (CardService, which knows the cards):
// decides who fetches a survey's attachment answers besides their responder.
using ResponsesVisible = std::function<Result<bool>(const Caller&, const core::Id& card_id)>;

class AttachmentService {
public:
    AttachmentService(store::Store& store, Access& access, const Clock& clock,
                      AttachmentSettings settings)
        : store_(store), access_(access), clock_(clock), blobs_(settings.blob_directory) {}

    // Stores an upload as an unsent attachment of the conversation. The caller must be allowed
    // to send there. Fails with invalid "invalid_file_name" / "attachment_empty",
    // unsupported_type "attachment_type_unsupported" / "attachment_type_mismatch", invalid
    // "attachment_unreadable" (a picture that does not decode), and the send_message refusals.
    Result<core::Attachment> upload(const Caller& caller, const core::Id& conversation_id,
                                    const Upload& upload);

    // not_found "attachment_not_found" unless authz/ lets the caller fetch it (and, for a
    // thumbnail, unless it has one).
    Result<Download> download(const Caller& caller, const core::Id& attachment_id, bool thumbnail);

    // The caller's unsent uploads of this conversation, in the order given, for a message.
    // Fails with invalid "attachment_not_found" (not theirs, another conversation's, or none)
    // and conflict "attachment_already_sent" (unless sent by the caller's message with this
    // non-empty client_id: a retry, which the store answers with the original).
    Result<std::vector<core::Attachment>> claimable(const Caller& caller,
                                                    const core::Id& conversation_id,
                                                    const std::vector<core::Id>& ids,
                                                    const std::string& client_id);

    // Checks the caller's unsent uploads of this conversation named as a survey's answers on
    // this card: invalid "attachment_not_found" (not theirs, another conversation's, or none),
    // conflict "attachment_already_sent" (sent with a message, or answering another card). The
    // store claims them with the response, atomically (Store::put_card_response).
    Result<void> check_answerable(const Caller& caller, const core::Id& conversation_id,
                                  const core::Id& card_id, const std::vector<core::Id>& ids);

    struct SweepReport {
        std::int64_t attachments = 0;  // rows forgotten
        std::int64_t blobs = 0;        // files removed
    };
    // Forgets uploads made before now - unsent_ttl that were never sent nor answer a card, and
    // the attachments of deleted messages; then removes the blobs no attachment names that were
    // not written or reused within unsent_ttl.
    Result<SweepReport> sweep(std::chrono::seconds unsent_ttl);

    // Set once, at start: without it only their responder fetches a survey's attachment answers.
    void set_responses_visible(ResponsesVisible visible) {
        responses_visible_ = std::move(visible);
    }

    // New rows for a forwarded message's attachments in conversation `to` under `owner`,
    // each marked with message_id (store.hpp: inserted with the message). Same owner key: the
    // same blob; another: the blob resealed under the destination's key.
    Result<std::vector<core::Attachment>> forward_copies(
        const std::vector<core::Attachment>& source, const core::Id& to, const core::Owner& owner,
        const core::Id& message_id, const core::Id& sender_id);

private:
    // The caller's upload `id` to this conversation, sent or not, or invalid
    // "attachment_not_found".
    Result<core::Attachment> own_upload(const Caller& caller, const core::Id& conversation_id,
                                        const core::Id& id);

    store::Store& store_;
    Access& access_;
    const Clock& clock_;
    store::BlobStore blobs_;
    ResponsesVisible responses_visible_;
};

}  // namespace parley::service
