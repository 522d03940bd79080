#pragma once
// What every parley-load result shares: the command line as typed, the machine block of the JSON
// and text outputs, percentiles and rounding. Thread-safe (no shared state).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "load/machine.hpp"

namespace parley::bench {

// argv joined back into a command a shell would accept.
std::string command_line(int argc, char** argv);

// Nearest-rank percentile of sorted nanosecond values, in milliseconds.
double percentile_ms(const std::vector<std::int64_t>& sorted, double p);

double round_to(double v, int decimals);

// "load" + 8 random hex digits: makes client ids unique across runs against the same server.
std::string run_id();

std::string human_bytes(std::uint64_t b);  // "23.5 GiB"

// The "machine" object of a JSON result.
nlohmann::json machine_json(const MachineInfo& machine);

// The "date / machine / load average / command / parleyd flags" lines of a text result.
void print_header(const std::string& title, const MachineInfo& machine, const std::string& command,
                  const std::string& server_flags);

}  // namespace parley::bench
