#pragma once
// What a benchmark figure needs next to it: the machine it ran on and the time, plus the CPU time
// and memory of a process read from /proc. Linux only. Thread-safe (no shared state).

#include <cstdint>
#include <optional>
#include <string>

namespace parley::bench {

struct MachineInfo {
    std::string date;  // UTC, "2025-01-31T12:00:00Z"
    std::string hostname;
    int cpus = 0;                    // online CPUs (what nproc prints)
    std::string cpu_model;           // "model name" from /proc/cpuinfo
    std::uint64_t memory_bytes = 0;  // MemTotal
    std::string kernel;              // uname -sr
    std::string load_average;        // the first three fields of /proc/loadavg, at collection time
};

MachineInfo collect_machine();

// utime + stime of pid (all its threads) in seconds, from /proc/<pid>/stat; nullopt if unreadable.
std::optional<double> process_cpu_time(int pid);

// utime + stime of this process (all its threads) in seconds, from getrusage.
double self_cpu_time();

// VmRSS and VmHWM of pid in bytes, from /proc/<pid>/status.
struct ProcessMemory {
    std::uint64_t rss_bytes = 0;
    std::uint64_t peak_rss_bytes = 0;
};
std::optional<ProcessMemory> process_memory(int pid);

}  // namespace parley::bench
