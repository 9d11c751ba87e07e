#pragma once
// The device side of a sync round trip: what to push (own ops the host has not acknowledged),
// where to pull from, and applying the answer. The transport (fetch, HTTP) is the caller's.
#include <vector>

#include "cunwu/replica.hpp"
#include "cunwu/sync/protocol.hpp"

namespace cunwu::sync {

/// The meta key of a device's pull cursor (the host position pulled up to).
inline constexpr const char* kCursorMetaKey = "sync.cursor";

/// What applying one response did.
struct ApplyReport {
  std::size_t accepted = 0, duplicates = 0;
  std::vector<Ack> rejected;      ///< pushed ops the host refused, with the reasons to show
  std::size_t pulled = 0;         ///< ops received that were new here
  bool more = false;              ///< the host has more: sync again right away
  Duration clock_offset{};        ///< the measured host - device clock offset now in use
};

/// Sync bookkeeping of one replica, kept in its database so that a restart resumes where it was.
class Client {
 public:
  explicit Client(Replica& replica, Limits limits = {});

  /// The first request of device `replica`, which holds nothing yet, at device time `now`: sent
  /// to POST /v1/snapshot, it asks for the host's snapshot of the user's scope (open it with
  /// Replica::open_snapshot), which is much faster than pulling every op from cursor 0.
  static SyncRequest snapshot_request(const ReplicaId& replica, TimeMs now);

  /// The next request at device time `now`: the replica's own ops after the last acknowledged
  /// one (at most the push limit; the rest go in the next round trip), and the pull cursor.
  /// Error storage_error.
  Result<SyncRequest> request(TimeMs now);
  /// Applies the host's answer to `sent`, received at device time `now`: ingests the pulled
  /// ops, marks the acknowledged ops, advances the cursor (never backwards, so a late duplicate
  /// answer is harmless) and sets the clock offset from the round trip. All in one transaction.
  /// Errors: invalid_input (an answer to another device's request), storage_error.
  Result<ApplyReport> apply(const SyncRequest& sent, const SyncResponse& resp, TimeMs now);
  /// How many own ops wait to be pushed. Error storage_error.
  Result<std::int64_t> pending();

 private:
  Replica& r_;
  Limits limits_;
};

}  // namespace cunwu::sync
