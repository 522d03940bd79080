#pragma once
// Api: every endpoint under /api/v1 plus /healthz and /metrics. It authenticates the bearer
// token, parses and validates the request, calls one use case, and maps the result or error
// to JSON. handle() blocks (use cases touch the store): the app runs it on the worker pool.
// Thread-safe.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/thread_pool.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "net/http_server.hpp"
#include "service/attachment_service.hpp"
#include "service/card_service.hpp"
#include "service/conversation_service.hpp"
#include "service/export_service.hpp"
#include "service/identity_service.hpp"
#include "service/import_service.hpp"
#include "service/message_service.hpp"
#include "service/organization_service.hpp"
#include "service/reaction_service.hpp"
#include "service/report_service.hpp"

namespace parley::http {

class JsonBody;

struct Services {
    service::IdentityService& identity;
    service::OrganizationService& organizations;
    service::ConversationService& conversations;
    service::MessageService& messages;
    service::ImportService& imports;
    service::ExportService& exports;
    service::AttachmentService& attachments;
    service::CardService& cards;
    service::ReactionService& reactions;
    service::ReportService& reports;
};

class Api {
public:
    // file_work: where downloads read and decrypt their pieces (io threads never block).
    Api(Services services, Metrics& metrics, std::function<Result<void>()> health_check,
        ThreadPool& file_work);

    net::Response handle(const net::Request& request);

    // Issues a stream ticket (POST /api/v1/stream/tickets); until set, that route answers 503.
    // REQUIRES: called before the first handle().
    void set_stream_ticket_issuer(std::function<std::string(const service::Caller&)> issuer) {
        stream_ticket_issuer_ = std::move(issuer);
    }

    // (method, pattern) of every route served, for the OpenAPI conformance test.
    std::vector<std::pair<std::string, std::string>> routes() const;

    struct Context;
    using Handler = std::function<Result<net::Response>(Context&)>;

private:
    Result<net::Response> create_group_with_members(
        Context& c, const JsonBody& body,
        const std::function<Result<core::Conversation>()>& create);
    void add(const char* method, const char* pattern, Handler handler, bool authenticated = true);
    void register_routes();
    void register_attachments_routes();  // api_attachments.cpp
    void register_cards_routes();        // api_cards.cpp
    void register_reactions_routes();    // api_reactions.cpp

    Services s_;
    Metrics& metrics_;
    std::function<Result<void>()> health_check_;
    ThreadPool& file_work_;
    struct Entry {
        Handler handler;
        bool authenticated;
    };
    Router<Entry> router_;
    std::function<std::string(const service::Caller&)> stream_ticket_issuer_;
};

}  // namespace parley::http
