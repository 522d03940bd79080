#include "core/types.hpp"

namespace parley::core {

ConversationPolicies apply(const ConversationPolicies& tenant, const PolicyOverrides& overrides) {
    ConversationPolicies p = tenant;
    p.restrict_copy = overrides.restrict_copy.value_or(p.restrict_copy);
    p.restrict_share = overrides.restrict_share.value_or(p.restrict_share);
    p.restrict_forward = overrides.restrict_forward.value_or(p.restrict_forward);
    p.new_members_see_history =
        overrides.new_members_see_history.value_or(p.new_members_see_history);
    p.delete_for_everyone = overrides.delete_for_everyone.value_or(p.delete_for_everyone);
    p.invite_links = overrides.invite_links.value_or(p.invite_links);
    p.require_work_account = overrides.require_work_account.value_or(p.require_work_account);
    return p;
}

const char* to_string(OrgRole role) {
    switch (role) {
        case OrgRole::none:
            return "none";
        case OrgRole::member:
            return "member";
        case OrgRole::admin:
            return "admin";
    }
    return "none";
}

const char* to_string(MemberRole role) { return role == MemberRole::admin ? "admin" : "member"; }

const char* to_string(ConversationKind kind) {
    return kind == ConversationKind::chat ? "chat" : "group";
}

const char* to_string(GroupType type) {
    switch (type) {
        case GroupType::flat:
            return "flat";
        case GroupType::public_:
            return "public";
    }
    return "flat";
}

std::optional<GroupType> parse_group_type(std::string_view text) {
    if (text == "flat") return GroupType::flat;
    if (text == "public") return GroupType::public_;
    return std::nullopt;
}

const char* to_string(AttributeType type) {
    switch (type) {
        case AttributeType::string:
            return "string";
        case AttributeType::number:
            return "number";
        case AttributeType::boolean:
            return "boolean";
        case AttributeType::date_time:
            return "date_time";
    }
    return "string";
}

const char* to_string(ImportKind kind) {
    switch (kind) {
        case ImportKind::users:
            return "users";
        case ImportKind::user_groups:
            return "user_groups";
        case ImportKind::parent_groups:
            return "parent_groups";
    }
    return "users";
}

const char* to_string(ImportStatus status) {
    switch (status) {
        case ImportStatus::queued:
            return "queued";
        case ImportStatus::processing:
            return "processing";
        case ImportStatus::completed:
            return "completed";
        case ImportStatus::failed:
            return "failed";
    }
    return "failed";
}

const char* to_string(ExportKind kind) {
    switch (kind) {
        case ExportKind::people:
            return "people";
        case ExportKind::group_members:
            return "group_members";
    }
    return "people";
}

const char* to_string(ExportStatus status) {
    switch (status) {
        case ExportStatus::queued:
            return "queued";
        case ExportStatus::running:
            return "running";
        case ExportStatus::completed:
            return "completed";
        case ExportStatus::failed:
            return "failed";
    }
    return "failed";
}

const char* to_string(CardType type) {
    switch (type) {
        case CardType::poll:
            return "poll";
        case CardType::survey:
            return "survey";
        case CardType::announcement:
            return "announcement";
        case CardType::job:
            return "job";
        case CardType::checklist:
            return "checklist";
    }
    return "poll";
}

const char* to_string(CardState state) {
    switch (state) {
        case CardState::active:
            return "active";
        case CardState::closed:
            return "closed";
        case CardState::expired:
            return "expired";
    }
    return "active";
}

const char* to_string(ResultsVisibility visibility) {
    return visibility == ResultsVisibility::sender ? "sender" : "all";
}

std::optional<CardType> parse_card_type(std::string_view text) {
    for (auto type : {CardType::poll, CardType::survey, CardType::announcement, CardType::job,
                      CardType::checklist}) {
        if (text == to_string(type)) return type;
    }
    return std::nullopt;
}

std::optional<ResultsVisibility> parse_results_visibility(std::string_view text) {
    if (text == "all") return ResultsVisibility::all;
    if (text == "sender") return ResultsVisibility::sender;
    return std::nullopt;
}

}  // namespace parley::core
