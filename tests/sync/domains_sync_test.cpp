// Points and disclosure over sync: what the host decides about balances and stock reaches the
// devices as verdicts, and a published post reaches villagers whose phones never see drafts.
#include "cunwu/disclosure/service.hpp"
#include "cunwu/points/service.hpp"
#include "sync_fixture.hpp"

namespace cunwu {
namespace {

using testing::Device;
using testing::TestHost;

bool has_op_of_type(Replica& r, const EntityId& entity, const std::string& type) {
  auto ops = r.log().ops().entity_ops(entity);
  if (!ops) return false;
  for (const auto& op : *ops) {
    if (op.type == type) return true;
  }
  return false;
}

// The same folded state of `entity` on both replicas (each device holds only its scope, so whole
// databases differ by design).
void expect_same(Replica& a, Replica& b, const std::string& entity) {
  auto x = a.log().state(EntityId(entity));
  auto y = b.log().state(EntityId(entity));
  ASSERT_TRUE(x && y);
  EXPECT_EQ((*x)->to_text(), (*y)->to_text()) << entity;
}

TEST(SyncDomains, TheHostRejectsARedemptionTheBalanceDoesNotCoverAndConfirmsOneItDoes) {
  TestHost host(testing::demo_start());
  ASSERT_TRUE(points::seed_demo(*host.replica, testing::shared_demo_json("points.json")));
  const HouseholdId home("h-wang");
  ASSERT_TRUE(points::Service(*host.replica).award(UserId("cadre-hs"), home, "volunteer-day", "义务劳动半天"));

  // Two phones of the same household, both offline, both see 3 points and ask for soap (5).
  Device wang("phone-wang", UserId("wang"), testing::demo_start());
  Device shop("phone-shop", UserId("shop-hs"), testing::demo_start());
  testing::sync_all(wang, host);
  testing::sync_all(shop, host);
  points::Service on_wang(*wang.replica);
  EXPECT_EQ(on_wang.balance(home)->value, 3);
  EXPECT_EQ(on_wang.redeem(UserId("wang"), home, "soap").error().code, Errc::insufficient_points);

  // Earned more on the host meanwhile (an approved award), but the phone does not know yet:
  // a redemption authored on stale knowledge is still judged on the host's ledger.
  ASSERT_TRUE(points::Service(*host.replica).award(UserId("cadre-hs"), home, "sort-rubbish", "分类到位"));
  testing::sync_all(wang, host);
  EXPECT_EQ(on_wang.balance(home)->value, 5);
  auto first = on_wang.redeem(UserId("wang"), home, "soap");
  ASSERT_TRUE(first) << first.error().detail;
  // A second request offline: the phone's optimistic check counts the first hold, so it refuses.
  EXPECT_EQ(on_wang.redeem(UserId("wang"), home, "towel").error().code, Errc::insufficient_points);
  const auto report = testing::round_trip(wang, host);
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_TRUE(report.rejected.empty());
  EXPECT_EQ(points::Service(*host.replica).balance(home)->value, 0);

  // The shopkeeper receives the confirmed redemption and hands the soap over.
  testing::sync_all(shop, host);
  ASSERT_TRUE(points::Service(*shop.replica).fulfil(UserId("shop-hs"), home, *first));
  testing::sync_all(shop, host);
  testing::sync_all(wang, host);
  EXPECT_EQ(on_wang.balance(home)->value, 0);
  expect_same(*wang.replica, *host.replica, "ledger/h-wang");
  expect_same(*shop.replica, *host.replica, "shop/qs/dq/hs");
  EXPECT_EQ(points::Service(*shop.replica).shop(RegionId("qs/dq/hs"))->find("soap")->stock, 39);
}

TEST(SyncDomains, ARedemptionTheHostCannotCoverComesBackRejectedWithItsReason) {
  TestHost host(testing::demo_start());
  ASSERT_TRUE(points::seed_demo(*host.replica, testing::shared_demo_json("points.json")));
  const HouseholdId home("h-wang");
  ASSERT_TRUE(points::Service(*host.replica).award(UserId("cadre-hs"), home, "clean-yard", "院子整洁"));
  Device phone1("phone-wang", UserId("wang"), testing::demo_start());
  Device phone2("pad-wang", UserId("wang"), testing::demo_start());
  testing::sync_all(phone1, host);
  testing::sync_all(phone2, host);
  // Both devices of the household spend the same 5 points offline.
  ASSERT_TRUE(points::Service(*phone1.replica).redeem(UserId("wang"), home, "soap"));
  auto late = points::Service(*phone2.replica).redeem(UserId("wang"), home, "soap");
  ASSERT_TRUE(late);
  EXPECT_EQ(testing::round_trip(phone1, host).accepted, 1u);
  const auto report = testing::round_trip(phone2, host);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].reason->code, Errc::insufficient_points);
  testing::sync_all(phone1, host);
  testing::sync_all(phone2, host);
  // The loser's phone shows why, and no device counts the rejected hold.
  auto problems = points::Service(*phone2.replica).problems(home);
  ASSERT_TRUE(problems);
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].error.code, Errc::insufficient_points);
  EXPECT_TRUE((*problems)[0].by_host);
  EXPECT_EQ(points::Service(*phone2.replica).available(home)->value, 0);
  expect_same(*phone1.replica, *host.replica, "ledger/h-wang");
  expect_same(*phone2.replica, *host.replica, "ledger/h-wang");
}

TEST(SyncDomains, APublishedPostReachesVillagersWhoNeverSeeTheDraft) {
  TestHost host(testing::demo_start());
  Device cadre("phone-zhang", UserId("cadre-hs"), testing::demo_start());
  Device wang("phone-wang", UserId("wang"), testing::demo_start());
  disclosure::Service on_cadre(*cadre.replica);
  const UserId zhang("cadre-hs");
  auto id = on_cadre.draft(zhang, RegionId("qs/dq/hs"), "notice",
                           {{"title", "关于修缮村口道路的通知"}, {"body", "草稿：施工时间待定。"}});
  ASSERT_TRUE(id) << id.error().detail;
  testing::sync_all(cadre, host);
  testing::sync_all(wang, host);
  EXPECT_EQ(disclosure::Service(*wang.replica).get(*id).error().code, Errc::not_found);  // a draft is not disclosed

  ASSERT_TRUE(on_cadre.edit(zhang, *id, {{"body", "7月20日至25日施工，请绕行茶园路。"}}));
  ASSERT_TRUE(on_cadre.publish(zhang, *id));
  testing::sync_all(cadre, host);
  testing::sync_all(wang, host);
  auto seen = disclosure::Service(*wang.replica).get(*id);
  ASSERT_TRUE(seen) << seen.error().detail;
  EXPECT_EQ(seen->status, disclosure::PostStatus::published);
  EXPECT_EQ(seen->content()["body"], "7月20日至25日施工，请绕行茶园路。");
  EXPECT_FALSE(has_op_of_type(*wang.replica, *id, "post.draft"));
  EXPECT_FALSE(has_op_of_type(*wang.replica, *id, "post.edit"));

  // An amendment and a question reach both sides; the villager finds it by a two-character search.
  ASSERT_TRUE(on_cadre.amend(zhang, *id, "工期调整", {{"body", "7月22日至27日施工，请绕行茶园路。"}}));
  testing::sync_all(cadre, host);
  ASSERT_TRUE(disclosure::Service(*wang.replica).ask(UserId("wang"), *id, "晚上也施工吗？"));
  testing::sync_all(wang, host);
  testing::sync_all(cadre, host);
  auto after = disclosure::Service(*wang.replica).get(*id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->versions.size(), 2u);
  EXPECT_EQ(after->content()["body"], "7月22日至27日施工，请绕行茶园路。");
  auto on_cadre_side = on_cadre.get(*id);
  ASSERT_TRUE(on_cadre_side);
  EXPECT_EQ(on_cadre_side->questions.size(), 1u);
  EXPECT_EQ(disclosure::to_json(*after)["versions"], disclosure::to_json(*on_cadre_side)["versions"]);
  auto hits = disclosure::Service(*wang.replica).search({"绕行", {}, {}, RegionId("qs/dq/hs"), 20});
  ASSERT_TRUE(hits) << hits.error().detail;
  ASSERT_FALSE(hits->empty());
}

}  // namespace
}  // namespace cunwu
