// Who may fetch an attachment: the whole rule as one table.

#include <gtest/gtest.h>

#include "authz/authz.hpp"

namespace parley::authz {
namespace {

struct Row {
    bool uploader, sent, reads, visible, allowed;
};

TEST(AttachmentFetch, Table) {
    const Row rows[] = {
        // An unsent upload: its uploader only, while they read the conversation.
        {true, false, true, false, true},
        {false, false, true, false, false},
        {true, false, false, false, false},
        // A sent one: whoever sees the message carrying it.
        {false, true, true, true, true},
        {true, true, true, true, true},
        {false, true, true, false, false},  // deleted, before the history floor, private
        {true, true, true, false, false},   // the uploader's message was deleted
        {false, true, false, true, false},  // no longer reads the conversation
    };
    for (const Row& r : rows) {
        AttachmentFacts f{r.uploader, r.sent, r.reads, r.visible};
        EXPECT_EQ(may_fetch_attachment(f), r.allowed)
            << "uploader=" << r.uploader << " sent=" << r.sent << " reads=" << r.reads
            << " visible=" << r.visible;
    }
}

}  // namespace
}  // namespace parley::authz
