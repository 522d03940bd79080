#pragma once
// The integration harness: starts the real parleyd binary (fork/exec, port 0, a fresh temporary
// data directory, --dev) and talks to it over HTTP with libcurl exactly as a client would.
//
//   ParleyServer   one running parleyd; stopped with SIGTERM in its destructor, which also
//                  checks that it exited 0 and removes the data directory. When the test has
//                  failed, the server's log (its stderr) is printed.
//   HttpClient     a libcurl handle bound to one base URL; keeps its connection alive between
//                  requests. Not thread-safe: give each thread its own (ParleyServer::client()).
//   Response       status, parsed JSON body (null when the body is not JSON), headers with
//                  lower-case names, and the raw body.
//
// parleyd's log goes to stdout (spdlog's default sink) and anything else to stderr; both are
// printed when the test has failed.
//
// Each TEST starts its own server, so tests are independent and can run in any order or alone
// (ctest runs each in its own process).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fakes/temp_dir.hpp"

namespace parley::it {

using nlohmann::json;

struct Response {
    int status = 0;
    json body;                                   // null when the body is empty or not JSON
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string raw;

    // body.error.code, or "" when the body is not an error.
    std::string error_code() const;
    std::string error_message() const;
    std::string header(const std::string& lower_case_name) const;
};

// Prints status and body, for assertion messages: EXPECT_EQ(r.status, 200) << r;
std::ostream& operator<<(std::ostream& out, const Response& r);

class HttpClient {
public:
    explicit HttpClient(std::string base_url);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // The general form: body sent as is (with Content-Type: application/json when present,
    // unless extra_headers has a Content-Type),
    // token as "Authorization: Bearer <token>" when not empty, extra headers as "Name: value".
    Response request(const std::string& method, const std::string& path,
                     const std::optional<std::string>& body = std::nullopt,
                     const std::string& token = "",
                     const std::vector<std::string>& extra_headers = {});

    Response get(const std::string& path, const std::string& token = "");
    Response del(const std::string& path, const std::string& token = "");
    Response post(const std::string& path, const json& body, const std::string& token = "");
    Response patch(const std::string& path, const json& body, const std::string& token = "");
    Response put(const std::string& path, const json& body, const std::string& token = "");
    Response post_raw(const std::string& path, const std::string& body,
                      const std::string& token = "");

    const std::string& base_url() const { return base_url_; }

private:
    std::string base_url_;
    void* curl_;  // CURL*
};

// A signed-in person.
struct Session {
    std::string token;
    std::string user_id;
    std::string phone;  // E.164
    std::string session_id;
};

struct ServerOptions {
    std::vector<std::string> extra_args;  // after the defaults, e.g. {"--init-org", "Contoso"}
    // Reuse this data directory instead of a fresh one (it is then not removed).
    std::optional<std::filesystem::path> data_dir;
};

class ParleyServer {
public:
    // Starts parleyd with --dev --data-dir <fresh temp dir> --listen 127.0.0.1:0
    // --codes-per-address 100000 --default-region SG plus extra_args, and waits (bounded) for
    // "parleyd listening on http://127.0.0.1:<port>". Throws std::runtime_error with the
    // captured output if it exits first or never says it (gtest reports it as a failure).
    explicit ParleyServer(std::vector<std::string> extra_args = {});
    explicit ParleyServer(ServerOptions options);
    ~ParleyServer();
    ParleyServer(const ParleyServer&) = delete;
    ParleyServer& operator=(const ParleyServer&) = delete;

    // SIGTERM and wait (bounded; SIGKILL after it). Returns the exit status (128+signal when
    // killed by a signal, -1 if it had to be killed). Idempotent; the data dir stays.
    int stop();
    // Starts again on the same data directory and arguments (after stop()).
    void restart();
    // The same with other extra arguments (e.g. another --init-org).
    void restart(std::vector<std::string> extra_args);
    bool running() const { return pid_ > 0; }

    const std::string& base_url() const { return base_url_; }
    const std::filesystem::path& data_dir() const { return data_dir_; }
    int port() const { return port_; }
    // What the server wrote to stderr so far (kept in <data_dir>/parleyd-stderr.log).
    std::string log() const;
    // What it wrote to stdout so far: the banner and, with spdlog's default sink, its log.
    // Drained continuously by a reader thread so that a talkative server never blocks.
    std::string stdout_text() const;

    // The shared client of the test's main thread.
    HttpClient& http() { return *client_; }
    // A new client for another thread.
    std::unique_ptr<HttpClient> client() const { return std::make_unique<HttpClient>(base_url_); }

    Response get(const std::string& path, const std::string& token = "") {
        return http().get(path, token);
    }
    Response del(const std::string& path, const std::string& token = "") {
        return http().del(path, token);
    }
    Response post(const std::string& path, const json& body, const std::string& token = "") {
        return http().post(path, body, token);
    }
    Response patch(const std::string& path, const json& body, const std::string& token = "") {
        return http().patch(path, body, token);
    }
    Response put(const std::string& path, const json& body, const std::string& token = "") {
        return http().put(path, body, token);
    }

    // Outbox of the dev code sender: <data_dir>/dev-outbox.jsonl, one JSON object a line.
    std::vector<json> outbox() const;
    // The newest code sent to phone (E.164) for purpose ("sign-in" or "work-account");
    // throws if there is none.
    std::string latest_code(const std::string& phone, const std::string& purpose = "sign-in") const;
    std::string work_account_code(const std::string& phone) const {
        return latest_code(phone, "work-account");
    }

    // POST /auth/codes, the code from the outbox, POST /auth/sessions. Throws on failure.
    Session sign_in(const std::string& phone);
    // Links the caller's work account: POST /me/work-account {email}, code from the outbox,
    // PUT /me/work-account {code}. The directory must already list them with that email.
    // Throws on failure.
    void link_work_account(const Session& who, const std::string& email);

private:
    void start();
    void print_log_if_failed() const;

    ServerOptions options_;
    bool owns_dir_ = true;
    std::filesystem::path data_dir_;
    std::string base_url_;
    int port_ = 0;
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::thread reader_;
    mutable std::mutex stdout_mutex_;
    std::string stdout_;  // GUARDED_BY(stdout_mutex_)
    std::unique_ptr<HttpClient> client_;
};

// Runs a program to completion (bounded), for flags such as --help.
struct ProcessResult {
    int exit_code = -1;  // -1 when killed or timed out
    std::string out;
    std::string err;
};
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));

using parley::testing::TempDir;

std::string read_file(const std::filesystem::path& path);

// Paths with placeholders filled: fmt-free string concatenation helpers.
inline std::string conv_path(const std::string& id) { return "/api/v1/conversations/" + id; }
inline std::string messages_path(const std::string& id) { return conv_path(id) + "/messages"; }
inline std::string group_path(const std::string& id) { return "/api/v1/groups/" + id; }
inline std::string org_path(const std::string& id) { return "/api/v1/organizations/" + id; }

// A file of tests/fixtures/attachments (small real files of every accepted kind, and liars).
std::string attachment_fixture(const std::string& name);
// POST …/conversations/{id}/attachments?filename=<name, percent-encoded> with the bytes.
Response upload_attachment(ParleyServer& server, const Session& who,
                           const std::string& conversation, const std::string& name,
                           const std::string& bytes,
                           const std::string& content_type = "application/octet-stream");
// Uploads a fixture under its own name; fails the test unless 201. Returns the attachment.
json upload_fixture(ParleyServer& server, const Session& who, const std::string& conversation,
                    const std::string& name);

// Every message of a conversation in seq order, paged with after= and limit=200.
std::vector<json> all_messages(HttpClient& http, const std::string& conversation_id,
                               const std::string& token);

// A message's JSON as the stream's live events carry it: they are serialized once for every
// recipient, so reactions.like.mine (whether the reader likes it) is left out.
inline json as_live(json message) {
    if (message.contains("reactions")) message["reactions"]["like"].erase("mine");
    return message;
}

// ---- Small shared helpers for the tests ---------------------------------------------------------

// Phone numbers used across the tests (Singapore mobiles; the server's default region is SG).
inline constexpr const char* kAdminPhone = "+6591234567";  // --init-admin of Contoso
inline constexpr const char* kBobPhone = "+6598765432";
inline constexpr const char* kCarolPhone = "+6581234567";
inline constexpr const char* kDavePhone = "+6587654321";
inline constexpr const char* kErinPhone = "+6590001111";

// The --init-org / --init-admin arguments used by the organization tests.
std::vector<std::string> contoso_args();

// The id of the first organization in GET /api/v1/me of token; throws if none.
std::string first_organization_id(ParleyServer& server, const std::string& token);

// POST /api/v1/groups {"name"}; throws unless 201. Returns the group id.
std::string create_group(ParleyServer& server, const std::string& token, const std::string& name);

// POST /conversations/{id}/messages {"text", "client_id"?}; throws unless 201. Returns the message.
json send_text(ParleyServer& server, const std::string& token, const std::string& conversation_id,
               const std::string& text, const std::string& client_id = "");

// Adds phone to the organization's directory (as admin token) with email and role.
json add_person(ParleyServer& server, const std::string& admin_token, const std::string& org_id,
                const std::string& phone, const std::string& email,
                const std::string& role = "member");

}  // namespace parley::it
