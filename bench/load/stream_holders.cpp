#include "load/stream_holders.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "load/machine.hpp"

namespace parley::bench {

namespace {

using nlohmann::json;

sockaddr_in resolve_ipv4(const Endpoint& endpoint) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(endpoint.port);
    if (int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        throw std::runtime_error(
            fmt::format("cannot resolve {} as IPv4: {}", endpoint.host, ::gai_strerror(rc)));
    }
    sockaddr_in address{};
    std::memcpy(&address, found->ai_addr, sizeof address);
    ::freeaddrinfo(found);
    return address;
}

void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

// One epoll thread of a worker and the connections it owns.
class HolderLoop {
public:
    HolderLoop(const HolderPlan& plan, const sockaddr_in& server, std::vector<int> indexes,
               int in_flight)
        : plan_(plan), server_(server), indexes_(std::move(indexes)), in_flight_(in_flight) {
        clients_.reserve(indexes_.size());
        for (int i : indexes_) {
            clients_.push_back(std::make_unique<StreamClient>(
                plan.protocol, plan.credentials[static_cast<std::size_t>(i)], plan.batch));
        }
        status_.assign(clients_.size(), Status::waiting);
    }

    void run() {
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        if (epoll_ < 0) throw std::runtime_error(fmt::format("epoll: {}", std::strerror(errno)));
        std::vector<char> scratch(64 * 1024);
        std::vector<epoll_event> events(512);
        while (!stop_.load(std::memory_order_relaxed)) {
            start_more();
            int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 50);
            if (n < 0 && errno != EINTR) {
                throw std::runtime_error(fmt::format("epoll_wait: {}", std::strerror(errno)));
            }
            std::lock_guard lock(mutex_);
            for (int e = 0; e < n; ++e) {
                const auto local = static_cast<std::size_t>(events[e].data.u64);
                StreamClient& client = *clients_[local];
                client.on_event(events[e].events, scratch, stats_);
                account(local);
            }
            deliveries_.store(stats_.deliveries, std::memory_order_relaxed);
        }
        for (auto& client : clients_) client->close();
        ::close(epoll_);
    }

    void stop() { stop_ = true; }
    bool connecting_done() const { return connecting_done_.load(); }
    std::uint64_t open() const { return open_.load(); }
    std::uint64_t failed() const { return failed_.load(); }
    std::uint64_t deliveries() const { return deliveries_.load(); }
    std::string first_error() const {
        std::lock_guard lock(mutex_);
        return first_error_;
    }

    // Hands over what was counted and starts again with `window`.
    StreamStats take(std::int64_t start_ns, std::int64_t end_ns) {
        std::lock_guard lock(mutex_);
        StreamStats out = std::move(stats_);
        stats_ = StreamStats{};
        stats_.window_start_ns = start_ns;
        stats_.window_end_ns = end_ns;
        deliveries_ = 0;
        return out;
    }

private:
    enum class Status : std::uint8_t { waiting, opening, open, gone };

    void start_more() {
        while (next_ < clients_.size() && opening_ < in_flight_) {
            const std::size_t local = next_++;
            const int global = indexes_[local];
            StreamClient& client = *clients_[local];
            sockaddr_in source{};
            const sockaddr_in* from = nullptr;
            if (plan_.source_addresses > 1) {
                source.sin_family = AF_INET;
                source.sin_addr.s_addr = htonl(0x7F000001u + global % plan_.source_addresses);
                from = &source;
            }
            std::lock_guard lock(mutex_);
            if (!client.start(server_, from, plan_.endpoint)) {
                status_[local] = Status::opening;
                ++opening_;
                account(local);
                continue;
            }
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
            ev.data.u64 = local;
            if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, client.fd(), &ev) != 0) {
                throw std::runtime_error(fmt::format("epoll_ctl: {}", std::strerror(errno)));
            }
            status_[local] = Status::opening;
            ++opening_;
        }
        if (next_ == clients_.size() && opening_ == 0) connecting_done_ = true;
    }

    // REQUIRES: mutex_ held. Counts the client's move from opening to open or gone.
    void account(std::size_t local) {
        const StreamClient& client = *clients_[local];
        Status& status = status_[local];
        if (status == Status::opening && client.state() == StreamClient::State::open) {
            status = Status::open;
            --opening_;
            ++open_;
        } else if (client.state() == StreamClient::State::failed && status != Status::gone) {
            if (status == Status::opening) {
                --opening_;
                ++failed_;
                if (first_error_.empty()) first_error_ = client.error();
            } else if (status == Status::open) {
                --open_;
            }
            status = Status::gone;
        }
    }

    const HolderPlan& plan_;
    const sockaddr_in server_;
    const std::vector<int> indexes_;
    const int in_flight_;
    std::vector<std::unique_ptr<StreamClient>> clients_;
    std::vector<Status> status_;
    std::size_t next_ = 0;
    int opening_ = 0;
    int epoll_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<bool> connecting_done_{false};
    std::atomic<std::uint64_t> open_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::atomic<std::uint64_t> deliveries_{0};
    mutable std::mutex mutex_;
    StreamStats stats_;        // GUARDED_BY(mutex_)
    std::string first_error_;  // GUARDED_BY(mutex_)
};

void add(StreamStats& into, StreamStats&& from) {
    into.deliveries += from.deliveries;
    into.outside_window += from.outside_window;
    into.duplicates += from.duplicates;
    into.out_of_order += from.out_of_order;
    into.other_frames += from.other_frames;
    into.pings += from.pings;
    into.closed_by_server += from.closed_by_server;
    into.close_codes.insert(into.close_codes.end(), from.close_codes.begin(),
                            from.close_codes.end());
    if (into.latencies_ns.empty()) {
        into.latencies_ns = std::move(from.latencies_ns);
    } else {
        into.latencies_ns.insert(into.latencies_ns.end(), from.latencies_ns.begin(),
                                 from.latencies_ns.end());
    }
    into.last_arrival_ns = std::max(into.last_arrival_ns, from.last_arrival_ns);
}

// The worker process: runs the loops, answers the parent's commands, exits on "quit" or EOF.
[[noreturn]] void worker_main(const HolderPlan& plan, int index, int in, int out) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    int code = 0;
    try {
        const sockaddr_in server = resolve_ipv4(plan.endpoint);
        std::vector<int> mine;
        for (int i = index; i < static_cast<int>(plan.credentials.size()); i += plan.processes) {
            mine.push_back(i);
        }
        const int threads = std::max(1, std::min<int>(plan.threads, static_cast<int>(mine.size())));
        std::vector<std::unique_ptr<HolderLoop>> loops;
        for (int t = 0; t < threads; ++t) {
            std::vector<int> slice;
            for (std::size_t k = static_cast<std::size_t>(t); k < mine.size(); k += threads) {
                slice.push_back(mine[k]);
            }
            loops.push_back(std::make_unique<HolderLoop>(
                plan, server, std::move(slice), std::max(1, plan.connect_in_flight / threads)));
        }
        std::vector<std::thread> pool;
        std::atomic<bool> crashed{false};
        for (auto& loop : loops) {
            pool.emplace_back([&loop, &crashed] {
                try {
                    loop->run();
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "parley-load worker: %s\n", e.what());
                    crashed = true;
                }
            });
        }
        const auto started = std::chrono::steady_clock::now();
        std::int64_t window_start = 0, window_end = INT64_MAX;
        std::string buffer;
        char chunk[4096];
        for (;;) {
            auto eol = buffer.find('\n');
            if (eol == std::string::npos) {
                ssize_t n = ::read(in, chunk, sizeof chunk);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;  // the parent is gone
                buffer.append(chunk, static_cast<std::size_t>(n));
                continue;
            }
            std::string line = buffer.substr(0, eol);
            buffer.erase(0, eol + 1);
            std::istringstream words(line);
            std::string command;
            words >> command;
            if (command == "quit") break;
            if (command == "ready") {
                while (!crashed && !std::all_of(loops.begin(), loops.end(),
                                                [](auto& l) { return l->connecting_done(); })) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
                std::uint64_t open = 0, failed = 0;
                std::string error;
                for (auto& l : loops) {
                    open += l->open();
                    failed += l->failed();
                    if (error.empty()) error = l->first_error();
                }
                std::replace(error.begin(), error.end(), '\n', ' ');
                const double seconds =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                        .count();
                write_all(out, fmt::format("ready {} {} {:.3f} {}\n", open, failed, seconds,
                                           crashed ? "worker loop failed" : error));
            } else if (command == "window") {
                words >> window_start >> window_end;
                for (auto& l : loops) (void)l->take(window_start, window_end);
                write_all(out, "ok\n");
            } else if (command == "progress") {
                std::uint64_t deliveries = 0, open = 0;
                for (auto& l : loops) {
                    deliveries += l->deliveries();
                    open += l->open();
                }
                write_all(out, fmt::format("progress {} {}\n", deliveries, open));
            } else if (command == "collect") {
                StreamStats all;
                for (auto& l : loops) add(all, l->take(window_start, window_end));
                json j = {{"deliveries", all.deliveries},
                          {"outside_window", all.outside_window},
                          {"duplicates", all.duplicates},
                          {"out_of_order", all.out_of_order},
                          {"other_frames", all.other_frames},
                          {"pings", all.pings},
                          {"closed_by_server", all.closed_by_server},
                          {"close_codes", all.close_codes},
                          {"last_arrival_ns", all.last_arrival_ns}};
                const std::string text = j.dump();
                write_all(out, fmt::format("result {} {}\n", text.size(), all.latencies_ns.size()));
                write_all(out, text);
                write_all(out,
                          std::string_view(reinterpret_cast<const char*>(all.latencies_ns.data()),
                                           all.latencies_ns.size() * sizeof(std::int64_t)));
            } else {
                write_all(out, "error unknown command\n");
            }
        }
        for (auto& l : loops) l->stop();
        for (auto& t : pool) t.join();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parley-load worker %d: %s\n", index, e.what());
        code = 1;
    }
    ::_exit(code);
}

}  // namespace

StreamHolders::StreamHolders(const HolderPlan& plan) {
    (void)resolve_ipv4(plan.endpoint);  // fail here, not in every worker
    for (int w = 0; w < plan.processes; ++w) {
        int down[2], up[2];
        if (::pipe2(down, O_CLOEXEC) != 0 || ::pipe2(up, O_CLOEXEC) != 0) {
            throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
        }
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
        if (pid == 0) {
            for (int fd : to_worker_) ::close(fd);
            for (int fd : from_worker_) ::close(fd);
            ::close(down[1]);
            ::close(up[0]);
            worker_main(plan, w, down[0], up[1]);
        }
        ::close(down[0]);
        ::close(up[1]);
        pids_.push_back(pid);
        to_worker_.push_back(down[1]);
        from_worker_.push_back(up[0]);
        buffered_.emplace_back();
    }
}

StreamHolders::~StreamHolders() {
    for (std::size_t w = 0; w < pids_.size(); ++w) {
        try {
            write_all(to_worker_[w], "quit\n");
        } catch (const std::exception&) {
            // already gone
        }
        ::close(to_worker_[w]);
    }
    for (std::size_t w = 0; w < pids_.size(); ++w) {
        int status = 0;
        ::waitpid(pids_[w], &status, 0);
        ::close(from_worker_[w]);
    }
}

std::string StreamHolders::read_line(std::size_t worker) {
    std::string& buffer = buffered_[worker];
    char chunk[4096];
    for (;;) {
        auto eol = buffer.find('\n');
        if (eol != std::string::npos) {
            std::string line = buffer.substr(0, eol);
            buffer.erase(0, eol + 1);
            return line;
        }
        ssize_t n = ::read(from_worker_[worker], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            throw std::runtime_error(
                fmt::format("load worker {} (pid {}) exited", worker, pids_[worker]));
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

void StreamHolders::read_exact(std::size_t worker, char* out, std::size_t size) {
    std::string& buffer = buffered_[worker];
    const std::size_t from_buffer = std::min(size, buffer.size());
    std::memcpy(out, buffer.data(), from_buffer);
    buffer.erase(0, from_buffer);
    std::size_t got = from_buffer;
    while (got < size) {
        ssize_t n = ::read(from_worker_[worker], out + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("load worker exited while sending its result");
        got += static_cast<std::size_t>(n);
    }
}

std::string StreamHolders::request(std::size_t worker, const std::string& command) {
    write_all(to_worker_[worker], command + "\n");
    return read_line(worker);
}

HolderReady StreamHolders::wait_ready(std::chrono::seconds timeout) {
    const auto started = std::chrono::steady_clock::now();
    for (int fd : to_worker_) write_all(fd, "ready\n");
    HolderReady ready;
    for (std::size_t w = 0; w < pids_.size(); ++w) {
        if (buffered_[w].find('\n') == std::string::npos) {
            const auto left = timeout - (std::chrono::steady_clock::now() - started);
            pollfd p{from_worker_[w], POLLIN, 0};
            const int ms = static_cast<int>(std::max<std::int64_t>(
                0, std::chrono::duration_cast<std::chrono::milliseconds>(left).count()));
            if (::poll(&p, 1, ms) == 0) {
                throw std::runtime_error(
                    fmt::format("the connections were not all open after {} s", timeout.count()));
            }
        }
        std::istringstream words(read_line(w));
        std::string tag;
        std::uint64_t open = 0, failed = 0;
        double seconds = 0;
        words >> tag >> open >> failed >> seconds;
        std::string error;
        std::getline(words >> std::ws, error);
        ready.open += open;
        ready.failed += failed;
        ready.seconds = std::max(ready.seconds, seconds);
        if (ready.first_error.empty()) ready.first_error = error;
    }
    return ready;
}

void StreamHolders::set_window(std::int64_t start_ns, std::int64_t end_ns) {
    const std::string command = fmt::format("window {} {}", start_ns, end_ns);
    for (std::size_t w = 0; w < pids_.size(); ++w) (void)request(w, command);
}

HolderProgress StreamHolders::progress() {
    HolderProgress p;
    for (std::size_t w = 0; w < pids_.size(); ++w) {
        std::istringstream words(request(w, "progress"));
        std::string tag;
        std::uint64_t deliveries = 0, open = 0;
        words >> tag >> deliveries >> open;
        p.deliveries += deliveries;
        p.open += open;
    }
    return p;
}

StreamStats StreamHolders::collect() {
    StreamStats all;
    for (std::size_t w = 0; w < pids_.size(); ++w) {
        std::istringstream words(request(w, "collect"));
        std::string tag;
        std::size_t json_bytes = 0, latencies = 0;
        words >> tag >> json_bytes >> latencies;
        if (tag != "result") throw std::runtime_error("load worker: unexpected answer " + tag);
        std::string text(json_bytes, '\0');
        read_exact(w, text.data(), json_bytes);
        StreamStats s;
        s.latencies_ns.resize(latencies);
        read_exact(w, reinterpret_cast<char*>(s.latencies_ns.data()),
                   latencies * sizeof(std::int64_t));
        const json j = json::parse(text);
        s.deliveries = j["deliveries"];
        s.outside_window = j["outside_window"];
        s.duplicates = j["duplicates"];
        s.out_of_order = j["out_of_order"];
        s.other_frames = j["other_frames"];
        s.pings = j["pings"];
        s.closed_by_server = j["closed_by_server"];
        s.close_codes = j["close_codes"].get<std::vector<std::uint16_t>>();
        s.last_arrival_ns = j["last_arrival_ns"];
        add(all, std::move(s));
    }
    return all;
}

double StreamHolders::cpu_seconds() const {
    double total = 0;
    for (pid_t pid : pids_) total += process_cpu_time(pid).value_or(0);
    return total;
}

std::uint64_t StreamHolders::rss_bytes() const {
    std::uint64_t total = 0;
    for (pid_t pid : pids_) {
        if (auto m = process_memory(pid)) total += m->rss_bytes;
    }
    return total;
}

}  // namespace parley::bench
