#include "net/address.hpp"

#include <gtest/gtest.h>

#include "net/target.hpp"

namespace parley::net {
namespace {

TEST(IsLoopbackAddress, KnowsLoopbackFromTheRest) {
    for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.255.0.9", "::1", "[::1]",
                             "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
        EXPECT_TRUE(is_loopback_address(host)) << host;
    }
    for (const char* host :
         {"", "0.0.0.0", "128.0.0.1", "10.0.0.1", "::", "::2", "[::1", "::ffff:10.0.0.1",
          "localhost.example.com", "127.0.0.1.nip.io", "127.1", "example.com"}) {
        EXPECT_FALSE(is_loopback_address(host)) << host;
    }
}

TEST(ParseListenAddress, AcceptsHostAndPort) {
    struct Case {
        const char* text;
        const char* host;
        std::uint16_t port;
    };
    for (const Case& c :
         {Case{"127.0.0.1:8080", "127.0.0.1", 8080}, Case{"[::1]:8080", "::1", 8080},
          Case{"0.0.0.0:443", "0.0.0.0", 443}, Case{"localhost:8080", "localhost", 8080},
          Case{"[::]:0", "::", 0}, Case{"chat.example.com:65535", "chat.example.com", 65535}}) {
        const auto parsed = parse_listen_address(c.text);
        ASSERT_TRUE(parsed) << c.text << ": " << parsed.error().message;
        EXPECT_EQ(parsed->first, c.host);
        EXPECT_EQ(parsed->second, c.port);
    }
}

TEST(ParseListenAddress, RefusesWhatIsNotHostAndPort) {
    for (const char* text :
         {"", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536", "127.0.0.1:-1",
          "127.0.0.1:80x", "127.0.0.1: 80", "::1:8080", "[::1]", "[::1:8080", "[nope]:80",
          "256.0.0.1:80", "1.2.3:80", "exa mple.com:80", "-bad.com:80", "bad-.com:80", "a..b:80",
          "http://127.0.0.1:80"}) {
        const auto parsed = parse_listen_address(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().code, "invalid_listen_address");
        EXPECT_NE(parsed.error().message.find("expected host:port"), std::string::npos);
    }
}

TEST(ParseTarget, SplitsAndDecodesThePath) {
    const auto target = parse_target("/a%20b/%c3%A9+x/%2F?q=%20&r=1?");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->path, "/a b/\xC3\xA9+x//");
    EXPECT_EQ(target->query, "q=%20&r=1?");

    EXPECT_EQ(parse_target("/")->path, "/");
    EXPECT_EQ(parse_target("/x?")->query, "");
    EXPECT_EQ(parse_target("/../etc")->path, "/../etc");  // normalizing is the router's job
}

TEST(ParseTarget, RefusesMalformedTargets) {
    for (const char* target : {"", "*", "x/y", "http://host/x", "/%", "/%2", "/%zz", "/%2g", "/%00",
                               "/%0a", "/%0D", "/%7f", "/a\tb"}) {
        EXPECT_FALSE(parse_target(target)) << target;
    }
}

}  // namespace
}  // namespace parley::net
