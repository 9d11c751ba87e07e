#include "reader.hpp"

namespace cunwu::host {

Result<std::optional<Reader::View>> Reader::with_tree(const std::string& directory_version) {
  if (directory_version == missing_) return std::optional<View>();  // asked for before, in vain
  if (!replica_ || replica_->directory_version() != directory_version) {
    host_.reset();
    replica_.reset();
    ReplicaOptions options;
    options.path = path_;
    options.id = ReplicaId(id_);
    CUNWU_ASSIGN(replica_, Replica::open(std::move(options)));
    host_ = std::make_unique<sync::Host>(*replica_, limits_);
  }
  if (replica_->directory_version() != directory_version) {
    missing_ = directory_version;
    return std::optional<View>();
  }
  return std::optional<View>(View{*replica_, *host_});
}

}  // namespace cunwu::host
