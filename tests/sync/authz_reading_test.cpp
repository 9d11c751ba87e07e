// Reading, the other half of authorization: what a villager's pull may hold. A small county is
// lived through the host by phones (appeals, points, posts and their drafts, read receipts), then
// every villager pulls everything and each op they received is checked against what is theirs
// to see: their village's public ops and the regions' above it, and private ops only of what
// they take part in; never another village's ops, a draft, or another villager's appeal.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "authz_support.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/disclosure/domain.hpp"
#include "cunwu/disclosure/service.hpp"
#include "cunwu/points/domain.hpp"
#include "cunwu/points/service.hpp"

namespace cunwu {
namespace {

using testing::Device;
using testing::TestHost;

const char* const kVillagers[] = {"wang", "li", "chen", "sun", "zhao"};

struct County {
  TestHost host{testing::demo_start()};
  std::map<std::string, std::unique_ptr<Device>> phones;
  std::map<std::string, EntityId> appeal_of;  // by filer
  EntityId draft_hs, post_hs, draft_lj, post_lj, post_dq;

  Device& phone(const std::string& who) {
    auto& d = phones[who];
    if (!d) d = std::make_unique<Device>("phone-" + who, UserId(who), testing::demo_start());
    return *d;
  }
  void sync(const std::string& who) { testing::sync_all(phone(who), host); }
};

// Everyone does a bit of everything, each on their own phone, synced through the host.
void live(County& c) {
  ASSERT_TRUE(points::seed_demo(*c.host.replica, testing::demo_json("points.json")));
  for (const char* v : kVillagers) {
    Device& d = c.phone(v);
    const RegionId yard = *testing::demo_directory().user(UserId(v))->home;
    auto id = appeals::Service(*d.replica)
                  .file(UserId(v), {yard, appeals::Category::other, appeals::Urgency::green, "路灯坏了", {}, {}});
    ASSERT_TRUE(id) << v;
    c.appeal_of[v] = *id;
    c.sync(v);
  }
  c.sync("head-hs1");
  ASSERT_TRUE(
      appeals::Service(*c.phone("head-hs1").replica).reply(UserId("head-hs1"), c.appeal_of["wang"], "明天来修"));
  c.sync("head-hs1");

  auto notice = [](const char* title) { return oplog::Json{{"title", title}, {"body", "请相互转告。"}}; };
  auto write = [&](const char* cadre, const char* scope, EntityId& draft, EntityId& post) {
    disclosure::Service svc(*c.phone(cadre).replica);
    draft = testing::must(svc.draft(UserId(cadre), RegionId(scope), disclosure::PostType::notice,
                                    notice("村两委换届候选人（内部讨论稿）")));
    post = testing::must(svc.draft(UserId(cadre), RegionId(scope), disclosure::PostType::notice, notice("停水通知")));
    ASSERT_TRUE(svc.publish(UserId(cadre), post));
    c.sync(cadre);
  };
  write("cadre-hs", "qs/dq/hs", c.draft_hs, c.post_hs);
  write("cadre-lj", "qs/lh/lj", c.draft_lj, c.post_lj);
  EntityId draft_dq;
  write("staff-dq", "qs/dq", draft_dq, c.post_dq);

  for (const char* v : kVillagers) c.sync(v);
  ASSERT_TRUE(points::Service(*c.phone("wang").replica)
                  .apply(UserId("wang"), HouseholdId("h-wang"), "sort-rubbish", "分类到位"));
  ASSERT_TRUE(points::Service(*c.phone("zhao").replica)
                  .apply(UserId("zhao"), HouseholdId("h-zhao"), "volunteer-day", "义务劳动"));
  ASSERT_TRUE(disclosure::Service(*c.phone("wang").replica).read(UserId("wang"), c.post_hs));
  ASSERT_TRUE(disclosure::Service(*c.phone("li").replica).read(UserId("li"), c.post_hs));
  ASSERT_TRUE(disclosure::Service(*c.phone("zhao").replica).read(UserId("zhao"), c.post_lj));
  // Asking is public: it makes no one a participant of the post's drafts.
  ASSERT_TRUE(disclosure::Service(*c.phone("wang").replica).ask(UserId("wang"), c.post_hs, "停水几天？"));
  ASSERT_TRUE(disclosure::Service(*c.phone("zhao").replica).ask(UserId("zhao"), c.post_lj, "几点来水？"));
  for (const char* v : kVillagers) c.sync(v);
  c.sync("cadre-hs");
  ASSERT_TRUE(points::Service(*c.phone("cadre-hs").replica)
                  .award(UserId("cadre-hs"), HouseholdId("h-li"), "volunteer-day", "义务劳动"));
  c.sync("cadre-hs");
  for (const char* v : kVillagers) c.sync(v);
}

// The entities `user` takes part in: those they authored a private op of (in this county every
// appeal is filed by its resident).
std::set<EntityId> own_entities(Replica& host, const UserId& user) {
  std::set<EntityId> out;
  auto rows = host.log().ops().ops_after(0, 1'000'000);
  EXPECT_TRUE(rows);
  for (const auto& [seq, op] : *rows) {
    if (op.actor == user && op.visibility == oplog::Visibility::participants) out.insert(op.entity);
  }
  return out;
}

// Checks every op a new phone of villager `v` pulls from the host, and what it folds to.
void expect_only_theirs(County& c, const char* v) {
  SCOPED_TRACE(v);
  const auto& dir = testing::demo_directory();
  const UserId me(v);
  const RegionId village = *dir.ancestor_at(*dir.user(me)->home, org::RegionLevel::village);
  const auto mine = own_entities(*c.host.replica, me);
  // A new phone of the same person pulls everything there is for them from the start.
  Device fresh(std::string("new-phone-") + v, me, testing::demo_start());
  testing::sync_all(fresh, c.host);
  auto rows = fresh.replica->log().ops().ops_after(0, 1'000'000);
  ASSERT_TRUE(rows);
  int replies = 0;
  for (const auto& [seq, op] : *rows) {
    SCOPED_TRACE(op.type + " on " + op.entity.str() + " in " + op.scope.str());
    EXPECT_TRUE(org::Directory::contains(village, op.scope) || org::Directory::contains(op.scope, village))
        << "an op of another village";
    EXPECT_NE(op.type, "post.draft") << "drafts are for the cadres who write them";
    EXPECT_NE(op.type, "post.edit") << "drafts are for the cadres who write them";
    if (op.visibility == oplog::Visibility::participants) {
      EXPECT_TRUE(mine.contains(op.entity)) << "a private op of something " << v << " takes no part in";
    }
    if (op.type == "appeal.reply") ++replies;
  }
  EXPECT_EQ(replies, std::string(v) == "wang" ? 1 : 0) << "the head's reply reaches wang, who filed";
  // What they see, and what they do not.
  appeals::Service appeals(*fresh.replica);
  disclosure::Service posts(*fresh.replica);
  EXPECT_TRUE(appeals.get(c.appeal_of[v])) << "their own appeal";
  for (const char* other : kVillagers) {
    if (std::string(other) != v) {
      EXPECT_FALSE(appeals.get(c.appeal_of[other])) << other << "'s appeal";
    }
  }
  const bool hs = village == RegionId("qs/dq/hs");
  const bool dq = org::Directory::contains(RegionId("qs/dq"), village);
  EXPECT_EQ(bool(posts.published(c.post_hs)), hs);
  EXPECT_EQ(bool(posts.published(c.post_lj)), !dq);
  EXPECT_EQ(bool(posts.published(c.post_dq)), dq);
  EXPECT_FALSE(posts.get(c.draft_hs)) << "a draft before publication";
  EXPECT_FALSE(posts.get(c.draft_lj)) << "a draft before publication";
  // Points ledgers are public within their village (every phone computes the honour lists from
  // them), and only there.
  points::Service pts(*fresh.replica);
  EXPECT_EQ(pts.ledger(HouseholdId("h-li"))->exists, hs) << "li's award is public in 河山村 only";
  EXPECT_EQ(pts.ledger(HouseholdId("h-zhao"))->exists, std::string(v) == "zhao");
  EXPECT_EQ(bool(fresh.replica->state_json(disclosure::receipt_id(c.post_hs, UserId("li")))), std::string(v) == "li")
      << "read receipts are their reader's";
}

TEST(AuthzReading, AVillagersPullHoldsOnlyTheirVillagesPublicOpsAndTheirOwnPrivateOnes) {
  County c;
  live(c);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  for (const char* v : kVillagers) expect_only_theirs(c, v);
}

// Who receives an op follows its scope and visibility, which the device writes. An op on an
// existing entity must carry the entity's scope, and each op type has one visibility: otherwise
// a cadre could "publish" or amend a record that no villager's phone ever receives, or send a
// reply on a private appeal to the whole village. Such ops are refused and not stored, so they
// reach nobody.
TEST(AuthzReading, NoOneSendsAnOpOutsideItsEntitysScopeOrVisibility) {
  County c;
  live(c);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  using oplog::Visibility;
  testing::Pusher pusher(c.host);
  const RegionId hs("qs/dq/hs"), lj("qs/lh/lj"), y1("qs/dq/hs/y1");
  const auto draft = *disclosure::Service(*c.host.replica).get(c.draft_hs);
  const oplog::Json amend{{"reason", "更正"}, {"fields", {{"body", "改为7月20日停水。"}}}};
  const struct {
    const char* who;
    oplog::Op op;
    const char* cell;
  } cases[] = {
      {"cadre-hs", testing::crafted("cadre-hs", "post.amend", c.post_hs, lj, Visibility::public_in_scope, amend),
       "scope_mismatch"},
      {"cadre-hs", testing::crafted("cadre-hs", "post.amend", c.post_hs, hs, Visibility::participants, amend),
       "visibility_mismatch"},
      {"cadre-hs",
       testing::crafted("cadre-hs", "post.publish", c.draft_hs, hs, Visibility::participants,
                        {{"revision", draft.revision}, {"type", "notice"}, {"content", draft.draft}}),
       "visibility_mismatch"},
      {"cadre-hs",
       testing::crafted("cadre-hs", "post.draft", EntityId("post/leak"), hs, Visibility::public_in_scope,
                        {{"type", "notice"}, {"fields", {{"title", "内部讨论稿"}}}}),
       "visibility_mismatch"},
      {"head-hs1",
       testing::crafted("head-hs1", "appeal.reply", c.appeal_of["wang"], y1, Visibility::public_in_scope,
                        {{"text", "王秀英家的路灯明天修"}}),
       "visibility_mismatch"},
      {"zhao",
       testing::crafted("zhao", "post.ask", c.post_lj, hs, Visibility::public_in_scope,
                        {{"version", 1}, {"text", "柳家村的问题"}}),
       "scope_mismatch"},
      {"sun",
       testing::crafted("sun", "ledger.redeem", points::ledger_id(HouseholdId("h-sun")), y1,
                        Visibility::public_in_scope,
                        {{"shop", "qs/dq/hs"}, {"goods", "soap"}, {"name", "香皂"}, {"price", 5}}),
       "scope_mismatch"},
      {"cadre-hs",
       testing::crafted("cadre-hs", "rulebook.retire", points::rulebook_id(hs), lj, Visibility::public_in_scope,
                        {{"rule", "litter"}}),
       "scope_mismatch"},
      {"wang",
       testing::crafted("wang", "receipt.read", disclosure::receipt_id(c.post_hs, UserId("wang")), lj,
                        Visibility::participants, {{"post", c.post_hs.str()}, {"version", 1}}),
       "scope_mismatch"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(std::string(k.who) + " " + k.op.type + " on " + k.op.entity.str());
    const std::string before = testing::state_text(*c.host.replica, k.op.entity);
    const auto got = pusher.push(UserId(k.who), k.op);
    EXPECT_EQ(got.cell, k.cell);
    EXPECT_FALSE(got.stored) << "kept, it would reach the wrong people";
    EXPECT_EQ(testing::state_text(*c.host.replica, k.op.entity), before);
  }
  for (const char* v : kVillagers) expect_only_theirs(c, v);
}

// Regression: a villager who asked a question about a published post became a participant of the
// post and received its draft ops, with the ID numbers and phones of an assistance list that
// publication masks.
TEST(AuthzReading, AskingAboutAnAssistanceListDoesNotHandOverItsUnmaskedDrafts) {
  TestHost host(testing::demo_start());
  Device cadre("phone-cadre", UserId("cadre-hs"), testing::demo_start());
  Device wang("phone-wang", UserId("wang"), testing::demo_start());
  const oplog::Json fields{{"title", "低保名单公示"},
                           {"program", "低保"},
                           {"criteria", "家庭月人均收入低于680元"},
                           {"steps", {"本人申请", "村民代表评议"}},
                           {"entries",
                            {{{"name", "陈玉兰"},
                              {"id_number", "330122195805061227"},
                              {"phone", "13812345678"},
                              {"household_size", 2},
                              {"amount", 136000}}}}};
  disclosure::Service on_cadre(*cadre.replica);
  const EntityId id =
      *on_cadre.draft(UserId("cadre-hs"), RegionId("qs/dq/hs"), disclosure::PostType::assistance, fields);
  ASSERT_TRUE(on_cadre.edit(UserId("cadre-hs"), id, {{"criteria", "家庭月人均收入低于680元，财产符合规定"}}));
  ASSERT_TRUE(on_cadre.publish(UserId("cadre-hs"), id));
  testing::sync_all(cadre, host);
  testing::sync_all(wang, host);
  ASSERT_TRUE(disclosure::Service(*wang.replica).ask(UserId("wang"), id, "评议是哪天开的？"));
  testing::sync_all(wang, host);
  testing::sync_all(wang, host);
  auto rows = wang.replica->log().ops().ops_after(0, 1'000'000);
  ASSERT_TRUE(rows);
  bool published = false;
  for (const auto& [seq, op] : *rows) {
    EXPECT_NE(op.type, "post.draft");
    EXPECT_NE(op.type, "post.edit");
    const std::string text = op.payload.dump();
    EXPECT_EQ(text.find("330122195805061227"), std::string::npos) << op.type << " carries the full ID number";
    EXPECT_EQ(text.find("13812345678"), std::string::npos) << op.type << " carries the full phone number";
    published = published || op.type == "post.publish";
  }
  EXPECT_TRUE(published) << "the masked list itself does reach her";
  EXPECT_TRUE(disclosure::Service(*wang.replica).published(id));
}

}  // namespace
}  // namespace cunwu
