// The pure rules of action cards: specs normalized or refused by field, responses checked per
// question, and the summary updated one response at a time (replacing a response takes its old
// answers back out, min/max included).

#include "service/card_rules.hpp"

#include <gtest/gtest.h>

namespace parley::service::cards {
namespace {

using core::CardType;

constexpr TimestampMs kNow = 1'800'000'000'000;

json survey_spec() {
    return json{{"title", "Site visit"},
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
                  {{"title", "Photo"}, {"type", "attachment"}}}}};
}

std::string code_of(const Result<json>& r) { return r ? "" : r.error().code; }

TEST(CardSpec, PollIsNormalized) {
    auto spec = normalize_spec(CardType::poll,
                               {{"question", "  Lunch?  "}, {"choices", {"Rice", " Noodles "}}});
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_EQ((*spec)["question"], "Lunch?");
    EXPECT_EQ((*spec)["choices"][1], "Noodles");
}

TEST(CardSpec, RefusalsNameTheField) {
    struct Case {
        CardType type;
        json spec;
        const char* field;
    } cases[] = {
        {CardType::poll, {{"question", "Q"}, {"choices", {"only one"}}}, "spec.choices"},
        {CardType::poll, {{"question", ""}, {"choices", {"a", "b"}}}, "spec.question"},
        {CardType::poll, {{"question", "Q"}, {"choices", {"a", "a"}}}, "spec.choices[1]"},
        {CardType::poll, {{"question", "Q"}, {"choices", {"a", 3}}}, "spec.choices[1]"},
        {CardType::poll,
         {{"question", "Q"}, {"choices", {"a", "b"}}, {"colour", 1}},
         "spec.colour"},
        {CardType::survey, {{"title", "S"}, {"questions", json::array()}}, "spec.questions"},
        {CardType::survey,
         {{"title", "S"}, {"questions", {{{"title", "Q"}, {"type", "essay"}}}}},
         "questions[0].type"},
        {CardType::survey,
         {{"title", "S"}, {"questions", {{{"title", "Q"}, {"type", "single_choice"}}}}},
         "questions[0].choices"},
        {CardType::survey,
         {{"title", "S"},
          {"questions", {{{"title", "Q"}, {"type", "text"}, {"choices", {"a", "b"}}}}}},
         "questions[0].choices"},
        {CardType::announcement, {{"title", "T"}}, "spec.text"},
        {CardType::job, {{"title", "T"}, {"assignees", json::array()}}, "spec.assignees"},
        {CardType::checklist, {{"title", "T"}, {"items", json::array()}}, "spec.items"},
    };
    for (const auto& c : cases) {
        auto r = normalize_spec(c.type, c.spec);
        ASSERT_FALSE(r) << c.spec.dump();
        EXPECT_EQ(r.error().code, "card_spec_invalid");
        EXPECT_NE(r.error().message.find(c.field), std::string::npos)
            << r.error().message << " should name " << c.field;
    }
}

TEST(CardSpec, OptionsFitTheType) {
    CardOptions anonymous_job{true, core::ResultsVisibility::all, false, std::nullopt};
    EXPECT_FALSE(check_options(CardType::job, anonymous_job, false, kNow));
    CardOptions multiple_poll{false, core::ResultsVisibility::all, true, std::nullopt};
    EXPECT_FALSE(check_options(CardType::poll, multiple_poll, false, kNow));
    CardOptions past{false, core::ResultsVisibility::all, false, kNow - 1};
    EXPECT_FALSE(check_options(CardType::poll, past, false, kNow));
    auto job = check_options(CardType::job, CardOptions{}, false, kNow);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->results_visibility, core::ResultsVisibility::sender);
    CardOptions sender_checklist{false, core::ResultsVisibility::sender, false, std::nullopt};
    EXPECT_FALSE(check_options(CardType::checklist, sender_checklist, true, kNow));
}

TEST(CardAnswers, EachQuestionTypeIsChecked) {
    auto spec = *normalize_spec(CardType::survey, survey_spec());
    json good = {{"answers",
                  {1,
                   {2, 0},
                   "fine",
                   7.5,
                   "2026-11-26T09:00:00+08:00",
                   {{"latitude", 1.3}, {"longitude", 103.8}, {"name", "Depot"}},
                   "att_123"}}};
    auto ok = normalize_response(CardType::survey, spec, good);
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ((*ok)["answers"][1], json({0, 2}));
    EXPECT_EQ((*ok)["answers"][4], 1'795'654'800'000);

    auto with = [&](std::size_t i, json a) {
        json body = good;
        body["answers"][i] = std::move(a);
        return normalize_response(CardType::survey, spec, body);
    };
    EXPECT_EQ(code_of(with(0, nullptr)), "answer_required");
    EXPECT_EQ(code_of(with(0, 2)), "unknown_choice");
    EXPECT_EQ(code_of(with(0, "Day")), "answer_invalid");
    EXPECT_EQ(code_of(with(1, json::array())), "answer_invalid");
    EXPECT_EQ(code_of(with(1, {0, 0})), "answer_invalid");
    EXPECT_EQ(code_of(with(2, "   ")), "answer_invalid");
    EXPECT_EQ(code_of(with(3, "7")), "answer_invalid");
    EXPECT_EQ(code_of(with(4, "yesterday")), "answer_invalid");
    EXPECT_EQ(code_of(with(5, {{"latitude", 91}, {"longitude", 0}})), "answer_invalid");
    EXPECT_EQ(code_of(with(6, "")), "answer_invalid");
    EXPECT_EQ(code_of(with(2, nullptr)), "");  // optional questions may be left out
    auto refused = with(3, "seven");
    EXPECT_NE(refused.error().message.find("Hours"), std::string::npos);

    json short_body = {{"answers", {1}}};
    EXPECT_EQ(code_of(normalize_response(CardType::survey, spec, short_body)), "answer_invalid");
    EXPECT_EQ(code_of(normalize_response(CardType::survey, spec, {{"done", true}})),
              "answer_invalid");
}

TEST(CardAnswers, JobsAnnouncementsAndChecklists) {
    auto checklist =
        *normalize_spec(CardType::checklist, {{"title", "Open"}, {"items", {"Lights", "Till"}}});
    EXPECT_EQ(code_of(normalize_response(CardType::checklist, checklist,
                                         {{"item", 2}, {"ticked", true}})),
              "unknown_item");
    EXPECT_EQ(code_of(normalize_response(CardType::checklist, checklist, {{"item", 1}})),
              "answer_invalid");
    EXPECT_EQ(code_of(normalize_response(CardType::job, json::object(), {{"done", "yes"}})),
              "answer_invalid");
    EXPECT_EQ(code_of(normalize_response(CardType::announcement, json::object(),
                                         {{"acknowledged", false}})),
              "answer_invalid");
    EXPECT_TRUE(normalize_response(CardType::announcement, json::object(), json::object()));
}

TEST(CardSummary, ReplacingAResponseMovesItsVotes) {
    auto spec = *normalize_spec(CardType::poll, {{"question", "Q"}, {"choices", {"a", "b"}}});
    json s = initial_summary(CardType::poll, spec);
    json vote_a = {{"answers", {0}}};
    json vote_b = {{"answers", {1}}};
    s = apply_response(CardType::poll, spec, s, std::nullopt, vote_a, true, "usr_1", kNow);
    s = apply_response(CardType::poll, spec, s, std::nullopt, vote_a, true, "usr_2", kNow);
    s = apply_response(CardType::poll, spec, s, vote_a, vote_b, false, "usr_2", kNow);
    EXPECT_EQ(s["responses"], 2);
    EXPECT_EQ(s["responders"], 2);
    EXPECT_EQ(s["questions"][0]["counts"], json({1, 1}));
    EXPECT_EQ(s["questions"][0]["answered"], 2);
}

TEST(CardSummary, NumbersKeepExactMinAndMaxAcrossUpdates) {
    auto spec = *normalize_spec(
        CardType::survey, {{"title", "S"}, {"questions", {{{"title", "N"}, {"type", "number"}}}}});
    json s = initial_summary(CardType::survey, spec);
    auto answer = [](double v) { return json{{"answers", {v}}}; };
    s = apply_response(CardType::survey, spec, s, std::nullopt, answer(5), true, "u1", kNow);
    s = apply_response(CardType::survey, spec, s, std::nullopt, answer(9), true, "u2", kNow);
    s = apply_response(CardType::survey, spec, s, answer(9), answer(2), false, "u2", kNow);
    json shown = public_summary(CardType::survey, s);
    EXPECT_EQ(shown["questions"][0]["answered"], 2);
    EXPECT_DOUBLE_EQ(shown["questions"][0]["sum"].get<double>(), 7);
    EXPECT_DOUBLE_EQ(shown["questions"][0]["min"].get<double>(), 2);
    EXPECT_DOUBLE_EQ(shown["questions"][0]["max"].get<double>(), 5);
    EXPECT_FALSE(shown["questions"][0].contains("values"));
}

TEST(CardSummary, JobsAndChecklistsTrackWhoAndWhen) {
    json job = initial_summary(CardType::job, json::object());
    job = apply_response(CardType::job, {}, job, std::nullopt, {{"done", true}}, true, "u1", kNow);
    EXPECT_EQ(job["done"]["u1"], kNow);
    job = apply_response(CardType::job, {}, job, json{{"done", true}}, {{"done", false}}, false,
                         "u1", kNow + 1);
    EXPECT_FALSE(job["done"].contains("u1"));

    auto spec =
        *normalize_spec(CardType::checklist, {{"title", "Open"}, {"items", {"Lights", "Till"}}});
    json s = initial_summary(CardType::checklist, spec);
    s = apply_response(CardType::checklist, spec, s, std::nullopt, {{"item", 1}, {"ticked", true}},
                       true, "u1", kNow);
    EXPECT_EQ(s["ticked"], 1);
    EXPECT_EQ(s["items"][1]["by"], "u1");
    s = apply_response(CardType::checklist, spec, s, json{{"item", 1}, {"ticked", true}},
                       {{"item", 1}, {"ticked", false}}, true, "u2", kNow + 5);
    EXPECT_EQ(s["ticked"], 0);
    EXPECT_EQ(s["items"][1]["by"], "u2");
    EXPECT_EQ(s["items"][1]["at"], kNow + 5);

    auto added = add_checklist_items(spec, s, {"Alarm"});
    ASSERT_TRUE(added);
    EXPECT_EQ(added->first["items"].size(), 3u);
    EXPECT_EQ(added->second["items"].size(), 3u);
    EXPECT_FALSE(add_checklist_items(spec, s, {"Till"}));
}

TEST(CardCsv, AnonymousCardsHaveNoResponderColumn) {
    auto spec = *normalize_spec(CardType::poll, {{"question", "Q"}, {"choices", {"a", "b"}}});
    EXPECT_EQ(csv_header(CardType::poll, spec, true),
              (std::vector<std::string>{"Responded At", "Q"}));
    core::CardResponse r;
    r.updated_at = 0;
    auto row = csv_row(CardType::poll, spec, false, r, {{"answers", {1}}}, "Bob");
    EXPECT_EQ(row, (std::vector<std::string>{"Bob", "1970-01-01T00:00:00.000Z", "b"}));
}

}  // namespace
}  // namespace parley::service::cards
