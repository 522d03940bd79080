// docs/openapi.yaml against the routes the real http::Api serves: a route added, removed or
// renamed on one side only fails here, in either direction; so does an operation whose bearer
// security in the document differs from what the server enforces. The document is read with a
// small line-based reader of the OpenAPI `paths:` block (no YAML library), tested below on its
// own so that a layout it does not understand fails loudly instead of hiding operations.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/code_sender.hpp"
#include "auth/sign_in.hpp"
#include "common/clock.hpp"
#include "crypto/aead.hpp"
#include "crypto/key_ring.hpp"
#include "fakes/temp_dir.hpp"
#include "http/api.hpp"
#include "http/metrics.hpp"
#include "service/access.hpp"
#include "service/conversation_service.hpp"
#include "service/events.hpp"
#include "service/identity_service.hpp"
#include "service/message_service.hpp"
#include "service/organization_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

#ifndef PARLEY_SOURCE_DIR
#error "tests/unit/CMakeLists.txt must define PARLEY_SOURCE_DIR for unit_http"
#endif

namespace parley::http {
namespace {

// ---- a reader for the `paths:` block of an OpenAPI document ---------------------------------

struct DocOperation {
    std::string method;  // upper case, as the router has it
    std::string path;
    int line = 0;
    bool public_ = false;  // the operation says `security: []`
};

struct DocReading {
    std::vector<DocOperation> operations;
    std::vector<std::string> problems;  // anything the reader could not follow
    bool global_bearer = false;         // a top-level `security:` naming bearerAuth
};

const std::set<std::string> kHttpMethods = {"get",     "put",  "post",  "delete",
                                            "options", "head", "patch", "trace"};
// The other fields an OpenAPI 3.1 Path Item may hold. Anything else at that level (a typo such
// as "Get:", or a `$ref` that would hide operations from this reader) is reported.
const std::set<std::string> kPathItemFields = {"summary", "description", "servers", "parameters"};

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// Drops a trailing ` # comment` that is not inside quotes.
std::string_view strip_comment(std::string_view s) {
    char quote = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (i == 0 || s[i - 1] == ' ')) {
            return trim(s.substr(0, i));
        }
    }
    return trim(s);
}

struct KeyLine {
    std::string key;
    std::string value;  // after the colon, trimmed; empty for a nested mapping
};

// Splits `key: value` where key may be quoted. Returns false if the line is not a mapping key.
bool split_key(std::string_view content, KeyLine& out) {
    content = strip_comment(content);
    if (content.empty()) return false;
    std::size_t colon;
    if (content.front() == '"' || content.front() == '\'') {
        auto close = content.find(content.front(), 1);
        if (close == std::string_view::npos) return false;
        out.key = std::string(content.substr(1, close - 1));
        colon = close + 1;
        if (colon >= content.size() || content[colon] != ':') return false;
    } else {
        colon = content.find(": ");
        if (colon == std::string_view::npos) {
            if (content.back() != ':') return false;
            colon = content.size() - 1;
        }
        out.key = std::string(trim(content.substr(0, colon)));
    }
    out.value = std::string(trim(content.substr(colon + 1)));
    return true;
}

DocReading read_openapi(std::istream& in) {
    DocReading r;
    std::string raw;
    int line_no = 0;
    bool in_paths = false;
    bool in_global_security = false;
    std::string current_path;
    DocOperation* current_op = nullptr;
    std::set<std::pair<std::string, std::string>> seen;
    auto problem = [&](const std::string& what) {
        r.problems.push_back("line " + std::to_string(line_no) + ": " + what);
    };

    while (std::getline(in, raw)) {
        ++line_no;
        std::string_view line = raw;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::size_t indent = line.find_first_not_of(' ');
        if (indent == std::string_view::npos) continue;  // blank
        if (line[indent] == '\t') {
            problem("tab in indentation");
            continue;
        }
        std::string_view content = line.substr(indent);
        if (content.front() == '#') continue;

        if (indent == 0) {
            in_paths = false;
            in_global_security = false;
            current_op = nullptr;
            KeyLine k;
            if (!split_key(content, k)) continue;  // e.g. a document marker
            if (k.key == "paths") {
                if (!k.value.empty()) problem("paths: must be a block mapping");
                in_paths = true;
            } else if (k.key == "security") {
                in_global_security = true;
            }
            continue;
        }
        if (in_global_security) {
            if (strip_comment(content).starts_with("- bearerAuth:")) r.global_bearer = true;
            continue;
        }
        if (!in_paths) continue;

        if (indent == 2) {
            current_op = nullptr;
            KeyLine k;
            if (!split_key(content, k)) {
                problem("expected a path key, got: " + std::string(content));
                continue;
            }
            if (k.key.starts_with("x-")) {
                current_path.clear();
                continue;
            }
            if (!k.key.starts_with("/")) problem("path does not start with '/': " + k.key);
            if (!k.value.empty()) problem("flow-style path item not supported: " + k.key);
            current_path = k.key;
        } else if (indent == 4) {
            current_op = nullptr;
            if (current_path.empty()) continue;  // inside an x- extension
            KeyLine k;
            if (!split_key(content, k)) {
                problem("expected a path item field, got: " + std::string(content));
                continue;
            }
            if (kHttpMethods.contains(k.key)) {
                if (!k.value.empty()) problem("flow-style operation not supported: " + k.key);
                std::string method = upper(k.key);
                if (!seen.emplace(method, current_path).second) {
                    problem("duplicate operation " + method + " " + current_path);
                }
                r.operations.push_back(DocOperation{method, current_path, line_no, false});
                current_op = &r.operations.back();
            } else if (!kPathItemFields.contains(k.key) && !k.key.starts_with("x-")) {
                problem("unexpected path item field \"" + k.key + "\" under " + current_path);
            }
        } else if (indent == 6 && current_op != nullptr) {
            KeyLine k;
            if (split_key(content, k) && k.key == "security") {
                std::string v = k.value;
                v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
                current_op->public_ = v == "[]";
            }
        }
    }
    return r;
}

DocReading read_openapi(const std::string& text) {
    std::istringstream in(text);
    return read_openapi(in);
}

std::filesystem::path document_path() {
    return std::filesystem::path(PARLEY_SOURCE_DIR) / "docs" / "openapi.yaml";
}

// ---- the real Api over a throwaway SQLite store ----------------------------------------------

class ApiHarness {
public:
    ApiHarness()
        : key_ring_(crypto::KeyRing::from_key(crypto::DataKey::generate())),
          store_(open_store(dir_, key_ring_)),
          sender_(dir_.path() / "outbox.jsonl"),
          sign_in_(*store_, sender_, clock_, key_ring_.server_secret("x"), auth::SignInSettings{}),
          access_(*store_),
          identity_(*store_, sign_in_, events_, clock_, "SG"),
          organizations_(*store_, access_, events_, clock_),
          conversations_(*store_, access_, events_, clock_, "SG"),
          attachments_(*store_, access_, clock_, {dir_.path() / "blobs"}),
          messages_(*store_, access_, events_, clock_, &attachments_),
          imports_(*store_, access_, events_, clock_, {dir_.path() / "imports"}),
          exports_(*store_, access_, clock_, {dir_.path() / "exports"}),
          cards_(*store_, access_, events_, clock_, &attachments_),
          reactions_(*store_, access_, messages_, events_, clock_),
          reports_(*store_, access_, clock_),
          api_(
              Services{identity_, organizations_, conversations_, messages_, imports_, exports_,
                       attachments_, cards_, reactions_, reports_},
              metrics_, [] { return ok(); }, file_work_) {}

    Api& api() { return api_; }

private:
    static std::unique_ptr<store::Store> open_store(const parley::testing::TempDir& dir,
                                                    const crypto::KeyRing& ring) {
        store::sqlite::SqliteSettings settings;
        settings.path = dir.path() / "parley.db";
        settings.readers = 1;
        settings.synchronous = "OFF";  // a throwaway database
        auto opened = store::sqlite::open_sqlite_store(settings, ring);
        if (!opened) throw std::runtime_error("open_sqlite_store: " + opened.error().message);
        return std::move(*opened);
    }

    parley::testing::TempDir dir_;
    crypto::KeyRing key_ring_;
    std::unique_ptr<store::Store> store_;
    auth::LogCodeSender sender_;
    ManualClock clock_;
    auth::SignIn sign_in_;
    service::Access access_;
    service::NullEventSink events_;
    service::IdentityService identity_;
    service::OrganizationService organizations_;
    service::ConversationService conversations_;
    service::AttachmentService attachments_;
    service::MessageService messages_;
    service::ImportService imports_;
    service::ExportService exports_;
    service::CardService cards_;
    service::ReactionService reactions_;
    service::ReportService reports_;
    Metrics metrics_;
    ThreadPool file_work_{1, "file-work"};
    Api api_;
};

net::Request request(std::string method, std::string path) {
    net::Request r;
    r.method = std::move(method);
    r.path = path;
    r.target = std::move(path);
    r.remote_address = "127.0.0.1";
    return r;
}

// A concrete path for a pattern: every {param} becomes "p".
std::string instantiate(const std::string& pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{') {
            auto close = pattern.find('}', i);
            out += "p";
            i = close;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

std::string error_code(const net::Response& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.contains("error")) return "";
    return j["error"].value("code", "");
}

std::string header(const net::Response& r, std::string_view name) {
    for (const auto& h : r.headers) {
        if (h.name == name) return h.value;
    }
    return "";
}

std::string describe(const std::set<std::pair<std::string, std::string>>& ops) {
    std::string out;
    for (const auto& [method, path] : ops) out += "\n    " + method + " " + path;
    return out;
}

// ---- the document ---------------------------------------------------------------------------

class OpenApiConformance : public ::testing::Test {
protected:
    void SetUp() override {
        std::ifstream in(document_path());
        ASSERT_TRUE(in) << "cannot read " << document_path();
        doc_ = read_openapi(in);
    }

    DocReading doc_;
    ApiHarness harness_;
};

TEST_F(OpenApiConformance, DocumentIsReadable) {
    EXPECT_TRUE(doc_.problems.empty()) << ::testing::PrintToString(doc_.problems);
    EXPECT_FALSE(doc_.operations.empty()) << "no operations under paths: in " << document_path();
    EXPECT_TRUE(doc_.global_bearer) << "the document should require bearerAuth by default";
}

TEST_F(OpenApiConformance, ServedRoutesAndDocumentedOperationsAreTheSame) {
    std::set<std::pair<std::string, std::string>> served;
    for (const auto& [method, pattern] : harness_.api().routes()) {
        EXPECT_TRUE(served.emplace(method, pattern).second)
            << "route registered twice: " << method << " " << pattern;
    }
    std::set<std::pair<std::string, std::string>> documented;
    for (const auto& op : doc_.operations) documented.emplace(op.method, op.path);

    std::set<std::pair<std::string, std::string>> undocumented;
    std::set_difference(served.begin(), served.end(), documented.begin(), documented.end(),
                        std::inserter(undocumented, undocumented.end()));
    std::set<std::pair<std::string, std::string>> not_served;
    std::set_difference(documented.begin(), documented.end(), served.begin(), served.end(),
                        std::inserter(not_served, not_served.end()));

    EXPECT_TRUE(undocumented.empty())
        << "served by http::Api but missing from docs/openapi.yaml:" << describe(undocumented);
    EXPECT_TRUE(not_served.empty())
        << "in docs/openapi.yaml but not served by http::Api:" << describe(not_served);
    EXPECT_FALSE(served.empty());
}

// The document's `security: []` marks exactly the operations the server answers without a
// token; every other one must be refused with 401 token_missing before its handler runs.
TEST_F(OpenApiConformance, PublicOperationsAreExactlyThoseServedWithoutAToken) {
    std::map<std::pair<std::string, std::string>, bool> doc_public;
    for (const auto& op : doc_.operations) doc_public[{op.method, op.path}] = op.public_;

    for (const auto& [method, pattern] : harness_.api().routes()) {
        auto it = doc_public.find({method, pattern});
        if (it == doc_public.end()) continue;  // reported by the test above
        auto response = harness_.api().handle(request(method, instantiate(pattern)));
        bool served_public = !(response.status == 401 && error_code(response) == "token_missing");
        EXPECT_EQ(served_public, it->second)
            << method << " " << pattern << ": the server "
            << (served_public ? "answers without a token" : "requires a bearer token")
            << " (status " << response.status << ") but the document says "
            << (it->second ? "security: []" : "bearer");
        if (!served_public) {
            EXPECT_EQ(header(response, "WWW-Authenticate"), "Bearer") << method << " " << pattern;
        }
    }
}

TEST_F(OpenApiConformance, UnknownPathIs404AndWrongMethodIs405WithAllow) {
    auto missing = harness_.api().handle(request("GET", "/api/v1/nothing-here"));
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(error_code(missing), "route_not_found");

    auto wrong = harness_.api().handle(request("PUT", "/api/v1/me"));
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(error_code(wrong), "method_not_allowed");
    EXPECT_EQ(header(wrong, "Allow"), "GET, PATCH");
}

// ---- the reader itself ----------------------------------------------------------------------

TEST(OpenApiReader, ReadsPathsMethodsAndOperationSecurity) {
    auto r = read_openapi(R"(openapi: 3.1.0
security:
  - bearerAuth: []
paths:
  # a comment
  /healthz:
    get:
      security: []
      description: |
        get:
          not an operation, a block scalar
  "/api/v1/groups/{id}":   # quoted key
    parameters:
      - $ref: "#/components/parameters/GroupId"
    summary: Groups
    get:
      summary: x
    PATCH:
      summary: y
  x-internal:
    post:
      summary: ignored
  '/api/v1/chats':
    post:
      security:
        - bearerAuth: []

components:
  schemas:
    get:
      type: object
)");
    EXPECT_TRUE(r.global_bearer);
    ASSERT_EQ(r.problems.size(), 1u) << ::testing::PrintToString(r.problems);
    EXPECT_NE(r.problems[0].find("\"PATCH\""), std::string::npos) << r.problems[0];
    ASSERT_EQ(r.operations.size(), 3u);
    EXPECT_EQ(r.operations[0].method, "GET");
    EXPECT_EQ(r.operations[0].path, "/healthz");
    EXPECT_TRUE(r.operations[0].public_);
    EXPECT_EQ(r.operations[1].method, "GET");
    EXPECT_EQ(r.operations[1].path, "/api/v1/groups/{id}");
    EXPECT_FALSE(r.operations[1].public_);
    EXPECT_EQ(r.operations[2].method, "POST");
    EXPECT_EQ(r.operations[2].path, "/api/v1/chats");
    EXPECT_FALSE(r.operations[2].public_);
}

TEST(OpenApiReader, ReportsWhatItCannotFollow) {
    auto r = read_openapi(
        "paths:\n"
        "  /a: {get: {}}\n"
        "  /b:\n"
        "    get: {summary: x}\n"
        "    get:\n"
        "  c:\n"
        "\t/d:\n"
        "  /e:\n"
        "    $ref: other.yaml\n");
    EXPECT_EQ(r.problems.size(), 6u) << ::testing::PrintToString(r.problems);
    EXPECT_FALSE(r.global_bearer);
}

TEST(OpenApiReader, InstantiatesPatterns) {
    EXPECT_EQ(instantiate("/api/v1/groups/{id}/members/{user_id}"), "/api/v1/groups/p/members/p");
    EXPECT_EQ(instantiate("/healthz"), "/healthz");
}

}  // namespace
}  // namespace parley::http
