// The authorization matrix at the host: every person of the demo county × every appeal op, on
// an appeal of their courtyard or village or not. Each pushed op is accepted or refused with
// the catalogued reason below; a refusal never changes the appeal.
#include <gtest/gtest.h>

#include <map>

#include "cunwu/appeals/service.hpp"
#include "sync_fixture.hpp"

namespace cunwu {
namespace {

using oplog::Json;

struct OpCase {
  const char* type;
  Json payload;
};

const std::vector<OpCase>& op_cases() {
  static const std::vector<OpCase> cases = {
      {"appeal.accept", Json::object()},
      {"appeal.reply", {{"text", "收到"}}},
      {"appeal.resolve", {{"text", "已办结"}}},
      {"appeal.escalate", {{"reason", "manual"}, {"note", "需要上级"}}},
      {"appeal.supervise", {{"note", "请尽快办理"}}},
      {"appeal.rate", {{"rating", "satisfied"}}},
      {"appeal.withdraw", {{"reason", "不需要了"}}},
      {"appeal.number", {{"number", "20260713099"}}},
  };
  return cases;
}

// Expected outcome per person, in op_cases() order, for wang's fresh appeal in qs/dq/hs/y1
// (level 1, waiting for the courtyard head). "ok" means accepted.
const std::map<std::string, std::vector<std::string>>& expected() {
  static const std::map<std::string, std::vector<std::string>> e = {
      //                accept            reply             resolve           escalate          supervise          rate            withdraw      number
      {"wang",         {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_resolved", "ok",         "host_only"}},
      {"li",           {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"zhao",         {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"head-hs1",     {"ok",             "ok",             "ok",             "ok",             "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"head-hs2",     {"out_of_scope",   "out_of_scope",   "out_of_scope",   "out_of_scope",   "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"cadre-hs",     {"not_handler",    "not_handler",    "not_handler",    "not_handler",    "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"cadre-lj",     {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",   "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"staff-dq",     {"not_handler",    "not_handler",    "not_handler",    "not_handler",    "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"inspector-qs", {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "ok",              "not_filer",    "not_filer",  "host_only"}},
      {"shop-hs",      {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
      {"admin-qs",     {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only"}},
  };
  return e;
}

TEST(AuthzMatrix, EveryPersonTimesEveryAppealOp) {
  for (const auto& [person, outcomes] : expected()) {
    for (std::size_t k = 0; k < op_cases().size(); ++k) {
      const auto& c = op_cases()[k];
      SCOPED_TRACE(person + " " + c.type);
      testing::TestHost host(testing::demo_start());
      testing::Device filer("phone-wang", UserId("wang"), testing::demo_start());
      auto id = appeals::Service(*filer.replica).file(
          UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::other, appeals::Urgency::green, "路灯坏了", {}, {}});
      ASSERT_TRUE(id);
      testing::sync_all(filer, host);
      const auto before = *host.replica->state_json(*id);
      // The person's device sends the op as it is, whatever their app would have allowed.
      sync::SyncRequest req;
      req.schema = 5;
      req.replica = ReplicaId("device-x");
      oplog::Op op;
      op.id = oplog::OpId{req.replica, 1};
      op.hlc = clock::Hlc{(testing::demo_start() + minutes(5)).ms, 0};
      op.actor = UserId(person);
      op.type = c.type;
      op.entity = *id;
      op.scope = RegionId("qs/dq/hs/y1");
      op.visibility = oplog::Visibility::participants;
      op.payload = c.payload;
      req.push.push_back(op);
      auto resp = host.host.sync(UserId(person), req, host.clock.now());
      ASSERT_TRUE(resp) << resp.error().detail;
      ASSERT_EQ(resp->acks.size(), 1u);
      const auto& ack = resp->acks[0];
      const std::string got = ack.status == sync::AckStatus::accepted ? "ok" : std::string(errc_name(ack.reason->code));
      EXPECT_EQ(got, outcomes[k]);
      if (got != "ok") {
        EXPECT_EQ(*host.replica->state_json(*id), before) << "a refused op changed the appeal";
      }
    }
  }
}

TEST(AuthzMatrix, NobodyFilesInAnotherCourtyardOrAsSomeoneElse) {
  testing::TestHost host(testing::demo_start());
  auto push_file = [&](const char* session, const char* actor, const char* yard) {
    sync::SyncRequest req;
    req.schema = 5;
    req.replica = ReplicaId(std::string("device-") + session);
    oplog::Op op;
    op.id = oplog::OpId{req.replica, 1};
    op.hlc = clock::Hlc{testing::demo_start().ms, 0};
    op.actor = UserId(actor);
    op.type = "appeal.file";
    op.entity = EntityId("appeal/" + req.replica.str() + ".1");
    op.scope = RegionId(yard);
    op.visibility = oplog::Visibility::participants;
    op.payload = {{"category", "other"}, {"urgency", "green"}, {"text", "路灯坏了"}, {"attachments", Json::array()}};
    req.push.push_back(op);
    auto resp = host.host.sync(UserId(session), req, host.clock.now());
    EXPECT_TRUE(resp);
    const auto& ack = resp->acks.at(0);
    return ack.status == sync::AckStatus::accepted ? std::string("ok") : std::string(errc_name(ack.reason->code));
  };
  EXPECT_EQ(push_file("wang", "wang", "qs/dq/hs/y1"), "ok");
  EXPECT_EQ(push_file("li", "li", "qs/lh/lj/y1"), "out_of_scope");
  EXPECT_EQ(push_file("zhao", "wang", "qs/dq/hs/y1"), "actor_mismatch");
  EXPECT_EQ(push_file("admin-qs", "admin-qs", "qs/dq/hs/y1"), "forbidden_role");
  EXPECT_EQ(push_file("head-hs1", "head-hs1", "qs/dq/hs/y1"), "ok");
}

}  // namespace
}  // namespace cunwu
