#pragma once
// 附件 — the host's attachment files: photos and voice messages named by the SHA-256 of their
// bytes, checked on upload (name, size, type by magic bytes) and kept as DIR/blobs/<aa>/<name>,
// each written durably before it is acknowledged. Who may download one is the core's rule
// (sync::may_read_blob); what is stored of each is in the `blobs` table (store::add_blob).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cunwu/base/result.hpp"
#include "digest.hpp"

namespace cunwu::host {

/// The largest photo the host takes: the app sends ~1280 px JPEGs of 100–300 KB.
inline constexpr std::size_t kMaxPhotoBytes = 1 << 20;
/// The largest voice message: a minute of Opus at 32 kbit/s is ~240 KB.
inline constexpr std::size_t kMaxVoiceBytes = 1 << 20;

/// What a blob's first bytes say it is.
struct BlobType {
  std::string kind;  ///< "photo" or "voice"
  std::string mime;  ///< served as the download's Content-Type
};

/// The type of `bytes` by its magic bytes: JPEG, PNG, WebP are photos; WebM (EBML with doctype
/// webm), Ogg with Opus or Vorbis, MP4/M4A (ftyp) are voice. None for anything else.
std::optional<BlobType> sniff_blob(std::string_view bytes);


/// Checks an upload named `name`: a blob name, a known type, within its kind's size limit, and
/// `name` is the SHA-256 of `bytes`. Errors: invalid_attachment (not a blob name),
/// blob_too_large, blob_type_unsupported, blob_hash_mismatch.
Result<BlobType> check_upload(const std::string& name, std::string_view bytes);

/// The blob files under one directory. Thread-safe: writes go through unique temp files and an
/// atomic rename, so concurrent uploads of the same blob both succeed with one file.
class BlobFiles {
 public:
  /// Files under `dir` (created on the first write).
  explicit BlobFiles(std::string dir) : dir_(std::move(dir)) {}

  /// Stores `bytes` as blob `name` unless it is stored already: written to a temp file, fsynced,
  /// renamed into place and the directory fsynced, so that once this returns the blob survives a
  /// crash or power loss. Returns whether it was new. Error storage_error.
  Result<bool> put(const std::string& name, std::string_view bytes);
  /// The bytes of blob `name`. Errors: blob_not_found, storage_error.
  Result<std::string> read(const std::string& name) const;
  /// Removes temp files that a crash left behind (call before serving); lists only the temp
  /// folder, whatever the number of blobs. Returns how many.
  std::size_t sweep_partial();

 private:
  std::string path_of(const std::string& name) const;
  std::string dir_;
};

}  // namespace cunwu::host
