// Convergence by randomized simulation: phones of villagers and cadres and the county host work
// on appeals from their own, often stale, view while an in-memory network duplicates, drops,
// retries and reorders what they exchange. Once every op has reached every replica, all
// replicas must hold the same state and the same conflicts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "support/fixture.hpp"
#include "support/network.hpp"

namespace cunwu {
namespace {

using appeals::Appeal;
using appeals::AppealStatus;
using oplog::Json;

constexpr int kAppealSeeds = 20;
constexpr int kAppealOpsPerSeed = 300;

/// One device or the host: a replica with its own skewed clock, and the people who use it.
struct AppealNode {
  AppealNode(const std::string& id, TimeMs start, Duration clock_skew, std::vector<UserId> people)
      : clock(start + clock_skew), replica(testing::demo_replica(id, clock)), svc(*replica), skew(clock_skew),
        users(std::move(people)) {}
  testing::FakeClock clock;
  std::unique_ptr<Replica> replica;
  appeals::Service svc;
  Duration skew;
  std::vector<UserId> users;
};

struct Stats {
  int attempted = 0, accepted = 0, refused = 0, rogue = 0;
};

enum class Verb { file, accept, reply, assign, dispatch, escalate, resolve, rate, withdraw, merge, supervise };

class AppealSimulation {
 public:
  explicit AppealSimulation(std::uint64_t seed) : rng_(seed), now_(testing::demo_start()) {
    auto u = [](std::initializer_list<const char*> ids) {
      std::vector<UserId> out;
      for (const char* id : ids) out.emplace_back(id);
      return out;
    };
    nodes_.push_back(std::make_unique<AppealNode>("host", now_, Duration{0}, std::vector<UserId>{}));
    nodes_.push_back(std::make_unique<AppealNode>("phone-villagers", now_, minutes(-7), u({"wang", "li", "chen", "zhao"})));
    nodes_.push_back(std::make_unique<AppealNode>("phone-heads", now_, minutes(4), u({"head-hs1", "grid-hs1", "head-hs2"})));
    nodes_.push_back(std::make_unique<AppealNode>("pc-cadres", now_, minutes(1),
                                            u({"cadre-hs", "cadre-hs2", "staff-dq", "staff-qs", "inspector-qs"})));
    for (auto& n : nodes_) net_.add(*n->replica);
  }

  /// Runs until `ops` ops were attempted, interleaved with network traffic and host jobs.
  void run(int ops) {
    while (stats_.attempted < ops && !::testing::Test::HasFailure()) {
      now_ = now_ + minutes(pick(0, 25));
      for (auto& n : nodes_) n->clock.set(now_ + n->skew);
      const int roll = pick(0, 99);
      if (roll < 40) {
        person_acts(*nodes_[std::size_t(pick(1, int(nodes_.size()) - 1))]);
      } else if (roll < 47) {
        host_jobs();
      } else if (roll < 51) {
        rogue_op();
      } else if (roll < 75) {
        net_.send_random();
      } else {
        net_.network_event();
      }
    }
  }

  /// Lets the messages still in flight arrive late, then syncs every pair until nothing is new.
  void deliver_everything() { net_.deliver_everything(); }

  std::vector<std::unique_ptr<AppealNode>>& nodes() { return nodes_; }
  const Stats& stats() const { return stats_; }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <class T>
  const T& pick_of(const std::vector<T>& v) {
    return v[std::size_t(pick(0, int(v.size()) - 1))];
  }
  bool chance(int percent) { return pick(0, 99) < percent; }

  std::vector<Appeal> view(AppealNode& n) {
    auto all = n.svc.list();
    EXPECT_TRUE(all);
    return all ? *all : std::vector<Appeal>{};
  }

  Verb choose_verb(const AppealNode& n) {
    static const std::vector<Verb> kVillager{Verb::file, Verb::file, Verb::rate, Verb::rate, Verb::withdraw};
    static const std::vector<Verb> kHandler{Verb::accept, Verb::reply,   Verb::assign, Verb::dispatch, Verb::escalate,
                                            Verb::resolve, Verb::resolve, Verb::merge,  Verb::file,     Verb::supervise};
    static const std::vector<Verb> kAny{Verb::file,    Verb::accept, Verb::reply,    Verb::assign,
                                        Verb::dispatch, Verb::escalate, Verb::resolve, Verb::rate,
                                        Verb::withdraw, Verb::merge,  Verb::supervise};
    if (chance(15)) return pick_of(kAny);  // people also tap what they may not do
    return pick_of(n.replica->id().str() == "phone-villagers" ? kVillager : kHandler);
  }

  /// Someone on `n` does something to an appeal as `n` currently sees it; what the replica
  /// refuses locally is simply not written.
  void person_acts(AppealNode& n) {
    ++stats_.attempted;
    const UserId who = pick_of(n.users);
    const std::vector<Appeal> known = view(n);
    Verb verb = choose_verb(n);
    if (known.empty()) verb = Verb::file;
    Status s = ok_status();
    if (verb == Verb::file) {
      static const std::vector<RegionId> kYards{RegionId("qs/dq/hs/y1"), RegionId("qs/dq/hs/y2"),
                                                RegionId("qs/lh/lj/y1")};
      appeals::FileRequest req{pick_of(kYards), appeals::Category(pick(0, 6)), appeals::Urgency(pick(0, 2)),
                               chance(10) ? std::string("  ") : "第" + std::to_string(stats_.attempted) + "件事", {}};
      auto id = n.svc.file(who, req);
      s = id ? ok_status() : Status(id.error());
    } else {
      // Prefer open appeals (and, for a rating, resolved ones) so that most attempts matter.
      std::vector<Appeal> candidates;
      for (const auto& a : known) {
        if (verb == Verb::rate ? a.status == AppealStatus::resolved : a.open()) candidates.push_back(a);
      }
      const Appeal& a = !candidates.empty() && chance(80) ? pick_of(candidates) : pick_of(known);
      const UserId actor = (verb == Verb::rate || verb == Verb::withdraw) && chance(70) ? a.filer : who;
      static const std::vector<UserId> kAssignees{UserId("grid-hs1"), UserId("head-hs1"), UserId("cadre-hs2"),
                                                  UserId("staff-dq"), UserId("wang")};
      switch (verb) {
        case Verb::accept: s = n.svc.accept(actor, a.id); break;
        case Verb::reply: s = n.svc.reply(actor, a.id, "正在处理"); break;
        case Verb::assign: s = n.svc.assign(actor, a.id, pick_of(kAssignees)); break;
        case Verb::dispatch: s = n.svc.dispatch(actor, a.id, "县水利局"); break;
        case Verb::escalate: s = n.svc.escalate(actor, a.id, "需要上级协调"); break;
        case Verb::resolve: s = n.svc.resolve(actor, a.id, "已办结"); break;
        case Verb::rate: s = n.svc.rate(actor, a.id, appeals::Rating(pick(0, 2))); break;
        case Verb::withdraw: s = n.svc.withdraw(actor, a.id, chance(50) ? "不需要了" : ""); break;
        case Verb::merge: s = n.svc.merge(actor, a.id, pick_of(known).id); break;
        case Verb::supervise: s = n.svc.supervise(actor, a.id, "请尽快办理"); break;
        case Verb::file: break;
      }
    }
    ++(s ? stats_.accepted : stats_.refused);
  }

  /// The host numbers what it has not numbered and escalates what is overdue, on its clock.
  void host_jobs() {
    AppealNode& host = *nodes_[0];
    for (const auto& a : view(host)) {
      if (!a.official_number.empty()) continue;
      auto n = host.svc.assign_official_number(a.id, host.clock.now());
      EXPECT_TRUE(n) << a.id.str() << ": " << n.error().detail;
    }
    auto escalated = host.svc.escalate_overdue(host.clock.now());
    EXPECT_TRUE(escalated) << escalated.error().detail;
  }

  /// An op that skipped every local check (an old app, a tampered client), possibly back-dated:
  /// it is invalid in the global order at least sometimes, and must become the same conflict
  /// everywhere.
  void rogue_op() {
    ++stats_.attempted;
    ++stats_.rogue;
    AppealNode& n = *nodes_[std::size_t(pick(0, int(nodes_.size()) - 1))];
    const std::vector<Appeal> known = view(n);
    if (known.empty()) return;
    const Appeal& a = pick_of(known);
    oplog::Op op;
    op.id = oplog::OpId{ReplicaId("rogue"), ++rogue_counter_};
    op.hlc = clock::Hlc{(now_ + Duration{-pick(0, 180) * 60'000}).ms, 0};
    op.entity = a.id;
    op.scope = a.scope;
    op.visibility = oplog::Visibility::participants;
    switch (pick(0, 3)) {
      case 0:  // a rating, whether or not the appeal is resolved yet
        op.actor = a.filer;
        op.type = "appeal.rate";
        op.payload = Json{{"rating", "satisfied"}};
        break;
      case 1:  // a villager "resolving" their own appeal
        op.actor = a.filer;
        op.type = "appeal.resolve";
        op.payload = Json{{"text", "自己办结"}};
        break;
      case 2:  // a back-dated answer by the courtyard head
        op.actor = UserId("head-hs1");
        op.type = "appeal.accept";
        break;
      default:  // a person pretending to be the host
        op.actor = a.filer;
        op.type = "appeal.number";
        op.payload = Json{{"number", "20260101001"}};
        break;
    }
    auto report = n.replica->receive(std::span<const oplog::Op>(&op, 1));
    ASSERT_TRUE(report) << report.error().detail;
    EXPECT_TRUE(report->invalid.empty());
  }

  std::mt19937_64 rng_;
  TimeMs now_;
  std::vector<std::unique_ptr<AppealNode>> nodes_;
  testing::Network net_{rng_};
  std::uint64_t rogue_counter_ = 0;
  Stats stats_;
};

TEST(Convergence, RandomOfflineAppealWorkConvergesEverywhere) {
  std::map<std::string, int> conflict_codes;  // of ops that passed their author's local check
  int rogue_conflicts = 0;
  int total_appeals = 0;
  const auto seeds = testing::test_seeds(kAppealSeeds);
  for (const auto seed : seeds) {
    SCOPED_TRACE("seed=" + std::to_string(seed) + " (rerun with CUNWU_SEED=" + std::to_string(seed) + ")");
    AppealSimulation sim(seed);
    sim.run(kAppealOpsPerSeed);
    sim.deliver_everything();
    if (HasFailure()) return;

    auto& nodes = sim.nodes();
    std::vector<Replica*> replicas;
    for (auto& n : nodes) replicas.push_back(n->replica.get());
    testing::expect_converged(replicas, seed);

    // The host's official numbers are unique, and every appeal the host saw is registered.
    auto appeals_now = nodes[0]->svc.list();
    ASSERT_TRUE(appeals_now);
    EXPECT_GT(appeals_now->size(), 0u);
    std::set<std::string> numbers;
    for (const auto& a : *appeals_now) {
      if (a.official_number.empty()) continue;
      EXPECT_TRUE(numbers.insert(a.official_number).second) << "number issued twice: " << a.official_number;
      EXPECT_TRUE(a.registered_at.has_value());
    }
    total_appeals += int(appeals_now->size());
    auto conflicts = nodes[0]->replica->conflicts();
    ASSERT_TRUE(conflicts);
    for (const auto& c : *conflicts) {
      if (c.op.origin == ReplicaId("rogue")) {
        ++rogue_conflicts;
      } else {
        ++conflict_codes[std::string(errc_name(c.error.code))];
      }
    }
    const Stats& st = sim.stats();
    EXPECT_GT(st.accepted, 0);
    EXPECT_GT(st.refused, 0) << "no invalid op was tried locally";
  }

  std::string summary;
  int concurrent_conflicts = 0;
  for (const auto& [code, n] : conflict_codes) {
    summary += " " + code + "=" + std::to_string(n);
    concurrent_conflicts += n;
  }
  std::printf("convergence: %zu seeds, %d appeals, %d conflicts of injected ops, concurrent:%s\n", seeds.size(),
              total_appeals, rogue_conflicts, summary.c_str());
  EXPECT_GT(rogue_conflicts + concurrent_conflicts, 0) << "no conflict arose: the invalid paths were not exercised";
  // With several seeds, ops that were valid on their author's stale view must also have lost
  // somewhere: conflicts from genuine concurrency, not only from the injected ops.
  if (seeds.size() >= 5) {
    EXPECT_GT(concurrent_conflicts, 0);
  }
}

}  // namespace
}  // namespace cunwu
