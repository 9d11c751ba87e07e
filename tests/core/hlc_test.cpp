// The hybrid clock: ops stamped on phones with wrong or jumping clocks still order sensibly.
#include "cunwu/clock/hlc.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>

#include "support/fixture.hpp"
#include "support/printers.hpp"

namespace cunwu {
namespace {

using clock::Hlc;
using clock::HybridClock;
using clock::kMaxForwardSkew;
using testing::FakeClock;

constexpr std::int64_t kStart = 1'783'904'400'000;  // 2026-07-13 09:00 in China

TEST(Hlc, OrdersByWallThenLogical) {
  EXPECT_LT((Hlc{1, 5}), (Hlc{2, 0}));
  EXPECT_LT((Hlc{2, 0}), (Hlc{2, 1}));
  EXPECT_EQ((Hlc{2, 1}), (Hlc{2, 1}));
}

TEST(HybridClock, TicksStrictlyIncreaseWhileTheClockStandsStill) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  Hlc prev = hlc.tick();
  EXPECT_EQ(prev, (Hlc{kStart, 0}));
  for (int i = 0; i < 1000; ++i) {
    const Hlc next = hlc.tick();
    ASSERT_GT(next, prev);
    EXPECT_EQ(next.wall, kStart);
    prev = next;
  }
  EXPECT_EQ(prev.logical, 1000u);
  EXPECT_EQ(hlc.last(), prev);
}

TEST(HybridClock, FollowsThePhysicalClockWhenItAdvances) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  (void)hlc.tick();
  (void)hlc.tick();
  device.advance(Duration{5});
  EXPECT_EQ(hlc.tick(), (Hlc{kStart + 5, 0})) << "a new millisecond resets the logical counter";
}

TEST(HybridClock, StaysMonotonicWhenThePhysicalClockJumpsBackHours) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  const Hlc before = hlc.tick();
  device.set(TimeMs{kStart} + Duration{-hours(3).ms});  // the villager fiddles with the phone's clock
  const Hlc a = hlc.tick();
  const Hlc b = hlc.tick();
  EXPECT_GT(a, before);
  EXPECT_GT(b, a);
  EXPECT_EQ(a.wall, before.wall) << "the wall time never moves back";
  EXPECT_EQ(a.logical, before.logical + 1);
  EXPECT_EQ(b.logical, before.logical + 2);
  // Once the device passes the old time again, the wall time follows it.
  device.set(TimeMs{kStart + 10});
  EXPECT_EQ(hlc.tick(), (Hlc{kStart + 10, 0}));
}

TEST(HybridClock, ObservingARemoteAheadMovesTheClockPastIt) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  (void)hlc.tick();
  const Hlc remote{kStart + minutes(10).ms, 7};
  ASSERT_TRUE(hlc.observe(remote).ok());
  EXPECT_EQ(hlc.last(), remote);
  const Hlc next = hlc.tick();
  EXPECT_GT(next, remote) << "a reply written after reading an op orders after it";
  EXPECT_EQ(next, (Hlc{remote.wall, 8}));
}

TEST(HybridClock, ObservingARemoteBehindChangesNothing) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  const Hlc mine = hlc.tick();
  ASSERT_TRUE(hlc.observe(Hlc{kStart - hours(1).ms, 3}).ok());
  EXPECT_EQ(hlc.last(), mine);
  EXPECT_EQ(hlc.tick(), (Hlc{kStart, 1}));
}

TEST(HybridClock, RefusesARemoteTooFarAheadAndKeepsItsTime) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  const Hlc mine = hlc.tick();
  const Hlc far{kStart + kMaxForwardSkew.ms + 1, 0};
  const Status s = hlc.observe(far);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::clock_skew);
  EXPECT_EQ(hlc.last(), mine) << "a phone set to next year must not drag everyone's clock along";
  const Hlc next = hlc.tick();
  EXPECT_LT(next, far);
  EXPECT_EQ(next, (Hlc{kStart, 1}));
}

TEST(HybridClock, AcceptsARemoteExactlyAtTheSkewLimit) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  const Hlc edge{kStart + kMaxForwardSkew.ms, 0};
  ASSERT_TRUE(hlc.observe(edge).ok());
  EXPECT_GT(hlc.tick(), edge);
}

TEST(HybridClock, SkewIsMeasuredAgainstTheCorrectedClock) {
  // The phone is two days behind; the host's ops look two days ahead until the offset is known.
  const TimeMs host{kStart};
  FakeClock device(host + Duration{-days(2).ms});
  HybridClock hlc(device.physical());
  const Hlc host_op{host.ms, 0};
  EXPECT_EQ(hlc.observe(host_op).code(), Errc::clock_skew);
  hlc.set_offset(days(2));
  EXPECT_TRUE(hlc.observe(host_op).ok());
  EXPECT_GT(hlc.tick(), host_op);
}

TEST(HybridClock, OffsetCorrectsADeviceThatIsHoursBehind) {
  const TimeMs host{kStart};
  FakeClock device(host + Duration{-hours(5).ms});
  HybridClock hlc(device.physical());
  EXPECT_EQ(hlc.tick().wall, host.ms - hours(5).ms);
  hlc.set_offset(hours(5));  // measured at sync: host - device
  EXPECT_EQ(hlc.offset().ms, hours(5).ms);
  EXPECT_EQ(hlc.now().ms, host.ms);
  const Hlc t = hlc.tick();
  EXPECT_EQ(t, (Hlc{host.ms, 0}));
  device.advance(minutes(1));
  EXPECT_EQ(hlc.tick().wall, host.ms + minutes(1).ms);
}

TEST(HybridClock, OffsetCorrectsADeviceThatIsHoursAhead) {
  const TimeMs host{kStart};
  FakeClock device(host + hours(4));
  HybridClock hlc(device.physical());
  hlc.set_offset(Duration{-hours(4).ms});
  EXPECT_EQ(hlc.now().ms, host.ms);
  const Hlc t = hlc.tick();
  EXPECT_LE(t.wall - host.ms, 1) << "stamped close to host time, not four hours ahead";
  EXPECT_GE(t.wall, host.ms);
}

TEST(HybridClock, RestoreAfterRestartNeverReissuesATimestamp) {
  FakeClock device(TimeMs{kStart});
  Hlc last;
  {
    HybridClock before(device.physical());
    device.advance(hours(1));
    (void)before.tick();
    last = before.tick();
  }
  // After the restart the phone's clock reads an hour earlier (battery pulled, clock reset).
  device.set(TimeMs{kStart});
  HybridClock after(device.physical());
  after.restore(last);
  EXPECT_EQ(after.last(), last);
  EXPECT_GT(after.tick(), last);

  HybridClock via_constructor(device.physical(), last);
  EXPECT_GT(via_constructor.tick(), last);
}

TEST(HybridClock, RestoreNeverMovesTheClockBack) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  const Hlc mine = hlc.tick();
  hlc.restore(Hlc{kStart - 1000, 9});
  EXPECT_EQ(hlc.last(), mine);
  EXPECT_GT(hlc.tick(), mine);
}

// Regression: a remote hlc whose logical counter is at its maximum (op_from_json accepts up
// to UINT32_MAX) made the next tick wrap to logical 0 and order *before* the observed op.
TEST(HybridClock, TickAfterMaximalLogicalStillOrdersAfterIt) {
  FakeClock device(TimeMs{kStart});
  HybridClock hlc(device.physical());
  const Hlc remote{kStart + 1000, std::numeric_limits<std::uint32_t>::max()};
  ASSERT_TRUE(hlc.observe(remote).ok());
  const Hlc a = hlc.tick();
  const Hlc b = hlc.tick();
  EXPECT_GT(a, remote);
  EXPECT_GT(b, a);
}

TEST(HybridClock, SystemClockIsNearTheRealTime) {
  const auto sys = clock::system_clock();
  const std::int64_t t = sys();
  EXPECT_GT(t, kStart - days(365 * 10).ms) << "the system clock reads milliseconds since 1970";
  EXPECT_LE(t, sys());
}

}  // namespace
}  // namespace cunwu
