#pragma once
// SQL for the op log, folded entities, conflicts and rejections.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/oplog/op.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// A folded entity as stored: its state JSON and the key of the last op folded into it.
struct EntityRow {
  EntityId id;
  std::string kind;
  RegionId scope;
  std::string state;  ///< JSON text
  oplog::OrderKey last;
};

/// A conflict as stored: an op that was kept but not applied, and why.
struct ConflictRow {
  oplog::OpId op;
  EntityId entity;
  UserId actor;
  std::string type;
  Error error;
  std::int64_t wall = 0;
};

/// Typed access to the op tables of one Db. Methods map SQLite failures to storage_error.
class OpStore {
 public:
  explicit OpStore(Db& db) : db_(db) {}

  /// Appends an op unless one with the same id exists. Returns true when it was new.
  Result<bool> insert(const oplog::Op& op);
  /// The op with `id`, if present.
  Result<std::optional<oplog::Op>> find(const oplog::OpId& id);
  /// Every op of an entity in fold order.
  Result<std::vector<oplog::Op>> entity_ops(const EntityId& entity);
  /// Ops with local sequence > `after_seq` in arrival order, at most `limit`; with their seqs.
  Result<std::vector<std::pair<std::int64_t, oplog::Op>>> ops_after(std::int64_t after_seq, std::size_t limit);
  /// The op with local sequence `seq`, if present.
  Result<std::optional<oplog::Op>> at_seq(std::int64_t seq);
  /// Like at_seq, as its wire text (see wire_after): what a pull sends, without parsing it.
  Result<std::optional<std::string>> wire_at_seq(std::int64_t seq);
  /// Like ops_after, each op as its wire text (oplog::to_json(op).dump(), byte for byte) written
  /// from the columns without parsing the payload: for hashing and sending, ~10x cheaper.
  Result<std::vector<std::pair<std::int64_t, std::string>>> wire_after(std::int64_t after_seq, std::size_t limit);
  /// Ops authored by `origin` with counter > `after`, by counter, at most `limit`.
  Result<std::vector<oplog::Op>> ops_of_origin(const ReplicaId& origin, std::uint64_t after, std::size_t limit);
  /// The highest counter authored by `origin` (0 if none).
  Result<std::uint64_t> max_counter(const ReplicaId& origin);
  /// The greatest hlc in the log (zero if empty).
  Result<clock::Hlc> max_hlc();
  /// How many ops the log holds for `entity`.
  Result<std::int64_t> entity_op_count(const EntityId& entity);
  /// The local sequence of the newest op (0 if empty).
  Result<std::int64_t> max_seq();
  /// Number of ops in the log.
  Result<std::int64_t> count();

  Result<std::optional<EntityRow>> entity(const EntityId& id);
  Status put_entity(const EntityRow& row);
  /// Every entity of a kind, ordered by id; optionally only within `scope` (prefix match).
  /// Calls the hook set by `before_entity_scan` first.
  Result<std::vector<EntityRow>> entities(const std::string& kind, const std::optional<RegionId>& scope = {});
  /// The same, only the first `limit` whose id sorts after `after` (keyset paging; "" for the
  /// first page). Calls the hook too.
  Result<std::vector<EntityRow>> entities_after(const std::string& kind, const std::optional<RegionId>& scope,
                                                const std::string& after, std::size_t limit);

  Status put_conflict(const ConflictRow& row);
  Status clear_conflicts(const EntityId& entity);
  /// Conflicts of one entity, or all when `entity` is empty; ordered by op id.
  Result<std::vector<ConflictRow>> conflicts(const std::optional<EntityId>& entity = {});

  /// Records that the host rejected `op` (from a verdict op).
  Status put_rejection(const oplog::OpId& op, const EntityId& entity, const Error& why);
  /// How many ops the host has rejected in all.
  Result<std::int64_t> rejection_count();
  /// Ops of an entity that the host rejected, with the reasons.
  Result<std::vector<std::pair<oplog::OpId, Error>>> rejections(const EntityId& entity);

 /// `hook` runs before every scan of the entities table (`entities`), e.g. to write rows its
  /// owner holds back (oplog::Log::WriteBehind); its error is the scan's.
  void before_entity_scan(std::function<Status()> hook) { before_scan_ = std::move(hook); }

 private:
  Db& db_;
  std::function<Status()> before_scan_;
};

}  // namespace cunwu::store
