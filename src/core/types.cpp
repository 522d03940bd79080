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

}  // namespace parley::core
