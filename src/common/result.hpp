#pragma once
// Result<T>: how errors cross module boundaries. An Error carries a kind (which the HTTP layer
// maps to a status through one table), a stable machine code that clients may switch on, and a
// human message that says what to do. Exceptions never cross a module boundary.

#include <expected>
#include <optional>
#include <string>
#include <utility>

namespace parley {

// The kinds of failure. Each maps to exactly one HTTP status in http/error_mapping.cpp.
enum class ErrorKind {
    bad_request,        // malformed syntax: broken JSON, wrong types (400)
    unauthenticated,    // missing, forged, expired or revoked credentials (401)
    forbidden,          // known caller, not allowed (403)
    not_found,          // does not exist, or the caller may not know it exists (404)
    conflict,           // state forbids it: already exists, last admin, closed (409)
    gone,               // existed but is no longer usable: revoked invite, expired code (410)
    payload_too_large,  // body or field over its limit (413)
    unsupported_type,   // a file whose type is not accepted, or not what its name says (415)
    invalid,            // well-formed but semantically invalid: bad phone number (422)
    rate_limited,       // too many requests; retry_after_seconds is set (429)
    unavailable,        // temporarily cannot serve: shutting down, store overloaded (503)
    internal,           // a bug or an I/O failure; the message never leaks internals (500)
};

struct Error {
    ErrorKind kind = ErrorKind::internal;
    std::string code;     // stable, snake_case, e.g. "invalid_phone"
    std::string message;  // for humans; says what to do
    std::optional<int> retry_after_seconds;
};

template <typename T>
using Result = std::expected<T, Error>;

// A Result<void> success value: `return ok();`
inline std::expected<void, Error> ok() { return {}; }

inline std::unexpected<Error> fail(ErrorKind kind, std::string code, std::string message) {
    return std::unexpected(Error{kind, std::move(code), std::move(message), std::nullopt});
}

inline std::unexpected<Error> fail(Error error) { return std::unexpected(std::move(error)); }

const char* to_string(ErrorKind kind);

// Drops the value of a successful Result (GCC 12's std::expected has no transform()).
template <typename T>
std::expected<void, Error> discard_value(std::expected<T, Error>&& r) {
    if (!r) return std::unexpected(std::move(r.error()));
    return {};
}

}  // namespace parley

// Propagates the error of an expression yielding Result<T>; evaluates to nothing on success.
#define PARLEY_TRY_VOID(...)                                               \
    do {                                                                   \
        auto&& parley_try_result_ = (__VA_ARGS__);                         \
        if (!parley_try_result_) {                                         \
            return std::unexpected(std::move(parley_try_result_.error())); \
        }                                                                  \
    } while (0)

#define PARLEY_CONCAT_INNER_(a, b) a##b
#define PARLEY_CONCAT_(a, b) PARLEY_CONCAT_INNER_(a, b)
#define PARLEY_TRY_ASSIGN_IMPL_(tmp, lhs, ...)                \
    auto tmp = (__VA_ARGS__);                                 \
    if (!tmp) return std::unexpected(std::move(tmp.error())); \
    lhs = std::move(*tmp)

// `PARLEY_TRY_ASSIGN(auto user, store.find_user(id));` declares user from the value of a
// Result, or returns its error from the enclosing function.
#define PARLEY_TRY_ASSIGN(lhs, ...) \
    PARLEY_TRY_ASSIGN_IMPL_(PARLEY_CONCAT_(parley_try_, __LINE__), lhs, __VA_ARGS__)
