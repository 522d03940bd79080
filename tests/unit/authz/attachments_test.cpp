// Who may fetch an attachment: the whole rule as one table.

#include <gtest/gtest.h>

#include "authz/authz.hpp"

namespace parley::authz {
namespace {

struct Row {
    bool uploader, sent, reads, visible, answers_card, responses_visible, allowed;
};

TEST(AttachmentFetch, Table) {
    const Row rows[] = {
        // An unsent upload: its uploader only, while they read the conversation.
        {true, false, true, false, false, false, true},
        {false, false, true, false, false, false, false},
        {true, false, false, false, false, false, false},
        // A sent one: whoever sees the message carrying it.
        {false, true, true, true, false, false, true},
        {true, true, true, true, false, false, true},
        {false, true, true, false, false, false, false},  // deleted, before the floor, private
        {true, true, true, false, false, false, false},   // the uploader's message was deleted
        {false, true, false, true, false, false, false},  // no longer reads the conversation
        // A survey's attachment answer: its responder, and whoever sees the card's responses.
        {true, false, true, false, true, false, true},
        {false, false, true, false, true, true, true},
        {false, false, true, false, true, false, false},  // results for the sender only
        {true, false, false, false, true, true, false},   // left the conversation
        {false, false, false, false, true, true, false},
    };
    for (const Row& r : rows) {
        AttachmentFacts f{r.uploader, r.sent,         r.reads,
                          r.visible,  r.answers_card, r.responses_visible};
        EXPECT_EQ(may_fetch_attachment(f), r.allowed)
            << "uploader=" << r.uploader << " sent=" << r.sent << " reads=" << r.reads
            << " visible=" << r.visible << " answers_card=" << r.answers_card
            << " responses_visible=" << r.responses_visible;
    }
}

}  // namespace
}  // namespace parley::authz
