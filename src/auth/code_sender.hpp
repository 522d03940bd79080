#pragma once
// CodeSender: how a one-time code reaches the person who asked for it. SignIn depends on this
// interface only; app/ picks the implementation: LogCodeSender in --dev (prints codes and keeps
// a local outbox), WebhookCodeSender in production (an operator's SMS or e-mail gateway).
// Implementations are thread-safe: send() is called from any worker thread, concurrently.

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

#include "common/result.hpp"

namespace parley::auth {

struct CodeDelivery {
    std::string phone;    // E.164; the recipient of a "sign-in" code
    std::string code;     // the secret itself: never logged outside LogCodeSender
    std::string purpose;  // "sign-in" or "work-account"
    std::string email;    // set for "work-account": that code goes to the work e-mail instead
};

class CodeSender {
public:
    virtual ~CodeSender() = default;

    // Blocks until the code is handed over. Fails with ErrorKind::unavailable
    // "code_delivery_failed"; the error's message never contains the code.
    virtual Result<void> send(const CodeDelivery& delivery) = 0;

    // For logs: which sender is in use ("log", "webhook").
    virtual const char* name() const = 0;
};

// Development only: logs each code at info level (the one place a code may be logged) and
// appends it as one JSON object per line — {"phone","code","purpose","email"?,"sent_at"} — to
// an outbox file that tests and the dev portal read. The file is created mode 0600.
class LogCodeSender final : public CodeSender {
public:
    explicit LogCodeSender(std::filesystem::path outbox_file);

    Result<void> send(const CodeDelivery& delivery) override;
    const char* name() const override { return "log"; }

private:
    const std::filesystem::path outbox_file_;
    std::mutex mutex_;  // serializes appends so that lines never interleave
};

struct WebhookSettings {
    std::string url;  // http or https; receives a JSON POST per code
    // For the whole request, connecting included: a slow gateway must not hold a worker long.
    std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

// POSTs {"phone","code","purpose","email"} as application/json; any 2xx answer means
// delivered. Each call uses its own libcurl handle, so calls never wait for each other.
class WebhookCodeSender final : public CodeSender {
public:
    explicit WebhookCodeSender(WebhookSettings settings);

    Result<void> send(const CodeDelivery& delivery) override;
    const char* name() const override { return "webhook"; }

private:
    const WebhookSettings settings_;
};

}  // namespace parley::auth
