#include "http/json_body.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace parley::http {
namespace {

void expect_error(const auto& result, ErrorKind kind, const std::string& code,
                  const std::string& mentions = "") {
    ASSERT_FALSE(result) << "expected " << code;
    EXPECT_EQ(result.error().kind, kind) << result.error().code << ": " << result.error().message;
    EXPECT_EQ(result.error().code, code) << result.error().message;
    EXPECT_FALSE(result.error().message.empty());
    if (!mentions.empty()) {
        EXPECT_NE(result.error().message.find(mentions), std::string::npos)
            << "the message should name " << mentions << ": " << result.error().message;
    }
}

JsonBody parsed(const std::string& body) {
    auto r = JsonBody::parse(body, {"s", "i", "b", "a"});
    if (!r) throw std::runtime_error(r.error().code + ": " + r.error().message);
    return std::move(*r);
}

TEST(JsonBody, MalformedJsonIsBadRequest) {
    for (const char* body :
         {"{", "{\"s\": }", "not json", "{\"s\": \"x\"} trailing", "{'s': 1}", "\xff\xfe"}) {
        expect_error(JsonBody::parse(body, {"s"}), ErrorKind::bad_request, "malformed_json");
    }
}

TEST(JsonBody, NonObjectIsBadRequest) {
    for (const char* body : {"[]", "[{\"s\": 1}]", "\"s\"", "42", "true", "null"}) {
        expect_error(JsonBody::parse(body, {"s"}), ErrorKind::bad_request, "malformed_json");
    }
}

TEST(JsonBody, EmptyBodyCountsAsEmptyObject) {
    for (const char* body : {"", "  \r\n\t"}) {
        auto r = JsonBody::parse(body, {"s"});
        ASSERT_TRUE(r) << r.error().code;
        EXPECT_TRUE(r->json().is_object());
        EXPECT_TRUE(r->json().empty());
        auto s = r->optional_string("s");
        ASSERT_TRUE(s);
        EXPECT_FALSE(s->has_value());
    }
}

TEST(JsonBody, UnknownFieldIsBadRequestAndNamed) {
    expect_error(JsonBody::parse(R"({"s": "x", "nmae": "y"})", {"s", "name"}),
                 ErrorKind::bad_request, "unknown_field", "nmae");
    // Field names are exact: no case folding.
    expect_error(JsonBody::parse(R"({"S": "x"})", {"s"}), ErrorKind::bad_request, "unknown_field",
                 "S");
    expect_error(JsonBody::parse(R"({"x": null})", {}), ErrorKind::bad_request, "unknown_field");
}

TEST(JsonBody, ReadsValuesOfTheRightType) {
    auto body = parsed(R"({"s": "héllo", "i": -9223372036854775808, "b": false, "a": ["x", ""]})");
    auto s = body.required_string("s");
    ASSERT_TRUE(s);
    EXPECT_EQ(*s, "héllo");
    auto i = body.optional_int("i");
    ASSERT_TRUE(i);
    EXPECT_EQ(*i, std::numeric_limits<std::int64_t>::min());
    auto b = body.optional_bool("b");
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, false);
    auto a = body.string_array("a");
    ASSERT_TRUE(a);
    EXPECT_EQ(*a, (std::vector<std::string>{"x", ""}));
    EXPECT_TRUE(body.has("s"));
    EXPECT_FALSE(body.has("missing"));
}

TEST(JsonBody, LargestInt64IsAccepted) {
    auto i = parsed(R"({"i": 9223372036854775807})").optional_int("i");
    ASSERT_TRUE(i);
    EXPECT_EQ(*i, std::numeric_limits<std::int64_t>::max());
}

TEST(JsonBody, WrongTypesAreBadRequestAndNamed) {
    expect_error(parsed(R"({"s": 1})").required_string("s"), ErrorKind::bad_request, "wrong_type",
                 "\"s\"");
    expect_error(parsed(R"({"s": ["x"]})").optional_string("s"), ErrorKind::bad_request,
                 "wrong_type", "\"s\"");
    expect_error(parsed(R"({"s": true})").optional_string("s"), ErrorKind::bad_request,
                 "wrong_type");
    expect_error(parsed(R"({"i": "1"})").optional_int("i"), ErrorKind::bad_request, "wrong_type",
                 "\"i\"");
    expect_error(parsed(R"({"i": 1.5})").optional_int("i"), ErrorKind::bad_request, "wrong_type");
    expect_error(parsed(R"({"i": 1e3})").optional_int("i"), ErrorKind::bad_request, "wrong_type");
    expect_error(parsed(R"({"i": 9223372036854775808})").optional_int("i"), ErrorKind::bad_request,
                 "wrong_type");
    expect_error(parsed(R"({"i": true})").optional_int("i"), ErrorKind::bad_request, "wrong_type");
    expect_error(parsed(R"({"b": "true"})").optional_bool("b"), ErrorKind::bad_request,
                 "wrong_type", "\"b\"");
    expect_error(parsed(R"({"b": 1})").optional_bool("b"), ErrorKind::bad_request, "wrong_type");
    expect_error(parsed(R"({"a": "x, y"})").string_array("a"), ErrorKind::bad_request, "wrong_type",
                 "\"a\"");
    expect_error(parsed(R"({"a": ["x", 1]})").string_array("a"), ErrorKind::bad_request,
                 "wrong_type");
    expect_error(parsed(R"({"a": {"0": "x"}})").string_array("a"), ErrorKind::bad_request,
                 "wrong_type");
}

TEST(JsonBody, MissingRequiredFieldIsInvalidAndNamed) {
    expect_error(parsed("{}").required_string("s"), ErrorKind::invalid, "missing_field", "\"s\"");
    // null counts as absent, so it is missing too, not a wrong type.
    expect_error(parsed(R"({"s": null})").required_string("s"), ErrorKind::invalid, "missing_field",
                 "\"s\"");
}

TEST(JsonBody, NullCountsAsAbsentForOptionalFields) {
    auto body = parsed(R"({"s": null, "i": null, "b": null, "a": null})");
    auto s = body.optional_string("s");
    auto i = body.optional_int("i");
    auto b = body.optional_bool("b");
    auto a = body.string_array("a");
    ASSERT_TRUE(s && i && b && a);
    EXPECT_FALSE(s->has_value());
    EXPECT_FALSE(i->has_value());
    EXPECT_FALSE(b->has_value());
    EXPECT_TRUE(a->empty());
}

}  // namespace
}  // namespace parley::http
