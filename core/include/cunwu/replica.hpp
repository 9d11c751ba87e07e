#pragma once
// One copy of the data (a phone, a browser, the county host): store + clock + org + fold.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cunwu/clock/hlc.hpp"
#include "cunwu/oplog/log.hpp"
#include "cunwu/org/directory.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu {

/// What a person wants to do, before the replica stamps it into an op.
struct OpDraft {
  UserId actor;
  std::string type;           ///< e.g. "appeal.accept"
  EntityId entity;            ///< empty: a new entity of the type's kind, named after the op id
  RegionId scope;             ///< empty: the entity's current scope
  oplog::Visibility visibility = oplog::Visibility::public_in_scope;
  oplog::Json payload = oplog::Json::object();
};

/// How to open a replica.
struct ReplicaOptions {
  std::string path = ":memory:";   ///< SQLite file, or ":memory:"
  ReplicaId id;                    ///< this replica's origin id (non-empty, stable per device)
  clock::PhysicalClock physical = clock::system_clock();
  store::OpenOptions db;
};

/// A replica. Not thread-safe: one per thread (the host uses one per request thread or a lock).
class Replica {
 public:
  /// Opens the database, restores the op counter and the clock from the log, loads the org tree.
  /// Errors: invalid_id (empty id), storage_error, schema_too_new.
  static Result<std::unique_ptr<Replica>> open(ReplicaOptions options);
  /// A new device's first open from the host's snapshot of its scope (sync::Host::snapshot):
  /// the file at `options.path` must hold no ops yet (a device with data syncs instead, so that
  /// nothing of its own is lost); its content becomes `image`, then it opens as `open` does.
  /// An absent or empty file is written with the image as it is (no schema created first).
  /// Errors: those of `open` and of store::Db::restore (invalid_input for an image that is not
  /// a sound database, schema_too_new, protocol_mismatch), invalid_input when the file holds ops
  /// or the path is ":memory:" (the image must outlive this call).
  /// `digest`: the checksum the host sent with the image (sync::Snapshot::digest), checked
  /// instead of walking the image's pages again (store::Db::check_image); empty: quick_check.
  static Result<std::unique_ptr<Replica>> open_snapshot(ReplicaOptions options, std::string_view image,
                                                        std::string_view digest = {});

  const ReplicaId& id() const { return id_; }
  const org::Directory& directory() const { return dir_; }
  /// org::directory_version of the org tree, computed once per tree (the host answers
  /// GET /v1/directory with it; a device sends it on every sync).
  const std::string& directory_version() const;
  /// Replaces the org tree and saves it. Error storage_error.
  Status set_directory(org::Directory dir);
  /// Adds one person with their grants to the org tree, writing only their rows: set_directory
  /// would write every row of the county's tree. Errors: those of org::Directory::add_user and
  /// grant (nothing changes), storage_error. Inside a transaction that then rolls back, call
  /// reload_directory: the tree in memory still holds the person.
  Status add_person(org::User user, const std::vector<org::Grant>& grants);
  /// Reads the org tree again from the database. Error storage_error.
  Status reload_directory();
  /// A device takes the host's newer org tree: replaces it (as set_directory) unless it is the
  /// same, then re-folds the entities that hold conflicts, since an op by a person who joined
  /// after this device last got the tree is a conflict here (unknown_user) but not on the host.
  /// Returns the number of entities re-folded, or nullopt when the tree was the same.
  /// Error storage_error.
  Result<std::optional<std::size_t>> update_directory(org::Directory dir);
  clock::HybridClock& clock() { return clock_; }
  store::Db& db() { return *db_; }
  oplog::Log& log() { return *log_; }

  /// Authors an op: stamps id and hybrid time, checks it against the entity's current state
  /// (role, scope, transition, payload) and appends and folds it in one transaction. On error
  /// nothing is written and the counter is not consumed. Errors: every domain error,
  /// unknown_op_type, invalid_id, storage_error.
  Result<oplog::Op> submit(OpDraft draft);
  /// Runs every step of `submit(draft)` and takes it back: nothing is written, the counter is not
  /// consumed and no folded state of it stays cached. What is left is what running the steps
  /// warms: the statements they prepared and, in the browser, the core's code they compiled on
  /// first use (the first real action after a start then does not pay for it). Returns what
  /// submit would: ok, or its error (the same errors).
  Status rehearse(OpDraft draft);
  /// Ingests ops from elsewhere (idempotent on op id), advancing the clock past them.
  Result<oplog::IngestReport> receive(std::span<const oplog::Op> ops);
  /// Host: stores `op` together with the host's verdict rejecting it for `why`, in one
  /// transaction; the op is kept and excluded from every fold. Errors: invalid_id,
  /// unknown_op_type (malformed ops are not stored), storage_error.
  Status receive_rejected(const oplog::Op& op, const Error& why);
  /// The folded state of an entity as JSON. Error not_found.
  Result<oplog::Json> state_json(const EntityId& id);
  /// Conflicts (kept but unapplied ops) of one entity, or of all.
  Result<std::vector<oplog::Conflict>> conflicts(const std::optional<EntityId>& entity = {});
  /// A canonical text of every folded entity and conflict, equal on replicas holding the same ops.
  Result<std::string> canonical_dump();

 private:
  Replica(ReplicaId id, std::unique_ptr<store::Db> db, clock::PhysicalClock physical);

  ReplicaId id_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<oplog::Log> log_;
  clock::HybridClock clock_;
  org::Directory dir_;
  mutable std::optional<std::string> dir_version_;  // of dir_; reset wherever dir_ changes
  std::uint64_t counter_ = 0;
};

}  // namespace cunwu
