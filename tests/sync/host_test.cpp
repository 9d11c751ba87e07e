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

// A batch (group commit: the native host runs the requests that queued meanwhile as one):
// the pushes run under one savepoint; when one request fails, that is undone and each request
// runs in a savepoint of its own, so only the failing one gets the error and nothing of it is
// stored, while the others are acknowledged, numbered and pulled as if each had come alone.
TEST(SyncHost, ARequestThatFailsInABatchFailsAlone) {
  TestHost host(testing::demo_start());
  Device wang("phone-wang", UserId("wang"), testing::demo_start());
  Device li("phone-li", UserId("li"), testing::demo_start());
  Device zhao("phone-zhao", UserId("zhao"), testing::demo_start());
  const auto file = [](Device& d, const char* courtyard) {
    auto request = corn_appeal();
    request.courtyard = RegionId(courtyard);
    auto id = appeals::Service(*d.replica).file(d.user, request);
    EXPECT_TRUE(id);
    return id ? *id : EntityId();
  };
  const EntityId wangs = file(wang, "qs/dq/hs/y1"), lis = file(li, "qs/dq/hs/y1"), zhaos = file(zhao, "qs/lh/lj/y1");
  // The disk "fails" for li's appeal only.
  ASSERT_TRUE(host.replica->db()
                  .exec("CREATE TEMP TRIGGER fail_li BEFORE INSERT ON ops WHEN NEW.entity = '" + lis.str() +
                        "' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
                  .ok());
  std::vector<sync::SyncRequest> reqs;
  for (Device* d : {&wang, &li, &zhao}) reqs.push_back(*d->client.request(d->clock.now()));
  const std::vector<sync::Host::Pending> batch{{wang.user, &reqs[0]}, {li.user, &reqs[1]}, {zhao.user, &reqs[2]}};
  const auto ops_before = *host.replica->log().ops().count();
  auto out = host.host.sync_batch(batch, host.clock.now());
  ASSERT_EQ(out.size(), 3u);
  ASSERT_FALSE(out[1]);
  EXPECT_EQ(out[1].error().code, Errc::storage_error);
  for (std::size_t i : {0u, 2u}) {
    ASSERT_TRUE(out[i]) << out[i].error().detail;
    ASSERT_EQ(out[i]->acks.size(), 1u) << "acknowledged once, not once more for the pass that was undone";
    EXPECT_EQ(out[i]->acks[0].status, sync::AckStatus::accepted);
  }
  // Two filings and their two numbers; nothing of li's.
  EXPECT_EQ(*host.replica->log().ops().count(), ops_before + 4);
  EXPECT_TRUE(appeals::Service(*host.replica).get(wangs));
  EXPECT_TRUE(appeals::Service(*host.replica).get(zhaos));
  EXPECT_FALSE(*host.replica->log().ops().find(reqs[1].push[0].id));
  // Each device applies its answer; the numbers follow host order, with no gap for li's.
  ASSERT_TRUE(wang.client.apply(reqs[0], *out[0], wang.clock.now()));
  ASSERT_TRUE(zhao.client.apply(reqs[2], *out[2], zhao.clock.now()));
  EXPECT_EQ(appeals::Service(*wang.replica).get(wangs)->official_number, "20260713001");
  EXPECT_EQ(appeals::Service(*zhao.replica).get(zhaos)->official_number, "20260713002");
  // The disk recovers: li's retry goes through, numbered next.
  ASSERT_TRUE(host.replica->db().exec("DROP TRIGGER fail_li").ok());
  EXPECT_EQ(testing::round_trip(li, host).accepted, 1u);
  EXPECT_EQ(appeals::Service(*li.replica).get(lis)->official_number, "20260713003");
  EXPECT_EQ(*li.client.pending(), 0);
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
