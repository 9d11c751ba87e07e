#include "cunwu/sync/client.hpp"

#include <algorithm>

#include "cunwu/store/sync_store.hpp"
#include "store/migrations.hpp"

namespace cunwu::sync {
namespace {

constexpr const char* kAckedKey = "sync.acked_counter";  // own ops up to this counter are acknowledged
constexpr const char* kOffsetKey = "sync.clock_offset";   // host - device, ms

}  // namespace

Client::Client(Replica& replica, Limits limits) : r_(replica), limits_(limits) {
  // The last measured offset holds until the next sync, also across restarts.
  if (auto offset = store::get_meta_int(r_.db(), kOffsetKey, 0)) r_.clock().set_offset(Duration{*offset});
}

SyncRequest Client::snapshot_request(const ReplicaId& replica, TimeMs now) {
  SyncRequest req;
  req.schema = store::latest_schema_version();
  req.replica = replica;
  req.sent_at = now.ms;
  return req;
}

Result<SyncRequest> Client::request(TimeMs now) {
  SyncRequest req;
  req.schema = store::latest_schema_version();
  req.replica = r_.id();
  CUNWU_ASSIGN(const auto acked, store::get_meta_int(r_.db(), kAckedKey, 0));
  CUNWU_ASSIGN(req.cursor, store::get_meta_int(r_.db(), kCursorMetaKey, 0));
  CUNWU_ASSIGN(req.push, r_.log().ops().ops_of_origin(r_.id(), std::uint64_t(acked), limits_.max_push_ops));
  req.pull_limit = limits_.max_pull_ops;
  req.sent_at = now.ms;
  return req;
}

Result<ApplyReport> Client::apply(const SyncRequest& sent, const SyncResponse& resp, TimeMs now) {
  if (sent.replica != r_.id()) return make_error(Errc::invalid_input, "an answer for another device");
  ApplyReport report;
  report.more = resp.more;
  store::Transaction tx(r_.db());
  CUNWU_TRY(tx.status());
  auto applied = [&]() -> Status {
    CUNWU_ASSIGN(const auto ingest, r_.receive(resp.ops));
    report.pulled = ingest.inserted;
    CUNWU_ASSIGN(std::int64_t acked, store::get_meta_int(r_.db(), kAckedKey, 0));
    for (const auto& ack : resp.acks) {
      if (ack.op.origin != r_.id()) continue;
      acked = std::max(acked, std::int64_t(ack.op.counter));
      if (ack.status == AckStatus::accepted) ++report.accepted;
      if (ack.status == AckStatus::duplicate) ++report.duplicates;
      if (ack.status == AckStatus::rejected) report.rejected.push_back(ack);
    }
    CUNWU_TRY(store::put_meta_int(r_.db(), kAckedKey, acked));
    CUNWU_ASSIGN(const auto cursor, store::get_meta_int(r_.db(), kCursorMetaKey, 0));
    CUNWU_TRY(store::put_meta_int(r_.db(), kCursorMetaKey, std::max(cursor, resp.cursor)));
    // The host answered somewhere between sending and receiving: assume the middle.
    if (resp.echo_sent_at == sent.sent_at && now.ms >= sent.sent_at) {
      const std::int64_t offset = resp.host_time - (sent.sent_at + now.ms) / 2;
      CUNWU_TRY(store::put_meta_int(r_.db(), kOffsetKey, offset));
      r_.clock().set_offset(Duration{offset});
    }
    return ok_status();
  }();
  if (applied) applied = tx.commit();
  if (!applied) {
    r_.log().forget_cache();
    return applied.error();
  }
  report.clock_offset = r_.clock().offset();
  return report;
}

Result<std::int64_t> Client::pending() {
  CUNWU_ASSIGN(const auto acked, store::get_meta_int(r_.db(), kAckedKey, 0));
  CUNWU_ASSIGN(const auto mine, r_.log().ops().max_counter(r_.id()));
  return std::int64_t(mine) - acked;
}

}  // namespace cunwu::sync
