// parleyd serves the web app from --web-root at every path the API does not own: files with
// their types and cache rules, client-side routes as index.html, a strict CSP naming the
// stream's URL, traversal refused, precompressed copies for the clients that take them; the API
// and its JSON errors are untouched.

#include <gtest/gtest.h>

#include <fstream>

#include "integration/harness.hpp"

namespace parley::it {
namespace {

class WebApp : public ::testing::Test {
protected:
    static std::vector<std::string> args(const TempDir& dir) {
        std::filesystem::create_directories(dir.path() / "web" / "assets");
        std::ofstream(dir.path() / "web" / "index.html") << "<!doctype html><title>Parley</title>";
        std::ofstream(dir.path() / "web" / "assets" / "index-1a2b.js") << "console.log(1)";
        std::ofstream(dir.path() / "secret.txt") << "not for the web";
        return {"--web-root", (dir.path() / "web").string()};
    }

    TempDir dir_;
    ParleyServer server_{args(dir_)};
};

TEST_F(WebApp, ServesIndexWithAStrictPolicyNamingTheStream) {
    auto r = server_.get("/");
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.raw, "<!doctype html><title>Parley</title>");
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "no-cache");
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    const std::string csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("connect-src 'self' ws://127.0.0.1:" + std::to_string(server_.port())),
              std::string::npos)
        << csp;
}

TEST_F(WebApp, ClientRoutesGetIndexAndAssetsAreCachedForAYear) {
    auto route = server_.get("/chats/c_123");
    EXPECT_EQ(route.status, 200) << route;
    EXPECT_EQ(route.header("content-type"), "text/html; charset=utf-8");
    auto js = server_.get("/assets/index-1a2b.js");
    EXPECT_EQ(js.status, 200) << js;
    EXPECT_EQ(js.raw, "console.log(1)");
    EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
}

TEST_F(WebApp, RefusesWhatIsNotThere) {
    auto missing = server_.get("/assets/index-gone.js");
    EXPECT_EQ(missing.status, 404) << missing;
    EXPECT_EQ(missing.error_code(), "not_found");
    auto traversal = server_.get("/assets/%2e%2e/%2e%2e/secret.txt");
    EXPECT_EQ(traversal.status, 400) << traversal;
    EXPECT_EQ(traversal.error_code(), "invalid_path");
    EXPECT_EQ(traversal.raw.find("not for the web"), std::string::npos);
    auto post = server_.post("/", json::object());
    EXPECT_EQ(post.status, 405) << post;
    EXPECT_EQ(post.header("allow"), "GET, HEAD");
}

// The build's precompressed copies and inline first screen, over a real socket: the copy the
// client takes with its length, Vary and its own ETag, a 304 for a current copy, and the
// inline script allowed by its hash.
TEST(WebAppPrecompressed, SendsTheCopyTheClientTakesAndAllowsTheInlineScriptByHash) {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "web");
    std::ofstream(dir.path() / "web" / "index.html") << "<script type=\"module\">abc</script>";
    std::ofstream(dir.path() / "web" / "index.html.br") << "brotli bytes";
    std::ofstream(dir.path() / "web" / "index.html.gz") << "gzip bytes!";
    ParleyServer server({"--web-root", (dir.path() / "web").string()});
    auto& http = server.http();

    auto br = http.request("GET", "/", std::nullopt, "", {"Accept-Encoding: gzip, deflate, br"});
    ASSERT_EQ(br.status, 200) << br;
    EXPECT_EQ(br.raw, "brotli bytes");
    EXPECT_EQ(br.header("content-encoding"), "br");
    EXPECT_EQ(br.header("content-length"), "12");
    EXPECT_EQ(br.header("vary"), "Accept-Encoding");
    EXPECT_EQ(br.header("content-type"), "text/html; charset=utf-8");
    // sha256("abc"): the page's inline script, hashed as the page has it, not as compressed.
    EXPECT_NE(br.header("content-security-policy")
                  .find("script-src 'self' 'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';"),
              std::string::npos)
        << br.header("content-security-policy");

    auto gz = http.request("GET", "/chats/c_1", std::nullopt, "", {"Accept-Encoding: gzip"});
    EXPECT_EQ(gz.raw, "gzip bytes!");
    EXPECT_EQ(gz.header("content-encoding"), "gzip");
    EXPECT_NE(gz.header("etag"), br.header("etag"));

    auto plain = http.request("GET", "/", std::nullopt, "", {"Accept-Encoding: identity"});
    EXPECT_EQ(plain.raw, "<script type=\"module\">abc</script>");
    EXPECT_EQ(plain.header("content-encoding"), "");
    EXPECT_EQ(plain.header("vary"), "Accept-Encoding");

    auto current = http.request("GET", "/", std::nullopt, "",
                                {"Accept-Encoding: br", "If-None-Match: " + br.header("etag")});
    EXPECT_EQ(current.status, 304) << current;
    EXPECT_TRUE(current.raw.empty());
    EXPECT_EQ(current.header("etag"), br.header("etag"));
}

TEST_F(WebApp, TheApiKeepsItsOwnAnswers) {
    auto unknown = server_.get("/api/v1/nope");
    EXPECT_EQ(unknown.status, 404) << unknown;
    EXPECT_EQ(unknown.error_code(), "route_not_found");
    EXPECT_EQ(server_.get("/healthz").status, 200);
}

}  // namespace
}  // namespace parley::it
