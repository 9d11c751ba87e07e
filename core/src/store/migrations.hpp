#pragma once
// Numbered schema migrations; the schema version is PRAGMA user_version.
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// The schema version this build writes.
int latest_schema_version();

/// Applies every migration newer than the database's version, each in its own transaction.
/// Errors: schema_too_new (the file is from a newer build), storage_error.
Status migrate(Db& db);

}  // namespace cunwu::store
