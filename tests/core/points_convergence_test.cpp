// Points convergence by randomized simulation: villagers' phones apply and redeem, a cadre's
// phone decides, awards, deducts and reverses, the shopkeeper restocks and hands over, the host
// runs its decide job now and then, and an in-memory network drops, duplicates and reorders.
// Once everything arrived and the host decided it, every replica holds the same state, no
// balance and no stock is negative, and no ledger op is left as a conflict (each was either
// accepted in host order or rejected with a verdict).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cunwu/points/domain.hpp"
#include "cunwu/points/service.hpp"
#include "support/fixture.hpp"
#include "support/network.hpp"
#include "support/demo_people.hpp"

namespace cunwu {
namespace {

using testing::demo_points;
using namespace points;
using oplog::Json;

constexpr int kPointsSeeds = 10;
constexpr int kPointsOpsPerSeed = 200;

struct PointsNode {
  PointsNode(const std::string& id, TimeMs start, Duration skew_, std::vector<UserId> people)
      : clock(start + skew_), replica(testing::demo_replica(id, clock)), svc(*replica), skew(skew_),
        users(std::move(people)) {}
  testing::FakeClock clock;
  std::unique_ptr<Replica> replica;
  Service svc;
  Duration skew;
  std::vector<UserId> users;
};

const std::map<std::string, HouseholdId> kHome{
    {"wang", HouseholdId("h-wang")}, {"li", HouseholdId("h-li")}, {"chen", HouseholdId("h-chen")}};
const std::vector<HouseholdId> kHouseholds{HouseholdId("h-wang"), HouseholdId("h-li"), HouseholdId("h-chen")};
const std::vector<std::string> kAwardRules{"clean-yard", "sort-rubbish", "help-neighbour", "care-elderly",
                                           "volunteer-day", "mediate-dispute", "no-such-rule"};
const std::vector<std::string> kGoods{"soap", "towel", "detergent", "rice-5kg", "oil-5l", "tv-set"};

class PointsSimulation {
 public:
  explicit PointsSimulation(std::uint64_t seed) : rng_(seed), now_(testing::demo_start()) {
    auto u = [](std::initializer_list<const char*> ids) {
      std::vector<UserId> out;
      for (const char* id : ids) out.emplace_back(id);
      return out;
    };
    nodes_.push_back(std::make_unique<PointsNode>("host", now_, Duration{0}, std::vector<UserId>{}));
    nodes_.push_back(std::make_unique<PointsNode>("phone-villagers", now_, minutes(-6), u({"wang", "li", "chen"})));
    nodes_.push_back(std::make_unique<PointsNode>("phone-cadres", now_, minutes(3), u({"cadre-hs", "cadre-hs2", "head-hs1"})));
    nodes_.push_back(std::make_unique<PointsNode>("phone-shop", now_, minutes(1), u({"shop-hs"})));
    for (auto& n : nodes_) net_.add(*n->replica);
    EXPECT_TRUE(seed_demo(*nodes_[0]->replica, demo_points()));
    // Scarce stock makes the race for the last item likely.
    EXPECT_TRUE(nodes_[0]->svc.set_goods(UserId("shop-hs"), kHs, "thermos", "暖水瓶", Points{4}));
    EXPECT_TRUE(nodes_[0]->svc.restock(UserId("shop-hs"), kHs, "thermos", 2));
    net_.deliver_everything();
  }

  void run(int ops) {
    while (attempted_ < ops && !::testing::Test::HasFailure()) {
      now_ = now_ + minutes(pick(0, 600));  // about two weeks per run: limits reset monthly
      for (auto& n : nodes_) n->clock.set(now_ + n->skew);
      const int roll = pick(0, 99);
      if (roll < 40) {
        act(*nodes_[std::size_t(pick(1, 3))]);
      } else if (roll < 48) {
        auto r = nodes_[0]->svc.decide();
        EXPECT_TRUE(r) << r.error().detail;
      } else if (roll < 51) {
        rogue_op();
      } else if (roll < 75) {
        net_.send_random();
      } else {
        net_.network_event();
      }
    }
  }

  /// Everything arrives, the host decides what it had not, and that reaches everyone too.
  void finish() {
    net_.deliver_everything();
    EXPECT_TRUE(nodes_[0]->svc.decide());
    net_.deliver_everything();
  }

  std::vector<std::unique_ptr<PointsNode>>& nodes() { return nodes_; }
  int accepted() const { return accepted_; }
  int refused() const { return refused_; }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <class T>
  const T& pick_of(const std::vector<T>& v) { return v[std::size_t(pick(0, int(v.size()) - 1))]; }

  void act(PointsNode& n) {
    ++attempted_;
    const UserId who = pick_of(n.users);
    const HouseholdId h = kHome.contains(who.str()) && pick(0, 9) > 0 ? kHome.at(who.str()) : pick_of(kHouseholds);
    const auto ledger = n.svc.ledger(h);
    ASSERT_TRUE(ledger);
    Status s = ok_status();
    const std::string id = n.replica->id().str();
    if (id == "phone-villagers") {
      if (pick(0, 1)) {
        auto r = n.svc.redeem(who, h, pick(0, 3) ? std::string("thermos") : pick_of(kGoods));
        s = r ? ok_status() : Status(r.error());
      } else {
        auto r = n.svc.apply(who, h, pick_of(kAwardRules), pick(0, 3) ? "做了好事" : "");
        s = r ? ok_status() : Status(r.error());
      }
    } else if (id == "phone-cadres") {
      s = cadre_acts(n, who, h, *ledger);
    } else {
      s = shop_acts(n, who, h, *ledger);
    }
    ++(s ? accepted_ : refused_);
  }

  Status cadre_acts(PointsNode& n, const UserId& who, const HouseholdId& h, const Ledger& l) {
    std::vector<std::string> pending, entries;
    for (const auto& a : l.applications) {
      if (a.status == ApplicationStatus::pending) pending.push_back(a.id);
    }
    for (const auto& e : l.entries) entries.push_back(e.id);
    const int roll = pick(0, 9);
    if (roll < 3 && !pending.empty()) return n.svc.approve(who, h, pick_of(pending));
    if (roll < 4 && !pending.empty()) return n.svc.reject(who, h, pick_of(pending), "证据不足");
    if (roll < 6 && !entries.empty()) return n.svc.reverse(who, h, pick_of(entries), "录入有误");
    if (roll < 8) {
      auto r = n.svc.award(who, h, pick_of(kAwardRules), "现场看过");
      return r ? ok_status() : Status(r.error());
    }
    auto r = n.svc.deduct(who, h, pick(0, 1) ? "litter" : "extravagance", "现场看过");
    return r ? ok_status() : Status(r.error());
  }

  Status shop_acts(PointsNode& n, const UserId& who, const HouseholdId& h, const Ledger& l) {
    std::vector<std::string> confirmed;
    for (const auto& r : l.redemptions) {
      if (r.status != RedemptionStatus::fulfilled) confirmed.push_back(r.id);
    }
    const int roll = pick(0, 9);
    if (roll < 6 && !confirmed.empty()) return n.svc.fulfil(who, h, pick_of(confirmed));
    if (roll < 8) return n.svc.restock(who, kHs, pick_of(kGoods), pick(0, 2));
    return n.svc.set_goods(who, kHs, "thermos", "暖水瓶", Points{pick(3, 5)});
  }

  /// An op that skipped every local check (an old app, a tampered client): an invented amount,
  /// a price as text, a villager deducting, a person confirming. It never depends on another op.
  void rogue_op() {
    ++attempted_;
    PointsNode& n = *nodes_[std::size_t(pick(0, 3))];
    oplog::Op op;
    op.id = oplog::OpId{ReplicaId("rogue"), ++rogue_counter_};
    op.hlc = clock::Hlc{(now_ + Duration{-pick(0, 120) * 60'000}).ms, 0};
    op.entity = ledger_id(HouseholdId("h-wang"));
    op.scope = RegionId("qs/dq/hs/y1");
    auto book = n.svc.rulebook(kHs);
    ASSERT_TRUE(book);
    Json rule = to_json(*book->rule("volunteer-day"));
    switch (pick(0, 3)) {
      case 0:
        rule["amount"] = 300;
        op.actor = UserId("cadre-hs");
        op.type = "ledger.award";
        op.payload = Json{{"rule", rule}};
        break;
      case 1:
        op.actor = UserId("wang");
        op.type = "ledger.redeem";
        op.payload = Json{{"shop", kHs.str()}, {"goods", "soap"}, {"name", "香皂"}, {"price", pick(0, 1) ? Json("5") : Json(1)}};
        break;
      case 2:
        op.actor = UserId("wang");
        op.type = "ledger.deduct";
        op.payload = Json{{"rule", to_json(*book->rule("litter"))}, {"text", "自己扣"}};
        break;
      default:
        op.actor = UserId("wang");
        op.type = "ledger.confirm";
        op.payload = Json{{"request", "phone-villagers.1"}};
        break;
    }
    auto report = n.replica->receive(std::span<const oplog::Op>(&op, 1));
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_TRUE(report->invalid.empty());
  }

  std::mt19937_64 rng_;
  TimeMs now_;
  std::vector<std::unique_ptr<PointsNode>> nodes_;
  testing::Network net_{rng_};
  std::uint64_t rogue_counter_ = 0;
  int attempted_ = 0, accepted_ = 0, refused_ = 0;
};

TEST(PointsConvergence, RandomOfflinePointsWorkConvergesAndKeepsTheHostInvariants) {
  std::map<std::string, int> rejections;
  int confirmed = 0;
  const auto seeds = testing::test_seeds(kPointsSeeds);
  for (const auto seed : seeds) {
    SCOPED_TRACE("seed=" + std::to_string(seed) + " (rerun with CUNWU_SEED=" + std::to_string(seed) + ")");
    PointsSimulation sim(seed);
    sim.run(kPointsOpsPerSeed);
    sim.finish();
    if (::testing::Test::HasFailure()) return;
    std::vector<Replica*> replicas;
    for (auto& n : sim.nodes()) replicas.push_back(n->replica.get());
    testing::expect_converged(replicas, seed);

    PointsNode& host = *sim.nodes()[0];
    for (const auto& h : kHouseholds) {
      const Points balance = *host.svc.balance(h), available = *host.svc.available(h);
      EXPECT_GE(balance.value, 0) << h.str();
      EXPECT_GE(available.value, 0) << h.str();
      const auto ledger = host.svc.ledger(h);
      const auto problems = host.svc.problems(h);
      ASSERT_TRUE(ledger && problems);
      EXPECT_EQ(ledger->balance(), balance) << "projection and fold agree";
      for (const auto& p : *problems) {
        EXPECT_TRUE(p.by_host) << h.str() << " " << p.op << " " << p.type << " left as a conflict: "
                               << errc_name(p.error.code) << " " << p.error.detail;
        ++rejections[std::string(errc_name(p.error.code))];
      }
      for (const auto& r : ledger->redemptions) {
        EXPECT_NE(r.status, RedemptionStatus::pending) << "the host decided every request";
        ++confirmed;
      }
    }
    const auto shop = host.svc.shop(kHs);
    ASSERT_TRUE(shop);
    for (const auto& g : shop->goods) {
      EXPECT_GE(g.stock, 0) << g.id;
    }
    EXPECT_GT(sim.accepted(), 0);
    EXPECT_GT(sim.refused(), 0);
  }
  std::string summary;
  for (const auto& [code, n] : rejections) summary += " " + code + "=" + std::to_string(n);
  std::printf("points convergence: %zu seeds, %d redemptions confirmed, host rejections:%s\n", seeds.size(), confirmed,
              summary.c_str());
  EXPECT_GT(confirmed, 0);
  if (seeds.size() >= 5) {
    EXPECT_GT(rejections.size(), 1u) << "the host's checks were not exercised";
  }
}

}  // namespace
}  // namespace cunwu
