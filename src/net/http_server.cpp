#include "net/http_server.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "common/log.hpp"
#include "net/http_session.hpp"
#include "net/server_core.hpp"

namespace parley::net {
namespace {

// After a failed accept (e.g. out of file descriptors) the pending connection is still queued:
// retrying at once would spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

Result<ssl::context> make_tls_context(const TlsSettings& settings) {
    ssl::context context(ssl::context::tls_server);
    context.set_options(ssl::context::default_workarounds | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    // OpenSSL would otherwise prompt on the terminal for the pass phrase of an encrypted key.
    context.set_password_callback(
        [](std::size_t, ssl::context::password_purpose) { return std::string(); });

    beast::error_code ec;
    context.use_certificate_chain_file(settings.certificate_file, ec);
    if (ec) {
        return fail(ErrorKind::invalid, "tls_config",
                    fmt::format("cannot load the TLS certificate chain from {}: {}",
                                settings.certificate_file, ec.message()));
    }
    context.use_private_key_file(settings.private_key_file, ssl::context::pem, ec);
    if (ec) {
        return fail(ErrorKind::invalid, "tls_config",
                    fmt::format("cannot load the TLS private key from {}: {}",
                                settings.private_key_file, ec.message()));
    }
    // Loading a key that does not match the certificate succeeds; every handshake would fail.
    if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
        return fail(ErrorKind::invalid, "tls_config",
                    fmt::format("the TLS private key in {} does not match the certificate in {}",
                                settings.private_key_file, settings.certificate_file));
    }
    return context;
}

bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

}  // namespace

BodyFile::~BodyFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const Header& header : headers) {
        if (iequals(header.name, name)) return header.value;
    }
    return std::nullopt;
}

// ServerCore

ServerCore::ServerCore(ServerSettings settings, Handler handler, ErrorResponder error_responder)
    : settings(std::move(settings)),
      handler(std::move(handler)),
      error_responder(std::move(error_responder)) {}

bool ServerCore::add(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex_);
    if (stopping_.load(std::memory_order_relaxed)) return false;
    connections_.emplace(connection.get(), connection);
    open_.store(connections_.size(), std::memory_order_relaxed);
    return true;
}

void ServerCore::remove(const Connection* connection) {
    std::lock_guard lock(mutex_);
    connections_.erase(connection);
    open_.store(connections_.size(), std::memory_order_relaxed);
    if (connections_.empty()) drained_.notify_all();
}

void ServerCore::begin_stop() {
    std::lock_guard lock(mutex_);
    stopping_.store(true, std::memory_order_release);
}

void ServerCore::shut_down_connections(bool force) {
    std::vector<std::shared_ptr<Connection>> live;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, weak] : connections_) {
            if (auto connection = weak.lock()) live.push_back(std::move(connection));
        }
    }
    // Outside the lock: dropping the last reference runs the destructor, which calls remove().
    for (const auto& connection : live) connection->shut_down(force);
}

void ServerCore::wait_until_drained(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    drained_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

void ServerCore::close_responses() {
    std::lock_guard lock(mutex_);
    responses_closed_ = true;
}

// HttpServer

struct HttpServer::Impl {
    Impl(ServerSettings settings, Handler handler, ErrorResponder error_responder)
        : core(std::make_shared<ServerCore>(std::move(settings), std::move(handler),
                                            std::move(error_responder))),
          acceptor(asio::make_strand(core->io)),
          retry_timer(acceptor.get_executor()) {}

    Result<std::uint16_t> listen();
    void do_accept();
    void on_accept(beast::error_code ec, tcp::socket socket);

    const std::shared_ptr<ServerCore> core;
    tcp::acceptor acceptor;  // used on its strand only
    asio::steady_timer retry_timer;
    // Keeps the io threads running while no I/O is pending, e.g. when every connection waits for
    // its Responder after stop() has closed the acceptor.
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::atomic<std::uint64_t> accepted{0};

    std::mutex lifecycle_mutex;        // serializes start() and stop()
    bool started = false;              // GUARDED_BY(lifecycle_mutex)
    std::vector<std::thread> threads;  // GUARDED_BY(lifecycle_mutex)
};

Result<std::uint16_t> HttpServer::Impl::listen() {
    const ServerSettings& settings = core->settings;
    const auto failed = [&](const beast::error_code& ec) {
        return fail(ErrorKind::unavailable, "listen_failed",
                    fmt::format("cannot listen on {}:{}: {}", settings.address, settings.port,
                                ec.message()));
    };
    beast::error_code ec;
    tcp::resolver resolver(core->io);
    const auto endpoints =
        resolver.resolve(settings.address, std::to_string(settings.port),
                         tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) return failed(ec);
    // A name may resolve to several addresses, some unusable: "localhost" gives ::1 too on a
    // host with IPv6 disabled. The first that works is enough.
    for (const auto& entry : endpoints) {
        acceptor.open(entry.endpoint().protocol(), ec);
        if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor.bind(entry.endpoint(), ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (!ec) {
            const auto port = acceptor.local_endpoint(ec).port();
            if (!ec) return port;
        }
        beast::error_code ignored;
        acceptor.close(ignored);
    }
    return failed(ec);
}

void HttpServer::Impl::do_accept() {
    acceptor.async_accept(
        asio::make_strand(core->io),
        [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;  // closed by stop()
    if (ec) {
        spdlog::warn("net: accept failed: {}", ec.message());
        retry_timer.expires_after(kAcceptRetryDelay);
        retry_timer.async_wait([this](beast::error_code wait_ec) {
            if (!wait_ec && acceptor.is_open()) do_accept();
        });
        return;
    }
    accepted.fetch_add(1, std::memory_order_relaxed);
    start_session(core, std::move(socket));
    do_accept();
}

HttpServer::HttpServer(ServerSettings settings, Handler handler, ErrorResponder error_responder)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(handler),
                                   std::move(error_responder))) {}

HttpServer::~HttpServer() { stop(); }

Result<std::uint16_t> HttpServer::start() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (impl_->started) {
        return fail(ErrorKind::conflict, "already_started", "the server was already started");
    }
    ServerCore& core = *impl_->core;

    if (core.settings.tls) {
        auto context = make_tls_context(*core.settings.tls);
        if (!context) return fail(std::move(context.error()));
        core.tls.emplace(std::move(*context));
    }
    auto port = impl_->listen();
    if (!port) return port;
    impl_->started = true;

    impl_->work.emplace(core.io.get_executor());
    impl_->do_accept();
    const int threads = std::max(1, core.settings.io_threads);
    for (int i = 0; i < threads; ++i) {
        impl_->threads.emplace_back([&core] { core.io.run(); });
        pthread_setname_np(impl_->threads.back().native_handle(), "parley-io");
    }
    spdlog::info("net: listening on {}:{}{}", core.settings.address, *port,
                 core.tls ? " (TLS)" : "");
    return port;
}

void HttpServer::stop() {
    std::lock_guard lock(impl_->lifecycle_mutex);
    if (impl_->threads.empty()) return;  // never started, start() failed, or already stopped
    ServerCore& core = *impl_->core;

    core.begin_stop();
    asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
        beast::error_code ec;
        impl->acceptor.close(ec);
        impl->retry_timer.cancel();
    });
    core.shut_down_connections(false);
    core.wait_until_drained(std::chrono::steady_clock::now() + core.settings.drain_timeout);
    core.close_responses();
    core.shut_down_connections(true);
    // Nothing can start new I/O any more: run() returns once the last closing handlers ran.
    impl_->work.reset();
    for (auto& thread : impl_->threads) thread.join();
    impl_->threads.clear();
}

std::size_t HttpServer::open_connections() const { return impl_->core->open_connections(); }

std::uint64_t HttpServer::connections_accepted() const {
    return impl_->accepted.load(std::memory_order_relaxed);
}

}  // namespace parley::net
