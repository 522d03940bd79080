#include "load/setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace parley::bench {

namespace {

using nlohmann::json;

// Runs fn(i, connection) for i in [0, count) on up to `threads` threads, one keep-alive
// connection each. The first exception stops the others (at their next item) and is rethrown.
void run_parallel(const Endpoint& endpoint, int count, int threads,
                  const std::function<void(int, Connection&)>& fn) {
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    std::vector<std::thread> pool;
    const int n = std::max(1, std::min(threads, count));
    for (int t = 0; t < n; ++t) {
        pool.emplace_back([&] {
            Connection connection(endpoint);
            for (int i = next++; i < count && !failed; i = next++) {
                try {
                    fn(i, connection);
                } catch (...) {
                    std::lock_guard lock(error_mutex);
                    if (!failed.exchange(true)) first_error = std::current_exception();
                }
            }
        });
    }
    for (auto& t : pool) t.join();
    if (first_error) std::rethrow_exception(first_error);
}

std::string describe(const HttpResponse& r) {
    if (r.status == 0) return r.error;
    std::string body = r.body.size() > 300 ? r.body.substr(0, 300) + "…" : r.body;
    return fmt::format("HTTP {} {}", r.status, body);
}

json parse_body(const HttpResponse& r, std::string_view what) {
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        throw std::runtime_error(
            fmt::format("{}: the answer is not a JSON object: {}", what, describe(r)));
    }
    return j;
}

// phone → newest sign-in code in the outbox.
std::unordered_map<std::string, std::string> read_outbox(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        throw std::runtime_error(
            fmt::format("cannot read {}: is parleyd running with --dev and --data-dir {}?",
                        file.string(), file.parent_path().string()));
    }
    std::unordered_map<std::string, std::string> codes;
    std::string line;
    while (std::getline(in, line)) {
        auto j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) continue;
        if (j.value("purpose", "") != "sign-in") continue;
        if (!j.contains("phone") || !j.contains("code")) continue;
        codes[j["phone"].get<std::string>()] = j["code"].get<std::string>();
    }
    return codes;
}

}  // namespace

std::string nth_phone(std::int64_t first_phone_digits, int index) {
    const std::int64_t number = first_phone_digits + index;
    const std::int64_t national = number - 6500000000LL;
    if (number / 100000000 != 65 || national < 80000000 || national > 99999999) {
        throw std::runtime_error(fmt::format(
            "+{} is not an 8-digit Singapore number starting with 8 or 9; lower --users or "
            "change --first-phone",
            number));
    }
    return fmt::format("+{}", number);
}

std::vector<LoadUser> sign_in_users(const Endpoint& endpoint, const std::filesystem::path& data_dir,
                                    std::int64_t first_phone_digits, int count, int threads) {
    std::vector<LoadUser> users(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) users[i].phone = nth_phone(first_phone_digits, i);

    run_parallel(endpoint, count, threads, [&](int i, Connection& c) {
        auto r =
            c.exchange("POST", "/api/v1/auth/codes", "", json{{"phone", users[i].phone}}.dump());
        if (r.status != 202) {
            std::string hint;
            if (r.status == 429) {
                hint =
                    " (rate limited: start parleyd with larger --codes-per-address and "
                    "--codes-per-phone)";
            }
            throw std::runtime_error(fmt::format("POST /api/v1/auth/codes for {}: {}{}",
                                                 users[i].phone, describe(r), hint));
        }
    });

    const auto codes = read_outbox(data_dir / "dev-outbox.jsonl");

    run_parallel(endpoint, count, threads, [&](int i, Connection& c) {
        auto found = codes.find(users[i].phone);
        if (found == codes.end()) {
            throw std::runtime_error(fmt::format(
                "no sign-in code for {} in {}: is --data-dir the server's data directory?",
                users[i].phone, (data_dir / "dev-outbox.jsonl").string()));
        }
        auto r = c.exchange("POST", "/api/v1/auth/sessions", "",
                            json{{"phone", users[i].phone}, {"code", found->second}}.dump());
        if (r.status != 201) {
            throw std::runtime_error(
                fmt::format("POST /api/v1/auth/sessions for {}: {}", users[i].phone, describe(r)));
        }
        auto j = parse_body(r, "POST /api/v1/auth/sessions");
        if (!j.contains("token") || !j["token"].is_string()) {
            throw std::runtime_error("POST /api/v1/auth/sessions: no token in " + describe(r));
        }
        users[i].token = j["token"].get<std::string>();
    });
    return users;
}

std::vector<LoadGroup> create_groups(const Endpoint& endpoint, const std::vector<LoadUser>& users,
                                     int count, int threads) {
    std::vector<LoadGroup> groups(static_cast<std::size_t>(count));
    const int user_count = static_cast<int>(users.size());
    run_parallel(endpoint, count, threads, [&](int g, Connection& c) {
        const int creator = g % user_count;
        const std::string& token = users[creator].token;
        auto r = c.exchange("POST", "/api/v1/groups", token,
                            json{{"name", fmt::format("load group {}", g)}}.dump());
        if (r.status != 201) {
            throw std::runtime_error("POST /api/v1/groups: " + describe(r));
        }
        auto j = parse_body(r, "POST /api/v1/groups");
        groups[g].id = j.value("id", "");
        if (groups[g].id.empty()) throw std::runtime_error("POST /api/v1/groups: no id in answer");

        groups[g].members.push_back(creator);
        std::vector<std::string> phones;
        for (int u = g; u < user_count; u += count) {
            if (u == creator) continue;
            groups[g].members.push_back(u);
            phones.push_back(users[u].phone);
        }
        const std::string path = fmt::format("/api/v1/groups/{}/members", groups[g].id);
        for (std::size_t start = 0; start < phones.size(); start += 1000) {
            const std::size_t end = std::min(phones.size(), start + 1000);
            json body = {
                {"phones", std::vector<std::string>(phones.begin() + start, phones.begin() + end)}};
            auto added = c.exchange("POST", path, token, body.dump());
            if (added.status != 200) {
                throw std::runtime_error(fmt::format("POST {}: {}", path, describe(added)));
            }
            auto result = parse_body(added, "POST " + path);
            if (result.contains("failed") && !result["failed"].empty()) {
                throw std::runtime_error(
                    fmt::format("POST {}: some numbers failed: {}", path, result["failed"].dump()));
            }
        }
    });
    return groups;
}

}  // namespace parley::bench
