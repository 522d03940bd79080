#include "net/http_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <type_traits>

#include "common/log.hpp"
#include "net/target.hpp"
#include "net/upgrade.hpp"

namespace parley::net {
namespace {

using Message = http::request<http::string_body>;
using Reply = http::response<http::string_body>;
using FileMessage = http::request<http::file_body>;
using StreamedReply = http::response<http::buffer_body>;

// How long a closing connection waits for the client to close its side. Closing a socket with
// unread input makes the kernel send a reset, which can destroy the response (a 413 sent while
// the client is still uploading) before the client has read it.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerChunk = 16 << 10;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string http_date(std::chrono::system_clock::time_point now) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t time = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&time, &tm);
    return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                       kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// Beast 1.74 speaks boost::string_view.
std::string_view std_view(beast::string_view text) { return {text.data(), text.size()}; }

std::string to_lower(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return lower;
}

// Refuses what would let a handler split the response: an empty or non-token name, or a value
// with CR, LF or NUL (e.g. a file name put into Content-Disposition unchecked).
bool is_safe_header(const Header& header) {
    static constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
    const auto is_token_char = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               kTokenPunctuation.find(c) != std::string_view::npos;
    };
    return !header.name.empty() && std::ranges::all_of(header.name, is_token_char) &&
           header.value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

// A name no other upload in this process or a concurrent one uses.
std::string new_upload_name() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    return fmt::format("upload-{:016x}{:016x}.part", random(), random());
}

// Everything but the body and Content-Length.
template <typename Body>
void set_head(http::response<Body>& reply, Response& response, unsigned version, bool keep_alive) {
    reply.version(version);
    reply.result(static_cast<unsigned>(response.status));
    for (const Header& header : response.headers) {
        if (is_safe_header(header)) {
            reply.insert(header.name, header.value);
        } else {
            spdlog::error("net: dropped unsafe response header \"{}\"", header.name);
        }
    }
    reply.set(http::field::server, "parley");
    reply.set(http::field::date, http_date(std::chrono::system_clock::now()));
    reply.set("X-Content-Type-Options", "nosniff");
    reply.set("Referrer-Policy", "no-referrer");
    if (reply.find(http::field::cache_control) == reply.end()) {
        reply.set(http::field::cache_control, "no-store");
    }
    reply.keep_alive(keep_alive);
    if (!response.content_type.empty() && response.status != 204 && response.status != 304) {
        reply.set(http::field::content_type, response.content_type);
    }
}

// A reply to HEAD carries the headers, Content-Length included, of the GET it stands for, and
// no body (RFC 9110 §9.3.2).
Reply to_reply(Response response, unsigned version, bool keep_alive, bool head_request) {
    Reply reply;
    set_head(reply, response, version, keep_alive);
    // 204 and 304 have no body and no Content-Length (RFC 9110 §8.6).
    if (response.status != 204 && response.status != 304) {
        if (head_request) {
            reply.content_length(response.body.size());
        } else {
            reply.body() = std::move(response.body);
            reply.prepare_payload();
        }
    }
    return reply;
}

template <typename Stream>
class HttpSession final : public Connection,
                          public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

    HttpSession(std::shared_ptr<ServerCore> core, tcp::socket socket)
        : core_(std::move(core)),
          remote_address_(remote_address_of(socket)),
          stream_(make_stream(*core_, std::move(socket))),
          strand_(stream_.get_executor()) {}

    ~HttpSession() override {
        close_now();
        discard_upload();
    }

    void run() {
        asio::dispatch(strand_, [self = this->shared_from_this()] { self->on_run(); });
    }

    void shut_down(bool force) override {
        asio::post(strand_, [self = this->shared_from_this(), force] {
            const State state = self->state_;
            if (force || state == State::starting || state == State::reading) self->close_now();
        });
    }

private:
    // handling: the handler has the request and no Responder call has arrived yet.
    // pulling: a streamed response waits for its source's next piece.
    enum class State { starting, reading, handling, writing, pulling, lingering, closed };

    static std::string remote_address_of(const tcp::socket& socket) {
        beast::error_code ec;
        auto address = socket.remote_endpoint(ec).address();
        if (ec) return {};
        // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d.
        if (address.is_v6() && address.to_v6().is_v4_mapped()) {
            address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
        }
        return address.to_string();
    }

    static Stream make_stream(ServerCore& core, tcp::socket socket) {
        if constexpr (kTls) {
            return Stream(std::move(socket), *core.tls);
        } else {
            return Stream(std::move(socket));
        }
    }

    beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

    template <typename Member>
    auto bind(Member member) {
        return beast::bind_front_handler(member, this->shared_from_this());
    }

    void on_run() {
        if (state_ == State::closed) return;
        if constexpr (kTls) {
            tcp().expires_after(core_->settings.idle_timeout);
            stream_.async_handshake(ssl::stream_base::server, bind(&HttpSession::on_handshake));
        } else {
            do_read();
        }
    }

    void on_handshake(beast::error_code ec) {
        if (state_ == State::closed) return;
        if (ec) return close_now();
        do_read();
    }

    void do_read() {
        state_ = State::reading;
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(core_->settings.max_header_bytes));
        // The larger limit until the request line says which applies (on_read_header): Beast
        // checks Content-Length against the limit while it parses the header.
        const auto& settings = core_->settings;
        std::uint64_t limit = settings.max_body_bytes;
        if (settings.is_upload) limit = std::max<std::uint64_t>(limit, settings.max_upload_bytes);
        if (settings.streams_to_file) limit = std::max(limit, settings.max_file_body_bytes);
        parser_->body_limit(limit);
        tcp().expires_after(core_->settings.idle_timeout);
        http::async_read_header(stream_, buffer_, *parser_, bind(&HttpSession::on_read_header));
    }

    // Answers "Expect: 100-continue" (curl sends it for bodies over 1 MiB and then waits a
    // second for it). A body over the limit was already refused by its Content-Length.
    void on_read_header(beast::error_code ec, std::size_t) {
        if (state_ == State::closed) return;
        if (ec) return on_read_error(ec);
        if (parser_->is_done()) return on_read(ec, 0);
        const Message& message = parser_->get();
        if (streams_to_file(message)) return start_file_body();
        if (core_->settings.is_upload || core_->settings.streams_to_file) {
            const std::size_t limit = body_limit_for(message);
            auto length = parser_->content_length();
            if (length && *length > limit) {
                return reply_error(413, "payload_too_large",
                                   fmt::format("The request body is larger than the limit of {} "
                                               "bytes.",
                                               limit));
            }
            parser_->body_limit(limit);  // for chunked bodies, counted as they arrive
        }
        continue_or_read(message);
    }

    template <typename Body>
    void continue_or_read(const http::request<Body>& message) {
        if (message.version() >= 11 &&
            beast::iequals(message[http::field::expect], "100-continue")) {
            return asio::async_write(stream_, asio::buffer(kContinue),
                                     bind(&HttpSession::on_continue));
        }
        read_body();
    }

    bool streams_to_file(const Message& message) const {
        const auto& settings = core_->settings;
        if (!settings.streams_to_file) return false;
        auto target = parse_target(std_view(message.target()));
        return target && settings.streams_to_file(std_view(message.method_string()), target->path);
    }

    // Switches to a parser that writes the body into a new file as it arrives.
    void start_file_body() {
        const auto& settings = core_->settings;
        const std::uint64_t limit = settings.max_file_body_bytes;
        auto length = parser_->content_length();
        if (length && *length > limit) return reply_file_too_large();
        file_parser_.emplace(std::move(*parser_));
        parser_.reset();
        file_parser_->body_limit(limit);
        upload_path_ = settings.upload_directory / new_upload_name();
        beast::error_code ec;
        file_parser_->get().body().open(upload_path_->c_str(), beast::file_mode::write_new, ec);
        if (ec) {
            spdlog::error("net: cannot create upload file {}: {}", upload_path_->string(),
                          ec.message());
            upload_path_.reset();
            return reply_error(500, "internal", "The upload could not be stored.");
        }
        continue_or_read(file_parser_->get());
    }

    void reply_file_too_large() {
        discard_upload();
        reply_error(413, core_->settings.file_too_large_code,
                    fmt::format("The file is larger than the limit of {} bytes.",
                                core_->settings.max_file_body_bytes));
    }

    // Deletes a partly received upload.
    void discard_upload() {
        file_parser_.reset();  // closes the file
        if (!upload_path_) return;
        std::error_code ec;
        std::filesystem::remove(*upload_path_, ec);
        upload_path_.reset();
    }

    void on_read_file(beast::error_code ec, std::size_t) {
        if (state_ == State::closed) return discard_upload();
        if (ec == http::error::body_limit) return reply_file_too_large();
        if (ec) {
            discard_upload();
            return on_read_error(ec);
        }
        if (core_->stopping()) {
            discard_upload();
            return close_now();
        }
        FileMessage message = file_parser_->release();
        file_parser_.reset();
        message.body().close();
        auto request = make_request(message);
        if (!request) {
            discard_upload();
            return reply_error(400, "bad_request",
                               "The request target is not a valid percent-encoded path.");
        }
        std::error_code size_ec;
        const auto size = std::filesystem::file_size(*upload_path_, size_ec);
        request->body_file = std::make_shared<BodyFile>(*upload_path_, size_ec ? 0 : size);
        upload_path_.reset();  // the BodyFile deletes it now
        hand_over(std::move(*request), false);
    }

    std::size_t body_limit_for(const Message& message) const {
        const auto& settings = core_->settings;
        auto target = parse_target(std_view(message.target()));
        if (target && settings.is_upload &&
            settings.is_upload(std_view(message.method_string()), target->path)) {
            return settings.max_upload_bytes;
        }
        return settings.max_body_bytes;
    }

    void on_continue(beast::error_code ec, std::size_t) {
        if (state_ == State::closed) return;
        if (ec) return close_now();
        read_body();
    }

    void read_body() {
        if (file_parser_) {
            return http::async_read(stream_, buffer_, *file_parser_,
                                    bind(&HttpSession::on_read_file));
        }
        http::async_read(stream_, buffer_, *parser_, bind(&HttpSession::on_read));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (state_ == State::closed) return;
        if (ec) return on_read_error(ec);
        if (core_->stopping()) return close_now();
        dispatch(parser_->release());
    }

    void on_read_error(beast::error_code ec) {
        const auto& settings = core_->settings;
        if (ec == http::error::body_limit) {
            // A Content-Length over every limit fails while the header is parsed.
            if (parser_ && streams_to_file(parser_->get())) return reply_file_too_large();
            const std::size_t limit =
                parser_ ? body_limit_for(parser_->get()) : settings.max_body_bytes;
            return reply_error(413, "payload_too_large",
                               fmt::format("The request body is larger than the limit of {} "
                                           "bytes.",
                                           limit));
        }
        if (ec == http::error::header_limit) {
            return reply_error(431, "headers_too_large",
                               fmt::format("The request headers are larger than the limit of "
                                           "{} bytes.",
                                           settings.max_header_bytes));
        }
        // The other parser errors are malformed requests; end_of_stream and partial_message
        // mean the client closed, and the rest are socket errors or the read timeout.
        const bool malformed =
            ec.category() == beast::error_code(http::error::bad_method).category() &&
            ec != http::error::end_of_stream && ec != http::error::partial_message;
        if (malformed) return reply_error(400, "bad_request", "The request is not valid HTTP/1.1.");
        close_now();
    }

    // The request without its body; nullopt if the target is not valid.
    template <typename Body>
    std::optional<Request> make_request(const http::request<Body>& message) {
        auto target = parse_target(std_view(message.target()));
        if (!target) return std::nullopt;
        version_ = message.version();
        keep_alive_ = message.keep_alive();
        head_request_ = message.method() == http::verb::head;

        Request request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        request.path = std::move(target->path);
        request.query = std::move(target->query);
        for (const auto& field : message) {
            request.headers.push_back(
                {to_lower(std_view(field.name_string())), std::string(field.value())});
        }
        request.remote_address = remote_address_;
        request.tls = kTls;
        return request;
    }

    void dispatch(Message message) {
        auto request = make_request(message);
        if (!request) {
            return reply_error(400, "bad_request",
                               "The request target is not a valid percent-encoded path.");
        }
        const bool upgrade =
            core_->settings.upgrade_handler && beast::websocket::is_upgrade(message);
        if (upgrade) upgrade_request_.emplace(message);
        request->body = std::move(message.body());
        hand_over(std::move(*request), upgrade);
    }

    void hand_over(Request request, bool upgrade) {
        state_ = State::handling;
        const std::uint64_t sequence = ++sequence_;
        try {
            if (upgrade) {
                core_->settings.upgrade_handler(
                    std::move(request),
                    [self = this->shared_from_this(), sequence](UpgradeAnswer answer) {
                        self->upgrade_answered(sequence, std::move(answer));
                    });
                return;
            }
            core_->handler(std::move(request),
                           [self = this->shared_from_this(), sequence](Response response) {
                               self->respond(sequence, std::move(response));
                           });
        } catch (const std::exception& e) {
            spdlog::error("net: handler threw: {}", e.what());
            on_response(sequence, core_->error_responder(500, "internal", "Internal error."));
        }
    }

    // Any thread.
    void respond(std::uint64_t sequence, Response response) {
        core_->post_response([&] {
            asio::post(strand_, [self = this->shared_from_this(), sequence,
                                 response = std::move(response)]() mutable {
                self->on_response(sequence, std::move(response));
            });
        });
    }

    // Any thread.
    void upgrade_answered(std::uint64_t sequence, UpgradeAnswer answer) {
        core_->post_response([&] {
            asio::post(strand_, [self = this->shared_from_this(), sequence,
                                 answer = std::move(answer)]() mutable {
                self->on_upgrade_answer(sequence, std::move(answer));
            });
        });
    }

    void on_upgrade_answer(std::uint64_t sequence, UpgradeAnswer answer) {
        if (state_ != State::handling || sequence != sequence_) return;
        if (!answer.accept || core_->stopping()) {
            upgrade_request_.reset();
            if (answer.accept) {
                answer.rejection =
                    core_->error_responder(503, "shutting_down", "The server is shutting down.");
            }
            return on_response(sequence, std::move(answer.rejection));
        }
        auto upgraded = std::make_unique<UpgradedStream>(UpgradedStream{
            core_, std::move(stream_), std::move(*upgrade_request_), std::move(buffer_)});
        upgrade_request_.reset();
        // The stream has moved: this session only unregisters, it never touches it again.
        state_ = State::closed;
        core_->remove(this);
        answer.accept(std::move(upgraded));
    }

    void on_response(std::uint64_t sequence, Response response) {
        if (state_ != State::handling || sequence != sequence_) return;
        if (response.status < 200 || response.status > 599) {
            spdlog::error("net: handler answered with invalid status {}", response.status);
            response = core_->error_responder(500, "internal", "Internal error.");
        }
        write(std::move(response), keep_alive_ && !core_->stopping());
    }

    // After a parse error the stream is in an unknown state: answer and close.
    void reply_error(int status, std::string_view code, std::string_view message) {
        version_ = 11;
        head_request_ = false;
        write(core_->error_responder(status, code, message), false);
    }

    void write(Response response, bool keep_alive) {
        if (response.source && response.status != 204 && response.status != 304) {
            return write_streamed(std::move(response), keep_alive);
        }
        state_ = State::writing;
        reply_ = to_reply(std::move(response), version_, keep_alive, head_request_);
        tcp().expires_after(core_->settings.idle_timeout);
        http::async_write(stream_, reply_, bind(&HttpSession::on_write));
    }

    void on_write(beast::error_code ec, std::size_t) {
        if (state_ == State::closed) return;
        if (ec) return close_now();
        const bool keep_alive = reply_.keep_alive();
        reply_ = {};  // a large body should not stay in memory while the connection idles
        if (!keep_alive || core_->stopping()) return linger();
        do_read();
    }

    // Writes the head, then one piece of the source at a time: a piece is asked for only when
    // the previous one has been written, so at most one is in memory.
    void write_streamed(Response response, bool keep_alive) {
        state_ = State::writing;
        source_ = std::move(response.source);
        remaining_ = source_->size();
        streamed_reply_.emplace();
        set_head(*streamed_reply_, response, version_, keep_alive);
        streamed_reply_->content_length(remaining_);
        streamed_reply_->body().data = nullptr;
        streamed_reply_->body().more = true;
        serializer_.emplace(*streamed_reply_);
        tcp().expires_after(core_->settings.idle_timeout);
        http::async_write_header(stream_, *serializer_, bind(&HttpSession::on_streamed_write));
    }

    void on_streamed_write(beast::error_code ec, std::size_t) {
        if (state_ == State::closed) return;
        if (ec == http::error::need_buffer) ec = {};
        if (ec) return close_now();
        if (serializer_->is_done()) return end_streamed();
        if (remaining_ == 0) return on_piece(std::string());
        state_ = State::pulling;
        source_->pull([self = this->shared_from_this()](std::optional<std::string> piece) {
            asio::post(self->strand_, [self, piece = std::move(piece)]() mutable {
                if (self->state_ != State::pulling) return;  // closed meanwhile
                self->state_ = State::writing;
                self->on_piece(std::move(piece));
            });
        });
    }

    void on_piece(std::optional<std::string> piece) {
        if (!piece || piece->size() > remaining_ || (piece->empty() && remaining_ > 0)) {
            spdlog::error("net: a streamed response body failed or did not match its length");
            return close_now();
        }
        remaining_ -= piece->size();
        piece_ = std::move(*piece);
        auto& body = streamed_reply_->body();
        body.data = piece_.empty() ? nullptr : piece_.data();
        body.size = piece_.size();
        body.more = remaining_ > 0;
        tcp().expires_after(core_->settings.idle_timeout);
        http::async_write(stream_, *serializer_, bind(&HttpSession::on_streamed_write));
    }

    void end_streamed() {
        const bool keep_alive = streamed_reply_->keep_alive();
        serializer_.reset();
        streamed_reply_.reset();
        source_.reset();
        piece_ = {};
        if (!keep_alive || core_->stopping()) return linger();
        do_read();
    }

    // Half-closes and reads until the client closes too, so that our close never resets a
    // connection the client has not finished reading from (see kLingerTimeout). TLS gets no
    // close_notify: every response is delimited by Content-Length, so there is nothing to cut.
    void linger() {
        state_ = State::lingering;
        beast::error_code ec;
        tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
        tcp().expires_after(kLingerTimeout);
        buffer_.consume(buffer_.size());
        stream_.async_read_some(buffer_.prepare(kLingerChunk), bind(&HttpSession::on_linger));
    }

    void on_linger(beast::error_code ec, std::size_t) {
        if (state_ == State::closed) return;
        if (ec) return close_now();
        stream_.async_read_some(buffer_.prepare(kLingerChunk), bind(&HttpSession::on_linger));
    }

    void close_now() {
        if (state_ == State::closed) return;
        state_ = State::closed;
        tcp().close();
        core_->remove(this);
    }

    const std::shared_ptr<ServerCore> core_;  // first: outlives stream_, whose io_context it owns
    const std::string remote_address_;
    Stream stream_;
    const asio::any_io_executor strand_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    // While a body streams to a file: the parser writing it, and the file to delete should the
    // request not complete.
    std::optional<http::request_parser<http::file_body>> file_parser_;
    std::optional<std::filesystem::path> upload_path_;
    Reply reply_;
    // While a streamed response is written: its head, the serializer over it, the source, the
    // piece being written and the bytes still due.
    std::optional<StreamedReply> streamed_reply_;
    std::optional<http::response_serializer<http::buffer_body>> serializer_;
    std::shared_ptr<BodySource> source_;
    std::string piece_;
    std::uint64_t remaining_ = 0;
    std::optional<Message> upgrade_request_;  // while an upgrade request is being answered
    State state_ = State::starting;
    std::uint64_t sequence_ = 0;  // of the request in flight; a Responder carries its own
    unsigned version_ = 11;
    bool head_request_ = false;
    bool keep_alive_ = false;
};

template <typename Stream>
void launch(const std::shared_ptr<ServerCore>& core, tcp::socket socket) {
    auto session = std::make_shared<HttpSession<Stream>>(core, std::move(socket));
    if (core->add(session)) session->run();
}

}  // namespace

void start_session(const std::shared_ptr<ServerCore>& core, tcp::socket socket) {
    if (core->tls) {
        launch<TlsStream>(core, std::move(socket));
    } else {
        launch<beast::tcp_stream>(core, std::move(socket));
    }
}

}  // namespace parley::net
