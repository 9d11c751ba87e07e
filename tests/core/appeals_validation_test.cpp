// Every bad input gets a clear, catalogued error, and a refused command writes nothing:
// the log keeps its length, every folded state stays as it was, no op counter is used up.
#include <gtest/gtest.h>

#include <string>

#include "cunwu/appeals/domain.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/appeals/sla.hpp"
#include "cunwu/disclosure/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using appeals::AppealStatus;
using appeals::Category;
using appeals::FileRequest;
using appeals::Rating;
using appeals::Urgency;
using oplog::Json;


const std::string kHash(64, 'e');

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

Json file_payload(Json category = "environment", Json urgency = "green", Json text = "路灯坏了") {
  return Json{{"category", std::move(category)}, {"urgency", std::move(urgency)}, {"text", std::move(text)},
              {"attachments", Json::array()}};
}

class AppealsValidation : public ::testing::Test {
 protected:
  struct Snapshot {
    std::int64_t ops = 0;
    std::string dump;
    friend bool operator==(const Snapshot&, const Snapshot&) = default;
  };
  Snapshot snapshot() { return Snapshot{*host->log().ops().count(), *host->canonical_dump()}; }

  /// Asserts that `attempt` fails with `code` (a catalogued code with a message for villagers)
  /// and leaves the replica exactly as it was.
  template <class F>
  void expect_refused(const char* what, const char* code, F&& attempt) {
    SCOPED_TRACE(what);
    const Snapshot before = snapshot();
    const auto result = attempt();
    ASSERT_FALSE(result.ok()) << "accepted, but expected " << code;
    EXPECT_EQ(errc_name(result.error().code), code) << result.error().detail;
    EXPECT_FALSE(user_message(result.error().code, Lang::zh).empty());
    EXPECT_EQ(snapshot(), before) << "a refused command changed the replica";
  }

  EntityId file(const UserId& who = kWang, const RegionId& yard = kY1) {
    auto id = svc.file(who, FileRequest{yard, Category::environment, Urgency::green, "路灯坏了", {}});
    EXPECT_TRUE(id);
    return id ? *id : EntityId{};
  }
  EntityId resolved_appeal() {
    const auto id = file();
    EXPECT_TRUE(svc.resolve(kHead, id, "已修好"));
    return id;
  }
  Result<oplog::Op> raw(const UserId& actor, const std::string& type, const EntityId& entity, Json payload,
                        const RegionId& scope = {}) {
    return host->submit(OpDraft{actor, type, entity, scope, oplog::Visibility::participants, std::move(payload)});
  }
  Result<EntityId> file_text(const std::string& text) {
    return svc.file(kWang, FileRequest{kY1, Category::environment, Urgency::green, text, {}});
  }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> host = testing::demo_replica("host", clock);
  appeals::Service svc{*host};
};

TEST_F(AppealsValidation, UnknownCategoryUrgencyAndRatingAreRefused) {
  expect_refused("category", "unknown_category",
                 [&] { return raw(kWang, "appeal.file", {}, file_payload("weather"), kY1); });
  expect_refused("category missing", "unknown_category", [&] {
    Json p = file_payload();
    p.erase("category");
    return raw(kWang, "appeal.file", {}, p, kY1);
  });
  expect_refused("category not text", "unknown_category",
                 [&] { return raw(kWang, "appeal.file", {}, file_payload(3), kY1); });
  expect_refused("urgency", "unknown_urgency",
                 [&] { return raw(kWang, "appeal.file", {}, file_payload("environment", "purple"), kY1); });
  const auto id = resolved_appeal();
  expect_refused("rating", "unknown_rating",
                 [&] { return raw(kWang, "appeal.rate", id, {{"rating", "so-so"}}); });
  expect_refused("rating missing", "unknown_rating", [&] { return raw(kWang, "appeal.rate", id, Json::object()); });
  EXPECT_EQ(svc.get(id)->status, AppealStatus::resolved);
}

TEST_F(AppealsValidation, UnknownOpTypeIsRefused) {
  const auto id = file();
  expect_refused("delete", "unknown_op_type", [&] { return raw(kHead, "appeal.delete", id, Json::object()); });
}

TEST_F(AppealsValidation, EmptyAndWhitespaceOnlyTextAreRefused) {
  expect_refused("empty", "text_empty", [&] { return file_text(""); });
  expect_refused("spaces", "text_empty", [&] { return file_text("  \t\n "); });
  // The full-width space U+3000 that Chinese input methods type is white space too.
  expect_refused("ideographic spaces", "text_empty", [&] { return file_text("\xE3\x80\x80\xE3\x80\x80 "); });
  expect_refused("text missing", "text_empty", [&] {
    Json p = file_payload();
    p.erase("text");
    return raw(kWang, "appeal.file", {}, p, kY1);
  });
  const auto id = file();
  expect_refused("empty reply", "text_empty", [&] { return svc.reply(kHead, id, " "); });
  expect_refused("empty resolution", "text_empty", [&] { return svc.resolve(kHead, id, ""); });
  expect_refused("empty supervision note", "text_empty", [&] { return svc.supervise(kInspector, id, ""); });
}

TEST_F(AppealsValidation, TextLongerThanTheLimitIsRefusedCountingCharactersNotBytes) {
  // 2000 Chinese characters are 6000 bytes and still fit; 2001 do not.
  auto ok = file_text(repeat("字", appeals::kMaxAppealChars));
  ASSERT_TRUE(ok);
  EXPECT_EQ(svc.get(*ok)->text.size(), 3 * appeals::kMaxAppealChars);
  expect_refused("2001 characters", "text_too_long", [&] { return file_text(repeat("字", appeals::kMaxAppealChars + 1)); });
  expect_refused("reply too long", "text_too_long",
                 [&] { return svc.reply(kHead, *ok, repeat("答", appeals::kMaxReplyChars + 1)); });
}

TEST_F(AppealsValidation, InvalidUtf8IsRefused) {
  expect_refused("stray bytes", "invalid_utf8", [&] { return file_text("路灯\xff\xfe坏了"); });
  expect_refused("overlong slash", "invalid_utf8", [&] { return file_text("a\xC0\xAF"); });
  expect_refused("cut in the middle of a character", "invalid_utf8", [&] { return file_text(std::string("路").substr(0, 2)); });
  const auto id = file();
  expect_refused("reply", "invalid_utf8", [&] { return svc.reply(kHead, id, "\xED\xA0\x80"); });  // a surrogate
}

TEST_F(AppealsValidation, BadAttachmentsAreRefused) {
  auto with = [&](std::vector<appeals::Attachment> atts) {
    return svc.file(kWang, FileRequest{kY1, Category::hazard, Urgency::red, "桥塌了", std::move(atts)});
  };
  expect_refused("short hash", "invalid_attachment", [&] { return with({{"photo", "abc123"}}); });
  expect_refused("uppercase hash", "invalid_attachment", [&] { return with({{"photo", std::string(64, 'E')}}); });
  expect_refused("not hex", "invalid_attachment", [&] { return with({{"photo", std::string(64, 'g')}}); });
  expect_refused("video is not a kind", "invalid_attachment", [&] { return with({{"video", kHash}}); });
  expect_refused("ten attachments", "invalid_attachment",
                 [&] { return with(std::vector<appeals::Attachment>(appeals::kMaxAttachments + 1, {"photo", kHash})); });
  expect_refused("attachment not an object", "invalid_attachment", [&] {
    Json p = file_payload();
    p["attachments"] = Json::array({kHash});
    return raw(kWang, "appeal.file", {}, p, kY1);
  });
  EXPECT_TRUE(with(std::vector<appeals::Attachment>(appeals::kMaxAttachments, {"photo", kHash})));
}

TEST_F(AppealsValidation, RatingNeedsAResolvedAppealAndTheFiler) {
  const auto id = file();
  expect_refused("unresolved", "not_resolved", [&] { return svc.rate(kWang, id, Rating::satisfied); });
  ASSERT_TRUE(svc.accept(kHead, id));
  expect_refused("accepted", "not_resolved", [&] { return svc.rate(kWang, id, Rating::satisfied); });
  ASSERT_TRUE(svc.resolve(kHead, id, "已修好"));
  expect_refused("neighbour", "not_filer", [&] { return svc.rate(kLi, id, Rating::dissatisfied); });
  expect_refused("handler", "not_filer", [&] { return svc.rate(kHead, id, Rating::very_satisfied); });
  expect_refused("neighbour withdraws", "not_filer", [&] { return svc.withdraw(kLi, id); });
  EXPECT_EQ(svc.get(id)->status, AppealStatus::resolved);
}

TEST_F(AppealsValidation, ActingOutsideOnesScopeIsRefused) {
  const auto id = file();
  expect_refused("other courtyard's head", "out_of_scope", [&] { return svc.accept(kHeadY2, id); });
  expect_refused("file for another courtyard", "out_of_scope",
                 [&] { return svc.file(kWang, FileRequest{kY2, Category::other, Urgency::green, "隔壁院的事", {}}); });
  expect_refused("cadre of another village", "out_of_scope",
                 [&] { return svc.file(UserId("cadre-lj"), FileRequest{kY1, Category::other, Urgency::green, "代办", {}}); });
}

TEST_F(AppealsValidation, ActingWithoutTheRoleIsRefused) {
  const auto id = file();
  expect_refused("villager resolves", "forbidden_role", [&] { return svc.resolve(kWang, id, "我自己修好了"); });
  expect_refused("villager accepts", "forbidden_role", [&] { return svc.accept(kLi, id); });
  expect_refused("inspector handles", "forbidden_role", [&] { return svc.reply(kInspector, id, "收到"); });
  expect_refused("villager supervises", "forbidden_role", [&] { return svc.supervise(kWang, id, "快点"); });
  expect_refused("inspector files", "forbidden_role",
                 [&] { return svc.file(kInspector, FileRequest{kY1, Category::other, Urgency::green, "测试", {}}); });
  expect_refused("assign to a villager", "invalid_input", [&] { return svc.assign(kHead, id, kLi); });
  expect_refused("unknown user", "unknown_user", [&] { return svc.accept(UserId("nobody"), id); });
}

TEST_F(AppealsValidation, AfterEscalationTheLowerLevelIsNoLongerTheHandler) {
  const auto id = file();
  ASSERT_TRUE(svc.escalate(kHead, id, "院里解决不了"));
  expect_refused("courtyard head accepts", "not_handler", [&] { return svc.accept(kHead, id); });
  expect_refused("courtyard head resolves", "not_handler", [&] { return svc.resolve(kHead, id, "好了"); });
  expect_refused("township acts too early", "not_handler", [&] { return svc.accept(kStaffDq, id); });
  EXPECT_TRUE(svc.accept(kCadre, id));
}

TEST_F(AppealsValidation, NoLevelAboveTheCounty) {
  const auto id = file();
  ASSERT_TRUE(svc.escalate(kHead, id, "上报村委会"));
  ASSERT_TRUE(svc.escalate(kCadre, id, "上报乡镇"));
  ASSERT_TRUE(svc.escalate(kStaffDq, id, "上报县里"));
  EXPECT_EQ(svc.get(id)->level, 4);
  expect_refused("beyond county", "top_level_reached", [&] { return svc.escalate(kStaffQs, id, "再往上报"); });
  EXPECT_EQ(svc.get(id)->level, 4);
}

TEST_F(AppealsValidation, FinishedAppealsRefuseFurtherHandling) {
  const auto closed = resolved_appeal();
  ASSERT_TRUE(svc.rate(kWang, closed, Rating::satisfied));
  expect_refused("reply to closed", "already_closed", [&] { return svc.reply(kHead, closed, "还有事吗"); });
  expect_refused("rate closed again", "already_closed", [&] { return svc.rate(kWang, closed, Rating::dissatisfied); });
  expect_refused("escalate closed", "already_closed", [&] { return svc.escalate(kHead, closed, "再看看"); });

  const auto withdrawn = file();
  ASSERT_TRUE(svc.withdraw(kWang, withdrawn));
  expect_refused("accept withdrawn", "already_withdrawn", [&] { return svc.accept(kHead, withdrawn); });
  expect_refused("resolve withdrawn", "already_withdrawn", [&] { return svc.resolve(kHead, withdrawn, "好了"); });
  expect_refused("withdraw twice", "already_withdrawn", [&] { return svc.withdraw(kWang, withdrawn); });

  const auto target = file(kLi);
  const auto merged = file();
  ASSERT_TRUE(svc.merge(kHead, merged, target));
  expect_refused("accept merged", "already_merged", [&] { return svc.accept(kHead, merged); });
  expect_refused("withdraw merged", "already_merged", [&] { return svc.withdraw(kWang, merged); });
  const auto neighbour = file(kChen, kY2);
  expect_refused("merge into a merged one", "invalid_transition", [&] { return svc.merge(kHeadY2, neighbour, merged); });

  const auto resolved = resolved_appeal();
  expect_refused("resolve twice", "invalid_transition", [&] { return svc.resolve(kHead, resolved, "又好了"); });
  expect_refused("withdraw after resolution", "invalid_transition", [&] { return svc.withdraw(kWang, resolved); });
}

TEST_F(AppealsValidation, AcceptingTwiceIsRefused) {
  const auto id = file();
  ASSERT_TRUE(svc.accept(kHead, id));
  expect_refused("accept again", "invalid_transition", [&] { return svc.accept(kHead, id); });
}

TEST_F(AppealsValidation, HostOnlyOpsAreRefusedToPeople) {
  const auto id = file();
  expect_refused("villager numbers", "host_only", [&] { return raw(kWang, "appeal.number", id, {{"number", "20260713001"}}); });
  expect_refused("county staff numbers", "host_only",
                 [&] { return raw(kStaffQs, "appeal.number", id, {{"number", "20260713001"}}); });
  expect_refused("head claims overdue", "host_only",
                 [&] { return raw(kHead, "appeal.escalate", id, {{"reason", "overdue_response"}}); });
  expect_refused("bad escalation reason", "invalid_input",
                 [&] { return raw(kHead, "appeal.escalate", id, {{"reason", "bored"}}); });
  EXPECT_TRUE(svc.get(id)->official_number.empty());
}

TEST_F(AppealsValidation, TheHostCannotRenumberOrActAsAPerson) {
  const auto id = file();
  ASSERT_TRUE(svc.assign_official_number(id, clock.now()));
  expect_refused("second number", "number_taken",
                 [&] { return raw(kHostActor, "appeal.number", id, {{"number", "20260713099"}}); });
  expect_refused("host resolves", "forbidden_role", [&] { return raw(kHostActor, "appeal.resolve", id, {{"text", "好了"}}); });
  const auto unnumbered = file();
  expect_refused("malformed number", "invalid_input",
                 [&] { return raw(kHostActor, "appeal.number", unnumbered, {{"number", "2026-07-13"}}); });
  expect_refused("too many digits", "invalid_input",
                 [&] { return raw(kHostActor, "appeal.number", unnumbered, {{"number", "202607131000000"}}); });
  expect_refused("too few digits", "invalid_input",
                 [&] { return raw(kHostActor, "appeal.number", unnumbered, {{"number", "2026071301"}}); });
}

TEST_F(AppealsValidation, MergeNeedsAnotherExistingAppealOfTheSameVillage) {
  const auto id = file();
  expect_refused("self", "self_merge", [&] { return svc.merge(kHead, id, id); });
  expect_refused("self, raw", "self_merge", [&] { return raw(kHead, "appeal.merge", id, {{"into", id.str()}}); });
  expect_refused("missing target", "not_found", [&] { return svc.merge(kHead, id, EntityId("appeal/nowhere.1")); });
  expect_refused("not an appeal", "invalid_id", [&] { return raw(kHead, "appeal.merge", id, {{"into", "points/x.1"}}); });
  const auto elsewhere = file(UserId("zhao"), RegionId("qs/lh/lj/y1"));
  expect_refused("other village", "out_of_scope", [&] { return svc.merge(kHead, id, elsewhere); });
}

TEST_F(AppealsValidation, UnknownAppealOrCourtyardIsRefused) {
  expect_refused("no such appeal", "not_found", [&] { return svc.accept(kHead, EntityId("appeal/nowhere.1")); });
  expect_refused("get no such appeal", "not_found", [&] { return svc.get(EntityId("appeal/nowhere.1")); });
  expect_refused("no such courtyard", "unknown_region",
                 [&] { return svc.file(kWang, FileRequest{RegionId("qs/dq/hs/y9"), Category::other, Urgency::green, "x", {}}); });
  expect_refused("filed for a village", "unknown_region",
                 [&] { return svc.file(kCadre, FileRequest{RegionId("qs/dq/hs"), Category::other, Urgency::green, "x", {}}); });
}

// Regression: the id of an existing entity of another kind (a notice) was folded, written as
// JSON and read back as an appeal, which failed with invalid_json.
TEST_F(AppealsValidation, AnotherKindOfEntityIsNoAppeal) {
  const auto notice = disclosure::Service(*host).draft(kCadre, kHs, disclosure::PostType::notice,
                                                       {{"title", "秋季防火通知"}, {"body", "请各户注意秋季防火安全。"}});
  ASSERT_TRUE(notice);
  const auto id = file();
  expect_refused("get a notice", "not_found", [&] { return svc.get(*notice); });
  expect_refused("dispatch a notice", "not_found", [&] { return svc.dispatch(kHead, *notice, "水利站"); });
  expect_refused("merge into a notice", "not_found", [&] { return svc.merge(kHead, id, *notice); });
}

TEST_F(AppealsValidation, RefusedCommandsUseUpNoOpCounter) {
  ASSERT_FALSE(file_text(""));
  ASSERT_FALSE(svc.file(kWang, FileRequest{kY2, Category::other, Urgency::green, "x", {}}));
  const auto id = file();
  EXPECT_EQ(id.str(), "appeal/host.1");
}

TEST_F(AppealsValidation, SlaPolicyIsSetOnlyByTheCountyAndOnlyWithSaneValues) {
  const std::string defaults = appeals::to_json(appeals::SlaPolicy{}).dump();
  auto current = [&] { return appeals::to_json(*svc.sla(kCounty)).dump(); };
  auto policy_with_red = [](Duration respond, Duration resolve) {
    appeals::SlaPolicy p;
    p.red = {respond, resolve};
    return p;
  };
  const auto fine = policy_with_red(hours(1), hours(12));
  auto refused = [&](const char* what, const char* code, const UserId& who, const appeals::SlaPolicy& p,
                     const RegionId& where = kCounty) {
    SCOPED_TRACE(what);
    const auto s = svc.set_sla(who, where, p);
    ASSERT_FALSE(s) << "accepted, but expected " << code;
    EXPECT_EQ(errc_name(s.error().code), code) << s.error().detail;
    EXPECT_EQ(current(), defaults);
  };
  refused("villager", "forbidden_role", kWang, fine);
  refused("township staff", "forbidden_role", kStaffDq, fine);
  refused("a township is not a county", "unknown_region", kStaffQs, fine, RegionId("qs/dq"));
  refused("zero", "invalid_input", kStaffQs, policy_with_red(hours(0), hours(12)));
  refused("respond after resolve", "invalid_input", kStaffQs, policy_with_red(hours(13), hours(12)));
  refused("over 90 days", "invalid_input", kStaffQs, policy_with_red(hours(1), days(91)));
  refused("negative", "invalid_input", kStaffQs, policy_with_red(hours(-2), hours(12)));
  // Regression: 90 minutes used to be stored silently as 1 hour; limits are whole hours.
  refused("part of an hour", "invalid_input", kStaffQs, policy_with_red(minutes(90), hours(12)));

  ASSERT_TRUE(svc.set_sla(kStaffQs, kCounty, fine));
  EXPECT_EQ(svc.sla(kCounty)->red.respond, hours(1));
  ASSERT_TRUE(svc.set_sla(kAdmin, kCounty, appeals::SlaPolicy{}));
  EXPECT_EQ(current(), defaults);
}

// The browser rehearses a filing once the compose screen opens (Service::rehearse_file), to have
// the core's code compiled before the villager files. A rehearsal answers as filing would and
// leaves nothing: not in the store, not in the op counter (the real filing after it gets the id
// a replica that never rehearsed gives), not in the cached folds (that id's state is the real
// filing's alone).
TEST_F(AppealsValidation, ARehearsedFilingLeavesNothingBehind) {
  const FileRequest req{kY1, Category::environment, Urgency::green, "路灯坏了", {}};
  const Snapshot before = snapshot();
  ASSERT_TRUE(svc.rehearse_file(kWang, req));
  EXPECT_EQ(snapshot(), before);
  ASSERT_TRUE(svc.rehearse_file(kWang, FileRequest{kY1, Category::hazard, Urgency::red, "电线掉下来了", {}}));
  EXPECT_EQ(snapshot(), before);

  const auto id = svc.file(kWang, req);
  ASSERT_TRUE(id) << id.error().detail;
  auto twin = testing::demo_replica("host", clock);
  const auto twin_id = appeals::Service(*twin).file(kWang, req);
  ASSERT_TRUE(twin_id);
  EXPECT_EQ(*id, *twin_id);
  EXPECT_EQ(*host->log().ops().count(), before.ops + 1);
  const auto filed = svc.get(*id);
  ASSERT_TRUE(filed);
  EXPECT_EQ(filed->category, Category::environment);
  EXPECT_EQ(filed->text, "路灯坏了");
  EXPECT_EQ(filed->status, AppealStatus::submitted);
  EXPECT_EQ(filed->timeline.size(), appeals::Service(*twin).get(*twin_id)->timeline.size());
}

TEST_F(AppealsValidation, ARehearsalGivesTheErrorsOfFiling) {
  expect_refused("empty", "text_empty", [&] {
    return svc.rehearse_file(kWang, FileRequest{kY1, Category::environment, Urgency::green, " ", {}});
  });
  expect_refused("unknown courtyard", "unknown_region", [&] {
    return svc.rehearse_file(kWang, FileRequest{RegionId("qs/nowhere"), Category::environment, Urgency::green, "路灯坏了", {}});
  });
  expect_refused("too long", "text_too_long", [&] {
    return svc.rehearse_file(kWang, FileRequest{kY1, Category::environment, Urgency::green,
                                                repeat("字", appeals::kMaxAppealChars + 1), {}});
  });
}

}  // namespace
}  // namespace cunwu
