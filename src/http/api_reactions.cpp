// Reactions (issue 5): likes of a message, the people who like it, and its comments (the
// replies to it; a comment is sent as a message with reply_to).

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/api.hpp"
#include "http/api_context.hpp"
#include "http/json_body.hpp"
#include "http/serialize.hpp"

namespace parley::http {

using nlohmann::json;

namespace {

json to_json(const service::ReactionSummary& s) {
    return {{"conversation_id", s.conversation_id},
            {"message_id", s.message_id},
            {"reactions", reactions_json(s.like_count, s.liked)},
            {"comment_count", s.comment_count}};
}

// Who likes it, and when: the id and name only (a liker's phone number is not the reader's
// business).
json to_json(const store::Like& like) {
    return {{"user_id", like.user.id},
            {"name", like.user.name},
            {"liked_at", format_rfc3339(like.liked_at)}};
}

// The one reaction there is so far; any other name is a route that does not exist.
Result<void> known_reaction(const std::string& name) {
    if (name == "like") return ok();
    return fail(ErrorKind::not_found, "unknown_reaction",
                "No such reaction: \"" + name + "\". Messages take \"like\".");
}

}  // namespace

void Api::register_reactions_routes() {
    // PUT likes, DELETE takes the like back; both idempotent.
    auto set_like = [this](bool liked) {
        return [this, liked](Context& c) -> Result<net::Response> {
            PARLEY_TRY_VOID(known_reaction(c.param("reaction")));
            PARLEY_TRY_VOID(JsonBody::parse(c.request.body, {}));  // no body, or {}
            PARLEY_TRY_ASSIGN(auto summary, s_.reactions.set_like(c.me(), c.param("id"),
                                                                  c.param("message_id"), liked));
            return json_response(200, to_json(summary));
        };
    };
    add("PUT", "/api/v1/conversations/{id}/messages/{message_id}/reactions/{reaction}",
        set_like(true));
    add("DELETE", "/api/v1/conversations/{id}/messages/{message_id}/reactions/{reaction}",
        set_like(false));

    add("GET", "/api/v1/conversations/{id}/messages/{message_id}/reactions",
        [this](Context& c) -> Result<net::Response> {
            PARLEY_TRY_ASSIGN(auto after, c.query_int("after"));
            PARLEY_TRY_ASSIGN(auto limit, c.query_int("limit"));
            PARLEY_TRY_ASSIGN(
                auto page,
                s_.reactions.likers(
                    c.me(), c.param("id"), c.param("message_id"), after.value_or(0),
                    static_cast<int>(std::clamp<std::int64_t>(limit.value_or(50), -1, 100000))));
            json j = to_json(page.summary);
            json likes = json::array();
            for (const auto& like : page.likes) likes.push_back(to_json(like));
            j["likes"] = std::move(likes);
            j["likes_partial"] = page.partial;
            j["next_after"] = page.next_after ? json(*page.next_after) : json(nullptr);
            return json_response(200, j);
        });

    add("GET", "/api/v1/conversations/{id}/messages/{message_id}/comments",
        [this](Context& c) -> Result<net::Response> {
            store::MessageRange range;
            PARLEY_TRY_ASSIGN(range.after, c.query_int("after"));
            PARLEY_TRY_ASSIGN(range.before, c.query_int("before"));
            PARLEY_TRY_ASSIGN(auto limit, c.query_int("limit"));
            range.limit =
                static_cast<int>(std::clamp<std::int64_t>(limit.value_or(50), -1, 100000));
            PARLEY_TRY_ASSIGN(auto page, s_.reactions.comments(c.me(), c.param("id"),
                                                               c.param("message_id"), range));
            json items = json::array();
            for (const auto& m : page.messages) items.push_back(http::to_json(m));
            return json_response(200, {{"comments", items}, {"has_more", page.has_more}});
        });
}

}  // namespace parley::http
