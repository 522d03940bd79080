#include "auth/code_sender.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fakes/temp_dir.hpp"

namespace parley::auth {
namespace {

using nlohmann::json;

std::vector<json> read_json_lines(const std::filesystem::path& file) {
    std::vector<json> lines;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) lines.push_back(json::parse(line));  // throws if not JSON
    return lines;
}

// --- LogCodeSender ------------------------------------------------------------------------------

TEST(LogCodeSender, AppendsOneJsonLinePerCodeToAnOwnerOnlyFile) {
    testing::TempDir dir;
    const auto outbox = dir.path() / "dev-outbox.jsonl";
    LogCodeSender sender(outbox);
    EXPECT_STREQ(sender.name(), "log");

    ASSERT_TRUE(sender.send({"+6591234567", "042917", "sign-in", ""}));
    ASSERT_TRUE(sender.send({"+6591234567", "777001", "work-account", "ana@example.com"}));

    struct stat status {};
    ASSERT_EQ(::stat(outbox.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0600u);

    const auto lines = read_json_lines(outbox);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["phone"], "+6591234567");
    EXPECT_EQ(lines[0]["code"], "042917");
    EXPECT_EQ(lines[0]["purpose"], "sign-in");
    EXPECT_FALSE(lines[0].contains("email"));
    ASSERT_TRUE(lines[0]["sent_at"].is_string());
    EXPECT_EQ(lines[0]["sent_at"].get<std::string>().back(), 'Z');
    EXPECT_EQ(lines[1]["code"], "777001");
    EXPECT_EQ(lines[1]["purpose"], "work-account");
    EXPECT_EQ(lines[1]["email"], "ana@example.com");
}

TEST(LogCodeSender, TightensAnOutboxCreatedWithAWiderMode) {
    testing::TempDir dir;
    const auto outbox = dir.path() / "dev-outbox.jsonl";
    std::ofstream(outbox) << "";
    std::filesystem::permissions(outbox, std::filesystem::perms::all);
    ASSERT_TRUE(LogCodeSender(outbox).send({"+6591234567", "123456", "sign-in", ""}));
    struct stat status {};
    ASSERT_EQ(::stat(outbox.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0600u);
}

TEST(LogCodeSender, ConcurrentSendsWriteWholeLines) {
    testing::TempDir dir;
    const auto outbox = dir.path() / "dev-outbox.jsonl";
    LogCodeSender sender(outbox);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i)
                ASSERT_TRUE(sender.send({"+6591234567", "123456", "sign-in", ""}));
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(read_json_lines(outbox).size(), 100u);
}

TEST(LogCodeSender, AnUnwritableOutboxIsADeliveryFailure) {
    testing::TempDir dir;
    LogCodeSender sender(dir.path() / "missing-dir" / "dev-outbox.jsonl");
    const auto sent = sender.send({"+6591234567", "123456", "sign-in", ""});
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(sent.error().code, "code_delivery_failed");
    EXPECT_EQ(sent.error().message.find("123456"), std::string::npos);
}

// --- WebhookCodeSender --------------------------------------------------------------------------

// A one-request HTTP server on 127.0.0.1:<ephemeral>: accepts one connection, reads one request,
// records its body and answers with the given status.
class OneShotHttpServer {
public:
    explicit OneShotHttpServer(int status) : status_(status) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener_ < 0) throw std::runtime_error("socket failed");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        socklen_t length = sizeof(address);
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
            ::listen(listener_, 1) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            throw std::runtime_error("bind/listen failed");
        }
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve_one(); });
    }

    ~OneShotHttpServer() {
        ::shutdown(listener_, SHUT_RDWR);  // wakes accept() if no request ever came
        thread_.join();
        ::close(listener_);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/codes"; }

    // Waits for the request to be handled (or abandoned), then returns what was received.
    std::string request() { return received_.get(); }

    std::string body() {
        const std::string r = request();
        const auto end_of_head = r.find("\r\n\r\n");
        return end_of_head == std::string::npos ? "" : r.substr(end_of_head + 4);
    }

private:
    void serve_one() { received_promise_.set_value(receive_and_answer()); }

    std::string receive_and_answer() {
        pollfd waiting{listener_, POLLIN, 0};
        if (::poll(&waiting, 1, 30'000) != 1) return "";  // a safety net, never a test verdict
        const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return "";
        std::string received;
        std::size_t expected_size = std::string::npos;
        char buffer[4096];
        while (expected_size == std::string::npos || received.size() < expected_size) {
            const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
            if (n <= 0) break;
            received.append(buffer, static_cast<std::size_t>(n));
            const auto end_of_head = received.find("\r\n\r\n");
            if (expected_size == std::string::npos && end_of_head != std::string::npos) {
                expected_size = end_of_head + 4 + content_length(received.substr(0, end_of_head));
            }
        }
        const std::string response = "HTTP/1.1 " + std::to_string(status_) +
                                     " Status\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        (void)!::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
        ::close(fd);
        return received;
    }

    static std::size_t content_length(const std::string& head) {
        std::string lower = head;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = lower.find("content-length:");
        if (at == std::string::npos) return 0;
        return std::strtoul(lower.c_str() + at + 15, nullptr, 10);
    }

    const int status_;
    int listener_ = -1;
    int port_ = 0;
    std::promise<std::string> received_promise_;
    std::shared_future<std::string> received_ = received_promise_.get_future().share();
    std::thread thread_;
};

// A loopback port with nothing listening on it.
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

void expect_delivery_failed(const Result<void>& sent, const std::string& code) {
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(sent.error().code, "code_delivery_failed");
    EXPECT_EQ(sent.error().message.find(code), std::string::npos);
}

TEST(WebhookCodeSender, PostsTheCodeAsJson) {
    OneShotHttpServer server(200);
    WebhookCodeSender sender(WebhookSettings{server.url(), std::chrono::seconds(30)});
    EXPECT_STREQ(sender.name(), "webhook");
    ASSERT_TRUE(sender.send({"+6591234567", "042917", "work-account", "ana@example.com"}));

    const std::string request = server.request();
    EXPECT_EQ(request.rfind("POST /codes HTTP/1.1\r\n", 0), 0u) << request;
    EXPECT_NE(request.find("Content-Type: application/json"), std::string::npos);
    const auto body = server.body();
    const auto posted = json::parse(body);
    EXPECT_EQ(posted, (json{{"phone", "+6591234567"},
                            {"code", "042917"},
                            {"purpose", "work-account"},
                            {"email", "ana@example.com"}}));
}

TEST(WebhookCodeSender, ANon2xxAnswerIsADeliveryFailure) {
    OneShotHttpServer server(500);
    WebhookCodeSender sender(WebhookSettings{server.url(), std::chrono::seconds(30)});
    expect_delivery_failed(sender.send({"+6591234567", "042917", "sign-in", ""}), "042917");
    EXPECT_EQ(json::parse(server.body())["code"], "042917");  // it did reach the gateway
}

TEST(WebhookCodeSender, AnUnreachableGatewayIsADeliveryFailure) {
    const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/codes";
    WebhookCodeSender sender(WebhookSettings{url, std::chrono::seconds(30)});
    expect_delivery_failed(sender.send({"+6591234567", "042917", "sign-in", ""}), "042917");
}

TEST(WebhookCodeSender, RefusesAUrlThatIsNotHttp) {
    EXPECT_THROW(WebhookCodeSender(WebhookSettings{"file:///etc/passwd"}), std::invalid_argument);
    EXPECT_THROW(WebhookCodeSender(WebhookSettings{""}), std::invalid_argument);
}

}  // namespace
}  // namespace parley::auth
