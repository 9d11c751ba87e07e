#include "support/fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace cunwu::testing {

const org::Directory& demo_directory() {
  static const org::Directory dir = [] {
    std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/county.json");
    std::stringstream text;
    text << in.rdbuf();
    auto d = org::directory_from_json(nlohmann::json::parse(text.str()));
    if (!d) throw std::runtime_error("demo county: " + d.error().detail);
    return std::move(d).value();
  }();
  return dir;
}

oplog::Json demo_points() {
  std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/points.json");
  std::stringstream text;
  text << in.rdbuf();
  return oplog::Json::parse(text.str());
}

void deliver(Replica& from, Replica& to) {
  auto rows = from.log().ops().ops_after(0, 1'000'000);
  ASSERT_TRUE(rows);
  std::vector<oplog::Op> ops;
  for (auto& [seq, op] : *rows) ops.push_back(op);
  auto report = to.receive(ops);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_TRUE(report->invalid.empty());
}

std::unique_ptr<Replica> demo_replica(const std::string& id, const FakeClock& clock, const std::string& path) {
  ReplicaOptions options;
  options.path = path;
  options.id = ReplicaId(id);
  options.physical = clock.physical();
  auto r = Replica::open(options);
  if (!r) throw std::runtime_error("open replica: " + r.error().detail);
  if (auto s = (*r)->set_directory(demo_directory()); !s) throw std::runtime_error(s.error().detail);
  return std::move(r).value();
}

TempDir::TempDir() {
  static int counter = 0;
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  path_ = std::filesystem::temp_directory_path() /
          ("cunwu-test-" + std::to_string(stamp) + "-" + std::to_string(++counter));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::uint64_t> test_seeds(int count) {
  std::vector<std::uint64_t> seeds;
  if (const char* env = std::getenv("CUNWU_SEED"); env && *env) {
    seeds.push_back(std::strtoull(env, nullptr, 10));
  } else {
    std::mt19937_64 gen(std::uint64_t(std::chrono::system_clock::now().time_since_epoch().count()));
    for (int i = 0; i < count; ++i) seeds.push_back(gen() % 1'000'000'000);
  }
  for (auto s : seeds) std::printf("seed=%llu\n", static_cast<unsigned long long>(s));
  std::fflush(stdout);
  return seeds;
}

}  // namespace cunwu::testing
