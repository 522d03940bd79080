#pragma once
// The load tool's preparation against a parleyd in --dev mode: sign in users by phone (reading
// each one-time code from <data_dir>/dev-outbox.jsonl) and create groups with those users in
// them. Failures throw std::runtime_error with a message meant for the operator.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "load/http_client.hpp"

namespace parley::bench {

struct LoadUser {
    std::string phone;  // E.164
    std::string token;  // bearer token of its session
};

struct LoadGroup {
    std::string id;
    std::vector<int> members;  // indexes into the users
};

// "+6591000000" plus index, as E.164; throws if the number leaves the SG mobile range
// (8 digits starting with 8 or 9).
std::string nth_phone(std::int64_t first_phone_digits, int index);

// Signs in count users with `threads` connections in parallel: requests every code first, reads
// the dev outbox once (the newest "sign-in" code per phone wins), then opens every session.
std::vector<LoadUser> sign_in_users(const Endpoint& endpoint, const std::filesystem::path& data_dir,
                                    std::int64_t first_phone_digits, int count, int threads);

// Creates `count` groups; group g is created by user g % users.size() and holds every user u
// with u % count == g (added in requests of at most 1000 numbers).
std::vector<LoadGroup> create_groups(const Endpoint& endpoint, const std::vector<LoadUser>& users,
                                     int count, int threads);

}  // namespace parley::bench
