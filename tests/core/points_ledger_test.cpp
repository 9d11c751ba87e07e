// The points rules one by one: catalogue, applications, awards, deductions, limits, reversals,
// redemptions with host confirmation and fulfilment, the projection, honour lists and stars.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "cunwu/points/domain.hpp"
#include "cunwu/points/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using testing::demo_points;
using namespace points;
using oplog::Json;

const std::string kPhoto(64, 'a');

class PointsLedger : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(seed_demo(*host, demo_points())); }
  Points balance(const HouseholdId& h) { return *svc.balance(h); }
  std::string award(const char* rule = "volunteer-day", const HouseholdId& h = kWangH) {
    auto id = svc.award(kCadre, h, rule, "参加了村里的志愿服务");
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : std::string();
  }
  Ledger ledger(const HouseholdId& h = kWangH) { return *svc.ledger(h); }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> host = testing::demo_replica("host", clock);
  Service svc{*host};
};

TEST_F(PointsLedger, DemoCatalogueAndSupermarketAreSeeded) {
  auto book = svc.rulebook(kHs);
  ASSERT_TRUE(book);
  EXPECT_EQ(book->rules.size(), 9u);
  const Rule* clean = book->rule("clean-yard");
  ASSERT_NE(clean, nullptr);
  EXPECT_EQ(clean->amount, Points{5});
  EXPECT_TRUE(clean->evidence_required);
  ASSERT_TRUE(clean->limit);
  EXPECT_EQ(clean->limit->count, 2);
  auto shop = svc.shop(kHs);
  ASSERT_TRUE(shop);
  ASSERT_NE(shop->find("soap"), nullptr);
  EXPECT_EQ(shop->find("soap")->name, "香皂");
  EXPECT_EQ(shop->find("soap")->stock, 40);
}

TEST_F(PointsLedger, ApplicationApprovedByCadreCreditsTheHousehold) {
  auto app = svc.apply(kWang, kWangH, "clean-yard", "门前打扫干净了", {{"photo", kPhoto}});
  ASSERT_TRUE(app) << app.error().detail;
  EXPECT_EQ(balance(kWangH), Points{0}) << "a pending application is no credit yet";
  ASSERT_TRUE(svc.approve(kCadre, kWangH, *app));
  EXPECT_EQ(balance(kWangH), Points{5});
  const Ledger l = ledger();
  ASSERT_EQ(l.entries.size(), 1u);
  EXPECT_EQ(l.entries[0].kind, EntryKind::application);
  EXPECT_EQ(l.entries[0].category, Category::environment);
  EXPECT_EQ(l.applications[0].status, ApplicationStatus::approved);
  EXPECT_EQ(l.applications[0].photos[0].sha256, kPhoto);
  EXPECT_EQ(svc.approve(kCadre, kWangH, *app).code(), Errc::already_decided);
  EXPECT_EQ(svc.reject(kCadre, kWangH, *app, "重复").code(), Errc::already_decided);
}

TEST_F(PointsLedger, CourtyardHeadReviewsOnlyTheirCourtyard) {
  auto app = svc.apply(kWang, kWangH, "volunteer-day", "");
  ASSERT_TRUE(app);
  EXPECT_EQ(svc.approve(kHeadY2, kWangH, *app).code(), Errc::out_of_scope);
  ASSERT_TRUE(svc.reject(kHead, kWangH, *app, "当天没有见到"));
  EXPECT_EQ(ledger().applications[0].status, ApplicationStatus::rejected);
  EXPECT_EQ(ledger().applications[0].reason, "当天没有见到");
  EXPECT_EQ(balance(kWangH), Points{0});
  // A head may not award directly; that is a cadre's.
  EXPECT_EQ(svc.award(kHead, kWangH, "volunteer-day").code(), Errc::forbidden_role);
}

TEST_F(PointsLedger, OnlyAMemberAppliesForTheirOwnHousehold) {
  EXPECT_EQ(svc.apply(kLi, kWangH, "volunteer-day", "").code(), Errc::out_of_scope);
  EXPECT_EQ(svc.apply(kChen, kWangH, "volunteer-day", "").code(), Errc::out_of_scope);
  EXPECT_EQ(svc.apply(kCadre, kWangH, "volunteer-day", "").code(), Errc::forbidden_role);
  EXPECT_EQ(svc.apply(kWang, HouseholdId("h-nobody"), "volunteer-day", "").code(), Errc::unknown_household);
  EXPECT_EQ(svc.apply(kWang, kWangH, "no-such-rule", "").code(), Errc::unknown_rule);
  EXPECT_EQ(svc.apply(kWang, kWangH, "litter", "").code(), Errc::unknown_rule) << "deductions are not applied for";
}

TEST_F(PointsLedger, EvidenceIsRequiredWhereTheRuleSaysSo) {
  EXPECT_EQ(svc.apply(kWang, kWangH, "clean-yard", "  ").code(), Errc::evidence_required);
  EXPECT_TRUE(svc.apply(kWang, kWangH, "clean-yard", "院子扫干净了"));
  EXPECT_TRUE(svc.apply(kWang, kWangH, "clean-yard", "", {{"photo", kPhoto}}));
  EXPECT_TRUE(svc.apply(kLi, kLiH, "volunteer-day", "")) << "no evidence needed";
  EXPECT_EQ(svc.deduct(kCadre, kWangH, "litter", "").code(), Errc::insufficient_points);
}

TEST_F(PointsLedger, AwardsAndDeductionsRespectThePerPeriodLimit) {
  for (int i = 0; i < 4; ++i) award("volunteer-day");
  EXPECT_EQ(svc.award(kCadre, kWangH, "volunteer-day").code(), Errc::rule_limit_reached);
  EXPECT_EQ(balance(kWangH), Points{12});
  award("clean-yard");
  award("clean-yard");
  ASSERT_TRUE(svc.deduct(kCadre, kWangH, "litter", "门口堆了建筑垃圾"));
  ASSERT_TRUE(svc.deduct(kCadre, kWangH, "litter", "又堆了"));
  EXPECT_EQ(svc.deduct(kCadre, kWangH, "litter", "第三次").code(), Errc::rule_limit_reached);
  EXPECT_EQ(balance(kWangH), Points{12});
  // A new month opens the limit again.
  clock.set(china_time(2026, 8, 2, 9, 0));
  EXPECT_TRUE(svc.award(kCadre, kWangH, "volunteer-day"));
  EXPECT_EQ(balance(kWangH), Points{15});
}

TEST_F(PointsLedger, ApplicationsCountTowardTheLimitWhilePending) {
  ASSERT_TRUE(svc.apply(kWang, kWangH, "clean-yard", "一"));
  ASSERT_TRUE(svc.apply(kWang, kWangH, "clean-yard", "二"));
  EXPECT_EQ(svc.apply(kWang, kWangH, "clean-yard", "三").code(), Errc::rule_limit_reached);
}

TEST_F(PointsLedger, ReversalCompensatesOnceAndNeverEdits) {
  const auto entry = award("care-elderly");
  EXPECT_EQ(balance(kWangH), Points{8});
  ASSERT_TRUE(svc.reverse(kCadre, kWangH, entry, "记错户了"));
  EXPECT_EQ(balance(kWangH), Points{0});
  const Ledger l = ledger();
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries[0].delta, Points{8}) << "the original line is kept as it was";
  EXPECT_EQ(l.entries[0].reversed_by, l.entries[1].id);
  EXPECT_EQ(l.entries[1].kind, EntryKind::reversal);
  EXPECT_EQ(l.entries[1].reverses, entry);
  EXPECT_EQ(l.entries[1].delta, Points{-8});
  EXPECT_EQ(svc.reverse(kCadre, kWangH, entry, "再冲一次").code(), Errc::already_reversed);
  EXPECT_EQ(svc.reverse(kCadre, kWangH, l.entries[1].id, "冲正的冲正").code(), Errc::invalid_input);
  EXPECT_EQ(svc.reverse(kCadre, kWangH, "nope.1", "不存在").code(), Errc::not_found);
  EXPECT_EQ(svc.reverse(kWang, kWangH, entry, "自己冲").code(), Errc::forbidden_role);
}

TEST_F(PointsLedger, RedemptionHoldsThenHostConfirmsThenShopkeeperHandsOver) {
  award("mediate-dispute");  // 10
  auto req = svc.redeem(kWang, kWangH, "soap");
  ASSERT_TRUE(req) << req.error().detail;
  EXPECT_EQ(balance(kWangH), Points{10});
  EXPECT_EQ(*svc.available(kWangH), Points{5}) << "the price is held while pending";
  EXPECT_EQ(svc.fulfil(kShop, kWangH, *req).code(), Errc::not_confirmed);
  auto report = svc.decide();
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report->confirmed, 1);
  EXPECT_EQ(report->rejected, 0);
  EXPECT_EQ(balance(kWangH), Points{5});
  EXPECT_EQ(*svc.available(kWangH), Points{5});
  EXPECT_EQ(svc.shop(kHs)->find("soap")->stock, 39);
  EXPECT_EQ(ledger().redemptions[0].status, RedemptionStatus::confirmed);
  EXPECT_EQ(svc.fulfil(kWang, kWangH, *req).code(), Errc::forbidden_role);
  ASSERT_TRUE(svc.fulfil(kShop, kWangH, *req));
  EXPECT_EQ(ledger().redemptions[0].status, RedemptionStatus::fulfilled);
  EXPECT_EQ(svc.fulfil(kShop, kWangH, *req).code(), Errc::already_decided);
  // The host checks the hand-over too; a second run decides nothing twice.
  EXPECT_EQ(svc.decide()->checked, 1);
  EXPECT_EQ(svc.decide()->checked, 0);
  EXPECT_TRUE(svc.problems(kWangH)->empty());
}

TEST_F(PointsLedger, RedemptionIsRefusedLocallyWithTheReason) {
  award("volunteer-day");  // 3
  EXPECT_EQ(svc.redeem(kWang, kWangH, "soap").code(), Errc::insufficient_points);
  EXPECT_EQ(svc.redeem(kWang, kWangH, "caviar").code(), Errc::unknown_goods);
  ASSERT_TRUE(svc.set_goods(kShop, kHs, "matches", "火柴", Points{1}));
  EXPECT_EQ(svc.redeem(kWang, kWangH, "matches").code(), Errc::out_of_stock);
  ASSERT_TRUE(svc.restock(kShop, kHs, "matches", 2));
  EXPECT_TRUE(svc.redeem(kWang, kWangH, "matches"));
  EXPECT_EQ(svc.set_goods(kWang, kHs, "matches", "火柴", Points{1}).code(), Errc::forbidden_role);
}

TEST_F(PointsLedger, HonourListRanksHouseholdsByPointsEarnedInThePeriod) {
  award("mediate-dispute", kWangH);  // 10
  award("volunteer-day", kLiH);      // 3
  award("care-elderly", kChenH);     // 8
  award("clean-yard", kLiH);         // 5 -> li 8
  ASSERT_TRUE(svc.deduct(kCadre, kWangH, "litter", "乱倒垃圾"));  // wang 5
  auto list = svc.honour_list(kHs, *parse_period("2026-07"));
  ASSERT_TRUE(list) << list.error().detail;
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].points, Points{8});
  EXPECT_EQ((*list)[0].rank, 1);
  EXPECT_EQ((*list)[1].rank, 1) << "equal points share a rank";
  EXPECT_EQ((*list)[2].household, kWangH);
  EXPECT_EQ((*list)[2].name, "王秀英家");
  EXPECT_EQ((*list)[2].rank, 3);
  auto yard = svc.honour_list(kY1, *parse_period("2026"));
  ASSERT_TRUE(yard);
  ASSERT_EQ(yard->size(), 2u) << "only courtyard 1";
  EXPECT_TRUE(svc.honour_list(kHs, *parse_period("2026-08"))->empty());
  // Spending does not lower an honour list.
  ASSERT_TRUE(svc.redeem(kLi, kLiH, "soap"));
  ASSERT_TRUE(svc.decide());
  EXPECT_EQ((*svc.honour_list(kHs, *parse_period("2026-07")))[0].points, Points{8});
  EXPECT_EQ(svc.honour_list(RegionId("qs"), *parse_period("2026-07")).code(), Errc::unknown_region);
}

TEST_F(PointsLedger, TitlesGoToTheTopHouseholdOfTheirCategory) {
  award("clean-yard", kWangH);
  award("clean-yard", kWangH);
  award("clean-yard", kLiH);
  award("help-neighbour", kChenH);
  auto titles = svc.titles(kHs, *parse_period("2026-07"));
  ASSERT_TRUE(titles);
  ASSERT_EQ(titles->size(), 2u);
  EXPECT_EQ((*titles)[0].title, "最美清洁户");
  EXPECT_EQ((*titles)[0].households, std::vector<HouseholdId>{kWangH});
  EXPECT_EQ((*titles)[0].points, Points{10});
  EXPECT_EQ((*titles)[1].title, "好邻居");
  EXPECT_EQ((*titles)[1].households, std::vector<HouseholdId>{kChenH});
}

TEST_F(PointsLedger, StarRatingFromIndicators) {
  EXPECT_EQ(star_rating(Indicators{1.0, 1.0, 1.0}), 5);
  EXPECT_EQ(star_rating(Indicators{0.8, 0.8, 0.7}), 4);
  EXPECT_EQ(star_rating(Indicators{std::nullopt, 0.0, std::nullopt}), 1);
  EXPECT_EQ(star_rating(Indicators{std::nullopt, 0.65, std::nullopt}), 3) << "missing indicators do not count as zero";
  award("clean-yard", kWangH);
  auto in = svc.indicators(kHs, *parse_period("2026-07"), 0.9);
  ASSERT_TRUE(in);
  EXPECT_DOUBLE_EQ(in->points_participation, 1.0 / 3.0) << "one of the three households of 河山村";
  EXPECT_FALSE(in->appeal_satisfaction.has_value());
  EXPECT_EQ(in->disclosure_awareness, 0.9);
  EXPECT_EQ(star_rating(*in), 3);
}

TEST(PointsProjection, SurvivesARestartAndAgreesWithTheFoldWhateverTheArrivalOrder) {
  testing::TempDir dir;
  testing::FakeClock clock{testing::demo_start()};
  std::vector<oplog::Op> ops;
  {
    auto r = testing::demo_replica("phone", clock, dir.file("phone.db"));
    ASSERT_TRUE(seed_demo(*r, demo_points()));
    Service svc(*r);
    const auto entry = svc.award(kCadre, kWangH, "care-elderly", "照顾老人");
    ASSERT_TRUE(entry);
    ASSERT_TRUE(svc.award(kCadre, kWangH, "volunteer-day"));
    ASSERT_TRUE(svc.reverse(kCadre, kWangH, *entry, "记错了"));
    EXPECT_EQ(svc.redeem(kWang, kWangH, "soap").code(), Errc::insufficient_points);
    auto rows = r->log().ops().ops_after(0, 10'000);
    ASSERT_TRUE(rows);
    for (auto& [seq, op] : *rows) ops.push_back(op);
  }
  auto reopened = testing::demo_replica("phone", clock, dir.file("phone.db"));
  Service svc(*reopened);
  EXPECT_EQ(*svc.balance(kWangH), Points{3});
  // Another replica receives the same ops newest first: same state, same projection.
  auto other = testing::demo_replica("other", clock);
  std::reverse(ops.begin(), ops.end());
  ASSERT_TRUE(other->receive(ops));
  Service other_svc(*other);
  EXPECT_EQ(*other_svc.balance(kWangH), Points{3});
  EXPECT_EQ(*other->canonical_dump(), *reopened->canonical_dump());
  EXPECT_EQ(other_svc.honour_list(kHs, *parse_period("2026-07"))->at(0).points, Points{3});
}

TEST(PointsPeriod, ParsesMonthsAndYears) {
  EXPECT_EQ(parse_period("2026-07")->key(), "2026-07");
  EXPECT_EQ(parse_period("2026")->last_month(), "2026-12");
  for (const char* bad : {"2026-13", "2026-00", "26-07", "2026/07", "", "abcd", "2026-7"}) {
    EXPECT_EQ(parse_period(bad).code(), Errc::invalid_period) << bad;
  }
  const Period july = *parse_period("2026-07");
  EXPECT_TRUE(july.contains(china_time(2026, 7, 1, 0, 0)));
  EXPECT_FALSE(july.contains(china_time(2026, 8, 1, 0, 0)));
  EXPECT_EQ(parse_period("2026-12")->end(), china_time(2027, 1, 1));
}

}  // namespace
}  // namespace cunwu
