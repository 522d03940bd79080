#pragma once
// Clock: the one source of "now" for everything that expires (codes, sessions, invites,
// rate limits). Tests inject ManualClock. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley {

// Milliseconds since the Unix epoch, UTC. The unit every stored timestamp uses.
using TimestampMs = std::int64_t;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimestampMs now_ms() const = 0;
};

class SystemClock final : public Clock {
public:
    TimestampMs now_ms() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(TimestampMs start = 1'700'000'000'000) : now_(start) {}
    TimestampMs now_ms() const override { return now_.load(); }
    void advance_ms(std::int64_t ms) { now_ += ms; }
    void set_ms(TimestampMs t) { now_ = t; }

private:
    std::atomic<TimestampMs> now_;
};

// RFC 3339 in UTC with milliseconds: "2026-11-25T08:30:00.123Z".
std::string format_rfc3339(TimestampMs t);
// The inverse, for times clients send: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", nothing
// else (no spaces, no missing seconds). nullopt for anything that is not such a time.
std::optional<TimestampMs> parse_rfc3339(std::string_view text);

}  // namespace parley
