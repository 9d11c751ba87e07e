// The attachment routes of App: PUT and GET /v1/blobs/<sha256>. Hashing, checking and file I/O
// run outside the replica's lock; only the session, the permission and the `blobs` row take it.
#include <chrono>

#include "app.hpp"
#include "cunwu/store/blob_store.hpp"
#include "cunwu/sync/blobs.hpp"

namespace cunwu::host {
namespace {

using Json = nlohmann::json;

// One answer for a blob that does not exist, is not uploaded yet, or is not the asker's to see:
// a download must not tell anyone which photos exist.
Error not_found() { return make_error(Errc::blob_not_found, "no such blob for this user"); }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

// Upload: any signed-in person may upload (their device uploads before it pushes the op that
// references the blob); the answer is the same for a new blob and one stored before.
Result<Json> App::put_blob(const httplib::Request& req) {
  const std::string name = req.matches[1];
  UserId user;
  {
    std::lock_guard lock(mu_);
    CUNWU_ASSIGN(user, session_user(req));
  }
  CUNWU_ASSIGN(const auto type, check_upload(name, req.body));
  CUNWU_ASSIGN(const bool fresh, blobs_->put(name, req.body));
  {
    std::lock_guard lock(mu_);
    CUNWU_TRY(store::add_blob(replica_->db(),
                              {name, type.kind, type.mime, std::int64_t(req.body.size()), user, now_ms()}));
  }
  log_line("info", "blob", {{"user", user.str()}, {"kind", type.kind}, {"bytes", req.body.size()}, {"new", fresh}});
  return Json{{"sha256", name}, {"kind", type.kind}, {"bytes", req.body.size()}};
}

// Download: to a signed-in person who receives some accepted op that references the blob.
Result<Json> App::get_blob(const httplib::Request& req, httplib::Response& res) {
  const std::string name = req.matches[1];
  std::optional<store::BlobInfo> info;
  {
    std::lock_guard lock(mu_);
    CUNWU_ASSIGN(const auto user, session_user(req));
    CUNWU_ASSIGN(const bool allowed, sync::may_read_blob(*replica_, user, name));
    if (!allowed) return not_found();
    CUNWU_ASSIGN(info, store::blob(replica_->db(), name));
  }
  if (!info) return not_found();  // referenced, but its device has not uploaded it yet
  auto bytes = blobs_->read(name);
  if (!bytes) return bytes.error().code == Errc::blob_not_found ? not_found() : bytes.error();
  // Content-addressed, so it never changes; private, because it is someone's photo.
  res.set_header("Cache-Control", "private, max-age=31536000, immutable");
  res.set_header("ETag", "\"" + name + "\"");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", "sandbox");
  res.set_header("Content-Type", info->mime);
  res.body = std::move(*bytes);
  return Json::object();
}

}  // namespace cunwu::host
