#pragma once
// SQL for pulls and snapshots: what the host reads to decide what a person may have (op heads,
// without payloads), and the raw copies of ops and folded rows from the host's database into
// a new device's database.
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "cunwu/oplog/op.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// What visibility needs of an op, without its payload.
struct OpHead {
  std::int64_t seq = 0;
  EntityId entity;
  RegionId scope;
  oplog::Visibility visibility = oplog::Visibility::public_in_scope;
  ReplicaId origin;
};

/// The heads of the ops with local sequence in (`after`, `upto`], by sequence, at most `limit`.
/// Error: storage_error.
Result<std::vector<OpHead>> op_heads(Db& db, std::int64_t after, std::int64_t upto, std::size_t limit);
/// The entities `user` takes part in (host table participants), each with the host position
/// from which they take part (0: from its first op). Error: storage_error.
Result<std::map<EntityId, std::int64_t>> entities_of(Db& db, const UserId& user);
/// Copies the ops with these local sequences (ascending) from `from` to `to`, as stored, in order
/// (the copies get `to`'s next sequences). Error: storage_error.
Status copy_ops(Db& from, Db& to, std::span<const std::int64_t> seqs);
/// Copies the folded rows of these entities (entities, conflicts, rejections) from `from` to
/// `to`, as stored. Error: storage_error.
Status copy_entities(Db& from, Db& to, std::span<const EntityId> ids);

}  // namespace cunwu::store
