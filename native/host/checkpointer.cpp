#include "checkpointer.hpp"

#include <pthread.h>

#include <chrono>

#include "app.hpp"

namespace cunwu::host {
namespace {

// At most one checkpoint this often: the pages of the commits in between are copied once, and
// the database file is synced once for them.
constexpr auto kPause = std::chrono::milliseconds(100);
// Log pages past which the writer's commits checkpoint themselves.
constexpr int kBackstopPages = 10'000;

}  // namespace

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(store::Db& writer, const std::string& path) {
  CUNWU_ASSIGN(auto db, store::Db::open(path));
  std::unique_ptr<Checkpointer> c(new Checkpointer(std::move(db)));
  c->thread_ = std::thread([p = c.get()] { p->run(); });
  writer.on_commit([p = c.get()](int) { p->nudge(); }, kBackstopPages);
  return c;
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::run() {
  pthread_setname_np(pthread_self(), "cunwu-ckpt");  // for top -H and perf
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return nudged_ || stopping_; });
    if (stopping_) return;
    nudged_ = false;
    lock.unlock();
    if (auto done = db_->checkpoint(); !done) log_line("error", "checkpoint", {{"detail", done.error().detail}});
    lock.lock();
    if (wake_.wait_for(lock, kPause, [&] { return stopping_; })) return;
  }
}

}  // namespace cunwu::host
