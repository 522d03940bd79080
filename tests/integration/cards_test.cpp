// Issue 5 through the API: action cards. Each type (poll, survey, announcement, job, checklist)
// goes through create → respond → update → close or expire → results and CSV, with the
// anonymity and visibility rules, the refusals (non-members, closed and expired cards, answers
// that do not fit), hierarchical and public groups, reminders, and card.updated live.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "integration/harness.hpp"
#include "integration/ws_client.hpp"

namespace parley::it {
namespace {

std::string card_path(const std::string& id) { return "/api/v1/cards/" + id; }
std::string cards_path(const std::string& conversation) {
    return conv_path(conversation) + "/cards";
}

// RFC 3339 of now + ms (the server's clock is the same machine's).
std::string time_in(std::chrono::milliseconds ms) {
    auto at = std::chrono::system_clock::now() + ms;
    std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

json poll(const json& extra = json::object()) {
    json body = {{"type", "poll"},
                 {"spec", {{"question", "Lunch?"}, {"choices", {"Rice", "Noodles", "Salad"}}}}};
    body.update(extra);
    return body;
}

// Contoso: admin A, and an organization group "Team" of A (admin), Bob and Carol. Dave is
// signed in but in no group.
struct Team {
    explicit Team(std::vector<std::string> extra = {})
        : server([&] {
              auto args = contoso_args();
              args.insert(args.end(), extra.begin(), extra.end());
              return args;
          }()) {}

    std::string group(const std::string& name, const std::vector<std::string>& members,
                      const json& extra = json::object()) {
        json body = {{"name", name}, {"members", members}};
        body.update(extra);
        auto r = server.post(org_path(org) + "/groups", body, a.token);
        EXPECT_EQ(r.status, 201) << r;
        return r.body.value("id", "");
    }

    Response create(const Session& who, const std::string& conversation, const json& body) {
        return server.post(cards_path(conversation), body, who.token);
    }
    std::string card(const Session& who, const std::string& conversation, const json& body) {
        auto r = create(who, conversation, body);
        EXPECT_EQ(r.status, 201) << r;
        return r.body.value("id", "");
    }
    Response respond(const Session& who, const std::string& card, const json& body) {
        return server.post(card_path(card) + "/responses", body, who.token);
    }
    Response get(const Session& who, const std::string& card) {
        return server.get(card_path(card), who.token);
    }

    ParleyServer server;
    Session a = server.sign_in(kAdminPhone);
    Session bob = server.sign_in(kBobPhone);
    Session carol = server.sign_in(kCarolPhone);
    Session dave = server.sign_in(kDavePhone);
    std::string org = first_organization_id(server, a.token);
    std::string team = group("Team", {kBobPhone, kCarolPhone});
};

std::unique_ptr<WsClient> stream_of(ParleyServer& server, const Session& who) {
    auto ws = std::make_unique<WsClient>(server.port(), "/api/v1/stream",
                                         std::vector<std::string>{bearer(who)});
    EXPECT_FALSE(ws->refused);
    EXPECT_EQ(ws->read().value("type", ""), "hello");
    return ws;
}

// The next card.updated of this card (others skipped); null if none came.
json next_card_update(WsClient& ws, const std::string& card) {
    for (;;) {
        json frame = ws.read_until("card.updated");
        if (frame.is_null() || frame["card"]["id"] == card) return frame;
    }
}

TEST(Cards, PollFromCreateToCloseWithResultsAndCsv) {
    Team t;
    auto created = t.create(t.a, t.team, poll());
    ASSERT_EQ(created.status, 201) << created;
    const std::string card = created.body["id"];
    EXPECT_EQ(created.body["type"], "poll");
    EXPECT_EQ(created.body["state"], "active");
    EXPECT_EQ(created.body["message"]["kind"], "card");
    EXPECT_EQ(created.body["message"]["text"], "Lunch?");

    // The card is a message: in history, in order, with its spec.
    auto history = all_messages(t.server.http(), t.team, t.bob.token);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.back()["kind"], "card");
    EXPECT_EQ(history.back()["card"]["id"], card);
    EXPECT_EQ(history.back()["card"]["spec"]["choices"][2], "Salad");

    auto first = t.respond(t.bob, card, {{"answers", {0}}});
    ASSERT_EQ(first.status, 201) << first;
    EXPECT_EQ(first.body["replaced"], false);
    EXPECT_EQ(first.body["summary"]["questions"][0]["counts"], json({1, 0, 0}));
    // A second response from the same person updates the first.
    auto second = t.respond(t.bob, card, {{"answers", {1}}});
    ASSERT_EQ(second.status, 200) << second;
    EXPECT_EQ(second.body["replaced"], true);
    EXPECT_EQ(second.body["response"]["id"], first.body["response"]["id"]);
    ASSERT_EQ(t.respond(t.carol, card, {{"answers", {1}}}).status, 201);

    auto seen = t.get(t.carol, card);
    ASSERT_EQ(seen.status, 200) << seen;
    EXPECT_EQ(seen.body["summary"]["questions"][0]["counts"], json({0, 2, 0}));
    EXPECT_EQ(seen.body["summary"]["responses"], 2);
    EXPECT_EQ(seen.body["participation"]["eligible"], 3);
    EXPECT_EQ(seen.body["participation"]["responded"], 2);
    ASSERT_EQ(seen.body["my_responses"].size(), 1u);
    EXPECT_EQ(seen.body["my_responses"][0]["answers"]["answers"], json({1}));
    EXPECT_EQ(seen.body["can_respond"], true);

    auto responses = t.server.get(card_path(card) + "/responses", t.bob.token);
    ASSERT_EQ(responses.status, 200) << responses;
    ASSERT_EQ(responses.body["responses"].size(), 2u);
    EXPECT_EQ(responses.body["responses"][0]["responder_id"], t.bob.user_id);

    auto csv = t.server.get(card_path(card) + "/results.csv", t.a.token);
    ASSERT_EQ(csv.status, 200) << csv;
    EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
    EXPECT_NE(csv.raw.find("Responder,Responded At,Lunch?"), std::string::npos) << csv.raw;
    EXPECT_NE(csv.raw.find("Noodles"), std::string::npos);
    EXPECT_EQ(t.server.get(card_path(card) + "/results.csv", t.bob.token).error_code(),
              "card_creator_required");

    // Outsiders may not know the card exists.
    EXPECT_EQ(t.get(t.dave, card).error_code(), "card_not_found");
    EXPECT_EQ(t.respond(t.dave, card, {{"answers", {0}}}).error_code(), "card_not_found");

    EXPECT_EQ(t.server.post(card_path(card) + "/close", json::object(), t.bob.token).error_code(),
              "card_creator_required");
    auto closed = t.server.post(card_path(card) + "/close", json::object(), t.a.token);
    ASSERT_EQ(closed.status, 200) << closed;
    EXPECT_EQ(closed.body["state"], "closed");
    auto late = t.respond(t.bob, card, {{"answers", {2}}});
    EXPECT_EQ(late.status, 409) << late;
    EXPECT_EQ(late.error_code(), "card_closed");
    // Refused responses change nothing.
    EXPECT_EQ(t.get(t.a, card).body["summary"]["questions"][0]["counts"], json({0, 2, 0}));
    EXPECT_EQ(t.server.post(card_path(card) + "/close", json::object(), t.a.token).error_code(),
              "card_closed");
}

TEST(Cards, PollAnswersThatDoNotFitAreRefused) {
    Team t;
    const std::string card = t.card(t.a, t.team, poll());
    auto unknown = t.respond(t.bob, card, {{"answers", {3}}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.error_code(), "unknown_choice");
    EXPECT_NE(unknown.error_message().find("Lunch?"), std::string::npos) << unknown;
    EXPECT_EQ(t.respond(t.bob, card, {{"answers", {"Rice"}}}).error_code(), "answer_invalid");
    EXPECT_EQ(t.respond(t.bob, card, {{"answers", json::array()}}).error_code(), "answer_invalid");
    EXPECT_EQ(t.respond(t.bob, card, {{"done", true}}).error_code(), "answer_invalid");
    EXPECT_EQ(t.get(t.a, card).body["summary"]["responses"], 0);
}

TEST(Cards, AnonymousSenderOnlyPollHidesWhoAndWhat) {
    Team t;
    const std::string card =
        t.card(t.a, t.team, poll({{"anonymous", true}, {"results_visibility", "sender"}}));
    ASSERT_EQ(t.respond(t.bob, card, {{"answers", {2}}}).status, 201);
    auto bob_view = t.get(t.bob, card);
    ASSERT_EQ(bob_view.status, 200) << bob_view;
    EXPECT_TRUE(bob_view.body["summary"].is_null());
    EXPECT_TRUE(bob_view.body["response_count"].is_null());
    EXPECT_EQ(bob_view.body["my_responses"].size(), 1u);
    EXPECT_EQ(t.server.get(card_path(card) + "/responses", t.bob.token).error_code(),
              "card_results_hidden");

    auto mine = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(mine.status, 200) << mine;
    ASSERT_EQ(mine.body["responses"].size(), 1u);
    EXPECT_TRUE(mine.body["responses"][0]["responder_id"].is_null());
    auto csv = t.server.get(card_path(card) + "/results.csv", t.a.token);
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.raw.find("Responder"), std::string::npos) << csv.raw;
    EXPECT_EQ(csv.raw.find(kBobPhone), std::string::npos) << csv.raw;
}

TEST(Cards, SurveyWithEveryQuestionTypeAndSeveralResponses) {
    Team t;
    json survey = {
        {"type", "survey"},
        {"allow_multiple", true},
        {"spec",
         {{"title", "Site visit"},
          {"questions",
           {{{"title", "Shift"},
             {"type", "single_choice"},
             {"mandatory", true},
             {"choices", {"Day", "Night"}}},
            {{"title", "Tools"}, {"type", "multiple_choice"}, {"choices", {"A", "B", "C"}}},
            {{"title", "Notes"}, {"type", "text"}},
            {{"title", "Hours"}, {"type", "number"}},
            {{"title", "Arrived"}, {"type", "date_time"}},
            {{"title", "Where"}, {"type", "location"}},
            {{"title", "Photo"}, {"type", "attachment"}}}}}}};
    const std::string card = t.card(t.a, t.team, survey);
    const std::string photo = upload_fixture(t.server, t.bob, t.team, "photo.jpg").value("id", "");
    json answers = {0,
                    {0, 2},
                    "all good",
                    8,
                    "2026-11-26T09:00:00Z",
                    {{"latitude", 1.29}, {"longitude", 103.85}},
                    photo};
    auto one = t.respond(t.bob, card, {{"answers", answers}});
    ASSERT_EQ(one.status, 201) << one;
    answers[3] = 3;
    // One upload answers one response: the second needs its own.
    EXPECT_EQ(t.respond(t.bob, card, {{"answers", answers}}).error_code(),
              "attachment_already_sent");
    answers[6] = upload_fixture(t.server, t.bob, t.team, "picture.png").value("id", "");
    auto two = t.respond(t.bob, card, {{"answers", answers}});
    ASSERT_EQ(two.status, 201) << two;
    EXPECT_NE(one.body["response"]["id"], two.body["response"]["id"]);
    // Updating one of them by its id.
    answers[3] = 12;
    answers[6] = photo;
    auto update =
        t.respond(t.bob, card, {{"answers", answers}, {"response_id", one.body["response"]["id"]}});
    ASSERT_EQ(update.status, 200) << update;
    EXPECT_EQ(update.body["replaced"], true);
    EXPECT_EQ(t.respond(t.carol, card,
                        {{"answers", answers}, {"response_id", one.body["response"]["id"]}})
                  .error_code(),
              "response_not_found");

    auto seen = t.get(t.a, card);
    ASSERT_EQ(seen.status, 200) << seen;
    const json& hours = seen.body["summary"]["questions"][3];
    EXPECT_EQ(hours["answered"], 2);
    EXPECT_EQ(hours["sum"].get<double>(), 15);
    EXPECT_EQ(hours["min"].get<double>(), 3);
    EXPECT_EQ(hours["max"].get<double>(), 12);
    EXPECT_EQ(seen.body["summary"]["questions"][1]["counts"], json({2, 0, 2}));
    EXPECT_EQ(seen.body["summary"]["questions"][4]["min"], "2026-11-26T09:00:00.000Z");
    EXPECT_EQ(seen.body["summary"]["responses"], 2);
    EXPECT_EQ(seen.body["summary"]["responders"], 1);

    json missing = answers;
    missing[0] = nullptr;
    auto required = t.respond(t.carol, card, {{"answers", missing}});
    EXPECT_EQ(required.error_code(), "answer_required");
    EXPECT_NE(required.error_message().find("Shift"), std::string::npos);
    json bad_time = answers;
    bad_time[4] = "next tuesday";
    EXPECT_EQ(t.respond(t.carol, card, {{"answers", bad_time}}).error_code(), "answer_invalid");
    json bad_place = answers;
    bad_place[5] = {{"latitude", 200}, {"longitude", 0}};
    EXPECT_EQ(t.respond(t.carol, card, {{"answers", bad_place}}).error_code(), "answer_invalid");

    auto csv = t.server.get(card_path(card) + "/results.csv", t.a.token);
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.raw.find("Shift,Tools,Notes,Hours,Arrived,Where,Photo"), std::string::npos)
        << csv.raw;
    EXPECT_NE(csv.raw.find("A; C"), std::string::npos) << csv.raw;
    EXPECT_NE(csv.raw.find(photo), std::string::npos);
}

TEST(Cards, ASurveysAttachmentAnswerIsTheRespondersOwnUploadAndSharedWithTheResults) {
    Team t;
    json survey = {{"type", "survey"},
                   {"results_visibility", "sender"},
                   {"spec",
                    {{"title", "Shelf check"},
                     {"questions", {{{"title", "Photo of the shelf"}, {"type", "attachment"}}}}}}};
    const std::string card = t.card(t.a, t.team, survey);
    auto answer = [&](const Session& who, const std::string& id) {
        return t.respond(who, card, {{"answers", {id}}});
    };
    // An id that is not an upload, or not the responder's own, is refused.
    EXPECT_EQ(answer(t.bob, "att_made_up").error_code(), "attachment_not_found");
    const std::string carols = upload_fixture(t.server, t.carol, t.team, "photo.jpg")["id"];
    EXPECT_EQ(answer(t.bob, carols).error_code(), "attachment_not_found");
    // Nor an upload to another conversation, or one already sent with a message.
    const std::string elsewhere = t.group("Elsewhere", {kBobPhone});
    const std::string other = upload_fixture(t.server, t.bob, elsewhere, "photo.jpg")["id"];
    EXPECT_EQ(answer(t.bob, other).error_code(), "attachment_not_found");
    const std::string sent = upload_fixture(t.server, t.bob, t.team, "picture.png")["id"];
    ASSERT_EQ(t.server.post(messages_path(t.team), {{"attachments", {sent}}}, t.bob.token).status,
              201);
    EXPECT_EQ(answer(t.bob, sent).error_code(), "attachment_already_sent");

    const std::string photo = upload_fixture(t.server, t.bob, t.team, "photo.jpg")["id"];
    auto given = answer(t.bob, photo);
    ASSERT_EQ(given.status, 201) << given;
    // Answering again (the card takes one response per person) may name the same upload.
    auto again = answer(t.bob, photo);
    ASSERT_EQ(again.status, 200) << again;
    // The responder sees which file their response answers with; others see none of theirs.
    auto bobs_view = t.get(t.bob, card);
    ASSERT_EQ(bobs_view.body["my_attachments"].size(), 1u) << bobs_view;
    EXPECT_EQ(bobs_view.body["my_attachments"][0]["id"], photo);
    EXPECT_EQ(bobs_view.body["my_attachments"][0]["name"], "photo.jpg");
    EXPECT_EQ(t.get(t.carol, card).body["my_attachments"], json::array());
    EXPECT_EQ(t.get(t.a, card).body["my_attachments"], json::array());
    // Once an answer, it cannot also be sent as a message.
    EXPECT_EQ(
        t.server.post(messages_path(t.team), {{"attachments", {photo}}}, t.bob.token).error_code(),
        "attachment_already_sent");

    // Its responder and whoever sees the responses fetch it; results for the sender only keep
    // it from the other members.
    const std::string path = "/api/v1/attachments/" + photo;
    EXPECT_EQ(t.server.get(path, t.bob.token).status, 200);
    auto creator = t.server.get(path, t.a.token);
    EXPECT_EQ(creator.status, 200) << creator;
    EXPECT_EQ(creator.raw, attachment_fixture("photo.jpg"));
    EXPECT_EQ(t.server.get(path, t.carol.token).error_code(), "attachment_not_found");
    EXPECT_EQ(t.server.get(path, t.dave.token).error_code(), "attachment_not_found");
    auto responses = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(responses.status, 200) << responses;
    EXPECT_EQ(responses.body["responses"][0]["answers"]["answers"][0], photo) << responses;
    // With what a client needs to show the file in the page, as it shows a message's.
    ASSERT_EQ(responses.body["attachments"].size(), 1u) << responses;
    const json& file = responses.body["attachments"][0];
    EXPECT_EQ(file["id"], photo);
    EXPECT_EQ(file["kind"], "picture");
    EXPECT_EQ(file["content_type"], "image/jpeg");
    EXPECT_EQ(file["name"], "photo.jpg");
    EXPECT_EQ(file["uploader_id"], t.bob.user_id);
    EXPECT_EQ(file["has_thumbnail"], true);
    EXPECT_EQ(t.server.get(file["thumbnail_url"].get<std::string>(), t.a.token).status, 200);

    // Answering with another photo gives the first back to Bob: the card's creator no longer
    // fetches it, and Bob may send it as a message after all.
    const std::string better = upload_fixture(t.server, t.bob, t.team, "picture.png")["id"];
    auto changed = answer(t.bob, better);
    ASSERT_EQ(changed.status, 200) << changed;
    EXPECT_EQ(t.server.get(path, t.a.token).error_code(), "attachment_not_found");
    EXPECT_EQ(t.server.get("/api/v1/attachments/" + better, t.a.token).status, 200);
    auto listed = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(listed.body["attachments"].size(), 1u) << listed;
    auto changed_view = t.get(t.bob, card);
    ASSERT_EQ(changed_view.body["my_attachments"].size(), 1u) << changed_view;
    EXPECT_EQ(changed_view.body["my_attachments"][0]["id"], better);
    EXPECT_EQ(listed.body["attachments"][0]["id"], better);
    EXPECT_EQ(listed.body["attachments"][0]["kind"], "picture");
    auto resent = t.server.post(messages_path(t.team), {{"attachments", {photo}}}, t.bob.token);
    EXPECT_EQ(resent.status, 201) << resent;
    // The new answer stays claimed.
    EXPECT_EQ(
        t.server.post(messages_path(t.team), {{"attachments", {better}}}, t.bob.token).error_code(),
        "attachment_already_sent");
}

TEST(Cards, AnAnonymousSurveysFilesDoNotNameWhoAnswered) {
    Team t;
    json survey = {{"type", "survey"},
                   {"anonymous", true},
                   {"spec",
                    {{"title", "Hazards"},
                     {"questions", {{{"title", "A photo of it"}, {"type", "attachment"}}}}}}};
    const std::string card = t.card(t.a, t.team, survey);
    auto empty = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(empty.status, 200) << empty;
    EXPECT_EQ(empty.body["attachments"], json::array());
    const std::string photo = upload_fixture(t.server, t.bob, t.team, "photo.jpg")["id"];
    ASSERT_EQ(t.respond(t.bob, card, {{"answers", {photo}}}).status, 201);

    auto responses = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(responses.status, 200) << responses;
    EXPECT_EQ(responses.body["responses"][0]["responder_id"], nullptr);
    ASSERT_EQ(responses.body["attachments"].size(), 1u) << responses;
    EXPECT_EQ(responses.body["attachments"][0]["id"], photo);
    EXPECT_EQ(responses.body["attachments"][0]["uploader_id"], nullptr) << responses;
    EXPECT_EQ(responses.raw.find(t.bob.user_id), std::string::npos) << responses;
}

TEST(Cards, AnAnnouncementCarriesMediaThatItsReadersFetch) {
    Team t;
    const std::string picture = upload_fixture(t.server, t.a, t.team, "photo.jpg")["id"];
    const std::string document = upload_fixture(t.server, t.a, t.team, "document.pdf")["id"];
    auto made = t.create(t.a, t.team,
                         {{"type", "announcement"},
                          {"spec", {{"title", "New uniform"}, {"text", "See the pictures"}}},
                          {"attachments", {picture, document}}});
    ASSERT_EQ(made.status, 201) << made;
    const json& carried = made.body["message"]["attachments"];
    ASSERT_EQ(carried.size(), 2u) << made;
    EXPECT_EQ(carried[0]["id"], picture);
    EXPECT_EQ(carried[1]["id"], document);
    const std::string card = made.body["id"];
    // The card's message carries them in the history, and members fetch them.
    auto history = all_messages(t.server.http(), t.team, t.carol.token);
    auto it = std::find_if(history.begin(), history.end(),
                           [&](const json& m) { return m.value("kind", "") == "card"; });
    ASSERT_NE(it, history.end());
    EXPECT_EQ((*it)["attachments"].size(), 2u) << *it;
    auto fetched = t.server.get("/api/v1/attachments/" + picture, t.carol.token);
    EXPECT_EQ(fetched.status, 200) << fetched;
    EXPECT_EQ(fetched.raw, attachment_fixture("photo.jpg"));
    EXPECT_EQ(t.server.get("/api/v1/attachments/" + picture, t.dave.token).error_code(),
              "attachment_not_found");

    // Media belong to announcements; an upload serves once; it must be the creator's own.
    const std::string another = upload_fixture(t.server, t.a, t.team, "picture.png")["id"];
    EXPECT_EQ(t.create(t.a, t.team, poll({{"attachments", {another}}})).error_code(),
              "card_spec_invalid");
    json again = {{"type", "announcement"},
                  {"spec", {{"title", "Again"}, {"text", "x"}}},
                  {"attachments", {picture}}};
    EXPECT_EQ(t.create(t.a, t.team, again).error_code(), "attachment_already_sent");
    json someone_elses = again;
    someone_elses["attachments"] = {another};
    EXPECT_EQ(t.create(t.bob, t.team, someone_elses).error_code(), "attachment_not_found");
    json not_strings = again;
    not_strings["attachments"] = {1, 2};
    EXPECT_EQ(t.create(t.a, t.team, not_strings).status, 400);
    // Nothing refused was posted: still one card in the conversation.
    history = all_messages(t.server.http(), t.team, t.a.token);
    EXPECT_EQ(std::count_if(history.begin(), history.end(),
                            [](const json& m) { return m.value("kind", "") == "card"; }),
              1);
}

TEST(Cards, AnnouncementAcknowledgementsAndReminders) {
    Team t;
    auto carol_stream = stream_of(t.server, t.carol);
    const std::string card = t.card(
        t.a, t.team, {{"type", "announcement"}, {"spec", {{"title", "Audit"}, {"text", "Fri"}}}});
    ASSERT_EQ(t.respond(t.bob, card, json::object()).status, 201);
    auto status = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(status.status, 200) << status;
    ASSERT_EQ(status.body["acknowledged"].size(), 1u);
    EXPECT_EQ(status.body["acknowledged"][0]["user_id"], t.bob.user_id);
    EXPECT_EQ(status.body["not_acknowledged"], json({t.carol.user_id}));
    // Bob of Bob and Carol: the sender is not asked to acknowledge.
    auto seen = t.get(t.a, card);
    EXPECT_EQ(seen.body["participation"]["eligible"], 2) << seen;
    EXPECT_EQ(seen.body["participation"]["responded"], 1) << seen;
    // Announcements report to their sender.
    EXPECT_EQ(t.server.get(card_path(card) + "/responses", t.bob.token).error_code(),
              "card_results_hidden");

    EXPECT_EQ(t.server.post(card_path(card) + "/remind", json::object(), t.bob.token).error_code(),
              "card_creator_required");
    auto reminded = t.server.post(card_path(card) + "/remind", json::object(), t.a.token);
    ASSERT_EQ(reminded.status, 200) << reminded;
    EXPECT_EQ(reminded.body["reminded"], json({t.carol.user_id}));
    json frame = carol_stream->read_until("card.reminder");
    ASSERT_FALSE(frame.is_null());
    EXPECT_EQ(frame["card"]["id"], card);
    EXPECT_FALSE(t.get(t.carol, card).body["reminded_at"].is_null());
    EXPECT_TRUE(t.get(t.bob, card).body["reminded_at"].is_null());

    auto again = t.server.post(card_path(card) + "/remind", json::object(), t.a.token);
    EXPECT_EQ(again.status, 429) << again;
    EXPECT_EQ(again.error_code(), "reminder_too_soon");
    EXPECT_FALSE(again.header("retry-after").empty());
}

TEST(Cards, JobsAreDoneByTheirAssigneesOnly) {
    Team t;
    EXPECT_EQ(
        t.create(t.a, t.team,
                 {{"type", "job"}, {"spec", {{"title", "Fix"}, {"assignees", {t.dave.user_id}}}}})
            .error_code(),
        "card_spec_invalid");
    const std::string card =
        t.card(t.a, t.team,
               {{"type", "job"}, {"spec", {{"title", "Fix"}, {"assignees", {t.bob.user_id}}}}});
    EXPECT_EQ(t.respond(t.carol, card, {{"done", true}}).error_code(), "not_an_assignee");
    ASSERT_EQ(t.respond(t.bob, card, {{"done", true}}).status, 201);
    auto status = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(status.status, 200) << status;
    ASSERT_EQ(status.body["assignees"].size(), 1u);
    EXPECT_EQ(status.body["assignees"][0]["user_id"], t.bob.user_id);
    EXPECT_EQ(status.body["assignees"][0]["done"], true);
    ASSERT_EQ(t.respond(t.bob, card, {{"done", false}}).status, 200);
    status = t.server.get(card_path(card) + "/responses", t.a.token);
    EXPECT_EQ(status.body["assignees"][0]["done"], false);
    EXPECT_EQ(t.get(t.a, card).body["participation"]["eligible"], 1);
}

TEST(Cards, ChecklistItemsAreTickedByAnyoneAndAddedByTheCreator) {
    Team t;
    const std::string card = t.card(
        t.a, t.team,
        {{"type", "checklist"}, {"spec", {{"title", "Open"}, {"items", {"Lights", "Till"}}}}});
    ASSERT_EQ(t.respond(t.bob, card, {{"item", 0}, {"ticked", true}}).status, 201);
    auto untick = t.respond(t.carol, card, {{"item", 0}, {"ticked", false}});
    ASSERT_EQ(untick.status, 200) << untick;
    ASSERT_EQ(t.respond(t.carol, card, {{"item", 1}, {"ticked", true}}).status, 201);
    auto seen = t.get(t.bob, card);
    ASSERT_EQ(seen.status, 200) << seen;
    EXPECT_EQ(seen.body["summary"]["items"][0]["ticked"], false);
    EXPECT_EQ(seen.body["summary"]["items"][0]["by"], t.carol.user_id);
    EXPECT_EQ(seen.body["summary"]["items"][1]["ticked"], true);
    EXPECT_EQ(seen.body["summary"]["ticked"], 1);
    EXPECT_EQ(t.respond(t.bob, card, {{"item", 5}, {"ticked", true}}).error_code(), "unknown_item");

    EXPECT_EQ(
        t.server.post(card_path(card) + "/items", {{"items", {"Alarm"}}}, t.bob.token).error_code(),
        "card_creator_required");
    auto added = t.server.post(card_path(card) + "/items", {{"items", {"Alarm"}}}, t.a.token);
    ASSERT_EQ(added.status, 200) << added;
    EXPECT_EQ(added.body["spec"]["items"].size(), 3u);
    ASSERT_EQ(t.respond(t.bob, card, {{"item", 2}, {"ticked", true}}).status, 201);
}

TEST(Cards, CardsExpireOnReadAndTheSweepAnnouncesIt) {
    Team t({"--card-sweep-interval", "1"});
    auto bob_stream = stream_of(t.server, t.bob);
    const std::string card =
        t.card(t.a, t.team, poll({{"due_at", time_in(std::chrono::seconds(5))}}));
    ASSERT_EQ(t.respond(t.bob, card, {{"answers", {0}}}).status, 201);
    json update;
    do {
        update = next_card_update(*bob_stream, card);
        ASSERT_FALSE(update.is_null()) << "no card.updated with state expired";
    } while (update["card"]["state"] != "expired");
    EXPECT_EQ(t.get(t.bob, card).body["state"], "expired");
    auto late = t.respond(t.carol, card, {{"answers", {1}}});
    EXPECT_EQ(late.status, 409);
    EXPECT_EQ(late.error_code(), "card_expired");
    EXPECT_EQ(t.server.post(card_path(card) + "/close", json::object(), t.a.token).error_code(),
              "card_expired");
    // Results stay readable and exportable.
    EXPECT_EQ(t.get(t.a, card).body["summary"]["responses"], 1);
    EXPECT_EQ(t.server.get(card_path(card) + "/results.csv", t.a.token).status, 200);
}

TEST(Cards, CardUpdatedReachesMembersLiveWithCountsOnly) {
    Team t;
    auto bob_stream = stream_of(t.server, t.bob);
    const std::string card = t.card(t.a, t.team, poll());
    json created;
    do {  // the group's earlier system messages may still be on their way
        created = bob_stream->read_until("message.created");
        ASSERT_FALSE(created.is_null());
    } while (created["message"]["kind"] != "card");
    EXPECT_EQ(created["message"]["card"]["id"], card);
    EXPECT_EQ(created["message"]["card"]["spec"]["question"], "Lunch?");

    ASSERT_EQ(t.respond(t.carol, card, {{"answers", {1}}}).status, 201);
    json update = next_card_update(*bob_stream, card);
    ASSERT_FALSE(update.is_null());
    EXPECT_EQ(update["conversation_id"], t.team);
    EXPECT_EQ(update["card"]["state"], "active");
    EXPECT_EQ(update["card"]["response_count"], 1);
    EXPECT_FALSE(update.contains("summary"));  // details are fetched, as each reader may see

    ASSERT_EQ(t.server.post(card_path(card) + "/close", json::object(), t.a.token).status, 200);
    update = next_card_update(*bob_stream, card);
    ASSERT_FALSE(update.is_null());
    EXPECT_EQ(update["card"]["state"], "closed");

    // Sender-only results: the event carries no count.
    const std::string hidden = t.card(t.a, t.team, poll({{"results_visibility", "sender"}}));
    ASSERT_EQ(t.respond(t.carol, hidden, {{"answers", {0}}}).status, 201);
    update = next_card_update(*bob_stream, hidden);
    ASSERT_FALSE(update.is_null());
    EXPECT_FALSE(update["card"].contains("response_count"));
}

TEST(Cards, HierarchicalGroupsTakeCardsWhereTextIsRefusedAndCardsFlowDown) {
    Team t;
    const std::string parent = t.group("Region", {kBobPhone});
    const std::string child = t.group("Branch", {kCarolPhone});
    auto linked = t.server.put(group_path(child) + "/parent", {{"parent_id", parent}}, t.a.token);
    ASSERT_EQ(linked.status, 200) << linked;

    auto text = t.server.post(messages_path(parent), {{"text", "hello all"}}, t.bob.token);
    EXPECT_EQ(text.error_code(), "parent_group_text_refused");
    const std::string card = t.card(t.bob, parent, poll());

    // Carol, in the child group, sees the card and answers it, but cannot post one up.
    auto history = all_messages(t.server.http(), parent, t.carol.token);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.back()["card"]["id"], card);
    ASSERT_EQ(t.respond(t.carol, card, {{"answers", {2}}}).status, 201);
    EXPECT_EQ(t.create(t.carol, parent, poll()).error_code(), "inherited_member_cannot_send");
    EXPECT_EQ(t.get(t.bob, card).body["participation"]["eligible"], 3);
}

TEST(Cards, PublicGroupSubscribersRespondButOnlyAdminsSeeResults) {
    Team t;
    const std::string updates = t.group("Updates", {kBobPhone, kCarolPhone}, {{"type", "public"}});
    EXPECT_EQ(t.create(t.bob, updates, poll()).error_code(), "public_group_cards_admins_only");
    const std::string card = t.card(t.a, updates, poll());
    ASSERT_EQ(t.respond(t.bob, card, {{"answers", {0}}}).status, 201);
    ASSERT_EQ(t.respond(t.carol, card, {{"answers", {0}}}).status, 201);
    auto bob_view = t.get(t.bob, card);
    ASSERT_EQ(bob_view.status, 200) << bob_view;
    EXPECT_TRUE(bob_view.body["summary"].is_null());
    EXPECT_EQ(t.server.get(card_path(card) + "/responses", t.bob.token).error_code(),
              "card_results_hidden");
    auto admin_view = t.server.get(card_path(card) + "/responses", t.a.token);
    ASSERT_EQ(admin_view.status, 200);
    EXPECT_EQ(admin_view.body["responses"].size(), 2u);
}

TEST(Cards, PrivateChatsAndPrivateGroupsTakeCards) {
    Team t;
    auto chat = t.server.post("/api/v1/chats", {{"phone", kDavePhone}}, t.bob.token);
    ASSERT_EQ(chat.status, 201) << chat;
    const std::string card = t.card(t.bob, chat.body["id"], poll());
    ASSERT_EQ(t.respond(t.dave, card, {{"answers", {1}}}).status, 201);
    EXPECT_EQ(t.get(t.bob, card).body["summary"]["questions"][0]["counts"], json({0, 1, 0}));
    EXPECT_EQ(t.server.post(card_path(card) + "/close", json::object(), t.dave.token).error_code(),
              "card_creator_required");
    EXPECT_EQ(t.get(t.carol, card).error_code(), "card_not_found");
}

}  // namespace
}  // namespace parley::it
