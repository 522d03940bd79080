#include "service/attachment_service.hpp"

#include <cstdio>
#include <unordered_set>

#include "crypto/random.hpp"
#include "media/duration.hpp"
#include "media/file_type.hpp"
#include "media/picture.hpp"
#include "service/text.hpp"

namespace parley::service {
namespace {

using authz::ConversationAction;

Result<void> validate_file_name(const std::string& name) {
    const auto invalid = [] {
        return fail(ErrorKind::invalid, "invalid_file_name",
                    "Give the file a name of 1 to 255 bytes of UTF-8, without slashes or "
                    "control characters, ending in its type's extension (e.g. photo.jpg).");
    };
    if (name.empty() || name.size() > kMaxAttachmentNameBytes || !utf8_length(name)) {
        return invalid();
    }
    if (trim(name).empty() || name == "." || name == "..") return invalid();
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') return invalid();
    }
    return ok();
}

Error not_found() {
    return Error{ErrorKind::not_found, "attachment_not_found", "No such attachment.", {}};
}

}  // namespace

Result<core::Attachment> AttachmentService::upload(const Caller& caller,
                                                   const core::Id& conversation_id,
                                                   const Upload& upload) {
    PARLEY_TRY_VOID(validate_file_name(upload.name));
    PARLEY_TRY_ASSIGN(auto access, access_.conversation(caller, conversation_id,
                                                        ConversationAction::send_message));
    std::error_code ec;
    const auto size = std::filesystem::file_size(upload.file, ec);
    if (ec || size == 0) {
        return fail(ErrorKind::invalid, "attachment_empty", "The file is empty; send its bytes.");
    }
    PARLEY_TRY_ASSIGN(auto type, media::identify(upload.file, upload.name));

    core::Attachment a;
    a.id = crypto::new_id("att");
    a.conversation_id = conversation_id;
    a.uploader_id = caller.user.id;
    a.name = upload.name;
    a.content_type = type.content_type;
    a.kind = type.kind;
    a.size = static_cast<std::int64_t>(size);
    a.key_id = store::key_id_for(access.conversation.owner, conversation_id);
    a.created_at = clock_.now_ms();
    std::string thumbnail;
    if (type.kind == "picture") {
        PARLEY_TRY_ASSIGN(auto picture, media::read_picture(upload.file, type.format));
        a.width = picture.width;
        a.height = picture.height;
        thumbnail = std::move(picture.thumbnail_jpeg);
    } else if (type.kind == "audio" || type.kind == "video") {
        if (std::FILE* f = std::fopen(upload.file.c_str(), "rb")) {
            a.duration_ms = media::duration_ms(f, type.format);
            std::fclose(f);
        }
    }
    PARLEY_TRY_ASSIGN(auto key, store_.data_key(a.key_id));
    PARLEY_TRY_ASSIGN(auto blob, blobs_.put_file(key, upload.file));
    a.blob = blob.name;
    if (!thumbnail.empty()) {
        PARLEY_TRY_ASSIGN(auto stored, blobs_.put_bytes(key, thumbnail));
        a.thumbnail_blob = stored.name;
        a.thumbnail_size = static_cast<std::int64_t>(stored.size);
    }
    PARLEY_TRY_VOID(store_.insert_attachment(a));
    return a;
}

Result<Download> AttachmentService::download(const Caller& caller, const core::Id& attachment_id,
                                             bool thumbnail) {
    PARLEY_TRY_ASSIGN(auto found, store_.find_attachment(attachment_id));
    if (!found) return fail(not_found());
    authz::AttachmentFacts facts;
    facts.actor_is_uploader = found->uploader_id == caller.user.id;
    facts.sent = found->message_id.has_value();
    facts.answers_card = found->response_id.has_value();
    auto access =
        access_.conversation(caller, found->conversation_id, ConversationAction::read_messages);
    facts.reads_conversation = access.has_value();
    if (access && facts.answers_card && !facts.actor_is_uploader && responses_visible_) {
        PARLEY_TRY_ASSIGN(facts.responses_visible, responses_visible_(caller, *found->card_id));
    }
    if (access && facts.sent) {
        PARLEY_TRY_ASSIGN(auto message,
                          store_.find_message(found->conversation_id, *found->message_id));
        facts.message_visible =
            message && !message->deleted_at && Access::read_scope(*access).sees(*message);
    }
    // Refusals look like absence, so ids cannot be probed for what exists.
    if (!authz::may_fetch_attachment(facts)) return fail(not_found());
    if (thumbnail && !found->thumbnail_blob) {
        return fail(ErrorKind::not_found, "thumbnail_not_found", "Only pictures have thumbnails.");
    }
    PARLEY_TRY_ASSIGN(auto key, store_.data_key(found->key_id));
    Download d;
    d.thumbnail = thumbnail;
    d.content_type = thumbnail ? "image/jpeg" : found->content_type;
    d.size = static_cast<std::uint64_t>(thumbnail ? found->thumbnail_size : found->size);
    PARLEY_TRY_ASSIGN(d.reader, blobs_.open(key, thumbnail ? *found->thumbnail_blob : found->blob));
    d.attachment = std::move(*found);
    return d;
}

Result<core::Attachment> AttachmentService::own_upload(const Caller& caller,
                                                       const core::Id& conversation_id,
                                                       const core::Id& id) {
    PARLEY_TRY_ASSIGN(auto found, store_.find_attachment(id));
    if (!found || found->conversation_id != conversation_id ||
        found->uploader_id != caller.user.id) {
        return fail(ErrorKind::invalid, "attachment_not_found",
                    "Attachment " + id +
                        " is not one of your uploads to this conversation; upload the file here "
                        "first (POST …/attachments) and use its id.");
    }
    return std::move(*found);
}

Result<std::vector<core::Attachment>> AttachmentService::claimable(const Caller& caller,
                                                                   const core::Id& conversation_id,
                                                                   const std::vector<core::Id>& ids,
                                                                   const std::string& client_id) {
    if (ids.size() > core::kMaxAttachmentsPerMessage) {
        return fail(ErrorKind::invalid, "too_many_attachments",
                    "A message carries at most " + std::to_string(core::kMaxAttachmentsPerMessage) +
                        " attachments.");
    }
    std::unordered_set<core::Id> seen;
    std::vector<core::Attachment> attachments;
    for (const auto& id : ids) {
        if (!seen.insert(id).second) {
            return fail(ErrorKind::invalid, "duplicate_attachment",
                        "Attachment " + id + " is listed twice.");
        }
        PARLEY_TRY_ASSIGN(auto found, own_upload(caller, conversation_id, id));
        if (found.response_id) {
            return fail(ErrorKind::conflict, "attachment_already_sent",
                        "Attachment " + id + " answers a card; upload the file again.");
        }
        if (found.message_id) {
            if (!client_id.empty()) {
                PARLEY_TRY_ASSIGN(auto sent,
                                  store_.find_message(conversation_id, *found.message_id));
                if (sent && sent->client_id == client_id && sent->sender_id == caller.user.id) {
                    attachments.push_back(std::move(found));
                    continue;
                }
            }
            return fail(ErrorKind::conflict, "attachment_already_sent",
                        "Attachment " + id + " was already sent; upload the file again.");
        }
        attachments.push_back(std::move(found));
    }
    return attachments;
}

Result<AttachmentService::SweepReport> AttachmentService::sweep(std::chrono::seconds unsent_ttl) {
    SweepReport report;
    const auto ttl_ms = std::chrono::duration_cast<std::chrono::milliseconds>(unsent_ttl).count();
    PARLEY_TRY_ASSIGN(report.attachments, store_.delete_dead_attachments(clock_.now_ms() - ttl_ms));
    // Names read after the rows went: a blob only they named is removed now, not next time.
    PARLEY_TRY_ASSIGN(auto names, store_.referenced_blobs());
    PARLEY_TRY_ASSIGN(
        report.blobs,
        blobs_.remove_unreferenced([&](const std::string& name) { return names.contains(name); },
                                   unsent_ttl));
    return report;
}

Result<void> AttachmentService::check_answerable(const Caller& caller,
                                                 const core::Id& conversation_id,
                                                 const core::Id& card_id,
                                                 const std::vector<core::Id>& ids) {
    for (const auto& id : ids) {
        PARLEY_TRY_ASSIGN(auto found, own_upload(caller, conversation_id, id));
        if (found.message_id || (found.card_id && *found.card_id != card_id)) {
            return fail(ErrorKind::conflict, "attachment_already_sent",
                        "Attachment " + id + " was already sent; upload the file again.");
        }
    }
    return ok();
}

Result<std::vector<core::Attachment>> AttachmentService::forward_copies(
    const std::vector<core::Attachment>& source, const core::Id& to, const core::Owner& owner,
    const core::Id& message_id, const core::Id& sender_id) {
    std::vector<core::Attachment> copies;
    const std::string key_id = store::key_id_for(owner, to);
    for (const auto& original : source) {
        core::Attachment copy = original;
        copy.id = crypto::new_id("att");
        copy.conversation_id = to;
        copy.uploader_id = sender_id;
        copy.created_at = clock_.now_ms();
        copy.message_id = message_id;
        if (original.key_id != key_id) {
            // Another owner: its own key must seal the copy, so removing the source's key (or
            // organization) never makes the destination's files unreadable.
            PARLEY_TRY_ASSIGN(auto from, store_.data_key(original.key_id));
            PARLEY_TRY_ASSIGN(auto into, store_.data_key(key_id));
            PARLEY_TRY_ASSIGN(auto blob, blobs_.reseal(from, original.blob, into));
            copy.blob = blob.name;
            if (original.thumbnail_blob) {
                PARLEY_TRY_ASSIGN(auto thumb, blobs_.reseal(from, *original.thumbnail_blob, into));
                copy.thumbnail_blob = thumb.name;
            }
            copy.key_id = key_id;
        }
        copies.push_back(std::move(copy));
    }
    return copies;
}

}  // namespace parley::service
