#pragma once
// Metrics: request counts by route and status, a request latency histogram, and gauges the app
// samples at scrape time (open connections, store latency), rendered in Prometheus text
// format for GET /metrics. Recording is lock-free on the hot path after a route's first
// request. Thread-safe.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace parley::http {

// A fixed-bucket latency histogram in seconds, updated with relaxed atomics.
class Histogram {
public:
    static constexpr std::array<double, 14> kBounds = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
    void observe(double seconds);
    // Appends `name_bucket{labels,le=..}`, `name_sum`, `name_count` lines.
    void render(std::string& out, const std::string& name, const std::string& labels) const;

private:
    std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sum_micros_{0};
};

class Metrics {
public:
    void record_request(const std::string& route, const std::string& method, int status,
                        double seconds);
    Histogram& store_latency() { return store_latency_; }
    // Gauges read at scrape time, e.g. open connections.
    void add_gauge(std::string name, std::string help, std::function<double()> read);
    // A count that only grows, read at scrape time; name it *_total.
    void add_counter(std::string name, std::string help, std::function<double()> read);
    std::string render() const;

private:
    struct Sampled {  // a gauge or counter read at scrape time
        std::string name;
        std::string help;
        std::function<double()> read;
        const char* type;  // "gauge" or "counter"
    };

    mutable std::mutex mutex_;
    // route + method + status → count
    std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>>
        requests_;                                               // GUARDED_BY(mutex_)
    std::map<std::string, std::unique_ptr<Histogram>> latency_;  // GUARDED_BY(mutex_)
    std::vector<Sampled> sampled_;                               // GUARDED_BY(mutex_)
    Histogram store_latency_;
};

}  // namespace parley::http
