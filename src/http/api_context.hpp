#pragma once
// What the route files (api.cpp, api_<area>.cpp) share: the handler's Context (the request,
// its path parameters and query, the caller) and the JSON response helper. Internal to http/.

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/api.hpp"

namespace parley::http {

// What a handler sees: the request, its path parameters and query, and the caller.
struct Api::Context {
    const net::Request& request;
    PathParams params;
    std::vector<std::pair<std::string, std::string>> query;
    std::optional<service::Caller> caller;

    const service::Caller& me() const { return *caller; }
    const std::string& param(const char* name) const { return params[name]; }

    std::optional<std::string> query_value(std::string_view name) const {
        for (const auto& [k, v] : query) {
            if (k == name) return v;
        }
        return std::nullopt;
    }

    Result<std::optional<std::int64_t>> query_int(std::string_view name) const {
        auto v = query_value(name);
        if (!v) return std::optional<std::int64_t>();
        std::int64_t out = 0;
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
        if (ec != std::errc() || end != v->data() + v->size()) {
            return fail(ErrorKind::bad_request, "invalid_query",
                        "Query parameter \"" + std::string(name) + "\" must be an integer.");
        }
        return std::optional<std::int64_t>(out);
    }
};

net::Response json_response(int status, const nlohmann::json& body);

}  // namespace parley::http
