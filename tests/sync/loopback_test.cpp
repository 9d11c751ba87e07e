// Devices and the host over an in-memory transport that loses requests and answers, delivers
// requests twice and answers late and out of order, while villagers and cadres work on appeals
// offline. Once the network heals, every device holds exactly the host's state of everything it
// may see, and the host has every acknowledged op exactly once.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "cunwu/appeals/service.hpp"
#include "sync_fixture.hpp"

namespace cunwu {
namespace {

using testing::Device;
using testing::TestHost;

constexpr int kLoopbackSeeds = 8;
constexpr int kSteps = 400;

struct Late {
  std::size_t device;
  sync::SyncRequest request;
  sync::SyncResponse response;
};

struct NetStats {
  int requests = 0, lost_requests = 0, lost_answers = 0, doubled = 0, late = 0;
};

class LoopbackWorld {
 public:
  explicit LoopbackWorld(std::uint64_t seed) : rng_(seed), host_(testing::demo_start()) {
    const std::pair<const char*, const char*> people[] = {
        {"phone-wang", "wang"},         {"phone-li", "li"},          {"phone-chen", "chen"},
        {"phone-zhao", "zhao"},         {"phone-head-hs1", "head-hs1"}, {"phone-head-hs2", "head-hs2"},
        {"pad-cadre-hs", "cadre-hs"},   {"pad-cadre-lj", "cadre-lj"}, {"pc-staff-dq", "staff-dq"},
        {"phone-wang-2", "wang"},  // a second device of the same person
    };
    for (const auto& [device, user] : people) {
      // Device clocks are off by up to two hours either way until their first sync.
      const auto skew = minutes(pick(-120, 120));
      devices_.push_back(std::make_unique<Device>(device, UserId(user), testing::demo_start() + skew));
    }
  }

  void run(int steps) {
    for (int i = 0; i < steps && !::testing::Test::HasFailure(); ++i) {
      const auto step = minutes(pick(1, 20));
      host_.clock.advance(step);
      for (auto& d : devices_) d->clock.advance(step);
      const int roll = pick(0, 99);
      if (roll < 45) {
        act(*devices_[std::size_t(pick(0, int(devices_.size()) - 1))]);
      } else if (roll < 50) {
        auto escalated = appeals::Service(*host_.replica).escalate_overdue(host_.clock.now());
        EXPECT_TRUE(escalated);
      } else if (roll < 90) {
        unreliable_sync(std::size_t(pick(0, int(devices_.size()) - 1)));
      } else {
        deliver_late();
      }
    }
  }

  /// The network heals: late answers arrive, then everyone syncs until nothing is new.
  void heal() {
    while (!late_.empty()) deliver_late();
    for (int round = 0; round < 3; ++round) {
      for (auto& d : devices_) testing::sync_all(*d, host_);
    }
  }

  void check_converged() {
    for (auto& d : devices_) {
      SCOPED_TRACE(d->replica->id().str());
      EXPECT_EQ(*d->client.pending(), 0);
      // Every entity the device holds is exactly the host's.
      auto rows = d->replica->log().ops().entities("appeal");
      ASSERT_TRUE(rows);
      for (const auto& row : *rows) {
        auto on_host = host_.replica->log().ops().entity(row.id);
        ASSERT_TRUE(on_host && *on_host) << row.id.str();
        EXPECT_EQ(row.state, (*on_host)->state) << row.id.str();
        auto mine = d->replica->conflicts(row.id);
        auto hosts = host_.replica->conflicts(row.id);
        ASSERT_TRUE(mine && hosts);
        EXPECT_EQ(mine->size(), hosts->size()) << row.id.str();
      }
      held_ += int(rows->size());
      // And it holds every appeal its person may see on the host.
      auto all = appeals::Service(*host_.replica).list();
      ASSERT_TRUE(all);
      for (const auto& a : *all) {
        if (a.filer == d->user) {
          EXPECT_TRUE(appeals::Service(*d->replica).get(a.id)) << a.id.str();
        }
      }
    }
  }

  const NetStats& stats() const { return stats_; }
  int held() const { return held_; }
  int rejected() const { return rejected_; }
  std::int64_t host_appeals() { return std::int64_t(appeals::Service(*host_.replica).list()->size()); }
  int actions() const { return actions_; }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return pick(0, 99) < percent; }

  void act(Device& d) {
    appeals::Service svc(*d.replica);
    auto known = svc.list();
    ASSERT_TRUE(known);
    const bool villager = d.replica->directory().grants(d.user).empty() ||
                          d.replica->directory().grants(d.user).front().role == org::Role::villager;
    ++actions_;
    if (villager) {
      if (known->empty() || chance(50)) {
        const auto* user = d.replica->directory().user(d.user);
        (void)svc.file(d.user, {*user->home, appeals::Category(pick(0, 6)), appeals::Urgency(pick(0, 2)),
                                "第" + std::to_string(actions_) + "件事", {}, {}});
        return;
      }
      const auto& a = (*known)[std::size_t(pick(0, int(known->size()) - 1))];
      if (chance(60)) (void)svc.rate(d.user, a.id, appeals::Rating(pick(0, 2)));
      else (void)svc.withdraw(d.user, a.id, "不需要了");
      return;
    }
    if (known->empty()) return;
    const auto& a = (*known)[std::size_t(pick(0, int(known->size()) - 1))];
    switch (pick(0, 4)) {
      case 0: (void)svc.accept(d.user, a.id); break;
      case 1: (void)svc.reply(d.user, a.id, "正在处理"); break;
      case 2: (void)svc.resolve(d.user, a.id, "已办结"); break;
      case 3: (void)svc.escalate(d.user, a.id, "需要上级协调"); break;
      default: (void)svc.assign(d.user, a.id, UserId(chance(50) ? "grid-hs1" : "head-hs2")); break;
    }
  }

  /// A sync attempt over a bad link.
  void unreliable_sync(std::size_t i) {
    Device& d = *devices_[i];
    ++stats_.requests;
    auto req = d.client.request(d.clock.now());
    ASSERT_TRUE(req);
    if (chance(10)) {
      ++stats_.lost_requests;
      return;
    }
    auto resp = host_.host.sync(d.user, *req, host_.clock.now());
    ASSERT_TRUE(resp) << resp.error().detail;
    if (chance(10)) {  // the same request arrives twice (a retry after a timeout)
      ++stats_.doubled;
      resp = host_.host.sync(d.user, *req, host_.clock.now());
      ASSERT_TRUE(resp) << resp.error().detail;
    }
    const int fate = pick(0, 99);
    if (fate < 10) {
      ++stats_.lost_answers;
    } else if (fate < 25) {
      ++stats_.late;
      late_.push_back({i, std::move(req).value(), std::move(resp).value()});
    } else {
      auto report = d.client.apply(*req, *resp, d.clock.now());
      ASSERT_TRUE(report);
      rejected_ += int(report->rejected.size());
    }
  }

  void deliver_late() {
    if (late_.empty()) return;
    const auto k = std::size_t(pick(0, int(late_.size()) - 1));
    Late l = std::move(late_[k]);
    late_.erase(late_.begin() + std::ptrdiff_t(k));
    Device& d = *devices_[l.device];
    ASSERT_TRUE(d.client.apply(l.request, l.response, d.clock.now()));
  }

  std::mt19937_64 rng_;
  TestHost host_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<Late> late_;
  NetStats stats_;
  int actions_ = 0;
  int held_ = 0;      ///< appeals held by devices at the end, summed
  int rejected_ = 0;  ///< pushed ops the host refused
};

TEST(SyncLoopback, DevicesOnABadNetworkConvergeToTheHost) {
  NetStats total;
  int appeals = 0, held = 0, rejected = 0;
  for (const auto seed : testing::test_seeds(kLoopbackSeeds)) {
    SCOPED_TRACE("seed=" + std::to_string(seed) + " (rerun with CUNWU_SEED=" + std::to_string(seed) + ")");
    LoopbackWorld world(seed);
    world.run(kSteps);
    world.heal();
    world.check_converged();
    if (HasFailure()) return;
    appeals += int(world.host_appeals());
    held += world.held();
    rejected += world.rejected();
    const auto& s = world.stats();
    total.requests += s.requests;
    total.lost_requests += s.lost_requests;
    total.lost_answers += s.lost_answers;
    total.doubled += s.doubled;
    total.late += s.late;
  }
  std::printf("loopback: %d appeals on the host, %d copies on devices, %d pushed ops refused; %d requests, "
              "%d lost, %d answers lost, %d doubled, %d late\n",
              appeals, held, rejected, total.requests, total.lost_requests, total.lost_answers, total.doubled,
              total.late);
  EXPECT_GT(appeals, 0);
  EXPECT_GT(held, appeals) << "appeals reach the devices of the people concerned";
  EXPECT_GT(rejected, 0) << "concurrent offline work must also lose sometimes";
  EXPECT_GT(total.lost_answers, 0);
  EXPECT_GT(total.late, 0);
}

}  // namespace
}  // namespace cunwu
