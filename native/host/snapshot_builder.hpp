#pragma once
// New devices' snapshots built on a connection of their own, beside the sync batches: the
// replica's lock is not held while one is built (about 0.1 s at 10k ops, 1 s at 100k).
#include <mutex>
#include <optional>
#include <string>

#include "reader.hpp"

namespace cunwu::host {

class SnapshotBuilder {
 public:
  /// Reads the county database at `path`; its connection opens at the first build.
  explicit SnapshotBuilder(std::string path) : reader_(std::move(path), "host-snapshots") {}

  /// `user`'s snapshot (sync::Host::snapshot; `req` already checked), read in one read
  /// transaction of this builder's connection: in WAL mode the replica's writes go on meanwhile.
  /// One build at a time. `directory_version`: the org tree of the caller's replica, which the
  /// snapshot must be cut with (Reader::with_tree). Nothing (no error) when the database holds
  /// another tree than that: the caller builds on its replica. Errors: those of
  /// sync::Host::snapshot and Replica::open.
  Result<std::optional<sync::Snapshot>> build(const UserId& user, const sync::SyncRequest& req,
                                              const std::string& directory_version);

 private:
  std::mutex mu_;  // guards reader_; held for a whole build
  Reader reader_;
};

}  // namespace cunwu::host
