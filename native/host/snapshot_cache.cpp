#include "snapshot_cache.hpp"

namespace cunwu::host {

std::shared_ptr<const PreparedSnapshot> SnapshotCache::find(const UserId& user, const std::string& directory_version,
                                                            std::int64_t newest) {
  std::lock_guard lock(mu_);
  const auto it = slots_.find(user.str());
  if (it == slots_.end()) return nullptr;
  const auto& snap = *it->second.snap;
  if (snap.directory_version != directory_version || newest < snap.cursor || newest - snap.cursor > max_lag_) {
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.snap;
}

void SnapshotCache::put(const UserId& user, std::shared_ptr<const PreparedSnapshot> snap) {
  std::lock_guard lock(mu_);
  if (const auto it = slots_.find(user.str()); it != slots_.end()) {
    // Two builds for one user may finish out of order: the newer cut stays.
    if (it->second.snap->cursor > snap->cursor && it->second.snap->directory_version == snap->directory_version) return;
    drop_locked(user.str());
  }
  if (snap->gz.size() > max_bytes_) return;
  while (bytes_ + snap->gz.size() > max_bytes_ && !lru_.empty()) drop_locked(lru_.back());
  bytes_ += snap->gz.size();
  lru_.push_front(user.str());
  slots_.emplace(user.str(), Slot{std::move(snap), lru_.begin()});
}

std::size_t SnapshotCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

void SnapshotCache::drop_locked(std::string user) {
  const auto it = slots_.find(user);
  if (it == slots_.end()) return;
  bytes_ -= it->second.snap->gz.size();
  lru_.erase(it->second.lru);
  slots_.erase(it);
}

}  // namespace cunwu::host
