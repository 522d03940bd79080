#include "realtime/frame_budget.hpp"

#include <algorithm>

namespace parley::realtime {

FrameBudget::FrameBudget(const Clock& clock, int rate_per_second, int burst)
    : clock_(clock),
      rate_per_ms_(static_cast<double>(rate_per_second) / 1000.0),
      burst_(static_cast<double>(burst)),
      tokens_(static_cast<double>(burst)),
      refilled_at_(clock.now_ms()) {}

FrameBudget::Verdict FrameBudget::take() {
    const TimestampMs now = clock_.now_ms();
    if (now > refilled_at_) {
        tokens_ =
            std::min(burst_, tokens_ + static_cast<double>(now - refilled_at_) * rate_per_ms_);
        refilled_at_ = now;
    }
    if (tokens_ >= 1.0) {
        tokens_ -= 1.0;
        refused_in_a_row_ = 0;
        return Verdict::accept;
    }
    ++refused_in_a_row_;
    if (refused_in_a_row_ == 1) return Verdict::refuse;
    if (refused_in_a_row_ > burst_) return Verdict::flooding;
    return Verdict::ignore;
}

}  // namespace parley::realtime
