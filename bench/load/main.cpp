// parley-load: measures how many messages a running parleyd (started with --dev) acknowledges per
// second, and how long each send takes, under C closed-loop senders. It signs in --users users
// by phone (codes from <data-dir>/dev-outbox.jsonl), creates --groups groups, then each sender
// posts a message, waits for its 201, and posts the next, on its own keep-alive connection.
// Prints the figures with the machine, the date and the exact command (docs/benchmarks.md);
// --json for a machine-readable result. Progress goes to stderr.

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "load/http_client.hpp"
#include "load/machine.hpp"
#include "load/report.hpp"
#include "load/send_load.hpp"
#include "load/setup.hpp"
#include "load/stream_commands.hpp"

namespace {

using namespace parley::bench;
using nlohmann::json;

struct Options {
    std::string url = "http://127.0.0.1:8080";
    std::string data_dir;
    int users = 0;  // 0: as many as senders
    int groups = 1;
    int senders = 64;
    double duration = 0;  // seconds; 0 and no --messages: 20
    std::int64_t messages = 0;
    double warmup = 2;
    int threads = 0;  // 0: automatic
    std::size_t message_bytes = 100;
    std::string first_phone = "+6591000000";
    int setup_connections = 8;
    double timeout = 30;
    int server_pid = 0;
    std::string server_flags;
    bool json = false;
    std::string json_file;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && is_stream_command(argv[1])) return run_stream_command(argc, argv);
    Options o;
    CLI::App app{
        "parley-load: closed-loop message-send load against a parleyd started with --dev.\n"
        "Example: parley-load --url http://127.0.0.1:8080 --data-dir ./data --senders 64 "
        "--duration 20\n"
        "Real-time scenarios (each has its own --help): parley-load stream-connections | "
        "stream-fanout | stream-rooms | nats-fanout ..."};
    app.add_option("--url", o.url, "parleyd base URL (http:// only)")->capture_default_str();
    app.add_option("--data-dir", o.data_dir,
                   "parleyd's --data-dir, to read sign-in codes from dev-outbox.jsonl")
        ->required();
    app.add_option("--users", o.users, "users to sign in (default: --senders)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--groups", o.groups, "groups to create; user u joins group u % groups")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--senders", o.senders,
                   "concurrent closed-loop senders, one keep-alive connection each; sender s "
                   "posts as user s % users to that user's group")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    auto* duration = app.add_option("--duration", o.duration,
                                    "seconds to measure after the warm-up (default 20)")
                         ->check(CLI::PositiveNumber);
    app.add_option("--messages", o.messages,
                   "instead of --duration: measure until this many sends were answered")
        ->check(CLI::PositiveNumber)
        ->excludes(duration);
    app.add_option("--warmup", o.warmup, "seconds of sending before measuring")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--threads", o.threads,
                   "client threads running the senders' event loops (default: half the CPUs, at "
                   "least 1, at most 4)")
        ->check(CLI::PositiveNumber);
    app.add_option("--message-bytes", o.message_bytes, "length of each message's text")
        ->capture_default_str()
        ->check(CLI::Range(1, 4000));
    app.add_option("--first-phone", o.first_phone,
                   "phone of user 0; user i has this number + i (SG mobile numbers)")
        ->capture_default_str();
    app.add_option("--setup-connections", o.setup_connections,
                   "parallel connections for sign-in and group creation")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--timeout", o.timeout, "seconds before a send without answer is an error")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--server-pid", o.server_pid,
                   "parleyd's pid: report its CPU time over the measured window and its RSS");
    app.add_option("--server-flags", o.server_flags,
                   "parleyd's flags, recorded in the result as given");
    app.add_flag("--json", o.json, "print the result as one JSON object instead of text");
    app.add_option("--json-file", o.json_file, "also write the JSON result to this file");
    CLI11_PARSE(app, argc, argv);

    if (o.users == 0) o.users = o.senders;
    if (o.groups > o.users) {
        std::cerr << "parley-load: --groups cannot exceed --users (every group needs a member)\n";
        return 2;
    }
    const MachineInfo machine = collect_machine();
    if (o.threads == 0) o.threads = std::clamp(machine.cpus / 2, 1, 4);
    if (o.duration == 0 && o.messages == 0) o.duration = 20;

    Endpoint endpoint;
    std::int64_t first_phone = 0;
    try {
        endpoint = parse_url(o.url);
        std::string digits = o.first_phone;
        if (digits.starts_with('+')) digits.erase(0, 1);
        if (digits.empty() || digits.size() > 15 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
            throw std::invalid_argument("--first-phone must be +<digits>, such as +6591000000");
        }
        first_phone = std::stoll(digits);
        (void)nth_phone(first_phone, o.users - 1);  // checks the whole range
    } catch (const std::exception& e) {
        std::cerr << "parley-load: " << e.what() << "\n";
        return 2;
    }

    std::vector<LoadUser> users;
    std::vector<LoadGroup> groups;
    double sign_in_seconds = 0, groups_seconds = 0;
    try {
        auto t0 = std::chrono::steady_clock::now();
        std::cerr << fmt::format("parley-load: signing in {} users at {}…\n", o.users, o.url);
        users = sign_in_users(endpoint, o.data_dir, first_phone, o.users, o.setup_connections);
        auto t1 = std::chrono::steady_clock::now();
        std::cerr << fmt::format("parley-load: creating {} groups…\n", o.groups);
        groups = create_groups(endpoint, users, o.groups, o.setup_connections);
        auto t2 = std::chrono::steady_clock::now();
        sign_in_seconds = std::chrono::duration<double>(t1 - t0).count();
        groups_seconds = std::chrono::duration<double>(t2 - t1).count();
    } catch (const std::exception& e) {
        std::cerr << "parley-load: setup failed: " << e.what() << "\n";
        return 1;
    }

    SendPlan plan;
    plan.endpoint = endpoint;
    for (int s = 0; s < o.senders; ++s) {
        const int u = s % o.users;
        plan.senders.push_back(SenderSpec{users[u].token, groups[u % o.groups].id});
    }
    plan.threads = o.threads;
    plan.warmup = std::chrono::milliseconds(static_cast<std::int64_t>(o.warmup * 1000));
    if (o.messages > 0) {
        plan.messages = o.messages;
    } else {
        plan.duration = std::chrono::milliseconds(static_cast<std::int64_t>(o.duration * 1000));
    }
    plan.message_bytes = o.message_bytes;
    plan.request_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.timeout * 1000));
    plan.run_id = run_id();
    plan.server_pid = o.server_pid;

    std::cerr << fmt::format(
        "parley-load: {} senders on {} client thread(s): warm-up {} s, then {}…\n", o.senders,
        std::min(o.threads, o.senders), o.warmup,
        plan.duration ? fmt::format("{} s", o.duration) : fmt::format("{} messages", o.messages));
    SendResult r;
    try {
        r = run_send_load(plan);
    } catch (const std::exception& e) {
        std::cerr << "parley-load: " << e.what() << "\n";
        return 1;
    }

    const double rate = r.measured_seconds > 0 ? r.acknowledged / r.measured_seconds : 0;
    double mean_ms = 0;
    for (auto v : r.latencies_ns) mean_ms += static_cast<double>(v) / 1e6;
    if (!r.latencies_ns.empty()) mean_ms /= static_cast<double>(r.latencies_ns.size());
    const double p50 = percentile_ms(r.latencies_ns, 0.50);
    const double p99 = percentile_ms(r.latencies_ns, 0.99);
    const double p999 = percentile_ms(r.latencies_ns, 0.999);
    const double max = r.latencies_ns.empty() ? 0 : r.latencies_ns.back() / 1e6;
    std::optional<ProcessMemory> server_memory;
    if (o.server_pid > 0) server_memory = process_memory(o.server_pid);
    const std::string command = command_line(argc, argv);
    const int client_threads = std::min(o.threads, o.senders);
    auto percent = [&](double cpu) {
        return r.measured_seconds > 0 ? 100.0 * cpu / r.measured_seconds : 0.0;
    };

    {
        json j;
        j["tool"] = "parley-load";
        j["date"] = machine.date;
        j["machine"] = machine_json(machine);
        j["command"] = command;
        j["parleyd_flags"] = o.server_flags.empty() ? json(nullptr) : json(o.server_flags);
        j["config"] = {{"url", o.url},
                       {"users", o.users},
                       {"groups", o.groups},
                       {"senders", o.senders},
                       {"client_threads", client_threads},
                       {"warmup_s", o.warmup},
                       {"duration_s", plan.duration ? json(o.duration) : json(nullptr)},
                       {"messages", plan.messages ? json(o.messages) : json(nullptr)},
                       {"message_bytes", o.message_bytes}};
        j["setup"] = {{"sign_in_s", round_to(sign_in_seconds, 3)},
                      {"groups_s", round_to(groups_seconds, 3)}};
        json result = {{"measured_s", round_to(r.measured_seconds, 3)},
                       {"acknowledged", r.acknowledged},
                       {"messages_per_s", round_to(rate, 1)},
                       {"latency_ms",
                        {{"mean", round_to(mean_ms, 3)},
                         {"p50", round_to(p50, 3)},
                         {"p99", round_to(p99, 3)},
                         {"p99_9", round_to(p999, 3)},
                         {"max", round_to(max, 3)}}},
                       {"errors", r.errors},
                       {"error_samples", r.error_samples},
                       {"answered_outside_window", r.warmup_sends},
                       {"client_cpu_s", round_to(r.client_cpu_seconds, 2)},
                       {"client_cpu_percent", round_to(percent(r.client_cpu_seconds), 1)}};
        if (r.server_cpu_seconds) {
            result["server_cpu_s"] = round_to(*r.server_cpu_seconds, 2);
            result["server_cpu_percent"] = round_to(percent(*r.server_cpu_seconds), 1);
        }
        if (server_memory) {
            result["server_rss_bytes"] = server_memory->rss_bytes;
            result["server_peak_rss_bytes"] = server_memory->peak_rss_bytes;
        }
        j["result"] = result;
        if (o.json) std::cout << j.dump(2) << std::endl;
        if (!o.json_file.empty()) {
            std::ofstream out(o.json_file);
            out << j.dump(2) << "\n";
            if (!out) std::cerr << "parley-load: cannot write " << o.json_file << "\n";
        }
    }
    if (!o.json) {
        std::string errors;
        for (const auto& [k, v] : r.errors) {
            errors += fmt::format("{}{}: {}", errors.empty() ? "" : ", ", k, v);
        }
        print_header("message sends", machine, command, o.server_flags);
        fmt::print(
            "load            {} users, {} groups, {} senders on {} client thread(s), "
            "{}-byte messages, warm-up {} s\n",
            o.users, o.groups, o.senders, client_threads, o.message_bytes, o.warmup);
        fmt::print("setup           sign-in {:.2f} s, groups {:.2f} s\n", sign_in_seconds,
                   groups_seconds);
        fmt::print("measured        {:.2f} s\n", r.measured_seconds);
        fmt::print("acknowledged    {} messages (201)\n", r.acknowledged);
        fmt::print("throughput      {:.1f} messages/s\n", rate);
        fmt::print(
            "latency (ms)    p50 {:.3f}  p99 {:.3f}  p99.9 {:.3f}  max {:.3f}  "
            "mean {:.3f}\n",
            p50, p99, p999, max, mean_ms);
        fmt::print("errors          {}\n", errors.empty() ? "none" : errors);
        for (const auto& [k, v] : r.error_samples) fmt::print("  first {}: {}\n", k, v);
        fmt::print("client CPU      {:.2f} s ({:.0f}% of one core) over the window\n",
                   r.client_cpu_seconds, percent(r.client_cpu_seconds));
        if (r.server_cpu_seconds) {
            fmt::print("server CPU      {:.2f} s ({:.0f}% of one core) over the window\n",
                       *r.server_cpu_seconds, percent(*r.server_cpu_seconds));
        }
        if (server_memory) {
            fmt::print("server RSS      {:.1f} MiB (peak {:.1f} MiB)\n",
                       server_memory->rss_bytes / 1048576.0,
                       server_memory->peak_rss_bytes / 1048576.0);
        }
    }
    return r.acknowledged > 0 ? 0 : 1;
}
