#include "net/http_server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <regex>
#include <thread>

#include "common/thread_pool.hpp"
#include "test_support.hpp"

namespace parley::net {
namespace {

using test::CurlClient;
using test::json_error;
using test::local_settings;
using test::RawSocket;
using test::url;

Response text(std::string body) { return Response{200, "text/plain", {}, std::move(body)}; }

// Answers every request with its body, at once, on the io thread.
Handler echo() {
    return [](Request&& request, Responder respond) { respond(text(std::move(request.body))); };
}

// A started server; fails the test if it cannot start.
struct Started {
    explicit Started(ServerSettings settings, Handler handler = echo())
        : server(std::move(settings), std::move(handler), json_error) {
        auto started = server.start();
        EXPECT_TRUE(started) << started.error().message;
        port = started.value_or(0);
    }
    HttpServer server;
    std::uint16_t port = 0;
};

TEST(HttpServer, PassesMethodPathQueryAndHeadersToTheHandler) {
    std::mutex mutex;
    Request seen;
    Started s(local_settings(), [&](Request&& request, Responder respond) {
        std::lock_guard lock(mutex);
        seen = std::move(request);
        respond(Response{200, "application/json", {}, R"({"ok":true})"});
    });

    CurlClient client;
    const auto reply =
        client.get(url(s.port, "/api/v1/a%20b/%C3%BC?x=1&y=%20z"), {"X-Custom-Thing: Yes"});

    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, R"({"ok":true})");
    std::lock_guard lock(mutex);
    EXPECT_EQ(seen.method, "GET");
    EXPECT_EQ(seen.target, "/api/v1/a%20b/%C3%BC?x=1&y=%20z");
    EXPECT_EQ(seen.path, "/api/v1/a b/\xC3\xBC");
    EXPECT_EQ(seen.query, "x=1&y=%20z");
    EXPECT_EQ(seen.header("X-CUSTOM-THING"), "Yes");
    EXPECT_EQ(seen.header("x-missing"), std::nullopt);
    EXPECT_TRUE(
        std::ranges::any_of(seen.headers, [](const Header& h) { return h.name == "host"; }));
    EXPECT_EQ(seen.remote_address, "127.0.0.1");
    EXPECT_FALSE(seen.tls);
}

TEST(HttpServer, AddsStandardAndSecurityHeaders) {
    Started s(local_settings());
    CurlClient client;
    const auto reply = client.get(url(s.port, "/"));

    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.header("server"), "parley");
    EXPECT_EQ(reply.header("content-type"), "text/plain");
    EXPECT_EQ(reply.header("content-length"), "0");
    EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(reply.header("referrer-policy"), "no-referrer");
    EXPECT_EQ(reply.header("cache-control"), "no-store");
    const std::regex http_date(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)");
    EXPECT_TRUE(std::regex_match(reply.header("date").value_or(""), http_date));
}

TEST(HttpServer, HeadGetsTheHeadersOfGetWithoutTheBody) {
    Started s(local_settings(), [](Request&& request, Responder respond) {
        respond(Response{200, "text/plain", {}, request.method == "HEAD" ? "hello world" : "hi"});
    });
    CurlClient client;
    const auto head = client.head(url(s.port, "/"));
    ASSERT_EQ(head.code, CURLE_OK);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-length"), "11");
    EXPECT_EQ(head.body, "");
    // The same keep-alive connection carries on: no stray body bytes were sent after the HEAD.
    const auto get = client.get(url(s.port, "/"));
    ASSERT_EQ(get.code, CURLE_OK);
    EXPECT_EQ(get.body, "hi");
}

TEST(HttpServer, EchoesPostBodyAndSendsHandlerHeaders) {
    Started s(local_settings(), [](Request&& request, Responder respond) {
        respond(Response{201,
                         "application/octet-stream",
                         {{"Cache-Control", "private, max-age=60"},
                          {"Content-Disposition", "attachment; filename=\"a.bin\""},
                          {"Set-Cookie", "a=1"},
                          {"Set-Cookie", "b=2"}},
                         std::move(request.body)});
    });
    CurlClient client;
    const std::string body("binary\0body\xff", 12);
    const auto reply = client.post(url(s.port, "/upload"), body);

    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.status, 201);
    EXPECT_EQ(reply.body, body);
    EXPECT_EQ(reply.header("content-type"), "application/octet-stream");
    EXPECT_EQ(reply.header("cache-control"), "private, max-age=60");
    EXPECT_EQ(reply.header("content-disposition"), "attachment; filename=\"a.bin\"");
    EXPECT_EQ(std::ranges::count_if(reply.headers,
                                    [](const Header& h) { return h.name == "set-cookie"; }),
              2);
}

TEST(HttpServer, DropsHeadersThatWouldSplitTheResponse) {
    Started s(local_settings(), [](Request&&, Responder respond) {
        respond(Response{200,
                         "text/plain",
                         {{"X-Evil", "a\r\nSet-Cookie: x=1"}, {"Bad Name", "v"}, {"X-Fine", "ok"}},
                         "body"});
    });
    CurlClient client;
    const auto reply = client.get(url(s.port, "/"));

    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("x-fine"), "ok");
    EXPECT_EQ(reply.header("x-evil"), std::nullopt);
    EXPECT_EQ(reply.header("set-cookie"), std::nullopt);
    EXPECT_EQ(reply.header("bad name"), std::nullopt);
}

TEST(HttpServer, NoContentHasNoBodyAndNoLength) {
    Started s(local_settings(), [](Request&&, Responder respond) {
        respond(Response{204, "application/json", {}, "ignored"});
    });
    RawSocket socket(s.port);
    ASSERT_TRUE(socket.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const std::string reply = socket.read_all();

    EXPECT_TRUE(reply.starts_with("HTTP/1.1 204 ")) << reply;
    EXPECT_EQ(reply.find("Content-Length"), std::string::npos) << reply;
    EXPECT_TRUE(reply.ends_with("\r\n\r\n")) << reply;
}

TEST(HttpServer, InvalidStatusOrThrowingHandlerGets500) {
    Started s(local_settings(), [](Request&& request, Responder respond) {
        if (request.path == "/throw") throw std::runtime_error("boom");
        respond(Response{42, "text/plain", {}, "?"});
    });
    CurlClient client;
    for (const char* target : {"/throw", "/status"}) {
        const auto reply = client.get(url(s.port, target));
        ASSERT_EQ(reply.code, CURLE_OK);
        EXPECT_EQ(reply.status, 500) << target;
        EXPECT_EQ(reply.body, json_error(500, "internal", "Internal error.").body);
    }
}

TEST(HttpServer, ServesASecondRequestOnTheSameConnection) {
    Started s(local_settings());
    CurlClient client;
    const auto first = client.post(url(s.port, "/a"), "one");
    const auto second = client.post(url(s.port, "/b"), "two");

    EXPECT_EQ(first.body, "one");
    EXPECT_EQ(second.body, "two");
    EXPECT_EQ(s.server.connections_accepted(), 1u);
}

TEST(HttpServer, HonoursConnectionClose) {
    Started s(local_settings());
    RawSocket socket(s.port);
    ASSERT_TRUE(socket.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const std::string reply = socket.read_all();  // returns only once the server has closed

    EXPECT_TRUE(reply.starts_with("HTTP/1.1 200 ")) << reply;
    EXPECT_NE(reply.find("Connection: close\r\n"), std::string::npos) << reply;
}

TEST(HttpServer, HandlerMayAnswerFromAnotherThread) {
    ThreadPool workers(2, "test-workers");
    std::atomic<bool> answered_elsewhere{false};
    Started s(local_settings(), [&](Request&& request, Responder respond) {
        const auto io_thread = std::this_thread::get_id();
        workers.post([&, io_thread, body = std::move(request.body), respond] {
            answered_elsewhere = std::this_thread::get_id() != io_thread;
            respond(text("later: " + body));
        });
    });
    CurlClient client;
    const auto first = client.post(url(s.port, "/"), "x");
    const auto second = client.post(url(s.port, "/"), "y");

    EXPECT_EQ(first.body, "later: x");
    EXPECT_EQ(second.body, "later: y");
    EXPECT_TRUE(answered_elsewhere);
}

TEST(HttpServer, SecondResponderCallIsIgnored) {
    Started s(local_settings(), [](Request&& request, Responder respond) {
        respond(text("first " + request.path));
        respond(text("second " + request.path));
    });
    CurlClient client;
    EXPECT_EQ(client.get(url(s.port, "/a")).body, "first /a");
    EXPECT_EQ(client.get(url(s.port, "/b")).body, "first /b");
}

TEST(HttpServer, OversizedBodyGets413FromTheErrorResponder) {
    auto settings = local_settings();
    settings.max_body_bytes = 1024;
    Started s(settings);
    CurlClient client;

    EXPECT_EQ(client.post(url(s.port, "/"), std::string(1024, 'a')).status, 200);
    const auto reply = client.post(url(s.port, "/"), std::string(64 << 10, 'a'));
    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.status, 413);
    EXPECT_EQ(reply.header("connection"), "close");
    EXPECT_NE(reply.body.find(R"("code":"payload_too_large")"), std::string::npos) << reply.body;
}

TEST(HttpServer, OversizedChunkedBodyGets413) {
    auto settings = local_settings();
    settings.max_body_bytes = 1024;
    Started s(settings);
    RawSocket socket(s.port);
    ASSERT_TRUE(socket.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    for (int i = 0; i < 4; ++i) socket.send("200\r\n" + std::string(0x200, 'a') + "\r\n");
    const std::string reply = socket.read_all();

    EXPECT_TRUE(reply.starts_with("HTTP/1.1 413 ")) << reply;
    EXPECT_NE(reply.find("payload_too_large"), std::string::npos) << reply;
}

TEST(HttpServer, OversizedHeadersGet431) {
    auto settings = local_settings();
    settings.max_header_bytes = 1024;
    Started s(settings);
    CurlClient client;
    const auto reply = client.get(url(s.port, "/"), {"X-Big: " + std::string(2048, 'a')});

    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.status, 431);
    EXPECT_NE(reply.body.find(R"("code":"headers_too_large")"), std::string::npos) << reply.body;
}

TEST(HttpServer, MalformedRequestsGet400) {
    Started s(local_settings());
    const char* requests[] = {
        "\x16\x03\x01\x02\x00garbage\r\n\r\n",           // a TLS hello to a plain server
        "HELLO\r\n\r\n",                                 // no request line
        "GET / HTTP/9.9\r\nHost: x\r\n\r\n",             // bad version
        "GET / HTTP/1.1\r\nBad Header\r\n\r\n",          // field without colon
        "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",  // bad length
        "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n",         // bad escape
        "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n",        // NUL in the path
        "GET http://x/abs HTTP/1.1\r\nHost: x\r\n\r\n",  // not origin-form
    };
    for (const char* request : requests) {
        RawSocket socket(s.port);
        ASSERT_TRUE(socket.send(request));
        const std::string reply = socket.read_all();
        EXPECT_TRUE(reply.starts_with("HTTP/1.1 400 ")) << request << " -> " << reply;
        EXPECT_NE(reply.find(R"("code":"bad_request")"), std::string::npos) << reply;
    }
}

TEST(HttpServer, AnswersExpectContinue) {
    Started s(local_settings());
    RawSocket socket(s.port);
    ASSERT_TRUE(socket.send(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
    std::string received;
    ASSERT_TRUE(socket.read_until(received, "\r\n\r\n"));
    EXPECT_EQ(received, "HTTP/1.1 100 Continue\r\n\r\n");

    ASSERT_TRUE(socket.send("hello"));
    ASSERT_TRUE(socket.read_until(received, "hello"));
    EXPECT_NE(received.find("HTTP/1.1 200 "), std::string::npos) << received;
}

TEST(HttpServer, ClosesASlowClientAfterTheIdleTimeout) {
    auto settings = local_settings();
    settings.idle_timeout = std::chrono::seconds(1);
    Started s(settings);
    RawSocket socket(s.port);
    ASSERT_TRUE(socket.send("GET / HTTP/1.1\r\nHost: x\r\n"));  // never finishes the headers

    EXPECT_EQ(socket.read_all(), "");  // closed without an answer
}

TEST(HttpServer, AnswersManyConcurrentClients) {
    constexpr int kClients = 50;
    constexpr int kRequests = 20;
    std::atomic<int> handled{0};
    Started s(local_settings(), [&](Request&& request, Responder respond) {
        ++handled;
        respond(text(request.path + "?" + request.query));
    });

    std::atomic<int> correct{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            CurlClient client;
            for (int r = 0; r < kRequests; ++r) {
                const std::string target = fmt::format("/client/{}?r={}", c, r);
                const auto reply = client.get(url(s.port, target));
                if (reply.code == CURLE_OK && reply.status == 200 && reply.body == target)
                    ++correct;
            }
        });
    }
    for (auto& client : clients) client.join();

    EXPECT_EQ(correct.load(), kClients * kRequests);
    EXPECT_EQ(handled.load(), kClients * kRequests);
}

// Keeps the Responder of the request for "/slow", so the test decides when (and whether) it is
// answered; answers anything else at once.
struct HeldResponder {
    std::promise<Responder> slow;
    std::atomic<int> calls{0};

    Handler handler() {
        return [this](Request&& request, Responder respond) {
            ++calls;
            if (request.path == "/slow") {
                slow.set_value(std::move(respond));
            } else {
                respond(text("quick"));
            }
        };
    }
};

TEST(HttpServer, StopLetsAnInFlightResponseFinish) {
    HeldResponder held;
    Started s(local_settings(), held.handler());
    auto request = std::async(std::launch::async,
                              [port = s.port] { return CurlClient().get(url(port, "/slow")); });
    Responder respond = held.slow.get_future().get();

    std::thread answer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        respond(text("done"));
    });
    s.server.stop();  // default drain_timeout: 5 s, far more than the answer needs
    answer.join();

    const auto reply = request.get();
    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.body, "done");
    EXPECT_EQ(reply.header("connection"), "close");
    EXPECT_EQ(s.server.open_connections(), 0u);
}

TEST(HttpServer, StopClosesWhatDoesNotFinishAndCallsNoHandlerAfter) {
    HeldResponder held;
    auto settings = local_settings();
    settings.drain_timeout = std::chrono::milliseconds(50);
    auto s = std::make_unique<Started>(settings, held.handler());
    const std::uint16_t port = s->port;
    CurlClient idle;
    EXPECT_EQ(idle.get(url(port, "/")).body, "quick");  // leaves an idle keep-alive connection
    auto request =
        std::async(std::launch::async, [port] { return CurlClient().get(url(port, "/slow")); });
    Responder respond = held.slow.get_future().get();
    EXPECT_EQ(s->server.open_connections(), 2u);

    s->server.stop();
    const int calls = held.calls.load();
    EXPECT_EQ(s->server.open_connections(), 0u);
    EXPECT_NE(request.get().code, CURLE_OK);  // closed without an answer
    EXPECT_NE(idle.get(url(port, "/")).code, CURLE_OK);
    EXPECT_EQ(held.calls.load(), calls);

    s.reset();
    respond(text("too late"));  // the server is gone: dropped, and nothing breaks
}

TEST(HttpServer, ListensOnAHostName) {
    auto settings = local_settings();
    settings.address = "localhost";
    Started s(settings);
    const auto reply = CurlClient().post(fmt::format("http://localhost:{}/", s.port), "hi");

    ASSERT_EQ(reply.code, CURLE_OK);
    EXPECT_EQ(reply.body, "hi");
}

TEST(HttpServer, ReportsStartErrors) {
    Started first(local_settings());
    auto settings = local_settings();
    settings.port = first.port;
    HttpServer same_port(settings, echo(), json_error);
    auto started = same_port.start();
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().code, "listen_failed");

    settings = local_settings();
    settings.address = "256.0.0.1";
    HttpServer bad_address(settings, echo(), json_error);
    started = bad_address.start();
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().code, "listen_failed");

    started = first.server.start();
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().code, "already_started");
}

TEST(HttpServer, StopIsIdempotentAndFineBeforeStart) {
    HttpServer never_started(local_settings(), echo(), json_error);
    never_started.stop();

    Started s(local_settings());
    s.server.stop();
    s.server.stop();
    EXPECT_FALSE(s.server.start());
}

}  // namespace
}  // namespace parley::net
