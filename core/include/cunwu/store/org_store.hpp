#pragma once
// SQL for the org tree and per-region settings.
#include <optional>
#include <string>
#include <vector>

#include "cunwu/org/directory.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// Replaces the stored org tree with `dir`: every region, household, user, grant and department, and
/// nothing that `dir` no longer holds (one transaction). Error storage_error.
Status save_directory(Db& db, const org::Directory& dir);

/// Writes one user's row and their grants (adding to those stored), and nothing else of the
/// tree: what registering a villager changes. Error storage_error.
Status put_person(Db& db, const org::User& user, const std::vector<org::Grant>& grants);

/// Reads the whole org tree back. Errors: storage_error, and the Directory adders' errors
/// if the stored data is inconsistent.
Result<org::Directory> load_directory(Db& db);

/// Sets a per-region setting (e.g. the county's SLA limits as JSON).
Status put_setting(Db& db, const RegionId& region, const std::string& key, const std::string& value);

/// Reads a per-region setting; nullopt when unset.
Result<std::optional<std::string>> get_setting(Db& db, const RegionId& region, const std::string& key);

}  // namespace cunwu::store
