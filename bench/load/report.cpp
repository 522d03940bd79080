#include "load/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace parley::bench {

namespace {

std::string shell_quote(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_./:=+,@%") == std::string::npos) {
        return s;
    }
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

}  // namespace

std::string command_line(int argc, char** argv) {
    std::string out;
    for (int i = 0; i < argc; ++i) {
        if (i > 0) out += ' ';
        out += shell_quote(argv[i]);
    }
    return out;
}

double percentile_ms(const std::vector<std::int64_t>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return static_cast<double>(sorted[rank - 1]) / 1e6;
}

double round_to(double v, int decimals) {
    double scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}

std::string run_id() {
    std::random_device rd;
    return fmt::format("load{:08x}", rd());
}

std::string human_bytes(std::uint64_t b) {
    return fmt::format("{:.1f} GiB", static_cast<double>(b) / (1024.0 * 1024 * 1024));
}

nlohmann::json machine_json(const MachineInfo& machine) {
    return {{"hostname", machine.hostname},   {"cpus", machine.cpus},
            {"cpu_model", machine.cpu_model}, {"memory_bytes", machine.memory_bytes},
            {"kernel", machine.kernel},       {"load_average_before", machine.load_average}};
}

void print_header(const std::string& title, const MachineInfo& machine, const std::string& command,
                  const std::string& server_flags) {
    fmt::print("== parley-load: {} ==\n", title);
    fmt::print("date            {}\n", machine.date);
    fmt::print("machine         {} CPUs ({}), {} RAM, {}, host {}\n", machine.cpus,
               machine.cpu_model, human_bytes(machine.memory_bytes), machine.kernel,
               machine.hostname);
    fmt::print("load average    {} (1, 5, 15 min, before the run: other work on the machine)\n",
               machine.load_average);
    fmt::print("command         {}\n", command);
    fmt::print("parleyd flags   {}\n", server_flags.empty() ? "(not given)" : server_flags);
}

}  // namespace parley::bench
