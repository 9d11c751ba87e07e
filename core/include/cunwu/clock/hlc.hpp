#pragma once
// Hybrid logical clock: orders ops across devices whose wall clocks are wrong.
#include <compare>
#include <cstdint>
#include <functional>

#include "cunwu/base/result.hpp"
#include "cunwu/base/time.hpp"

namespace cunwu::clock {

/// A hybrid timestamp: wall milliseconds (corrected) and a logical counter for ties.
struct Hlc {
  std::int64_t wall = 0;
  std::uint32_t logical = 0;
  friend auto operator<=>(const Hlc&, const Hlc&) = default;
};

/// Reads the device's physical clock in ms since the epoch (may be wrong, may jump).
using PhysicalClock = std::function<std::int64_t()>;

/// The real system clock.
PhysicalClock system_clock();

/// How far ahead of our corrected clock a remote timestamp may be before it is refused for
/// advancing our clock (the op itself is still kept): one day.
inline constexpr Duration kMaxForwardSkew = days(1);

/// A hybrid logical clock. Monotonic even when the physical clock jumps back; corrected by the
/// offset to the host measured at each sync, so a phone that is hours wrong still stamps ops
/// close to host time once it has synced.
class HybridClock {
 public:
  /// `physical` is the device clock; `last` restores the clock's state after a restart.
  explicit HybridClock(PhysicalClock physical, Hlc last = {});

  /// A fresh timestamp for a local event, strictly greater than every earlier one.
  Hlc tick();
  /// Merges a remote timestamp so later ticks order after it. Error clock_skew (and no
  /// change) when `remote` is more than kMaxForwardSkew ahead of our corrected clock.
  Status observe(Hlc remote);
  /// Sets the measured offset host - device in ms (added to the physical clock).
  void set_offset(Duration offset) { offset_ = offset; }
  Duration offset() const { return offset_; }
  /// Corrected physical time: device clock plus the measured offset.
  TimeMs now() const { return TimeMs{physical_() + offset_.ms}; }
  /// Restores the clock after a restart so it never issues a timestamp <= `last`.
  void restore(Hlc last) { if (last > last_) last_ = last; }
  /// The last timestamp issued or observed.
  Hlc last() const { return last_; }

 private:
  PhysicalClock physical_;
  Duration offset_{};
  Hlc last_;
};

}  // namespace cunwu::clock
