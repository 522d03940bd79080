#include "load/stream_commands.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "load/http_client.hpp"
#include "load/machine.hpp"
#include "load/report.hpp"
#include "load/send_load.hpp"
#include "load/setup.hpp"
#include "load/stream_holders.hpp"
#ifdef PARLEY_LOAD_HAVE_NATS
#include "load/nats_load.hpp"
#endif

namespace parley::bench {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

// One worker process per this many connections, well under the 20,000 descriptors a process
// may hold on the benchmark machine.
constexpr int kConnectionsPerProcess = 15000;
// One source address per this many connections: 127.0.0.1 has 28,232 ephemeral ports
// (32768–60999) towards one server port.
constexpr int kConnectionsPerSource = 25000;
constexpr std::string_view kNatsSubject = "parley.bench.fanout";

struct Common {
    std::string url = "http://127.0.0.1:8080";
    std::string data_dir;
    std::string first_phone = "+6591000000";
    int setup_connections = 8;
    int processes = 0;         // 0: one per kConnectionsPerProcess connections
    int threads = 1;           // epoll threads per worker process
    int source_addresses = 0;  // 0: one per kConnectionsPerSource connections
    int connect_in_flight = 256;
    double connect_timeout = 600;
    double drain_timeout = 5;
    std::size_t message_bytes = 100;
    int server_pid = 0;
    std::string server_flags;
    bool json = false;
    bool batch = false;  // streams ask for batch frames
    std::string json_file;
};

void add_common(CLI::App& app, Common& o, bool parley) {
    if (parley) {
        app.add_option("--url", o.url, "parleyd base URL (http:// only)")->capture_default_str();
        app.add_option("--data-dir", o.data_dir,
                       "parleyd's --data-dir, to read sign-in codes from dev-outbox.jsonl")
            ->required();
        app.add_option("--first-phone", o.first_phone, "phone of user 0; user i has this + i")
            ->capture_default_str();
        app.add_flag("--batch", o.batch,
                     "open the streams with ?batch=1: queued frames may arrive as one batch");
        app.add_option("--setup-connections", o.setup_connections,
                       "parallel connections for sign-in and group creation")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
    }
    app.add_option("--processes", o.processes,
                   fmt::format("receiver worker processes (default: one per {} connections; "
                               "each process may hold 20,000 descriptors here)",
                               kConnectionsPerProcess))
        ->check(CLI::PositiveNumber);
    app.add_option("--threads", o.threads, "epoll threads per worker process")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--source-addresses", o.source_addresses,
                   fmt::format("bind connection i to 127.0.0.(1 + i % K) (default: one address "
                               "per {} connections)",
                               kConnectionsPerSource))
        ->check(CLI::PositiveNumber);
    app.add_option("--connect-in-flight", o.connect_in_flight,
                   "per worker process: connections opening at the same time")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--connect-timeout", o.connect_timeout,
                   "seconds for every connection to open before giving up")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--drain-timeout", o.drain_timeout,
                   "after sending: seconds without a new delivery before counting the rest lost")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--message-bytes", o.message_bytes, "length of each message's text")
        ->capture_default_str()
        ->check(CLI::Range(1, 4000));
    app.add_option("--server-pid", o.server_pid,
                   "the server's pid: report its CPU time and RSS (parleyd or nats-server)");
    app.add_option("--server-flags", o.server_flags, "the server's flags, recorded as given");
    app.add_flag("--json", o.json, "print the result as one JSON object instead of text");
    app.add_option("--json-file", o.json_file, "also write the JSON result to this file");
}

std::int64_t parse_first_phone(const std::string& text, int users) {
    std::string digits = text;
    if (digits.starts_with('+')) digits.erase(0, 1);
    if (digits.empty() || digits.size() > 15 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
        throw std::invalid_argument("--first-phone must be +<digits>, such as +6591000000");
    }
    const std::int64_t first = std::stoll(digits);
    (void)nth_phone(first, users - 1);  // checks the whole range
    return first;
}

HolderPlan holder_plan(const Common& o, StreamProtocol protocol, const Endpoint& endpoint,
                       std::vector<std::string> credentials) {
    HolderPlan plan;
    plan.protocol = protocol;
    plan.batch = o.batch && protocol == StreamProtocol::websocket;
    plan.endpoint = endpoint;
    const int n = static_cast<int>(credentials.size());
    plan.credentials = std::move(credentials);
    plan.processes = o.processes > 0
                         ? o.processes
                         : std::max(1, (n + kConnectionsPerProcess - 1) / kConnectionsPerProcess);
    plan.threads = o.threads;
    plan.source_addresses =
        o.source_addresses > 0
            ? o.source_addresses
            : std::max(1, (n + kConnectionsPerSource - 1) / kConnectionsPerSource);
    plan.connect_in_flight = o.connect_in_flight;
    return plan;
}

// CPU seconds and wall time between two points, for "% of one core".
struct CpuMeter {
    const StreamHolders* holders = nullptr;
    int server_pid = 0;
    std::chrono::steady_clock::time_point at;
    double self = 0, workers = 0;
    std::optional<double> server;

    static CpuMeter now(const StreamHolders* holders, int server_pid) {
        CpuMeter m{holders,
                   server_pid,
                   std::chrono::steady_clock::now(),
                   self_cpu_time(),
                   holders ? holders->cpu_seconds() : 0.0,
                   std::nullopt};
        if (server_pid > 0) m.server = process_cpu_time(server_pid);
        return m;
    }

    // {"wall_s", "client_cpu_percent", "server_cpu_percent"} since `start`.
    json since(const CpuMeter& start) const {
        const double wall = std::chrono::duration<double>(at - start.at).count();
        auto percent = [&](double cpu) { return wall > 0 ? round_to(100 * cpu / wall, 1) : 0.0; };
        json j = {{"wall_s", round_to(wall, 3)},
                  {"client_cpu_percent", percent(self - start.self + workers - start.workers)},
                  {"client_receivers_cpu_percent", percent(workers - start.workers)}};
        if (server && start.server) j["server_cpu_percent"] = percent(*server - *start.server);
        return j;
    }
};

std::optional<ProcessMemory> server_memory(int pid) {
    if (pid <= 0) return std::nullopt;
    return process_memory(pid);
}

json latency_json(std::vector<std::int64_t>& latencies) {
    std::sort(latencies.begin(), latencies.end());
    double mean = 0;
    for (auto v : latencies) mean += static_cast<double>(v) / 1e6;
    if (!latencies.empty()) mean /= static_cast<double>(latencies.size());
    return {{"p50", round_to(percentile_ms(latencies, 0.50), 3)},
            {"p99", round_to(percentile_ms(latencies, 0.99), 3)},
            {"p99_9", round_to(percentile_ms(latencies, 0.999), 3)},
            {"max", round_to(latencies.empty() ? 0 : latencies.back() / 1e6, 3)},
            {"mean", round_to(mean, 3)}};
}

json stats_json(const StreamStats& s) {
    json codes = json::object();
    for (auto code : s.close_codes) {
        const std::string key = std::to_string(code);
        codes[key] = codes.value(key, 0) + 1;
    }
    return {{"deliveries", s.deliveries},     {"duplicates", s.duplicates},
            {"out_of_order", s.out_of_order}, {"closed_by_server", s.closed_by_server},
            {"close_codes", codes},           {"pings_answered", s.pings},
            {"other_frames", s.other_frames}, {"outside_window", s.outside_window}};
}

// Waits until `expected` deliveries were counted or none came for `quiet`.
void drain(StreamHolders& holders, std::uint64_t expected, std::chrono::duration<double> quiet) {
    std::uint64_t last = 0;
    auto last_change = std::chrono::steady_clock::now();
    for (;;) {
        const std::uint64_t now = holders.progress().deliveries;
        if (now >= expected) return;
        if (now != last) {
            last = now;
            last_change = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - last_change > quiet) {
            return;
        }
        std::this_thread::sleep_for(milliseconds(50));
    }
}

void emit(const Common& o, const std::string& title, const MachineInfo& machine,
          const std::string& command, json config, json setup, json result,
          const std::vector<std::pair<std::string, std::string>>& lines) {
    json j;
    j["tool"] = "parley-load";
    j["scenario"] = title;
    j["date"] = machine.date;
    j["machine"] = machine_json(machine);
    j["command"] = command;
    j["server_flags"] = o.server_flags.empty() ? json(nullptr) : json(o.server_flags);
    j["config"] = std::move(config);
    j["setup"] = std::move(setup);
    j["result"] = std::move(result);
    if (o.json) std::cout << j.dump(2) << std::endl;
    if (!o.json_file.empty()) {
        std::ofstream out(o.json_file);
        out << j.dump(2) << "\n";
        if (!out) std::cerr << "parley-load: cannot write " << o.json_file << "\n";
    }
    if (o.json) return;
    print_header(title, machine, command, o.server_flags);
    for (const auto& [k, v] : lines) fmt::print("{:<16}{}\n", k, v);
}

std::string cpu_line(const json& cpu) {
    std::string out =
        fmt::format("client {}% (receivers {}%)", cpu["client_cpu_percent"].get<double>(),
                    cpu["client_receivers_cpu_percent"].get<double>());
    if (cpu.contains("server_cpu_percent")) {
        out += fmt::format(", server {}%", cpu["server_cpu_percent"].get<double>());
    }
    return out + fmt::format(" of one core over {} s", cpu["wall_s"].get<double>());
}

std::string latency_line(const json& l) {
    return fmt::format("p50 {}  p99 {}  p99.9 {}  max {}  mean {}", l["p50"].get<double>(),
                       l["p99"].get<double>(), l["p99_9"].get<double>(), l["max"].get<double>(),
                       l["mean"].get<double>());
}

std::string mib(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

struct Prepared {
    Endpoint endpoint;
    std::vector<LoadUser> users;
    std::vector<LoadGroup> groups;
    json setup;
};

Prepared prepare(const Common& o, int users, int groups) {
    Prepared p;
    p.endpoint = parse_url(o.url);
    const std::int64_t first = parse_first_phone(o.first_phone, users);
    auto t0 = std::chrono::steady_clock::now();
    std::cerr << fmt::format("parley-load: signing in {} users at {}…\n", users, o.url);
    p.users = sign_in_users(p.endpoint, o.data_dir, first, users, o.setup_connections);
    auto t1 = std::chrono::steady_clock::now();
    if (groups > 0) {
        std::cerr << fmt::format("parley-load: creating {} groups…\n", groups);
        p.groups = create_groups(p.endpoint, p.users, groups, o.setup_connections);
    }
    auto t2 = std::chrono::steady_clock::now();
    p.setup = {{"users", users},
               {"sign_in_s", round_to(std::chrono::duration<double>(t1 - t0).count(), 2)},
               {"groups", groups},
               {"groups_s", round_to(std::chrono::duration<double>(t2 - t1).count(), 2)}};
    return p;
}

std::string ready_text(const HolderReady& r) {
    return fmt::format("{} open, {} failed in {:.1f} s{}", r.open, r.failed, r.seconds,
                       r.first_error.empty() ? "" : " (first error: " + r.first_error + ")");
}

json ready_json(const HolderReady& r) {
    return {{"open", r.open},
            {"failed", r.failed},
            {"seconds", round_to(r.seconds, 2)},
            {"first_error", r.first_error}};
}

// ---- stream-connections ----

int connections_command(int argc, char** argv, const std::string& command) {
    Common o;
    int connections = 0, users = 0;
    double hold = 10;
    CLI::App app{
        "parley-load stream-connections: open N authenticated WebSocket streams and "
        "hold them; prints parleyd's RSS per connection."};
    add_common(app, o, true);
    app.add_option("--connections", connections, "streams to open")
        ->required()
        ->check(CLI::PositiveNumber);
    app.add_option("--users", users,
                   "users to sign in (default: one per connection); connection i uses user "
                   "i % users's session")
        ->check(CLI::PositiveNumber);
    app.add_option("--hold", hold, "seconds to hold the open connections, measuring idle CPU")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    CLI11_PARSE(app, argc, argv);
    if (users == 0) users = connections;

    const MachineInfo machine = collect_machine();
    Prepared p = prepare(o, users, 0);
    std::vector<std::string> tokens;
    for (int i = 0; i < connections; ++i) tokens.push_back(p.users[i % users].token);
    const HolderPlan plan = holder_plan(o, StreamProtocol::websocket, p.endpoint, tokens);
    const auto before = server_memory(o.server_pid);

    std::cerr << fmt::format(
        "parley-load: opening {} streams from {} process(es), {} source address(es)…\n",
        connections, plan.processes, plan.source_addresses);
    StreamHolders holders(plan);
    const auto connect_start = CpuMeter::now(&holders, o.server_pid);
    const HolderReady ready = holders.wait_ready(seconds(static_cast<int>(o.connect_timeout)));
    const auto connect_end = CpuMeter::now(&holders, o.server_pid);
    std::this_thread::sleep_for(seconds(2));  // let the server settle what it allocated
    const auto after = server_memory(o.server_pid);
    std::cerr << fmt::format("parley-load: {}; holding {} s…\n", ready_text(ready), hold);
    holders.set_window(0, INT64_MAX);
    const auto hold_start = CpuMeter::now(&holders, o.server_pid);
    std::this_thread::sleep_for(std::chrono::duration<double>(hold));
    const auto hold_end = CpuMeter::now(&holders, o.server_pid);
    const std::uint64_t still_open = holders.progress().open;
    const StreamStats stats = holders.collect();
    const auto after_hold = server_memory(o.server_pid);
    const std::uint64_t client_rss = holders.rss_bytes();

    json result = {
        {"connections", ready_json(ready)},
        {"open_after_hold", still_open},
        {"connect", connect_end.since(connect_start)},
        {"connect_per_s", ready.seconds > 0 ? round_to(ready.open / ready.seconds, 0) : 0.0},
        {"hold", hold_end.since(hold_start)},
        {"during_hold", stats_json(stats)},
        {"client_rss_bytes", client_rss},
        {"client_rss_per_connection_bytes", ready.open ? client_rss / ready.open : 0}};
    std::vector<std::pair<std::string, std::string>> lines = {
        {"load",
         fmt::format("{} streams over {} users' sessions, {} worker process(es) x {} "
                     "thread(s), {} source address(es)",
                     connections, users, plan.processes, plan.threads, plan.source_addresses)},
        {"setup", fmt::format("sign-in {} s", p.setup["sign_in_s"].get<double>())},
        {"connections", ready_text(ready)},
        {"connect CPU", cpu_line(result["connect"])},
        {"hold CPU", cpu_line(result["hold"])},
        {"during hold", fmt::format("{} pings answered, {} closed by the server, {} still open",
                                    stats.pings, stats.closed_by_server, still_open)},
        {"client RSS", fmt::format("{} ({:.1f} KiB per connection)", mib(client_rss),
                                   ready.open ? client_rss / 1024.0 / ready.open : 0.0)}};
    if (before && after && after_hold) {
        const double per =
            ready.open
                ? (static_cast<double>(after->rss_bytes) - static_cast<double>(before->rss_bytes)) /
                      ready.open
                : 0.0;
        result["server_rss_before_bytes"] = before->rss_bytes;
        result["server_rss_after_bytes"] = after->rss_bytes;
        result["server_rss_after_hold_bytes"] = after_hold->rss_bytes;
        result["server_peak_rss_bytes"] = after_hold->peak_rss_bytes;
        result["server_rss_per_connection_bytes"] = round_to(per, 0);
        lines.emplace_back(
            "server RSS", fmt::format("{} before, {} with the streams open, {} "
                                      "after the hold (peak {})",
                                      mib(before->rss_bytes), mib(after->rss_bytes),
                                      mib(after_hold->rss_bytes), mib(after_hold->peak_rss_bytes)));
        lines.emplace_back(
            "per connection",
            fmt::format("{:.2f} KiB of server RSS ((after - before) / open)", per / 1024));
    }
    emit(o, "stream connections", machine, command,
         {{"connections", connections},
          {"users", users},
          {"processes", plan.processes},
          {"threads", plan.threads},
          {"source_addresses", plan.source_addresses},
          {"hold_s", hold}},
         p.setup, result, lines);
    return ready.open == static_cast<std::uint64_t>(connections) ? 0 : 1;
}

// ---- stream-fanout and nats-fanout ----

// Deliveries of `messages` to `receivers`, sent by `send` (which returns its errors as text).
struct FanoutRun {
    json result;
    std::vector<std::pair<std::string, std::string>> lines;
    bool complete = false;
};

template <typename Send>
FanoutRun measure_fanout(const Common& o, StreamHolders& holders, std::uint64_t receivers,
                         std::int64_t messages, Send send) {
    const std::int64_t t0 = steady_ns();
    holders.set_window(t0, INT64_MAX);
    const auto start = CpuMeter::now(&holders, o.server_pid);
    const std::string send_errors = send();
    const std::uint64_t expected = receivers * static_cast<std::uint64_t>(messages);
    drain(holders, expected, std::chrono::duration<double>(o.drain_timeout));
    const auto end = CpuMeter::now(&holders, o.server_pid);
    StreamStats stats = holders.collect();
    const double seconds =
        stats.last_arrival_ns > t0 ? static_cast<double>(stats.last_arrival_ns - t0) / 1e9 : 0;
    const double rate = seconds > 0 ? stats.deliveries / seconds : 0;
    const auto memory = server_memory(o.server_pid);

    FanoutRun run;
    run.complete = stats.deliveries == expected && stats.duplicates == 0;
    run.result = {{"expected_deliveries", expected},
                  {"seconds", round_to(seconds, 3)},
                  {"deliveries_per_s", round_to(rate, 0)},
                  {"messages_per_s", round_to(seconds > 0 ? messages / seconds : 0, 1)},
                  {"lost", expected > stats.deliveries ? expected - stats.deliveries : 0},
                  {"latency_ms", latency_json(stats.latencies_ns)},
                  {"send_errors", send_errors},
                  {"cpu", end.since(start)},
                  {"client_rss_bytes", holders.rss_bytes()}};
    run.result.update(stats_json(stats));
    if (memory) {
        run.result["server_rss_bytes"] = memory->rss_bytes;
        run.result["server_peak_rss_bytes"] = memory->peak_rss_bytes;
    }
    run.lines = {{"deliveries",
                  fmt::format("{} of {} expected ({} lost, {} duplicated, {} out of seq order) in "
                              "{:.2f} s (first send to last arrival)",
                              stats.deliveries, expected, run.result["lost"].get<std::uint64_t>(),
                              stats.duplicates, stats.out_of_order, seconds)},
                 {"throughput", fmt::format("{:.0f} deliveries/s ({:.1f} messages/s)", rate,
                                            run.result["messages_per_s"].get<double>())},
                 {"latency (ms)", latency_line(run.result["latency_ms"])},
                 {"closed", fmt::format("{} streams closed by the server {}",
                                        stats.closed_by_server, run.result["close_codes"].dump())},
                 {"send errors", send_errors.empty() ? "none" : send_errors},
                 {"CPU", cpu_line(run.result["cpu"])}};
    if (memory) {
        run.lines.emplace_back("server RSS", fmt::format("{} (peak {})", mib(memory->rss_bytes),
                                                         mib(memory->peak_rss_bytes)));
    }
    return run;
}

std::string errors_text(const std::map<std::string, std::uint64_t>& errors,
                        const std::map<std::string, std::string>& samples = {}) {
    std::string out;
    for (const auto& [k, v] : errors) {
        out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", k, v);
        if (auto s = samples.find(k); s != samples.end()) out += fmt::format(" ({})", s->second);
    }
    return out;
}

int fanout_command(int argc, char** argv, const std::string& command) {
    Common o;
    int members = 1000, senders = 4, threads = 1;
    std::int64_t messages = 100;
    CLI::App app{
        "parley-load stream-fanout: S online members of one group, M messages from a "
        "few closed-loop senders; deliveries/s and send → arrival latency."};
    add_common(app, o, true);
    app.add_option("--members", members, "group members, all online (one stream each)")
        ->capture_default_str()
        ->check(CLI::Range(2, 10000000));
    app.add_option("--messages", messages, "messages to send in total")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--senders", senders,
                   "closed-loop senders (members 0..K-1), one connection each")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--sender-threads", threads, "client threads for the senders")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);
    senders = std::min(senders, members);

    const MachineInfo machine = collect_machine();
    Prepared p = prepare(o, members, 1);
    std::vector<std::string> tokens;
    for (const auto& u : p.users) tokens.push_back(u.token);
    const HolderPlan plan = holder_plan(o, StreamProtocol::websocket, p.endpoint, tokens);
    StreamHolders holders(plan);
    const HolderReady ready = holders.wait_ready(seconds(static_cast<int>(o.connect_timeout)));
    std::cerr << fmt::format("parley-load: streams: {}; sending {} messages…\n", ready_text(ready),
                             messages);

    SendPlan send;
    send.endpoint = p.endpoint;
    for (int s = 0; s < senders; ++s) send.senders.push_back({p.users[s].token, p.groups[0].id});
    send.threads = threads;
    send.warmup = milliseconds(0);
    send.messages = messages;
    send.message_bytes = o.message_bytes;
    send.stamp_text = true;
    send.run_id = run_id();
    SendResult sent;
    FanoutRun run = measure_fanout(o, holders, ready.open, messages, [&] {
        sent = run_send_load(send);
        return errors_text(sent.errors, sent.error_samples);
    });
    run.result["connections"] = ready_json(ready);
    run.result["acknowledged"] = sent.acknowledged;
    run.result["send_latency_ms"] = latency_json(sent.latencies_ns);
    run.lines.insert(run.lines.begin(),
                     {{"load", fmt::format("{} members online, {} messages by {} closed-loop "
                                           "sender(s), {}-byte texts",
                                           members, messages, senders, o.message_bytes)},
                      {"setup", fmt::format("sign-in {} s, group {} s; streams {}",
                                            p.setup["sign_in_s"].get<double>(),
                                            p.setup["groups_s"].get<double>(), ready_text(ready))},
                      {"sends", fmt::format("{} acknowledged; POST latency {}", sent.acknowledged,
                                            latency_line(run.result["send_latency_ms"]))}});
    emit(o, "stream fan-out", machine, command,
         {{"members", members},
          {"messages", messages},
          {"senders", senders},
          {"message_bytes", o.message_bytes},
          {"processes", plan.processes}},
         p.setup, run.result, run.lines);
    return run.complete ? 0 : 1;
}

int nats_fanout_command(int argc, char** argv, const std::string& command) {
    Common o;
    std::string nats_url = "nats://127.0.0.1:4222";
    int subscribers = 1000, senders = 4;
    std::int64_t messages = 100;
    CLI::App app{
        "parley-load nats-fanout: the stream-fanout shape over nats-server — S "
        "subscribers of one subject, M messages from closed-loop libnats publishers."};
    add_common(app, o, false);
    app.add_option("--nats-url", nats_url, "nats-server URL")->capture_default_str();
    app.add_option("--subscribers", subscribers, "subscriber connections")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--messages", messages, "messages to publish in total")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--senders", senders, "closed-loop publishers (publish, flush, next)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);
#ifndef PARLEY_LOAD_HAVE_NATS
    (void)subscribers;
    std::cerr << "parley-load: built without libnats (install libnats-dev and rebuild)\n";
    return 2;
#else
    if (!nats_url.starts_with("nats://")) {
        std::cerr << "parley-load: --nats-url must start with nats://\n";
        return 2;
    }
    const MachineInfo machine = collect_machine();
    const Endpoint endpoint = parse_url("http://" + nats_url.substr(7));
    const HolderPlan plan = holder_plan(
        o, StreamProtocol::nats, endpoint,
        std::vector<std::string>(static_cast<std::size_t>(subscribers), std::string(kNatsSubject)));
    StreamHolders holders(plan);
    const HolderReady ready = holders.wait_ready(seconds(static_cast<int>(o.connect_timeout)));
    std::cerr << fmt::format("parley-load: subscribers: {}; publishing {} messages…\n",
                             ready_text(ready), messages);
    NatsSendResult sent;
    FanoutRun run = measure_fanout(o, holders, ready.open, messages, [&] {
        sent = run_nats_senders(nats_url, std::string(kNatsSubject), senders, messages,
                                o.message_bytes);
        return errors_text(sent.errors);
    });
    run.result["connections"] = ready_json(ready);
    run.result["acknowledged"] = sent.published;
    run.lines.insert(run.lines.begin(),
                     {{"load", fmt::format("{} subscribers, {} messages by {} closed-loop "
                                           "publisher(s), {}-byte texts",
                                           subscribers, messages, senders, o.message_bytes)},
                      {"subscribers", ready_text(ready)},
                      {"publishes", fmt::format("{} flushed", sent.published)}});
    emit(o, "NATS fan-out (reference)", machine, command,
         {{"subscribers", subscribers},
          {"messages", messages},
          {"senders", senders},
          {"message_bytes", o.message_bytes},
          {"processes", plan.processes},
          {"nats_url", nats_url}},
         json::object(), run.result, run.lines);
    return run.complete ? 0 : 1;
#endif
}

// ---- stream-rooms ----

int rooms_command(int argc, char** argv, const std::string& command) {
    Common o;
    int users = 10000, groups = 1000, threads = 1;
    std::vector<double> rates = {0.5, 1, 2, 4};
    double duration = 10, warmup = 2, stop_p99_ms = 1000;
    CLI::App app{
        "parley-load stream-rooms: many small groups, all members online; one sender "
        "per group at a fixed rate, stepping the rate up; latency per step."};
    add_common(app, o, true);
    app.add_option("--users", users, "users, all online; user u is in group u % groups")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--groups", groups, "groups; group g's creator (user g) sends into it")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--rates", rates, "messages per second per group, one step each")
        ->delimiter(',')
        ->capture_default_str();
    app.add_option("--duration", duration, "measured seconds per step")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--warmup", warmup, "seconds of sending before each step's window")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--stop-p99-ms", stop_p99_ms,
                   "stop stepping once p99 exceeds this (the latency has degraded)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--sender-threads", threads, "client threads for the senders")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);
    if (groups > users) {
        std::cerr << "parley-load: --groups cannot exceed --users\n";
        return 2;
    }

    const MachineInfo machine = collect_machine();
    Prepared p = prepare(o, users, groups);
    std::vector<std::string> tokens;
    for (const auto& u : p.users) tokens.push_back(u.token);
    const HolderPlan plan = holder_plan(o, StreamProtocol::websocket, p.endpoint, tokens);
    StreamHolders holders(plan);
    const HolderReady ready = holders.wait_ready(seconds(static_cast<int>(o.connect_timeout)));
    std::cerr << fmt::format("parley-load: streams: {}\n", ready_text(ready));
    const double members_per_group = static_cast<double>(users) / groups;

    json steps = json::array();
    std::vector<std::pair<std::string, std::string>> lines = {
        {"load", fmt::format("{} users online in {} groups ({:.0f} members each), one sender per "
                             "group, {} s per step after {} s warm-up",
                             users, groups, members_per_group, duration, warmup)},
        {"setup",
         fmt::format("sign-in {} s, groups {} s; streams {}", p.setup["sign_in_s"].get<double>(),
                     p.setup["groups_s"].get<double>(), ready_text(ready))},
        {"steps",
         "offered msg/s | sent msg/s | deliveries/s | p50 | p99 | p99.9 | max ms | "
         "lost | dup | reordered | closed | server CPU | client CPU"}};
    bool clean = ready.failed == 0;
    for (double rate : rates) {
        SendPlan send;
        send.endpoint = p.endpoint;
        for (int g = 0; g < groups; ++g) send.senders.push_back({p.users[g].token, p.groups[g].id});
        send.threads = threads;
        send.warmup = milliseconds(static_cast<std::int64_t>(warmup * 1000));
        send.duration = milliseconds(static_cast<std::int64_t>(duration * 1000));
        send.message_bytes = o.message_bytes;
        send.stamp_text = true;
        send.interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / rate));
        send.run_id = run_id();
        const std::int64_t window_start = steady_ns() + static_cast<std::int64_t>(warmup * 1e9);
        const std::int64_t window_end = window_start + static_cast<std::int64_t>(duration * 1e9);
        holders.set_window(window_start, window_end);
        std::cerr << fmt::format("parley-load: step {} msg/s per group ({} msg/s in all)…\n", rate,
                                 rate * groups);
        std::optional<CpuMeter> start;
        std::thread meter([&] {
            std::this_thread::sleep_for(std::chrono::duration<double>(warmup));
            start = CpuMeter::now(&holders, o.server_pid);
        });
        SendResult sent = run_send_load(send);
        meter.join();
        const auto end = CpuMeter::now(&holders, o.server_pid);
        const auto expected =
            static_cast<std::uint64_t>(sent.sent_in_window * members_per_group + 0.5);
        drain(holders, expected, std::chrono::duration<double>(o.drain_timeout));
        StreamStats stats = holders.collect();
        json step = {{"offered_messages_per_s", rate * groups},
                     {"rate_per_group", rate},
                     {"sent_messages_per_s", round_to(sent.sent_in_window / duration, 1)},
                     {"acknowledged", sent.acknowledged},
                     {"send_errors", errors_text(sent.errors, sent.error_samples)},
                     {"expected_deliveries", expected},
                     {"deliveries_per_s", round_to(stats.deliveries / duration, 0)},
                     {"lost", expected > stats.deliveries ? expected - stats.deliveries : 0},
                     {"latency_ms", latency_json(stats.latencies_ns)},
                     {"cpu", end.since(*start)}};
        step.update(stats_json(stats));
        const json& l = step["latency_ms"];
        const json& cpu = step["cpu"];
        lines.emplace_back(
            "",
            fmt::format("{} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {}% | {}%",
                        rate * groups, step["sent_messages_per_s"].get<double>(),
                        step["deliveries_per_s"].get<double>(), l["p50"].get<double>(),
                        l["p99"].get<double>(), l["p99_9"].get<double>(), l["max"].get<double>(),
                        step["lost"].get<std::uint64_t>(), stats.duplicates, stats.out_of_order,
                        stats.closed_by_server, cpu.value("server_cpu_percent", 0.0),
                        cpu["client_cpu_percent"].get<double>()));
        if (!step["send_errors"].get<std::string>().empty()) {
            lines.emplace_back("", "  send errors: " + step["send_errors"].get<std::string>());
        }
        if (stats.duplicates > 0 || stats.closed_by_server > 0 ||
            step["lost"].get<std::uint64_t>() > 0) {
            clean = false;
        }
        steps.push_back(step);
        if (l["p99"].get<double>() > stop_p99_ms) {
            lines.emplace_back("", fmt::format("stopped: p99 above {} ms", stop_p99_ms));
            break;
        }
    }
    if (auto memory = server_memory(o.server_pid)) {
        lines.emplace_back("server RSS", fmt::format("{} (peak {})", mib(memory->rss_bytes),
                                                     mib(memory->peak_rss_bytes)));
    }
    emit(o, "stream many rooms", machine, command,
         {{"users", users},
          {"groups", groups},
          {"rates_per_group", rates},
          {"duration_s", duration},
          {"warmup_s", warmup},
          {"message_bytes", o.message_bytes},
          {"processes", plan.processes}},
         p.setup, {{"connections", ready_json(ready)}, {"steps", steps}}, lines);
    return clean ? 0 : 1;
}

}  // namespace

bool is_stream_command(std::string_view name) {
    return name == "stream-connections" || name == "stream-fanout" || name == "stream-rooms" ||
           name == "nats-fanout";
}

int run_stream_command(int argc, char** argv) {
    const std::string_view name = argv[1];
    // CLI11 sees "parley-load stream-fanout" as the program name.
    std::string program = fmt::format("{} {}", argv[0], name);
    std::vector<char*> args = {program.data()};
    for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
    const int n = static_cast<int>(args.size());
    const std::string command = command_line(argc, argv);
    try {
        if (name == "stream-connections") return connections_command(n, args.data(), command);
        if (name == "stream-fanout") return fanout_command(n, args.data(), command);
        if (name == "stream-rooms") return rooms_command(n, args.data(), command);
        return nats_fanout_command(n, args.data(), command);
    } catch (const std::exception& e) {
        std::cerr << "parley-load: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace parley::bench
