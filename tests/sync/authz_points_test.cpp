// The authorization matrix of points (积分) at the host: every person of the demo county × every
// points op type, on the ledgers of a household of their courtyard, of another courtyard of the
// village and of another township, and on the catalogue and supermarket of their village and of
// another. Each op is pushed as the person's device sends it, whatever their app would allow.
// Each pushed op is accepted or refused with the catalogued reason in the tables below; a refused
// op never changes its entity, and the same op sent under another person's login is refused as
// forged and not stored.
// Cells: ok (accepted), role (forbidden_role), scope (out_of_scope), host (host_only), or the
// catalogued code written out.
#include <gtest/gtest.h>

#include "authz_support.hpp"
#include "cunwu/points/domain.hpp"
#include "cunwu/points/service.hpp"

namespace cunwu {
namespace {

using oplog::Json;
using oplog::Visibility;
using testing::Row;

// What a ledger's cells act on: open applications, an entry and a confirmed redemption that the
// setup made as the household's member and its village's cadre would have.
struct LedgerTarget {
  HouseholdId household;
  RegionId yard;
  std::string to_approve, to_reject, entry, request;
};

struct PointsWorld {
  LedgerTarget wang, chen, zhao;
};

points::Rule matrix_rule(const char* id, points::Direction direction, std::int64_t amount) {
  points::Rule r;
  r.id = id;
  r.title = "矩阵测试规则";
  r.direction = direction;
  r.amount = points::Points{amount};
  return r;
}

// The demo catalogues and supermarkets, rules without limits in both villages, and for each
// target household: three awards, two pending applications and (where the village has a
// supermarket) a confirmed redemption.
PointsWorld seed(testing::TestHost& host) {
  points::Service svc(*host.replica);
  EXPECT_TRUE(points::seed_demo(*host.replica, testing::demo_json("points.json")));
  for (const char* v : {"qs/dq/hs", "qs/lh/lj"}) {
    const UserId cadre(std::string(v) == "qs/dq/hs" ? "cadre-hs" : "cadre-lj");
    EXPECT_TRUE(svc.set_rule(cadre, RegionId(v), matrix_rule("matrix-award", points::Direction::award, 10)));
    EXPECT_TRUE(svc.set_rule(cadre, RegionId(v), matrix_rule("matrix-deduct", points::Direction::deduct, 2)));
    EXPECT_TRUE(svc.set_rule(cadre, RegionId(v), matrix_rule("matrix-old", points::Direction::award, 1)));
  }
  auto target = [&](const char* household, const char* member, const char* cadre, bool shop) {
    LedgerTarget t;
    t.household = HouseholdId(household);
    t.yard = testing::demo_directory().household(t.household)->courtyard;
    for (int i = 0; i < 3; ++i) {
      auto e = svc.award(UserId(cadre), t.household, "matrix-award", "义务劳动");
      EXPECT_TRUE(e);
      if (e && t.entry.empty()) t.entry = *e;
    }
    t.to_approve = testing::must(svc.apply(UserId(member), t.household, "matrix-award", "帮邻居抢收"));
    t.to_reject = testing::must(svc.apply(UserId(member), t.household, "matrix-award", "打扫村道"));
    t.request = shop ? testing::must(svc.redeem(UserId(member), t.household, "soap")) : "none.1";
    return t;
  };
  PointsWorld w{target("h-wang", "wang", "cadre-hs", true), target("h-chen", "chen", "cadre-hs", true),
          target("h-zhao", "zhao", "cadre-lj", false)};
  EXPECT_TRUE(svc.decide());  // confirms the redemptions, as the sync host does
  return w;
}

Json rule_snapshot(testing::TestHost& host, const RegionId& village, const char* rule) {
  auto book = points::Service(*host.replica).rulebook(village);
  return book && book->rule(rule) ? points::to_json(*book->rule(rule)) : Json();
}

RegionId village_of(const RegionId& yard) {
  return *testing::demo_directory().ancestor_at(yard, org::RegionLevel::village);
}

// ---- Ledgers -------------------------------------------------------------------------------

const std::vector<const char*> kLedgerOps = {"ledger.apply",  "ledger.approve", "ledger.reject",
                                             "ledger.award",  "ledger.deduct",  "ledger.reverse",
                                             "ledger.redeem", "ledger.confirm", "ledger.fulfil"};

oplog::Op ledger_op(testing::TestHost& host, const LedgerTarget& t, std::size_t k, const std::string& actor) {
  const RegionId village = village_of(t.yard);
  const Json payloads[] = {
      {{"rule", rule_snapshot(host, village, "matrix-award")}, {"text", "帮邻居抢收"}, {"attachments", Json::array()}},
      {{"application", t.to_approve}},
      {{"application", t.to_reject}, {"reason", "证据不足"}},
      {{"rule", rule_snapshot(host, village, "matrix-award")}, {"text", "义务劳动"}},
      {{"rule", rule_snapshot(host, village, "matrix-deduct")}, {"text", "乱堆柴草"}},
      {{"entry", t.entry}, {"reason", "记错了户"}},
      {{"shop", village.str()}, {"goods", "soap"}, {"name", "香皂"}, {"price", 5}},
      {{"request", t.request}},
      {{"request", t.request}},
  };
  return testing::crafted(actor, kLedgerOps[k], points::ledger_id(t.household), t.yard, Visibility::public_in_scope,
                          payloads[k]);
}

// clang-format off
// ledger/h-wang: 王秀英家 in 河山村第一院落 (qs/dq/hs/y1). Applications and redemptions are for one's
// own household; courtyard heads of the courtyard and the village's cadres review; only cadres
// award, deduct and reverse; only the host confirms; only the village's shopkeeper fulfils.
const std::vector<Row> kLedgerWang = {
    //                apply    approve  reject   award    deduct   reverse  redeem   confirm  fulfil
    {"wang",         {"ok",    "role",  "role",  "role",  "role",  "role",  "ok",    "host",  "role"}},
    {"li",           {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"chen",         {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"sun",          {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"zhao",         {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"head-hs1",     {"role",  "ok",    "ok",    "role",  "role",  "role",  "role",  "host",  "role"}},
    {"grid-hs1",     {"role",  "ok",    "ok",    "role",  "role",  "role",  "role",  "host",  "role"}},
    {"head-hs2",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",  "host",  "role"}},
    {"head-lj1",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",  "host",  "role"}},
    {"cadre-hs",     {"role",  "ok",    "ok",    "ok",    "ok",    "ok",    "role",  "host",  "role"}},
    {"cadre-hs2",    {"role",  "ok",    "ok",    "ok",    "ok",    "ok",    "role",  "host",  "role"}},
    {"cadre-lj",     {"role",  "scope", "scope", "scope", "scope", "scope", "role",  "host",  "role"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"shop-hs",      {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "ok"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
};

// ledger/h-chen: 陈玉兰家 in 河山村第二院落 (qs/dq/hs/y2): the same village, another courtyard.
const std::vector<Row> kLedgerChen = {
    //                apply    approve  reject   award    deduct   reverse  redeem   confirm  fulfil
    {"wang",         {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"li",           {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"chen",         {"ok",    "role",  "role",  "role",  "role",  "role",  "ok",    "host",  "role"}},
    {"sun",          {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"zhao",         {"scope", "role",  "role",  "role",  "role",  "role",  "scope", "host",  "role"}},
    {"head-hs1",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",  "host",  "role"}},
    {"grid-hs1",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",  "host",  "role"}},
    {"head-hs2",     {"role",  "ok",    "ok",    "role",  "role",  "role",  "role",  "host",  "role"}},
    {"head-lj1",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",  "host",  "role"}},
    {"cadre-hs",     {"role",  "ok",    "ok",    "ok",    "ok",    "ok",    "role",  "host",  "role"}},
    {"cadre-hs2",    {"role",  "ok",    "ok",    "ok",    "ok",    "ok",    "role",  "host",  "role"}},
    {"cadre-lj",     {"role",  "scope", "scope", "scope", "scope", "scope", "role",  "host",  "role"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
    {"shop-hs",      {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "ok"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",  "host",  "role"}},
};

// ledger/h-zhao: 赵春花家 in 柳家村第一院落 (qs/lh/lj/y1): another village of another township.
// 柳家村 has no supermarket: zhao's redemption is refused by the host (unknown_goods), and no
// redemption there was ever confirmed, so fulfilling finds nothing.
const std::vector<Row> kLedgerZhao = {
    //                apply    approve  reject   award    deduct   reverse  redeem           confirm  fulfil
    {"wang",         {"scope", "role",  "role",  "role",  "role",  "role",  "scope",         "host",  "not_found"}},
    {"li",           {"scope", "role",  "role",  "role",  "role",  "role",  "scope",         "host",  "not_found"}},
    {"chen",         {"scope", "role",  "role",  "role",  "role",  "role",  "scope",         "host",  "not_found"}},
    {"sun",          {"scope", "role",  "role",  "role",  "role",  "role",  "scope",         "host",  "not_found"}},
    {"zhao",         {"ok",    "role",  "role",  "role",  "role",  "role",  "unknown_goods", "host",  "not_found"}},
    {"head-hs1",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"grid-hs1",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"head-hs2",     {"role",  "scope", "scope", "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"head-lj1",     {"role",  "ok",    "ok",    "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"cadre-hs",     {"role",  "scope", "scope", "scope", "scope", "scope", "role",          "host",  "not_found"}},
    {"cadre-hs2",    {"role",  "scope", "scope", "scope", "scope", "scope", "role",          "host",  "not_found"}},
    {"cadre-lj",     {"role",  "ok",    "ok",    "ok",    "ok",    "ok",    "role",          "host",  "not_found"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"shop-hs",      {"role",  "role",  "role",  "role",  "role",  "role",  "role",          "host",  "not_found"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "role",  "role",  "role",          "host",  "not_found"}},
};
// clang-format on

// ---- Catalogues and supermarkets ------------------------------------------------------------

const std::vector<const char*> kVillageOps = {"rulebook.set", "rulebook.retire", "shop.set_goods", "shop.restock",
                                              "shop.stock_out"};

oplog::Op village_op(const RegionId& village, std::size_t k, const std::string& actor, const PointsWorld& w) {
  Json rule = points::to_json(matrix_rule("matrix-new", points::Direction::award, 1));
  rule.erase("version");
  rule.erase("active");
  const Json payloads[] = {
      {{"rule", rule}},
      {{"rule", "matrix-old"}},
      {{"goods", {{"id", "soap-box"}, {"name", "肥皂盒"}, {"price", 3}}}},
      {{"goods", "soap"}, {"quantity", 5}},
      {{"goods", "soap"}, {"request", w.wang.request}, {"household", "h-wang"}},
  };
  const bool rulebook = k < 2;
  return testing::crafted(actor, kVillageOps[k], rulebook ? points::rulebook_id(village) : points::shop_id(village),
                          village, Visibility::public_in_scope, payloads[k]);
}

// clang-format off
// rulebook/ and shop/ of 河山村 (qs/dq/hs): its cadres keep the catalogue, its shopkeeper the
// supermarket; stock goes out only by the host, for a redemption it confirmed.
const std::vector<Row> kVillageHs = {
    //                set rule retire   goods    restock  stock_out
    {"wang",         {"role",  "role",  "role",  "role",  "host"}},
    {"li",           {"role",  "role",  "role",  "role",  "host"}},
    {"chen",         {"role",  "role",  "role",  "role",  "host"}},
    {"sun",          {"role",  "role",  "role",  "role",  "host"}},
    {"zhao",         {"role",  "role",  "role",  "role",  "host"}},
    {"head-hs1",     {"role",  "role",  "role",  "role",  "host"}},
    {"grid-hs1",     {"role",  "role",  "role",  "role",  "host"}},
    {"head-hs2",     {"role",  "role",  "role",  "role",  "host"}},
    {"head-lj1",     {"role",  "role",  "role",  "role",  "host"}},
    {"cadre-hs",     {"ok",    "ok",    "role",  "role",  "host"}},
    {"cadre-hs2",    {"ok",    "ok",    "role",  "role",  "host"}},
    {"cadre-lj",     {"scope", "scope", "role",  "role",  "host"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "host"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "host"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "host"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "host"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "host"}},
    {"shop-hs",      {"role",  "role",  "ok",    "ok",    "host"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "host"}},
};

// The same of 柳家村 (qs/lh/lj), another village of another township (it has no shopkeeper).
const std::vector<Row> kVillageLj = {
    //                set rule retire   goods    restock  stock_out
    {"wang",         {"role",  "role",  "role",  "role",  "host"}},
    {"li",           {"role",  "role",  "role",  "role",  "host"}},
    {"chen",         {"role",  "role",  "role",  "role",  "host"}},
    {"sun",          {"role",  "role",  "role",  "role",  "host"}},
    {"zhao",         {"role",  "role",  "role",  "role",  "host"}},
    {"head-hs1",     {"role",  "role",  "role",  "role",  "host"}},
    {"grid-hs1",     {"role",  "role",  "role",  "role",  "host"}},
    {"head-hs2",     {"role",  "role",  "role",  "role",  "host"}},
    {"head-lj1",     {"role",  "role",  "role",  "role",  "host"}},
    {"cadre-hs",     {"scope", "scope", "role",  "role",  "host"}},
    {"cadre-hs2",    {"scope", "scope", "role",  "role",  "host"}},
    {"cadre-lj",     {"ok",    "ok",    "role",  "role",  "host"}},
    {"staff-dq",     {"role",  "role",  "role",  "role",  "host"}},
    {"staff-lh",     {"role",  "role",  "role",  "role",  "host"}},
    {"staff-qs",     {"role",  "role",  "role",  "role",  "host"}},
    {"inspector-qs", {"role",  "role",  "role",  "role",  "host"}},
    {"deputy-dq",    {"role",  "role",  "role",  "role",  "host"}},
    {"shop-hs",      {"role",  "role",  "scope", "scope", "host"}},
    {"admin-qs",     {"role",  "role",  "role",  "role",  "host"}},
};
// clang-format on

TEST(AuthzPoints, TablesCoverEveryPersonOfTheDemoCounty) {
  testing::expect_every_person(kLedgerWang, kLedgerOps.size(), "ledger/h-wang");
  testing::expect_every_person(kLedgerChen, kLedgerOps.size(), "ledger/h-chen");
  testing::expect_every_person(kLedgerZhao, kLedgerOps.size(), "ledger/h-zhao");
  testing::expect_every_person(kVillageHs, kVillageOps.size(), "qs/dq/hs");
  testing::expect_every_person(kVillageLj, kVillageOps.size(), "qs/lh/lj");
}

TEST(AuthzPoints, EveryPersonTimesEveryPointsOpInAndOutOfScope) {
  for (const auto& [id, user] : testing::demo_directory().users()) {
    const std::string person = id.str();
    // One host per person: each cell acts on its own application, entry or request, so the
    // cells of a person do not depend on each other.
    testing::TestHost host(testing::demo_start());
    const PointsWorld w = seed(host);
    testing::Pusher pusher(host);
    const std::pair<const LedgerTarget*, const std::vector<Row>*> ledgers[] = {
        {&w.wang, &kLedgerWang}, {&w.chen, &kLedgerChen}, {&w.zhao, &kLedgerZhao}};
    for (const auto& [target, table] : ledgers) {
      for (std::size_t k = 0; k < kLedgerOps.size(); ++k) {
        SCOPED_TRACE(person + " " + kLedgerOps[k] + " on " + target->household.str());
        testing::expect_cell(host, pusher, ledger_op(host, *target, k, person),
                             testing::expected_cell(*table, person, k));
      }
    }
    const std::pair<const char*, const std::vector<Row>*> villages[] = {{"qs/dq/hs", &kVillageHs},
                                                                        {"qs/lh/lj", &kVillageLj}};
    for (const auto& [village, table] : villages) {
      for (std::size_t k = 0; k < kVillageOps.size(); ++k) {
        SCOPED_TRACE(person + " " + kVillageOps[k] + " in " + village);
        testing::expect_cell(host, pusher, village_op(RegionId(village), k, person, w),
                             testing::expected_cell(*table, person, k));
      }
    }
  }
}

// The issue's own case: a villager approves nothing, not even their own application, whoever
// they sign in as; their cadre then does.
TEST(AuthzPoints, AVillagerCannotApprovePointsNotEvenTheirOwnApplication) {
  testing::TestHost host(testing::demo_start());
  ASSERT_TRUE(points::seed_demo(*host.replica, testing::demo_json("points.json")));
  testing::Device phone("phone-wang", UserId("wang"), testing::demo_start());
  testing::sync_all(phone, host);
  const HouseholdId home("h-wang");
  auto app = points::Service(*phone.replica).apply(UserId("wang"), home, "sort-rubbish", "分类到位");
  ASSERT_TRUE(app) << app.error().detail;
  testing::sync_all(phone, host);
  points::Service on_host(*host.replica);
  testing::Pusher pusher(host);
  auto approve = [&](const char* actor) {
    return testing::crafted(actor, "ledger.approve", points::ledger_id(home), RegionId("qs/dq/hs/y1"),
                            oplog::Visibility::public_in_scope, {{"application", *app}});
  };
  for (const char* villager : {"wang", "li", "chen", "sun", "zhao"}) {
    SCOPED_TRACE(villager);
    EXPECT_EQ(pusher.push(UserId(villager), approve(villager)).cell, "role");
    const auto as_cadre = pusher.push(UserId(villager), approve("cadre-hs"));
    EXPECT_EQ(as_cadre.cell, "forged");
    EXPECT_FALSE(as_cadre.stored);
    EXPECT_EQ(on_host.balance(home)->value, 0);
    EXPECT_EQ(on_host.ledger(home)->applications.at(0).status, points::ApplicationStatus::pending);
  }
  EXPECT_EQ(pusher.push(UserId("cadre-hs"), approve("cadre-hs")).cell, "ok");
  EXPECT_EQ(on_host.balance(home)->value, 2);
  testing::sync_all(phone, host);
  EXPECT_EQ(points::Service(*phone.replica).balance(home)->value, 2) << "her phone shows only the cadre's approval";
}

}  // namespace
}  // namespace cunwu
