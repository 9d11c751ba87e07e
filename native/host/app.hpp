#pragma once
// The sync host as an application: the county's replica, accounts, the sync endpoint and the
// scheduler, mounted on a cpp-httplib server. Routes parse, call one service, map errors.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <httplib.h>

#include "auth.hpp"
#include "blobs.hpp"
#include "chain.hpp"
#include "checkpointer.hpp"
#include "config.hpp"
#include "cunwu/sync/host.hpp"
#include "metrics.hpp"
#include "reader.hpp"
#include "snapshot_builder.hpp"
#include "snapshot_cache.hpp"

namespace cunwu::host {

/// The host of one county.
class App {
 public:
  /// Opens DIR/county.db (created by `cunwu-admin demo` or `init`). Errors: not_found (no
  /// county in the database yet: run cunwu-admin first), storage_error, schema_too_new.
  static Result<std::unique_ptr<App>> open(const ServerConfig& config);
  /// Runs the sync requests still queued, then stops the sync threads.
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  /// Registers every route on `server` (and the web app's files when configured).
  void mount(httplib::Server& server);
  /// The scheduler's job at host time `at`: escalates appeals whose deadline has passed, links
  /// new ops into the hash chain and signs a checkpoint when there are new ops. Which appeals
  /// are overdue is read on a connection of its own, beside the syncs; only escalating them
  /// takes the replica's lock. Returns how many appeals were escalated. Error storage_error.
  Result<std::size_t> run_jobs(TimeMs at);

  Replica& replica() { return *replica_; }
  Auth& auth() { return *auth_; }
  Metrics& metrics() { return metrics_; }

 private:
  explicit App(ServerConfig config) : config_(std::move(config)) {}
  using Handler = std::function<Result<nlohmann::json>(const httplib::Request&, httplib::Response&)>;
  /// Wraps a route: one lock (unless `locked` is false: the handler takes it itself), errors to
  /// catalogued JSON, nothing thrown out, a log line, metrics.
  httplib::Server::Handler route(const std::string& name, Handler handler, bool locked = true);
  Result<UserId> session_user(const httplib::Request& req);

  Result<nlohmann::json> post_sync(const httplib::Request& req, httplib::Response& res);
  Result<nlohmann::json> post_snapshot(const httplib::Request& req, httplib::Response& res);
  Result<nlohmann::json> post_register(const httplib::Request& req);
  Result<nlohmann::json> post_login(const httplib::Request& req);
  Result<nlohmann::json> post_logout(const httplib::Request& req);
  Result<nlohmann::json> get_me(const httplib::Request& req);
  Result<nlohmann::json> get_appeals(const httplib::Request& req);
  Result<nlohmann::json> get_directory(const httplib::Request& req);
  Result<nlohmann::json> get_checkpoint();
  // Attachments (blob_routes.cpp): upload and download of content-addressed blobs.
  Result<nlohmann::json> put_blob(const httplib::Request& req);
  Result<nlohmann::json> get_blob(const httplib::Request& req, httplib::Response& res);

  /// A sync request waiting for its batch (group commit, see post_sync).
  struct SyncJob {
    std::string token;
    sync::SyncRequest req;
    std::optional<Result<sync::SyncResponse>> result;  ///< set by the batch that took it, or by its pull
    // Its own lock, so that waking 30 waiters after a batch does not make them queue for
    // queue_mu_ (the batch thread notifies while holding it: the waiter owns the job).
    std::mutex mu;
    bool done = false;                  ///< result is set (guarded by mu)
    std::condition_variable wake;       ///< done
  };
  /// Jobs whose pushes are committed, waiting for their pulls; pending[i] and results[i]
  /// (with its acks) are jobs[i]'s.
  struct Committed {
    std::vector<SyncJob*> jobs;
    std::vector<sync::Host::Pending> pending;
    std::vector<Result<sync::SyncResponse>> results;
    std::string directory_version;  ///< the replica's org tree when they were pushed
  };
  // The sync pipeline (sync_batches.cpp).
  /// Starts the batch thread and the pull thread.
  void start_sync_threads();
  /// Lets both threads finish every job queued, then joins them.
  void stop_sync_threads();
  /// Marks each job done and wakes its request.
  static void finish(const std::vector<SyncJob*>& jobs);
  /// The batch thread: runs the queued sync jobs' pushes as batches until stopping.
  void run_batches();
  /// Pushes `jobs` as one batch (push_batch) and catches what throws. Called with mu_ held.
  Committed push_sync_batch(const std::vector<SyncJob*>& jobs);
  /// One transaction: sessions, pushes, chain links, one commit. A job answered already (an
  /// error) gets its result; the others are returned, committed, for their pulls.
  Committed push_batch(const std::vector<SyncJob*>& jobs);
  /// The pull thread: runs the committed jobs' pulls until stopping, and answers them.
  void run_pulls();
  /// The pulls of `c`, on pulls_reader_ in one read transaction (on the replica, under mu_,
  /// when the database holds another org tree); each result gets its ops or an error.
  void pull_committed(Committed& c);

  ServerConfig config_;
  std::mutex mu_;  // the replica is single-threaded: requests take turns with it
  std::mutex queue_mu_;               // guards sync_queue_ and stopping_
  std::vector<SyncJob*> sync_queue_;  // jobs waiting for the next batch
  std::condition_variable batches_wake_;  // a job queued, or stopping_
  bool stopping_ = false;
  std::thread batches_;               // runs the sync batches' pushes (run_batches)
  std::mutex pulls_mu_;               // guards pulls_queue_ and pulls_stopping_
  std::vector<Committed> pulls_queue_;  // committed batches waiting for their pulls
  std::condition_variable pulls_wake_;  // a batch handed over, or pulls_stopping_
  bool pulls_stopping_ = false;
  std::thread pulls_;                 // runs the pulls (run_pulls)
  std::unique_ptr<Reader> pulls_reader_;  // the pull thread's connection; used by it only
  std::mutex jobs_mu_;                    // one run_jobs at a time
  std::unique_ptr<Reader> jobs_reader_;   // run_jobs' connection (guarded by jobs_mu_)
  std::mutex reads_mu_;                   // one integration read (GET /v1/appeals) at a time
  std::unique_ptr<Reader> reads_reader_;  // their connection (guarded by reads_mu_)
  // The replica's WAL, copied off the requests' path; declared first so that it outlives the
  // replica, whose commits nudge it.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Replica> replica_;
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<sync::Host> sync_;
  SigningKey key_;  // signs the hash chain's checkpoints (DIR/host.key)
  std::unique_ptr<BlobFiles> blobs_;  // attachments' bytes (DIR/blobs); read and written without mu_
  std::unique_ptr<SnapshotCache> snapshots_;  // built snapshots kept for reuse; used without mu_
  std::unique_ptr<SnapshotBuilder> builder_;  // builds snapshots on its own connection, without mu_
  Metrics metrics_;
};

/// The host's clock: official time for numbers, deadlines and escalations.
TimeMs host_now();

/// A JSON log line on stderr: {"ts":..., "level":..., "msg":..., ...fields}.
void log_line(const char* level, const std::string& msg, const nlohmann::json& fields = nlohmann::json::object());

}  // namespace cunwu::host
