#pragma once
// SQL for what of one person's did not take effect: their ops the host rejected (`rejections`,
// from verdict ops) and their ops this replica kept but found invalid where they fell in the
// order (`conflicts`). notify/refusals.hpp turns them into explanations.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/base/error.hpp"
#include "cunwu/oplog/op.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// One op of the person's that did not take effect, and why.
struct RefusalRow {
  oplog::OpId op;
  std::string type;  ///< the op's type, e.g. "appeal.accept"
  EntityId entity;
  Error error;            ///< the catalogued reason
  bool by_host = false;   ///< true: the host rejected it; false: a conflict found on this replica
  std::int64_t wall = 0;  ///< when the person did it (the op's wall time, ms since the epoch)
};

/// The ops authored by `actor` that the host rejected or that are conflicts here, of one entity
/// or of all (`entity` empty); newest first (by wall time, then op id). An op the host rejected
/// is listed once, as rejected, even if it is also recorded as a conflict. Error storage_error.
Result<std::vector<RefusalRow>> refusals(Db& db, const UserId& actor, const std::optional<EntityId>& entity = {});

}  // namespace cunwu::store
