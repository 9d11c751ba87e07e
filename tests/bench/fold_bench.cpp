// Ingest-and-fold throughput: how fast a fresh replica takes in a county's appeal ops, as the
// host does when a phone pushes, or a new device does on its first pull.
//
// The data set is built once: CUNWU_BENCH_OPS ops (default 100000), i.e. ops/10 appeals, each
// with the ten valid ops file, number (host), accept, reply, reply, assign, dispatch, reply,
// resolve, rate, authored on three replicas (villager's phone, host, courtyard head's phone)
// with increasing hybrid times. Each benchmark ingests them into a fresh in-memory replica via
// Replica::receive in batches of 1000:
//   ingest/in_order     in hlc order: every op folds incrementally; a batch holds 100 whole
//                       appeals, so each entity's state is read and written once per 10 ops;
//   ingest/shuffled     in one global shuffle (fixed seed), received at once (one pull, as a new
//                       device's first sync): each entity's ops are sorted and folded once.
// Two stress cases, slower by design, show what the worst arrival orders cost:
//   ingest/interleaved_batches  op 1 of every appeal, then op 2 of every appeal, ... in batches:
//                       still in order per appeal (no re-folds), but one op per entity per batch,
//                       so the state is read and written per op;
//   ingest/shuffled_batches  the shuffled ops in batches: ops arrive before their predecessors,
//                       are kept as conflicts, and entities are re-folded as the gaps fill.
// Each checks afterwards that the replica holds every op, no conflicts, and the same states.
// A warm-up ingest runs first (see warm_up); CUNWU_BENCH_WARMUP=0 measures cold.
// items_per_second is ops/s; the exit code is non-zero if any run failed its check.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "cunwu/appeals/domain.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::bench {
namespace {

using oplog::Json;
using oplog::Op;

constexpr std::size_t kBatch = 1000;
constexpr std::uint64_t kShuffleSeed = 20260713;
constexpr std::size_t kOpsPerAppeal = 10;

bool g_failed = false;

std::size_t configured_ops() {
  const char* env = std::getenv("CUNWU_BENCH_OPS");
  const long long n = env && *env ? std::atoll(env) : 100000;
  return std::size_t(std::max<long long>(n, 1));
}

Result<org::Directory> demo_directory() {
  std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/county.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto seed = Json::parse(text.str(), nullptr, false);
  if (seed.is_discarded()) return make_error(Errc::invalid_json, "demo/county.json");
  return org::directory_from_json(seed);
}

// Builds the ops of `appeals` appeals. Appeal i is filed at start + i minutes and its ten ops
// follow 5 s apart, so the whole list is in hlc order.
std::vector<Op> make_ops(std::size_t appeals) {
  const ReplicaId phone("phone-wang"), host("host-qs"), head_phone("phone-liu");
  const UserId wang("wang"), head("head-hs1");
  const RegionId courtyard("qs/dq/hs/y1");
  const TimeMs start = china_time(2026, 7, 13, 8, 0);
  std::map<ReplicaId, std::uint64_t> counters;
  std::map<std::string, int> daily_seq;
  std::vector<Op> ops;
  ops.reserve(appeals * kOpsPerAppeal);
  for (std::size_t i = 0; i < appeals; ++i) {
    const std::int64_t t0 = start.ms + std::int64_t(i) * 60'000;
    EntityId entity;
    auto add = [&](const ReplicaId& origin, const UserId& actor, const char* type, Json payload) {
      Op op;
      op.id = oplog::OpId{origin, ++counters[origin]};
      op.hlc = clock::Hlc{t0 + std::int64_t(ops.size() % kOpsPerAppeal) * 5'000, 0};
      op.actor = actor;
      op.type = type;
      op.entity = entity.empty() ? EntityId("appeal/" + oplog::to_string(op.id)) : entity;
      entity = op.entity;
      op.scope = courtyard;
      op.visibility = oplog::Visibility::participants;
      op.payload = std::move(payload);
      ops.push_back(std::move(op));
    };
    const std::string date = china_date_compact(TimeMs{t0});
    char number[32];
    std::snprintf(number, sizeof number, "%s%04d", date.c_str(), ++daily_seq[date]);
    add(phone, wang, "appeal.file",
        {{"category", "environment"},
         {"urgency", "green"},
         {"text", "院子门口的垃圾桶满了，好几天没人清运。"},
         {"attachments", Json::array()}});
    add(host, kHostActor, "appeal.number", {{"number", number}});
    add(head_phone, head, "appeal.accept", Json::object());
    add(head_phone, head, "appeal.reply", {{"text", "收到，今天联系保洁员。"}});
    add(head_phone, head, "appeal.reply", {{"text", "保洁员说车坏了，明天一早来。"}});
    add(head_phone, head, "appeal.assign", {{"assignee", "grid-hs1"}});
    add(head_phone, head, "appeal.dispatch", {{"department", "村保洁队"}});
    add(head_phone, head, "appeal.reply", {{"text", "保洁队已安排，上午清运。"}});
    add(head_phone, head, "appeal.resolve", {{"text", "垃圾已清运，垃圾桶已清洗。"}});
    add(phone, wang, "appeal.rate", {{"rating", "very_satisfied"}, {"comment", ""}});
  }
  return ops;
}

// Fisher-Yates with mt19937_64, spelled out: std::shuffle differs between libstdc++ (native)
// and libc++ (Emscripten), and both targets must ingest the same order to be comparable.
void shuffle(std::vector<Op>& ops, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (std::size_t i = ops.size(); i > 1; --i) std::swap(ops[i - 1], ops[std::size_t(rng() % i)]);
}

struct DataSet {
  org::Directory dir;
  std::vector<Op> in_order;
  std::vector<Op> interleaved;
  std::vector<Op> shuffled;
  std::string expected_dump;  ///< canonical dump after ingesting in order, filled by the first run
};

DataSet& data() {
  static DataSet d;
  return d;
}

Result<std::unique_ptr<Replica>> fresh_replica(const org::Directory& dir) {
  ReplicaOptions options;
  options.id = ReplicaId("bench-reader");
  const auto fixed = china_time(2026, 7, 20).ms;
  options.physical = [fixed] { return fixed; };
  if (const char* path = std::getenv("CUNWU_BENCH_DB"); path && *path) {
    std::remove(path);
    std::remove((std::string(path) + "-wal").c_str());
    std::remove((std::string(path) + "-shm").c_str());
    options.path = path;
  }
  CUNWU_ASSIGN(auto r, Replica::open(std::move(options)));
  CUNWU_TRY(r->set_directory(dir));
  return r;
}

// Checks what a user would notice: every op kept, nothing in conflict, and (for the shuffled
// run) the same folded states as the in-order run.
Status verify(Replica& r, std::size_t expected_ops, std::string& expected_dump) {
  CUNWU_ASSIGN(const auto count, r.log().ops().count());
  if (std::size_t(count) != expected_ops) {
    return make_error(Errc::internal,
                      "log holds " + std::to_string(count) + " ops, expected " + std::to_string(expected_ops));
  }
  CUNWU_ASSIGN(const auto conflicts, r.conflicts());
  if (!conflicts.empty()) {
    return make_error(Errc::internal, std::to_string(conflicts.size()) + " conflicts, first " + conflicts.front().type +
                                          ": " + conflicts.front().error.detail);
  }
  CUNWU_ASSIGN(const auto dump, r.canonical_dump());
  if (expected_dump.empty()) expected_dump = dump;
  if (dump != expected_dump) return make_error(Errc::internal, "folded states differ from the in-order run");
  return ok_status();
}

void fail(benchmark::State& state, const char* label, const Error& e) {
  g_failed = true;
  const std::string msg = std::string(errc_name(e.code)) + ": " + e.detail;
  std::fprintf(stderr, "ingest/%s failed: %s\n", label, msg.c_str());
  state.SkipWithError(msg.c_str());
}

void ingest(benchmark::State& state, const char* label, const std::vector<Op>* ops, std::size_t batch_size) {
  auto& d = data();
  oplog::IngestReport total;
  std::unique_ptr<Replica> replica;
  for (auto _ : state) {
    state.PauseTiming();
    auto r = fresh_replica(d.dir);
    total = {};
    state.ResumeTiming();
    if (!r) return fail(state, label, r.error());
    replica = std::move(r).value();
    for (std::size_t at = 0; at < ops->size(); at += batch_size) {
      const std::span<const Op> batch(ops->data() + at, std::min(batch_size, ops->size() - at));
      auto report = replica->receive(batch);
      if (!report) return fail(state, label, report.error());
      if (!report->invalid.empty()) return fail(state, label, report->invalid.front().second);
      total.inserted += report->inserted;
      total.applied += report->applied;
      total.refolded_entities += report->refolded_entities;
      total.conflicts += report->conflicts;
    }
  }
  if (auto s = verify(*replica, ops->size(), d.expected_dump); !s) return fail(state, label, s.error());
  const auto n = std::int64_t(ops->size());
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["ops"] = double(n);
  state.counters["batch"] = double(batch_size);
  state.counters["applied"] = double(total.applied);
  state.counters["refolds"] = double(total.refolded_entities);
  state.counters["interim_conflicts"] = double(total.conflicts);
}

// Ingests up to 10000 ops in order and shuffled into throw-away replicas, so that both targets
// are measured warm: V8 first runs WASM from its baseline compiler and optimizes hot functions
// later, which would otherwise be charged to whichever benchmark runs first.
// CUNWU_BENCH_WARMUP=0 skips it (to see a cold first sync).
Status warm_up(const DataSet& d) {
  if (const char* env = std::getenv("CUNWU_BENCH_WARMUP"); env && std::string(env) == "0") return ok_status();
  std::vector<Op> ops(d.in_order.begin(),
                      d.in_order.begin() + std::ptrdiff_t(std::min<std::size_t>(10000, d.in_order.size())));
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) shuffle(ops, kShuffleSeed + 1);
    CUNWU_ASSIGN(auto r, fresh_replica(d.dir));
    for (std::size_t at = 0; at < ops.size(); at += kBatch) {
      CUNWU_TRY(r->receive(std::span<const Op>(ops.data() + at, std::min(kBatch, ops.size() - at))));
    }
  }
  return ok_status();
}

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  auto& d = data();
  auto dir = demo_directory();
  if (!dir) {
    std::fprintf(stderr, "demo county: %s\n", dir.error().detail.c_str());
    return 1;
  }
  d.dir = std::move(dir).value();
  const std::size_t appeals = std::max<std::size_t>(1, configured_ops() / kOpsPerAppeal);
  d.in_order = make_ops(appeals);
  d.interleaved.reserve(d.in_order.size());
  for (std::size_t k = 0; k < kOpsPerAppeal; ++k) {
    for (std::size_t i = 0; i < appeals; ++i) d.interleaved.push_back(d.in_order[i * kOpsPerAppeal + k]);
  }
  d.shuffled = d.in_order;
  shuffle(d.shuffled, kShuffleSeed);
  if (auto s = warm_up(d); !s) {
    std::fprintf(stderr, "warm-up: %s: %s\n", std::string(errc_name(s.error().code)).c_str(), s.error().detail.c_str());
    return 1;
  }

  // In-order first: it records the expected states the other runs must reach.
  benchmark::RegisterBenchmark("ingest/in_order", ingest, "in_order", &d.in_order, kBatch)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("ingest/interleaved_batches", ingest, "interleaved_batches", &d.interleaved, kBatch)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("ingest/shuffled_batches", ingest, "shuffled_batches", &d.shuffled, kBatch)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  // Shuffled ops in one pull: arrival order within a pull costs only a sort.
  benchmark::RegisterBenchmark("ingest/shuffled", ingest, "shuffled", &d.shuffled,
                               d.shuffled.size())
      ->Iterations(1)
      ->UseRealTime()
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
    std::fprintf(stderr, "fold_bench: %s\n", e.what());
    return 2;
  }
}
