#include "auth/session_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace parley::auth {
namespace {

Authenticated entry(const std::string& session_id) {
    Authenticated a;
    a.session.id = session_id;
    a.session.user_id = "usr_1";
    a.user.id = "usr_1";
    return a;
}

TEST(SessionCache, ServesAnEntryUntilItIsStale) {
    ManualClock clock;
    SessionCache cache(clock, SessionCacheSettings{1'000, 10});
    cache.put("h1", entry("ses_1"), cache.generation());

    clock.advance_ms(999);
    const auto fresh = cache.find("h1");
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->session.id, "ses_1");

    clock.advance_ms(1);
    EXPECT_FALSE(cache.find("h1"));
    EXPECT_EQ(cache.size(), 0u);
}

TEST(SessionCache, EvictSessionRemovesItsEntryAtOnce) {
    ManualClock clock;
    SessionCache cache(clock, SessionCacheSettings{});
    cache.put("h1", entry("ses_1"), cache.generation());
    cache.put("h2", entry("ses_2"), cache.generation());
    cache.evict_session("ses_1");
    EXPECT_FALSE(cache.find("h1"));
    EXPECT_TRUE(cache.find("h2"));
    cache.evict_session("ses_unknown");  // harmless
    EXPECT_EQ(cache.size(), 1u);
}

TEST(SessionCache, APutThatRacedWithAnEvictionIsDropped) {
    ManualClock clock;
    SessionCache cache(clock, SessionCacheSettings{});
    const auto before_read = cache.generation();
    cache.evict_session("ses_1");  // revoked while the store read was in flight
    cache.put("h1", entry("ses_1"), before_read);
    EXPECT_FALSE(cache.find("h1"));
}

TEST(SessionCache, StaysWithinMaxEntriesDroppingTheOldest) {
    ManualClock clock;
    SessionCache cache(clock, SessionCacheSettings{60'000, 3});
    for (int i = 0; i < 5; ++i) {
        cache.put("h" + std::to_string(i), entry("ses_" + std::to_string(i)), cache.generation());
        clock.advance_ms(1);
    }
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_FALSE(cache.find("h0"));
    EXPECT_FALSE(cache.find("h1"));
    EXPECT_TRUE(cache.find("h4"));
}

TEST(SessionCache, ZeroFreshnessDisablesIt) {
    ManualClock clock;
    SessionCache cache(clock, SessionCacheSettings{0, 10});
    cache.put("h1", entry("ses_1"), cache.generation());
    EXPECT_FALSE(cache.find("h1"));
    EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace parley::auth
