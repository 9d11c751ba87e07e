// The op log and fold engine, driven through Replica with appeal ops built by hand.
// Sections: op builders and the fixture; idempotent ingest; late ops re-fold one entity;
// refused ops (unknown type, wrong kind); host verdicts; Replica::submit; restart;
// convergence whatever the delivery order.
#include "cunwu/oplog/log.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using oplog::Json;
using oplog::Op;
using oplog::OpId;


std::int64_t at(int seconds) { return testing::demo_start().ms + std::int64_t{seconds} * 1000; }

Op make_op(const char* origin, std::uint64_t counter, std::int64_t wall, const char* actor, const char* type,
           const char* entity, Json payload, const RegionId& scope = kY1) {
  Op op;
  op.id = OpId{ReplicaId(origin), counter};
  op.hlc = clock::Hlc{wall, 0};
  op.actor = UserId(actor);
  op.type = type;
  op.entity = EntityId(entity);
  op.scope = scope;
  op.payload = std::move(payload);
  return op;
}

Json file_payload(const char* text = "村口的路灯坏了三天了") {
  return Json{{"category", "environment"}, {"urgency", "green"}, {"text", text}};
}

Op file_op(const char* origin, std::uint64_t counter, std::int64_t wall, const char* entity,
           const char* filer = "wang", const RegionId& scope = kY1) {
  return make_op(origin, counter, wall, filer, "appeal.file", entity, file_payload(), scope);
}

Op reply_op(const char* origin, std::uint64_t counter, std::int64_t wall, const char* entity, const char* text,
            const char* actor = "head-hs1", const RegionId& scope = kY1) {
  return make_op(origin, counter, wall, actor, "appeal.reply", entity, Json{{"text", text}}, scope);
}

Op accept_op(const char* origin, std::uint64_t counter, std::int64_t wall, const char* entity,
             const char* actor = "head-hs1") {
  return make_op(origin, counter, wall, actor, "appeal.accept", entity, Json::object());
}

Op verdict_op(std::uint64_t counter, std::int64_t wall, const Op& target, bool accepted = false,
              const char* actor = "host") {
  Json payload{{"op", Json{{"origin", target.id.origin.str()}, {"counter", target.id.counter}}},
               {"accepted", accepted},
               {"code", "op_rejected"},
               {"detail", "no longer handler"}};
  Op v = make_op("host", counter, wall, actor, oplog::kVerdictType, target.entity.str().c_str(), std::move(payload),
                 target.scope);
  return v;
}

class LogTest : public ::testing::Test {
 protected:
  oplog::IngestReport receive(Replica& r, const std::vector<Op>& ops) {
    auto report = r.receive(ops);
    EXPECT_TRUE(report.ok()) << report.error().detail;
    return report ? *report : oplog::IngestReport{};
  }
  oplog::IngestReport receive(const std::vector<Op>& ops) { return receive(*replica, ops); }
  Json state(const char* entity, Replica* r = nullptr) {
    auto s = (r ? *r : *replica).state_json(EntityId(entity));
    EXPECT_TRUE(s.ok()) << entity;
    return s ? *s : Json();
  }
  std::vector<std::string> timeline_texts(const char* entity) {
    std::vector<std::string> out;
    const Json s = state(entity);
    for (const auto& node : s["timeline"]) out.push_back(node["text"].get<std::string>());
    return out;
  }
  std::int64_t op_count(Replica& r) { return *r.log().ops().count(); }
  std::string dump(Replica& r) {
    auto d = r.canonical_dump();
    EXPECT_TRUE(d.ok());
    return d ? *d : std::string();
  }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> replica = testing::demo_replica("host", clock);
};

TEST_F(LogTest, IngestIsIdempotentOnOpId) {
  const std::vector<Op> ops = {file_op("p7", 1, at(1), "appeal/a"), reply_op("p7", 2, at(2), "appeal/a", "马上去看")};
  const auto first = receive(ops);
  EXPECT_EQ(first.inserted, 2u);
  EXPECT_EQ(first.applied, 2u);
  EXPECT_EQ(first.duplicates, 0u);
  const std::string before = dump(*replica);

  const auto retry = receive(ops);
  EXPECT_EQ(retry.inserted, 0u);
  EXPECT_EQ(retry.duplicates, 2u);
  EXPECT_EQ(retry.applied, 0u);
  EXPECT_EQ(retry.refolded_entities, 0u);
  EXPECT_EQ(retry.conflicts, 0u);
  EXPECT_EQ(dump(*replica), before) << "a retried push changes nothing";
  EXPECT_EQ(op_count(*replica), 2);
  EXPECT_EQ(timeline_texts("appeal/a"), (std::vector<std::string>{"村口的路灯坏了三天了", "马上去看"}));
}

TEST_F(LogTest, SameIdWithOtherContentIsADuplicateNotAnEdit) {
  (void)receive({file_op("p7", 1, at(1), "appeal/a"), reply_op("p7", 2, at(2), "appeal/a", "马上去看")});
  const auto forged = receive({reply_op("p7", 2, at(3), "appeal/a", "已经修好了")});
  EXPECT_EQ(forged.duplicates, 1u);
  EXPECT_EQ(forged.inserted, 0u);
  EXPECT_EQ(timeline_texts("appeal/a"), (std::vector<std::string>{"村口的路灯坏了三天了", "马上去看"}));
  auto stored = replica->log().ops().find(OpId{ReplicaId("p7"), 2});
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->payload["text"], "马上去看");
}

TEST_F(LogTest, DuplicateWithinOneBatchIsCountedOnce) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  const auto report = receive({f, f});
  EXPECT_EQ(report.inserted, 1u);
  EXPECT_EQ(report.duplicates, 1u);
  EXPECT_EQ(report.applied, 1u);
  EXPECT_EQ(op_count(*replica), 1);
  EXPECT_EQ(state("appeal/a")["status"], "submitted");
}

TEST_F(LogTest, LateOpRefoldsOnlyItsEntity) {
  (void)receive({file_op("p7", 1, at(1), "appeal/a"), reply_op("p7", 3, at(30), "appeal/a", "第二次答复"),
                 file_op("p9", 1, at(1), "appeal/b", "chen", kY2)});
  const Json b_before = state("appeal/b");
  const auto b_row_before = replica->log().ops().entity(EntityId("appeal/b"));
  ASSERT_TRUE(b_row_before.ok() && b_row_before->has_value());

  // p7.2 was written offline before p7.3 but arrives after it.
  const auto report = receive({reply_op("p7", 2, at(20), "appeal/a", "第一次答复")});
  EXPECT_EQ(report.inserted, 1u);
  EXPECT_EQ(report.refolded_entities, 1u);
  EXPECT_EQ(report.applied, 0u) << "a re-fold is not an incremental apply";
  EXPECT_EQ(timeline_texts("appeal/a"), (std::vector<std::string>{"村口的路灯坏了三天了", "第一次答复", "第二次答复"}))
      << "the late reply takes its place in time, not in arrival order";

  EXPECT_EQ(state("appeal/b"), b_before);
  const auto b_row_after = replica->log().ops().entity(EntityId("appeal/b"));
  ASSERT_TRUE(b_row_after.ok() && b_row_after->has_value());
  EXPECT_EQ((*b_row_after)->last, (*b_row_before)->last) << "the other appeal was not re-folded";
}

TEST_F(LogTest, LateOpAndInOrderOpInOneBatch) {
  (void)receive({file_op("p7", 1, at(1), "appeal/a"), reply_op("p7", 3, at(30), "appeal/a", "第二次答复"),
                 file_op("p9", 1, at(1), "appeal/b", "chen", kY2)});
  const auto report = receive({reply_op("p7", 2, at(20), "appeal/a", "第一次答复"),
                               reply_op("p9", 2, at(40), "appeal/b", "收到", "head-hs2", kY2)});
  EXPECT_EQ(report.inserted, 2u);
  EXPECT_EQ(report.refolded_entities, 1u);
  EXPECT_EQ(report.applied, 1u) << "appeal/b's reply applies incrementally";
  EXPECT_EQ(state("appeal/b")["status"], "accepted");
}

TEST_F(LogTest, InOrderOpsApplyWithoutRefold) {
  const auto report = receive({file_op("p7", 1, at(1), "appeal/a"), accept_op("p7", 2, at(2), "appeal/a")});
  EXPECT_EQ(report.applied, 2u);
  EXPECT_EQ(report.refolded_entities, 0u);
  const auto next = receive({reply_op("p7", 3, at(3), "appeal/a", "在处理")});
  EXPECT_EQ(next.applied, 1u);
  EXPECT_EQ(next.refolded_entities, 0u);
}

TEST_F(LogTest, UnknownOpTypesAreRefusedAndNotStored) {
  std::uint64_t counter = 0;
  for (const char* type : {"appeal.fly", "points.award", "appeal", "", "verdicts", "Appeal.file"}) {
    const Op op = make_op("p7", ++counter, at(1), "wang", type, "appeal/a", file_payload());
    const auto report = receive({op});
    ASSERT_EQ(report.invalid.size(), 1u) << type;
    EXPECT_EQ(report.invalid[0].first, op.id);
    EXPECT_EQ(report.invalid[0].second.code, Errc::unknown_op_type) << type;
    EXPECT_EQ(report.inserted, 0u);
    auto stored = replica->log().ops().find(op.id);
    ASSERT_TRUE(stored.ok());
    EXPECT_FALSE(stored->has_value()) << type;
  }
  EXPECT_EQ(op_count(*replica), 0);
  EXPECT_EQ(replica->state_json(EntityId("appeal/a")).code(), Errc::not_found);
}

TEST_F(LogTest, ARefusedOpDoesNotStopTheRestOfTheBatch) {
  const auto report = receive({make_op("p7", 1, at(1), "wang", "appeal.fly", "appeal/a", Json::object()),
                               file_op("p7", 2, at(2), "appeal/a")});
  EXPECT_EQ(report.invalid.size(), 1u);
  EXPECT_EQ(report.inserted, 1u);
  EXPECT_EQ(report.applied, 1u);
  EXPECT_EQ(state("appeal/a")["status"], "submitted");
}

TEST_F(LogTest, EntityOfAnotherKindIsInvalidId) {
  std::uint64_t counter = 0;
  for (const char* entity : {"points/h-wang", "appeal", "appeal/", "appealx/1", "Appeal/1", "/appeal/1"}) {
    const Op op = file_op("p7", ++counter, at(1), entity);
    const auto report = receive({op});
    ASSERT_EQ(report.invalid.size(), 1u) << entity;
    EXPECT_EQ(report.invalid[0].second.code, Errc::invalid_id) << entity;
    EXPECT_EQ(report.inserted, 0u);
  }
  EXPECT_EQ(op_count(*replica), 0);
}

TEST_F(LogTest, VerdictExcludesTheRejectedOp) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  const Op accept = accept_op("p7", 2, at(2), "appeal/a");
  (void)receive({f, accept});
  ASSERT_EQ(state("appeal/a")["status"], "accepted");

  const auto report = receive({verdict_op(1, at(5), accept)});
  EXPECT_EQ(report.inserted, 1u);
  EXPECT_EQ(report.refolded_entities, 1u);
  EXPECT_EQ(state("appeal/a")["status"], "submitted") << "the rejected acceptance is undone";
  EXPECT_EQ(state("appeal/a")["timeline"].size(), 1u);

  auto rejected = replica->log().ops().rejections(EntityId("appeal/a"));
  ASSERT_TRUE(rejected.ok());
  ASSERT_EQ(rejected->size(), 1u);
  EXPECT_EQ((*rejected)[0].first, accept.id);
  EXPECT_EQ((*rejected)[0].second.code, Errc::op_rejected);
  EXPECT_EQ((*rejected)[0].second.detail, "no longer handler");
  EXPECT_TRUE(replica->conflicts(EntityId("appeal/a"))->empty()) << "rejected is not the same as conflicting";
  auto kept = replica->log().ops().find(accept.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->has_value()) << "the rejected op stays in the log";

  // The appeal can still be accepted by a later, valid op.
  EXPECT_EQ(receive({accept_op("p7", 3, at(6), "appeal/a")}).applied, 1u);
  EXPECT_EQ(state("appeal/a")["status"], "accepted");
}

TEST_F(LogTest, VerdictArrivingBeforeItsOpStillExcludesIt) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  const Op accept = accept_op("p7", 2, at(2), "appeal/a");
  const Op verdict = verdict_op(1, at(5), accept);
  (void)receive({f});
  (void)receive({verdict});
  (void)receive({accept});
  EXPECT_EQ(state("appeal/a")["status"], "submitted");

  auto other = testing::demo_replica("other", clock);
  (void)receive(*other, {f, accept, verdict});
  EXPECT_EQ(dump(*replica), dump(*other));
}

// A verdict sorts by the host's clock, after ops that may still arrive. Once it sat among the
// entity's cached ops, a later re-fold merged into an unsorted list and folded out of order.
TEST_F(LogTest, RefoldAfterAVerdictKeepsHlcOrder) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  const Op accept = accept_op("p7", 2, at(2), "appeal/a");
  (void)receive({f, accept});
  (void)receive({verdict_op(1, at(50), accept)});
  (void)receive({reply_op("p9", 3, at(30), "appeal/a", "第三")});
  (void)receive({reply_op("p9", 2, at(20), "appeal/a", "第二"), reply_op("p9", 4, at(40), "appeal/a", "第四"),
                 reply_op("p9", 5, at(41), "appeal/a", "第五"), reply_op("p9", 6, at(42), "appeal/a", "第六")});
  EXPECT_EQ(timeline_texts("appeal/a"),
            (std::vector<std::string>{"村口的路灯坏了三天了", "第二", "第三", "第四", "第五", "第六"}));
  EXPECT_TRUE(replica->conflicts(EntityId("appeal/a"))->empty());
}

TEST_F(LogTest, VerdictBeforeTheEntityExistsConverges) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  const Op accept = accept_op("p7", 2, at(2), "appeal/a");
  const Op verdict = verdict_op(1, at(5), accept);
  (void)receive({verdict});
  (void)receive({f, accept});
  EXPECT_EQ(state("appeal/a")["status"], "submitted");
  EXPECT_EQ(state("appeal/a")["filer"], "wang");

  auto other = testing::demo_replica("other", clock);
  (void)receive(*other, {f, accept});
  (void)receive(*other, {verdict});
  EXPECT_EQ(dump(*replica), dump(*other));
}

TEST_F(LogTest, AcceptingVerdictChangesNothing) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  const Op accept = accept_op("p7", 2, at(2), "appeal/a");
  (void)receive({f, accept});
  const auto report = receive({verdict_op(1, at(5), accept, /*accepted=*/true)});
  EXPECT_EQ(report.inserted, 1u);
  EXPECT_EQ(state("appeal/a")["status"], "accepted");
  EXPECT_TRUE(replica->log().ops().rejections(EntityId("appeal/a"))->empty());
}

TEST_F(LogTest, VerdictByANonHostIsRefused) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  const Op accept = accept_op("p7", 2, at(2), "appeal/a");
  (void)receive({f, accept});
  const Op forged = verdict_op(1, at(5), accept, false, "staff-qs");
  const auto report = receive({forged});
  ASSERT_EQ(report.invalid.size(), 1u);
  EXPECT_EQ(report.invalid[0].second.code, Errc::host_only);
  EXPECT_EQ(report.inserted, 0u);
  EXPECT_FALSE(replica->log().ops().find(forged.id)->has_value());
  EXPECT_EQ(state("appeal/a")["status"], "accepted");
  EXPECT_TRUE(replica->log().ops().rejections(EntityId("appeal/a"))->empty());
}

TEST_F(LogTest, VerdictWithABadPayloadIsRefused) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  (void)receive({f});
  for (const Json& payload : {Json::object(), Json{{"op", "p7.1"}, {"accepted", false}},
                              Json{{"op", Json{{"origin", "p7"}, {"counter", 1}}}, {"accepted", "no"}},
                              Json{{"op", Json{{"origin", "p7"}, {"counter", -1}}}, {"accepted", false}},
                              // a code or detail that is not text threw out of the parser before
                              Json{{"op", Json{{"origin", "p7"}, {"counter", 1}}}, {"accepted", false}, {"code", 7}},
                              Json{{"op", Json{{"origin", "p7"}, {"counter", 1}}}, {"accepted", false}, {"detail", Json::array()}}}) {
    const Op v = make_op("host", 1, at(5), "host", oplog::kVerdictType, "appeal/a", payload);
    const auto report = receive({v});
    ASSERT_EQ(report.invalid.size(), 1u) << payload.dump();
    EXPECT_EQ(report.invalid[0].second.code, Errc::invalid_json) << payload.dump();
  }
  EXPECT_EQ(op_count(*replica), 1);
}

TEST_F(LogTest, OnlyTheHostSubmitsVerdicts) {
  const Op f = file_op("p7", 1, at(1), "appeal/a");
  (void)receive({f});
  const Json payload{{"op", Json{{"origin", "p7"}, {"counter", 1}}}, {"accepted", false}, {"code", "op_rejected"}};
  auto r = replica->submit(OpDraft{UserId("staff-qs"), oplog::kVerdictType, EntityId("appeal/a"), kY1,
                                   oplog::Visibility::public_in_scope, payload});
  EXPECT_EQ(r.code(), Errc::host_only);
  EXPECT_EQ(op_count(*replica), 1);
  EXPECT_EQ(state("appeal/a")["status"], "submitted");
}

class SubmitTest : public LogTest {
 protected:
  OpDraft file_draft(const char* text = "村口的路灯坏了三天了", const RegionId& scope = kY1) {
    return OpDraft{UserId("wang"), "appeal.file", EntityId(), scope, oplog::Visibility::public_in_scope,
                   file_payload(text)};
  }
  std::unique_ptr<Replica> phone = testing::demo_replica("phone-7", clock);
};

TEST_F(SubmitTest, FailedSubmitWritesNothingAndKeepsTheCounter) {
  EXPECT_EQ(phone->submit(file_draft("   ")).code(), Errc::text_empty);
  EXPECT_EQ(phone->submit(file_draft("路灯坏了", kY2)).code(), Errc::out_of_scope);
  EXPECT_EQ(phone->submit(OpDraft{UserId("wang"), "appeal.fly", EntityId(), kY1, {}, Json::object()}).code(),
            Errc::unknown_op_type);
  EXPECT_EQ(phone->submit(OpDraft{UserId("head-hs1"), "appeal.accept", EntityId("appeal/none"), RegionId(), {},
                                  Json::object()})
                .code(),
            Errc::not_found);
  EXPECT_EQ(phone->submit(OpDraft{UserId("wang"), "appeal.file", EntityId("points/x"), kY1, {}, file_payload()})
                .code(),
            Errc::invalid_id);
  EXPECT_EQ(phone->submit(OpDraft{UserId("wang"), "appeal.file", EntityId(), kY1, {}, Json::array()}).code(),
            Errc::invalid_json);
  EXPECT_EQ(op_count(*phone), 0);
  EXPECT_TRUE(phone->conflicts()->empty()) << "a refused submit is not a conflict either";
  EXPECT_EQ(dump(*phone), "") << "no entity was created";

  auto op = phone->submit(file_draft());
  ASSERT_TRUE(op.ok()) << op.error().detail;
  EXPECT_EQ(op->id, (OpId{ReplicaId("phone-7"), 1})) << "the failed submits did not use up counters";
  EXPECT_EQ(op->entity, EntityId("appeal/phone-7.1"));
  EXPECT_EQ(op->scope, kY1);

  EXPECT_EQ(phone->submit(OpDraft{UserId("wang"), "appeal.accept", op->entity, RegionId(), {}, Json::object()}).code(),
            Errc::forbidden_role);
  auto reply = phone->submit(OpDraft{UserId("head-hs1"), "appeal.reply", op->entity, RegionId(), {},
                                     Json{{"text", "明天去修"}}});
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_EQ(reply->id.counter, 2u);
  EXPECT_EQ(reply->scope, kY1) << "an empty scope means the entity's scope";
  EXPECT_GT(reply->hlc, op->hlc);
  EXPECT_EQ(op_count(*phone), 2);
}

TEST_F(SubmitTest, SubmittedOpsAreStoredAsAuthored) {
  auto op = phone->submit(file_draft());
  ASSERT_TRUE(op.ok()) << op.error().detail;
  auto stored = phone->log().ops().find(op->id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(oplog::to_json(**stored), oplog::to_json(*op));
  EXPECT_EQ(op->hlc.wall, testing::demo_start().ms);
  EXPECT_EQ(op->actor, UserId("wang"));
}

TEST_F(SubmitTest, ReceivingMovesTheClockSoLaterSubmitsOrderAfter) {
  const Op remote = file_op("p9", 1, at(600), "appeal/r");  // ten minutes ahead of this phone
  (void)receive(*phone, {remote});
  auto reply = phone->submit(OpDraft{UserId("head-hs1"), "appeal.reply", EntityId("appeal/r"), RegionId(), {},
                                     Json{{"text", "收到"}}});
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_GT(reply->hlc, remote.hlc);
  EXPECT_EQ(state("appeal/r", phone.get())["status"], "accepted");
}

TEST_F(SubmitTest, FarFutureOpIsKeptButDoesNotDragTheClock) {
  const std::int64_t next_year = testing::demo_start().ms + days(365).ms;
  const Op remote = file_op("p9", 1, next_year, "appeal/r");
  const auto report = receive(*phone, {remote});
  EXPECT_EQ(report.inserted, 1u);
  auto mine = phone->submit(file_draft());
  ASSERT_TRUE(mine.ok()) << mine.error().detail;
  EXPECT_LT(mine->hlc.wall, next_year);
  EXPECT_EQ(mine->hlc.wall, testing::demo_start().ms);
}

TEST(ReplicaRestart, RestoresCounterClockAndDirectory) {
  testing::TempDir tmp;
  const std::string path = tmp.file("phone.db");
  testing::FakeClock clock(testing::demo_start());
  std::vector<Op> before;
  {
    auto phone = testing::demo_replica("phone-7", clock, path);
    auto a = phone->submit(OpDraft{UserId("wang"), "appeal.file", EntityId(), kY1, {}, file_payload()});
    ASSERT_TRUE(a.ok()) << a.error().detail;
    clock.advance(minutes(1));
    auto b = phone->submit(OpDraft{UserId("head-hs1"), "appeal.accept", a->entity, RegionId(), {}, Json::object()});
    ASSERT_TRUE(b.ok()) << b.error().detail;
    before = {*a, *b};
    // An op from a device whose clock is an hour ahead.
    before.push_back(reply_op("p9", 1, at(3600), a->entity.str().c_str(), "一小时后"));
    auto r = phone->receive(std::span<const Op>(&before.back(), 1));
    ASSERT_TRUE(r.ok());
  }
  // The phone restarts with its clock three hours behind.
  clock.set(testing::demo_start() + Duration{-hours(3).ms});
  ReplicaOptions options;
  options.path = path;
  options.id = ReplicaId("phone-7");
  options.physical = clock.physical();
  auto reopened = Replica::open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.error().detail;
  Replica& phone = **reopened;
  EXPECT_EQ(phone.directory().users().size(), testing::demo_directory().users().size())
      << "the org tree is loaded from the file";

  auto c = phone.submit(OpDraft{UserId("head-hs1"), "appeal.reply", before[0].entity, RegionId(), {},
                                Json{{"text", "重启之后"}}});
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->id.counter, 3u) << "no op id is reused after a restart";
  for (const Op& op : before) EXPECT_GT(c->hlc, op.hlc) << oplog::to_string(op.id);
  auto first = phone.log().ops().find(before[0].id);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ(oplog::to_json(**first), oplog::to_json(before[0])) << "the first op was not overwritten";
  EXPECT_EQ(*phone.log().ops().count(), 4);
  auto s = phone.state_json(before[0].entity);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)["timeline"].back()["text"], "重启之后");
}

// Regression: on reopening, the clock was restored from the greatest hlc in the log, so an op
// from a phone set to next year (kept, but refused as time by receive) made every op authored
// after a restart carry next year's date.
TEST(ReplicaRestart, FarFutureOpStillDoesNotDragTheClock) {
  testing::TempDir tmp;
  const std::string path = tmp.file("host.db");
  testing::FakeClock clock(testing::demo_start());
  const std::int64_t next_year = testing::demo_start().ms + days(365).ms;
  Op own;
  {
    auto host = testing::demo_replica("host", clock, path);
    auto a = host->submit(OpDraft{UserId("wang"), "appeal.file", EntityId(), kY1, {}, file_payload()});
    ASSERT_TRUE(a.ok()) << a.error().detail;
    own = *a;
    const auto report = host->receive(std::vector<Op>{file_op("p9", 1, next_year, "appeal/future")});
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->inserted, 1u);
  }
  clock.advance(minutes(5));
  ReplicaOptions options;
  options.path = path;
  options.id = ReplicaId("host");
  options.physical = clock.physical();
  auto reopened = Replica::open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.error().detail;
  auto b = (*reopened)->submit(OpDraft{UserId("li"), "appeal.file", EntityId(), kY1, {}, file_payload()});
  ASSERT_TRUE(b.ok()) << b.error().detail;
  EXPECT_EQ(b->hlc.wall, clock.now().ms) << "stamped with today's time, not next year's";
  EXPECT_GT(b->hlc, own.hlc);
  EXPECT_EQ(b->id.counter, 2u);
}

TEST(ReplicaOpen, RejectsBadReplicaIds) {
  for (const std::string& id : {std::string(), std::string("phone.7"), std::string(65, 'p')}) {
    ReplicaOptions options;
    options.id = ReplicaId(id);
    EXPECT_EQ(Replica::open(options).code(), Errc::invalid_id) << id;
  }
}

// The ops of a small story: three appeals in two courtyards, a conflicting double acceptance,
// a reply from outside the courtyard, a host rejection and a host acceptance.
std::vector<Op> story() {
  const Op a_file = file_op("p7", 1, at(1), "appeal/a");
  const Op a_accept = accept_op("p8", 1, at(10), "appeal/a", "grid-hs1");
  const Op a_accept2 = accept_op("p7", 2, at(11), "appeal/a");  // conflict: already accepted
  const Op a_reply = reply_op("p7", 3, at(12), "appeal/a", "已派人");
  const Op b_file = file_op("p9", 1, at(2), "appeal/b", "chen", kY2);
  const Op b_accept = accept_op("p9", 2, at(20), "appeal/b", "head-hs2");
  const Op b_reply = reply_op("p8", 2, at(21), "appeal/b", "越权答复", "head-hs1", kY2);  // conflict: out of scope
  const Op c_file = file_op("p7", 4, at(3), "appeal/c", "li");
  const Op c_accept = accept_op("p8", 3, at(30), "appeal/c", "grid-hs1");
  return {a_file, a_accept, a_accept2, a_reply, b_file, b_accept, b_reply, c_file, c_accept,
          verdict_op(1, at(40), c_accept), verdict_op(2, at(41), a_accept2, true)};
}

TEST_F(LogTest, StoryRecordsConflictsAndRejections) {
  (void)receive(story());
  auto conflicts = replica->conflicts();
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 2u);
  EXPECT_EQ((*conflicts)[0].op, (OpId{ReplicaId("p7"), 2}));
  EXPECT_EQ((*conflicts)[0].error.code, Errc::invalid_transition);
  EXPECT_EQ((*conflicts)[1].op, (OpId{ReplicaId("p8"), 2}));
  EXPECT_EQ((*conflicts)[1].error.code, Errc::out_of_scope);
  EXPECT_EQ(state("appeal/a")["status"], "accepted");
  EXPECT_EQ(state("appeal/c")["status"], "submitted") << "the host rejected c's acceptance";
}

TEST_F(LogTest, SameOpsInAnyOrderGiveTheSameState) {
  const std::vector<Op> ops = story();
  (void)receive(ops);
  const std::string expected = dump(*replica);
  ASSERT_FALSE(expected.empty());
  int n = 0;
  for (const auto seed : testing::test_seeds(8)) {
    std::mt19937_64 rng(seed);
    std::vector<Op> shuffled = ops;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto other = testing::demo_replica("r" + std::to_string(++n), clock);
    // Deliver in random batches, with some ops delivered twice.
    std::size_t i = 0;
    while (i < shuffled.size()) {
      const std::size_t len = 1 + rng() % 3;
      std::vector<Op> batch(shuffled.begin() + std::ptrdiff_t(i),
                            shuffled.begin() + std::ptrdiff_t(std::min(shuffled.size(), i + len)));
      if (rng() % 4 == 0) batch.push_back(shuffled[rng() % shuffled.size()]);
      (void)receive(*other, batch);
      i += len;
    }
    EXPECT_EQ(dump(*other), expected) << "seed=" << seed;
    EXPECT_EQ(op_count(*other), std::int64_t(ops.size())) << "seed=" << seed;
  }
}

// A WriteBehind holds the folded rows until finish: reads through the log see the new state at
// once, a scan of the entities table writes them first, and finish stores exactly what a plain
// ingest would have stored.
TEST_F(LogTest, WriteBehindStoresEachRowOnceWithTheSameResult) {
  const std::vector<Op> ops = {file_op("p7", 1, at(1), "appeal/a"), reply_op("p7", 2, at(2), "appeal/a", "马上去看")};
  auto plain = testing::demo_replica("plain", clock);
  for (const auto& op : ops) (void)receive(*plain, {op});

  auto& log = replica->log();
  store::Transaction tx(replica->db());
  ASSERT_TRUE(tx.status().ok());
  oplog::Log::WriteBehind held(log);
  for (const auto& op : ops) (void)receive({op});
  auto row = log.ops().entity(EntityId("appeal/a"));
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(row->has_value()) << "the row waits for finish";
  EXPECT_EQ(timeline_texts("appeal/a"), (std::vector<std::string>{"村口的路灯坏了三天了", "马上去看"}));
  ASSERT_TRUE(held.finish().ok());
  ASSERT_TRUE(tx.commit().ok());
  EXPECT_EQ(dump(*replica), dump(*plain));
  const auto mine = *log.ops().entity(EntityId("appeal/a"));
  const auto theirs = *plain->log().ops().entity(EntityId("appeal/a"));
  ASSERT_TRUE(mine && theirs);
  EXPECT_EQ(mine->state, theirs->state);
  EXPECT_EQ(mine->last.counter, theirs->last.counter);
}

TEST_F(LogTest, AScanOfTheEntitiesSeesTheHeldRows) {
  store::Transaction tx(replica->db());
  oplog::Log::WriteBehind held(replica->log());
  (void)receive({file_op("p7", 1, at(1), "appeal/a")});
  auto rows = replica->log().ops().entities("appeal");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().id, EntityId("appeal/a"));
  ASSERT_TRUE(held.finish().ok());
  ASSERT_TRUE(tx.commit().ok());
}

// Not finished (an error on the way): the caller rolls back, and the log forgets what it held,
// so it reads the entity from the store again.
TEST_F(LogTest, AnUnfinishedWriteBehindForgetsWhatItHeld) {
  (void)receive({file_op("p7", 1, at(1), "appeal/a")});
  {
    store::Transaction tx(replica->db());
    oplog::Log::WriteBehind held(replica->log());
    (void)receive({reply_op("p7", 2, at(2), "appeal/a", "马上去看")});
  }  // rolled back, not finished
  EXPECT_EQ(timeline_texts("appeal/a"), (std::vector<std::string>{"村口的路灯坏了三天了"}));
  EXPECT_EQ(op_count(*replica), 1);
  (void)receive({reply_op("p7", 2, at(2), "appeal/a", "马上去看")});
  EXPECT_EQ(timeline_texts("appeal/a"), (std::vector<std::string>{"村口的路灯坏了三天了", "马上去看"}));
}

TEST_F(LogTest, ReverseOrderGivesTheSameState) {
  std::vector<Op> ops = story();
  (void)receive(ops);
  auto other = testing::demo_replica("reverse", clock);
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) (void)receive(*other, {*it});
  EXPECT_EQ(dump(*other), dump(*replica));
}

}  // namespace
}  // namespace cunwu
