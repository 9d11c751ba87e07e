#include "snapshot_builder.hpp"

namespace cunwu::host {

Result<std::optional<sync::Snapshot>> SnapshotBuilder::build(const UserId& user, const sync::SyncRequest& req,
                                                             const std::string& directory_version) {
  std::lock_guard lock(mu_);
  CUNWU_ASSIGN(const auto view, reader_.with_tree(directory_version));
  if (!view) return std::optional<sync::Snapshot>();
  CUNWU_ASSIGN(auto snap, view->host.snapshot(user, req));
  return std::optional<sync::Snapshot>(std::move(snap));
}

}  // namespace cunwu::host
