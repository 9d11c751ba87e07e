// Bad input to the points domain gets a catalogued error and leaves nothing half-written: the
// op count, every folded state and the projection stay as they were.
#include <gtest/gtest.h>

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

const std::string kBadUtf8 = "好\xC3\x28";

class PointsValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(seed_demo(*host, demo_points()));
    ASSERT_TRUE(svc.award(kCadre, kWangH, "mediate-dispute", "调解纠纷"));
    rule = svc.rulebook(kHs)->rule("volunteer-day")->version.empty() ? Json() : to_json(*svc.rulebook(kHs)->rule("volunteer-day"));
  }
  struct Snapshot {
    std::int64_t ops = 0;
    std::string dump;
    std::int64_t balance = 0, available = 0;
    friend bool operator==(const Snapshot&, const Snapshot&) = default;
  };
  Snapshot snapshot() {
    return Snapshot{*host->log().ops().count(), *host->canonical_dump(), svc.balance(kWangH)->value,
                    svc.available(kWangH)->value};
  }
  template <class F>
  void expect_refused(const char* what, Errc code, F&& attempt) {
    SCOPED_TRACE(what);
    const Snapshot before = snapshot();
    const auto result = attempt();
    ASSERT_FALSE(result.ok()) << "accepted, expected " << errc_name(code);
    EXPECT_EQ(errc_name(result.error().code), errc_name(code)) << result.error().detail;
    EXPECT_FALSE(user_message(result.error().code, Lang::zh).empty());
    EXPECT_EQ(snapshot(), before) << "a refused command changed the replica";
  }
  Result<oplog::Op> raw(const UserId& actor, const char* type, const EntityId& entity, const RegionId& scope,
                        Json payload) {
    return host->submit(OpDraft{actor, type, entity, scope, oplog::Visibility::public_in_scope, std::move(payload)});
  }
  Result<oplog::Op> award_with(Json amount) {
    Json r = rule;
    r["amount"] = std::move(amount);
    return raw(kCadre, "ledger.award", ledger_id(kWangH), kY1, Json{{"rule", r}});
  }
  Result<oplog::Op> goods_with(Json price) {
    return raw(kShop, "shop.set_goods", shop_id(kHs), kHs, Json{{"goods", {{"id", "salt"}, {"name", "盐"}, {"price", price}}}});
  }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> host = testing::demo_replica("host", clock);
  Service svc{*host};
  Json rule;
};

TEST_F(PointsValidation, AmountsMustBePositiveWholeNumbers) {
  for (const Json& bad : {Json(1.5), Json("10"), Json(-3), Json(0), Json(true), Json(nullptr), Json(1e30),
                          Json(std::uint64_t(1) << 63), Json(kMaxPrice + 1)}) {
    expect_refused(("award amount " + bad.dump()).c_str(), Errc::invalid_amount, [&] { return award_with(bad); });
    expect_refused(("price " + bad.dump()).c_str(), Errc::invalid_amount, [&] { return goods_with(bad); });
  }
  expect_refused("restock 2.5", Errc::invalid_amount, [&] {
    return raw(kShop, "shop.restock", shop_id(kHs), kHs, Json{{"goods", "soap"}, {"quantity", 2.5}});
  });
  expect_refused("restock -1", Errc::invalid_amount, [&] { return svc.restock(kShop, kHs, "soap", -1); });
  expect_refused("typed rule with a negative amount", Errc::invalid_amount, [&] {
    Rule r = *svc.rulebook(kHs)->rule("volunteer-day");
    r.amount = Points{-3};
    return svc.set_rule(kCadre, kHs, r);
  });
  expect_refused("redeem price \"5\"", Errc::invalid_amount, [&] {
    return raw(kWang, "ledger.redeem", ledger_id(kWangH), kY1,
               Json{{"shop", kHs.str()}, {"goods", "soap"}, {"name", "香皂"}, {"price", "5"}});
  });
  EXPECT_TRUE(award_with(3)) << "the same op with a whole amount is fine";
}

TEST_F(PointsValidation, MalformedUtf8IsRefusedEverywhereTextIsTyped) {
  expect_refused("application text", Errc::invalid_utf8, [&] { return svc.apply(kWang, kWangH, "volunteer-day", kBadUtf8); });
  expect_refused("award note", Errc::invalid_utf8, [&] { return svc.award(kCadre, kWangH, "volunteer-day", kBadUtf8); });
  expect_refused("goods name", Errc::invalid_utf8, [&] { return svc.set_goods(kShop, kHs, "salt", kBadUtf8, Points{2}); });
  expect_refused("rule title", Errc::invalid_utf8, [&] {
    Rule r = *svc.rulebook(kHs)->rule("volunteer-day");
    r.title = kBadUtf8;
    return svc.set_rule(kCadre, kHs, r);
  });
  const std::string entry = svc.ledger(kWangH)->entries.at(0).id;
  expect_refused("reversal reason", Errc::invalid_utf8, [&] { return svc.reverse(kCadre, kWangH, entry, kBadUtf8); });
  expect_refused("empty reason", Errc::text_empty, [&] { return svc.reverse(kCadre, kWangH, entry, " "); });
}

TEST_F(PointsValidation, DeductionBeyondTheRuleLimitIsRefused) {
  ASSERT_TRUE(svc.award(kCadre, kWangH, "care-elderly", "照顾老人"));
  ASSERT_TRUE(svc.award(kCadre, kWangH, "care-elderly", "照顾老人"));
  ASSERT_TRUE(svc.deduct(kCadre, kWangH, "litter", "乱堆"));
  ASSERT_TRUE(svc.deduct(kCadre, kWangH, "litter", "乱堆"));
  expect_refused("third deduction this month", Errc::rule_limit_reached,
                 [&] { return svc.deduct(kCadre, kWangH, "litter", "又乱堆"); });
  expect_refused("deduction beyond the balance", Errc::insufficient_points,
                 [&] { return svc.deduct(kCadre, kWangH, "extravagance", "高额彩礼"); });
}

TEST_F(PointsValidation, UnknownThingsAreNamedInTheError) {
  expect_refused("unknown goods", Errc::unknown_goods, [&] { return svc.redeem(kWang, kWangH, "tv-set"); });
  expect_refused("unknown goods id", Errc::unknown_goods, [&] { return svc.restock(kShop, kHs, "tv-set", 1); });
  expect_refused("unknown rule", Errc::unknown_rule, [&] { return svc.award(kCadre, kWangH, "dance", "跳舞"); });
  expect_refused("retire unknown rule", Errc::unknown_rule, [&] { return svc.retire_rule(kCadre, kHs, "dance"); });
  expect_refused("unknown household", Errc::unknown_household,
                 [&] { return svc.award(kCadre, HouseholdId("h-ghost"), "volunteer-day"); });
  expect_refused("raw op on an unknown household", Errc::unknown_household, [&] {
    return raw(kCadre, "ledger.award", ledger_id(HouseholdId("h-ghost")), kY1, Json{{"rule", rule}});
  });
  expect_refused("unknown application", Errc::not_found, [&] { return svc.approve(kCadre, kWangH, "x.1"); });
  expect_refused("unknown op type", Errc::unknown_op_type, [&] {
    return raw(kCadre, "ledger.edit", ledger_id(kWangH), kY1, Json{{"entry", "host.1"}, {"delta", 100}});
  });
  expect_refused("bad photo", Errc::invalid_attachment,
                 [&] { return svc.apply(kWang, kWangH, "clean-yard", "扫干净了", {{"photo", "not-a-hash"}}); });
  expect_refused("rule of another village", Errc::out_of_scope,
                 [&] { return svc.set_rule(kCadreLj, kHs, *svc.rulebook(kHs)->rule("volunteer-day")); });
  // Misaddressed rather than unauthorized: the host does not store it (it would reach y2).
  expect_refused("wrong scope", Errc::scope_mismatch, [&] {
    return raw(kCadre, "ledger.award", ledger_id(kWangH), RegionId("qs/dq/hs/y2"), Json{{"rule", rule}});
  });
  expect_refused("confirm by a person", Errc::host_only, [&] {
    return raw(kCadre, "ledger.confirm", ledger_id(kWangH), kY1, Json{{"request", "host.1"}});
  });
  expect_refused("bad limit", Errc::invalid_period, [&] {
    Json r = rule;
    r["limit"] = Json{{"count", 1}, {"period", "fortnight"}};
    return raw(kCadre, "rulebook.set", rulebook_id(kHs), kHs, Json{{"rule", r}});
  });
}

TEST_F(PointsValidation, AnInventedRuleSnapshotIsRejectedByTheHost) {
  // An old or tampered app awards 500 points under a real rule id: the fold cannot know the
  // catalogue, the host can.
  Json r = rule;
  r["amount"] = 500;
  r["limit"] = nullptr;
  ASSERT_TRUE(raw(kCadre, "ledger.award", ledger_id(kWangH), kY1, Json{{"rule", r}}));
  EXPECT_EQ(*svc.balance(kWangH), Points{510});
  auto report = svc.decide();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->rejected, 1);
  EXPECT_EQ(*svc.balance(kWangH), Points{10});
  EXPECT_EQ(svc.problems(kWangH)->at(0).error.code, Errc::unknown_rule);
}

}  // namespace
}  // namespace cunwu
