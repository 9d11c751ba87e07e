// The figures cadres are evaluated on: response, in-time response, resolution and satisfaction
// rates and median handling time, overall and per handler, village, township and month.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cunwu/appeals/metrics.hpp"
#include "cunwu/appeals/service.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using appeals::Appeal;
using appeals::AppealStatus;
using appeals::GroupBy;
using appeals::Rates;
using appeals::Rating;
using appeals::SlaPolicy;
using appeals::Urgency;

const TimeMs kT0 = testing::demo_start();
int next_id = 0;

/// An appeal as the fold would leave it, built directly so that every time is exact.
struct Make {
  Appeal a;
  explicit Make(const char* scope = "qs/dq/hs/y1", Urgency u = Urgency::green) {
    a.id = EntityId("appeal/m." + std::to_string(++next_id));
    a.exists = true;
    a.scope = RegionId(scope);
    a.filer = UserId("wang");
    a.urgency = u;
    a.filed_at = kT0;
    a.registered_at = kT0;
    a.level_since = kT0;
  }
  Make& filed(TimeMs t) { a.filed_at = t; a.level_since = t; a.registered_at = t; return *this; }
  Make& registered(TimeMs t) { a.registered_at = t; return *this; }
  Make& responded(Duration after_registration) {
    a.first_response_at = *a.registered_at + after_registration;
    a.responded_at = a.first_response_at;
    a.status = AppealStatus::accepted;
    return *this;
  }
  Make& resolved(Duration after_filing, const char* by = "head-hs1") {
    if (!a.first_response_at) responded(after_filing);
    a.resolved_at = a.filed_at + after_filing;
    a.resolver = UserId(by);
    a.status = AppealStatus::resolved;
    return *this;
  }
  Make& rated(Rating r) {
    a.rating = r;
    a.status = r == Rating::dissatisfied ? AppealStatus::reopened : AppealStatus::closed;
    if (r == Rating::dissatisfied) {
      ++a.dissatisfied_count;
      a.resolved_at.reset();
    }
    return *this;
  }
  Make& status(AppealStatus s) { a.status = s; return *this; }
  Make& assignee(const char* who) { a.assignee = UserId(who); return *this; }
  operator Appeal() const { return a; }  // NOLINT(google-explicit-constructor)
};

TEST(AppealsMetrics, ResponseRatesCountFromRegistration) {
  const std::vector<Appeal> all{
      Make("qs/dq/hs/y1", Urgency::red).responded(hours(1)),                    // in time
      Make("qs/dq/hs/y1", Urgency::red).responded(hours(3)),                    // late for red
      Make("qs/dq/hs/y1", Urgency::green).responded(hours(20)),                 // in time for green
      Make("qs/dq/hs/y1", Urgency::green),                                      // no response yet
      // Filed offline ten hours before the host registered it, answered one hour after that.
      Make("qs/dq/hs/y1", Urgency::red).filed(kT0).registered(kT0 + hours(10)).responded(hours(1)),
  };
  const Rates r = appeals::overall(all, SlaPolicy{});
  EXPECT_EQ(r.filed, 5);
  EXPECT_EQ(r.responded, 4);
  EXPECT_EQ(r.responded_in_time, 3);
  EXPECT_DOUBLE_EQ(r.response_rate, 0.8);
  EXPECT_EQ(r.resolved, 0);
  EXPECT_DOUBLE_EQ(r.resolution_rate, 0.0);
  EXPECT_EQ(r.rated, 0);
  EXPECT_DOUBLE_EQ(r.satisfaction_rate, 0.0);
  EXPECT_EQ(r.median_handling, std::nullopt);

  // A county with a stricter green limit sees the 20-hour answer as late.
  SlaPolicy strict;
  strict.green = {hours(12), days(7)};
  EXPECT_EQ(appeals::overall(all, strict).responded_in_time, 2);
}

TEST(AppealsMetrics, ResolutionAndSatisfactionRates) {
  const std::vector<Appeal> all{
      Make().resolved(hours(5)),                                   // waiting for the rating
      Make().resolved(hours(6)).rated(Rating::very_satisfied),     // closed
      Make().resolved(hours(7)).rated(Rating::satisfied),          // closed
      Make().resolved(hours(8)).rated(Rating::dissatisfied),       // reopened: not resolved now
      Make().responded(hours(1)),
  };
  const Rates r = appeals::overall(all, SlaPolicy{});
  EXPECT_EQ(r.filed, 5);
  EXPECT_EQ(r.resolved, 3);
  EXPECT_DOUBLE_EQ(r.resolution_rate, 0.6);
  EXPECT_EQ(r.rated, 3);
  EXPECT_EQ(r.satisfied, 2);
  EXPECT_DOUBLE_EQ(r.satisfaction_rate, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.response_rate, 1.0);
}

TEST(AppealsMetrics, MedianHandlingTimeForOddAndEvenCounts) {
  std::vector<Appeal> all{Make().resolved(hours(1)), Make().resolved(hours(5)), Make().resolved(hours(2)),
                          Make().responded(hours(1))};  // unresolved ones have no handling time
  EXPECT_EQ(appeals::overall(all, SlaPolicy{}).median_handling, hours(2));
  all.push_back(Make().resolved(hours(10)).rated(Rating::satisfied));
  // 1, 2, 5, 10 hours: the middle two average to 3.5 hours.
  EXPECT_EQ(appeals::overall(all, SlaPolicy{}).median_handling, Duration{hours(7).ms / 2});
  all.push_back(Make().resolved(hours(4)));
  EXPECT_EQ(appeals::overall(all, SlaPolicy{}).median_handling, hours(4));
}

TEST(AppealsMetrics, WithdrawnAndMergedAppealsAreNotCounted) {
  const std::vector<Appeal> all{
      Make().resolved(hours(2)).rated(Rating::satisfied),
      Make().responded(hours(30)).status(AppealStatus::withdrawn),
      Make().status(AppealStatus::merged),
      Make().resolved(hours(100)).status(AppealStatus::withdrawn),
  };
  const Rates r = appeals::overall(all, SlaPolicy{});
  EXPECT_EQ(r.filed, 1);
  EXPECT_DOUBLE_EQ(r.response_rate, 1.0);
  EXPECT_DOUBLE_EQ(r.resolution_rate, 1.0);
  EXPECT_EQ(r.median_handling, hours(2));
  EXPECT_TRUE(appeals::metrics(std::vector<Appeal>(all.begin() + 1, all.end()), GroupBy::village, SlaPolicy{},
                               testing::demo_directory())
                  .empty());
}

TEST(AppealsMetrics, GroupedByHandlerVillageTownshipAndMonth) {
  const auto& dir = testing::demo_directory();
  const std::vector<Appeal> all{
      Make("qs/dq/hs/y1").resolved(hours(2), "head-hs1").rated(Rating::satisfied),
      Make("qs/dq/hs/y2").resolved(hours(4), "head-hs1"),
      Make("qs/dq/hs/y1").assignee("grid-hs1").responded(hours(1)),
      Make("qs/dq/sm/y1"),
      Make("qs/lh/lj/y1").resolved(hours(6), "cadre-lj").rated(Rating::dissatisfied),
      // Filed at 23:30 on 31 July in China, which is still the afternoon of 31 July in UTC...
      Make("qs/lh/lj/y1").filed(china_time(2026, 7, 31, 23, 30)),
      // ... and at 00:30 on 1 August in China, which is 31 July in UTC.
      Make("qs/lh/lj/y1").filed(china_time(2026, 8, 1, 0, 30)).resolved(hours(3), "cadre-lj"),
  };

  const auto by_handler = appeals::metrics(all, GroupBy::handler, SlaPolicy{}, dir);
  ASSERT_EQ(by_handler.size(), 4u);
  EXPECT_EQ(by_handler.at("head-hs1").filed, 2);
  EXPECT_EQ(by_handler.at("head-hs1").resolved, 2);
  EXPECT_EQ(by_handler.at("head-hs1").median_handling, hours(3));
  EXPECT_DOUBLE_EQ(by_handler.at("head-hs1").satisfaction_rate, 1.0);
  EXPECT_EQ(by_handler.at("grid-hs1").filed, 1);
  EXPECT_EQ(by_handler.at("grid-hs1").resolved, 0);
  EXPECT_EQ(by_handler.at("cadre-lj").filed, 2);
  EXPECT_EQ(by_handler.at("cadre-lj").resolved, 1);  // the dissatisfied one is open again
  EXPECT_DOUBLE_EQ(by_handler.at("cadre-lj").satisfaction_rate, 0.0);
  EXPECT_EQ(by_handler.at("unassigned").filed, 2);
  EXPECT_DOUBLE_EQ(by_handler.at("unassigned").response_rate, 0.0);

  const auto by_village = appeals::metrics(all, GroupBy::village, SlaPolicy{}, dir);
  std::vector<std::string> villages;
  for (const auto& [k, v] : by_village) villages.push_back(k);
  EXPECT_EQ(villages, (std::vector<std::string>{"qs/dq/hs", "qs/dq/sm", "qs/lh/lj"}));
  EXPECT_EQ(by_village.at("qs/dq/hs").filed, 3);
  EXPECT_DOUBLE_EQ(by_village.at("qs/dq/hs").resolution_rate, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(by_village.at("qs/dq/hs").response_rate, 1.0);
  EXPECT_EQ(by_village.at("qs/dq/sm").filed, 1);
  EXPECT_DOUBLE_EQ(by_village.at("qs/dq/sm").response_rate, 0.0);
  EXPECT_EQ(by_village.at("qs/lh/lj").filed, 3);

  const auto by_township = appeals::metrics(all, GroupBy::township, SlaPolicy{}, dir);
  ASSERT_EQ(by_township.size(), 2u);
  EXPECT_EQ(by_township.at("qs/dq").filed, 4);
  EXPECT_EQ(by_township.at("qs/lh").filed, 3);
  EXPECT_EQ(by_township.at("qs/dq").resolved, 2);
  EXPECT_EQ(by_township.at("qs/lh").rated, 1);

  const auto by_month = appeals::metrics(all, GroupBy::month, SlaPolicy{}, dir);
  ASSERT_EQ(by_month.size(), 2u);
  EXPECT_EQ(by_month.at("2026-07").filed, 6);
  EXPECT_EQ(by_month.at("2026-08").filed, 1);
  EXPECT_EQ(by_month.at("2026-08").median_handling, hours(3));

  // The groups add up to the whole.
  int sum = 0;
  for (const auto& [k, v] : by_handler) sum += v.filed;
  EXPECT_EQ(sum, appeals::overall(all, SlaPolicy{}).filed);
}

TEST(AppealsMetrics, FiguresFromRealHandling) {
  testing::FakeClock clock(kT0);
  auto host = testing::demo_replica("host", clock);
  appeals::Service svc(*host);
  auto file = [&](const char* who, Urgency u) {
    auto id = svc.file(UserId(who), appeals::FileRequest{RegionId("qs/dq/hs/y1"), appeals::Category::other, u, "事情", {}});
    EXPECT_TRUE(id);
    EXPECT_TRUE(svc.assign_official_number(*id, clock.now()));
    return *id;
  };
  const auto fast = file("wang", Urgency::red);
  const auto slow = file("li", Urgency::red);
  const auto gone = file("wang", Urgency::green);
  clock.advance(hours(1));
  ASSERT_TRUE(svc.accept(UserId("head-hs1"), fast));
  clock.advance(hours(3));
  ASSERT_TRUE(svc.reply(UserId("head-hs1"), slow, "在处理"));
  ASSERT_TRUE(svc.resolve(UserId("head-hs1"), fast, "好了"));
  ASSERT_TRUE(svc.rate(UserId("wang"), fast, Rating::very_satisfied));
  ASSERT_TRUE(svc.withdraw(UserId("wang"), gone));

  auto all = svc.list();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  const Rates r = appeals::overall(*all, *svc.sla(RegionId("qs")));
  EXPECT_EQ(r.filed, 2);
  EXPECT_EQ(r.responded, 2);
  EXPECT_EQ(r.responded_in_time, 1);  // the slow one answered after 4 hours, red allows 2
  EXPECT_DOUBLE_EQ(r.resolution_rate, 0.5);
  EXPECT_DOUBLE_EQ(r.satisfaction_rate, 1.0);
  EXPECT_EQ(r.median_handling, hours(4));
}

}  // namespace
}  // namespace cunwu
