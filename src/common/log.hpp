#pragma once
// Logging goes through spdlog's default logger. Rule: never log a secret (tokens, codes in
// production, keys, passwords); log ids and hashes instead. The one exception is the dev
// CodeSender, which exists to show codes and is refused outside --dev.

#include <spdlog/spdlog.h>

namespace parley::log {

// Sets the level from "trace" … "off"; unknown names leave it at info.
void init(const std::string& level);

}  // namespace parley::log
