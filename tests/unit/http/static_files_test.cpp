#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "fakes/temp_dir.hpp"

namespace parley::http {
namespace {

std::string header(const net::Response& response, std::string_view name) {
    for (const auto& h : response.headers) {
        if (h.name == name) return h.value;
    }
    return "";
}

class StaticFilesTest : public ::testing::Test {
protected:
    StaticFilesTest() {
        write("index.html", "<!doctype html><title>Parley</title>");
        std::filesystem::create_directories(dir_.path() / "web" / "assets");
        write("assets/index-abc123.js", "console.log(1)");
        write("assets/index-abc123.css", "body{}");
        write("favicon.svg", "<svg/>");
        // Outside the web root: must never be served.
        std::ofstream(dir_.path() / "secret.txt") << "master key";
    }

    void write(const std::string& name, const std::string& body) {
        std::filesystem::create_directories((dir_.path() / "web" / name).parent_path());
        std::ofstream(dir_.path() / "web" / name, std::ios::binary) << body;
    }

    net::Response get(std::string path, std::string method = "GET") {
        net::Request request;
        request.method = std::move(method);
        request.path = std::move(path);
        request.headers.push_back({"host", "chat.example.com:8443"});
        request.tls = true;
        return files_.serve(request);
    }

    testing::TempDir dir_;
    StaticFiles files_{dir_.path() / "web"};
};

TEST_F(StaticFilesTest, ServesIndexAtRootWithoutCaching) {
    EXPECT_TRUE(files_.available());
    auto r = get("/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(r.body, "<!doctype html><title>Parley</title>");
    EXPECT_EQ(header(r, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, HashedAssetsAreCachedForAYearWithTheirType) {
    auto js = get("/assets/index-abc123.js");
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(get("/assets/index-abc123.css").content_type, "text/css; charset=utf-8");
    auto icon = get("/favicon.svg");
    EXPECT_EQ(icon.content_type, "image/svg+xml");
    EXPECT_EQ(header(icon, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, EveryResponseCarriesAStrictPolicyNamingTheStream) {
    auto csp = header(get("/"), "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
    EXPECT_NE(csp.find("connect-src 'self' wss://chat.example.com:8443;"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe"), std::string::npos);
    EXPECT_EQ(content_security_policy("localhost:8080", false).find("ws://localhost:8080") ==
                  std::string::npos,
              false);
}

TEST_F(StaticFilesTest, AHostWithOddCharactersIsLeftOutOfThePolicy) {
    net::Request request;
    request.method = "GET";
    request.path = "/";
    request.headers.push_back({"host", "evil.com; script-src *"});
    auto csp = header(files_.serve(request), "Content-Security-Policy");
    EXPECT_EQ(csp.find("evil"), std::string::npos);
    EXPECT_NE(csp.find("connect-src 'self';"), std::string::npos);
}

TEST_F(StaticFilesTest, NavigationPathsFallBackToIndex) {
    for (const char* path : {"/chats", "/chats/c_123", "/portal/people/", "/portal//x"}) {
        auto r = get(path);
        EXPECT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
        EXPECT_EQ(header(r, "Cache-Control"), "no-cache") << path;
    }
}

TEST_F(StaticFilesTest, MissingFilesWithAnExtensionAre404NotIndex) {
    for (const char* path : {"/assets/index-gone.js", "/robots.txt", "/x/y.png"}) {
        auto r = get(path);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.content_type, "application/json") << path;
    }
}

TEST_F(StaticFilesTest, PathTraversalIsRefused) {
    for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/..", "/./index.html",
                             "/assets\\..\\..\\secret.txt"}) {
        auto r = get(path);
        EXPECT_EQ(r.status, 400) << path;
        EXPECT_EQ(r.body.find("master key"), std::string::npos) << path;
    }
    auto nul = get(std::string("/index.html\0.js", 15));
    EXPECT_EQ(nul.status, 400);
}

TEST_F(StaticFilesTest, HeadAnswersLikeGet) {
    auto get_response = get("/assets/index-abc123.js");
    auto head = get("/assets/index-abc123.js", "HEAD");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.content_type, get_response.content_type);
    // The transport drops the body of a HEAD reply but keeps its length.
    EXPECT_EQ(head.body.size(), get_response.body.size());
}

TEST_F(StaticFilesTest, OtherMethodsAre405) {
    auto r = get("/", "POST");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(header(r, "Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, WithoutABuiltAppNothingIsAvailable) {
    StaticFiles none(dir_.path() / "missing");
    EXPECT_FALSE(none.available());
    net::Request request;
    request.method = "GET";
    request.path = "/";
    EXPECT_EQ(none.serve(request).status, 404);
}

TEST(ApiPaths, TellTheApiFromTheWebApp) {
    EXPECT_TRUE(is_api_path("/api/v1/me"));
    EXPECT_TRUE(is_api_path("/api"));
    EXPECT_TRUE(is_api_path("/healthz"));
    EXPECT_TRUE(is_api_path("/metrics"));
    EXPECT_FALSE(is_api_path("/"));
    EXPECT_FALSE(is_api_path("/apidocs"));
    EXPECT_FALSE(is_api_path("/chats/api"));
}

}  // namespace
}  // namespace parley::http
