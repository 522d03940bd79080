#pragma once
// Helpers for the net/ tests: a libcurl client, a raw socket client for what curl will not
// send, and settings for a server on a free loopback port. Not thread-safe: one per thread.

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_server.hpp"

namespace parley::net::test {

inline ServerSettings local_settings() {
    ServerSettings settings;
    settings.port = 0;
    return settings;
}

// The shape the API uses, so a test can tell the ErrorResponder's body from anything else.
inline Response json_error(int status, std::string_view code, std::string_view message) {
    return Response{status,
                    "application/json",
                    {},
                    fmt::format(R"({{"error":{{"code":"{}","message":"{}"}}}})", code, message)};
}

inline std::string url(std::uint16_t port, std::string_view target, bool tls = false) {
    return fmt::format("{}://127.0.0.1:{}{}", tls ? "https" : "http", port, target);
}

struct CurlReply {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string body;
    std::vector<Header> headers;  // names lower-cased

    std::optional<std::string> header(std::string_view name) const {
        for (const auto& header : headers) {
            if (header.name == name) return header.value;
        }
        return std::nullopt;
    }
};

// One easy handle: consecutive requests reuse its connection (keep-alive).
class CurlClient {
public:
    CurlClient() {
        static const bool initialized = curl_global_init(CURL_GLOBAL_ALL) == CURLE_OK;
        EXPECT_TRUE(initialized);
        curl_ = curl_easy_init();
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);  // self-signed test certificate
        curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &CurlClient::on_body);
        curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &CurlClient::on_header);
    }
    ~CurlClient() { curl_easy_cleanup(curl_); }
    CurlClient(const CurlClient&) = delete;
    CurlClient& operator=(const CurlClient&) = delete;

    CurlReply get(const std::string& url, const std::vector<std::string>& headers = {}) {
        curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
        return perform(url, headers);
    }

    // A HEAD request: the reply's headers, and no body is read.
    CurlReply head(const std::string& url) {
        curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
        CurlReply reply = perform(url, {});
        curl_easy_setopt(curl_, CURLOPT_NOBODY, 0L);
        return reply;
    }

    CurlReply post(const std::string& url, const std::string& body,
                   const std::vector<std::string>& headers = {}) {
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        return perform(url, headers);
    }

private:
    CurlReply perform(const std::string& url, const std::vector<std::string>& headers) {
        CurlReply reply;
        curl_slist* list = nullptr;
        for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
        curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply);
        curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &reply);
        reply.code = curl_easy_perform(curl_);
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply.status);
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
        curl_slist_free_all(list);
        return reply;
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* reply) {
        static_cast<CurlReply*>(reply)->body.append(data, size * count);
        return size * count;
    }

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* out) {
        auto* reply = static_cast<CurlReply*>(out);
        const std::string_view line(data, size * count);
        if (line.starts_with("HTTP/")) reply->headers.clear();  // a new response (after 100)
        const auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            std::string name(line.substr(0, colon));
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ')) value.remove_prefix(1);
            while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) {
                value.remove_suffix(1);
            }
            reply->headers.push_back({std::move(name), std::string(value)});
        }
        return size * count;
    }

    CURL* curl_;
};

// A plain TCP client for malformed and hand-made requests. A failed connect shows as a failed
// send. Reads time out after 10 s so that a server bug fails the test instead of hanging it.
class RawSocket {
public:
    explicit RawSocket(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
    ~RawSocket() { ::close(fd_); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    bool send(std::string_view data) {
        while (!data.empty()) {
            const auto sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (sent <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(sent));
        }
        return true;
    }

    // Everything until the server closes (or the read fails or times out).
    std::string read_all() {
        std::string received;
        while (read_some(received)) {
        }
        return received;
    }

    // Reads until `received` contains `marker`; false if the connection ended first.
    bool read_until(std::string& received, std::string_view marker) {
        while (received.find(marker) == std::string::npos) {
            if (!read_some(received)) return false;
        }
        return true;
    }

private:
    bool read_some(std::string& received) {
        char chunk[4096];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        received.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
};

}  // namespace parley::net::test
