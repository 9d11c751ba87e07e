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
/// What an invite is printed with.
struct InviteOptions {
  std::string courtyard;
  std::string household;  ///< optional
  int uses = 1;
  int days = 30;
  std::string app_url = "http://127.0.0.1:8080/";  ///< the QR code opens this with the code filled in
  std::string svg_path;   ///< when set, the QR code is also written there as an SVG image
};
/// Issues an invite code and prints it with a QR code (drawn in the terminal, and as an SVG
/// file when asked) that opens the app's registration already scoped to the courtyard.
/// Errors: unknown_region, unknown_household, invalid_input, storage_error.
Status admin_invite(const std::string& data_dir, const InviteOptions& options, std::ostream& out);
/// Writes every appeal as CSV (UTF-8 with BOM, so Excel opens Chinese text right).
Status admin_export_appeals(const std::string& data_dir, std::ostream& out);
/// Writes every points ledger line of every household as CSV (UTF-8 with BOM).
Status admin_export_ledgers(const std::string& data_dir, std::ostream& out);
/// Links new ops into the hash chain and signs a checkpoint with the host key (DIR/host.key).
Status admin_checkpoint(const std::string& data_dir, std::ostream& out);
/// Recomputes the hash chain and checks every checkpoint against `public_key_hex` (DIR/host.pub
/// when empty); prints what it found. Error chain_broken when something does not match.
Status admin_verify(const std::string& data_dir, const std::string& public_key_hex, std::ostream& out);

}  // namespace cunwu::host
