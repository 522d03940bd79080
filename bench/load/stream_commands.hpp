#pragma once
// parley-load's real-time scenarios, each a first argument of its own:
//   stream-connections  hold N authenticated WebSocket streams; server RSS per connection
//   stream-fanout       one group of S online members, M messages; deliveries/s and latency
//   stream-rooms        many small groups at fixed send rates, step by step; latency per step
//   nats-fanout         the fan-out shape over nats-server, as a reference
// Latency is from the timestamp a sender puts in the message text to its arrival at each
// receiver (same machine, CLOCK_MONOTONIC). Receivers live in forked worker processes
// (StreamHolders); senders are the HTTP senders of send_load or libnats publishers.

#include <string_view>

namespace parley::bench {

bool is_stream_command(std::string_view name);

// argv[1] is the scenario; parses the rest, runs it, prints the result. Returns the exit code.
int run_stream_command(int argc, char** argv);

}  // namespace parley::bench
