// Snapshots kept for reuse: a new device of someone whose snapshot the host built a moment ago
// gets that one, gzipped as it was sent, and catches up by incremental syncs from its cursor.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cunwu/base/ids.hpp"

namespace cunwu::host {

/// One built snapshot (sync::Host::snapshot), as it was sent.
struct PreparedSnapshot {
  std::string gz;                ///< the SQLite image, gzipped (empty: sent uncompressed, not kept)
  std::size_t raw_bytes = 0;     ///< the image's size before gzip
  std::string digest;            ///< the image's checksum (sync::Snapshot::digest)
  std::int64_t cursor = 0;       ///< the host's newest op when it was built (the device's pull cursor)
  std::size_t ops = 0, copied = 0, folded = 0;  ///< see sync::Snapshot
  std::string directory_version;  ///< the org tree it was built with (and holds)
};

/// The snapshots built for each user, at most one per user, the least recently used dropped past
/// a total size. Thread-safe. Correct by construction as long as entries are found only for
/// the user they were built for: a snapshot at cursor C followed by incremental syncs from C is
/// what a device that synced at C gets from then on (joins after C included: Host::pull sends
/// their earlier ops); it is not used when the org tree changed since (another tree, other rules),
/// nor when the log has grown by more than `max_lag` ops since (the catch-up stays short).
class SnapshotCache {
 public:
  /// A cache of at most `max_bytes` of gzipped images, serving snapshots at most `max_lag` ops
  /// behind the log.
  SnapshotCache(std::size_t max_bytes, std::int64_t max_lag) : max_bytes_(max_bytes), max_lag_(max_lag) {}

  /// `user`'s snapshot if there is one built with `directory_version` at most `max_lag` ops
  /// behind `newest` (the host's newest op); nullptr otherwise.
  std::shared_ptr<const PreparedSnapshot> find(const UserId& user, const std::string& directory_version,
                                               std::int64_t newest);
  /// Keeps `snap` as `user`'s (replacing an older one unless that is newer), within the size
  /// limit; a snapshot larger than the whole limit is not kept.
  void put(const UserId& user, std::shared_ptr<const PreparedSnapshot> snap);
  /// Bytes of gzipped images kept.
  std::size_t bytes() const;

 private:
  struct Slot {
    std::shared_ptr<const PreparedSnapshot> snap;
    std::list<std::string>::iterator lru;  // position in lru_
  };
  void drop_locked(std::string user);

  const std::size_t max_bytes_;
  const std::int64_t max_lag_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Slot> slots_;  // by user id
  std::list<std::string> lru_;                   // user ids, most recently used first
  std::size_t bytes_ = 0;
};

}  // namespace cunwu::host
