#pragma once
// Devices and a host in one process, syncing through the JSON messages (no HTTP).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

#include "cunwu/sync/client.hpp"
#include "cunwu/sync/host.hpp"
#include "support/fixture.hpp"

namespace cunwu::testing {

/// A demo data file of the project (shared/demo/NAME) as JSON.
inline oplog::Json shared_demo_json(const std::string& name) {
  std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/" + name);
  return oplog::Json::parse(in);
}

/// A device: a replica with its own clock and its sync client.
struct Device {
  Device(const std::string& id, const UserId& who, TimeMs start, sync::Limits limits = {})
      : user(who), clock(start), replica(demo_replica(id, clock)), client(*replica, limits) {}
  /// A device whose replica `open` makes (e.g. from a snapshot) with the device's clock.
  Device(const UserId& who, TimeMs start, const std::function<std::unique_ptr<Replica>(FakeClock&)>& open)
      : user(who), clock(start), replica(open(clock)), client(*replica) {}
  UserId user;
  FakeClock clock;
  std::unique_ptr<Replica> replica;
  sync::Client client;
};

/// The county host.
struct TestHost {
  explicit TestHost(TimeMs start, sync::Limits limits = {})
      : clock(start), replica(demo_replica("host-qs", clock)), host(*replica, limits) {}
  FakeClock clock;
  std::unique_ptr<Replica> replica;
  sync::Host host;
};

/// One round trip of `d` with the host, through the wire format both ways. Fails the test on a
/// transport-level error; returns what applying the answer did.
inline sync::ApplyReport round_trip(Device& d, TestHost& h) {
  auto req = d.client.request(d.clock.now());
  EXPECT_TRUE(req) << req.error().detail;
  if (!req) return {};
  auto wire_req = sync::parse_request(sync::to_json(*req).dump());
  EXPECT_TRUE(wire_req) << wire_req.error().detail;
  if (!wire_req) return {};
  auto resp = h.host.sync(d.user, *wire_req, h.clock.now());
  EXPECT_TRUE(resp) << resp.error().detail;
  if (!resp) return {};
  auto wire_resp = sync::response_from_json(oplog::Json::parse(sync::to_json(*resp).dump()));
  EXPECT_TRUE(wire_resp) << wire_resp.error().detail;
  if (!wire_resp) return {};
  auto report = d.client.apply(*req, *wire_resp, d.clock.now());
  EXPECT_TRUE(report) << report.error().detail;
  return report ? *report : sync::ApplyReport{};
}

/// Syncs until the host says there is nothing more; returns the number of round trips.
inline int sync_all(Device& d, TestHost& h) {
  int trips = 0;
  for (;;) {
    ++trips;
    const auto report = round_trip(d, h);
    auto pending = d.client.pending();
    if (!report.more && pending && *pending == 0) return trips;
    if (trips > 10'000 || ::testing::Test::HasFailure()) return trips;
  }
}

}  // namespace cunwu::testing
