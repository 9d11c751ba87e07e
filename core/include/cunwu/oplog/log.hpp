#pragma once
// The op log and fold engine: ops are appended once (idempotent on id) and each entity's state
// is the deterministic fold of its accepted ops in (hlc, origin, counter) order.
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cunwu/oplog/domain.hpp"
#include "cunwu/store/op_store.hpp"

namespace cunwu::oplog {

/// An op that was kept in the log but could not be applied where it falls in the order.
using Conflict = store::ConflictRow;

/// What one ingest did, for callers, tests and metrics.
struct IngestReport {
  std::size_t inserted = 0;           ///< new ops appended to the log
  std::size_t duplicates = 0;         ///< ops already present (retries); nothing changed
  std::size_t applied = 0;            ///< ops folded into state incrementally
  std::size_t refolded_entities = 0;  ///< entities re-folded because an op arrived out of order
  std::size_t conflicts = 0;          ///< conflicts recorded (after any re-fold)
  std::vector<std::pair<OpId, Error>> invalid;  ///< ops refused outright (unknown type, bad id)
};

/// The engine over one database. Not thread-safe. It caches folded states, so it must be the only
/// writer of its database file (one Log per file, as one Replica per file).
class Log {
 public:
  /// `domains` are the kinds this replica folds; ops of other kinds are refused (unknown_op_type).
  Log(store::Db& db, std::vector<std::unique_ptr<Domain>> domains);
  Log(const Log&) = delete;  // its store's scan hook points at it
  Log& operator=(const Log&) = delete;

  /// While one lives, the folded rows of the entities that ingests fold are written once, by
  /// `finish`, instead of after every fold: the host folds a new appeal twice in a row (the
  /// filing, then its official number). Derived rows (`Domain::project`) are written at once,
  /// and the held rows are written before anything scans the entities table or the cache
  /// starts afresh, so reads see them. Whoever opens one inside a transaction rolls that back
  /// when `finish` is not reached; the destructor then drops the held rows with the cache.
  /// One at a time; an inner one while another lives changes nothing.
  class WriteBehind {
   public:
    explicit WriteBehind(Log& log);
    ~WriteBehind();
    WriteBehind(const WriteBehind&) = delete;
    WriteBehind& operator=(const WriteBehind&) = delete;
    /// Writes the held rows. Error storage_error.
    Status finish();

   private:
    Log& log_;
    bool active_;
  };

  /// The kinds folded here, in registration order.
  std::vector<std::string> kinds() const;
  /// The domain whose kind prefixes `type`, or nullptr.
  const Domain* domain_for(std::string_view type) const;
  /// Checks that `op` would apply to its entity's current state, writing nothing.
  /// Errors: the domain's transition error, unknown_op_type, invalid_id.
  Status check(const Op& op, const FoldContext& ctx);
  /// Checks that `op` is addressed to the people its entity is for: the visibility its type
  /// requires (Domain::visibility_of) and, once the entity has a scope, that scope. Who receives
  /// an op follows both, and the device writes both, so the sync host refuses a mismatch before
  /// anything else and does not store it. Writes nothing. Errors: visibility_mismatch,
  /// scope_mismatch, unknown_op_type, invalid_id, host_only (see validate_shape).
  Status check_audience(const Op& op);
  /// Appends the ops that are new and folds them, all in one transaction: in-order ops apply
  /// incrementally, an op older than its entity's last folded op re-folds that entity only,
  /// verdicts rejecting an op exclude it from the fold. Error: storage_error (nothing written).
  Result<IngestReport> ingest(std::span<const Op> ops, const FoldContext& ctx);
  /// The folded state of an entity. Error not_found.
  Result<std::unique_ptr<EntityState>> state(const EntityId& id);
  /// The folded state of an entity read in place, without the copy `state` makes: valid until
  /// the next call on this log. Error not_found.
  Result<const EntityState*> peek(const EntityId& id);
  /// Rewrites the derived rows of an entity whose folded row was copied in (a snapshot) from
  /// its stored state; nothing for kinds without a projection. Error storage_error.
  Status reproject(const EntityId& id);
  /// Re-folds every entity that holds a conflict, in one transaction, and returns how many it
  /// re-folded. For when what the fold consults changed (the org tree grew: an op by a person
  /// this replica did not know yet becomes valid). Error storage_error (nothing written).
  Result<std::size_t> refold_conflicted(const FoldContext& ctx);
  /// Drops every cached state. Call it after rolling back a transaction that enclosed ingests.
  void forget_cache() {
    cache_.clear();
    absent_.clear();
    unwritten_.clear();
    any_rejections_.reset();
  }
  /// How many rejections (verdicts that exclude an op) this log has recorded since it was made:
  /// a count that only grows, for a caller to compare before and after a call that may record one.
  std::uint64_t rejections_recorded() const { return rejections_recorded_; }
  /// The underlying store (read access for queries).
  store::OpStore& ops() { return ops_; }

 private:
  // A folded state kept in memory with the key of the last op folded into it, so that the
  // next op of the entity does not re-read and re-parse it from SQLite.
  struct Cached {
    std::unique_ptr<EntityState> state;
    OrderKey last;
    /// The entity's ops in fold order once a re-fold has read them, kept up to date after.
    std::optional<std::vector<Op>> ops;
    /// Conflicts recorded for the entity; unknown (-1) until its first re-fold here.
    long conflicts = -1;
  };
  /// At most this many states are cached; past it the cache starts afresh.
  static constexpr std::size_t kCacheLimit = 20'000;

  Result<IngestReport> ingest_all(std::span<const Op> ops, const FoldContext& ctx);
  const Domain* domain_of_entity(const EntityId& id) const;
  /// The cached state of `id`, loading it from the store on a miss; nullptr when never folded.
  Result<Cached*> cached(const EntityId& id, const Domain& domain);
  Status remember(const EntityId& id, const Domain& domain, std::unique_ptr<EntityState> state, const OrderKey& last);
  /// Writes the rows a WriteBehind holds (their states are in the cache).
  Status write_held();
  /// Starts the cache afresh when it is full, after writing the rows it holds.
  Status make_room(const EntityId& id);
  Result<bool> any_rejections();
  Status validate_shape(const Op& op) const;
  Status fold_entity(const EntityId& id, std::vector<const Op*>& fresh, bool force_refold,
                     const FoldContext& ctx, IngestReport& report);
  Status refold(const Domain& domain, const EntityId& id, const std::vector<const Op*>& fresh,
                const FoldContext& ctx, IngestReport& report);

  store::Db& db_;
  store::OpStore ops_;
  std::vector<std::unique_ptr<Domain>> domains_;
  std::unordered_map<EntityId, Cached> cache_;
  // Entities looked up and not stored (a new appeal is looked up by the host's audience check,
  // its rule check and its fold), so that the store is asked once. Cleared with the cache.
  std::unordered_set<EntityId> absent_;
  std::uint64_t rejections_recorded_ = 0;
  std::optional<bool> any_rejections_;  ///< unknown until first asked
  bool holding_ = false;                 ///< a WriteBehind lives
  std::unordered_map<EntityId, const Domain*> unwritten_;  ///< held rows: cached, not stored yet
};

}  // namespace cunwu::oplog
