#include "cunwu/clock/hlc.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>

namespace cunwu::clock {

PhysicalClock system_clock() {
  return [] {
    return std::int64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
  };
}

HybridClock::HybridClock(PhysicalClock physical, Hlc last) : physical_(std::move(physical)), last_(last) {}

Hlc HybridClock::tick() {
  const std::int64_t pt = now().ms;
  if (pt > last_.wall) {
    last_ = Hlc{pt, 0};
  } else if (last_.logical < std::numeric_limits<std::uint32_t>::max()) {
    // The physical clock stood still or jumped back: keep the wall, count logically.
    ++last_.logical;
  } else {
    // The logical counter is full (a remote sent the maximum): wrapping would order this
    // tick before the op it follows, so move the wall on by one millisecond instead.
    last_ = Hlc{last_.wall + 1, 0};
  }
  return last_;
}

Status HybridClock::observe(Hlc remote) {
  const std::int64_t pt = now().ms;
  if (remote.wall > pt + kMaxForwardSkew.ms) {
    return make_error(Errc::clock_skew, "remote clock " + std::to_string(remote.wall - pt) + " ms ahead");
  }
  if (remote > last_) last_ = remote;
  return ok_status();
}

}  // namespace cunwu::clock
