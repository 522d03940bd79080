// Signing in with a phone number and a one-time code; sessions; rate limits.

#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

TEST(SignIn, CodeFlow) {
    ParleyServer server;
    // A national number is read in the server's default region (SG).
    auto requested = server.post("/api/v1/auth/codes", {{"phone", "9123 4567"}});
    ASSERT_EQ(requested.status, 202) << requested;
    EXPECT_EQ(requested.body["phone"], kAdminPhone);
    EXPECT_GT(requested.body["expires_in"].get<int>(), 0);
    EXPECT_FALSE(requested.raw.find(server.latest_code(kAdminPhone)) != std::string::npos)
        << "the code must never be in the response";

    auto line = server.outbox().back();
    EXPECT_EQ(line["phone"], kAdminPhone);
    EXPECT_EQ(line["purpose"], "sign-in");
    std::string code = line["code"];
    EXPECT_EQ(code.size(), 6u);

    auto session = server.http().request("POST", "/api/v1/auth/sessions",
                                         json({{"phone", "+65 9123 4567"}, {"code", code}}).dump(),
                                         "", {"User-Agent: parley-integration-test"});
    ASSERT_EQ(session.status, 201) << session;
    std::string token = session.body["token"];
    EXPECT_FALSE(token.empty());
    EXPECT_EQ(session.body["user"]["phone"], kAdminPhone);

    auto me = server.get("/api/v1/me", token);
    ASSERT_EQ(me.status, 200) << me;
    EXPECT_EQ(me.body["id"], session.body["user"]["id"]);
    EXPECT_EQ(me.body["phone"], kAdminPhone);
    auto renamed = server.patch("/api/v1/me", {{"name", "Asha"}}, token);
    EXPECT_EQ(renamed.status, 200) << renamed;
    EXPECT_EQ(server.get("/api/v1/me", token).body["name"], "Asha");

    // A code works once.
    auto reused = server.post("/api/v1/auth/sessions", {{"phone", kAdminPhone}, {"code", code}});
    EXPECT_EQ(reused.status, 401) << reused;
    EXPECT_EQ(reused.error_code(), "code_invalid");
    // A code is not six digits.
    auto malformed =
        server.post("/api/v1/auth/sessions", {{"phone", kAdminPhone}, {"code", "12ab"}});
    EXPECT_EQ(malformed.status, 422) << malformed;
    // No code was ever sent to this number.
    auto never = server.post("/api/v1/auth/sessions", {{"phone", kBobPhone}, {"code", "123456"}});
    EXPECT_EQ(never.status, 401) << never;
    EXPECT_EQ(never.error_code(), "code_invalid");

    // The same person signing in again is the same user.
    Session again = server.sign_in(kAdminPhone);
    EXPECT_EQ(again.user_id, session.body["user"]["id"]);
}

TEST(SignIn, WrongCodesAreLimited) {
    ParleyServer server;
    auto requested = server.post("/api/v1/auth/codes", {{"phone", kBobPhone}});
    ASSERT_EQ(requested.status, 202) << requested;
    std::string code = server.latest_code(kBobPhone);
    std::string wrong = code == "000000" ? "111111" : "000000";

    for (int i = 1; i <= 4; ++i) {
        SCOPED_TRACE(i);
        auto r = server.post("/api/v1/auth/sessions", {{"phone", kBobPhone}, {"code", wrong}});
        EXPECT_EQ(r.status, 401) << r;
        EXPECT_EQ(r.error_code(), "code_invalid");
        EXPECT_EQ(r.header("www-authenticate"), "Bearer");
    }
    auto fifth = server.post("/api/v1/auth/sessions", {{"phone", kBobPhone}, {"code", wrong}});
    EXPECT_EQ(fifth.status, 429) << fifth;
    EXPECT_EQ(fifth.error_code(), "too_many_attempts");
    EXPECT_FALSE(fifth.header("retry-after").empty());
    // Even the right code is refused now ...
    auto right = server.post("/api/v1/auth/sessions", {{"phone", kBobPhone}, {"code", code}});
    EXPECT_EQ(right.status, 429) << right;
    // ... until a new code is requested.
    Session b = server.sign_in(kBobPhone);
    EXPECT_FALSE(b.token.empty());
}

TEST(SignIn, SessionsListAndSignOut) {
    ParleyServer server;
    Session first = server.sign_in(kAdminPhone);
    Session second = server.sign_in(kAdminPhone);
    Session other = server.sign_in(kBobPhone);

    auto list = server.get("/api/v1/auth/sessions", first.token);
    ASSERT_EQ(list.status, 200) << list;
    ASSERT_EQ(list.body["sessions"].size(), 2u) << list;
    int current = 0;
    for (const auto& s : list.body["sessions"]) {
        if (s["current"] == true) {
            ++current;
            EXPECT_EQ(s["id"], first.session_id);
        }
        EXPECT_FALSE(s.contains("token_hash")) << s;
    }
    EXPECT_EQ(current, 1);
    EXPECT_EQ(list.raw.find(first.token), std::string::npos);

    // Someone else's session cannot be revoked.
    auto foreign = server.del("/api/v1/auth/sessions/" + other.session_id, first.token);
    EXPECT_EQ(foreign.status, 404) << foreign;
    EXPECT_EQ(server.get("/api/v1/me", other.token).status, 200);

    auto signed_out = server.del("/api/v1/auth/sessions/current", first.token);
    EXPECT_EQ(signed_out.status, 204) << signed_out;
    auto after = server.get("/api/v1/me", first.token);
    EXPECT_EQ(after.status, 401) << after;
    EXPECT_FALSE(after.error_code().empty());
    EXPECT_EQ(server.get("/api/v1/me", second.token).status, 200);

    // Revoking the other session by id.
    auto by_id = server.del("/api/v1/auth/sessions/" + first.session_id, second.token);
    EXPECT_EQ(by_id.status, 404) << by_id;  // already signed out
    auto list2 = server.get("/api/v1/auth/sessions", second.token);
    ASSERT_EQ(list2.status, 200) << list2;
    bool first_listed = false;
    for (const auto& s : list2.body["sessions"]) first_listed |= s["id"] == first.session_id;
    EXPECT_FALSE(first_listed) << "a signed-out session is not listed: " << list2;
}

TEST(SignIn, InvalidPhoneNamesTheNumber) {
    ParleyServer server;
    for (const std::string phone : {"+12", "12345", "not a number", "+65 9123 4567 #12"}) {
        SCOPED_TRACE(phone);
        auto r = server.post("/api/v1/auth/codes", {{"phone", phone}});
        EXPECT_EQ(r.status, 422) << r;
        EXPECT_EQ(r.error_code(), "invalid_phone");
        EXPECT_NE(r.error_message().find(phone), std::string::npos) << r;
    }
    auto empty = server.post("/api/v1/auth/codes", {{"phone", ""}});
    EXPECT_EQ(empty.status, 422) << empty;
    auto region = server.post("/api/v1/auth/codes", {{"phone", "9123 4567"}, {"region", "XX"}});
    EXPECT_EQ(region.status, 422) << region;
    EXPECT_EQ(region.error_code(), "invalid_region");
    EXPECT_TRUE(server.outbox().empty()) << "no code may be sent for a refused number";
}

TEST(SignIn, CodeRequestsAreRateLimitedPerPhone) {
    ParleyServer server({"--codes-per-phone", "2"});
    for (int i = 0; i < 2; ++i) {
        auto r = server.post("/api/v1/auth/codes", {{"phone", kBobPhone}});
        EXPECT_EQ(r.status, 202) << r;
    }
    auto third = server.post("/api/v1/auth/codes", {{"phone", kBobPhone}});
    EXPECT_EQ(third.status, 429) << third;
    EXPECT_EQ(third.error_code(), "rate_limited");
    std::string retry_after = third.header("retry-after");
    ASSERT_FALSE(retry_after.empty()) << third;
    EXPECT_GT(std::stoi(retry_after), 0);
    EXPECT_EQ(server.outbox().size(), 2u);

    // Another number is not affected, nor is the same number written differently counted apart.
    auto other = server.post("/api/v1/auth/codes", {{"phone", kCarolPhone}});
    EXPECT_EQ(other.status, 202) << other;
    auto national = server.post("/api/v1/auth/codes", {{"phone", "9876 5432"}});
    EXPECT_EQ(national.status, 429) << national;
}

TEST(SignIn, TokensAreChecked) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    auto missing = server.get("/api/v1/me");
    EXPECT_EQ(missing.status, 401) << missing;
    EXPECT_EQ(missing.error_code(), "token_missing");
    EXPECT_EQ(missing.header("www-authenticate"), "Bearer");

    // A well-formed token that was never issued, one that is not even the right shape, and
    // the real one with a character changed.
    std::string changed = a.token;
    changed[5] = changed[5] == 'A' ? 'B' : 'A';
    for (const std::string& t :
         {std::string(43, 'A'), std::string("not-a-token"), changed, std::string(5000, 'x')}) {
        auto r = server.get("/api/v1/me", t);
        EXPECT_EQ(r.status, 401) << r;
        EXPECT_EQ(r.error_code(), "token_invalid") << r;
    }
    auto basic = server.http().request("GET", "/api/v1/me", std::nullopt, "",
                                       {"Authorization: Basic dXNlcjpwYXNz"});
    EXPECT_EQ(basic.status, 401) << basic;
    EXPECT_EQ(basic.error_code(), "token_missing");
    auto lower = server.http().request("GET", "/api/v1/me", std::nullopt, "",
                                       {"Authorization: bearer " + a.token});
    EXPECT_EQ(lower.status, 200) << lower;
}

}  // namespace
}  // namespace parley::it
