#pragma once
// Router: maps (method, path) to a handler, with {name} segments captured as parameters.
// Tells 404 (no such path) from 405 (path exists, method does not). Built once at start-up,
// then read-only, so thread-safe for lookups.

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/http_server.hpp"

namespace parley::http {

struct PathParams {
    std::unordered_map<std::string, std::string> values;
    const std::string& operator[](const std::string& name) const { return values.at(name); }
};

template <typename Handler>
class Router {
public:
    struct Route {
        std::string method;
        std::string pattern;  // "/api/v1/groups/{id}/members"
        std::vector<std::string> segments;
        Handler handler;
    };

    struct Match {
        const Route* route = nullptr;
        PathParams params;
        bool method_not_allowed = false;
        std::vector<std::string> allowed_methods;
    };

    void add(std::string method, std::string pattern, Handler handler) {
        routes_.push_back(Route{std::move(method), pattern, split(pattern), std::move(handler)});
    }

    Match match(const std::string& method, const std::string& path) const {
        Match result;
        auto parts = split(path);
        for (const auto& route : routes_) {
            PathParams params;
            if (!matches(route.segments, parts, params)) continue;
            if (route.method == method) {
                result.route = &route;
                result.params = std::move(params);
                result.method_not_allowed = false;
                return result;
            }
            result.method_not_allowed = true;
            result.allowed_methods.push_back(route.method);
        }
        return result;
    }

    const std::vector<Route>& routes() const { return routes_; }

private:
    static std::vector<std::string> split(const std::string& path) {
        std::vector<std::string> parts;
        std::size_t i = 0;
        while (i < path.size()) {
            if (path[i] == '/') {
                ++i;
                continue;
            }
            auto next = path.find('/', i);
            if (next == std::string::npos) next = path.size();
            parts.push_back(path.substr(i, next - i));
            i = next;
        }
        return parts;
    }

    static bool matches(const std::vector<std::string>& pattern,
                        const std::vector<std::string>& parts, PathParams& params) {
        if (pattern.size() != parts.size()) return false;
        for (std::size_t i = 0; i < pattern.size(); ++i) {
            const auto& p = pattern[i];
            if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
                if (parts[i].empty()) return false;
                params.values[p.substr(1, p.size() - 2)] = parts[i];
            } else if (p != parts[i]) {
                return false;
            }
        }
        return true;
    }

    std::vector<Route> routes_;
};

}  // namespace parley::http
