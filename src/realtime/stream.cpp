#include "realtime/stream.hpp"

#include <algorithm>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cctype>
#include <utility>

#include "common/log.hpp"
#include "crypto/random.hpp"
#include "http/errors.hpp"
#include "net/upgrade.hpp"
#include "realtime/frame_budget.hpp"
#include "service/organization_service.hpp"

namespace parley::realtime {
namespace {

namespace asio = net::asio;
namespace beast = net::beast;
namespace websocket = boost::beast::websocket;
using json = nlohmann::json;

// How long a close handshake may take before the socket is simply closed.
constexpr std::chrono::seconds kCloseTimeout{5};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "https://Example.com:443" → "example.com"; "http://a:8080" → "a:8080"; "" if malformed.
std::string origin_authority(std::string_view origin) {
    const auto scheme_end = origin.find("://");
    if (scheme_end == std::string_view::npos) return {};
    const std::string scheme = lower(origin.substr(0, scheme_end));
    std::string authority = lower(origin.substr(scheme_end + 3));
    if (authority.empty() || authority.find('/') != std::string::npos) return {};
    const std::string default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
    if (!default_port.empty() && authority.ends_with(default_port)) {
        authority.resize(authority.size() - default_port.size());
    }
    return authority;
}

std::string host_authority(std::string_view host, bool tls) {
    std::string authority = lower(host);
    const std::string default_port = tls ? ":443" : ":80";
    if (authority.ends_with(default_port)) authority.resize(authority.size() - default_port.size());
    return authority;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name && eq != std::string_view::npos) {
            return std::string(pair.substr(eq + 1));
        }
    }
    return std::nullopt;
}

std::string_view bearer_token(const net::Request& request) {
    auto header = request.header("authorization");
    if (!header || header->size() <= 7 || lower(header->substr(0, 7)) != "bearer ") return {};
    return header->substr(7);
}

Frame error_frame(std::string_view code, std::string_view message) {
    return make_frame(json{{"type", "error"}, {"code", code}, {"message", message}});
}

}  // namespace

bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed) {
    const std::string authority = origin_authority(origin);
    if (authority.empty()) return false;
    for (const auto& entry : allowed) {
        if (origin_authority(entry) == authority &&
            lower(entry.substr(0, entry.find("://"))) ==
                lower(origin.substr(0, origin.find("://")))) {
            return true;
        }
    }
    const bool tls = lower(origin.substr(0, 6)) == "https:";
    return !host.empty() && host_authority(host, tls) == authority;
}

struct StreamServer::Shared {
    StreamSettings settings;
    StreamStats stats;
    Hub& hub;
    service::IdentityService& identity;
    service::MessageService& messages;
    store::Store& store;
    TicketBook& tickets;
    ThreadPool& workers;
    Clock& clock;

    Shared(StreamSettings settings, Hub& hub, service::IdentityService& identity,
           service::MessageService& messages, store::Store& store, TicketBook& tickets,
           ThreadPool& workers, Clock& clock)
        : settings(std::move(settings)),
          hub(hub),
          identity(identity),
          messages(messages),
          store(store),
          tickets(tickets),
          workers(workers),
          clock(clock) {}
};

namespace {

using Shared = StreamServer::Shared;

// A resume in progress: one conversation at a time, pausing while the session is backed up.
struct Resume {
    service::Caller caller;
    std::unordered_map<core::Id, std::int64_t> cursors;
    std::vector<core::ConversationSummary> conversations;
    std::size_t next = 0;
};

void run_resume(const std::shared_ptr<Shared>& shared, const std::shared_ptr<Session>& session,
                const std::shared_ptr<Resume>& resume) {
    while (resume->next < resume->conversations.size()) {
        if (session->closed()) return;
        if (session->backed_up()) {
            std::weak_ptr<Session> weak = session;
            session->when_drained([shared, weak, resume] {
                auto session = weak.lock();
                if (!session) return;
                shared->workers.post(
                    [shared, session, resume] { run_resume(shared, session, resume); });
            });
            return;
        }
        const core::Conversation& conversation = resume->conversations[resume->next++].conversation;
        auto cursor_it = resume->cursors.find(conversation.id);
        const std::int64_t cursor = cursor_it == resume->cursors.end() ? 0 : cursor_it->second;
        if (conversation.last_seq <= cursor) continue;
        store::MessageRange range;
        range.after = cursor;
        range.limit = shared->settings.resume_limit;
        auto page = shared->messages.history(resume->caller, conversation.id, range);
        if (!page) {
            // No longer readable (e.g. the organization disabled it): nothing to catch up on.
            const ErrorKind kind = page.error().kind;
            if (kind != ErrorKind::forbidden && kind != ErrorKind::not_found) {
                session->send(error_frame("resume_failed", "Could not read " + conversation.id +
                                                               ": " + page.error().message +
                                                               " Page it over HTTP."));
            }
            continue;
        }
        for (const core::Message& m : page->messages) {
            service::Event event{"message.created", conversation.id, m.seq, m, {}, {}};
            if (!session->send(make_frame(event_json(event)))) return;
        }
        if (page->has_more && !page->messages.empty()) {
            session->send(make_frame(json{{"type", "resume.truncated"},
                                          {"conversation_id", conversation.id},
                                          {"from_seq", page->messages.back().seq + 1},
                                          {"last_seq", conversation.last_seq}}));
        }
    }
    session->send(make_frame(json{{"type", "resume.done"}}));
}

template <typename Stream>
class WsSession final : public Session,
                        public net::Connection,
                        public std::enable_shared_from_this<WsSession<Stream>> {
public:
    using http_request = net::http::request<net::http::string_body>;

    WsSession(std::shared_ptr<Shared> shared, std::shared_ptr<net::ServerCore> core,
              Stream&& stream, service::Caller caller)
        : Session(crypto::new_id("wss"), caller.user.id, caller.session_id, shared->settings.queue,
                  &shared->stats),
          budget_(shared->clock, shared->settings.frame_rate, shared->settings.frame_burst),
          shared_(std::move(shared)),
          caller_(std::move(caller)),
          core_(std::move(core)),
          ws_(std::move(stream)),
          strand_(ws_.get_executor()),
          close_timer_(strand_) {}

    ~WsSession() override { close_socket(); }

    void run(http_request request) {
        request_ = std::move(request);
        asio::dispatch(strand_, [self = this->shared_from_this()] { self->on_run(); });
    }

    // net::Connection: the server is stopping.
    void shut_down(bool force) override {
        asio::post(strand_, [self = this->shared_from_this(), force] {
            if (force) return self->finish();
            self->close(kCloseGoingAway, "server stopping");
        });
    }

private:
    template <typename Member>
    auto bind(Member member) {
        return beast::bind_front_handler(member, this->shared_from_this());
    }

    void on_run() {
        beast::get_lowest_layer(ws_).expires_never();  // the websocket's own timeouts rule now
        websocket::stream_base::timeout timeout{};
        timeout.handshake_timeout = std::chrono::seconds(30);
        timeout.idle_timeout = shared_->settings.idle_timeout;
        timeout.keep_alive_pings = true;
        ws_.set_option(timeout);
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
            response.set(net::http::field::server, "parley");
        }));
        ws_.read_message_max(shared_->settings.max_frame_bytes);
        if (!core_->add(this->shared_from_this())) return finish();
        registered_ = true;
        ws_.async_accept(request_, bind(&WsSession::on_accept));
    }

    void on_accept(beast::error_code ec) {
        if (ec) return finish();
        request_ = {};
        // hello first: once in the hub, live events may be queued from the bus's thread. Nothing
        // is missed in between, since a resume reads the store after this.
        send(make_frame(json{{"type", "hello"},
                             {"user_id", user_id()},
                             {"session_id", signed_in_session()},
                             {"stream_id", id()},
                             {"server_time", shared_->clock.now_ms()}}));
        shared_->hub.add(this->shared_from_this());
        in_hub_ = true;
        deliver_pending_wipes();
        do_read();
    }

    // Wipes recorded while this sign-in's device was offline (a removal from an organization)
    // follow the hello as ordinary wipe frames, and are cleared once queued on the accepted
    // stream. Older than the restore window, they are dropped (and purged with the removal).
    void deliver_pending_wipes() {
        std::shared_ptr<Session> self = this->shared_from_this();
        auto shared = shared_;
        shared_->workers.post([shared, self, session_id = caller_.session_id] {
            const TimestampMs since = shared->clock.now_ms() - service::kRestoreWindowMs;
            auto wipes = shared->store.list_pending_wipes(session_id, since);
            if (!wipes || wipes->empty()) return;
            std::vector<core::Id> delivered;
            for (const auto& w : *wipes) {
                service::Event event{"wipe",           "", 0, std::nullopt, {self->user_id()},
                                     w.organization_id};
                if (!self->send(make_frame(event_json(event)))) break;
                delivered.push_back(w.organization_id);
            }
            auto cleared = shared->store.clear_pending_wipes(session_id, delivered);
            if (!cleared) {
                spdlog::warn("stream: pending wipes of {} not cleared: {}", session_id,
                             cleared.error().message);
            }
        });
    }

    void do_read() { ws_.async_read(buffer_, bind(&WsSession::on_read)); }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec) {
            // message_too_big: Beast has already sent close 1009.
            if (ec == websocket::error::message_too_big) {
                shared_->stats.closed_too_big.fetch_add(1, std::memory_order_relaxed);
            }
            return finish_after_close();
        }
        shared_->stats.frames_received.fetch_add(1, std::memory_order_relaxed);
        const bool text = ws_.got_text();
        std::string data = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        if (flooded_) return do_read();  // closing: read on only to see the close handshake
        const FrameBudget::Verdict verdict = budget_.take();
        if (verdict != FrameBudget::Verdict::accept) {
            shared_->stats.frames_refused.fetch_add(1, std::memory_order_relaxed);
        }
        if (verdict == FrameBudget::Verdict::flooding) {
            shared_->stats.closed_flooding.fetch_add(1, std::memory_order_relaxed);
            flooded_ = true;
            // After what is queued, so the client still gets the answers and the rate_limited
            // error that came before.
            close_when_sent(kClosePolicy, "too many frames");
        } else if (verdict == FrameBudget::Verdict::refuse) {
            send(error_frame("rate_limited",
                             "Too many frames: at most " +
                                 std::to_string(shared_->settings.frame_rate) +
                                 " per second. Frames are dropped until you slow down."));
        } else if (verdict == FrameBudget::Verdict::ignore) {
            // Already told; dropped.
        } else if (!text) {
            send(error_frame("bad_frame", "Send JSON text frames."));
        } else {
            handle(data);
        }
        do_read();
    }

    void handle(const std::string& data) {
        json frame = json::parse(data, nullptr, false);
        if (frame.is_discarded() || !frame.is_object() || !frame.contains("type") ||
            !frame["type"].is_string()) {
            send(error_frame("bad_frame", "A frame is a JSON object with a string \"type\"."));
            return;
        }
        const std::string type = frame["type"];
        if (type == "resume") return handle_resume(frame);
        if (type == "ping") {
            send(make_frame(json{{"type", "pong"}}));
            return;
        }
        send(error_frame("unknown_type", "Unknown frame type \"" + type.substr(0, 64) + "\"."));
    }

    void handle_resume(const json& frame) {
        auto resume = std::make_shared<Resume>();
        resume->caller = caller_;
        if (frame.contains("cursors")) {
            const json& cursors = frame["cursors"];
            if (!cursors.is_object()) {
                send(error_frame("bad_cursors", "\"cursors\" maps conversation ids to seqs."));
                return;
            }
            for (const auto& item : cursors.items()) {
                const json& seq = item.value();
                if (!seq.is_number_integer() || seq.template get<std::int64_t>() < 0) {
                    send(error_frame("bad_cursors",
                                     "Each cursor is a non-negative integer sequence number."));
                    return;
                }
                resume->cursors[item.key()] = seq.template get<std::int64_t>();
            }
        }
        auto shared = shared_;
        std::shared_ptr<Session> self = this->shared_from_this();
        const bool posted = shared_->workers.post([shared, self, resume] {
            auto conversations = shared->store.list_conversations(self->user_id());
            if (!conversations) {
                self->send(error_frame("resume_failed", "Could not list your conversations."));
                return;
            }
            resume->conversations = std::move(*conversations);
            run_resume(shared, self, resume);
        });
        if (!posted) send(error_frame("shutting_down", "The server is shutting down."));
    }

    // Session: called with the session lock held, from any thread.
    void start_write(const Frame& frame) override {
        core_->post_response([&] {
            asio::post(strand_, [self = this->shared_from_this(), frame] {
                if (self->finished_) return self->write_done(false);
                self->ws_.text(true);
                self->ws_.async_write(asio::buffer(*frame),
                                      [self, frame](beast::error_code ec, std::size_t) {
                                          self->write_done(!ec);
                                          if (ec) self->finish();
                                      });
            });
        });
    }

    void start_close(std::uint16_t code, const std::string& reason) override {
        core_->post_response([&] {
            asio::post(strand_, [self = this->shared_from_this(), code, reason] {
                self->do_close(code, reason);
            });
        });
    }

    void do_close(std::uint16_t code, const std::string& reason) {
        if (finished_ || closing_) return;
        closing_ = true;
        close_timer_.expires_after(kCloseTimeout);
        close_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (!ec) self->finish();
        });
        websocket::close_reason why(code);
        why.reason = reason;
        ws_.async_close(why, [self = this->shared_from_this()](beast::error_code) {
            // The pending read ends once the client's close frame arrives; until then the
            // close timer bounds the wait.
        });
    }

    // The read failed: normally the close handshake ended (ours or the client's).
    void finish_after_close() { finish(); }

    void finish() {
        if (finished_) return;
        finished_ = true;
        Session::close(kCloseGoingAway, "");  // marks the queue closed; no-op if it was
        if (in_hub_) shared_->hub.remove(*this);
        close_timer_.cancel();
        close_socket();
        if (registered_) core_->remove(this);
        registered_ = false;
    }

    void close_socket() {
        beast::error_code ec;
        beast::get_lowest_layer(ws_).socket().close(ec);
    }

    FrameBudget budget_;  // GUARDED_BY(strand_)
    const std::shared_ptr<Shared> shared_;
    const service::Caller caller_;
    const std::shared_ptr<net::ServerCore> core_;  // before ws_: owns its io_context
    websocket::stream<Stream> ws_;
    const asio::any_io_executor strand_;
    asio::steady_timer close_timer_;
    beast::flat_buffer buffer_;
    http_request request_;
    bool registered_ = false;
    bool in_hub_ = false;
    bool flooded_ = false;  // closed for flooding: later frames are not processed
    bool closing_ = false;
    bool finished_ = false;
};

void launch(const std::shared_ptr<Shared>& shared, std::unique_ptr<net::UpgradedStream> upgraded,
            service::Caller caller, bool coalesce) {
    std::visit(
        [&](auto& stream) {
            using Stream = std::decay_t<decltype(stream)>;
            auto session = std::make_shared<WsSession<Stream>>(
                shared, upgraded->core, std::move(stream), std::move(caller));
            session->set_coalescing(coalesce);
            session->run(std::move(upgraded->request));
        },
        upgraded->stream);
}

}  // namespace

StreamServer::StreamServer(StreamSettings settings, Hub& hub, service::IdentityService& identity,
                           service::MessageService& messages, store::Store& store,
                           TicketBook& tickets, ThreadPool& workers, Clock& clock)
    : shared_(std::make_shared<Shared>(std::move(settings), hub, identity, messages, store, tickets,
                                       workers, clock)) {
    hub.on_wipes_queued(
        [weak = std::weak_ptr(shared_)](const core::Id& org, std::vector<core::Id> sessions) {
            auto shared = weak.lock();
            if (!shared) return;
            shared->workers.post([shared, org, sessions = std::move(sessions)] {
                for (const auto& session_id : sessions) {
                    auto cleared = shared->store.clear_pending_wipes(session_id, {org});
                    if (!cleared) {
                        spdlog::warn("stream: pending wipe of {} not cleared: {}", session_id,
                                     cleared.error().message);
                    }
                }
            });
        });
}

const StreamStats& StreamServer::stats() const { return shared_->stats; }

StreamServer::~StreamServer() = default;

void StreamServer::handle_upgrade(net::Request&& request, net::UpgradeResponder respond) {
    auto origin = request.header("origin");
    if (origin) {
        const auto host = request.header("host").value_or("");
        if (!origin_allowed(*origin, host, shared_->settings.web_origins)) {
            return respond({http::error_response(403, "origin_not_allowed",
                                                 "This origin may not open the stream."),
                            {}});
        }
    }
    auto shared = shared_;
    auto task = [shared, request = std::move(request), respond]() mutable {
        std::optional<service::Caller> caller;
        net::Response rejection;
        const std::string_view token = bearer_token(request);
        if (!token.empty()) {
            auto authenticated = shared->identity.authenticate(token, request.remote_address);
            if (authenticated) {
                caller = std::move(*authenticated);
            } else {
                rejection = http::error_response(authenticated.error());
            }
        } else if (auto ticket = query_param(request.query, "ticket")) {
            caller = shared->tickets.redeem(*ticket);
            if (!caller) {
                rejection = http::error_response(401, "ticket_invalid",
                                                 "The ticket is unknown, used or expired: get a "
                                                 "new one from POST /api/v1/stream/tickets.");
            }
        } else {
            rejection = http::error_response(
                401, "token_missing",
                "Sign in first: send \"Authorization: Bearer <token>\" or ?ticket=.");
        }
        if (!caller) return respond({std::move(rejection), {}});
        const bool coalesce = query_param(request.query, "batch") == "1";
        respond({{},
                 [shared, caller = std::move(*caller),
                  coalesce](std::unique_ptr<net::UpgradedStream> upgraded) mutable {
                     launch(shared, std::move(upgraded), std::move(caller), coalesce);
                 }});
    };
    if (!shared_->workers.post(std::move(task))) {
        respond({http::error_response(503, "shutting_down", "The server is shutting down."), {}});
    }
}

}  // namespace parley::realtime
