#pragma once
// The contract between the fold engine and a domain (appeals, points, disclosure...).
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "cunwu/oplog/op.hpp"
#include "cunwu/org/directory.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::oplog {

/// Everything a transition may consult besides the entity itself. Must be identical on every
/// replica for the fold to converge.
struct FoldContext {
  const org::Directory& dir;
};

/// The folded state of one entity.
class EntityState {
 public:
  virtual ~EntityState() = default;
  /// The canonical JSON of the state (stored, compared across replicas, sent to the UI).
  virtual Json to_json() const = 0;
  /// to_json().dump(), the text stored after every fold. Domains with large states override it
  /// with a direct writer (JsonWriter) that must produce the same text.
  virtual std::string to_text() const { return to_json().dump(); }
  /// Where the entity lives in the org tree.
  virtual RegionId scope() const = 0;
  /// The people taking part in the entity besides the authors of its ops (e.g. the resident an
  /// appeal was filed for); the host sends them its participants-only ops. Default: none.
  virtual std::vector<UserId> participants() const { return {}; }
  /// A deep copy (the engine caches states and hands out copies).
  virtual std::unique_ptr<EntityState> clone() const = 0;
};

/// The rules of one kind of entity. Implementations are stateless and deterministic.
class Domain {
 public:
  virtual ~Domain() = default;
  /// The kind, which prefixes its op types ("appeal" for "appeal.file") and entity ids ("appeal/...").
  virtual std::string_view kind() const = 0;
  /// Whether `type` is one of this domain's op types.
  virtual bool knows(std::string_view type) const = 0;
  /// The visibility every op of `type` must have, or nullopt when its author chooses. Who
  /// receives an op follows its visibility, so the sync host refuses other ops
  /// (Log::check_audience). Default: nullopt.
  virtual std::optional<Visibility> visibility_of(std::string_view type) const {
    (void)type;
    return std::nullopt;
  }
  /// The state of an entity before its first op.
  virtual std::unique_ptr<EntityState> empty(const EntityId& id) const = 0;
  /// Restores a state from its to_json(). Error invalid_json.
  virtual Result<std::unique_ptr<EntityState>> from_json(const Json& j) const = 0;
  /// Applies `op` if it is valid at this point of the entity's history. On error the state is
  /// unchanged and the error explains why (the op becomes a conflict).
  virtual Status apply(EntityState& state, const Op& op, const FoldContext& ctx) const = 0;
  /// Rewrites the entity's derived rows (a search index, ledger lines for rankings...) from its
  /// state after every fold of it, inside the fold's transaction. The rows are a projection of
  /// the state: replace them whole. Default: none. Error storage_error.
  virtual Status project(store::Db& db, const EntityId& id, const EntityState& state) const {
    (void)db, (void)id, (void)state;
    return ok_status();
  }
  /// Whether `project` writes anything (so that copying folded rows knows what to re-derive).
  virtual bool has_projection() const { return false; }
};

}  // namespace cunwu::oplog
