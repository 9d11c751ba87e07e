#pragma once
// The admin CLI's commands (cunwu-admin), as functions over a county's data directory, so that
// tests call them directly.
#include <ostream>
#include <string>

#include "cunwu/base/result.hpp"
#include "cunwu/org/directory.hpp"

namespace cunwu::host {

/// Creates DIR/county.db with the demo county from `shared_dir`/demo (org tree and demo
/// accounts) and prints the accounts. If the county exists already, says so and changes
/// nothing. Errors: invalid_json (seed files), storage_error.
Status admin_demo(const std::string& data_dir, const std::string& shared_dir, std::ostream& out);
/// Grants `role` for `region` to `user`. Errors: unknown_user, unknown_region, invalid_input.
Status admin_grant(const std::string& data_dir, const std::string& user, const std::string& role,
                   const std::string& region, std::ostream& out);
/// Issues an invite code and prints it with a QR code drawn in the terminal.
Status admin_invite(const std::string& data_dir, const std::string& courtyard, const std::string& household, int uses,
                    int days, std::ostream& out);
/// Writes every appeal as CSV (UTF-8 with BOM, so Excel opens Chinese text right).
Status admin_export_appeals(const std::string& data_dir, std::ostream& out);

}  // namespace cunwu::host
