#pragma once
// The measured part of the load tool: closed-loop senders, each on its own keep-alive
// connection, posting messages as fast as the server acknowledges them. Connections are spread
// over a few client threads, each with one epoll loop, so that 64 senders cost one or two threads,
// not 64 (the tool shares the machine with the server it measures).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "load/http_client.hpp"

namespace parley::bench {

struct SenderSpec {
    std::string token;
    std::string conversation_id;
};

struct SendPlan {
    Endpoint endpoint;
    std::vector<SenderSpec> senders;
    int threads = 1;
    std::chrono::milliseconds warmup{2000};
    // Exactly one of these: measure for a duration, or until this many sends were answered.
    std::optional<std::chrono::milliseconds> duration;
    std::optional<std::int64_t> messages;
    std::size_t message_bytes = 100;
    // Start each text with stamp_prefix(steady_ns()) taken just before the request is written,
    // so that stream receivers can measure send → delivery latency.
    bool stamp_text = false;
    // Set: each sender sends at most once per interval (fixed rate, phases spread over the
    // interval) instead of as fast as it is answered; one request in flight per sender still.
    std::optional<std::chrono::nanoseconds> interval;
    std::chrono::milliseconds request_timeout{30000};
    std::string run_id;  // makes client_id unique across runs against the same server
    int server_pid = 0;  // > 0: sample its CPU time over the measured window
};

struct SendResult {
    double measured_seconds = 0;
    std::uint64_t acknowledged = 0;                    // 201 answers in the window
    std::map<std::string, std::uint64_t> errors;       // "409", "io", "timeout" → count
    std::map<std::string, std::string> error_samples;  // first body or message per kind
    std::vector<std::int64_t> latencies_ns;    // one per acknowledged send in the window, sorted
    std::uint64_t warmup_sends = 0;            // answered sends outside the window
    std::uint64_t sent_in_window = 0;          // requests written in the window
    double client_cpu_seconds = 0;             // this process, over the window
    std::optional<double> server_cpu_seconds;  // --server-pid, over the window
};

// A readable text of exactly `bytes` bytes (at least 1), the same for every message.
std::string message_text(std::size_t bytes);

// Runs the plan; REQUIRES: at least one sender, threads >= 1, duration or messages set.
SendResult run_send_load(const SendPlan& plan);

}  // namespace parley::bench
