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
    // Attachments are fetched with the bearer token and played from blob: URLs.
    EXPECT_NE(csp.find("media-src blob:;"), std::string::npos);
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

// The build's precompressed copies (x.br, x.gz) stand in for x where the client takes them.
class PrecompressedTest : public StaticFilesTest {
protected:
    PrecompressedTest() {
        write("assets/app-1.js", "plain js");
        write("assets/app-1.js.gz", "gzip js");
        write("assets/app-1.js.br", "brotli js");
        write("assets/only-gz.css", "plain css");
        write("assets/only-gz.css.gz", "gzip css");
    }

    net::Response get_with(std::string path, std::vector<net::Header> headers,
                           std::string method = "GET") {
        net::Request request;
        request.method = std::move(method);
        request.path = std::move(path);
        request.headers = std::move(headers);
        return files_.serve(request);
    }
};

TEST_F(PrecompressedTest, BrotliFirstThenGzipThenTheFileItself) {
    auto br = get_with("/assets/app-1.js", {{"accept-encoding", "gzip, deflate, br"}});
    EXPECT_EQ(br.status, 200);
    EXPECT_EQ(br.body, "brotli js");
    EXPECT_EQ(header(br, "Content-Encoding"), "br");
    EXPECT_EQ(br.content_type, "text/javascript; charset=utf-8");  // the file's, not .br's
    EXPECT_EQ(header(br, "Vary"), "Accept-Encoding");
    EXPECT_EQ(header(br, "Cache-Control"), "public, max-age=31536000, immutable");

    auto gz = get_with("/assets/app-1.js", {{"accept-encoding", "gzip"}});
    EXPECT_EQ(gz.body, "gzip js");
    EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
    EXPECT_EQ(header(gz, "Vary"), "Accept-Encoding");

    auto plain = get_with("/assets/app-1.js", {});
    EXPECT_EQ(plain.body, "plain js");
    EXPECT_EQ(header(plain, "Content-Encoding"), "");
    // Plain too depends on the request's encodings: caches must keep the copies apart.
    EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding");

    auto css = get_with("/assets/only-gz.css", {{"accept-encoding", "br, gzip"}});
    EXPECT_EQ(css.body, "gzip css");
    EXPECT_EQ(header(css, "Content-Encoding"), "gzip");
}

TEST_F(PrecompressedTest, RefusedCodingsAreNotSent) {
    auto no_br = get_with("/assets/app-1.js", {{"accept-encoding", "br;q=0, gzip;q=0.5"}});
    EXPECT_EQ(no_br.body, "gzip js");
    auto identity = get_with("/assets/app-1.js", {{"accept-encoding", "identity"}});
    EXPECT_EQ(identity.body, "plain js");
    auto star_but_not_br =
        get_with("/assets/app-1.js", {{"accept-encoding", "*;q=0.1, br;q=0, gzip;q=0"}});
    EXPECT_EQ(star_but_not_br.body, "plain js");
    auto garbage = get_with("/assets/app-1.js", {{"accept-encoding", "br;q=banana, gzip;q=2"}});
    EXPECT_EQ(garbage.body, "plain js");
}

TEST_F(PrecompressedTest, FilesWithoutCopiesDoNotVary) {
    auto r = get_with("/favicon.svg", {{"accept-encoding", "gzip, br"}});
    EXPECT_EQ(r.body, "<svg/>");
    EXPECT_EQ(header(r, "Content-Encoding"), "");
    EXPECT_EQ(header(r, "Vary"), "");
}

TEST_F(PrecompressedTest, HeadGivesTheLengthOfTheEncodingItWouldSend) {
    auto head = get_with("/assets/app-1.js", {{"accept-encoding", "gzip"}}, "HEAD");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(header(head, "Content-Encoding"), "gzip");
    EXPECT_EQ(head.body.size(), std::string("gzip js").size());
}

TEST_F(PrecompressedTest, EachEncodingHasItsOwnEntityTagAndIfNoneMatchGets304) {
    auto br = get_with("/assets/app-1.js", {{"accept-encoding", "br"}});
    auto gz = get_with("/assets/app-1.js", {{"accept-encoding", "gzip"}});
    auto plain = get_with("/assets/app-1.js", {});
    const std::string tag = header(br, "ETag");
    ASSERT_FALSE(tag.empty());
    EXPECT_EQ(tag.front(), '"');
    EXPECT_NE(tag, header(gz, "ETag"));
    EXPECT_NE(header(gz, "ETag"), header(plain, "ETag"));
    EXPECT_EQ(tag, header(get_with("/assets/app-1.js", {{"accept-encoding", "br"}}), "ETag"));

    auto fresh = get_with("/assets/app-1.js", {{"accept-encoding", "br"}, {"if-none-match", tag}});
    EXPECT_EQ(fresh.status, 304);
    EXPECT_TRUE(fresh.body.empty());
    EXPECT_EQ(header(fresh, "ETag"), tag);
    EXPECT_EQ(header(fresh, "Vary"), "Accept-Encoding");
    EXPECT_EQ(header(fresh, "Content-Encoding"), "");
    auto listed = get_with("/assets/app-1.js",
                           {{"accept-encoding", "br"}, {"if-none-match", "\"x\", W/" + tag}});
    EXPECT_EQ(listed.status, 304);
    // The brotli copy's tag does not stand for the gzip copy.
    auto other =
        get_with("/assets/app-1.js", {{"accept-encoding", "gzip"}, {"if-none-match", tag}});
    EXPECT_EQ(other.status, 200);
    EXPECT_EQ(other.body, "gzip js");
}

TEST_F(StaticFilesTest, IndexChangesGiveANewEntityTag) {
    const std::string before = header(get("/"), "ETag");
    write("index.html", "<!doctype html><title>Parley 2</title>");
    EXPECT_NE(header(get("/"), "ETag"), before);
}

TEST_F(StaticFilesTest, InlineScriptsAndStylesAreAllowedByTheirHashesOnly) {
    // sha256("abc") and sha256("") in base64.
    write("index.html",
          "<!doctype html><head><script type=\"module\">abc</script>"
          "<script type=\"module\" src=\"/assets/x.js\"></script><style></style>"
          "<link rel=\"stylesheet\" href=\"/assets/x.css\"></head>");
    write("index.html.gz", "compressed");
    net::Request request;
    request.method = "GET";
    request.path = "/chats/c_1";
    request.headers = {{"accept-encoding", "gzip"}};
    auto r = files_.serve(request);
    EXPECT_EQ(r.body, "compressed");
    const std::string csp = header(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self' 'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';"),
              std::string::npos)
        << csp;
    EXPECT_NE(csp.find("style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';"),
              std::string::npos)
        << csp;
    EXPECT_EQ(csp.find("unsafe"), std::string::npos);
    // Other files do not carry the page's hashes.
    auto js = get("/assets/index-abc123.js");
    EXPECT_NE(header(js, "Content-Security-Policy").find("script-src 'self';"), std::string::npos);
}

TEST(InlineHashes, FindOnlyInlineElements) {
    auto none = inline_hashes("<script src=\"/a.js\"></script><scripts>x</scripts>");
    EXPECT_TRUE(none.scripts.empty());
    EXPECT_TRUE(none.styles.empty());
    auto two = inline_hashes("<script>abc</script><p>hi</p><script\ntype=module></script>");
    ASSERT_EQ(two.scripts.size(), 2u);
    EXPECT_EQ(two.scripts[0], "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
    EXPECT_EQ(two.scripts[1], "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    // An unterminated element is not trusted.
    EXPECT_TRUE(inline_hashes("<script>abc").scripts.empty());
}

TEST(AcceptEncoding, FollowsQValuesAndTheWildcard) {
    EXPECT_TRUE(accepts_encoding("gzip, deflate, br", "br"));
    EXPECT_TRUE(accepts_encoding("GZIP", "gzip"));
    EXPECT_TRUE(accepts_encoding("br;q=0.001", "br"));
    EXPECT_FALSE(accepts_encoding("br;q=0", "br"));
    EXPECT_FALSE(accepts_encoding("br;q=0.000", "br"));
    EXPECT_FALSE(accepts_encoding("", "gzip"));
    EXPECT_FALSE(accepts_encoding("gzip", "br"));
    EXPECT_TRUE(accepts_encoding("*", "br"));
    EXPECT_FALSE(accepts_encoding("*, br;q=0", "br"));
    EXPECT_FALSE(accepts_encoding("*;q=0", "gzip"));
    EXPECT_FALSE(accepts_encoding("gzip;q=1.5", "gzip"));
    EXPECT_FALSE(accepts_encoding("xbr", "br"));
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
