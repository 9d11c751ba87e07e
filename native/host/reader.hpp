#pragma once
// A connection of its own to the county database, for reads beside the host replica's writes:
// in WAL mode it reads what is committed while the replica goes on writing. It follows the
// replica's org tree, which decides who may receive what.
#include <memory>
#include <optional>
#include <string>

#include "cunwu/replica.hpp"
#include "cunwu/sync/host.hpp"

namespace cunwu::host {

class Reader {
 public:
  /// Reads the database at `path` as replica `id` (which never writes an op); it opens at the
  /// first `with_tree`. `limits` are those of the host's syncs.
  Reader(std::string path, std::string id, sync::Limits limits = {})
      : path_(std::move(path)), id_(std::move(id)), limits_(limits) {}

  /// What a caller reads with: the replica and a sync host over it, which keeps what it caches
  /// (the newest op heads) from one call to the next while the connection stays open.
  struct View {
    Replica& replica;
    sync::Host& host;
  };
  /// The view with the org tree `directory_version` (the host replica's): the connection is
  /// opened again when the tree it loaded is another. Nothing (no error) when the database holds
  /// another tree even then (cunwu-admin wrote one while the host runs): the caller reads on
  /// the host replica. It is not opened again for the same tree after that, only for the next.
  /// Not thread-safe: one caller at a time. Errors: those of Replica::open.
  Result<std::optional<View>> with_tree(const std::string& directory_version);

 private:
  std::string path_, id_;
  sync::Limits limits_;
  std::unique_ptr<Replica> replica_;
  std::unique_ptr<sync::Host> host_;  // over replica_
  std::string missing_;  // a tree the database did not hold when asked for
};

}  // namespace cunwu::host
