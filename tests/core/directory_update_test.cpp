// A device takes the host's newer org tree: the tree's canonical JSON and fingerprint, and the
// re-fold of what a person the device did not know yet had done (regression: a villager who
// registered after the courtyard head's phone got the tree filed an appeal, and the head's phone
// kept it as an unknown_user conflict).
#include <gtest/gtest.h>

#include "cunwu/appeals/service.hpp"
#include "cunwu/org/directory.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using testing::demo_directory;
using testing::demo_replica;
using testing::demo_start;
using testing::FakeClock;


org::Directory with_newcomer() {
  org::Directory dir = demo_directory();
  EXPECT_TRUE(dir.add_user(org::User{UserId("u13900000042"), "孟小梅", kY1, std::nullopt}).ok());
  EXPECT_TRUE(dir.grant(UserId("u13900000042"), org::Role::villager, kY1).ok());
  return dir;
}

TEST(DirectoryJson, RoundTripKeepsTheVersionAndAChangeChangesIt) {
  const auto& demo = demo_directory();
  auto again = org::directory_from_json(org::directory_to_json(demo));
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_EQ(org::directory_version(*again), org::directory_version(demo));
  EXPECT_EQ(org::directory_to_json(*again), org::directory_to_json(demo));
  EXPECT_EQ(org::directory_version(demo).size(), 16u);
  EXPECT_NE(org::directory_version(with_newcomer()), org::directory_version(demo));
}

TEST(DirectoryJson, GrantOrderDoesNotChangeTheVersion) {
  org::Directory a = demo_directory(), b = demo_directory();
  ASSERT_TRUE(a.grant(UserId("cadre-hs"), org::Role::shopkeeper, RegionId("qs/dq/hs")).ok());
  ASSERT_TRUE(a.grant(UserId("cadre-hs"), org::Role::deputy, RegionId("qs/dq")).ok());
  ASSERT_TRUE(b.grant(UserId("cadre-hs"), org::Role::deputy, RegionId("qs/dq")).ok());
  ASSERT_TRUE(b.grant(UserId("cadre-hs"), org::Role::shopkeeper, RegionId("qs/dq/hs")).ok());
  EXPECT_EQ(org::directory_version(a), org::directory_version(b));
}

TEST(UpdateDirectory, AnAppealOfSomeoneWhoJoinedLaterFoldsOnceTheTreeArrives) {
  FakeClock clock(demo_start());
  auto host = demo_replica("host", clock);
  auto head = demo_replica("phone-head", clock);
  ASSERT_TRUE(host->set_directory(with_newcomer()).ok());
  auto id = appeals::Service(*host).file(UserId("u13900000042"),
                                         appeals::FileRequest{kY1, appeals::Category::hazard, appeals::Urgency::yellow,
                                                              "村口的路灯坏了", {}});
  ASSERT_TRUE(id.ok()) << id.error().detail;
  auto ops = host->log().ops().entity_ops(*id);
  ASSERT_TRUE(ops.ok());

  // The head's phone still has the tree of before: the filing is kept as a conflict.
  ASSERT_TRUE(head->receive(*ops).ok());
  auto conflicts = head->conflicts();
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_EQ((*conflicts)[0].error.code, Errc::unknown_user);
  EXPECT_FALSE(appeals::Service(*head).get(*id).ok());

  auto refolded = head->update_directory(host->directory());
  ASSERT_TRUE(refolded.ok()) << refolded.error().detail;
  ASSERT_TRUE(refolded->has_value());
  EXPECT_EQ(**refolded, 1u);
  EXPECT_TRUE(head->conflicts()->empty());
  auto appeal = appeals::Service(*head).get(*id);
  ASSERT_TRUE(appeal.ok()) << appeal.error().detail;
  EXPECT_EQ(appeal->filer, UserId("u13900000042"));
  EXPECT_EQ(org::directory_version(head->directory()), org::directory_version(host->directory()));

  // The same tree again changes nothing; the head can now act on the appeal.
  auto same = head->update_directory(host->directory());
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->has_value());
  EXPECT_TRUE(appeals::Service(*head).accept(UserId("head-hs1"), *id).ok());
  EXPECT_EQ(head->canonical_dump().value().find("conflict"), std::string::npos);
}

TEST(UpdateDirectory, TheNewTreeIsStoredAndComesBackOnReopen) {
  testing::TempDir dir;
  FakeClock clock(demo_start());
  {
    auto phone = demo_replica("phone", clock, dir.file("phone.db"));
    ASSERT_TRUE(phone->update_directory(with_newcomer()).ok());
  }
  ReplicaOptions options;
  options.path = dir.file("phone.db");
  options.id = ReplicaId("phone");
  options.physical = clock.physical();
  auto reopened = Replica::open(options);
  ASSERT_TRUE(reopened.ok());
  EXPECT_NE((*reopened)->directory().user(UserId("u13900000042")), nullptr);
}

}  // namespace
}  // namespace cunwu
