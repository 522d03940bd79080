#pragma once
// Holds many StreamClients open — parleyd WebSocket streams or NATS subscriptions — in worker
// processes forked from the load tool, each running a few epoll threads. Processes, because
// RLIMIT_NOFILE caps every process (20,000 descriptors on the benchmark machine, not raisable);
// several 127.0.0.x source addresses, because one source address has only ~28,000 ephemeral
// ports towards one server port.
//
// The parent drives the workers over pipes: wait until every connection is open (or failed),
// set the window of send timestamps that count, read progress, collect the statistics.
// Construct it before starting any thread in the parent (it forks). Not thread-safe.

#include <netinet/in.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "load/http_client.hpp"
#include "load/stream_client.hpp"

namespace parley::bench {

struct HolderPlan {
    StreamProtocol protocol = StreamProtocol::websocket;
    bool batch = false;  // websocket: ask for batch frames (?batch=1)
    Endpoint endpoint;
    // One per connection: bearer tokens (websocket) or subjects (nats).
    std::vector<std::string> credentials;
    int processes = 1;
    int threads = 1;              // epoll threads per process
    int source_addresses = 1;     // connection i binds to 127.0.0.(1 + i % source_addresses)
    int connect_in_flight = 256;  // per process: connections opening at the same time
};

struct HolderReady {
    std::uint64_t open = 0;
    std::uint64_t failed = 0;
    std::string first_error;
    double seconds = 0;  // until every connection was open or failed
};

struct HolderProgress {
    std::uint64_t deliveries = 0;
    std::uint64_t open = 0;
};

class StreamHolders {
public:
    // Forks plan.processes workers, each holding an interleaved slice of the connections.
    // Throws std::runtime_error if the server address cannot be resolved or fork fails.
    explicit StreamHolders(const HolderPlan& plan);
    ~StreamHolders();  // tells the workers to close their connections and waits for them
    StreamHolders(const StreamHolders&) = delete;
    StreamHolders& operator=(const StreamHolders&) = delete;

    // Blocks until every worker reports its connections open or failed, or timeout passes
    // (then throws).
    HolderReady wait_ready(std::chrono::seconds timeout);
    // Statistics restart, counting messages sent in [start_ns, end_ns) of steady_ns().
    void set_window(std::int64_t start_ns, std::int64_t end_ns);
    HolderProgress progress();
    // Everything counted since set_window, summed over the workers, latencies unsorted.
    StreamStats collect();

    const std::vector<pid_t>& pids() const { return pids_; }
    // User + system CPU seconds of all workers so far (/proc/<pid>/stat).
    double cpu_seconds() const;
    // Sum of the workers' resident memory, in bytes.
    std::uint64_t rss_bytes() const;

private:
    std::string request(std::size_t worker, const std::string& command);
    std::string read_line(std::size_t worker);
    void read_exact(std::size_t worker, char* out, std::size_t size);

    std::vector<pid_t> pids_;
    std::vector<int> to_worker_;    // write ends
    std::vector<int> from_worker_;  // read ends
    std::vector<std::string> buffered_;
};

}  // namespace parley::bench
