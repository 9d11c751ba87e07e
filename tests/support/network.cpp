#include "support/network.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/fixture.hpp"

namespace cunwu::testing {

std::size_t Network::add(Replica& replica) {
  replicas_.push_back(&replica);
  for (auto& row : acked_) row.push_back(0);
  acked_.emplace_back(replicas_.size(), 0);
  return replicas_.size() - 1;
}

Network::Message Network::message(std::size_t from, std::size_t to, std::int64_t after) {
  Message m{from, to, after, {}};
  auto rows = replicas_[from]->log().ops().ops_after(after, 1'000'000);
  EXPECT_TRUE(rows);
  if (!rows) return m;
  for (auto& [seq, op] : *rows) {
    m.high = seq;
    m.ops.push_back(std::move(op));
  }
  std::shuffle(m.ops.begin(), m.ops.end(), rng_);
  return m;
}

void Network::send_random() {
  if (replicas_.size() < 2) return;
  const auto a = std::size_t(pick(0, int(replicas_.size()) - 1));
  auto b = std::size_t(pick(0, int(replicas_.size()) - 2));
  if (b >= a) ++b;
  // 5%: the sender lost the acks and pushes everything again.
  Message m = message(a, b, pick(0, 99) < 5 ? 0 : acked_[a][b]);
  if (m.ops.empty()) return;
  ++stats_.sent;
  in_flight_.push_back(std::move(m));
}

void Network::network_event() {
  if (in_flight_.empty()) return;
  const auto i = std::size_t(pick(0, int(in_flight_.size()) - 1));
  const int roll = pick(0, 99);
  if (roll < 15) {
    ++stats_.dropped;  // no ack: the sender will push these ops again
  } else {
    deliver(in_flight_[i]);
    if (roll < 30) {
      ++stats_.redelivered;
      return;  // stays in flight: a retry whose first attempt got through arrives again
    }
  }
  in_flight_.erase(in_flight_.begin() + std::ptrdiff_t(i));
}

std::size_t Network::deliver(const Message& m) {
  auto report = replicas_[m.to]->receive(m.ops);
  EXPECT_TRUE(report) << report.error().detail;
  if (!report) return 0;
  EXPECT_TRUE(report->invalid.empty()) << replicas_[m.to]->id().str() << " refused "
                                       << report->invalid.size() << " ops, first: "
                                       << (report->invalid.empty() ? "" : report->invalid[0].second.detail);
  ++stats_.delivered;
  acked_[m.from][m.to] = std::max(acked_[m.from][m.to], m.high);
  return report->inserted;
}

void Network::deliver_everything() {
  std::shuffle(in_flight_.begin(), in_flight_.end(), rng_);
  for (auto& m : in_flight_) deliver(m);
  in_flight_.clear();
  for (int round = 0; round < 5; ++round) {
    bool changed = false;
    for (std::size_t a = 0; a < replicas_.size(); ++a) {
      for (std::size_t b = 0; b < replicas_.size(); ++b) {
        if (a == b) continue;
        Message m = message(a, b, acked_[a][b]);
        if (m.ops.empty()) continue;
        changed = deliver(m) > 0 || changed;
      }
    }
    if (!changed) return;
  }
  ADD_FAILURE() << "replicas still exchanging new ops after 5 full rounds";
}

void expect_converged(const std::vector<Replica*>& replicas, std::uint64_t seed) {
  ASSERT_FALSE(replicas.empty());
  auto count = replicas[0]->log().ops().count();
  auto dump = replicas[0]->canonical_dump();
  ASSERT_TRUE(count && dump);
  for (std::size_t i = 1; i < replicas.size(); ++i) {
    SCOPED_TRACE(replicas[i]->id().str());
    EXPECT_EQ(*replicas[i]->log().ops().count(), *count);
    EXPECT_EQ(*replicas[i]->canonical_dump(), *dump);
  }
  // A newcomer that gets the whole log at once, in random order, folds the same state.
  FakeClock late_clock(replicas[0]->clock().now() + days(60));
  auto newcomer = demo_replica("newcomer", late_clock);
  auto rows = replicas[0]->log().ops().ops_after(0, 1'000'000);
  ASSERT_TRUE(rows);
  std::vector<oplog::Op> all;
  for (auto& [seq, op] : *rows) all.push_back(std::move(op));
  std::shuffle(all.begin(), all.end(), std::mt19937_64(seed));
  ASSERT_TRUE(newcomer->receive(all));
  EXPECT_EQ(*newcomer->canonical_dump(), *dump);
}

}  // namespace cunwu::testing
