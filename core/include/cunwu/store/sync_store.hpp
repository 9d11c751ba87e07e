#pragma once
// SQL for sync bookkeeping: the client's cursors (in `meta`) and the host's participants of
// private entities (who may receive their participants-only ops).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/oplog/op.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// Reads an integer from `meta`; `fallback` when unset. Error storage_error.
Result<std::int64_t> get_meta_int(Db& db, const std::string& key, std::int64_t fallback);
/// Writes an integer to `meta`. Error storage_error.
Status put_meta_int(Db& db, const std::string& key, std::int64_t value);

/// Records that `user` takes part in `entity` from log position `since` on (idempotent: the
/// first position stays).
Status add_participant(Db& db, const EntityId& entity, const UserId& user, std::int64_t since);
/// Entities `user` joined after log position `after` (their earlier ops are owed to the user).
Result<std::vector<EntityId>> joined_after(Db& db, const UserId& user, std::int64_t after);
/// The ids of the entities `user` takes part in, in no order (a pull asks once rather than
/// once per entity). Error: storage_error.
Result<std::vector<std::string>> entity_ids_of(Db& db, const UserId& user);
/// Whether `user` takes part in `entity`.
Result<bool> is_participant(Db& db, const EntityId& entity, const UserId& user);

}  // namespace cunwu::store
