#pragma once
// ServerCore: what an HttpServer and its connections share. Private to net/. Thread-safe.
//
// Connections hold it by shared_ptr, and so does every Responder (through its connection): a
// Responder called after the server is gone still finds the io_context its socket belongs to,
// so dropping the response is safe. The io_context is only destroyed with the last of them.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "net/beast.hpp"
#include "net/http_server.hpp"

namespace parley::net {

// What stop() needs from a connection.
class Connection {
public:
    virtual ~Connection() = default;
    // Posts onto the connection's strand: closes it if no request is in flight, or whatever it
    // is doing when `force`.
    virtual void shut_down(bool force) = 0;
};

class ServerCore {
public:
    ServerCore(ServerSettings settings, Handler handler, ErrorResponder error_responder);

    const ServerSettings settings;
    const Handler handler;
    const ErrorResponder error_responder;
    asio::io_context io;
    std::optional<ssl::context> tls;  // set by start() before the first connection

    bool stopping() const { return stopping_.load(std::memory_order_acquire); }

    // Registers an accepted connection; false once stopping (the caller drops it).
    bool add(const std::shared_ptr<Connection>& connection);
    // Unregisters a connection whose socket is closed.
    void remove(const Connection* connection);
    std::size_t open_connections() const { return open_.load(std::memory_order_relaxed); }

    // Runs `post`, which posts a response onto a connection's strand, unless stop() has ended
    // the io threads: nothing would run the posted handler, and the connection it holds (which
    // holds this) would never be freed.
    template <typename Post>
    void post_response(Post&& post) {
        std::lock_guard lock(mutex_);
        if (!responses_closed_) post();
    }

    // The steps of HttpServer::stop(), in order.
    void begin_stop();
    void shut_down_connections(bool force);
    void wait_until_drained(std::chrono::steady_clock::time_point deadline);
    void close_responses();

private:
    mutable std::mutex mutex_;
    std::condition_variable drained_;
    std::unordered_map<const Connection*, std::weak_ptr<Connection>>
        connections_;                    // GUARDED_BY(mutex_)
    bool responses_closed_ = false;      // GUARDED_BY(mutex_)
    std::atomic<bool> stopping_{false};  // written under mutex_, read anywhere
    std::atomic<std::size_t> open_{0};   // connections_.size(), readable without the lock
};

}  // namespace parley::net
