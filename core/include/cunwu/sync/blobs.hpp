#pragma once
// 附件 — attachments (photos, voice messages) are blobs named by the SHA-256 of their bytes. Ops
// reference them by name; the host stores the bytes (native/host/blobs.*) and hands a blob only
// to people who receive an op that references it.
#include <string>
#include <string_view>
#include <vector>

#include "cunwu/replica.hpp"
#include "cunwu/sync/host.hpp"

namespace cunwu::sync {

/// Whether `name` is a blob's name: 64 lowercase hex digits.
bool is_blob_name(std::string_view name);

/// The blobs an op payload references: every member named "attachments" at any depth (an
/// appeal's, a ledger application's photos, a finance line's vouchers) holding names or
/// {"sha256": name} objects. Distinct, in order of appearance; malformed entries are skipped
/// (the domains refuse them before an op is accepted).
std::vector<std::string> referenced_blobs(const nlohmann::json& payload);

/// The host's follow-up that records which blobs an accepted op references (store::add_blob_ref),
/// so that sync::may_read_blob can answer. Registered in default_follow_ups.
Status index_blob_refs(Replica& host, const oplog::Op& op, TimeMs now);

/// Whether `user` may download blob `name`: some accepted op that references it goes to them
/// under the pull's rule (sync::may_receive with the host's participants). False for a blob no
/// op references yet, and for an unknown user. Error storage_error.
Result<bool> may_read_blob(Replica& host, const UserId& user, const std::string& name);

}  // namespace cunwu::sync
