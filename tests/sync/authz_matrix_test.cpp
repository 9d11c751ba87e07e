// The authorization matrix at the host: every person of the demo county × every appeal op, on
// an appeal of their courtyard or village or not. Each pushed op is accepted or refused with
// the catalogued reason below; a refusal never changes the appeal.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string_view>

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
      {"appeal.assign", {{"assignee", "head-hs1"}}},
      {"appeal.dispatch", {{"department", "村电工班"}}},
      {"appeal.merge", {{"into", "(li's duplicate, filed in the test)"}}},
  };
  return cases;
}

// Expected outcome per person, in op_cases() order, for wang's fresh appeal in qs/dq/hs/y1
// (level 1, waiting for the courtyard head). "ok" means accepted. Assigning, dispatching to a
// department and merging into another appeal are handling: whoever may accept may do them.
const std::map<std::string, std::vector<std::string>>& expected() {
  static const std::map<std::string, std::vector<std::string>> e = {
      //                accept            reply             resolve           escalate          supervise          rate            withdraw      number       assign, dispatch, merge
      {"wang",         {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_resolved", "ok",         "host_only", "forbidden_role", "forbidden_role", "forbidden_role"}},
      {"li",           {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only", "forbidden_role", "forbidden_role", "forbidden_role"}},
      {"zhao",         {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only", "forbidden_role", "forbidden_role", "forbidden_role"}},
      {"head-hs1",     {"ok",             "ok",             "ok",             "ok",             "forbidden_role",  "not_filer",    "not_filer",  "host_only", "ok", "ok", "ok"}},
      {"head-hs2",     {"out_of_scope",   "out_of_scope",   "out_of_scope",   "out_of_scope",   "forbidden_role",  "not_filer",    "not_filer",  "host_only", "out_of_scope", "out_of_scope", "out_of_scope"}},
      {"cadre-hs",     {"not_handler",    "not_handler",    "not_handler",    "not_handler",    "forbidden_role",  "not_filer",    "not_filer",  "host_only", "not_handler", "not_handler", "not_handler"}},
      {"cadre-lj",     {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",   "forbidden_role",  "not_filer",    "not_filer",  "host_only", "forbidden_role", "forbidden_role", "forbidden_role"}},
      {"staff-dq",     {"not_handler",    "not_handler",    "not_handler",    "not_handler",    "forbidden_role",  "not_filer",    "not_filer",  "host_only", "not_handler", "not_handler", "not_handler"}},
      {"inspector-qs", {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "ok",              "not_filer",    "not_filer",  "host_only", "forbidden_role", "forbidden_role", "forbidden_role"}},
      {"shop-hs",      {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only", "forbidden_role", "forbidden_role", "forbidden_role"}},
      {"admin-qs",     {"forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role", "forbidden_role",  "not_filer",    "not_filer",  "host_only", "forbidden_role", "forbidden_role", "forbidden_role"}},
  };
  return e;
}

// `who` files an appeal in `yard` from their phone, which then syncs: the host has it.
EntityId file_from_phone(testing::TestHost& host, const char* who, const char* yard, const char* text) {
  testing::Device phone(std::string("phone-") + who, UserId(who), testing::demo_start());
  auto id = appeals::Service(*phone.replica).file(
      UserId(who), {RegionId(yard), appeals::Category::other, appeals::Urgency::green, text, {}, {}});
  EXPECT_TRUE(id);
  testing::sync_all(phone, host);
  return *id;
}

// Wang's appeal, which the tests act on.
EntityId wangs_appeal(testing::TestHost& host) { return file_from_phone(host, "wang", "qs/dq/hs/y1", "路灯坏了"); }

// Li files the same complaint (a duplicate to merge into), or someone else in `yard`.
EntityId file_duplicate(testing::TestHost& host, const char* yard = "qs/dq/hs/y1", const char* who = "li") {
  return file_from_phone(host, who, yard, "村口的路灯也不亮");
}

// The op that `actor`'s device `device` sends about `entity` in `yard`, as it is, whatever the
// person's app would have allowed.
oplog::Op raw_op(const std::string& device, const std::string& actor, const char* type, const EntityId& entity,
                 Json payload, const char* yard = "qs/dq/hs/y1") {
  oplog::Op op;
  op.id = oplog::OpId{ReplicaId(device), 1};
  op.hlc = clock::Hlc{(testing::demo_start() + minutes(5)).ms, 0};
  op.actor = UserId(actor);
  op.type = type;
  op.entity = entity;
  op.scope = RegionId(yard);
  op.visibility = oplog::Visibility::participants;
  op.payload = std::move(payload);
  return op;
}

// Pushes `op` alone from its device, signed in as `session`: "ok", or the refusal's code.
std::string push_as(testing::TestHost& host, const std::string& session, const oplog::Op& op) {
  sync::SyncRequest req;
  req.schema = 5;
  req.replica = op.id.origin;
  req.push.push_back(op);
  auto resp = host.host.sync(UserId(session), req, host.clock.now());
  EXPECT_TRUE(resp) << resp.error().detail;
  if (!resp || resp->acks.size() != 1) return "(no single ack)";
  const auto& ack = resp->acks[0];
  return ack.status == sync::AckStatus::accepted ? std::string("ok") : std::string(errc_name(ack.reason->code));
}

// The head's phone pushes a merge of wang's appeal into `into`, whatever the app would allow.
std::string push_merge(testing::TestHost& host, const EntityId& appeal, const std::string& into) {
  return push_as(host, "head-hs1", raw_op("phone-head-hs1", "head-hs1", "appeal.merge", appeal, {{"into", into}}));
}

TEST(AuthzMatrix, EveryPersonTimesEveryAppealOp) {
  for (const auto& [person, outcomes] : expected()) {
    for (std::size_t k = 0; k < op_cases().size(); ++k) {
      const auto& c = op_cases()[k];
      SCOPED_TRACE(person + " " + c.type);
      testing::TestHost host(testing::demo_start());
      const EntityId id = wangs_appeal(host);
      const auto before = *host.replica->state_json(id);
      std::optional<EntityId> duplicate;
      if (std::string_view(c.type) == "appeal.merge") duplicate = file_duplicate(host);
      Json payload = c.payload;
      if (duplicate) payload["into"] = duplicate->str();
      const std::string got = push_as(host, person, raw_op("device-x", person, c.type, id, payload));
      EXPECT_EQ(got, outcomes[k]);
      if (got != "ok") {
        EXPECT_EQ(*host.replica->state_json(id), before) << "a refused op changed the appeal";
      }
    }
  }
}

// A merge closes the appeal it names, so the host checks the target as the app does: a handler
// cannot bury an appeal by "merging" it into one that does not exist, is closed, or is another
// village's.
TEST(AuthzMatrix, AMergeNeedsARealOpenDuplicateInTheSameVillage) {
  struct Case {
    const char* into;  // what the merge names: see the branches below
    const char* outcome;
  };
  for (const Case c : {Case{"nothing", "not_found"}, Case{"withdrawn", "invalid_transition"},
                       Case{"other village", "out_of_scope"}, Case{"itself", "self_merge"},
                       Case{"duplicate", "ok"}}) {
    SCOPED_TRACE(c.into);
    testing::TestHost host(testing::demo_start());
    const EntityId id = wangs_appeal(host);
    const auto before = *host.replica->state_json(id);
    std::string into = "appeal/phone-nobody.1";
    if (std::string_view(c.into) == "withdrawn") {
      testing::Device li("phone-li", UserId("li"), testing::demo_start());
      auto dup = appeals::Service(*li.replica).file(
          UserId("li"), {RegionId("qs/dq/hs/y1"), appeals::Category::other, appeals::Urgency::green, "村口的路灯也不亮", {}, {}});
      ASSERT_TRUE(dup);
      ASSERT_TRUE(appeals::Service(*li.replica).withdraw(UserId("li"), *dup, "重复了"));
      testing::sync_all(li, host);
      into = dup->str();
    } else if (std::string_view(c.into) == "other village") {
      into = file_duplicate(host, "qs/dq/sm/y1", "sun").str();
    } else if (std::string_view(c.into) == "itself") {
      into = id.str();
    } else if (std::string_view(c.into) == "duplicate") {
      into = file_duplicate(host).str();
    }
    EXPECT_EQ(push_merge(host, id, into), c.outcome);
    if (std::string_view(c.outcome) != "ok") {
      EXPECT_EQ(*host.replica->state_json(id), before) << "a refused merge changed the appeal";
    } else {
      EXPECT_EQ((*host.replica->state_json(id))["status"], "merged");
    }
  }
}

TEST(AuthzMatrix, NobodyFilesInAnotherCourtyardOrAsSomeoneElse) {
  testing::TestHost host(testing::demo_start());
  auto push_file = [&](const char* session, const char* actor, const char* yard) {
    const std::string device = std::string("device-") + session;
    auto op = raw_op(device, actor, "appeal.file", EntityId("appeal/" + device + ".1"),
                     {{"category", "other"}, {"urgency", "green"}, {"text", "路灯坏了"}, {"attachments", Json::array()}}, yard);
    op.hlc = clock::Hlc{testing::demo_start().ms, 0};
    return push_as(host, session, op);
  };
  EXPECT_EQ(push_file("wang", "wang", "qs/dq/hs/y1"), "ok");
  EXPECT_EQ(push_file("li", "li", "qs/lh/lj/y1"), "out_of_scope");
  EXPECT_EQ(push_file("zhao", "wang", "qs/dq/hs/y1"), "actor_mismatch");
  EXPECT_EQ(push_file("admin-qs", "admin-qs", "qs/dq/hs/y1"), "forbidden_role");
  EXPECT_EQ(push_file("head-hs1", "head-hs1", "qs/dq/hs/y1"), "ok");
}

}  // namespace
}  // namespace cunwu
