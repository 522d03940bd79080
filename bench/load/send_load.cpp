#include "load/send_load.hpp"

#include <fmt/format.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>

#include "load/machine.hpp"
#include "load/stream_client.hpp"

namespace parley::bench {

namespace {

using Clock = std::chrono::steady_clock;

// When each phase begins, the same for every thread.
struct Timeline {
    Clock::time_point begin;
    Clock::time_point measure_start;
    Clock::time_point measure_end;  // time_point::max() when counting messages
};

struct ThreadResult {
    std::uint64_t acknowledged = 0;
    std::uint64_t outside_window = 0;
    std::uint64_t sent_in_window = 0;
    std::map<std::string, std::uint64_t> errors;
    std::map<std::string, std::string> error_samples;
    std::vector<std::int64_t> latencies_ns;
    Clock::time_point last_counted{};  // messages mode: when the last counted answer came
};

struct Sender {
    explicit Sender(const Endpoint& e) : connection(e) {}
    Connection connection;
    int index = 0;
    std::string path;
    const std::string* token = nullptr;
    std::uint64_t seq = 0;
    Clock::time_point sent_at{};
    Clock::time_point retry_at{};
    Clock::time_point next_at{};  // fixed rate: the earliest time of the next send
    int watched_fd = -1;          // the descriptor registered with epoll
    bool watching_write = false;  // whether that registration includes EPOLLOUT
    bool busy = false;
    bool counted = false;  // messages mode: this send holds one of the tickets
    bool finished = false;
};

// One client thread: an epoll loop over its senders (poll() over 64 sockets cost the client a
// fifth of its CPU in the kernel's per-call scan).
class SenderLoop {
public:
    SenderLoop(const SendPlan& plan, const Timeline& timeline, const std::string& text,
               std::atomic<std::int64_t>& tickets, std::vector<int> sender_indexes)
        : plan_(plan), timeline_(timeline), text_(text), tickets_(tickets) {
        for (int i : sender_indexes) {
            auto s = std::make_unique<Sender>(plan.endpoint);
            s->index = i;
            s->path = fmt::format("/api/v1/conversations/{}/messages",
                                  plan.senders[static_cast<std::size_t>(i)].conversation_id);
            s->token = &plan.senders[static_cast<std::size_t>(i)].token;
            senders_.push_back(std::move(s));
        }
        active_ = static_cast<int>(senders_.size());
        if (plan.interval) {
            // Phases spread evenly, so that a thousand senders do not fire together.
            const auto n = static_cast<std::int64_t>(plan.senders.size());
            for (auto& s : senders_) {
                s->next_at = timeline.begin + std::chrono::duration_cast<Clock::duration>(
                                                  *plan.interval * s->index / n);
            }
        }
        if (plan.duration) {
            auto expected = static_cast<std::size_t>(plan.duration->count()) * 30 *
                            senders_.size();  // a guess; it only saves reallocations
            result_.latencies_ns.reserve(std::min<std::size_t>(expected, 1 << 22));
        }
    }

    ThreadResult run() {
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        if (epoll_ < 0) throw std::runtime_error(fmt::format("epoll: {}", std::strerror(errno)));
        std::vector<epoll_event> events(senders_.size());
        auto now = Clock::now();
        int idle = scan(now);
        // At a fixed rate most senders wait for their turn: scan often, but not on every event.
        const auto scan_every = std::chrono::milliseconds(plan_.interval ? 1 : 20);
        auto next_scan = now + scan_every;
        while (active_ > 0) {
            const int wait_ms = idle > 0 ? (plan_.interval ? 1 : 10) : 100;
            int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), wait_ms);
            if (n < 0) {
                if (errno == EINTR) continue;
                throw std::runtime_error(fmt::format("epoll_wait: {}", std::strerror(errno)));
            }
            for (int i = 0; i < n; ++i) {
                Sender& s = *static_cast<Sender*>(events[i].data.ptr);
                // An event may be stale (its connection was replaced in this batch): the
                // non-blocking socket then just reports EAGAIN.
                if (!s.busy) continue;
                if (events[i].events & EPOLLOUT) s.connection.on_writable();
                if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                    s.connection.on_readable();
                }
                if (s.connection.done()) {
                    complete(s);
                } else {
                    watch(s);
                }
            }
            now = Clock::now();
            if (now >= next_scan || (idle > 0 && !plan_.interval)) {
                idle = scan(now);
                next_scan = now + scan_every;
            }
        }
        ::close(epoll_);
        return std::move(result_);
    }

private:
    // Starts senders whose back-off is over and fails sends that waited too long. Returns how
    // many senders are waiting to retry.
    int scan(Clock::time_point now) {
        int idle = 0;
        for (auto& s : senders_) {
            if (s->finished) continue;
            if (s->busy && now - s->sent_at > plan_.request_timeout) {
                s->connection.close();
                s->busy = false;
                error(*s, now, "timeout",
                      fmt::format("no answer within {} ms", plan_.request_timeout.count()));
            }
            if (!s->busy && now >= s->retry_at) start(*s, now);
            if (!s->busy && !s->finished) ++idle;
        }
        return idle;
    }

    // Keeps the epoll interest of s's socket in line with what its connection waits for.
    void watch(Sender& s) {
        const int fd = s.connection.fd();
        if (fd < 0) return;
        const bool want_write = s.connection.wants_write();
        if (fd == s.watched_fd && want_write == s.watching_write) return;
        epoll_event ev{};
        ev.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
        ev.data.ptr = &s;
        // A closed descriptor leaves the epoll set by itself, and a new connection may get the
        // same number back: fall back from MOD to ADD (and the other way) when told.
        int op = fd == s.watched_fd ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        int rc = ::epoll_ctl(epoll_, op, fd, &ev);
        if (rc != 0 && (errno == ENOENT || errno == EEXIST)) {
            op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
            rc = ::epoll_ctl(epoll_, op, fd, &ev);
        }
        if (rc != 0) throw std::runtime_error(fmt::format("epoll_ctl: {}", std::strerror(errno)));
        s.watched_fd = fd;
        s.watching_write = want_write;
    }

    bool in_window(Clock::time_point t) const {
        return t >= timeline_.measure_start && t < timeline_.measure_end;
    }

    void start(Sender& s, Clock::time_point now) {
        if (plan_.duration && now >= timeline_.measure_end) {
            finish(s);
            return;
        }
        if (plan_.interval) {
            if (now < s.next_at) {
                s.retry_at = s.next_at;
                return;
            }
            s.next_at += std::chrono::duration_cast<Clock::duration>(*plan_.interval);
            if (s.next_at < now - *plan_.interval) s.next_at = now;  // behind: no burst
        }
        s.counted = false;
        if (plan_.messages && now >= timeline_.measure_start) {
            if (tickets_.fetch_sub(1, std::memory_order_relaxed) <= 0) {
                finish(s);
                return;
            }
            s.counted = true;
        }
        if (!s.connection.ensure_connected()) {
            error(s, now, "io", s.connection.last_error());
            s.retry_at = now + std::chrono::milliseconds(100);
            return;
        }
        // One instant for the stamp, the latency and the window (steady_clock is
        // CLOCK_MONOTONIC, the receivers' clock), so a boundary message counts on one side only.
        s.sent_at = Clock::now();
        std::string stamp;
        if (plan_.stamp_text) {
            stamp = stamp_prefix(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     s.sent_at.time_since_epoch())
                                     .count()) +
                    " ";
        }
        std::string body = fmt::format(R"({{"text":"{}{}","client_id":"{}-{}-{}"}})", stamp, text_,
                                       plan_.run_id, s.index, s.seq++);
        std::string request = build_request(plan_.endpoint, "POST", s.path, *s.token, body);
        if (in_window(s.sent_at)) ++result_.sent_in_window;
        s.busy = true;
        s.connection.start(std::move(request));
        if (s.connection.done()) {  // the write failed at once
            auto r = s.connection.take();
            s.busy = false;
            error(s, s.sent_at, "io", r.error);
            s.retry_at = s.sent_at + std::chrono::milliseconds(100);
            return;
        }
        watch(s);
    }

    void finish(Sender& s) {
        s.finished = true;
        s.connection.close();
        --active_;
    }

    // Counts an error when it belongs to the measurement.
    void error(Sender& s, Clock::time_point at, const std::string& kind, const std::string& what) {
        const bool counts = plan_.messages ? s.counted : in_window(at);
        if (s.counted && plan_.messages) result_.last_counted = std::max(result_.last_counted, at);
        if (!counts) {
            ++result_.outside_window;
            return;
        }
        ++result_.errors[kind];
        result_.error_samples.try_emplace(kind, what.substr(0, 300));
    }

    void complete(Sender& s) {
        const auto now = Clock::now();
        HttpResponse r = s.connection.take();
        s.busy = false;
        if (r.status == 201) {
            const bool counts = plan_.messages ? s.counted : in_window(now);
            if (counts) {
                ++result_.acknowledged;
                result_.latencies_ns.push_back(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(now - s.sent_at).count());
                if (plan_.messages) result_.last_counted = std::max(result_.last_counted, now);
            } else {
                ++result_.outside_window;
            }
        } else if (r.status == 0) {
            error(s, now, "io", r.error);
            s.retry_at = now + std::chrono::milliseconds(10);
            return;
        } else {
            error(s, now, std::to_string(r.status), r.body);
        }
        start(s, now);
    }

    const SendPlan& plan_;
    const Timeline& timeline_;
    const std::string& text_;
    std::atomic<std::int64_t>& tickets_;
    std::vector<std::unique_ptr<Sender>> senders_;
    int active_ = 0;  // senders not finished
    int epoll_ = -1;
    ThreadResult result_;
};

}  // namespace

std::string message_text(std::size_t bytes) {
    static constexpr std::string_view kWords =
        "Parley load test: the quick brown fox jumps over the lazy dog while the build is green. ";
    std::string text;
    while (text.size() < bytes) text.append(kWords);
    text.resize(std::max<std::size_t>(bytes, 1));
    if (text.back() == ' ') text.back() = '.';
    return text;
}

SendResult run_send_load(const SendPlan& plan) {
    const std::string text = message_text(plan.message_bytes);
    std::atomic<std::int64_t> tickets{plan.messages.value_or(0)};
    Timeline timeline;
    const auto begin = Clock::now();
    timeline.begin = begin;
    timeline.measure_start = begin + plan.warmup;
    timeline.measure_end =
        plan.duration ? timeline.measure_start + *plan.duration : Clock::time_point::max();

    const int threads = std::max(1, std::min(plan.threads, static_cast<int>(plan.senders.size())));
    std::vector<std::vector<int>> partition(static_cast<std::size_t>(threads));
    for (int i = 0; i < static_cast<int>(plan.senders.size()); ++i) {
        partition[static_cast<std::size_t>(i % threads)].push_back(i);
    }
    std::vector<ThreadResult> results(static_cast<std::size_t>(threads));
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(threads));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            try {
                SenderLoop loop(plan, timeline, text, tickets, partition[t]);
                results[t] = loop.run();
            } catch (...) {
                failures[t] = std::current_exception();
            }
        });
    }

    // CPU time over the window, sampled by this (otherwise idle) thread.
    std::this_thread::sleep_until(timeline.measure_start);
    const double client_cpu_start = self_cpu_time();
    std::optional<double> server_cpu_start;
    if (plan.server_pid > 0) server_cpu_start = process_cpu_time(plan.server_pid);
    double client_cpu_end = 0;
    std::optional<double> server_cpu_end;
    auto sample_end = [&] {
        client_cpu_end = self_cpu_time();
        if (plan.server_pid > 0) server_cpu_end = process_cpu_time(plan.server_pid);
    };
    if (plan.duration) {
        std::this_thread::sleep_until(timeline.measure_end);
        sample_end();
    }
    for (auto& t : pool) t.join();
    if (!plan.duration) sample_end();
    for (auto& f : failures) {
        if (f) std::rethrow_exception(f);
    }

    SendResult out;
    Clock::time_point last{};
    for (auto& r : results) {
        out.acknowledged += r.acknowledged;
        out.warmup_sends += r.outside_window;
        out.sent_in_window += r.sent_in_window;
        for (auto& [k, v] : r.errors) out.errors[k] += v;
        for (auto& [k, v] : r.error_samples) out.error_samples.try_emplace(k, v);
        out.latencies_ns.insert(out.latencies_ns.end(), r.latencies_ns.begin(),
                                r.latencies_ns.end());
        last = std::max(last, r.last_counted);
    }
    std::sort(out.latencies_ns.begin(), out.latencies_ns.end());
    if (plan.duration) {
        out.measured_seconds = std::chrono::duration<double>(*plan.duration).count();
    } else {
        out.measured_seconds =
            last > timeline.measure_start
                ? std::chrono::duration<double>(last - timeline.measure_start).count()
                : 0.0;
    }
    out.client_cpu_seconds = client_cpu_end - client_cpu_start;
    if (server_cpu_start && server_cpu_end) {
        out.server_cpu_seconds = *server_cpu_end - *server_cpu_start;
    }
    return out;
}

}  // namespace parley::bench
