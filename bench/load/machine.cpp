#include "load/machine.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace parley::bench {

namespace {

// The value after "key:" on the first line of file that starts with key, trimmed.
std::string field(const char* file, std::string_view key) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with(key)) continue;
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        auto value = line.substr(colon + 1);
        auto first = value.find_first_not_of(" \t");
        return first == std::string::npos ? std::string() : value.substr(first);
    }
    return {};
}

std::uint64_t kib_field(const std::string& path, std::string_view key) {
    auto text = field(path.c_str(), key);  // "123456 kB"
    return text.empty() ? 0 : std::stoull(text) * 1024;
}

}  // namespace

MachineInfo collect_machine() {
    MachineInfo m;
    m.date =
        fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                    std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) m.hostname = host;
    m.cpus = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
    m.cpu_model = field("/proc/cpuinfo", "model name");
    if (m.cpu_model.empty()) m.cpu_model = "unknown";
    m.memory_bytes = kib_field("/proc/meminfo", "MemTotal");
    utsname u{};
    if (::uname(&u) == 0) m.kernel = fmt::format("{} {}", u.sysname, u.release);
    std::ifstream loadavg("/proc/loadavg");
    std::string one, five, fifteen;
    if (loadavg >> one >> five >> fifteen) m.load_average = one + " " + five + " " + fifteen;
    return m;
}

std::optional<double> process_cpu_time(int pid) {
    std::ifstream in(fmt::format("/proc/{}/stat", pid));
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    // The command name is in parentheses and may hold spaces; the fields follow the last ')'.
    auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(text.substr(close + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) rest >> skip;  // fields 3..13
    unsigned long long utime = 0, stime = 0;
    if (!(rest >> utime >> stime)) return std::nullopt;
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double self_cpu_time() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::optional<ProcessMemory> process_memory(int pid) {
    const std::string path = fmt::format("/proc/{}/status", pid);
    ProcessMemory m;
    m.rss_bytes = kib_field(path, "VmRSS");
    m.peak_rss_bytes = kib_field(path, "VmHWM");
    if (m.rss_bytes == 0) return std::nullopt;
    return m;
}

}  // namespace parley::bench
