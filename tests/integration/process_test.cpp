// parleyd as a process: its flags, refusing unsafe settings, stopping on SIGTERM, and the
// health and metrics endpoints.

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

TEST(Process, HelpListsTheFlags) {
    auto r = run_process({PARLEYD_PATH, "--help"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("--listen"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--data-dir"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--max-body-bytes"), std::string::npos) << r.out;
}

TEST(Process, RefusesUnsafeOrUnknownSettings) {
    TempDir dir;
    auto public_plain = run_process(
        {PARLEYD_PATH, "--dev", "--data-dir", dir.path().string(), "--listen", "0.0.0.0:0"});
    EXPECT_NE(public_plain.exit_code, 0);
    EXPECT_NE(public_plain.err.find("tls_required"), std::string::npos) << public_plain.err;
    EXPECT_EQ(public_plain.out.find("listening"), std::string::npos) << public_plain.out;

    auto unknown = run_process({PARLEYD_PATH, "--no-such-flag"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
    EXPECT_FALSE(unknown.err.empty());

    auto half_init = run_process({PARLEYD_PATH, "--dev", "--data-dir", dir.path().string(),
                                  "--listen", "127.0.0.1:0", "--init-org", "Contoso"});
    EXPECT_NE(half_init.exit_code, 0);
    EXPECT_NE(half_init.err.find("init_incomplete"), std::string::npos) << half_init.err;

    auto no_dev_sender =
        run_process({PARLEYD_PATH, "--data-dir", dir.path().string(), "--listen", "127.0.0.1:0"});
    EXPECT_NE(no_dev_sender.exit_code, 0);
    EXPECT_NE(no_dev_sender.err.find("dev_sender_requires_dev"), std::string::npos)
        << no_dev_sender.err;
}

TEST(Process, StopsWithExitZeroOnSigterm) {
    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    send_text(server, a.token, create_group(server, a.token, "Bye"), "last words");
    EXPECT_EQ(server.stop(), 0);
    EXPECT_FALSE(server.running());
    // The port is closed afterwards.
    HttpClient client(server.base_url());
    EXPECT_EQ(client.get("/healthz").status, 0);
}

TEST(Process, HealthAndMetrics) {
    ParleyServer server;
    auto health = server.get("/healthz");
    ASSERT_EQ(health.status, 200) << health;
    EXPECT_EQ(health.body, (json{{"status", "ok"}}));

    Session a = server.sign_in(kAdminPhone);
    ASSERT_EQ(server.get("/api/v1/conversations", a.token).status, 200);
    ASSERT_EQ(server.get("/api/v1/nope", a.token).status, 404);

    auto metrics = server.get("/metrics");
    ASSERT_EQ(metrics.status, 200) << metrics;
    EXPECT_NE(metrics.header("content-type").find("text/plain"), std::string::npos);
    const std::string& text = metrics.raw;
    EXPECT_NE(text.find("# TYPE parley_http_requests_total counter"), std::string::npos) << text;
    // Labelled by route pattern (never by raw path, which would explode the label set).
    EXPECT_NE(text.find("parley_http_requests_total{route=\"/api/v1/conversations\",method=\"GET\","
                        "status=\"200\"} 1"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("parley_http_requests_total{route=\"/healthz\""), std::string::npos)
        << text;
    EXPECT_NE(text.find("route=\"unmatched\""), std::string::npos) << text;
    EXPECT_EQ(text.find("/api/v1/nope"), std::string::npos) << text;
    EXPECT_NE(text.find("parley_http_request_duration_seconds"), std::string::npos) << text;
}

// The harness itself: a server that cannot start fails the test with what it said.
TEST(Harness, ReportsAServerThatDoesNotStart) {
    EXPECT_NONFATAL_FAILURE(
        {
            try {
                ParleyServer bad({"--no-such-flag"});
            } catch (const std::runtime_error&) {
            }
        },
        "before listening");
    EXPECT_NONFATAL_FAILURE(
        {
            try {
                ParleyServer bad({"--no-such-flag"});
            } catch (const std::runtime_error&) {
            }
        },
        "no-such-flag");
}

}  // namespace
}  // namespace parley::it
