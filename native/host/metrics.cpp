#include "metrics.hpp"

#include <cstdio>

namespace cunwu::host {
namespace {

constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

}  // namespace

void Metrics::request(const std::string& route, int status) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
}

void Metrics::sync(double seconds, std::size_t accepted, std::size_t rejected) {
  accepted_ += accepted;
  rejected_ += rejected;
  std::lock_guard lock(mu_);
  sync_seconds_sum_ += seconds;
  ++sync_count_;
  for (double b : kBuckets) {
    if (seconds <= b) ++sync_buckets_[b];
  }
}

std::string Metrics::text() const {
  std::string out;
  char line[256];
  std::lock_guard lock(mu_);
  out += "# HELP cunwu_http_requests_total HTTP requests by route and status.\n# TYPE cunwu_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    std::snprintf(line, sizeof line, "cunwu_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", key.first.c_str(),
                  key.second, static_cast<unsigned long long>(n));
    out += line;
  }
  out += "# HELP cunwu_sync_seconds Duration of sync round trips on the host.\n# TYPE cunwu_sync_seconds histogram\n";
  for (double b : kBuckets) {
    const auto it = sync_buckets_.find(b);
    std::snprintf(line, sizeof line, "cunwu_sync_seconds_bucket{le=\"%g\"} %llu\n", b,
                  static_cast<unsigned long long>(it == sync_buckets_.end() ? 0 : it->second));
    out += line;
  }
  std::snprintf(line, sizeof line, "cunwu_sync_seconds_bucket{le=\"+Inf\"} %llu\ncunwu_sync_seconds_sum %f\ncunwu_sync_seconds_count %llu\n",
                static_cast<unsigned long long>(sync_count_), sync_seconds_sum_, static_cast<unsigned long long>(sync_count_));
  out += line;
  auto counter = [&out](const char* name, const char* help, std::uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
           std::to_string(v) + "\n";
  };
  counter("cunwu_ops_accepted_total", "Pushed ops the host accepted.", accepted_.load());
  counter("cunwu_ops_rejected_total", "Pushed ops the host refused.", rejected_.load());
  counter("cunwu_escalations_total", "Appeals escalated on a breached deadline.", escalations_.load());
  counter("cunwu_sync_batches_total", "Batches of sync requests the writer committed, one commit each.", batches_.load());
  counter("cunwu_sync_batch_requests_total", "Sync requests those batches held.", batched_requests_.load());
  std::snprintf(line, sizeof line, "%.6f", double(batch_micros_.load()) / 1e6);
  out += std::string("# HELP cunwu_sync_batch_seconds_total Time the writer spent on batches; near 1 s a second, it is "
                     "saturated.\n# TYPE cunwu_sync_batch_seconds_total counter\ncunwu_sync_batch_seconds_total ") +
         line + "\n";
  return out;
}

}  // namespace cunwu::host
