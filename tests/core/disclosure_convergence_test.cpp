// Convergence of disclosure work by randomized simulation: cadres draft, edit, publish and amend
// posts on their own devices while villagers read and ask, all from stale views, over a network
// that drops, duplicates and reorders. Once every op is everywhere, all replicas hold the same
// posts, conflicts and search index, and each index matches its replica's state.
#include <gtest/gtest.h>

#include <random>

#include "cunwu/disclosure/service.hpp"
#include "support/fixture.hpp"
#include "support/network.hpp"

namespace cunwu {
namespace {

using disclosure::Json;
using disclosure::Post;
using disclosure::PostType;

constexpr int kPostSeeds = 10;
constexpr int kPostOpsPerSeed = 200;

struct PostNode {
  PostNode(const std::string& id, TimeMs start, Duration skew_, std::vector<UserId> people)
      : clock(start + skew_), replica(testing::demo_replica(id, clock)), svc(*replica), skew(skew_), users(std::move(people)) {}
  testing::FakeClock clock;
  std::unique_ptr<Replica> replica;
  disclosure::Service svc;
  Duration skew;
  std::vector<UserId> users;
};

class PostSimulation {
 public:
  explicit PostSimulation(std::uint64_t seed) : rng_(seed), now_(testing::demo_start()) {
    auto u = [](std::initializer_list<const char*> ids) {
      std::vector<UserId> out;
      for (const char* id : ids) out.emplace_back(id);
      return out;
    };
    nodes_.push_back(std::make_unique<PostNode>("host", now_, Duration{0}, u({"staff-qs"})));
    nodes_.push_back(std::make_unique<PostNode>("pc-zhang", now_, minutes(3), u({"cadre-hs", "staff-dq"})));
    nodes_.push_back(std::make_unique<PostNode>("phone-he", now_, minutes(-4), u({"cadre-hs2", "cadre-hs"})));
    nodes_.push_back(std::make_unique<PostNode>("phone-villagers", now_, minutes(-9), u({"wang", "li", "chen", "sun"})));
    for (auto& n : nodes_) net_.add(*n->replica);
  }

  void run(int ops) {
    while (attempted_ < ops && !::testing::Test::HasFailure()) {
      now_ = now_ + minutes(pick(0, 20));
      for (auto& n : nodes_) n->clock.set(now_ + n->skew);
      const int roll = pick(0, 99);
      if (roll < 50) {
        act(*nodes_[std::size_t(pick(0, int(nodes_.size()) - 1))]);
      } else if (roll < 75) {
        net_.send_random();
      } else {
        net_.network_event();
      }
    }
  }
  void deliver_everything() { net_.deliver_everything(); }
  std::vector<std::unique_ptr<PostNode>>& nodes() { return nodes_; }
  int accepted = 0, refused = 0;

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return pick(0, 99) < percent; }
  template <class T>
  const T& pick_of(const std::vector<T>& v) { return v[std::size_t(pick(0, int(v.size()) - 1))]; }

  Json fields_for(PostType t) {
    const std::string n = std::to_string(attempted_);
    static const std::vector<std::string> kWords{"道路", "低保", "医疗保险", "茶园", "防汛", "道路硬化", "义务教育"};
    Json f{{"title", "第" + n + "号" + pick_of(kWords) + "公开"}, {"body", pick_of(kWords) + "相关事项说明" + n}};
    if (t == PostType::finance) {
      const std::int64_t income = pick(1, 9) * 10000, spending = pick(1, 9) * 1000;
      f["period"] = chance(90) ? "2026Q2" : "2026Q9";
      f["opening"] = 100000;
      f["income"] = Json::array({{{"category", "集体经济收入"}, {"amount", income}}});
      f["spending"] = Json::array({{{"category", "道路维修"}, {"amount", spending}}});
      f["closing"] = 100000 + income - spending + (chance(15) ? 1 : 0);  // sometimes unbalanced
    } else if (t == PostType::policy) {
      f["category"] = "social_security";
      f["issuer"] = "青山县民政局";
      f["effective_from"] = "2026-01-01";
    }
    return f;
  }

  void act(PostNode& n) {
    ++attempted_;
    const UserId who = pick_of(n.users);
    auto all = n.svc.list();
    ASSERT_TRUE(all);
    Status s = ok_status();
    const int verb = all->empty() ? 0 : pick(0, 9);
    if (verb <= 1) {
      static const std::vector<PostType> kTypes{PostType::notice, PostType::finance, PostType::policy};
      const PostType t = pick_of(kTypes);
      const RegionId scope = t == PostType::policy ? RegionId("qs") : chance(80) ? RegionId("qs/dq/hs") : RegionId("qs/dq");
      auto id = n.svc.draft(who, scope, t, fields_for(t));
      s = id ? ok_status() : Status(id.error());
    } else {
      const Post& p = pick_of(*all);
      const UserId cadre = p.scope == RegionId("qs") ? UserId("staff-qs") : p.scope == RegionId("qs/dq") ? UserId("staff-dq") : who;
      const UserId actor = chance(70) ? cadre : who;
      switch (verb) {
        case 2: case 3: {
          Json f = fields_for(p.type);
          Json one = Json::object();
          for (int k = pick(1, 2); k > 0; --k) {
            const auto it = std::next(f.begin(), pick(0, int(f.size()) - 1));
            one[it.key()] = it.value();
          }
          if (chance(10)) one["opening"] = chance(50) ? Json(-3) : Json(1.5);
          s = n.svc.edit(actor, p.id, one);
          break;
        }
        case 4: s = n.svc.publish(actor, p.id); break;
        case 5: s = n.svc.amend(actor, p.id, "更正", {{"body", "更正后的说明" + std::to_string(attempted_)}}); break;
        case 6: case 7: {
          auto q = n.svc.ask(who, p.id, "请问" + std::to_string(attempted_) + "？", chance(20) ? std::optional<int>(1) : std::nullopt);
          s = q ? ok_status() : Status(q.error());
          break;
        }
        case 8:
          if (!p.questions.empty()) {
            s = n.svc.answer(actor, p.id, pick_of(p.questions).id, "答复" + std::to_string(attempted_));
          } else {
            s = n.svc.read(who, p.id);
          }
          break;
        default: s = n.svc.read(who, p.id); break;
      }
    }
    ++(s ? accepted : refused);
  }

  std::mt19937_64 rng_;
  TimeMs now_;
  std::vector<std::unique_ptr<PostNode>> nodes_;
  testing::Network net_{rng_};
  int attempted_ = 0;
};

std::string search_fingerprint(disclosure::Service& svc) {
  std::string out;
  for (const char* q : {"道", "低保", "医疗保险", "道路硬化", "说明", "更正后的"}) {
    disclosure::SearchQuery query{q};
    query.limit = 100;
    auto hits = svc.search(query);
    EXPECT_TRUE(hits);
    if (!hits) continue;
    for (const auto& h : *hits) out += h.post.str() + "|" + h.title + "|" + h.snippet + "\n";
    out += "--\n";
  }
  return out;
}

// The index holds exactly the published posts, each at its latest version.
void expect_index_matches_state(PostNode& n) {
  auto posts = n.svc.list();
  auto indexed = store::indexed_posts(n.replica->db());
  ASSERT_TRUE(posts && indexed);
  std::vector<std::pair<EntityId, int>> expected;
  for (const auto& p : *posts) {
    if (p.latest()) expected.emplace_back(p.id, p.latest()->number);
  }
  EXPECT_EQ(*indexed, expected) << n.replica->id().str();
}

TEST(DisclosureConvergence, RandomOfflineDisclosureWorkConverges) {
  int total_conflicts = 0, total_published = 0;
  for (const auto seed : testing::test_seeds(kPostSeeds)) {
    SCOPED_TRACE("seed=" + std::to_string(seed) + " (rerun with CUNWU_SEED=" + std::to_string(seed) + ")");
    PostSimulation sim(seed);
    sim.run(kPostOpsPerSeed);
    sim.deliver_everything();
    if (::testing::Test::HasFailure()) return;
    std::vector<Replica*> replicas;
    for (auto& n : sim.nodes()) replicas.push_back(n->replica.get());
    testing::expect_converged(replicas, seed);
    const std::string first = search_fingerprint(sim.nodes()[0]->svc);
    for (auto& n : sim.nodes()) {
      EXPECT_EQ(search_fingerprint(n->svc), first) << n->replica->id().str();
      expect_index_matches_state(*n);
    }
    EXPECT_GT(sim.accepted, 0);
    EXPECT_GT(sim.refused, 0);
    total_conflicts += int(sim.nodes()[0]->replica->conflicts()->size());
    const auto posts = sim.nodes()[0]->svc.list();
    ASSERT_TRUE(posts);
    for (const auto& p : *posts) total_published += p.latest() ? 1 : 0;
  }
  std::printf("disclosure convergence: %d published posts, %d conflicts\n", total_published, total_conflicts);
  EXPECT_GT(total_published, 0);
}

}  // namespace
}  // namespace cunwu
