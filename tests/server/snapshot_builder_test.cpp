// host::SnapshotBuilder: new devices' snapshots read on a connection of their own, while the
// replica's connection writes.
#include <gtest/gtest.h>

#include "cunwu/appeals/service.hpp"
#include "cunwu/store/db.hpp"
#include "cunwu/sync/client.hpp"
#include "snapshot_builder.hpp"
#include "support/fixture.hpp"

namespace cunwu::host {
namespace {

class Builder : public ::testing::Test {
 protected:
  Builder() : clock_(testing::demo_start()), replica_(testing::demo_replica("host", clock_, tmp_.file("county.db"))) {}

  EntityId file(const std::string& text) {
    auto id = appeals::Service(*replica_).file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service,
                                                                appeals::Urgency::yellow, text, {}, {}});
    EXPECT_TRUE(id);
    return id ? *id : EntityId();
  }
  Result<std::optional<sync::Snapshot>> build(SnapshotBuilder& b, const std::string& who) {
    return b.build(UserId(who), sync::Client::snapshot_request(ReplicaId("pad-" + who), clock_.now()),
                   replica_->directory_version());
  }

  testing::TempDir tmp_;
  testing::FakeClock clock_;
  std::unique_ptr<Replica> replica_;
};

TEST_F(Builder, ReadsWhatIsCommittedWhileTheReplicaWrites) {
  file("村口路灯坏了。");
  auto committed = replica_->log().ops().max_seq();
  ASSERT_TRUE(committed);
  SnapshotBuilder builder(tmp_.file("county.db"));
  {
    // The replica is inside a write transaction with an op not yet committed: the build neither
    // waits for it (a wait would end in a busy error after 5 s) nor sees its op.
    store::Transaction writing(replica_->db());
    ASSERT_TRUE(writing.status());
    file("水渠堵了。");
    auto snap = build(builder, "staff-qs");
    ASSERT_TRUE(snap) << snap.error().detail;
    ASSERT_TRUE(*snap);
    EXPECT_EQ((*snap)->cursor, *committed);
    ASSERT_TRUE(writing.commit());
  }
  auto after = build(builder, "staff-qs");
  ASSERT_TRUE(after && *after);
  EXPECT_GT((*after)->cursor, *committed);  // the second filing is in the next one
}

TEST_F(Builder, FollowsTheReplicasOrgTreeAndStepsAsideForATreeNotStoredYet) {
  SnapshotBuilder builder(tmp_.file("county.db"));
  ASSERT_TRUE(build(builder, "wang") && *build(builder, "wang"));
  // A villager registers: the replica stores the new tree; the builder opens again to use it.
  org::Directory dir = replica_->directory();
  ASSERT_TRUE(dir.add_user({UserId("u13900000001"), "新村民", RegionId("qs/dq/hs/y1"), std::nullopt}));
  ASSERT_TRUE(dir.grant(UserId("u13900000001"), org::Role::villager, RegionId("qs/dq/hs/y1")));
  ASSERT_TRUE(replica_->set_directory(dir));
  auto newcomer = build(builder, "u13900000001");
  ASSERT_TRUE(newcomer) << newcomer.error().detail;
  EXPECT_TRUE(*newcomer);
  // A tree the database does not hold: nothing, and the caller builds on its replica.
  auto other = builder.build(UserId("wang"), sync::Client::snapshot_request(ReplicaId("pad-x"), clock_.now()), "not-this-tree");
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
}

}  // namespace
}  // namespace cunwu::host
