#include "integration/harness.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace parley::it {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr auto kStopTimeout = std::chrono::seconds(20);
constexpr const char* kListeningPrefix = "parleyd listening on http://127.0.0.1:";
constexpr std::size_t kMaxLogPrint = 40000;

// libcurl's global state must exist before any thread makes a handle: set it up at static
// initialisation, before main and before any test starts a thread.
struct CurlGlobal {
    CurlGlobal() {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) std::abort();
    }
    ~CurlGlobal() { curl_global_cleanup(); }
} curl_global;

// Records a failure in the running test (so the destructors print the server log) and stops
// the test by throwing: these helpers return values, where ASSERT_* cannot be used.
[[noreturn]] void fail_hard(const std::string& message) {
    ADD_FAILURE() << message;
    throw std::runtime_error(message);
}

std::string to_lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

std::string trim(const std::string& s) {
    auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
    std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        headers.clear();  // a new response (after 100 Continue or a redirect)
    } else if (auto colon = line.find(':'); colon != std::string::npos) {
        headers[to_lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    return size * count;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// Waits for pid up to timeout; returns the decoded status, or nullopt if it is still running.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (true) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return decode_status(status);
        if (r < 0 && errno != EINTR) return -1;
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::vector<char*> c_argv(std::vector<std::string>& args) {
    std::vector<char*> out;
    for (auto& a : args) out.push_back(a.data());
    out.push_back(nullptr);
    return out;
}

std::string tail(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    return "[… " + std::to_string(s.size() - max) + " bytes cut …]\n" + s.substr(s.size() - max);
}

}  // namespace

// ---- Response ---------------------------------------------------------------------------------

std::string Response::error_code() const {
    if (body.is_object() && body.contains("error") && body["error"].is_object() &&
        body["error"].contains("code") && body["error"]["code"].is_string()) {
        return body["error"]["code"].get<std::string>();
    }
    return "";
}

std::string Response::error_message() const {
    if (body.is_object() && body.contains("error") && body["error"].is_object() &&
        body["error"].contains("message") && body["error"]["message"].is_string()) {
        return body["error"]["message"].get<std::string>();
    }
    return "";
}

std::string Response::header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? "" : it->second;
}

std::ostream& operator<<(std::ostream& out, const Response& r) {
    return out << "[HTTP " << r.status << "] " << tail(r.raw, 2000);
}

// ---- HttpClient -------------------------------------------------------------------------------

HttpClient::HttpClient(std::string base_url)
    : base_url_(std::move(base_url)), curl_(curl_easy_init()) {
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Response HttpClient::request(const std::string& method, const std::string& path,
                             const std::optional<std::string>& body, const std::string& token,
                             const std::vector<std::string>& extra_headers) {
    CURL* h = static_cast<CURL*>(curl_);
    curl_easy_reset(h);  // keeps the connection cache
    Response r;
    std::string url = base_url_ + path;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.raw);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.headers);

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    std::string auth;
    if (!token.empty()) {
        auth = "Authorization: Bearer " + token;
        headers = curl_slist_append(headers, auth.c_str());
    }
    // JSON unless the caller names another type (CSV uploads).
    const bool typed = std::any_of(extra_headers.begin(), extra_headers.end(), [](const auto& h) {
        return h.size() > 13 && strncasecmp(h.c_str(), "content-type:", 13) == 0;
    });
    if (body && !typed) headers = curl_slist_append(headers, "Content-Type: application/json");
    for (const auto& extra : extra_headers) headers = curl_slist_append(headers, extra.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

    if (method == "GET" && !body) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
        if (body) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
        }
    }

    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        r.status = 0;
        r.raw = std::string("curl: ") + curl_easy_strerror(rc) + " (" + method + " " + path + ")";
        return r;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    r.status = static_cast<int>(status);
    if (!r.raw.empty()) {
        r.body = json::parse(r.raw, nullptr, /*allow_exceptions=*/false);
        if (r.body.is_discarded()) r.body = nullptr;
    }
    return r;
}

Response HttpClient::get(const std::string& path, const std::string& token) {
    return request("GET", path, std::nullopt, token);
}
Response HttpClient::del(const std::string& path, const std::string& token) {
    return request("DELETE", path, std::nullopt, token);
}
Response HttpClient::post(const std::string& path, const json& body, const std::string& token) {
    return request("POST", path, body.dump(), token);
}
Response HttpClient::patch(const std::string& path, const json& body, const std::string& token) {
    return request("PATCH", path, body.dump(), token);
}
Response HttpClient::put(const std::string& path, const json& body, const std::string& token) {
    return request("PUT", path, body.dump(), token);
}
Response HttpClient::post_raw(const std::string& path, const std::string& body,
                              const std::string& token) {
    return request("POST", path, body, token);
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string attachment_fixture(const std::string& name) {
    return read_file(std::filesystem::path(PARLEY_SOURCE_DIR) / "tests/fixtures/attachments" /
                     name);
}

namespace {
std::string percent_encode(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}
}  // namespace

Response upload_attachment(ParleyServer& server, const Session& who,
                           const std::string& conversation, const std::string& name,
                           const std::string& bytes, const std::string& content_type) {
    return server.http().request(
        "POST", conv_path(conversation) + "/attachments?filename=" + percent_encode(name), bytes,
        who.token, {"Content-Type: " + content_type});
}

json upload_fixture(ParleyServer& server, const Session& who, const std::string& conversation,
                    const std::string& name) {
    Response r = upload_attachment(server, who, conversation, name, attachment_fixture(name));
    EXPECT_EQ(r.status, 201) << name << ": " << r;
    return r.body;
}

// ---- ParleyServer -----------------------------------------------------------------------------

ParleyServer::ParleyServer(std::vector<std::string> extra_args)
    : ParleyServer(ServerOptions{std::move(extra_args), std::nullopt}) {}

ParleyServer::ParleyServer(ServerOptions options) : options_(std::move(options)) {
    if (options_.data_dir) {
        owns_dir_ = false;
        data_dir_ = *options_.data_dir;
    } else {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "parley-it-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) {
            throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
        }
        data_dir_ = pattern;
    }
    try {
        start();
    } catch (...) {
        if (owns_dir_) {
            std::error_code ec;
            std::filesystem::remove_all(data_dir_, ec);
        }
        throw;
    }
}

ParleyServer::~ParleyServer() {
    if (running()) {
        int status = stop();
        EXPECT_EQ(status, 0) << "parleyd did not exit cleanly on SIGTERM";
    }
    print_log_if_failed();
    client_.reset();
    if (owns_dir_) {
        std::error_code ec;
        std::filesystem::remove_all(data_dir_, ec);
    }
}

void ParleyServer::start() {
    std::vector<std::string> args = {
        PARLEYD_PATH,       "--dev",       "--data-dir",          data_dir_.string(),
        "--listen",         "127.0.0.1:0", "--codes-per-address", "100000",
        "--default-region", "SG"};
    args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
    auto argv = c_argv(args);
    std::string log_path = (data_dir_ / "parleyd-stderr.log").string();

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test binary
        int err = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        int in = ::open("/dev/null", O_RDONLY);
        if (err < 0 || in < 0) ::_exit(126);
        ::dup2(in, 0);
        ::dup2(out[1], 1);
        ::dup2(err, 2);
        ::execv(argv[0], argv.data());
        static const char kMsg[] = "exec of parleyd failed\n";
        ssize_t ignored = ::write(2, kMsg, sizeof kMsg - 1);
        (void)ignored;
        ::_exit(127);
    }
    ::close(out[1]);
    pid_ = pid;
    stdout_fd_ = out[0];
    {
        std::lock_guard lock(stdout_mutex_);
        stdout_.clear();
    }
    // Until the banner, this thread reads stdout itself, into `seen`.
    std::string seen;

    auto deadline = Clock::now() + kStartTimeout;
    std::string problem;
    while (true) {
        auto line_start = seen.find(kListeningPrefix);
        if (line_start != std::string::npos) {
            auto end = seen.find('\n', line_start);
            if (end != std::string::npos) {
                std::string port_text =
                    seen.substr(line_start + std::strlen(kListeningPrefix),
                                end - line_start - std::strlen(kListeningPrefix));
                port_ = std::atoi(port_text.c_str());
                if (port_ > 0) break;
                problem = "cannot read the port from: " + seen.substr(line_start, end - line_start);
                break;
            }
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            problem = "parleyd did not say it was listening within " +
                      std::to_string(kStartTimeout.count()) + " s";
            break;
        }
        pollfd p{stdout_fd_, POLLIN, 0};
        int n = ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 200)));
        if (n < 0 && errno != EINTR) {
            problem = std::string("poll: ") + std::strerror(errno);
            break;
        }
        if (n > 0) {
            char buf[4096];
            ssize_t got = ::read(stdout_fd_, buf, sizeof buf);
            if (got > 0) {
                seen.append(buf, static_cast<std::size_t>(got));
                continue;
            }
            if (got == 0) {
                auto status = wait_for(pid_, std::chrono::seconds(5));
                if (status) pid_ = -1;
                problem = "parleyd closed its output before listening; exit status " +
                          (status ? std::to_string(*status) : std::string("(still running)"));
                break;
            }
        }
        if (auto status = wait_for(pid_, std::chrono::milliseconds(0)); status) {
            pid_ = -1;
            problem = "parleyd exited with status " + std::to_string(*status) + " before listening";
            break;
        }
    }
    {
        std::lock_guard lock(stdout_mutex_);
        stdout_ = seen;
    }
    // From here on a reader thread drains stdout until the process closes it.
    reader_ = std::thread([this, fd = stdout_fd_] {
        char buf[8192];
        while (true) {
            ssize_t got = ::read(fd, buf, sizeof buf);
            if (got > 0) {
                std::lock_guard lock(stdout_mutex_);
                stdout_.append(buf, static_cast<std::size_t>(got));
            } else if (got < 0 && errno == EINTR) {
                continue;
            } else {
                return;
            }
        }
    });
    if (!problem.empty()) {
        stop();  // also joins the reader
        std::string message = problem + "\n--- stdout ---\n" + tail(stdout_text(), kMaxLogPrint) +
                              "\n--- stderr ---\n" + tail(log(), kMaxLogPrint);
        fail_hard(message);
    }
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
    client_ = std::make_unique<HttpClient>(base_url_);
}

int ParleyServer::stop() {
    auto finish_reader = [this] {
        // The child is gone: the reader sees end of file and returns.
        if (reader_.joinable()) reader_.join();
        if (stdout_fd_ >= 0) ::close(stdout_fd_);
        stdout_fd_ = -1;
    };
    if (pid_ <= 0) {
        finish_reader();
        return 0;
    }
    client_.reset();  // close our keep-alive connection first
    ::kill(pid_, SIGTERM);
    auto status = wait_for(pid_, kStopTimeout);
    int result;
    if (!status) {
        ADD_FAILURE() << "parleyd did not stop within " << kStopTimeout.count()
                      << " s of SIGTERM; killing it";
        ::kill(pid_, SIGKILL);
        int raw = 0;
        ::waitpid(pid_, &raw, 0);
        result = -1;
    } else {
        result = *status;
    }
    pid_ = -1;
    finish_reader();
    return result;
}

void ParleyServer::restart() {
    if (running()) throw std::runtime_error("restart() needs stop() first");
    start();
}

void ParleyServer::restart(std::vector<std::string> extra_args) {
    options_.extra_args = std::move(extra_args);
    restart();
}

std::string ParleyServer::log() const { return read_file(data_dir_ / "parleyd-stderr.log"); }

std::string ParleyServer::stdout_text() const {
    std::lock_guard lock(stdout_mutex_);
    return stdout_;
}

void ParleyServer::print_log_if_failed() const {
    if (!::testing::Test::HasFailure()) return;
    std::cerr << "\n===== parleyd stdout (its log) =====\n"
              << tail(stdout_text(), kMaxLogPrint) << "\n===== parleyd stderr ("
              << (data_dir_ / "parleyd-stderr.log").string() << ") =====\n"
              << tail(log(), kMaxLogPrint) << "\n===== end of parleyd output =====\n";
}

std::vector<json> ParleyServer::outbox() const {
    std::vector<json> lines;
    std::istringstream in(read_file(data_dir_ / "dev-outbox.jsonl"));
    std::string line;
    while (std::getline(in, line)) {
        if (trim(line).empty()) continue;
        auto j = json::parse(line, nullptr, false);
        if (!j.is_discarded()) lines.push_back(std::move(j));
    }
    return lines;
}

std::string ParleyServer::latest_code(const std::string& phone, const std::string& purpose) const {
    auto lines = outbox();
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        if (it->value("phone", "") == phone && it->value("purpose", "") == purpose) {
            return it->value("code", "");
        }
    }
    fail_hard("no " + purpose + " code for " + phone + " in the dev outbox");
}

Session ParleyServer::sign_in(const std::string& phone) {
    auto requested = post("/api/v1/auth/codes", {{"phone", phone}});
    if (requested.status != 202) {
        std::ostringstream m;
        m << "POST /api/v1/auth/codes for " << phone << ": " << requested;
        fail_hard(m.str());
    }
    std::string e164 = requested.body.value("phone", phone);
    std::string code = latest_code(e164, "sign-in");
    auto session = post("/api/v1/auth/sessions", {{"phone", e164}, {"code", code}});
    if (session.status != 201) {
        std::ostringstream m;
        m << "POST /api/v1/auth/sessions for " << phone << ": " << session;
        fail_hard(m.str());
    }
    return Session{session.body["token"].get<std::string>(),
                   session.body["user"]["id"].get<std::string>(), e164,
                   session.body["session_id"].get<std::string>()};
}

void ParleyServer::link_work_account(const Session& who, const std::string& email) {
    auto requested = post("/api/v1/me/work-account", {{"email", email}}, who.token);
    if (requested.status != 202) {
        std::ostringstream m;
        m << "POST /api/v1/me/work-account for " << who.phone << ": " << requested;
        fail_hard(m.str());
    }
    auto confirmed =
        put("/api/v1/me/work-account", {{"code", work_account_code(who.phone)}}, who.token);
    if (confirmed.status != 200) {
        std::ostringstream m;
        m << "PUT /api/v1/me/work-account for " << who.phone << ": " << confirmed;
        fail_hard(m.str());
    }
}

// ---- helpers ----------------------------------------------------------------------------------

std::vector<json> all_messages(HttpClient& http, const std::string& conversation_id,
                               const std::string& token) {
    std::vector<json> out;
    std::int64_t after = 0;
    for (int page = 0; page < 10000; ++page) {
        auto r = http.get(
            messages_path(conversation_id) + "?after=" + std::to_string(after) + "&limit=200",
            token);
        if (r.status != 200) {
            std::ostringstream m;
            m << "history of " << conversation_id << ": " << r;
            fail_hard(m.str());
        }
        for (const auto& msg : r.body["messages"]) {
            out.push_back(msg);
            after = msg["seq"].get<std::int64_t>();
        }
        if (!r.body["has_more"].get<bool>() || r.body["messages"].empty()) break;
    }
    return out;
}

std::vector<std::string> contoso_args() {
    return {"--init-org", "Contoso", "--init-admin", kAdminPhone};
}

std::string first_organization_id(ParleyServer& server, const std::string& token) {
    auto me = server.get("/api/v1/me", token);
    if (me.status != 200 || !me.body["organizations"].is_array() ||
        me.body["organizations"].empty()) {
        std::ostringstream m;
        m << "GET /api/v1/me has no organization: " << me;
        fail_hard(m.str());
    }
    return me.body["organizations"][0]["id"].get<std::string>();
}

std::string create_group(ParleyServer& server, const std::string& token, const std::string& name) {
    auto r = server.post("/api/v1/groups", {{"name", name}}, token);
    if (r.status != 201) {
        std::ostringstream m;
        m << "POST /api/v1/groups: " << r;
        fail_hard(m.str());
    }
    return r.body["id"].get<std::string>();
}

json send_text(ParleyServer& server, const std::string& token, const std::string& conversation_id,
               const std::string& text, const std::string& client_id) {
    json body = {{"text", text}};
    if (!client_id.empty()) body["client_id"] = client_id;
    auto r = server.post(messages_path(conversation_id), body, token);
    if (r.status != 201) {
        std::ostringstream m;
        m << "POST messages to " << conversation_id << ": " << r;
        fail_hard(m.str());
    }
    return r.body;
}

json add_person(ParleyServer& server, const std::string& admin_token, const std::string& org_id,
                const std::string& phone, const std::string& email, const std::string& role) {
    json body = {{"phone", phone}, {"role", role}};
    if (!email.empty()) body["email"] = email;
    auto r = server.post(org_path(org_id) + "/people", body, admin_token);
    if (r.status != 201 || r.body["added"].size() != 1) {
        std::ostringstream m;
        m << "POST people " << phone << ": " << r;
        fail_hard(m.str());
    }
    return r.body["added"][0];
}

ProcessResult run_process(const std::vector<std::string>& argv_in,
                          std::chrono::milliseconds timeout) {
    std::vector<std::string> args = argv_in;
    auto argv = c_argv(args);
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        int in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    ProcessResult result;
    auto deadline = Clock::now() + timeout;
    bool out_open = true, err_open = true;
    bool timed_out = false;
    while (out_open || err_open) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd p[2] = {{out_open ? out[0] : -1, POLLIN, 0}, {err_open ? err[0] : -1, POLLIN, 0}};
        int n = ::poll(p, 2, static_cast<int>(left.count()));
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        char buf[4096];
        for (int i = 0; i < 2; ++i) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = ::read(p[i].fd, buf, sizeof buf);
            if (got > 0) {
                (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
            } else {
                (i == 0 ? out_open : err_open) = false;
            }
        }
    }
    ::close(out[0]);
    ::close(err[0]);
    if (timed_out) {
        ::kill(pid, SIGKILL);
        int raw = 0;
        ::waitpid(pid, &raw, 0);
        result.exit_code = -1;
        return result;
    }
    auto status = wait_for(pid, timeout);
    if (!status) {
        ::kill(pid, SIGKILL);
        int raw = 0;
        ::waitpid(pid, &raw, 0);
        result.exit_code = -1;
    } else {
        result.exit_code = *status;
    }
    return result;
}

}  // namespace parley::it
