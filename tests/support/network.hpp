#pragma once
// An unreliable in-memory network between replicas, for convergence tests: messages are lost
// (and retried, since no ack came back), delivered twice, and arrive in random order.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cunwu/replica.hpp"

namespace cunwu::testing {

/// What the network did, for the test's summary line.
struct NetworkStats {
  int sent = 0, delivered = 0, dropped = 0, redelivered = 0;
};

/// Replicas that sync pairwise over a lossy, duplicating, reordering link. The replicas are
/// owned by the caller and must outlive the network. Failures are reported with gtest
/// EXPECT_* (a receive that errs, an op refused as invalid).
class Network {
 public:
  /// `rng` drives every random choice (seeded by the test, so a seed replays the run).
  explicit Network(std::mt19937_64& rng) : rng_(rng) {}

  /// Adds a replica; returns its index.
  std::size_t add(Replica& replica);
  /// A random sender pushes to a random receiver everything the receiver has not acknowledged
  /// (sometimes, as after a lost ack, everything from the start), shuffled; the message is in
  /// flight until a network_event() delivers or drops it.
  void send_random();
  /// One message in flight is lost, delivered, or delivered and kept in flight to arrive again.
  void network_event();
  /// Delivers what is in flight in random order, then syncs every pair until nothing is new.
  /// Reports a failure if the replicas keep exchanging new ops after five full rounds.
  void deliver_everything();
  const NetworkStats& stats() const { return stats_; }

 private:
  struct Message {
    std::size_t from = 0, to = 0;
    std::int64_t high = 0;  ///< the sender's last log sequence in `ops`
    std::vector<oplog::Op> ops;
  };
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  Message message(std::size_t from, std::size_t to, std::int64_t after);
  std::size_t deliver(const Message& m);

  std::mt19937_64& rng_;
  std::vector<Replica*> replicas_;
  std::vector<std::vector<std::int64_t>> acked_;  ///< acked_[from][to]: last seq of `from` that `to` acknowledged
  std::vector<Message> in_flight_;
  NetworkStats stats_;
};

/// Expects every replica to hold the same op count and canonical dump as the first, and a
/// fresh replica that receives the first's whole log at once in shuffled order to fold the same
/// dump. `seed` shuffles the newcomer's log.
void expect_converged(const std::vector<Replica*>& replicas, std::uint64_t seed);

}  // namespace cunwu::testing
