#pragma once
// The publishing half of the NATS reference (parley-load nats-fanout): closed-loop publishers
// over libnats, the same shape as parley-load's HTTP senders — publish one stamped message,
// flush (a PING/PONG round trip: the server has processed it), publish the next. Built only
// when libnats is found (PARLEY_LOAD_HAVE_NATS). Thread-safe; call from one thread at a time.

#include <cstdint>
#include <map>
#include <string>

namespace parley::bench {

struct NatsSendResult {
    std::uint64_t published = 0;                  // flushed publishes
    std::map<std::string, std::uint64_t> errors;  // libnats status text → count
};

// `senders` publishers, one connection and thread each, publish `messages` in total to
// `subject`; each payload starts with stamp_prefix(steady_ns()). Throws std::runtime_error if
// a publisher cannot connect.
NatsSendResult run_nats_senders(const std::string& url, const std::string& subject, int senders,
                                std::int64_t messages, std::size_t message_bytes);

}  // namespace parley::bench
