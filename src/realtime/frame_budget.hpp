#pragma once
// FrameBudget: how many frames one stream client may send — a token bucket of `burst` frames
// refilled at `rate` per second. A frame over budget is refused (not processed) and the client
// told once per episode with an error frame; a client that goes on sending `burst` more while
// refused is flooding and is closed with 1008. An accepted frame ends the episode. Not
// thread-safe: one per connection, used from its strand.

#include <cstdint>

#include "common/clock.hpp"

namespace parley::realtime {

class FrameBudget {
public:
    enum class Verdict {
        accept,   // process the frame
        refuse,   // drop it and send the client one rate_limited error frame
        ignore,   // drop it quietly: the client was already told
        flooding  // close the connection with 1008
    };

    // REQUIRES: rate >= 1, burst >= 1.
    FrameBudget(const Clock& clock, int rate_per_second, int burst);

    Verdict take();

private:
    const Clock& clock_;
    const double rate_per_ms_;
    const double burst_;
    double tokens_;
    TimestampMs refilled_at_;
    int refused_in_a_row_ = 0;
};

}  // namespace parley::realtime
