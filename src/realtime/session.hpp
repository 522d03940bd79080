#pragma once
// Session: one client connected to the stream, as the hub sees it — a bounded send queue in
// front of a transport that writes one frame at a time. Beast-free, so the hub's rules (what is
// queued, when a slow client is dropped) are unit-tested with fake transports. Thread-safe.
//
// The queue is bounded in frames and bytes. A frame that would exceed either bound closes the
// session with 1013 (try again later) and drops what was queued: the client reconnects and
// catches up by cursor, the server never holds unbounded memory for it. A frame leaves the
// queue only when its write completed; there is never more than one write in flight.
//
// Above the high watermark a session is "backed up": the hub's resume, which can produce many
// frames at once, waits for it to fall under the low watermark (≈ half) before going on.
//
// A client may ask for coalescing (GET /api/v1/stream?batch=1): when several frames are queued
// behind a write, the next write carries them all as one {"type":"batch","events":[…]} frame —
// one WebSocket message and one system call instead of one each.
//
// Counters for /metrics live in StreamStats, shared by every session of a server.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace parley::realtime {

// Serialized once per event, shared by every recipient.
using Frame = std::shared_ptr<const std::string>;

// WebSocket close codes we use (RFC 6455 §7.4.1).
inline constexpr std::uint16_t kCloseGoingAway = 1001;
inline constexpr std::uint16_t kClosePolicy = 1008;
inline constexpr std::uint16_t kCloseTooBig = 1009;
inline constexpr std::uint16_t kCloseTryAgainLater = 1013;

// A batch frame stays under this many bytes (a single larger frame still goes out alone).
inline constexpr std::size_t kMaxBatchBytes = 64 << 10;

struct QueueLimits {
    std::size_t max_frames = 4096;
    std::size_t max_bytes = 8 << 20;
    std::size_t high_watermark_bytes = 4 << 20;
    std::size_t low_watermark_bytes = 2 << 20;

    // The high watermark at half the bytes, the low one at a quarter (Envoy's ≈ half rule).
    static QueueLimits for_bytes(std::size_t max_frames, std::size_t max_bytes);
};

// What every session of a server did, for /metrics. Relaxed atomics: counts, not a log.
struct StreamStats {
    std::atomic<std::uint64_t> frames_sent{0};   // events, whether alone or in a batch
    std::atomic<std::uint64_t> batches_sent{0};  // writes that carried several
    std::atomic<std::uint64_t> bytes_sent{0};
    std::atomic<std::uint64_t> closed_slow{0};      // 1013: the queue overflowed
    std::atomic<std::uint64_t> closed_flooding{0};  // 1008: too many frames from the client
    std::atomic<std::uint64_t> closed_too_big{0};   // 1009: a frame over the limit
    std::atomic<std::uint64_t> frames_received{0};
    std::atomic<std::uint64_t> frames_refused{0};  // over the client's rate, not processed
};

class Session {
public:
    // `signed_in_session` is the sign-in session whose token opened the stream; `stats`, if
    // not null, must outlive the session.
    Session(core::Id id, core::Id user_id, core::Id signed_in_session, QueueLimits limits,
            StreamStats* stats = nullptr);
    virtual ~Session() = default;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const core::Id& id() const { return id_; }
    const core::Id& user_id() const { return user_id_; }
    const core::Id& signed_in_session() const { return signed_in_session_; }

    // Queues a frame; starts its write if none is in flight. False if the session is closed or
    // the frame did not fit (the session is then closed with 1013).
    bool send(Frame frame);
    // Drops what is queued (the frame being written finishes) and closes with `code`. Later
    // calls are ignored.
    void close(std::uint16_t code, std::string reason);
    // Like close(), but the frames already queued are written first (a last frame saying why,
    // e.g. session.revoked). Frames sent after this are refused.
    void close_when_sent(std::uint16_t code, std::string reason);
    // Whether queued frames may go out together as one batch frame (off by default).
    void set_coalescing(bool on);

    bool closed() const;
    bool backed_up() const;  // above the high watermark, until under the low one
    std::size_t queued_frames() const;
    std::size_t queued_bytes() const;
    // Runs `callback` once (on whatever thread completes a write) when the queue is under the
    // low watermark, or at once if it already is. Not run if the session closes first.
    void when_drained(std::function<void()> callback);

protected:
    // Starts writing `frame`; the implementation calls write_done() exactly once when that
    // write completes. Called with the session's lock held: it must not call back into the
    // session synchronously (post instead).
    virtual void start_write(const Frame& frame) = 0;
    // Starts the close handshake with `code` (after the write in flight, if any). Same rules.
    virtual void start_close(std::uint16_t code, const std::string& reason) = 0;

    // From the transport: the write started by start_write() completed; !ok closes the session.
    void write_done(bool ok);

private:
    void close_locked(std::uint16_t code, std::string reason);
    // Writes the front of the queue — alone, or with the frames behind it as one batch.
    // REQUIRES: mutex_ held, queue_ not empty, no write in flight.
    void start_next_write_locked();

    const core::Id id_;
    const core::Id user_id_;
    const core::Id signed_in_session_;
    const QueueLimits limits_;
    StreamStats* const stats_;
    mutable std::mutex mutex_;
    std::deque<Frame> queue_;    // GUARDED_BY(mutex_); the first in_flight_ are being written
    std::size_t in_flight_ = 0;  // GUARDED_BY(mutex_)
    bool coalesce_ = false;      // GUARDED_BY(mutex_)
    std::size_t bytes_ = 0;      // GUARDED_BY(mutex_)
    bool writing_ = false;       // GUARDED_BY(mutex_)
    bool closed_ = false;        // GUARDED_BY(mutex_)
    bool backed_up_ = false;     // GUARDED_BY(mutex_)
    // Set by close_when_sent(): the close waits for the queue to empty.
    std::optional<std::pair<std::uint16_t, std::string>> close_after_;  // GUARDED_BY(mutex_)
    std::vector<std::function<void()>> drained_;                        // GUARDED_BY(mutex_)
};

}  // namespace parley::realtime
