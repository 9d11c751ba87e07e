#pragma once
// Copies the county database's write-ahead log into the database file on a thread and a
// connection of its own, so that the sync batches' commits (on the replica's connection, under
// the replica's lock) do not pay for it.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cunwu/store/db.hpp"

namespace cunwu::host {

class Checkpointer {
 public:
  /// Opens its own connection to `writer`'s database file at `path`, starts the thread, and has
  /// every commit of `writer` nudge it (store::Db::on_commit); `writer` then checkpoints itself
  /// only past 10,000 pages, should this thread fall far behind. `writer` must not commit after
  /// this Checkpointer is gone. Error: storage_error.
  static Result<std::unique_ptr<Checkpointer>> start(store::Db& writer, const std::string& path);
  /// Stops the thread after the checkpoint it may be running, and closes the connection.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;


 private:
  /// Tells the thread that a commit added to the log; it checkpoints soon after (a passive
  /// checkpoint: it never waits for, nor blocks, the writer's connection). Cheap.
  void nudge();
  explicit Checkpointer(std::unique_ptr<store::Db> db) : db_(std::move(db)) {}
  void run();

  std::unique_ptr<store::Db> db_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool nudged_ = false;    // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace cunwu::host
