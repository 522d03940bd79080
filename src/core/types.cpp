#include "core/types.hpp"

namespace parley::core {

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

}  // namespace parley::core
