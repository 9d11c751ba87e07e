// Points queries: how fast a villager's phone shows a balance and a village's honour list.
//   points/balance_10k_entries         the balance of one household whose ledger holds
//                                      CUNWU_BENCH_POINTS_ENTRIES entries (default 10000);
//   points/honour_list_2000_households the top 10 of a village of CUNWU_BENCH_POINTS_HOUSEHOLDS
//                                      households (default 2000, in courtyards of 100), each with
//                                      five entries in the month.
// Both read the points_lines projection (a SUM over the primary key, a GROUP BY over an index).
// The data is ingested once, as a phone receives it, before timing. Each benchmark checks its
// answer; the exit code is non-zero if a check failed. Target: under 10 ms per query in WASM.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "cunwu/points/domain.hpp"
#include "cunwu/points/service.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::bench {
namespace {

using oplog::Json;
using oplog::Op;

bool g_failed = false;
const RegionId kVillage{"qs/dq/bm"};
const UserId kCadre{"cadre-bm"};
constexpr std::int64_t kPerHousehold = 5;

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* env = std::getenv(name);
  const long long n = env && *env ? std::atoll(env) : static_cast<long long>(fallback);
  return std::size_t(std::max<long long>(n, 1));
}

Result<org::Directory> directory(std::size_t households) {
  std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/county.json");
  std::stringstream text;
  text << in.rdbuf();
  CUNWU_ASSIGN(auto dir, org::directory_from_json(Json::parse(text.str(), nullptr, false)));
  CUNWU_TRY(dir.add_region(org::Region{kVillage, RegionId("qs/dq"), org::RegionLevel::village, "白马村"}));
  for (std::size_t i = 0; i < households; ++i) {
    const RegionId yard(kVillage.str() + "/y" + std::to_string(i / 100));
    if (i % 100 == 0) CUNWU_TRY(dir.add_region(org::Region{yard, kVillage, org::RegionLevel::courtyard, "第" + std::to_string(i / 100) + "院落"}));
    CUNWU_TRY(dir.add_household(org::Household{HouseholdId("bm-" + std::to_string(i)), yard, "第" + std::to_string(i) + "户"}));
  }
  CUNWU_TRY(dir.add_user(org::User{kCadre, "白书记", std::nullopt, std::nullopt}));
  CUNWU_TRY(dir.grant(kCadre, org::Role::village_cadre, kVillage));
  return dir;
}

Json rule(std::int64_t amount) {
  return Json{{"id", "volunteer"}, {"version", "bench.1"}, {"title", "参加志愿服务"}, {"category", "volunteering"},
              {"direction", "award"}, {"amount", amount}, {"evidence_required", false}, {"limit", nullptr},
              {"active", true}};
}

// Awards spread over July 2026, one minute apart, in hlc order.
std::vector<Op> awards(const org::Directory& dir, const std::vector<HouseholdId>& targets, std::int64_t amount_mod) {
  std::vector<Op> ops;
  ops.reserve(targets.size());
  const std::int64_t t0 = china_time(2026, 7, 1, 8, 0).ms;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    Op op;
    op.id = oplog::OpId{ReplicaId("phone-cadre"), i + 1};
    op.hlc = clock::Hlc{t0 + std::int64_t(i) * 60'000 % (25LL * 86'400'000), std::uint32_t(i)};
    op.actor = kCadre;
    op.type = "ledger.award";
    op.entity = points::ledger_id(targets[i]);
    op.scope = dir.household(targets[i])->courtyard;
    op.payload = Json{{"rule", rule(1 + std::int64_t(i) % amount_mod)}, {"text", ""}};
    ops.push_back(std::move(op));
  }
  return ops;
}

Result<std::unique_ptr<Replica>> loaded(const org::Directory& dir, const std::vector<Op>& ops) {
  ReplicaOptions options;
  options.id = ReplicaId("bench-phone");
  const auto fixed = china_time(2026, 7, 31).ms;
  options.physical = [fixed] { return fixed; };
  CUNWU_ASSIGN(auto r, Replica::open(std::move(options)));
  CUNWU_TRY(r->set_directory(dir));
  for (std::size_t at = 0; at < ops.size(); at += 1000) {
    CUNWU_ASSIGN(const auto report, r->receive(std::span<const Op>(ops.data() + at, std::min<std::size_t>(1000, ops.size() - at))));
    if (!report.invalid.empty()) return report.invalid.front().second;
    if (report.conflicts > 0) return make_error(Errc::internal, "conflicts while loading");
  }
  return r;
}

void fail(benchmark::State& state, const std::string& msg) {
  g_failed = true;
  std::fprintf(stderr, "points_bench failed: %s\n", msg.c_str());
  state.SkipWithError(msg.c_str());
}

void balance(benchmark::State& state, Replica* r, std::int64_t expected) {
  points::Service svc(*r);
  const HouseholdId h("bm-0");
  for (auto _ : state) {
    auto b = svc.balance(h);
    if (!b) return fail(state, b.error().detail);
    if (b->value != expected) return fail(state, "balance " + std::to_string(b->value) + " != " + std::to_string(expected));
    benchmark::DoNotOptimize(b->value);
  }
}

void honour(benchmark::State& state, Replica* r, std::size_t households) {
  points::Service svc(*r);
  const auto period = *points::parse_period("2026-07");
  for (auto _ : state) {
    auto list = svc.honour_list(kVillage, period, 10);
    if (!list) return fail(state, list.error().detail);
    if (list->size() != std::min<std::size_t>(10, households)) return fail(state, "honour list size");
    if (list->front().points.value < kPerHousehold) return fail(state, "top points");
    benchmark::DoNotOptimize(list->front().points);
  }
}

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::size_t entries = env_size("CUNWU_BENCH_POINTS_ENTRIES", 10000);
  const std::size_t households = env_size("CUNWU_BENCH_POINTS_HOUSEHOLDS", 2000);
  auto dir = directory(std::max<std::size_t>(households, 1));
  if (!dir) {
    std::fprintf(stderr, "directory: %s\n", dir.error().detail.c_str());
    return 1;
  }
  // One household with `entries` awards of 1 point each.
  auto single = loaded(*dir, awards(*dir, std::vector<HouseholdId>(entries, HouseholdId("bm-0")), 1));
  // Every household with five awards of 1..7 points.
  std::vector<HouseholdId> targets;
  for (std::int64_t k = 0; k < kPerHousehold; ++k) {
    for (std::size_t i = 0; i < households; ++i) targets.emplace_back("bm-" + std::to_string(i));
  }
  auto village = loaded(*dir, awards(*dir, targets, 7));
  if (!single || !village) {
    std::fprintf(stderr, "loading: %s\n", (!single ? single.error() : village.error()).detail.c_str());
    return 1;
  }
  benchmark::RegisterBenchmark("points/balance_10k_entries", balance, single->get(), std::int64_t(entries))
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("points/honour_list_2000_households", honour, village->get(), households)
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return g_failed ? 1 : 0;
}

}  // namespace
}  // namespace cunwu::bench

int main(int argc, char** argv) {
  try {
    return cunwu::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "points_bench: %s\n", e.what());
    return 2;
  }
}
