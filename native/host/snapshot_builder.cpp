#include "snapshot_builder.hpp"

namespace cunwu::host {

Result<std::optional<sync::Snapshot>> SnapshotBuilder::build(const UserId& user, const sync::SyncRequest& req,
                                                             const std::string& directory_version) {
  std::lock_guard lock(mu_);
  if (!reader_ || reader_->directory_version() != directory_version) {
    reader_.reset();
    ReplicaOptions options;
    options.path = path_;
    options.id = ReplicaId("host-snapshots");  // reads only: it never writes an op
    CUNWU_ASSIGN(reader_, Replica::open(std::move(options)));
    if (reader_->directory_version() != directory_version) return std::optional<sync::Snapshot>();
  }
  CUNWU_ASSIGN(auto snap, sync::Host(*reader_).snapshot(user, req));
  return std::optional<sync::Snapshot>(std::move(snap));
}

}  // namespace cunwu::host
