// Offline concurrency on points: two devices spend the same balance or the last item, two
// cadres reverse the same entry or decide the same application. Exactly one wins everywhere;
// the other is kept in the log, excluded from the fold, and its author sees the reason.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cunwu/points/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using testing::demo_points;
using testing::deliver;
using namespace points;
using oplog::Json;


struct PointsPhone {
  PointsPhone(const std::string& id, TimeMs t) : clock(t), replica(testing::demo_replica(id, clock)), svc(*replica) {}
  testing::FakeClock clock;
  std::unique_ptr<Replica> replica;
  Service svc;
};

class PointsConflict : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(seed_demo(*host.replica, demo_points()));
    ASSERT_TRUE(host.svc.award(kCadre, kWangH, "mediate-dispute", "调解了邻里纠纷"));  // 10 points
    ASSERT_TRUE(host.svc.award(kCadre, kLiH, "mediate-dispute", "调解了邻里纠纷"));
    for (PointsPhone* d : {&a, &b}) deliver(*host.replica, *d->replica);
  }
  /// Everyone gets everything (twice, so verdicts and confirmations reach every device).
  void sync_all() {
    for (int round = 0; round < 2; ++round) {
      for (PointsPhone* d : {&a, &b}) {
        deliver(*d->replica, *host.replica);
        deliver(*host.replica, *d->replica);
      }
    }
  }
  void expect_same_everywhere() {
    const auto dump = *host.replica->canonical_dump();
    EXPECT_EQ(*a.replica->canonical_dump(), dump);
    EXPECT_EQ(*b.replica->canonical_dump(), dump);
  }
  /// The one problem of `h` on every device: `code`, by host verdict or not.
  void expect_one_problem(const HouseholdId& h, Errc code, bool by_host, const std::string& op) {
    for (PointsPhone* d : {&host, &a, &b}) {
      SCOPED_TRACE(d->replica->id().str());
      auto problems = d->svc.problems(h);
      ASSERT_TRUE(problems);
      ASSERT_EQ(problems->size(), 1u);
      EXPECT_EQ((*problems)[0].error.code, code) << (*problems)[0].error.detail;
      EXPECT_EQ((*problems)[0].by_host, by_host);
      EXPECT_EQ((*problems)[0].op, op);
      auto kept = d->replica->log().ops().find(*op_id(op));
      ASSERT_TRUE(kept && kept->has_value()) << "the losing op was dropped";
    }
  }
  static std::optional<oplog::OpId> op_id(const std::string& text) {
    const auto dot = text.rfind('.');
    return oplog::OpId{ReplicaId(text.substr(0, dot)), std::stoull(text.substr(dot + 1))};
  }

  const TimeMs t0 = testing::demo_start();
  PointsPhone host{"host", t0};
  PointsPhone a{"phone-a", t0 + minutes(5)};
  PointsPhone b{"phone-b", t0 + minutes(6)};
};

TEST_F(PointsConflict, TwoDevicesSpendingTheSameBalanceOfflineExactlyOneIsConfirmed) {
  // Both phones see 10 points and redeem offline: 10 (detergent) and 8 (towel).
  auto first = a.svc.redeem(kWang, kWangH, "detergent");
  auto second = b.svc.redeem(kWang, kWangH, "towel");
  ASSERT_TRUE(first && second);
  // Phone b reaches the host first: in host order its request comes first, although phone
  // a's is earlier by hlc.
  deliver(*b.replica, *host.replica);
  ASSERT_EQ(host.svc.decide()->confirmed, 1);
  deliver(*a.replica, *host.replica);
  auto report = host.svc.decide();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->confirmed, 0);
  EXPECT_EQ(report->rejected, 1);
  sync_all();
  expect_same_everywhere();
  expect_one_problem(kWangH, Errc::insufficient_points, true, *first);
  for (PointsPhone* d : {&host, &a, &b}) {
    EXPECT_EQ(*d->svc.balance(kWangH), Points{2});
    EXPECT_EQ(*d->svc.available(kWangH), Points{2});
    const Ledger l = *d->svc.ledger(kWangH);
    ASSERT_EQ(l.redemptions.size(), 1u) << "the rejected request is excluded from the fold";
    EXPECT_EQ(l.redemptions[0].goods, "towel");
    EXPECT_EQ(l.redemptions[0].status, RedemptionStatus::confirmed);
  }
  EXPECT_EQ(host.svc.shop(kHs)->find("detergent")->stock, 20);
  EXPECT_EQ(host.svc.shop(kHs)->find("towel")->stock, 29);
}

TEST_F(PointsConflict, RaceForTheLastItemLeavesOneOutOfStock) {
  ASSERT_TRUE(host.svc.set_goods(kShop, kHs, "thermos", "暖水瓶", Points{6}));
  ASSERT_TRUE(host.svc.restock(kShop, kHs, "thermos", 1));
  for (PointsPhone* d : {&a, &b}) deliver(*host.replica, *d->replica);
  auto wang = a.svc.redeem(kWang, kWangH, "thermos");
  auto li = b.svc.redeem(kLi, kLiH, "thermos");
  ASSERT_TRUE(wang && li);
  deliver(*a.replica, *host.replica);
  deliver(*b.replica, *host.replica);
  auto report = host.svc.decide();  // one run: hlc order decides, wang's is earlier
  ASSERT_TRUE(report);
  EXPECT_EQ(report->confirmed, 1);
  EXPECT_EQ(report->rejected, 1);
  sync_all();
  expect_same_everywhere();
  expect_one_problem(kLiH, Errc::out_of_stock, true, *li);
  for (PointsPhone* d : {&host, &a, &b}) {
    EXPECT_EQ(d->svc.shop(kHs)->find("thermos")->stock, 0);
    EXPECT_EQ(*d->svc.balance(kWangH), Points{4});
    EXPECT_EQ(*d->svc.balance(kLiH), Points{10}) << "li's hold is released";
    EXPECT_TRUE(d->svc.problems(kWangH)->empty());
  }
  EXPECT_EQ(b.svc.redeem(kLi, kLiH, "thermos").code(), Errc::out_of_stock);
}

TEST_F(PointsConflict, ReversingAnAlreadyReversedEntryFailsEverywhere) {
  const std::string entry = host.svc.ledger(kWangH)->entries.at(0).id;
  ASSERT_TRUE(a.svc.reverse(kCadre, kWangH, entry, "记错了"));
  ASSERT_TRUE(b.svc.reverse(kCadre2, kWangH, entry, "重复录入"));
  const std::string later = b.svc.ledger(kWangH)->entries.back().id;
  // Without the host: the fold finds the later reversal invalid on every replica.
  deliver(*a.replica, *b.replica);
  deliver(*b.replica, *a.replica);
  EXPECT_EQ(*a.replica->canonical_dump(), *b.replica->canonical_dump());
  for (PointsPhone* d : {&a, &b}) {
    auto problems = d->svc.problems(kWangH);
    ASSERT_EQ(problems->size(), 1u);
    EXPECT_EQ((*problems)[0].error.code, Errc::already_reversed);
    EXPECT_EQ((*problems)[0].op, later);
    EXPECT_EQ(*d->svc.balance(kWangH), Points{0});
  }
  // The host rejects it too, with the same reason, and everyone ends up alike.
  sync_all();
  ASSERT_TRUE(host.svc.decide());
  sync_all();
  expect_same_everywhere();
  expect_one_problem(kWangH, Errc::already_reversed, true, later);
  EXPECT_EQ(*host.svc.balance(kWangH), Points{0});
}

TEST_F(PointsConflict, ApproveAndRejectOfTheSameApplicationOneIsAlreadyDecided) {
  auto app = host.svc.apply(kWang, kWangH, "volunteer-day", "");
  ASSERT_TRUE(app);
  for (PointsPhone* d : {&a, &b}) deliver(*host.replica, *d->replica);
  ASSERT_TRUE(a.svc.approve(kHead, kWangH, *app));
  ASSERT_TRUE(b.svc.reject(kCadre, kWangH, *app, "那天没有参加"));
  sync_all();
  ASSERT_TRUE(host.svc.decide());
  sync_all();
  expect_same_everywhere();
  const Ledger l = *host.svc.ledger(kWangH);
  EXPECT_EQ(l.applications.at(0).status, ApplicationStatus::approved) << "the earlier decision stands";
  EXPECT_EQ(*host.svc.balance(kWangH), Points{13});
  auto problems = a.svc.problems(kWangH);
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].error.code, Errc::already_decided);
  EXPECT_EQ((*problems)[0].type, "ledger.reject");
}

TEST_F(PointsConflict, ADeductionTheBalanceNoLongerCoversIsRejectedByTheHost) {
  // Offline: the villager spends all 10 while a cadre deducts 5 for litter.
  ASSERT_TRUE(a.svc.redeem(kWang, kWangH, "detergent"));
  ASSERT_TRUE(b.svc.deduct(kCadre, kWangH, "litter", "门口乱堆杂物"));
  deliver(*a.replica, *host.replica);
  ASSERT_TRUE(host.svc.decide());
  deliver(*b.replica, *host.replica);
  ASSERT_TRUE(host.svc.decide());
  sync_all();
  expect_same_everywhere();
  EXPECT_EQ(*host.svc.balance(kWangH), Points{0}) << "never negative";
  auto problems = host.svc.problems(kWangH);
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].type, "ledger.deduct");
  EXPECT_EQ((*problems)[0].error.code, Errc::insufficient_points);
}

}  // namespace
}  // namespace cunwu
