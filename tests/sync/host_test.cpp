// The host's side of sync: validation of pushed ops in host order, verdicts the author sees,
// idempotent retries, bounded batches, the clock offset, and who receives what.
#include <gtest/gtest.h>

#include "cunwu/appeals/service.hpp"
#include "cunwu/sync/visibility.hpp"
#include "sync_fixture.hpp"

namespace cunwu {
namespace {

using appeals::AppealStatus;
using testing::Device;
using testing::TestHost;

appeals::FileRequest corn_appeal() {
  return {RegionId("qs/dq/hs/y1"), appeals::Category::service, appeals::Urgency::yellow,
          "玉米被大风吹倒了，想问问农业保险怎么理赔。", {}, {}};
}

TEST(SyncHost, OfflineFilingIsAcceptedAndNumberedByTheHost) {
  TestHost host(testing::demo_start());
  Device phone("phone-wang", UserId("wang"), testing::demo_start());
  auto id = appeals::Service(*phone.replica).file(UserId("wang"), corn_appeal());
  ASSERT_TRUE(id);
  EXPECT_EQ(*phone.client.pending(), 1);
  const auto report = testing::round_trip(phone, host);
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_TRUE(report.rejected.empty());
  EXPECT_EQ(*phone.client.pending(), 0);
  // The official number, a host op, came back in the same round trip.
  auto mine = appeals::Service(*phone.replica).get(*id);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->official_number, "20260713001");
  EXPECT_EQ(*phone.replica->canonical_dump(), *host.replica->canonical_dump());
}

TEST(SyncHost, RetryAfterALostAnswerChangesNothing) {
  TestHost host(testing::demo_start());
  Device phone("phone-wang", UserId("wang"), testing::demo_start());
  ASSERT_TRUE(appeals::Service(*phone.replica).file(UserId("wang"), corn_appeal()));
  auto req = phone.client.request(phone.clock.now());
  ASSERT_TRUE(req);
  ASSERT_TRUE(host.host.sync(phone.user, *req, host.clock.now()));  // the answer is lost on the way
  const auto ops_before = *host.replica->log().ops().count();
  auto again = host.host.sync(phone.user, *req, host.clock.now());
  ASSERT_TRUE(again);
  ASSERT_EQ(again->acks.size(), 1u);
  EXPECT_EQ(again->acks[0].status, sync::AckStatus::duplicate);
  EXPECT_EQ(*host.replica->log().ops().count(), ops_before);
  ASSERT_TRUE(phone.client.apply(*req, *again, phone.clock.now()));
  EXPECT_EQ(*phone.client.pending(), 0);
  EXPECT_EQ(*phone.replica->canonical_dump(), *host.replica->canonical_dump());
}

TEST(SyncHost, AnOpInSomeoneElsesNameIsRefusedAndNotStored) {
  TestHost host(testing::demo_start());
  Device phone("phone-wang", UserId("wang"), testing::demo_start());
  // li lives in the same courtyard, so wang's phone accepts the op locally; the host does not.
  ASSERT_TRUE(appeals::Service(*phone.replica).file(UserId("li"), corn_appeal()));
  const auto before = *host.replica->log().ops().count();
  const auto report = testing::round_trip(phone, host);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].reason->code, Errc::actor_mismatch);
  EXPECT_EQ(*host.replica->log().ops().count(), before);
  EXPECT_EQ(*phone.client.pending(), 0) << "a refused op is not pushed again and again";
}

TEST(SyncHost, AnOpTheRulesForbidIsKeptWithAVerdictItsAuthorSees) {
  TestHost host(testing::demo_start());
  Device phone("phone-wang", UserId("wang"), testing::demo_start());
  auto id = appeals::Service(*phone.replica).file(UserId("wang"), corn_appeal());
  ASSERT_TRUE(id);
  testing::sync_all(phone, host);
  // An old or tampered app lets wang "accept" her own appeal; her phone folds it.
  oplog::Op forged;
  forged.id = oplog::OpId{ReplicaId("phone-wang"), 2};
  forged.hlc = phone.replica->clock().tick();
  forged.actor = UserId("wang");
  forged.type = "appeal.accept";
  forged.entity = *id;
  forged.scope = RegionId("qs/dq/hs/y1");
  forged.visibility = oplog::Visibility::participants;
  ASSERT_TRUE(phone.replica->receive(std::span<const oplog::Op>(&forged, 1)));
  const auto report = testing::round_trip(phone, host);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].reason->code, Errc::forbidden_role);
  // The host kept it with its verdict; the verdict came back, so both fold without it.
  EXPECT_TRUE(*host.replica->log().ops().find(forged.id));
  auto appeal = appeals::Service(*phone.replica).get(*id);
  ASSERT_TRUE(appeal);
  EXPECT_EQ(appeal->status, AppealStatus::submitted);
  auto rejected = phone.replica->log().ops().rejections(*id);
  ASSERT_TRUE(rejected);
  ASSERT_EQ(rejected->size(), 1u);
  EXPECT_EQ(rejected->front().second.code, Errc::forbidden_role);
  EXPECT_EQ(*phone.replica->canonical_dump(), *host.replica->canonical_dump());
}

TEST(SyncHost, WithdrawAndResolveOfflineOneWinsTheOtherSeesWhy) {
  TestHost host(testing::demo_start());
  Device phone("phone-wang", UserId("wang"), testing::demo_start());
  Device cadre("pad-cadre-hs", UserId("cadre-hs"), testing::demo_start());
  auto id = appeals::Service(*phone.replica).file(UserId("wang"), corn_appeal());
  ASSERT_TRUE(id);
  testing::sync_all(phone, host);
  testing::sync_all(cadre, host);
  ASSERT_TRUE(appeals::Service(*cadre.replica).get(*id)) << "the village cadre receives the village's appeals";
  // Both offline: the cadre escalates it to the village level and resolves; wang withdraws.
  Device head("phone-head-hs1", UserId("head-hs1"), testing::demo_start());
  testing::sync_all(head, host);
  ASSERT_TRUE(appeals::Service(*head.replica).accept(UserId("head-hs1"), *id));
  ASSERT_TRUE(appeals::Service(*head.replica).resolve(UserId("head-hs1"), *id, "已联系保险公司"));
  phone.clock.advance(minutes(1));
  ASSERT_TRUE(appeals::Service(*phone.replica).withdraw(UserId("wang"), *id, "不需要了"));
  // wang syncs first: her withdrawal wins on the host; the head's resolve is refused with why.
  EXPECT_TRUE(testing::round_trip(phone, host).rejected.empty());
  const auto report = testing::round_trip(head, host);
  ASSERT_FALSE(report.rejected.empty());
  EXPECT_EQ(report.rejected[0].reason->code, Errc::already_withdrawn);
  testing::sync_all(phone, host);
  testing::sync_all(head, host);
  EXPECT_EQ(appeals::Service(*host.replica).get(*id)->status, AppealStatus::withdrawn);
  EXPECT_EQ(*phone.replica->canonical_dump(), *host.replica->canonical_dump());
  EXPECT_EQ(*head.replica->canonical_dump(), *host.replica->canonical_dump());
}

TEST(SyncHost, ALargeBacklogGoesInBoundedBatches) {
  sync::Limits limits;
  limits.max_push_ops = 100;
  limits.max_pull_ops = 150;
  TestHost host(testing::demo_start(), limits);
  Device phone("phone-wang", UserId("wang"), testing::demo_start(), limits);
  appeals::Service svc(*phone.replica);
  for (int i = 0; i < 450; ++i) {
    auto req = corn_appeal();
    req.text = "第" + std::to_string(i) + "件";
    ASSERT_TRUE(svc.file(UserId("wang"), req));
  }
  int trips = 0;
  std::size_t largest_push = 0;
  for (;;) {
    auto req = phone.client.request(phone.clock.now());
    ASSERT_TRUE(req);
    largest_push = std::max(largest_push, req->push.size());
    auto resp = host.host.sync(phone.user, *req, host.clock.now());
    ASSERT_TRUE(resp);
    EXPECT_LE(resp->ops.size(), 150u);
    auto report = phone.client.apply(*req, *resp, phone.clock.now());
    ASSERT_TRUE(report);
    ++trips;
    if (!report->more && *phone.client.pending() == 0) break;
    ASSERT_LT(trips, 50);
  }
  EXPECT_EQ(largest_push, 100u);
  EXPECT_GE(trips, 5);  // 450 pushed in 100s, 450 numbers pulled in 150s
  EXPECT_EQ(*phone.replica->canonical_dump(), *host.replica->canonical_dump());
}

TEST(SyncHost, MeasuresTheDeviceClockOffset) {
  TestHost host(testing::demo_start());
  Device phone("phone-wang", UserId("wang"), testing::demo_start() + hours(-3));  // three hours behind
  const auto report = testing::round_trip(phone, host);
  EXPECT_EQ(report.clock_offset.ms, hours(3).ms);
  // Ops the phone stamps now are close to host time, and the offset survives a restart.
  auto id = appeals::Service(*phone.replica).file(UserId("wang"), corn_appeal());
  ASSERT_TRUE(id);
  auto op = phone.replica->log().ops().find(oplog::OpId{ReplicaId("phone-wang"), 1});
  ASSERT_TRUE(op && *op);
  EXPECT_GE((*op)->hlc.wall, testing::demo_start().ms);
  sync::Client reopened(*phone.replica);
  EXPECT_EQ(phone.replica->clock().offset().ms, hours(3).ms);
}

TEST(SyncHost, NobodyReceivesAnotherVillagesOrAnotherVillagersPrivateOps) {
  TestHost host(testing::demo_start());
  Device wang("phone-wang", UserId("wang"), testing::demo_start());
  Device li("phone-li", UserId("li"), testing::demo_start());
  Device zhao("phone-zhao", UserId("zhao"), testing::demo_start());
  Device cadre_lj("pad-cadre-lj", UserId("cadre-lj"), testing::demo_start());
  Device staff("pc-staff-dq", UserId("staff-dq"), testing::demo_start());
  auto id = appeals::Service(*wang.replica).file(UserId("wang"), corn_appeal());
  ASSERT_TRUE(id);
  testing::sync_all(wang, host);
  for (Device* d : {&li, &zhao, &cadre_lj, &staff}) testing::sync_all(*d, host);
  EXPECT_FALSE(appeals::Service(*li.replica).get(*id)) << "a neighbour does not see wang's appeal";
  EXPECT_FALSE(appeals::Service(*zhao.replica).get(*id));
  EXPECT_FALSE(appeals::Service(*cadre_lj.replica).get(*id)) << "another village's cadre";
  EXPECT_TRUE(appeals::Service(*staff.replica).get(*id)) << "the township handles its villages' appeals";
  for (Device* d : {&li, &zhao, &cadre_lj}) EXPECT_EQ(*d->replica->log().ops().count(), 0);
}

TEST(SyncHost, PublicOpsReachTheirScopeAndTheScopesBelow) {
  const auto& dir = testing::demo_directory();
  oplog::Op op;
  op.visibility = oplog::Visibility::public_in_scope;
  auto sees = [&](const char* user, const char* scope) {
    op.scope = RegionId(scope);
    return sync::may_receive(dir, UserId(user), op, false);
  };
  EXPECT_TRUE(sees("wang", "qs/dq/hs"));         // her village's notice
  EXPECT_TRUE(sees("wang", "qs/dq/hs/y2"));      // another courtyard of her village
  EXPECT_TRUE(sees("wang", "qs"));               // the county's policy
  EXPECT_FALSE(sees("wang", "qs/dq/sm"));        // another village
  EXPECT_FALSE(sees("zhao", "qs/dq"));           // another township
  EXPECT_TRUE(sees("cadre-lj", "qs/lh/lj/y1"));
  EXPECT_FALSE(sees("cadre-lj", "qs/dq/hs"));
  EXPECT_TRUE(sees("shop-hs", "qs/dq/hs"));
  EXPECT_FALSE(sees("nobody", "qs"));
  op.visibility = oplog::Visibility::participants;
  EXPECT_FALSE(sees("wang", "qs/dq/hs/y1")) << "private ops only to participants";
  EXPECT_TRUE(sees("head-hs1", "qs/dq/hs/y1"));
  EXPECT_FALSE(sees("head-hs2", "qs/dq/hs/y1"));
  EXPECT_TRUE(sees("inspector-qs", "qs/lh/lj/y1"));
  EXPECT_FALSE(sees("shop-hs", "qs/dq/hs/y1"));
  op.scope = RegionId("qs/dq/hs/y1");
  EXPECT_TRUE(sync::may_receive(dir, UserId("wang"), op, true));
}

TEST(SyncHost, RefusesADeviceWithANewerSchemaAndWritesNothing) {
  TestHost host(testing::demo_start());
  sync::SyncRequest req;
  req.replica = ReplicaId("phone-future");
  req.schema = 999;
  auto resp = host.host.sync(UserId("wang"), req, host.clock.now());
  ASSERT_FALSE(resp);
  EXPECT_EQ(resp.error().code, Errc::protocol_mismatch);
}

}  // namespace
}  // namespace cunwu
