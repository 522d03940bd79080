#pragma once
// StreamServer: GET /api/v1/stream — the WebSocket through which a signed-in client receives
// its conversations' events live, and catches up by cursor after a reconnect.
//
// Protocol (docs/openapi.yaml, "stream"): the server's first frame is
// {"type":"hello","user_id","session_id" (the sign-in session),"stream_id","server_time"}; the
// client may send
// {"type":"resume","cursors":{"<conversation id>":<seq>,…}} and gets, for every conversation it
// is a member of whose last_seq is past its cursor (0 when not listed), the missed
// message.created events, read as GET …/messages would (same access rules; at most
// resume_limit per conversation, then a resume.truncated frame
// telling it to page over HTTP), then {"type":"resume.done"}. Bad frames get
// {"type":"error","code","message"}; frames over max_frame_bytes close with 1009; a client
// sending faster than frame_rate (FrameBudget) gets one "rate_limited" error, its extra frames
// are dropped, and it is closed with 1008 if it keeps on; a client too slow for its queue is
// closed with 1013; the server stopping closes with 1001. With ?batch=1, frames queued behind
// a write go out together as {"type":"batch","events":[…]} (Session).
//
// Beast-free header; the WebSocket sessions live in stream.cpp. Thread-safe.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/thread_pool.hpp"
#include "net/http_server.hpp"
#include "realtime/hub.hpp"
#include "realtime/session.hpp"
#include "realtime/tickets.hpp"
#include "service/identity_service.hpp"
#include "service/message_service.hpp"
#include "store/store.hpp"

namespace parley::realtime {

struct StreamSettings {
    // Origins allowed besides the server's own, e.g. "https://chat.example.com".
    std::vector<std::string> web_origins;
    std::size_t max_frame_bytes = 64 << 10;
    QueueLimits queue;
    std::chrono::seconds idle_timeout{60};  // a ping is sent halfway through
    int resume_limit = 200;                 // messages per conversation in one resume
    int frame_rate = 20;                    // frames per second a client may send, on average
    int frame_burst = 60;                   // … and at once
};

class StreamServer {
public:
    // The references must outlive the server and every stream session; `workers` runs the
    // blocking work (authentication, resume).
    StreamServer(StreamSettings settings, Hub& hub, service::IdentityService& identity,
                 service::MessageService& messages, store::Store& store, TicketBook& tickets,
                 ThreadPool& workers, Clock& clock);
    ~StreamServer();

    // The UpgradeHandler for GET /api/v1/stream (see net::ServerSettings::upgrade_handler).
    void handle_upgrade(net::Request&& request, net::UpgradeResponder respond);

    const StreamStats& stats() const;

    struct Shared;  // what stream sessions use; stream.cpp

private:
    std::shared_ptr<Shared> shared_;
};

// Whether a browser page from `origin` may open the stream of a server reached as `host`.
// Exposed for tests.
bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed);

}  // namespace parley::realtime
