#pragma once
// Caller: the authenticated person on whose behalf a use case runs. Built by http/ from the
// bearer token (auth::SignIn::authenticate); services never see tokens.

#include <string>

#include "core/types.hpp"

namespace parley::service {

struct Caller {
    core::User user;
    core::Id session_id;
    std::string client_address;
};

}  // namespace parley::service
