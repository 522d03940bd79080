#include "http/errors.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::http {
namespace {

// Every ErrorKind with its one status (common/result.hpp). A kind added to the enum without a
// row here fails KindsAreContiguousAndAllListed.
const std::vector<std::pair<ErrorKind, int>> kStatuses = {
    {ErrorKind::bad_request, 400},       {ErrorKind::unauthenticated, 401},
    {ErrorKind::forbidden, 403},         {ErrorKind::not_found, 404},
    {ErrorKind::conflict, 409},          {ErrorKind::gone, 410},
    {ErrorKind::payload_too_large, 413}, {ErrorKind::unsupported_type, 415},
    {ErrorKind::invalid, 422},           {ErrorKind::rate_limited, 429},
    {ErrorKind::unavailable, 503},       {ErrorKind::internal, 500},
};

std::string header(const net::Response& r, std::string_view name) {
    for (const auto& h : r.headers) {
        if (h.name == name) return h.value;
    }
    return "";
}

TEST(StatusFor, MapsEveryKindToItsStatus) {
    for (const auto& [kind, status] : kStatuses) {
        EXPECT_EQ(status_for(kind), status) << to_string(kind);
    }
}

TEST(StatusFor, EveryNamedKindIsListedWithItsOwnStatus) {
    // to_string names every kind and falls back to "internal" for values outside the enum, so
    // the names found over a generous range are exactly the enum's kinds.
    std::set<std::string> named;
    for (int i = 0; i < 64; ++i) named.insert(to_string(static_cast<ErrorKind>(i)));
    std::set<std::string> listed;
    std::set<int> statuses;
    for (const auto& [kind, status] : kStatuses) {
        listed.insert(to_string(kind));
        statuses.insert(status);
    }
    EXPECT_EQ(named, listed) << "an ErrorKind is missing from this table";
    EXPECT_EQ(statuses.size(), kStatuses.size()) << "two kinds share a status";
}

TEST(ErrorResponse, HasTheErrorBodyShape) {
    auto r = error_response(
        Error{ErrorKind::not_found, "conversation_not_found", "No such \"x\".", std::nullopt});
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.content_type, "application/json");
    auto body = nlohmann::json::parse(r.body);
    ASSERT_TRUE(body.is_object());
    EXPECT_EQ(body.size(), 1u);
    EXPECT_EQ(body["error"]["code"], "conversation_not_found");
    EXPECT_EQ(body["error"]["message"], "No such \"x\".");
    EXPECT_EQ(body["error"].size(), 2u);
    EXPECT_TRUE(r.headers.empty());
}

TEST(ErrorResponse, InvalidUtf8InTheMessageStillGivesJson) {
    auto r = error_response(400, "malformed_json", "bad \xff byte");
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << r.body;
    EXPECT_EQ(body["error"]["code"], "malformed_json");
}

TEST(ErrorResponse, UnauthenticatedAsksForABearerToken) {
    auto r = error_response(
        Error{ErrorKind::unauthenticated, "token_missing", "Sign in.", std::nullopt});
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(header(r, "WWW-Authenticate"), "Bearer");
}

TEST(ErrorResponse, RateLimitedAndUnavailableCarryRetryAfter) {
    auto given = error_response(Error{ErrorKind::rate_limited, "rate_limited", "Wait.", 42});
    EXPECT_EQ(given.status, 429);
    EXPECT_EQ(header(given, "Retry-After"), "42");

    auto defaulted =
        error_response(Error{ErrorKind::rate_limited, "rate_limited", "Wait.", std::nullopt});
    EXPECT_EQ(header(defaulted, "Retry-After"), "1");

    auto unavailable = error_response(
        Error{ErrorKind::unavailable, "code_delivery_failed", "Down.", std::nullopt});
    EXPECT_EQ(unavailable.status, 503);
    EXPECT_EQ(header(unavailable, "Retry-After"), "1");

    auto other = error_response(Error{ErrorKind::conflict, "last_admin", "No.", std::nullopt});
    EXPECT_EQ(header(other, "Retry-After"), "");
}

}  // namespace
}  // namespace parley::http
