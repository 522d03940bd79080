// The audience cache: one store read per conversation until something may have changed it;
// forgetting by conversation or by organization, unless the entry was read after the event that
// would forget it was published; a bounded size; errors are not cached.

#include "realtime/audience.hpp"

#include <gtest/gtest.h>

#include <map>

namespace parley::realtime {
namespace {

struct FakeStore {
    std::map<core::Id, Audience> audiences;
    int reads = 0;
    bool failing = false;
    AudienceLookup lookup() {
        return [this](const core::Id& c) -> Result<Audience> {
            ++reads;
            if (failing) return fail(ErrorKind::unavailable, "store_unavailable", "down");
            return audiences.at(c);
        };
    }
};

TEST(AudienceCache, ReadsOncePerConversation) {
    FakeStore store;
    store.audiences["c1"] = {"org_1", {"u1", "u2"}};
    store.audiences["c2"] = {"", {"u3"}};
    AudienceCache cache(store.lookup());
    EXPECT_EQ((*cache.get("c1"))->user_ids, (std::vector<core::Id>{"u1", "u2"}));
    EXPECT_EQ((*cache.get("c1"))->organization_id, "org_1");
    EXPECT_EQ((*cache.get("c2"))->user_ids, (std::vector<core::Id>{"u3"}));
    cache.get("c2");
    EXPECT_EQ(store.reads, 2);
    EXPECT_EQ(cache.lookups(), 2u);
    EXPECT_EQ(cache.size(), 2u);
}

TEST(AudienceCache, ForgetsOneConversationOrAWholeOrganization) {
    FakeStore store;
    store.audiences["c1"] = {"org_1", {"u1"}};
    store.audiences["c2"] = {"org_1", {"u1"}};
    store.audiences["c3"] = {"org_2", {"u1"}};
    store.audiences["c4"] = {"", {"u1"}};
    AudienceCache cache(store.lookup());
    for (const char* c : {"c1", "c2", "c3", "c4"}) cache.get(c);
    store.audiences["c1"].user_ids = {"u1", "u9"};
    cache.forget("c1");
    EXPECT_EQ((*cache.get("c1"))->user_ids, (std::vector<core::Id>{"u1", "u9"}));
    EXPECT_EQ(store.reads, 5);
    cache.forget_organization("org_1");
    EXPECT_EQ(cache.size(), 2u);  // c3 and c4 stay
    cache.get("c3");
    cache.get("c4");
    EXPECT_EQ(store.reads, 5);
    cache.get("c2");
    EXPECT_EQ(store.reads, 6);
}

TEST(AudienceCache, KeepsWhatWasReadAfterTheForgettingEventWasPublished) {
    FakeStore store;
    store.audiences["c1"] = {"org_1", {"u1"}};
    store.audiences["c2"] = {"org_1", {"u1"}};
    std::uint64_t published = 4;  // events 1–4 published, so committed
    AudienceCache cache(store.lookup(), 100, [&] { return published; });
    cache.get("c1");  // includes the changes of events 1–4
    published = 6;
    cache.get("c2");  // of 1–6

    // Events 3 and 4 changed nothing the reads did not see.
    cache.forget("c1", 3);
    cache.forget("c1", 4);
    cache.forget_organization("org_1", 4);
    cache.get("c1");
    cache.get("c2");
    EXPECT_EQ(store.reads, 2);

    // Event 5 came after c1 was read, not after c2.
    cache.forget_organization("org_1", 5);
    cache.get("c2");
    EXPECT_EQ(store.reads, 2);
    cache.get("c1");
    EXPECT_EQ(store.reads, 3);

    // An event of unknown place forgets whatever was read.
    cache.forget("c2");
    cache.get("c2");
    EXPECT_EQ(store.reads, 4);
}

TEST(AudienceCache, ErrorsAreReturnedAndNotCached) {
    FakeStore store;
    store.audiences["c1"] = {"", {"u1"}};
    AudienceCache cache(store.lookup());
    store.failing = true;
    auto failed = cache.get("c1");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, "store_unavailable");
    store.failing = false;
    ASSERT_TRUE(cache.get("c1"));
    EXPECT_EQ(store.reads, 2);
}

TEST(AudienceCache, StartsOverWhenFull) {
    FakeStore store;
    for (int i = 0; i < 5; ++i) store.audiences["c" + std::to_string(i)] = {"", {"u"}};
    AudienceCache cache(store.lookup(), /*max_entries=*/3);
    for (int i = 0; i < 5; ++i) cache.get("c" + std::to_string(i));
    EXPECT_LE(cache.size(), 3u);
    EXPECT_GE(cache.size(), 1u);
}

}  // namespace
}  // namespace parley::realtime
