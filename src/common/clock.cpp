#include "common/clock.hpp"

#include <fmt/format.h>

#include <ctime>

namespace parley {

std::string format_rfc3339(TimestampMs t) {
    std::time_t seconds = static_cast<std::time_t>(t / 1000);
    int millis = static_cast<int>(t % 1000);
    if (millis < 0) {
        millis += 1000;
        seconds -= 1;
    }
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

}  // namespace parley
