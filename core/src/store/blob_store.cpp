#include "cunwu/store/blob_store.hpp"

namespace cunwu::store {

Status add_blob(Db& db, const BlobInfo& b) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR IGNORE INTO blobs(sha256, kind, mime, bytes, uploader, at) VALUES(?,?,?,?,?,?)"));
  st->bind(1, b.sha256).bind(2, b.kind).bind(3, b.mime).bind(4, b.bytes).bind(5, b.uploader.str()).bind(6, b.at);
  return st->run();
}

Result<std::optional<BlobInfo>> blob(Db& db, const std::string& sha256) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT sha256, kind, mime, bytes, uploader, at FROM blobs WHERE sha256=?"));
  st->bind(1, sha256);
  CUNWU_ASSIGN(const bool row, st->step());
  std::optional<BlobInfo> out;
  if (row) out = BlobInfo{st->text(0), st->text(1), st->text(2), st->int64(3), UserId(st->text(4)), st->int64(5)};
  st->reset();  // a statement left on a row would hold its read snapshot open
  return out;
}

Status add_blob_ref(Db& db, const std::string& sha256, const oplog::OpId& op) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR IGNORE INTO blob_refs(sha256, origin, counter) VALUES(?,?,?)"));
  st->bind(1, sha256).bind(2, op.origin.str()).bind(3, std::int64_t(op.counter));
  return st->run();
}

Result<std::vector<BlobAudience>> blob_audience(Db& db, const std::string& sha256) {
  // The op's own row says where it went: the same scope and visibility a pull reads.
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT o.entity, o.scope, o.visibility FROM blob_refs r "
                                    "JOIN ops o ON o.origin=r.origin AND o.counter=r.counter WHERE r.sha256=?"));
  st->bind(1, sha256);
  std::vector<BlobAudience> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.push_back({EntityId(st->text(0)), RegionId(st->text(1)),
                   oplog::Visibility(st->int64(2))});
  }
}

}  // namespace cunwu::store
