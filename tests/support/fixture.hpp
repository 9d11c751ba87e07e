#pragma once
// Test support: a settable clock and replicas seeded with the demo county (shared/demo).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "cunwu/replica.hpp"

namespace cunwu::testing {

/// A device clock the test sets and moves (shared by copies of the PhysicalClock it returns).
class FakeClock {
 public:
  explicit FakeClock(TimeMs start) : now_(std::make_shared<std::int64_t>(start.ms)) {}
  clock::PhysicalClock physical() const { auto p = now_; return [p] { return *p; }; }
  void set(TimeMs t) { *now_ = t.ms; }
  void advance(Duration d) { *now_ += d.ms; }
  TimeMs now() const { return TimeMs{*now_}; }

 private:
  std::shared_ptr<std::int64_t> now_;
};

/// The demo county's org tree (shared/demo/county.json).
const org::Directory& demo_directory();

/// The demo county's points catalogue, policies and shop (shared/demo/points.json).
oplog::Json demo_points();

/// Gives `to` every op that `from` holds, as a sync would, and expects every one of them valid.
void deliver(Replica& from, Replica& to);

/// A replica with id `id` over ":memory:" (or `path`), clock `clock`, seeded with the demo county.
std::unique_ptr<Replica> demo_replica(const std::string& id, const FakeClock& clock, const std::string& path = ":memory:");

/// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// The seeds a randomized test should run: CUNWU_SEED alone when set, else `count` seeds
/// derived from the wall clock. Prints "seed=N" for each, so a failure can be replayed.
std::vector<std::uint64_t> test_seeds(int count);

/// 2026-07-13 09:00 in China, the day the demo stories happen.
inline TimeMs demo_start() { return china_time(2026, 7, 13, 9, 0); }

}  // namespace cunwu::testing
