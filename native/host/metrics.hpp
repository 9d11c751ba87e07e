#pragma once
// Counters of the host in the Prometheus text format (GET /metrics).
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace cunwu::host {

/// Thread-safe counters; `text()` renders them for Prometheus.
class Metrics {
 public:
  /// Counts a finished HTTP request.
  void request(const std::string& route, int status);
  /// Adds one sync round trip's duration and the fate of its pushed ops.
  void sync(double seconds, std::size_t accepted, std::size_t rejected);
  /// Adds one batch of the sync writer (one commit): how many requests it took and how long
  /// the writer spent on it, from taking the replica's lock to the commit's fsync. The writer is
  /// one thread: when its seconds grow about as fast as the clock, it is saturated and syncs
  /// queue behind it.
  void batch(std::size_t requests, double seconds) {
    batches_ += 1;
    batched_requests_ += requests;
    batch_micros_ += std::uint64_t(seconds * 1e6);
  }
  void escalations(std::size_t n) { escalations_ += n; }
  std::string text() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  double sync_seconds_sum_ = 0;
  std::uint64_t sync_count_ = 0;
  std::map<double, std::uint64_t> sync_buckets_;  // upper bound (s) -> count of syncs at most that long
  std::atomic<std::uint64_t> accepted_{0}, rejected_{0}, escalations_{0};
  std::atomic<std::uint64_t> batches_{0}, batched_requests_{0}, batch_micros_{0};
};

}  // namespace cunwu::host
