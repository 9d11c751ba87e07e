// Appeals as a villager and the handlers live them: filing, numbering, handling, rating,
// withdrawal, merging, supervision, the inbox and the timeline the villager reads.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "cunwu/appeals/sla.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using appeals::Appeal;
using appeals::AppealStatus;
using appeals::Category;
using appeals::Rating;
using appeals::Urgency;


template <class R>
std::string code_of(const R& r) {
  return r ? "ok" : std::string(errc_name(r.error().code));
}

class AppealsLifecycle : public ::testing::Test {
 protected:
  EntityId file(const UserId& who, const RegionId& yard, Urgency urgency = Urgency::green,
                const std::string& text = "村口的路灯坏了，晚上看不见路") {
    appeals::FileRequest req{yard, Category::environment, urgency, text, {}};
    auto id = svc.file(who, req);
    EXPECT_TRUE(id) << (id ? "" : id.error().detail);
    return id ? *id : EntityId{};
  }
  Appeal get(const EntityId& id) {
    auto a = svc.get(id);
    EXPECT_TRUE(a) << id.str();
    return a ? *a : Appeal{};
  }
  std::string number(const EntityId& id) {
    auto n = svc.assign_official_number(id, clock.now());
    EXPECT_TRUE(n) << (n ? "" : n.error().detail);
    return n ? *n : std::string();
  }
  std::int64_t op_count() { return *host->log().ops().count(); }
  std::vector<EntityId> inbox_ids(const UserId& who) {
    std::vector<EntityId> out;
    auto items = svc.inbox(who, clock.now());
    EXPECT_TRUE(items);
    if (items) {
      for (const auto& it : *items) out.push_back(it.appeal.id);
    }
    return out;
  }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> host = testing::demo_replica("host", clock);
  appeals::Service svc{*host};
};

TEST_F(AppealsLifecycle, HappyPathEndsClosedAfterVerySatisfiedRating) {
  const auto id = file(kWang, kY1, Urgency::yellow, "村口垃圾三天没人清运了");
  Appeal a = get(id);
  EXPECT_EQ(a.status, AppealStatus::submitted);
  EXPECT_EQ(a.level, 1);
  EXPECT_EQ(a.filer, kWang);
  EXPECT_EQ(a.scope, kY1);
  EXPECT_EQ(a.text, "村口垃圾三天没人清运了");
  EXPECT_EQ(inbox_ids(kHead), std::vector<EntityId>{id});

  clock.advance(minutes(5));
  EXPECT_EQ(number(id), "20260713001");
  clock.advance(minutes(30));
  ASSERT_TRUE(svc.accept(kHead, id));
  EXPECT_EQ(get(id).status, AppealStatus::accepted);
  ASSERT_TRUE(svc.reply(kHead, id, "已联系保洁员，明天上午清运"));
  ASSERT_TRUE(svc.assign(kHead, id, kGrid));
  EXPECT_EQ(get(id).assignee, kGrid);
  ASSERT_TRUE(svc.dispatch(kHead, id, "镇环卫所"));
  EXPECT_EQ(get(id).department, "镇环卫所");
  clock.advance(hours(20));
  ASSERT_TRUE(svc.resolve(kGrid, id, "垃圾已清运完毕"));
  a = get(id);
  EXPECT_EQ(a.status, AppealStatus::resolved);
  EXPECT_EQ(a.resolver, kGrid);
  EXPECT_EQ(a.resolved_at, clock.now());
  // Resolved appeals wait for the villager, not the handlers.
  EXPECT_TRUE(inbox_ids(kHead).empty());

  ASSERT_TRUE(svc.rate(kWang, id, Rating::very_satisfied, "谢谢"));
  a = get(id);
  EXPECT_EQ(a.status, AppealStatus::closed);
  EXPECT_EQ(a.rating, Rating::very_satisfied);
  EXPECT_FALSE(a.open());
  EXPECT_EQ(a.dissatisfied_count, 0);
}

TEST_F(AppealsLifecycle, TimelineShowsEveryStepInOrderWithItsActor) {
  const TimeMs t0 = clock.now();
  const auto id = file(kWang, kY1);
  clock.advance(minutes(1));
  number(id);
  clock.advance(minutes(10));
  ASSERT_TRUE(svc.accept(kHead, id));
  clock.advance(minutes(10));
  ASSERT_TRUE(svc.reply(kHead, id, "明天派电工来修"));
  ASSERT_TRUE(svc.assign(kHead, id, kGrid));
  ASSERT_TRUE(svc.dispatch(kHead, id, "村电工班"));
  clock.advance(hours(1));
  ASSERT_TRUE(svc.resolve(kGrid, id, "路灯已更换"));
  ASSERT_TRUE(svc.rate(kWang, id, Rating::satisfied));

  const Appeal a = get(id);
  std::vector<std::string> kinds;
  std::vector<UserId> actors;
  for (const auto& n : a.timeline) {
    kinds.push_back(n.kind);
    actors.push_back(n.actor);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"filed", "numbered", "accepted", "replied", "assigned", "dispatched",
                                             "resolved", "rated"}));
  EXPECT_EQ(actors, (std::vector<UserId>{kWang, kHostActor, kHead, kHead, kHead, kHead, kGrid, kWang}));
  ASSERT_EQ(a.timeline.size(), 8u);
  EXPECT_EQ(a.timeline[0].at, t0);
  EXPECT_EQ(a.timeline[2].at, t0 + minutes(11));
  EXPECT_EQ(a.timeline[1].text, a.official_number);
  EXPECT_EQ(a.timeline[3].text, "明天派电工来修");
  EXPECT_EQ(a.timeline[4].text, "grid-hs1");
  EXPECT_EQ(a.timeline[5].text, "村电工班");
  EXPECT_EQ(a.timeline[6].text, "路灯已更换");
  for (std::size_t i = 1; i < a.timeline.size(); ++i) EXPECT_LE(a.timeline[i - 1].at, a.timeline[i].at) << i;
}

TEST_F(AppealsLifecycle, ProvisionalNumberUntilTheHostNumbersIt) {
  const auto id = file(kWang, kY1);
  Appeal a = get(id);
  EXPECT_TRUE(a.official_number.empty());
  EXPECT_EQ(a.provisional_number.rfind("临20260713-", 0), 0u) << a.provisional_number;
  EXPECT_EQ(a.display_number(), a.provisional_number);
  EXPECT_FALSE(a.registered_at.has_value());

  clock.advance(minutes(3));
  EXPECT_EQ(number(id), "20260713001");
  a = get(id);
  EXPECT_EQ(a.official_number, "20260713001");
  EXPECT_EQ(a.display_number(), "20260713001");
  EXPECT_EQ(a.registered_at, clock.now());
  EXPECT_FALSE(a.provisional_number.empty());  // still known, e.g. to match the villager's receipt
}

TEST_F(AppealsLifecycle, OfficialNumbersCountPerCountyAndRestartEachChinaDay) {
  // A second county, to show that each county keeps its own daily sequence.
  org::Directory dir = testing::demo_directory();
  ASSERT_TRUE(dir.add_region({RegionId("bs"), std::nullopt, org::RegionLevel::county, "白沙县"}));
  ASSERT_TRUE(dir.add_region({RegionId("bs/t1"), RegionId("bs"), org::RegionLevel::township, "白沙镇"}));
  ASSERT_TRUE(dir.add_region({RegionId("bs/t1/v1"), RegionId("bs/t1"), org::RegionLevel::village, "白沙村"}));
  ASSERT_TRUE(dir.add_region({RegionId("bs/t1/v1/y1"), RegionId("bs/t1/v1"), org::RegionLevel::courtyard, "一院"}));
  ASSERT_TRUE(dir.add_user({UserId("ma"), "马大姐", RegionId("bs/t1/v1/y1"), std::nullopt}));
  ASSERT_TRUE(dir.grant(UserId("ma"), org::Role::villager, RegionId("bs/t1/v1/y1")));
  ASSERT_TRUE(host->set_directory(dir));

  const auto first = file(kWang, kY1);
  const auto second = file(kLi, kY1);
  const auto other_county = file(UserId("ma"), RegionId("bs/t1/v1/y1"));
  const auto late = file(kChen, kY2);
  const auto next_day = file(kZhao, kLj1);
  const auto after_retry = file(kWang, kY1);

  EXPECT_EQ(number(first), "20260713001");
  EXPECT_EQ(number(second), "20260713002");
  EXPECT_EQ(number(other_county), "20260713001");
  // 23:59 on the 13th in China is still the 13th, although it is 15:59 UTC.
  clock.set(china_time(2026, 7, 13, 23, 59));
  EXPECT_EQ(number(late), "20260713003");
  clock.set(china_time(2026, 7, 14, 0, 1));
  EXPECT_EQ(number(next_day), "20260714001");

  // Numbering again (a retried host job) changes nothing and uses up no sequence number.
  const auto ops_before = op_count();
  EXPECT_EQ(number(first), "20260713001");
  EXPECT_EQ(number(next_day), "20260714001");
  EXPECT_EQ(op_count(), ops_before);
  EXPECT_EQ(get(first).official_number, "20260713001");
  EXPECT_EQ(number(after_retry), "20260714002");
}

TEST_F(AppealsLifecycle, VillagerWithdrawsAnAcceptedAppeal) {
  const auto id = file(kWang, kY1);
  number(id);
  ASSERT_TRUE(svc.accept(kHead, id));
  clock.advance(hours(1));
  ASSERT_TRUE(svc.withdraw(kWang, id, "已经和邻居自行协商解决"));
  const Appeal a = get(id);
  EXPECT_EQ(a.status, AppealStatus::withdrawn);
  EXPECT_FALSE(a.open());
  EXPECT_EQ(a.timeline.back().kind, "withdrawn");
  EXPECT_EQ(a.timeline.back().actor, kWang);
  EXPECT_EQ(a.timeline.back().text, "已经和邻居自行协商解决");
  EXPECT_TRUE(inbox_ids(kHead).empty());
  EXPECT_NE(appeals::timeline_text_zh(a, host->directory()).find("王秀英撤回了诉求：已经和邻居自行协商解决"),
            std::string::npos);
}

TEST_F(AppealsLifecycle, DuplicatesMergeIntoOneAppealOfTheSameVillage) {
  const auto main_id = file(kWang, kY1, Urgency::green, "水渠堵了");
  const auto dup1 = file(kLi, kY1, Urgency::green, "水渠堵住了，田里进不了水");
  const auto dup2 = file(kLi, kY1, Urgency::green, "又是水渠的事");
  const auto elsewhere = file(kZhao, kLj1, Urgency::green, "柳家村的水渠也堵了");

  ASSERT_TRUE(svc.merge(kHead, dup1, main_id));
  ASSERT_TRUE(svc.merge(kGrid, dup2, main_id));
  const Appeal d = get(dup1);
  EXPECT_EQ(d.status, AppealStatus::merged);
  EXPECT_EQ(d.merged_into, main_id);
  EXPECT_EQ(d.timeline.back().kind, "merged");

  auto dups = svc.duplicates_of(main_id);
  ASSERT_TRUE(dups);
  std::vector<EntityId> ids;
  for (const auto& a : *dups) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<EntityId>{dup1, dup2}));
  EXPECT_EQ(get(main_id).status, AppealStatus::submitted);
  EXPECT_EQ(inbox_ids(kHead), std::vector<EntityId>{main_id});

  // Another village's appeal is not a duplicate, and an appeal is not its own duplicate.
  const auto ops_before = op_count();
  EXPECT_EQ(code_of(svc.merge(kHead, main_id, elsewhere)), "out_of_scope");
  EXPECT_EQ(code_of(svc.merge(kHead, main_id, main_id)), "self_merge");
  EXPECT_EQ(op_count(), ops_before);
  EXPECT_EQ(get(main_id).status, AppealStatus::submitted);
  EXPECT_EQ(get(elsewhere).status, AppealStatus::submitted);
}

TEST_F(AppealsLifecycle, DissatisfiedRatingReopensTheAppeal) {
  const auto id = file(kWang, kY1, Urgency::yellow);
  number(id);
  ASSERT_TRUE(svc.resolve(kHead, id, "已处理"));
  clock.advance(hours(2));
  ASSERT_TRUE(svc.rate(kWang, id, Rating::dissatisfied, "灯还是不亮"));
  Appeal a = get(id);
  EXPECT_EQ(a.status, AppealStatus::reopened);
  EXPECT_TRUE(a.open());
  EXPECT_EQ(a.dissatisfied_count, 1);
  EXPECT_EQ(a.rating, Rating::dissatisfied);
  EXPECT_EQ(a.level, 1);
  EXPECT_EQ(a.level_since, clock.now());  // fresh time limits from the reopening
  EXPECT_EQ(a.timeline.back().kind, "reopened");
  EXPECT_EQ(inbox_ids(kHead), std::vector<EntityId>{id});

  // The handlers try again; a second dissatisfied rating flags it for the inspector.
  ASSERT_TRUE(svc.accept(kHead, id));
  ASSERT_TRUE(svc.resolve(kHead, id, "换了新灯泡"));
  ASSERT_TRUE(svc.rate(kWang, id, Rating::dissatisfied));
  a = get(id);
  EXPECT_EQ(a.dissatisfied_count, 2);
  EXPECT_TRUE(appeals::supervision(a, appeals::SlaPolicy{}, clock.now()).dissatisfied_twice);
  ASSERT_TRUE(svc.resolve(kHead, id, "换了新线路"));
  ASSERT_TRUE(svc.rate(kWang, id, Rating::satisfied));
  a = get(id);
  EXPECT_EQ(a.status, AppealStatus::closed);
  EXPECT_EQ(a.rating, Rating::satisfied);
  EXPECT_EQ(a.dissatisfied_count, 2);
}

TEST_F(AppealsLifecycle, InspectorSupervisesAnAppeal) {
  const auto id = file(kWang, kY1);
  EXPECT_FALSE(appeals::supervision(get(id), appeals::SlaPolicy{}, clock.now()).any());
  ASSERT_TRUE(svc.supervise(kInspector, id, "请院长三日内答复"));
  const Appeal a = get(id);
  EXPECT_TRUE(a.supervised);
  EXPECT_TRUE(appeals::supervision(a, appeals::SlaPolicy{}, clock.now()).flagged);
  EXPECT_EQ(a.timeline.back().kind, "supervised");
  EXPECT_EQ(a.timeline.back().actor, kInspector);
  EXPECT_EQ(a.timeline.back().text, "请院长三日内答复");
  EXPECT_EQ(a.status, AppealStatus::submitted);  // supervision flags, it does not handle
  EXPECT_NE(appeals::timeline_text_zh(a, host->directory()).find("林监督员纪委督办：请院长三日内答复"),
            std::string::npos);
}

TEST_F(AppealsLifecycle, CadreFilesOnBehalfOfAVillagerInTheirVillage) {
  const auto id = file(kCadre, kY2, Urgency::yellow, "陈玉兰老人没有手机，代她反映：屋顶漏雨");
  const Appeal a = get(id);
  EXPECT_EQ(a.scope, kY2);
  EXPECT_EQ(a.filer, kCadre);
  EXPECT_EQ(inbox_ids(kHeadY2), std::vector<EntityId>{id});
  EXPECT_TRUE(inbox_ids(kHead).empty());  // another courtyard's head does not see it

  // Only within the cadre's own region.
  appeals::FileRequest req{kLj1, Category::service, Urgency::green, "代办", {}};
  const auto ops_before = op_count();
  EXPECT_EQ(code_of(svc.file(kCadre, req)), "out_of_scope");
  EXPECT_EQ(op_count(), ops_before);
}

TEST_F(AppealsLifecycle, OnBehalfFilingMakesTheResidentTheFiler) {
  // 代办: 陈玉兰 has no phone; the village cadre files for her. The appeal is hers.
  appeals::FileRequest req{kY2, Category::service, Urgency::yellow, "屋顶漏雨，请派人来看看", {}};
  req.on_behalf_of = kChen;
  auto id = svc.file(kCadre, req);
  ASSERT_TRUE(id) << id.error().detail;
  Appeal a = get(*id);
  EXPECT_EQ(a.filer, kChen);
  EXPECT_EQ(a.filed_by, kCadre);
  ASSERT_TRUE(svc.resolve(kHeadY2, *id, "已修好"));
  EXPECT_EQ(code_of(svc.rate(kCadre, *id, Rating::satisfied)), "not_filer");
  EXPECT_TRUE(svc.rate(kChen, *id, Rating::satisfied));

  // Only for a resident of that courtyard, and only by a cadre: a neighbour cannot.
  const auto ops_before = op_count();
  req.on_behalf_of = kWang;  // lives in y1, not y2
  EXPECT_EQ(code_of(svc.file(kCadre, req)), "out_of_scope");
  req.on_behalf_of = kChen;
  req.courtyard = kY2;
  EXPECT_EQ(code_of(svc.file(UserId("chen"), req)), "forbidden_role");
  EXPECT_EQ(op_count(), ops_before);
}

TEST_F(AppealsLifecycle, AttachmentsAreKeptBySha256) {
  const std::string photo(64, 'a');
  const std::string voice = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  appeals::FileRequest req{kY1, Category::hazard, Urgency::red, "桥面裂缝，有危险",
                           {{"photo", photo}, {"voice", voice}}};
  auto id = svc.file(kWang, req);
  ASSERT_TRUE(id);
  const Appeal a = get(*id);
  EXPECT_EQ(a.attachments, (std::vector<appeals::Attachment>{{"photo", photo}, {"voice", voice}}));
}

TEST_F(AppealsLifecycle, InboxShowsOnlyTheUsersLevelNearestDeadlineFirst) {
  const TimeMs t0 = clock.now();
  const auto green = file(kWang, kY1, Urgency::green);   // respond by t0 + 24h
  const auto red = file(kLi, kY1, Urgency::red);         // respond by t0 + 1h + 2h
  const auto yellow = file(kWang, kY1, Urgency::yellow); // respond by t0 + 30min + 24h
  const auto unregistered = file(kLi, kY1, Urgency::red);
  const auto escalated = file(kWang, kY1, Urgency::red);
  const auto closed = file(kLi, kY1, Urgency::red);
  number(green);
  number(escalated);
  number(closed);
  clock.set(t0 + minutes(30));
  number(yellow);
  clock.set(t0 + hours(1));
  number(red);
  ASSERT_TRUE(svc.escalate(kHead, escalated, "需要村里协调"));
  ASSERT_TRUE(svc.resolve(kHead, closed, "已处理"));
  ASSERT_TRUE(svc.rate(kLi, closed, Rating::satisfied));

  auto items = svc.inbox(kHead, clock.now());
  ASSERT_TRUE(items);
  std::vector<EntityId> ids;
  for (const auto& it : *items) ids.push_back(it.appeal.id);
  EXPECT_EQ(ids, (std::vector<EntityId>{red, green, yellow, unregistered}));
  ASSERT_EQ(items->size(), 4u);
  EXPECT_EQ((*items)[0].due, t0 + hours(3));
  EXPECT_EQ((*items)[1].due, t0 + hours(24));
  EXPECT_EQ((*items)[3].due, std::nullopt);
  EXPECT_EQ(inbox_ids(kGrid), ids);  // both heads of the courtyard share it
  EXPECT_EQ(inbox_ids(kCadre), std::vector<EntityId>{escalated});
  EXPECT_TRUE(inbox_ids(kWang).empty());
  EXPECT_TRUE(inbox_ids(kHeadY2).empty());

  // Once answered, the green one is due by its resolution limit and moves to the back.
  ASSERT_TRUE(svc.accept(kHead, green));
  EXPECT_EQ(inbox_ids(kHead), (std::vector<EntityId>{red, yellow, green, unregistered}));
}

TEST_F(AppealsLifecycle, TimelineTextReadsAsChinese) {
  const auto id = file(kWang, kY1, Urgency::yellow, "村口垃圾三天没人清运了");
  number(id);
  clock.advance(minutes(30));
  ASSERT_TRUE(svc.accept(kHead, id));
  ASSERT_TRUE(svc.reply(kHead, id, "明天清运"));
  ASSERT_TRUE(svc.assign(kHead, id, kGrid));
  ASSERT_TRUE(svc.dispatch(kHead, id, "镇环卫所"));
  ASSERT_TRUE(svc.escalate(kHead, id, "需要村里派车"));
  ASSERT_TRUE(svc.resolve(kCadre, id, "垃圾已清运"));
  ASSERT_TRUE(svc.rate(kWang, id, Rating::very_satisfied));

  const std::string text = appeals::timeline_text_zh(get(id), host->directory());
  for (const char* line : {"诉求 20260713001  [爱环境 · 黄色（较急） · 已评价]", "“村口垃圾三天没人清运了”",
                           "2026-07-13 09:00  王秀英提交了诉求", "2026-07-13 09:00  平台登记编号：20260713001",
                           "2026-07-13 09:30  刘院长已受理", "刘院长回复：明天清运", "刘院长指派给周网格员",
                           "刘院长转派到部门：镇环卫所", "刘院长上报到村委会：需要村里派车", "张书记办结：垃圾已清运",
                           "王秀英评价：非常满意"}) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << text;
  }
}

}  // namespace
}  // namespace cunwu
