// Who may do what where (org::authorize), for every role and handling level, in and out of scope.
#include "cunwu/org/access.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/fixture.hpp"

namespace cunwu::org {
namespace {

using cunwu::testing::demo_directory;

const RegionId kHsY1("qs/dq/hs/y1");  // 河山村第一院落
const RegionId kHsY2("qs/dq/hs/y2");  // 河山村第二院落
const RegionId kSmY1("qs/dq/sm/y1");  // 石门村第一院落 (same township, other village)
const RegionId kLjY1("qs/lh/lj/y1");  // 柳家村第一院落 (other township)

std::optional<Errc> check(const char* user, Action action, const RegionId& scope) {
  return authorize(demo_directory(), UserId(user), action, scope).code();
}

constexpr std::optional<Errc> kOk = std::nullopt;

TEST(HandleAction, MapsLevelsToActions) {
  EXPECT_EQ(handle_action(1), Action::handle_level1);
  EXPECT_EQ(handle_action(2), Action::handle_level2);
  EXPECT_EQ(handle_action(3), Action::handle_level3);
  EXPECT_EQ(handle_action(4), Action::handle_level4);
}

TEST(Authorize, CourtyardHeadHandlesLevelOneOfOwnCourtyardOnly) {
  EXPECT_EQ(check("head-hs1", Action::handle_level1, kHsY1), kOk);
  EXPECT_EQ(check("grid-hs1", Action::handle_level1, kHsY1), kOk) << "the grid worker shares the courtyard";
  EXPECT_EQ(check("head-hs1", Action::handle_level1, kHsY2), Errc::out_of_scope);
  EXPECT_EQ(check("head-hs1", Action::handle_level1, kLjY1), Errc::out_of_scope);
  EXPECT_EQ(check("head-hs2", Action::handle_level1, kHsY2), kOk);
  // Other levels need other roles.
  EXPECT_EQ(check("head-hs1", Action::handle_level2, kHsY1), Errc::forbidden_role);
  EXPECT_EQ(check("head-hs1", Action::handle_level3, kHsY1), Errc::forbidden_role);
  EXPECT_EQ(check("head-hs1", Action::handle_level4, kHsY1), Errc::forbidden_role);
}

TEST(Authorize, VillageCadreHandlesLevelTwoInTheirVillage) {
  EXPECT_EQ(check("cadre-hs", Action::handle_level2, kHsY1), kOk);
  EXPECT_EQ(check("cadre-hs", Action::handle_level2, kHsY2), kOk);
  EXPECT_EQ(check("cadre-hs2", Action::handle_level2, kHsY2), kOk);
  EXPECT_EQ(check("cadre-hs", Action::handle_level2, kSmY1), Errc::out_of_scope);
  EXPECT_EQ(check("cadre-lj", Action::handle_level2, kLjY1), kOk);
  EXPECT_EQ(check("cadre-lj", Action::handle_level2, kHsY1), Errc::out_of_scope);
  EXPECT_EQ(check("cadre-hs", Action::handle_level1, kHsY1), Errc::forbidden_role)
      << "a village cadre is not the courtyard head";
  EXPECT_EQ(check("cadre-hs", Action::handle_level3, kHsY1), Errc::forbidden_role);
}

TEST(Authorize, TownshipStaffHandlesLevelThreeInTheirTownship) {
  EXPECT_EQ(check("staff-dq", Action::handle_level3, kHsY1), kOk);
  EXPECT_EQ(check("staff-dq", Action::handle_level3, kSmY1), kOk);
  EXPECT_EQ(check("staff-dq", Action::handle_level3, kLjY1), Errc::out_of_scope);
  EXPECT_EQ(check("staff-lh", Action::handle_level3, kLjY1), kOk);
  EXPECT_EQ(check("staff-lh", Action::handle_level3, kHsY1), Errc::out_of_scope);
  EXPECT_EQ(check("staff-dq", Action::handle_level2, kHsY1), Errc::forbidden_role);
  EXPECT_EQ(check("staff-dq", Action::handle_level4, kHsY1), Errc::forbidden_role);
}

TEST(Authorize, CountyStaffHandlesLevelFourEverywhereInTheCounty) {
  for (const auto& scope : {kHsY1, kHsY2, kSmY1, kLjY1, RegionId("qs"), RegionId("qs/lh")}) {
    EXPECT_EQ(check("staff-qs", Action::handle_level4, scope), kOk) << scope.str();
  }
  EXPECT_EQ(check("staff-qs", Action::handle_level4, RegionId("other/x/y/z")), Errc::out_of_scope);
  EXPECT_EQ(check("staff-qs", Action::handle_level3, kHsY1), Errc::forbidden_role);
  EXPECT_EQ(check("staff-qs", Action::handle_level1, kHsY1), Errc::forbidden_role);
}

TEST(Authorize, VillagersDoNotHandleAppeals) {
  for (Action a : {Action::handle_level1, Action::handle_level2, Action::handle_level3, Action::handle_level4}) {
    EXPECT_EQ(check("wang", a, kHsY1), Errc::forbidden_role);
  }
  EXPECT_EQ(check("wang", Action::supervise, kHsY1), Errc::forbidden_role);
  EXPECT_EQ(check("wang", Action::manage_org, kHsY1), Errc::forbidden_role);
}

TEST(Authorize, OtherRolesDoNotHandleAppeals) {
  for (const char* user : {"inspector-qs", "deputy-dq", "shop-hs", "admin-qs"}) {
    EXPECT_EQ(check(user, Action::handle_level1, kHsY1), Errc::forbidden_role) << user;
    EXPECT_EQ(check(user, Action::handle_level4, kHsY1), Errc::forbidden_role) << user;
  }
}

TEST(Authorize, InspectorSupervisesWithinTheirRegion) {
  EXPECT_EQ(check("inspector-qs", Action::supervise, kHsY1), kOk);
  EXPECT_EQ(check("inspector-qs", Action::supervise, kLjY1), kOk);
  EXPECT_EQ(check("inspector-qs", Action::supervise, RegionId("other")), Errc::out_of_scope);
  EXPECT_EQ(check("staff-qs", Action::supervise, kHsY1), Errc::forbidden_role) << "handlers do not supervise";
  EXPECT_EQ(check("deputy-dq", Action::supervise, kHsY1), Errc::forbidden_role);
}

TEST(Authorize, AdminManagesTheOrgWithinTheirRegion) {
  EXPECT_EQ(check("admin-qs", Action::manage_org, RegionId("qs")), kOk);
  EXPECT_EQ(check("admin-qs", Action::manage_org, kLjY1), kOk);
  EXPECT_EQ(check("admin-qs", Action::manage_org, RegionId("qsx")), Errc::out_of_scope);
  EXPECT_EQ(check("staff-qs", Action::manage_org, RegionId("qs")), Errc::forbidden_role);
}

TEST(Authorize, UnknownUser) {
  EXPECT_EQ(check("nobody", Action::handle_level1, kHsY1), Errc::unknown_user);
  EXPECT_EQ(check("nobody", Action::file_appeal, kHsY1), Errc::unknown_user);
  EXPECT_EQ(check("", Action::supervise, kHsY1), Errc::unknown_user);
}

TEST(Authorize, OnlyTheHostActsAsHost) {
  EXPECT_EQ(authorize(demo_directory(), kHostActor, Action::host_only, kHsY1).code(), kOk);
  EXPECT_EQ(check("staff-qs", Action::host_only, kHsY1), Errc::host_only);
  EXPECT_EQ(check("admin-qs", Action::host_only, RegionId("qs")), Errc::host_only);
  EXPECT_EQ(check("nobody", Action::host_only, kHsY1), Errc::host_only);
  // The host does not pose as a person.
  for (Action a : {Action::file_appeal, Action::handle_level1, Action::handle_level4, Action::supervise,
                   Action::manage_org}) {
    EXPECT_EQ(authorize(demo_directory(), kHostActor, a, kHsY1).code(), Errc::forbidden_role);
  }
}

TEST(Authorize, VillagerFilesForTheirOwnCourtyard) {
  EXPECT_EQ(check("wang", Action::file_appeal, kHsY1), kOk);
  EXPECT_EQ(check("chen", Action::file_appeal, kHsY2), kOk);
  EXPECT_EQ(check("zhao", Action::file_appeal, kLjY1), kOk);
}

TEST(Authorize, VillagerCannotFileForAnotherCourtyard) {
  EXPECT_EQ(check("wang", Action::file_appeal, kHsY2), Errc::out_of_scope);
  EXPECT_EQ(check("wang", Action::file_appeal, kLjY1), Errc::out_of_scope);
  EXPECT_EQ(check("wang", Action::file_appeal, RegionId("qs/dq/hs")), Errc::out_of_scope)
      << "an appeal is filed for a courtyard, not the whole village";
}

TEST(Authorize, CadreFilesOnBehalfOfResidentsInScope) {
  EXPECT_EQ(check("head-hs1", Action::file_appeal, kHsY1), kOk);
  EXPECT_EQ(check("cadre-hs", Action::file_appeal, kHsY1), kOk) << "代办 for an elderly villager";
  EXPECT_EQ(check("cadre-hs", Action::file_appeal, kHsY2), kOk);
  EXPECT_EQ(check("staff-dq", Action::file_appeal, kSmY1), kOk);
  EXPECT_EQ(check("staff-qs", Action::file_appeal, kLjY1), kOk);
}

TEST(Authorize, CadreCannotFileOutsideTheirScope) {
  EXPECT_EQ(check("cadre-hs", Action::file_appeal, kLjY1), Errc::out_of_scope);
  EXPECT_EQ(check("head-hs1", Action::file_appeal, kHsY2), Errc::out_of_scope);
  EXPECT_EQ(check("staff-lh", Action::file_appeal, kHsY1), Errc::out_of_scope);
}

TEST(Authorize, PeopleWithoutACourtyardOrCadreRoleCannotFile) {
  EXPECT_EQ(check("inspector-qs", Action::file_appeal, kHsY1), Errc::forbidden_role);
  EXPECT_EQ(check("deputy-dq", Action::file_appeal, kHsY1), Errc::forbidden_role);
  EXPECT_EQ(check("admin-qs", Action::file_appeal, kHsY1), Errc::forbidden_role);
}

TEST(Authorize, ScopeBoundaryIsASegmentNotAPrefix) {
  Directory d = demo_directory();
  ASSERT_TRUE(d.add_region({RegionId("qs/dqx"), RegionId("qs"), RegionLevel::township, "大桥新镇"}).ok());
  ASSERT_TRUE(d.add_region({RegionId("qs/dqx/hs"), RegionId("qs/dqx"), RegionLevel::village, "新河山村"}).ok());
  ASSERT_TRUE(d.add_region({RegionId("qs/dqx/hs/y1"), RegionId("qs/dqx/hs"), RegionLevel::courtyard, "新院落"}).ok());
  EXPECT_EQ(authorize(d, UserId("staff-dq"), Action::handle_level3, RegionId("qs/dqx/hs/y1")).code(),
            Errc::out_of_scope)
      << "大桥镇 staff must not handle 大桥新镇";
  EXPECT_EQ(authorize(d, UserId("staff-dq"), Action::file_appeal, RegionId("qs/dqx/hs/y1")).code(), Errc::out_of_scope);
}

TEST(Authorize, GrantsAddedLaterTakeEffect) {
  Directory d = demo_directory();
  EXPECT_EQ(authorize(d, UserId("li"), Action::handle_level1, kHsY1).code(), Errc::forbidden_role);
  ASSERT_TRUE(d.grant(UserId("li"), Role::courtyard_head, kHsY1).ok());
  EXPECT_EQ(authorize(d, UserId("li"), Action::handle_level1, kHsY1).code(), kOk);
  EXPECT_EQ(authorize(d, UserId("li"), Action::handle_level1, kHsY2).code(), Errc::out_of_scope);
}

// Regression: Replica::set_directory replaces the org tree, but the database kept every grant
// ever saved, so a revoked role came back when the replica was reopened.
TEST(Authorize, RevokedRoleStaysRevokedAfterRestart) {
  cunwu::testing::TempDir tmp;
  const std::string path = tmp.file("replica.db");
  cunwu::testing::FakeClock clock(cunwu::testing::demo_start());
  // Same tree as the demo county, but 何主任 (cadre-hs2) no longer holds the village role.
  Directory revoked;
  for (const auto& [id, r] : demo_directory().regions()) ASSERT_TRUE(revoked.add_region(r).ok());
  for (const auto& [id, h] : demo_directory().households()) ASSERT_TRUE(revoked.add_household(h).ok());
  for (const auto& [id, u] : demo_directory().users()) {
    ASSERT_TRUE(revoked.add_user(u).ok());
    if (id == UserId("cadre-hs2")) continue;
    for (const auto& g : demo_directory().grants(id)) ASSERT_TRUE(revoked.grant(id, g.role, g.region).ok());
  }
  {
    auto replica = cunwu::testing::demo_replica("host", clock, path);
    ASSERT_EQ(authorize(replica->directory(), UserId("cadre-hs2"), Action::handle_level2, kHsY1).code(), kOk);
    ASSERT_TRUE(replica->set_directory(revoked).ok());
    EXPECT_EQ(authorize(replica->directory(), UserId("cadre-hs2"), Action::handle_level2, kHsY1).code(),
              Errc::forbidden_role);
  }
  ReplicaOptions options;
  options.path = path;
  options.id = ReplicaId("host");
  options.physical = clock.physical();
  auto reopened = Replica::open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.error().detail;
  EXPECT_EQ(authorize((*reopened)->directory(), UserId("cadre-hs2"), Action::handle_level2, kHsY1).code(),
            Errc::forbidden_role);
  EXPECT_EQ(authorize((*reopened)->directory(), UserId("cadre-hs"), Action::handle_level2, kHsY1).code(), kOk);
}

}  // namespace
}  // namespace cunwu::org
