// Policy search speed: CUNWU_BENCH_POLICIES published policies (default 10000) with realistic,
// deterministically generated Chinese texts (~400 characters each), drafted and published as ops
// through the disclosure service once; then the time of one ranked search with snippets (top 20):
//   disclosure/search_1char   "路"       (unigram index, a character found in many policies)
//   disclosure/search_2char   "低保"     (unigram index, phrase of two characters)
//   disclosure/search_4char   "医疗保险" (trigram index)
// Each checks that it found something; the exit code is non-zero otherwise. Target: < 10 ms
// per query in WASM.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cunwu/disclosure/service.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::bench {
namespace {

using disclosure::Json;

bool g_failed = false;

std::size_t configured_policies() {
  const char* env = std::getenv("CUNWU_BENCH_POLICIES");
  const long long n = env && *env ? std::atoll(env) : 10000;
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

// mt19937_64's output is fixed by the standard (its distributions are not): pick with modulo.
struct Gen {
  std::mt19937_64 rng{20260713};
  template <class T>
  const T& of(const std::vector<T>& v) { return v[rng() % v.size()]; }
  int number(int lo, int hi) { return lo + int(rng() % std::uint64_t(hi - lo + 1)); }
};

const std::vector<std::string> kAreas{"农村", "城乡", "山区", "库区", "革命老区", "民族乡镇", "易地搬迁安置区"};
const std::vector<std::string> kTopics{"最低生活保障", "医疗保险", "危房改造", "道路建设", "义务教育", "茶产业发展",
                                       "劳动力转移就业", "养老保险", "饮水安全", "高标准农田", "人居环境整治",
                                       "残疾人补贴", "宅基地管理", "集体经济发展", "防止返贫监测", "电商进农村"};
const std::vector<std::string> kKinds{"实施办法", "补助标准", "管理细则", "工作方案", "指导意见", "通知"};
const std::vector<std::string> kCategories{"education", "medical", "housing", "social_security", "industry", "employment",
                                           "agriculture", "other"};
const std::vector<std::string> kSentences{
    "符合条件的农村居民可向户籍所在地乡镇人民政府提出申请。", "村民委员会负责入户调查并组织民主评议。",
    "评议结果在村务公开栏和村务平台公示七天。", "补助资金通过一卡通直接发放到户。",
    "低保对象和特困人员由财政全额资助参保。", "住院费用政策范围内报销比例为百分之七十。",
    "新建硬化道路每公里补助三十万元。", "村道日常养护实行路长制。", "学校食堂须公开食谱和账目。",
    "支持专业合作社建设初制加工厂。", "吸纳脱贫劳动力就业的帮扶车间给予运营补贴。",
    "年满六十周岁累计缴费满十五年的可按月领取养老金。", "农村集中供水工程实行县级统管。",
    "严禁在永久基本农田范围内挖塘养鱼。", "收益分配方案须经成员大会讨论通过。",
    "经核实纳入监测的农户落实针对性帮扶措施。", "县财政按年度安排专项资金予以保障。",
    "对弄虚作假骗取补助资金的依法追回并严肃处理。", "本办法由县有关部门负责解释。",
    "各乡镇要加强政策宣传，确保群众应知尽知。"};

Json policy_fields(Gen& g, std::size_t i) {
  const std::string topic = g.of(kTopics);
  std::string body = "第一条 为做好" + g.of(kAreas) + topic + "工作，结合本县实际，制定本办法。";
  const int n = g.number(12, 18);
  for (int k = 0; k < n; ++k) {
    body += "第" + std::to_string(k + 2) + "条 " + g.of(kSentences);
    if (g.number(0, 3) == 0) body += "标准为每人每年" + std::to_string(g.number(2, 90) * 100) + "元。";
  }
  return {{"title", "青山县" + g.of(kAreas) + topic + g.of(kKinds) + "（第" + std::to_string(i + 1) + "号）"},
          {"body", body},
          {"category", g.of(kCategories)},
          {"issuer", "青山县人民政府"},
          {"effective_from", "2026-0" + std::to_string(g.number(1, 9)) + "-01"}};
}

std::unique_ptr<Replica>& index_replica() {
  static std::unique_ptr<Replica> r;
  return r;
}

// Builds the index once: every policy drafted and published by county staff, as ops.
Status build_index(std::size_t policies) {
  CUNWU_ASSIGN(auto dir, demo_directory());
  auto now = std::make_shared<std::int64_t>(china_time(2026, 7, 1).ms);
  ReplicaOptions options;
  options.id = ReplicaId("host-qs");
  options.physical = [now] { return *now += 10; };
  CUNWU_ASSIGN(auto r, Replica::open(std::move(options)));
  CUNWU_TRY(r->set_directory(std::move(dir)));
  disclosure::Service svc(*r);
  const UserId staff("staff-qs");
  Gen g;
  for (std::size_t i = 0; i < policies; ++i) {
    CUNWU_ASSIGN(const EntityId id, svc.draft(staff, RegionId("qs"), disclosure::PostType::policy, policy_fields(g, i)));
    CUNWU_TRY(svc.publish(staff, id));
  }
  index_replica() = std::move(r);
  return ok_status();
}

void search(benchmark::State& state, const char* query) {
  disclosure::Service svc(*index_replica());
  disclosure::SearchQuery q{query};
  std::size_t hits = 0;
  for (auto _ : state) {
    auto r = svc.search(q);
    if (!r) {
      state.SkipWithError(r.error().detail.c_str());
      g_failed = true;
      return;
    }
    hits = r->size();
    benchmark::DoNotOptimize(hits);
  }
  state.counters["hits"] = double(hits);
  if (hits == 0) {
    std::fprintf(stderr, "search %s found nothing\n", query);
    g_failed = true;
  }
}

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::size_t n = configured_policies();
  const auto t0 = std::chrono::steady_clock::now();
  if (auto s = build_index(n); !s) {
    std::fprintf(stderr, "build index: %s: %s\n", std::string(errc_name(s.error().code)).c_str(), s.error().detail.c_str());
    return 1;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::printf("indexed %zu policies (%zu ops) in %lld ms\n", n, 2 * n, static_cast<long long>(ms));
  for (const auto& [name, query] : {std::pair{"disclosure/search_1char", "路"}, std::pair{"disclosure/search_2char", "低保"},
                                    std::pair{"disclosure/search_4char", "医疗保险"}}) {
    benchmark::RegisterBenchmark(name, search, query)->Unit(benchmark::kMillisecond)->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  index_replica().reset();
  return g_failed ? 1 : 0;
}

}  // namespace
}  // namespace cunwu::bench

int main(int argc, char** argv) {
  try {
    return cunwu::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "disclosure_bench: %s\n", e.what());
    return 2;
  }
}
