#pragma once
// What the example stories share: a world clock every device reads, devices seeded with the demo
// county, and an in-process "sync" between a device and the host.
#include <cstdint>
#include <memory>
#include <string>

#include "cunwu/replica.hpp"

namespace cunwu::story {

/// The world's wall clock, read by every device; the story moves it forward.
struct StoryClock {
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(0);
  clock::PhysicalClock physical() const {
    auto p = now;
    return [p] { return *p; };
  }
  void set(TimeMs t) { *now = t.ms; }
  TimeMs time() const { return TimeMs{*now}; }
};

/// Adds the story step to an error, so the failure says where the story broke.
template <class T>
Result<T> at_step(const char* step, Result<T> r) {
  if (r) return r;
  Error e = r.error();
  e.detail = std::string(step) + ": " + e.detail;
  return e;
}

/// The demo county (shared/demo/county.json). Errors: not_found, invalid_json.
Result<org::Directory> load_county();

/// A JSON file of shared/ (e.g. "demo/points.json"). Errors: not_found, invalid_json.
Result<nlohmann::json> load_shared_json(const std::string& relative_path);

/// A device (or the host) with its own in-memory replica, reading `clock`.
Result<std::unique_ptr<Replica>> open_device(const std::string& id, const StoryClock& clock,
                                             const org::Directory& dir);

/// An in-process sync between a device and the host: each side sends the ops it has not sent
/// yet (remembered by log sequence, like the real protocol's cursor) and receives the other's.
class Link {
 public:
  Link(Replica& device, Replica& host) : device_(device), host_(host) {}
  /// Exchanges ops both ways until neither side has anything unsent. Returns the ops sent.
  Result<std::size_t> sync();

 private:
  Replica& device_;
  Replica& host_;
  std::int64_t device_seq_ = 0;
  std::int64_t host_seq_ = 0;
};

/// Prints a line of the story with the clock's time in China.
void say(const StoryClock& clock, const std::string& line);

}  // namespace cunwu::story
