#include "http/router.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley::http {
namespace {

// Handlers are plain ints here: the router never calls them, it only finds them.
class RouterTest : public ::testing::Test {
protected:
    RouterTest() {
        router_.add("GET", "/api/v1/groups/{id}", 1);
        router_.add("PATCH", "/api/v1/groups/{id}", 2);
        router_.add("GET", "/api/v1/groups/{id}/members", 3);
        router_.add("DELETE", "/api/v1/groups/{id}/members/{user_id}", 4);
        router_.add("POST", "/api/v1/groups", 5);
        router_.add("GET", "/healthz", 6);
    }

    Router<int> router_;
};

TEST_F(RouterTest, MatchesLiteralPaths) {
    auto m = router_.match("GET", "/healthz");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->handler, 6);
    EXPECT_EQ(m.route->pattern, "/healthz");
    EXPECT_TRUE(m.params.values.empty());
    EXPECT_FALSE(m.method_not_allowed);
}

TEST_F(RouterTest, CapturesParameters) {
    auto m = router_.match("DELETE", "/api/v1/groups/cnv_1/members/usr_2");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->handler, 4);
    EXPECT_EQ(m.params["id"], "cnv_1");
    EXPECT_EQ(m.params["user_id"], "usr_2");
    EXPECT_EQ(m.params.values.size(), 2u);
    EXPECT_THROW(m.params["missing"], std::out_of_range);
}

TEST_F(RouterTest, PicksTheRouteOfTheRequestedMethod) {
    auto get = router_.match("GET", "/api/v1/groups/g");
    auto patch = router_.match("PATCH", "/api/v1/groups/g");
    ASSERT_NE(get.route, nullptr);
    ASSERT_NE(patch.route, nullptr);
    EXPECT_EQ(get.route->handler, 1);
    EXPECT_EQ(patch.route->handler, 2);
    EXPECT_EQ(patch.params["id"], "g");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
    for (const char* path :
         {"/api/v1/nothing", "/api/v1/groups/g/members/u/extra", "/", "/api/v1", "/healthz/x"}) {
        auto m = router_.match("GET", path);
        EXPECT_EQ(m.route, nullptr) << path;
        EXPECT_FALSE(m.method_not_allowed) << path;
        EXPECT_TRUE(m.allowed_methods.empty()) << path;
    }
}

TEST_F(RouterTest, KnownPathWithOtherMethodIsMethodNotAllowed) {
    auto m = router_.match("DELETE", "/api/v1/groups/g");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.method_not_allowed);
    EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "PATCH"}));

    auto post = router_.match("GET", "/api/v1/groups");
    EXPECT_EQ(post.route, nullptr);
    EXPECT_TRUE(post.method_not_allowed);
    EXPECT_EQ(post.allowed_methods, std::vector<std::string>{"POST"});
}

// HTTP methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
TEST_F(RouterTest, MethodsAreCaseSensitive) {
    auto m = router_.match("get", "/healthz");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.method_not_allowed);
    EXPECT_EQ(m.allowed_methods, std::vector<std::string>{"GET"});
}

TEST_F(RouterTest, LiteralSegmentsMustMatchExactly) {
    EXPECT_EQ(router_.match("GET", "/api/v1/groups/g/Members").route, nullptr);
    EXPECT_EQ(router_.match("GET", "/API/v1/groups/g").route, nullptr);
}

TEST_F(RouterTest, ListsRoutesInRegistrationOrder) {
    const auto& routes = router_.routes();
    ASSERT_EQ(routes.size(), 6u);
    EXPECT_EQ(routes[0].method, "GET");
    EXPECT_EQ(routes[0].pattern, "/api/v1/groups/{id}");
    EXPECT_EQ(routes[3].method, "DELETE");
    EXPECT_EQ(routes[3].pattern, "/api/v1/groups/{id}/members/{user_id}");
    EXPECT_EQ(routes[5].pattern, "/healthz");
}

}  // namespace
}  // namespace parley::http
