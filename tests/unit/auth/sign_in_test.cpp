#include "auth/sign_in.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/hashing.hpp"
#include "crypto/key_ring.hpp"
#include "crypto/random.hpp"
#include "fakes/temp_dir.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace parley::auth {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
const std::string kPhone = "+6591234567";
const std::string kOtherPhone = "+6591234568";
const std::string kAddress = "198.51.100.7";
const std::string kCodeKey(32, 'k');

// Records every delivery; can be told to fail like a gateway that is down.
class RecordingCodeSender final : public CodeSender {
public:
    Result<void> send(const CodeDelivery& delivery) override {
        std::lock_guard lock(mutex_);
        deliveries_.push_back(delivery);
        if (failing_) return fail(ErrorKind::unavailable, "code_delivery_failed", "down");
        return ok();
    }
    const char* name() const override { return "recording"; }

    std::vector<CodeDelivery> deliveries() const {
        std::lock_guard lock(mutex_);
        return deliveries_;
    }
    std::string last_code() const {
        std::lock_guard lock(mutex_);
        return deliveries_.empty() ? "" : deliveries_.back().code;
    }
    void set_failing(bool failing) {
        std::lock_guard lock(mutex_);
        failing_ = failing;
    }

private:
    mutable std::mutex mutex_;
    std::vector<CodeDelivery> deliveries_;  // GUARDED_BY(mutex_)
    bool failing_ = false;                  // GUARDED_BY(mutex_)
};

// A code that is well-formed but not `code`.
std::string wrong_code(const std::string& code) {
    std::string wrong = code;
    wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
    return wrong;
}

void expect_error(const auto& result, ErrorKind kind, const std::string& code) {
    ASSERT_FALSE(result) << "expected " << code;
    EXPECT_EQ(result.error().kind, kind) << result.error().code << ": " << result.error().message;
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_FALSE(result.error().message.empty());
}

class SignInTest : public ::testing::Test {
protected:
    SignInTest() {
        store::sqlite::SqliteSettings settings;
        settings.path = dir_.path() / "parley.db";
        settings.readers = 2;
        settings.synchronous = "OFF";  // a throwaway database
        auto opened = store::sqlite::open_sqlite_store(settings, key_ring_);
        if (!opened) throw std::runtime_error(opened.error().message);
        store_ = std::move(*opened);
        sign_in_ = make_sign_in();
    }

    std::unique_ptr<SignIn> make_sign_in() {
        return std::make_unique<SignIn>(*store_, sender_, clock_, kCodeKey, SignInSettings{});
    }

    // Requests a sign-in code and returns it as delivered.
    std::string request_code(const std::string& phone = kPhone,
                             const std::string& address = kAddress) {
        const auto issued = sign_in_->request_code(phone, address);
        if (!issued) {
            ADD_FAILURE() << issued.error().code << ": " << issued.error().message;
            return "";
        }
        return sender_.last_code();
    }

    NewSession signed_in(const std::string& phone = kPhone) {
        const std::string code = request_code(phone);
        auto session = sign_in_->sign_in(phone, code, "test-agent/1.0", kAddress);
        if (!session) throw std::runtime_error(session.error().code);
        return std::move(*session);
    }

    store::CodeRecord stored_code(const std::string& phone = kPhone,
                                  const std::string& purpose = kPurposeSignIn) {
        auto found = store_->find_code(phone, purpose);
        if (!found || !*found) throw std::runtime_error("no code stored");
        return **found;
    }

    testing::TempDir dir_;
    crypto::KeyRing key_ring_ = crypto::KeyRing::from_key(crypto::DataKey::generate());
    ManualClock clock_;
    RecordingCodeSender sender_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<SignIn> sign_in_;
};

// --- issuing codes -----------------------------------------------------------------------------

TEST_F(SignInTest, IssuesASixDigitCodeAndDeliversIt) {
    const auto issued = sign_in_->request_code(kPhone, kAddress);
    ASSERT_TRUE(issued);
    EXPECT_EQ(issued->phone, kPhone);
    EXPECT_EQ(issued->expires_in_seconds, 300);

    const auto deliveries = sender_.deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].phone, kPhone);
    EXPECT_EQ(deliveries[0].purpose, "sign-in");
    EXPECT_TRUE(deliveries[0].email.empty());
    ASSERT_EQ(deliveries[0].code.size(), 6u);
    for (char c : deliveries[0].code) EXPECT_TRUE(c >= '0' && c <= '9') << deliveries[0].code;
}

TEST_F(SignInTest, StoresOnlyAKeyedHashOfTheCode) {
    const std::string code = request_code();
    const auto record = stored_code();
    EXPECT_EQ(record.code_hash.find(code), std::string::npos);
    EXPECT_EQ(record.code_hash, crypto::keyed_hash(kCodeKey, kPhone + ":sign-in:" + code));
    EXPECT_NE(record.code_hash, crypto::hash_token(code));  // not reversible without the key
    EXPECT_EQ(record.attempts, 0);
    EXPECT_EQ(record.created_at, clock_.now_ms());
    EXPECT_EQ(record.expires_at, clock_.now_ms() + 5 * kMinute);
}

TEST_F(SignInTest, RefusesPhonesNotInE164WithoutSendingAnything) {
    for (const std::string phone : {"91234567", "+65 9123 4567", "", "+6512", "hello"}) {
        expect_error(sign_in_->request_code(phone, kAddress), ErrorKind::invalid, "invalid_phone");
    }
    EXPECT_TRUE(sender_.deliveries().empty());
}

TEST_F(SignInTest, RefusesUnknownPurposesAndWorkAccountCodesWithoutEmail) {
    expect_error(sign_in_->request_code(kPhone, kAddress, "admin"), ErrorKind::invalid,
                 "code_purpose");
    expect_error(sign_in_->request_code(kPhone, kAddress, kPurposeWorkAccount, "org_1", ""),
                 ErrorKind::invalid, "email_required");
    EXPECT_TRUE(sender_.deliveries().empty());
}

TEST_F(SignInTest, AFailedDeliveryIsReported) {
    sender_.set_failing(true);
    expect_error(sign_in_->request_code(kPhone, kAddress), ErrorKind::unavailable,
                 "code_delivery_failed");
}

// --- signing in ---------------------------------------------------------------------------------

TEST_F(SignInTest, SignInCreatesASessionWhoseTokenAuthenticates) {
    const std::string code = request_code();
    const auto session = sign_in_->sign_in(kPhone, code, "test-agent/1.0", kAddress);
    ASSERT_TRUE(session) << session.error().code;
    EXPECT_EQ(session->token.size(), 43u);
    EXPECT_EQ(session->user.phone, kPhone);
    EXPECT_EQ(session->session.user_id, session->user.id);
    EXPECT_EQ(session->session.id.rfind("ses_", 0), 0u);
    EXPECT_EQ(session->session.user_agent, "test-agent/1.0");
    EXPECT_EQ(session->session.client_address, kAddress);

    // The store has the token's hash, not the token.
    const auto stored = store_->find_session_by_token_hash(crypto::hash_token(session->token));
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ((*stored)->id, session->session.id);
    EXPECT_NE((*stored)->token_hash, session->token);

    const auto who = sign_in_->authenticate(session->token);
    ASSERT_TRUE(who) << who.error().code;
    EXPECT_EQ(who->session.id, session->session.id);
    EXPECT_EQ(who->user.id, session->user.id);
    EXPECT_EQ(who->user.phone, kPhone);

    // Signing in again is the same person, in a second session.
    const auto again = signed_in();
    EXPECT_EQ(again.user.id, session->user.id);
    EXPECT_NE(again.session.id, session->session.id);
    EXPECT_NE(again.token, session->token);
}

TEST_F(SignInTest, ACodeWorksOnlyOnce) {
    const std::string code = request_code();
    ASSERT_TRUE(sign_in_->sign_in(kPhone, code, "ua", kAddress));
    expect_error(sign_in_->sign_in(kPhone, code, "ua", kAddress), ErrorKind::unauthenticated,
                 "code_invalid");
}

TEST_F(SignInTest, ConcurrentUsesOfOneCodeSignInOnce) {
    const std::string code = request_code();
    std::atomic<int> successes{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            if (sign_in_->sign_in(kPhone, code, "ua", kAddress)) ++successes;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(successes.load(), 1);
}

TEST_F(SignInTest, WithoutAPendingCodeNothingVerifies) {
    expect_error(sign_in_->sign_in(kPhone, "123456", "ua", kAddress), ErrorKind::unauthenticated,
                 "code_invalid");
}

TEST_F(SignInTest, MalformedCodesAreRefusedWithoutCountingAnAttempt) {
    request_code();
    for (const std::string code : {"", "12345", "1234567", "12a456", " 12345", "１２３４５６"}) {
        expect_error(sign_in_->sign_in(kPhone, code, "ua", kAddress), ErrorKind::invalid,
                     "code_format");
    }
    EXPECT_EQ(stored_code().attempts, 0);
}

TEST_F(SignInTest, WrongCodesCountAttemptsAndTheFifthLocksEvenTheRightCode) {
    const std::string code = request_code();
    for (int attempt = 1; attempt <= 4; ++attempt) {
        const auto wrong = sign_in_->sign_in(kPhone, wrong_code(code), "ua", kAddress);
        expect_error(wrong, ErrorKind::unauthenticated, "code_invalid");
        EXPECT_NE(wrong.error().message.find(std::to_string(5 - attempt) + " attempt"),
                  std::string::npos)
            << wrong.error().message;
        EXPECT_EQ(stored_code().attempts, attempt);
    }
    const auto fifth = sign_in_->sign_in(kPhone, wrong_code(code), "ua", kAddress);
    expect_error(fifth, ErrorKind::rate_limited, "too_many_attempts");

    const auto right = sign_in_->sign_in(kPhone, code, "ua", kAddress);
    expect_error(right, ErrorKind::rate_limited, "too_many_attempts");
    ASSERT_TRUE(right.error().retry_after_seconds);
    EXPECT_GE(*right.error().retry_after_seconds, 1);
    EXPECT_LE(*right.error().retry_after_seconds, 300);

    // Only a new code helps.
    const std::string fresh = request_code();
    EXPECT_TRUE(sign_in_->sign_in(kPhone, fresh, "ua", kAddress));
}

TEST_F(SignInTest, TheRightCodeStillWorksAfterFourWrongOnes) {
    const std::string code = request_code();
    for (int i = 0; i < 4; ++i)
        ASSERT_FALSE(sign_in_->sign_in(kPhone, wrong_code(code), "ua", kAddress));
    EXPECT_TRUE(sign_in_->sign_in(kPhone, code, "ua", kAddress));
}

TEST_F(SignInTest, ConcurrentGuessesGetNoMoreThanTheAllowedComparisons) {
    const std::string code = request_code();
    std::atomic<int> judged_wrong{0};  // guesses that were actually compared and told "wrong"
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&] {
            const auto r = sign_in_->sign_in(kPhone, wrong_code(code), "ua", kAddress);
            if (!r && r.error().code == "code_invalid") ++judged_wrong;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_LE(judged_wrong.load(), 4);
    expect_error(sign_in_->sign_in(kPhone, code, "ua", kAddress), ErrorKind::rate_limited,
                 "too_many_attempts");
}

TEST_F(SignInTest, ACodeExpiresAfterFiveMinutes) {
    const std::string code = request_code();
    clock_.advance_ms(5 * kMinute);
    expect_error(sign_in_->sign_in(kPhone, code, "ua", kAddress), ErrorKind::gone, "code_expired");
}

TEST_F(SignInTest, ACodeStillWorksJustBeforeItExpires) {
    const std::string code = request_code();
    clock_.advance_ms(5 * kMinute - 1);
    EXPECT_TRUE(sign_in_->sign_in(kPhone, code, "ua", kAddress));
}

TEST_F(SignInTest, ANewRequestReplacesTheOldCodeAndResetsAttempts) {
    const std::string first = request_code();
    ASSERT_FALSE(sign_in_->sign_in(kPhone, wrong_code(first), "ua", kAddress));
    ASSERT_EQ(stored_code().attempts, 1);

    std::string second = request_code();
    while (second == first) second = request_code();  // one chance in a million
    EXPECT_EQ(stored_code().attempts, 0);
    expect_error(sign_in_->sign_in(kPhone, first, "ua", kAddress), ErrorKind::unauthenticated,
                 "code_invalid");
    EXPECT_TRUE(sign_in_->sign_in(kPhone, second, "ua", kAddress));
}

TEST_F(SignInTest, CodesAreBoundToTheirPurpose) {
    const auto issued =
        sign_in_->request_code(kPhone, kAddress, kPurposeWorkAccount, "org_1", "ana@example.com");
    ASSERT_TRUE(issued);
    const auto delivery = sender_.deliveries().back();
    EXPECT_EQ(delivery.purpose, "work-account");
    EXPECT_EQ(delivery.email, "ana@example.com");

    // A work-account code does not sign anyone in …
    expect_error(sign_in_->sign_in(kPhone, delivery.code, "ua", kAddress),
                 ErrorKind::unauthenticated, "code_invalid");
    // … and verifies for its own purpose, returning what was stored with it.
    const auto record = sign_in_->verify_code(kPhone, kPurposeWorkAccount, delivery.code);
    ASSERT_TRUE(record) << record.error().code;
    EXPECT_EQ(record->target, "org_1");
    EXPECT_EQ(record->purpose, "work-account");
}

// --- rate limits --------------------------------------------------------------------------------

TEST_F(SignInTest, RateLimitsCodeRequestsPerPhone) {
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(sign_in_->request_code(kPhone, "10.0.0." + std::to_string(i)));
    const auto hash_before = stored_code().code_hash;

    const auto sixth = sign_in_->request_code(kPhone, "10.0.0.99");
    expect_error(sixth, ErrorKind::rate_limited, "rate_limited");
    ASSERT_TRUE(sixth.error().retry_after_seconds);
    EXPECT_GE(*sixth.error().retry_after_seconds, 1);
    EXPECT_LE(*sixth.error().retry_after_seconds, 15 * 60);
    // Refused before a code was made: nothing sent, the pending code untouched.
    EXPECT_EQ(sender_.deliveries().size(), 5u);
    EXPECT_EQ(stored_code().code_hash, hash_before);

    // Other numbers, and other purposes for this number, have their own allowance.
    EXPECT_TRUE(sign_in_->request_code(kOtherPhone, "10.0.0.99"));
    EXPECT_TRUE(sign_in_->request_code(kPhone, "10.0.0.99", kPurposeWorkAccount, "", "a@b.c"));

    clock_.advance_ms(15 * kMinute);
    EXPECT_TRUE(sign_in_->request_code(kPhone, "10.0.0.99"));
}

TEST_F(SignInTest, RateLimitsCodeRequestsPerClientAddress) {
    for (int i = 0; i < 30; ++i) {
        const std::string phone = "+65912345" + std::string(i < 10 ? "0" : "") + std::to_string(i);
        ASSERT_TRUE(sign_in_->request_code(phone, kAddress)) << phone;
    }
    const auto refused = sign_in_->request_code("+6591234599", kAddress);
    expect_error(refused, ErrorKind::rate_limited, "rate_limited");
    ASSERT_TRUE(refused.error().retry_after_seconds);
    EXPECT_GE(*refused.error().retry_after_seconds, 1);
    EXPECT_EQ(sender_.deliveries().size(), 30u);

    EXPECT_TRUE(sign_in_->request_code("+6591234599", "203.0.113.5"));
    clock_.advance_ms(15 * kMinute);
    EXPECT_TRUE(sign_in_->request_code("+6591234598", kAddress));
}

// --- sessions -----------------------------------------------------------------------------------

TEST_F(SignInTest, RevokeMakesTheTokenFailAtOnce) {
    const auto mine = signed_in();
    const auto other = signed_in();
    ASSERT_TRUE(sign_in_->authenticate(mine.token));  // now cached
    ASSERT_TRUE(sign_in_->authenticate(other.token));

    const auto listed = sign_in_->list_sessions(mine.user.id);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    for (const auto& s : *listed) EXPECT_TRUE(s.token_hash.empty());

    ASSERT_TRUE(sign_in_->revoke(mine.user.id, mine.session.id));
    expect_error(sign_in_->authenticate(mine.token), ErrorKind::unauthenticated, "session_revoked");
    EXPECT_TRUE(sign_in_->authenticate(other.token));  // only that session ended

    const auto after = sign_in_->list_sessions(mine.user.id);
    ASSERT_TRUE(after);
    ASSERT_EQ(after->size(), 1u);
    EXPECT_EQ(after->front().id, other.session.id);

    expect_error(sign_in_->revoke(mine.user.id, mine.session.id), ErrorKind::not_found,
                 "session_not_found");
}

TEST_F(SignInTest, NobodyRevokesAnotherUsersSession) {
    const auto alice = signed_in(kPhone);
    const auto bob = signed_in(kOtherPhone);
    ASSERT_TRUE(sign_in_->authenticate(bob.token));
    expect_error(sign_in_->revoke(alice.user.id, bob.session.id), ErrorKind::not_found,
                 "session_not_found");
    EXPECT_TRUE(sign_in_->authenticate(bob.token));
}

TEST_F(SignInTest, ARevocationThroughAnotherInstanceLandsWithinTheCacheFreshness) {
    const auto session = signed_in();
    ASSERT_TRUE(sign_in_->authenticate(session.token));  // cached here

    auto other_node = make_sign_in();
    ASSERT_TRUE(other_node->revoke(session.user.id, session.session.id));
    expect_error(other_node->authenticate(session.token), ErrorKind::unauthenticated,
                 "session_revoked");

    EXPECT_TRUE(sign_in_->authenticate(session.token));  // served from this instance's cache
    clock_.advance_ms(SessionCacheSettings{}.fresh_ms);
    expect_error(sign_in_->authenticate(session.token), ErrorKind::unauthenticated,
                 "session_revoked");
}

TEST_F(SignInTest, AnIdleSessionExpires) {
    const auto session = signed_in();
    clock_.advance_ms(30 * kDay);
    expect_error(sign_in_->authenticate(session.token), ErrorKind::unauthenticated,
                 "session_expired");
    const auto listed = sign_in_->list_sessions(session.user.id);
    ASSERT_TRUE(listed);
    EXPECT_TRUE(listed->empty());
}

TEST_F(SignInTest, UseKeepsASessionAlive) {
    const auto session = signed_in();
    clock_.advance_ms(20 * kDay);
    ASSERT_TRUE(sign_in_->authenticate(session.token));  // records the use
    clock_.advance_ms(20 * kDay);
    ASSERT_TRUE(sign_in_->authenticate(session.token));
    const auto listed = sign_in_->list_sessions(session.user.id);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().last_used_at, clock_.now_ms());
    clock_.advance_ms(30 * kDay);
    expect_error(sign_in_->authenticate(session.token), ErrorKind::unauthenticated,
                 "session_expired");
}

TEST_F(SignInTest, ForgedAndMalformedTokensAreRejected) {
    const auto session = signed_in();
    std::string altered = session.token;
    altered[10] = altered[10] == 'A' ? 'B' : 'A';

    expect_error(sign_in_->authenticate(""), ErrorKind::unauthenticated, "token_missing");
    const std::vector<std::string> forged = {
        "not-a-token",
        crypto::random_token(),       // well-formed, never issued
        altered,                      // one character changed
        std::string(10 * 1024, 'A'),  // 10 KB
        session.token + "=",          // padded
        session.token + "A",          // one character too many
        session.token.substr(0, 42),  // one too few
        "Bearer " + session.token,    // the scheme is the HTTP layer's to strip
        " " + session.token,
        session.session.token_hash,  // the stored hash is not a credential
        std::string("\0", 1) + session.token.substr(1),
    };
    for (const auto& token : forged) {
        const auto r = sign_in_->authenticate(token);
        expect_error(r, ErrorKind::unauthenticated, "token_invalid");
    }
    EXPECT_TRUE(sign_in_->authenticate(session.token));
}

TEST_F(SignInTest, RefusesAKeyThatKeyedHashingWouldAbortOn) {
    EXPECT_THROW(SignIn(*store_, sender_, clock_, "short", SignInSettings{}),
                 std::invalid_argument);
    EXPECT_THROW(SignIn(*store_, sender_, clock_, std::string(65, 'k'), SignInSettings{}),
                 std::invalid_argument);
}

}  // namespace
}  // namespace parley::auth
