#include "crypto/init.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "crypto/bytes.hpp"

namespace parley::crypto {

void init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) detail::die("libsodium failed to initialise (sodium_init)");
    });
}

namespace detail {

void die(std::string_view message) {
    std::fprintf(stderr, "parley crypto: fatal: %.*s\n", static_cast<int>(message.size()),
                 message.data());
    std::abort();
}

}  // namespace detail

}  // namespace parley::crypto
