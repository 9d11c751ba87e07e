#pragma once
// SQL for attachments on the host (附件): what the host stores of each blob (its bytes are files,
// kept by native/host/blobs.*) and which accepted ops reference it. Who may download a blob is
// decided from the ops that reference it (sync::may_read_blob), never from the blob itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/oplog/op.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// A stored blob, named by the SHA-256 of its bytes.
struct BlobInfo {
  std::string sha256;  ///< 64 lowercase hex digits
  std::string kind;    ///< "photo" or "voice"
  std::string mime;    ///< the type its magic bytes show, e.g. "image/jpeg", "audio/webm"
  std::int64_t bytes = 0;
  UserId uploader;     ///< who uploaded it first
  std::int64_t at = 0;  ///< host time of the first upload, ms
};

/// Who receives an op that references a blob: the op's entity, scope and visibility.
struct BlobAudience {
  EntityId entity;
  RegionId scope;
  oplog::Visibility visibility = oplog::Visibility::public_in_scope;
};

/// Records a blob (idempotent: the first upload's row stays). Error storage_error.
Status add_blob(Db& db, const BlobInfo& b);
/// The blob named `sha256`, none when it was never uploaded. Error storage_error.
Result<std::optional<BlobInfo>> blob(Db& db, const std::string& sha256);
/// Records that the stored op `op` references blob `sha256` (idempotent). Error storage_error.
Status add_blob_ref(Db& db, const std::string& sha256, const oplog::OpId& op);
/// The audience of every stored op that references `sha256` (empty when none does). Error
/// storage_error.
Result<std::vector<BlobAudience>> blob_audience(Db& db, const std::string& sha256);

}  // namespace cunwu::store
