// sync::rehearse_first_sync: a whole first sync in memory, run before the real one.
#include <gtest/gtest.h>

#include "cunwu/sync/rehearsal.hpp"
#include "support/fixture.hpp"

namespace cunwu::sync {
namespace {

TEST(Rehearsal, AFirstSyncRunsThroughEveryStepAndCanBeRepeated) {
  // It checks itself that the filing was accepted, numbered and pulled back; a second run
  // starts from nothing again (nothing of the first is left to find).
  const TimeMs now = testing::demo_start();
  ASSERT_TRUE(rehearse_first_sync(now)) << rehearse_first_sync(now).error().detail;
  EXPECT_TRUE(rehearse_first_sync(now));
  EXPECT_TRUE(rehearse_first_sync(TimeMs{now.ms + 86'400'000}));
}

}  // namespace
}  // namespace cunwu::sync
