// The host's kept snapshots: one per user, found only for that user, only while the org tree is
// the one they were built with and the log has not run too far past them; the least recently
// used go first past the size limit.
#include <gtest/gtest.h>

#include "snapshot_cache.hpp"

namespace cunwu::host {
namespace {

std::shared_ptr<const PreparedSnapshot> snap(std::int64_t cursor, std::size_t bytes, const std::string& tree = "v1") {
  auto s = std::make_shared<PreparedSnapshot>();
  s->gz.assign(bytes, 'x');
  s->cursor = cursor;
  s->directory_version = tree;
  return s;
}

TEST(SnapshotCache, FoundOnlyForItsUserItsTreeAndWithinTheLag) {
  SnapshotCache cache(1000, 10);
  cache.put(UserId("staff-qs"), snap(100, 10));
  EXPECT_TRUE(cache.find(UserId("staff-qs"), "v1", 100));
  EXPECT_TRUE(cache.find(UserId("staff-qs"), "v1", 110));
  EXPECT_FALSE(cache.find(UserId("staff-qs"), "v1", 111)) << "too far behind";
  EXPECT_FALSE(cache.find(UserId("staff-qs"), "v1", 99)) << "a cut after the log's end is no snapshot of it";
  EXPECT_FALSE(cache.find(UserId("staff-qs"), "v2", 100)) << "another org tree, other rules";
  EXPECT_FALSE(cache.find(UserId("wang"), "v1", 100)) << "nobody else's";
  // A newer cut replaces it; an older one that finishes later does not.
  cache.put(UserId("staff-qs"), snap(105, 10));
  cache.put(UserId("staff-qs"), snap(101, 10));
  EXPECT_EQ(cache.find(UserId("staff-qs"), "v1", 105)->cursor, 105);
  // Under another tree the new one wins whatever its cursor.
  cache.put(UserId("staff-qs"), snap(90, 10, "v2"));
  EXPECT_EQ(cache.find(UserId("staff-qs"), "v2", 95)->cursor, 90);
  EXPECT_EQ(cache.bytes(), 10u);
}

TEST(SnapshotCache, TheLeastRecentlyUsedGoFirstPastTheLimit) {
  SnapshotCache cache(100, 10);
  cache.put(UserId("a"), snap(1, 40));
  cache.put(UserId("b"), snap(1, 40));
  EXPECT_TRUE(cache.find(UserId("a"), "v1", 1));  // a is now the most recently used
  cache.put(UserId("c"), snap(1, 40));            // b goes
  EXPECT_TRUE(cache.find(UserId("a"), "v1", 1));
  EXPECT_FALSE(cache.find(UserId("b"), "v1", 1));
  EXPECT_TRUE(cache.find(UserId("c"), "v1", 1));
  EXPECT_EQ(cache.bytes(), 80u);
  cache.put(UserId("d"), snap(1, 101));  // larger than the whole limit: not kept, nothing dropped
  EXPECT_FALSE(cache.find(UserId("d"), "v1", 1));
  EXPECT_EQ(cache.bytes(), 80u);
  SnapshotCache none(0, 10);  // --snapshot-cache 0
  none.put(UserId("a"), snap(1, 1));
  EXPECT_FALSE(none.find(UserId("a"), "v1", 1));
}

}  // namespace
}  // namespace cunwu::host
