#include "http/metrics.hpp"

#include <fmt/format.h>

namespace parley::http {

void Histogram::observe(double seconds) {
    std::size_t i = 0;
    while (i < kBounds.size() && seconds > kBounds[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
    std::string sep = labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, kBounds[i],
                           cumulative);
    }
    cumulative += buckets_[kBounds.size()].load(std::memory_order_relaxed);
    out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, cumulative);
    std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out += fmt::format("{}_sum{} {}\n", name, braces,
                       static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format("{}_count{} {}\n", name, braces, count_.load(std::memory_order_relaxed));
}

void Metrics::record_request(const std::string& route, const std::string& method, int status,
                             double seconds) {
    std::string key =
        fmt::format("route=\"{}\",method=\"{}\",status=\"{}\"", route, method, status);
    std::string latency_key = fmt::format("route=\"{}\",method=\"{}\"", route, method);
    std::atomic<std::uint64_t>* counter;
    Histogram* histogram;
    {
        std::lock_guard lock(mutex_);
        auto& c = requests_[key];
        if (!c) c = std::make_unique<std::atomic<std::uint64_t>>(0);
        counter = c.get();
        auto& h = latency_[latency_key];
        if (!h) h = std::make_unique<Histogram>();
        histogram = h.get();
    }
    counter->fetch_add(1, std::memory_order_relaxed);
    histogram->observe(seconds);
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    sampled_.push_back(Sampled{std::move(name), std::move(help), std::move(read), "gauge"});
}

void Metrics::add_counter(std::string name, std::string help, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    sampled_.push_back(Sampled{std::move(name), std::move(help), std::move(read), "counter"});
}

std::string Metrics::render() const {
    std::string out;
    std::lock_guard lock(mutex_);
    out += "# HELP parley_http_requests_total HTTP requests by route, method and status.\n";
    out += "# TYPE parley_http_requests_total counter\n";
    for (const auto& [labels, count] : requests_) {
        out += fmt::format("parley_http_requests_total{{{}}} {}\n", labels, count->load());
    }
    out += "# HELP parley_http_request_duration_seconds Time from request to response.\n";
    out += "# TYPE parley_http_request_duration_seconds histogram\n";
    for (const auto& [labels, h] : latency_) {
        h->render(out, "parley_http_request_duration_seconds", labels);
    }
    out += "# HELP parley_store_operation_duration_seconds Time spent in store calls.\n";
    out += "# TYPE parley_store_operation_duration_seconds histogram\n";
    store_latency_.render(out, "parley_store_operation_duration_seconds", "");
    for (const auto& g : sampled_) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", g.name, g.help, g.name, g.type,
                           g.name, g.read());
    }
    return out;
}

}  // namespace parley::http
