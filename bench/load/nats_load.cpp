#include "load/nats_load.hpp"

#include <fmt/format.h>
#include <nats/nats.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "load/send_load.hpp"
#include "load/stream_client.hpp"

namespace parley::bench {

NatsSendResult run_nats_senders(const std::string& url, const std::string& subject, int senders,
                                std::int64_t messages, std::size_t message_bytes) {
    const std::string text = message_text(message_bytes);
    std::vector<natsConnection*> connections;
    for (int i = 0; i < senders; ++i) {
        natsConnection* connection = nullptr;
        if (natsStatus s = natsConnection_ConnectTo(&connection, url.c_str()); s != NATS_OK) {
            for (auto* c : connections) natsConnection_Destroy(c);
            throw std::runtime_error(
                fmt::format("cannot connect to {}: {}", url, natsStatus_GetText(s)));
        }
        connections.push_back(connection);
    }
    std::atomic<std::int64_t> tickets{messages};
    std::mutex mutex;
    NatsSendResult result;
    std::vector<std::thread> pool;
    for (auto* connection : connections) {
        pool.emplace_back([&, connection] {
            NatsSendResult mine;
            while (tickets.fetch_sub(1, std::memory_order_relaxed) > 0) {
                const std::string payload = stamp_prefix(steady_ns()) + " " + text;
                natsStatus s = natsConnection_Publish(connection, subject.c_str(), payload.data(),
                                                      static_cast<int>(payload.size()));
                if (s == NATS_OK) s = natsConnection_FlushTimeout(connection, 30000);
                if (s == NATS_OK) {
                    ++mine.published;
                } else {
                    ++mine.errors[natsStatus_GetText(s)];
                }
            }
            std::lock_guard lock(mutex);
            result.published += mine.published;
            for (const auto& [k, v] : mine.errors) result.errors[k] += v;
        });
    }
    for (auto& t : pool) t.join();
    for (auto* c : connections) natsConnection_Destroy(c);
    return result;
}

}  // namespace parley::bench
