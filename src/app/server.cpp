#include "app/server.hpp"

#include <filesystem>

#include "auth/code_sender.hpp"
#include "auth/sign_in.hpp"
#include "common/log.hpp"
#include "common/thread_pool.hpp"
#include "crypto/init.hpp"
#include "crypto/key_ring.hpp"
#include "http/api.hpp"
#include "http/errors.hpp"
#include "http/static_files.hpp"
#include "jobs/export_runner.hpp"
#include "jobs/import_runner.hpp"
#include "jobs/periodic_task.hpp"
#include "net/address.hpp"
#include "net/http_server.hpp"
#include "realtime/bus.hpp"
#include "realtime/hub.hpp"
#include "realtime/stream.hpp"
#include "realtime/tickets.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace parley::app {

namespace {

void add_stream_metrics(http::Metrics& metrics, const realtime::Hub& hub,
                        const realtime::InProcessBus& bus, const realtime::StreamStats& stats) {
    metrics.add_gauge("parley_stream_sessions", "Open WebSocket streams.",
                      [&hub] { return static_cast<double>(hub.session_count()); });
    metrics.add_gauge("parley_bus_queue", "Events waiting for live delivery.",
                      [&bus] { return static_cast<double>(bus.queued()); });
    metrics.add_gauge("parley_stream_audiences_cached", "Conversations whose audience is cached.",
                      [&hub] { return static_cast<double>(hub.audiences().size()); });
    const auto counter = [&metrics](std::string name, std::string help, auto read) {
        metrics.add_counter(std::move(name), std::move(help),
                            [read] { return static_cast<double>(read()); });
    };
    counter("parley_bus_overflows_total", "Times live delivery fell too far behind.",
            [&bus] { return bus.overflows(); });
    counter("parley_stream_events_serialized_total", "Events serialized for live delivery.",
            [&hub] { return hub.frames_serialized(); });
    counter("parley_stream_deliveries_total", "Event frames queued to streams.",
            [&hub] { return hub.deliveries(); });
    counter("parley_stream_audience_lookups_total", "Audience reads from the store.",
            [&hub] { return hub.audiences().lookups(); });
    counter("parley_stream_batches_sent_total", "Writes that carried several frames as a batch.",
            [&stats] { return stats.batches_sent.load(std::memory_order_relaxed); });
    counter("parley_stream_frames_sent_total", "Frames written to streams.",
            [&stats] { return stats.frames_sent.load(std::memory_order_relaxed); });
    counter("parley_stream_bytes_sent_total", "Bytes of frames written to streams.",
            [&stats] { return stats.bytes_sent.load(std::memory_order_relaxed); });
    counter("parley_stream_frames_received_total", "Frames received from clients.",
            [&stats] { return stats.frames_received.load(std::memory_order_relaxed); });
    counter("parley_stream_frames_refused_total", "Client frames over the rate, not processed.",
            [&stats] { return stats.frames_refused.load(std::memory_order_relaxed); });
    counter("parley_stream_closed_slow_total", "Streams closed 1013: too slow for their queue.",
            [&stats] { return stats.closed_slow.load(std::memory_order_relaxed); });
    counter("parley_stream_closed_flooding_total", "Streams closed 1008: too many frames.",
            [&stats] { return stats.closed_flooding.load(std::memory_order_relaxed); });
    counter("parley_stream_closed_too_big_total", "Streams closed 1009: a frame over the limit.",
            [&stats] { return stats.closed_too_big.load(std::memory_order_relaxed); });
}

}  // namespace

struct Server::Parts {
    Config config;
    SystemClock clock;
    http::Metrics metrics;  // first: the store reports its latency here until it is gone
    std::optional<crypto::KeyRing> key_ring;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<auth::CodeSender> code_sender;
    std::unique_ptr<auth::SignIn> sign_in;
    std::unique_ptr<service::Access> access;  // before the hub, which reads audiences through it
    std::unique_ptr<realtime::Hub> hub;
    std::optional<realtime::TicketBook> tickets;
    // Before the services, which publish into it; after the hub, which it delivers to.
    realtime::InProcessBus events;
    std::unique_ptr<service::IdentityService> identity;
    std::unique_ptr<service::OrganizationService> organizations;
    std::unique_ptr<service::ConversationService> conversations;
    std::unique_ptr<service::AttachmentService> attachments;  // before messages, which use it
    std::unique_ptr<service::MessageService> messages;
    std::unique_ptr<service::CardService> cards;
    std::unique_ptr<service::ReactionService> reactions;  // after the messages it pages through
    std::unique_ptr<service::ReportService> reports;
    std::unique_ptr<service::ImportService> imports;
    // After the services it applies rows through, so it stops before they go.
    std::unique_ptr<jobs::ImportRunner> import_runner;
    std::unique_ptr<jobs::PeriodicTask> purge_sweep;
    std::unique_ptr<jobs::PeriodicTask> card_sweep;
    std::unique_ptr<jobs::PeriodicTask> attachment_sweep;
    std::unique_ptr<service::ExportService> exports;
    std::unique_ptr<jobs::ExportRunner> export_runner;  // after the service it runs through
    std::unique_ptr<http::Api> api;
    std::unique_ptr<http::StaticFiles> web;  // the web app, for every path the API does not own
    std::unique_ptr<ThreadPool> workers;
    std::unique_ptr<realtime::StreamServer> stream;
    std::unique_ptr<net::HttpServer> http_server;
};

Server::Server(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::create(const Config& config) {
    auto p = std::make_unique<Parts>();
    p->config = config;
    crypto::init();

    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
        return fail(
            ErrorKind::internal, "data_dir",
            "Cannot create the data directory " + config.data_dir.string() + ": " + ec.message());
    }
    std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);

    PARLEY_TRY_ASSIGN(auto ring,
                      crypto::KeyRing::load_or_create(config.master_key_file, config.dev));
    p->key_ring.emplace(std::move(ring));

    store::sqlite::SqliteSettings store_settings;
    store_settings.path = config.data_dir / "parley.db";
    store_settings.readers = config.sqlite_readers;
    store_settings.writer_cache_mib = config.sqlite_writer_cache_mib;
    store_settings.synchronous = config.sqlite_synchronous;
    http::Histogram& store_latency = p->metrics.store_latency();
    store_settings.observe_latency = [&store_latency](double s) { store_latency.observe(s); };
    // Every message the store commits, sent or system, goes live in commit (= seq) order.
    store_settings.message_committed = [&events = p->events](const core::Message& m) {
        events.publish(service::Event{"message.created", m.conversation_id, m.seq, m, {}, {}});
    };
    // Inherited memberships change in every ancestor of a group whose members or links change;
    // the store knows which, so it reports them and the hub's audiences follow.
    store_settings.memberships_inherited = [&events =
                                                p->events](const store::InheritedChange& change) {
        if (!change.removed.empty()) {
            events.publish(service::Event{
                "member.removed", change.conversation_id, 0, std::nullopt, change.removed, {}});
        }
        if (!change.added.empty()) {
            events.publish(service::Event{
                "member.added", change.conversation_id, 0, std::nullopt, change.added, {}});
        }
    };
    PARLEY_TRY_ASSIGN(p->store, store::sqlite::open_sqlite_store(store_settings, *p->key_ring));

    if (config.code_sender == "webhook") {
        p->code_sender = std::make_unique<auth::WebhookCodeSender>(
            auth::WebhookSettings{config.code_webhook_url});
    } else {
        p->code_sender =
            std::make_unique<auth::LogCodeSender>(config.data_dir / "dev-outbox.jsonl");
    }
    auth::SignInSettings sign_in_settings;
    sign_in_settings.per_phone.max_events = config.codes_per_phone;
    sign_in_settings.per_address.max_events = config.codes_per_address;
    p->sign_in = std::make_unique<auth::SignIn>(*p->store, *p->code_sender, p->clock,
                                                p->key_ring->server_secret("sign-in-codes"),
                                                sign_in_settings);

    p->access = std::make_unique<service::Access>(*p->store);
    p->hub = std::make_unique<realtime::Hub>(
        [access = p->access.get()](const core::Id& conversation) -> Result<realtime::Audience> {
            PARLEY_TRY_ASSIGN(auto readers, access->readers(conversation));
            return realtime::Audience{readers.owner.organization_id, std::move(readers.user_ids),
                                      std::move(readers.history_floors),
                                      std::move(readers.sees_all)};
        },
        [events = &p->events] { return events->published(); });
    p->events.subscribe([hub = p->hub.get()](const service::Event& event, std::uint64_t number) {
        hub->deliver(event, number);
    });
    p->events.on_overflow([hub = p->hub.get()] {
        hub->close_all(realtime::kCloseTryAgainLater, "server busy: catch up by cursor");
    });
    p->tickets.emplace(p->clock);

    p->identity = std::make_unique<service::IdentityService>(*p->store, *p->sign_in, p->events,
                                                             p->clock, config.default_region);
    p->organizations =
        std::make_unique<service::OrganizationService>(*p->store, *p->access, p->events, p->clock);
    p->conversations = std::make_unique<service::ConversationService>(
        *p->store, *p->access, p->events, p->clock, config.default_region);
    // Uploads land here while they arrive; one left by a crash is never wanted again.
    const auto uploads = config.data_dir / "uploads";
    std::filesystem::remove_all(uploads, ec);
    std::filesystem::create_directories(uploads, ec);
    if (ec) {
        return fail(ErrorKind::internal, "data_dir",
                    "Cannot create " + uploads.string() + ": " + ec.message());
    }
    p->attachments = std::make_unique<service::AttachmentService>(
        *p->store, *p->access, p->clock, service::AttachmentSettings{config.data_dir / "blobs"});
    p->messages = std::make_unique<service::MessageService>(*p->store, *p->access, p->events,
                                                            p->clock, p->attachments.get());
    p->cards = std::make_unique<service::CardService>(*p->store, *p->access, p->events, p->clock,
                                                      p->attachments.get());
    p->attachments->set_responses_visible(
        [cards = p->cards.get()](const service::Caller& caller, const core::Id& card_id) {
            return cards->responses_visible(caller, card_id);
        });
    // Cards past their due time are stored as expired and announced (card.updated); reads do
    // not wait for it (Card::state_at).
    p->card_sweep = std::make_unique<jobs::PeriodicTask>(
        "card-sweep", std::chrono::seconds(config.card_sweep_seconds), [cards = p->cards.get()] {
            auto expired = cards->expire_due();
            if (!expired) {
                spdlog::error("card sweep failed: {} ({})", expired.error().code,
                              expired.error().message);
            } else if (*expired > 0) {
                spdlog::info("card sweep: {} card(s) expired", *expired);
            }
        });
    p->attachment_sweep = std::make_unique<jobs::PeriodicTask>(
        "attachment-sweep", std::chrono::seconds(config.attachment_sweep_seconds),
        [attachments = p->attachments.get(),
         ttl = std::chrono::seconds(config.unsent_attachment_ttl_seconds)] {
            auto swept = attachments->sweep(ttl);
            if (!swept) {
                spdlog::error("attachment sweep failed: {} ({})", swept.error().code,
                              swept.error().message);
            } else if (swept->attachments > 0 || swept->blobs > 0) {
                spdlog::info("attachment sweep: {} attachment(s) and {} file(s) removed",
                             swept->attachments, swept->blobs);
            }
        });
    p->reactions = std::make_unique<service::ReactionService>(*p->store, *p->access, *p->messages,
                                                              p->events, p->clock);
    p->reports = std::make_unique<service::ReportService>(*p->store, *p->access, p->clock);

    service::ImportSettings import_settings;
    import_settings.directory = config.data_dir / "imports";
    p->imports = std::make_unique<service::ImportService>(*p->store, *p->access, p->events,
                                                          p->clock, import_settings);
    PARLEY_TRY_ASSIGN(auto interrupted, p->imports->recover());
    if (interrupted > 0) {
        spdlog::warn("{} import job(s) cut off by the last stop were marked failed", interrupted);
    }
    p->import_runner = std::make_unique<jobs::ImportRunner>(*p->imports);
    p->imports->set_queue(p->import_runner.get());
    // Removals past the restore window become final even in organizations no one looks at.
    p->purge_sweep = std::make_unique<jobs::PeriodicTask>(
        "purge-sweep", std::chrono::hours(1), [organizations = p->organizations.get()] {
            auto purged = organizations->purge_expired_removals();
            if (!purged) {
                spdlog::error("purge sweep failed: {} ({})", purged.error().code,
                              purged.error().message);
            } else if (*purged > 0) {
                spdlog::info("purge sweep: {} removal(s) past the restore window made final",
                             *purged);
            }
        });

    service::ExportSettings export_settings;
    export_settings.directory = config.data_dir / "exports";
    p->exports =
        std::make_unique<service::ExportService>(*p->store, *p->access, p->clock, export_settings);
    PARLEY_TRY_ASSIGN(auto cut_off, p->exports->recover());
    if (cut_off > 0) {
        spdlog::warn("{} export job(s) cut off by the last stop were marked failed", cut_off);
    }
    p->export_runner = std::make_unique<jobs::ExportRunner>(*p->exports);
    p->exports->set_queue(p->export_runner.get());

    if (!config.init_org.empty()) {
        PARLEY_TRY_ASSIGN(auto org, p->organizations->bootstrap(config.init_org, config.init_region,
                                                                config.init_admin));
        spdlog::info("organization \"{}\" ({}) is ready with admin {}", org.name, org.id,
                     config.init_admin);
    }

    store::Store* store = p->store.get();
    // Requests, and the pieces of downloads, run here: network threads never block.
    p->workers =
        std::make_unique<ThreadPool>(static_cast<std::size_t>(config.worker_threads), "worker");
    p->api = std::make_unique<http::Api>(
        http::Services{*p->identity, *p->organizations, *p->conversations, *p->messages,
                       *p->imports, *p->exports, *p->attachments, *p->cards, *p->reactions,
                       *p->reports},
        p->metrics, [store] { return store->ping(); }, *p->workers);
    p->api->set_stream_ticket_issuer(
        [tickets = &*p->tickets](const service::Caller& caller) { return tickets->issue(caller); });
    return std::unique_ptr<Server>(new Server(std::move(p)));
}

Result<std::uint16_t> Server::start() {
    Parts& p = *parts_;
    PARLEY_TRY_ASSIGN(auto listen, net::parse_listen_address(p.config.listen));
    net::ServerSettings settings;
    settings.address = listen.first;
    settings.port = listen.second;
    settings.io_threads = p.config.io_threads;
    settings.max_body_bytes = p.config.max_body_bytes;
    settings.max_upload_bytes = p.config.max_upload_bytes;
    settings.is_upload = [](std::string_view method, std::string_view path) {
        return method == "POST" && path.starts_with("/api/v1/organizations/") &&
               path.ends_with("/imports");
    };
    // Attachments stream to a file as they arrive: never whole in memory, and a body over the
    // limit is refused (and its partial file deleted) while it is still arriving.
    settings.streams_to_file = [](std::string_view method, std::string_view path) {
        return method == "POST" && path.starts_with("/api/v1/conversations/") &&
               path.ends_with("/attachments");
    };
    settings.max_file_body_bytes = p.config.max_attachment_bytes;
    settings.upload_directory = p.config.data_dir / "uploads";
    settings.file_too_large_code = "attachment_too_large";
    settings.idle_timeout = std::chrono::seconds(p.config.idle_timeout_seconds);
    if (!p.config.tls_certificate.empty()) {
        settings.tls = net::TlsSettings{p.config.tls_certificate, p.config.tls_private_key};
    }
    p.web = std::make_unique<http::StaticFiles>(p.config.web_root);
    if (p.web->available()) {
        spdlog::info("web app: serving {} at /", p.config.web_root.string());
    } else {
        spdlog::warn(
            "web app: no index.html in {} (run scripts/build, or pass --web-root); / answers 404",
            p.config.web_root.string());
    }
    http::Api* api = p.api.get();
    http::StaticFiles* web = p.web.get();
    ThreadPool* workers = p.workers.get();
    auto answer = [api, web](const net::Request& request) {
        return http::is_api_path(request.path) ? api->handle(request) : web->serve(request);
    };
    // Network threads never block: every request runs on the worker pool.
    auto handler = [answer, workers](net::Request&& request, net::Responder respond) {
        auto shared = std::make_shared<net::Request>(std::move(request));
        bool posted = workers->post([answer, shared, respond] {
            net::Response response = answer(*shared);
            shared->body_file.reset();  // an upload's file is gone before the client hears back
            respond(std::move(response));
        });
        if (!posted) {
            respond(http::error_response(503, "shutting_down", "The server is shutting down."));
        }
    };
    realtime::StreamSettings stream_settings;
    for (std::size_t start = 0; start < p.config.web_origins.size();) {
        std::size_t comma = p.config.web_origins.find(',', start);
        if (comma == std::string::npos) comma = p.config.web_origins.size();
        std::string origin = p.config.web_origins.substr(start, comma - start);
        std::erase_if(origin, [](char c) { return c == ' ' || c == '\t'; });
        if (!origin.empty()) stream_settings.web_origins.push_back(std::move(origin));
        start = comma + 1;
    }
    stream_settings.max_frame_bytes = p.config.stream_max_frame_bytes;
    stream_settings.idle_timeout = std::chrono::seconds(p.config.stream_idle_timeout_seconds);
    stream_settings.queue = realtime::QueueLimits::for_bytes(
        static_cast<std::size_t>(p.config.stream_queue_frames), p.config.stream_queue_bytes);
    stream_settings.resume_limit = p.config.stream_resume_limit;
    stream_settings.frame_rate = p.config.stream_frame_rate;
    stream_settings.frame_burst = p.config.stream_frame_burst;
    p.stream = std::make_unique<realtime::StreamServer>(std::move(stream_settings), *p.hub,
                                                        *p.identity, *p.messages, *p.store,
                                                        *p.tickets, *p.workers, p.clock);
    realtime::StreamServer* stream = p.stream.get();
    // Upgrades to anything but the stream are answered like the same request without upgrade.
    settings.upgrade_handler = [answer, workers, stream](net::Request&& request,
                                                         net::UpgradeResponder respond) {
        if (request.path == "/api/v1/stream") {
            return stream->handle_upgrade(std::move(request), std::move(respond));
        }
        auto shared = std::make_shared<net::Request>(std::move(request));
        bool posted = workers->post([answer, shared, respond] { respond({answer(*shared), {}}); });
        if (!posted) {
            respond(
                {http::error_response(503, "shutting_down", "The server is shutting down."), {}});
        }
    };
    p.http_server = std::make_unique<net::HttpServer>(
        settings, handler, [](int status, std::string_view code, std::string_view message) {
            return http::error_response(status, code, message);
        });
    net::HttpServer* server = p.http_server.get();
    p.metrics.add_gauge("parley_open_connections", "Open HTTP connections.",
                        [server] { return static_cast<double>(server->open_connections()); });
    p.metrics.add_gauge("parley_worker_queue", "Requests waiting for a worker.",
                        [workers] { return static_cast<double>(workers->queued()); });
    add_stream_metrics(p.metrics, *p.hub, p.events, p.stream->stats());
    return p.http_server->start();
}

void Server::stop() {
    if (!parts_) return;
    // Stream clients get close 1001 from the HTTP server's stop, like every connection.
    if (parts_->http_server) parts_->http_server->stop();
    if (parts_->import_runner) parts_->import_runner->stop();
    if (parts_->purge_sweep) parts_->purge_sweep->stop();
    if (parts_->card_sweep) parts_->card_sweep->stop();
    if (parts_->attachment_sweep) parts_->attachment_sweep->stop();
    if (parts_->export_runner) parts_->export_runner->stop();
    parts_->events.stop();
    if (parts_->workers) parts_->workers->stop();
}

}  // namespace parley::app
