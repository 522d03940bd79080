#include "auth/code_sender.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "common/clock.hpp"
#include "common/log.hpp"

namespace parley::auth {
namespace {

// What the person asking for a code sees, whatever went wrong: the details (paths, HTTP
// statuses, curl errors) go to the log, never to the client.
std::unexpected<Error> delivery_failed() {
    return fail(ErrorKind::unavailable, "code_delivery_failed",
                "The code could not be sent right now; try again in a minute.");
}

// Phones, purposes and e-mails come from clients; replacing invalid UTF-8 keeps dump() from
// throwing on them.
std::string to_json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Writes all of text, retrying short writes and signals.
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// libcurl's global state must be set up once, before any thread creates a handle.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl failed to initialise");
        }
    });
}

// The gateway's answer is not used; without a write callback libcurl would print it to stdout.
std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using CurlHeaders = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

}  // namespace

// ---- LogCodeSender ------------------------------------------------------------------------------

LogCodeSender::LogCodeSender(std::filesystem::path outbox_file)
    : outbox_file_(std::move(outbox_file)) {}

Result<void> LogCodeSender::send(const CodeDelivery& delivery) {
    nlohmann::json line = {
        {"phone", delivery.phone}, {"code", delivery.code}, {"purpose", delivery.purpose}};
    if (!delivery.email.empty()) line["email"] = delivery.email;
    line["sent_at"] = format_rfc3339(SystemClock{}.now_ms());
    const std::string text = to_json_text(line) + "\n";

    if (delivery.email.empty()) {
        spdlog::info("dev code for {} ({}): {}", delivery.phone, delivery.purpose, delivery.code);
    } else {
        spdlog::info("dev code for {} ({}, to {}): {}", delivery.phone, delivery.purpose,
                     delivery.email, delivery.code);
    }

    std::lock_guard lock(mutex_);
    // Opened per call: the outbox may be truncated or deleted by a developer at any time, and
    // this sender only ever runs in --dev, where an open() per code costs nothing.
    const int fd = ::open(outbox_file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        spdlog::error("dev outbox {}: cannot open: {}", outbox_file_.string(),
                      std::strerror(errno));
        return delivery_failed();
    }
    // It holds live codes: tighten a file that was created by hand with a wider mode.
    const bool written = ::fchmod(fd, 0600) == 0 && write_all(fd, text);
    const int write_errno = errno;
    ::close(fd);
    if (!written) {
        spdlog::error("dev outbox {}: cannot write: {}", outbox_file_.string(),
                      std::strerror(write_errno));
        return delivery_failed();
    }
    return ok();
}

// ---- WebhookCodeSender --------------------------------------------------------------------------

WebhookCodeSender::WebhookCodeSender(WebhookSettings settings) : settings_(std::move(settings)) {
    const std::string_view url = settings_.url;
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
        throw std::invalid_argument("the code webhook URL must start with http:// or https://");
    }
    if (settings_.timeout.count() <= 0) {
        throw std::invalid_argument("the code webhook timeout must be positive");
    }
    init_curl_once();
}

Result<void> WebhookCodeSender::send(const CodeDelivery& delivery) {
    const std::string body = to_json_text({{"phone", delivery.phone},
                                           {"code", delivery.code},
                                           {"purpose", delivery.purpose},
                                           {"email", delivery.email}});

    CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
    CurlHeaders headers(curl_slist_append(nullptr, "Content-Type: application/json"),
                        &curl_slist_free_all);
    if (!curl || !headers) {
        spdlog::error("code webhook: cannot create a libcurl handle");
        return delivery_failed();
    }
    CURL* h = curl.get();
    const long timeout_ms = static_cast<long>(settings_.timeout.count());
    curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
    // Worker threads must not receive SIGALRM from the resolver's timeout.
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    // The body carries a live code: it may go to an HTTP(S) gateway and nowhere else, and a
    // redirect is not followed (the default) so the code cannot be bounced to another host.
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "parley");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &discard_body);

    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        // The URL is not logged: gateways often carry their credential in it.
        spdlog::warn("code webhook: {} code for {} not delivered: {}", delivery.purpose,
                     delivery.phone, curl_easy_strerror(rc));
        return delivery_failed();
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        spdlog::warn("code webhook: {} code for {} not delivered: the gateway answered HTTP {}",
                     delivery.purpose, delivery.phone, status);
        return delivery_failed();
    }
    return ok();
}

}  // namespace parley::auth
