#include "app.hpp"
#include "gzip.hpp"
#include "static_files.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cunwu/appeals/service.hpp"
#include "cunwu/base/text.hpp"
#include "cunwu/sync/visibility.hpp"

namespace cunwu::host {
namespace {

using Json = nlohmann::json;


Json error_json(const Error& e) {
  return Json{{"error",
               {{"code", errc_name(e.code)},
                {"message", user_message(e.code, Lang::zh)},
                {"message_en", user_message(e.code, Lang::en)},
                {"detail", e.detail}}}};
}

Result<Json> body_json(const httplib::Request& req) {
  const Json j = Json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::invalid_json, "the body is not a JSON object");
  return j;
}

Result<std::string> field(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return make_error(Errc::invalid_input, std::string("missing text field ") + key);
  return it->get<std::string>();
}

Json login_json(const Login& l, const org::Directory& dir) {
  const auto* u = dir.user(l.user);
  return Json{{"token", l.token}, {"user", l.user.str()}, {"name", u ? u->name : ""}, {"expires", l.expires}};
}

constexpr const char* kSnapshotType = "application/vnd.sqlite3";  // a new device's snapshot

}  // namespace

TimeMs host_now() { return TimeMs{clock::system_clock()()}; }

void log_line(const char* level, const std::string& msg, const Json& fields) {
  Json line = fields;
  line["ts"] = host_now().ms;
  line["level"] = level;
  line["msg"] = msg;
  std::fprintf(stderr, "%s\n", line.dump().c_str());
}

Result<std::unique_ptr<App>> App::open(const ServerConfig& config) {
  std::unique_ptr<App> app(new App(config));
  ReplicaOptions options;
  options.path = (std::filesystem::path(config.data_dir) / "county.db").string();
  options.id = ReplicaId("host");
  options.db.cache_kib = config.db_cache_mib * 1024;
  if (!std::filesystem::exists(options.path)) {
    return make_error(Errc::not_found, options.path + " does not exist: create the county with `cunwu-admin demo --data " +
                                           config.data_dir + "`");
  }
  const std::string path = options.path;
  CUNWU_ASSIGN(app->replica_, Replica::open(std::move(options)));
  CUNWU_ASSIGN(app->checkpointer_, Checkpointer::start(app->replica_->db(), path));
  if (app->replica_->directory().regions().empty()) return make_error(Errc::not_found, "no county in " + config.data_dir);
  app->auth_ = std::make_unique<Auth>(*app->replica_, config.session_days * 24 * 3600 * 1000);
  app->sync_ = std::make_unique<sync::Host>(*app->replica_, config.limits);
  app->snapshots_ = std::make_unique<SnapshotCache>(config.snapshot_cache_bytes, config.snapshot_max_lag);
  app->builder_ = std::make_unique<SnapshotBuilder>(path);
  CUNWU_ASSIGN(app->key_, load_or_create_key(config.data_dir));
  // Ops written while the host was not running (cunwu-admin) are linked before anything else.
  CUNWU_ASSIGN(const auto linked, extend_chain(*app->replica_));
  if (linked > 0) log_line("info", "chain", {{"linked", linked}});
  app->blobs_ = std::make_unique<BlobFiles>((std::filesystem::path(config.data_dir) / "blobs").string());
  if (const auto swept = app->blobs_->sweep_partial(); swept > 0) log_line("info", "blobs", {{"partial_removed", swept}});
  app->pulls_reader_ = std::make_unique<Reader>(path, "host-pulls", config.limits);
  app->jobs_reader_ = std::make_unique<Reader>(path, "host-jobs");
  app->reads_reader_ = std::make_unique<Reader>(path, "host-reads");
  app->start_sync_threads();
  return app;
}

App::~App() { stop_sync_threads(); }

httplib::Server::Handler App::route(const std::string& name, Handler handler, bool locked) {
  return [this, name, handler, locked](const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    Result<Json> out = make_error(Errc::internal, "no answer");
    try {
      std::unique_lock lock(mu_, std::defer_lock);
      if (locked) lock.lock();
      out = handler(req, res);
    } catch (const std::exception& e) {
      out = make_error(Errc::internal, e.what());
    } catch (...) {
      out = make_error(Errc::internal, "unknown exception");
    }
    if (out) {
      res.status = 200;
      // A handler that answers with something other than JSON (a snapshot) sets the body, or a
      // content provider, and its Content-Type itself.
      if (res.body.empty() && !res.has_header("Content-Type")) res.set_content(out->dump(), "application/json; charset=utf-8");
    } else {
      res.status = http_status(out.error().code);
      res.set_content(error_json(out.error()).dump(), "application/json; charset=utf-8");
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    metrics_.request(name, res.status);
    Json fields{{"method", req.method}, {"route", name}, {"status", res.status}, {"ms", ms}, {"remote", req.remote_addr}};
    if (!out) fields["error"] = errc_name(out.error().code);
    log_line(res.status >= 500 ? "error" : "info", "request", fields);
  };
}

Result<UserId> App::session_user(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  if (!header.starts_with("Bearer ")) return make_error(Errc::unauthorized, "no bearer token");
  return auth_->authenticate(header.substr(7), host_now());
}

void App::mount(httplib::Server& s) {
  s.Get("/healthz", route("healthz", [this](const auto&, auto&) -> Result<Json> {
    CUNWU_ASSIGN(const auto ops, replica_->log().ops().count());
    return Json{{"ok", true}, {"ops", ops}};
  }));
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.text(), "text/plain; version=0.0.4");
  });
  s.Post("/v1/sync", route("sync", [this](const auto& req, auto& res) { return post_sync(req, res); }, false));
  s.Post("/v1/snapshot",
         route("snapshot", [this](const auto& req, auto& res) { return post_snapshot(req, res); }, false));
  // These take the replica's lock themselves, around all but the password's hash (argon2id):
  // under the lock, one login would hold up every sync for as long as the hash runs.
  s.Post("/v1/auth/register", route("register", [this](const auto& req, auto&) { return post_register(req); }, false));
  s.Post("/v1/auth/login", route("login", [this](const auto& req, auto&) { return post_login(req); }, false));
  s.Post("/v1/auth/logout", route("logout", [this](const auto& req, auto&) { return post_logout(req); }));
  s.Get("/v1/me", route("me", [this](const auto& req, auto&) { return get_me(req); }));
  s.Get("/v1/appeals", route("appeals", [this](const auto& req, auto&) { return get_appeals(req); }, false));
  s.Get("/v1/directory", route("directory", [this](const auto& req, auto&) { return get_directory(req); }));
  s.Get("/v1/checkpoint", route("checkpoint", [this](const auto&, auto&) { return get_checkpoint(); }));
  // Attachments: the handlers take the replica's lock themselves, only around what needs it.
  s.Put(R"(/v1/blobs/([^/]*))", route("blob_put", [this](const auto& req, auto&) { return put_blob(req); }, false));
  s.Get(R"(/v1/blobs/([^/]*))", route("blob_get", [this](const auto& req, auto& res) { return get_blob(req, res); }, false));
  if (!config_.web_dir.empty()) {
    s.set_pre_routing_handler([dir = config_.web_dir](const httplib::Request& req, httplib::Response& res) {
      return serve_static(dir, req, res) ? httplib::Server::HandlerResponse::Handled
                                         : httplib::Server::HandlerResponse::Unhandled;
    });
    s.set_mount_point("/", config_.web_dir);  // what serve_static leaves
  }
}

// A new device's first state as one SQLite file (see sync::Host::snapshot); the body is a sync
// request from a device that holds nothing yet (cursor 0, nothing to push). A device that takes
// gzip gets the snapshot kept from an earlier build for the same user when there is one that is
// recent enough (SnapshotCache), unless it asks for a new one (Cache-Control: no-cache); its
// next syncs bring what came since. X-Cunwu-Snapshot says which: "built" or "prepared", and
// X-Cunwu-Behind how many ops the host had stored since the snapshot's cut; X-Cunwu-Image-Digest
// is the image's checksum (sync::Snapshot::digest), which the device checks.
Result<Json> App::post_snapshot(const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  const bool gzipped = accepts_gzip(req.get_header_value("Accept-Encoding"));
  std::string cache_control = req.get_header_value("Cache-Control");
  for (auto& c : cache_control) c = char(std::tolower(static_cast<unsigned char>(c)));
  const bool reuse = gzipped && cache_control.find("no-cache") == std::string::npos;
  sync::Snapshot snap;
  std::shared_ptr<const PreparedSnapshot> sent;  // kept from an earlier build, or built now
  UserId user;
  std::int64_t newest = 0;
  std::string directory_version;
  sync::SyncRequest request;
  {
    std::lock_guard lock(mu_);
    CUNWU_ASSIGN(user, session_user(req));
    CUNWU_ASSIGN(request, sync::parse_request(req.body, config_.limits));
    CUNWU_TRY(sync::Host::check_snapshot_request(request));
    CUNWU_ASSIGN(newest, replica_->log().ops().max_seq());
    directory_version = replica_->directory_version();
    if (reuse) sent = snapshots_->find(user, directory_version, newest);
  }
  if (!sent) {
    // Built beside the syncs, which go on meanwhile; on the replica, under its lock, only when
    // the database does not hold the replica's org tree yet.
    CUNWU_ASSIGN(auto beside, builder_->build(user, request, directory_version));
    if (beside) {
      snap = std::move(*beside);
    } else {
      std::lock_guard lock(mu_);
      CUNWU_ASSIGN(snap, sync_->snapshot(user, request));
    }
    newest = std::max(newest, snap.cursor);  // its cut may be newer than the count read above
  }
  const bool built_now = !sent;
  if (!sent) {
    // Compressed outside the lock; browsers ask for gzip and inflate it themselves. Only a
    // gzipped image is kept: that is what the next device of this user will ask for.
    auto built = std::make_shared<PreparedSnapshot>();
    built->raw_bytes = snap.image.size();
    built->digest = snap.digest;
    built->cursor = snap.cursor;
    built->ops = snap.ops;
    built->copied = snap.copied;
    built->folded = snap.folded;
    built->directory_version = directory_version;
    if (gzipped) {
      CUNWU_ASSIGN(built->gz, gzip(snap.image));
      res.body = built->gz;  // one copy: the cache keeps the other
      snapshots_->put(user, built);
    } else {
      // Written from the image as SQLite made it, not from a copy: it may be many megabytes.
      auto image = std::make_shared<store::Image>(std::move(snap.image));
      res.set_content_provider(image->size(), kSnapshotType,
                               [image](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 return sink.write(image->view().data() + offset, length);
                               });
    }
    sent = std::move(built);
  } else {
    res.body = sent->gz;
  }
  if (gzipped) {
    res.set_header("Content-Type", kSnapshotType);  // set_content_provider set it for the plain image
    res.set_header("Content-Encoding", "gzip");
  }
  res.set_header("X-Cunwu-Snapshot", built_now ? "built" : "prepared");
  res.set_header("X-Cunwu-Image-Digest", sent->digest);
  res.set_header("X-Cunwu-Cursor", std::to_string(sent->cursor));
  res.set_header("X-Cunwu-Ops", std::to_string(sent->ops));
  res.set_header("X-Cunwu-Behind", std::to_string(newest - sent->cursor));
  log_line("info", "snapshot", {{"user", user.str()}, {"prepared", !built_now}, {"behind", newest - sent->cursor},
                                {"ops", sent->ops}, {"copied", sent->copied}, {"folded", sent->folded},
                                {"bytes", sent->raw_bytes}, {"sent", gzipped ? res.body.size() : sent->raw_bytes},
                                {"ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()}});
  // Not a sync round trip: kept out of the sync latency histogram (the route's own counters and
  // log line have it).
  return Json::object();
}

Result<Json> App::post_register(const httplib::Request& req) {
  CUNWU_ASSIGN(const auto j, body_json(req));
  Registration r;
  CUNWU_ASSIGN(r.invite, field(j, "invite"));
  CUNWU_ASSIGN(r.phone, field(j, "phone"));
  CUNWU_ASSIGN(r.password, field(j, "password"));
  CUNWU_ASSIGN(r.name, field(j, "name"));
  {
    std::lock_guard lock(mu_);
    CUNWU_TRY(auth_->check_registration(r, host_now()));
  }
  CUNWU_ASSIGN(const auto hash, auth_->hash(r.password));
  std::lock_guard lock(mu_);
  CUNWU_ASSIGN(const auto login, auth_->register_villager(r, hash, host_now()));
  return login_json(login, replica_->directory());
}

Result<Json> App::post_login(const httplib::Request& req) {
  CUNWU_ASSIGN(const auto j, body_json(req));
  CUNWU_ASSIGN(const auto phone, field(j, "phone"));
  CUNWU_ASSIGN(const auto password, field(j, "password"));
  std::unique_lock lock(mu_);
  CUNWU_ASSIGN(const auto attempt, auth_->begin_login(phone, req.remote_addr, host_now()));
  lock.unlock();
  const bool matched = auth_->password_matches(attempt, password);
  lock.lock();
  CUNWU_ASSIGN(const auto login, auth_->finish_login(attempt, matched, host_now()));
  return login_json(login, replica_->directory());
}

Result<Json> App::post_logout(const httplib::Request& req) {
  CUNWU_TRY(session_user(req));
  CUNWU_TRY(auth_->logout(req.get_header_value("Authorization").substr(7)));
  return Json{{"ok", true}};
}

Result<Json> App::get_me(const httplib::Request& req) {
  CUNWU_ASSIGN(const auto user, session_user(req));
  const auto& dir = replica_->directory();
  const auto* u = dir.user(user);
  Json roles = Json::array();
  for (const auto& g : dir.grants(user)) roles.push_back({{"role", org::role_name(g.role)}, {"region", g.region.str()}});
  Json me{{"user", user.str()}, {"name", u->name}, {"roles", roles}};
  if (u->home) me["home"] = u->home->str();
  if (u->household) me["household"] = u->household->str();
  return me;
}

namespace {

// `read` on `reader` in one read transaction, with the host replica's org tree `version`: beside
// the syncs. Nothing when the database holds another tree; the caller then reads on the replica.
template <class T, class F>
Result<std::optional<T>> read_beside_syncs(Reader& reader, const std::string& version, F read) {
  CUNWU_ASSIGN(const auto view, reader.with_tree(version));
  if (!view) return std::optional<T>();
  store::Transaction tx(view->replica.db(), store::Transaction::Mode::read);
  CUNWU_TRY(tx.status());
  CUNWU_ASSIGN(auto out, read(view->replica));
  return std::optional<T>(std::move(out));
}

// What GET /v1/appeals asks for: the appeals of `scope` (all when empty) after the id `after`,
// at most `limit`.
struct AppealsQuery {
  std::string scope, after;
  std::size_t limit = 0;
};
constexpr std::size_t kAppealsPage = 200, kAppealsPageMax = 1000;

Result<AppealsQuery> appeals_query(const httplib::Request& req) {
  AppealsQuery q{req.get_param_value("scope"), req.get_param_value("after"), kAppealsPage};
  if (q.after.size() > 256 || !is_valid_utf8(q.after)) return make_error(Errc::invalid_input, "after: not an appeal id");
  if (req.has_param("limit")) {
    const auto text = req.get_param_value("limit");
    const auto* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, q.limit);
    if (ec != std::errc() || stop != end || q.limit < 1 || q.limit > kAppealsPageMax) {
      return make_error(Errc::invalid_input, "limit: a whole number from 1 to " + std::to_string(kAppealsPageMax));
    }
  }
  return q;
}

// One page of the appeals that `user` may see, read on `r`: {"appeals", "next"}, where "next" is
// the `after` of the next page, or null after the last.
Result<Json> appeals_seen_by(Replica& r, const UserId& user, const AppealsQuery& q) {
  const auto scope = q.scope.empty() ? std::nullopt : std::optional<RegionId>(RegionId(q.scope));
  Json out = Json::array();
  // Stored rows a page's worth at a time; the appeals the person may not see are passed over.
  for (std::string after = q.after;;) {
    CUNWU_ASSIGN(const auto page, appeals::Service(r).list_after(scope, after, q.limit));
    for (const auto& a : page.appeals) {
      // What a person may see of an appeal is what they may receive of its (private) ops.
      if (!sync::may_receive(r.directory(), user, a.scope, oplog::Visibility::participants, a.filer == user)) continue;
      out.push_back(appeals::to_json(a));
      if (out.size() == q.limit) return Json{{"appeals", std::move(out)}, {"next", a.id.str()}};
    }
    if (page.last.empty()) return Json{{"appeals", std::move(out)}, {"next", nullptr}};
    after = page.last;
  }
}

}  // namespace

// For integrations (e.g. a county dashboard): pages through the appeals of the scope that the
// signed-in person may see (?scope=, ?limit= 1..1000, default 200, ?after= the
// "next" of the page before), which any signed-in person may ask for again and again: on a
// connection of its own, beside the syncs, as the scheduler's scan. On the replica only while the
// database holds another org tree. A bad limit or after: invalid_input.
Result<Json> App::get_appeals(const httplib::Request& req) {
  UserId user;
  std::string directory_version;
  {
    std::lock_guard lock(mu_);
    CUNWU_ASSIGN(user, session_user(req));
    directory_version = replica_->directory_version();
  }
  CUNWU_ASSIGN(const auto query, appeals_query(req));
  const auto seen_by = [&](Replica& r) { return appeals_seen_by(r, user, query); };
  std::lock_guard reads(reads_mu_);
  CUNWU_ASSIGN(auto seen, read_beside_syncs<Json>(*reads_reader_, directory_version, seen_by));
  if (seen) return std::move(*seen);
  std::lock_guard lock(mu_);
  return seen_by(*replica_);
}

// The org tree for devices that hold an older one (people who registered since): {"version"},
// plus "directory" (org::directory_to_json) unless ?known= names the current version. The same
// tree a snapshot carries.
Result<Json> App::get_directory(const httplib::Request& req) {
  CUNWU_TRY(session_user(req));
  const std::string& version = replica_->directory_version();
  Json out{{"version", version}};
  if (req.get_param_value("known") != version) out["directory"] = org::directory_to_json(replica_->directory());
  return out;
}

Result<std::size_t> App::run_jobs(TimeMs at) {
  std::lock_guard jobs(jobs_mu_);
  std::string directory_version;
  {
    std::lock_guard lock(mu_);
    directory_version = replica_->directory_version();
  }
  // Finding the overdue appeals reads every appeal of the county (a second or more for a large
  // one): done on the jobs' connection, so that the syncs do not wait for it. On the replica
  // only while the database holds another org tree.
  const auto started = std::chrono::steady_clock::now();
  CUNWU_ASSIGN(auto overdue, read_beside_syncs<std::vector<EntityId>>(
                                  *jobs_reader_, directory_version, [&](Replica& r) { return appeals::Service(r).overdue(at); }));
  const bool beside_syncs = overdue.has_value();
  const auto found = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (!overdue) { CUNWU_ASSIGN(overdue, appeals::Service(*replica_).overdue(at)); }
  // Each is checked again on the replica: it may have been answered since.
  CUNWU_ASSIGN(const auto escalated, appeals::Service(*replica_).escalate_overdue(at, *overdue));
  metrics_.escalations(escalated.size());
  CUNWU_ASSIGN(const auto checkpoint, make_checkpoint(*replica_, key_, at));
  if (checkpoint) log_line("info", "checkpoint", {{"seq", checkpoint->seq}, {"hash", checkpoint->hash}});
  const auto ms = [](auto from, auto to) { return std::chrono::duration<double, std::milli>(to - from).count(); };
  log_line("info", "jobs", {{"overdue", overdue->size()}, {"escalated", escalated.size()},
                            {"scan_ms", ms(started, found)}, {"locked_ms", ms(found, std::chrono::steady_clock::now())},
                            {"beside_syncs", beside_syncs}});
  return escalated.size();
}

// The newest signed checkpoint, for devices and inspectors to keep copies of: with copies held
// elsewhere, even someone holding the server cannot rewrite history before them unnoticed.
Result<Json> App::get_checkpoint() {
  CUNWU_ASSIGN(const auto all, store::checkpoints(replica_->db()));
  Json out{{"public_key", key_.public_hex}, {"checkpoint", nullptr}};
  if (!all.empty()) {
    const auto& c = all.back();
    out["checkpoint"] = {{"seq", c.seq}, {"hash", c.hash}, {"at", c.at}, {"signature", c.signature}};
  }
  return out;
}

}  // namespace cunwu::host
