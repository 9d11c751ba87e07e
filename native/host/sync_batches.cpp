// The sync route of App, as a pipeline of two threads. A request parses its body on its own
// thread, without the lock, queues itself and sleeps on its own condition variable.
// - The batch thread (run_batches) takes the queued requests, oldest first and at most
//   --batch-max, as one batch: sessions, pushes, chain links, one durable commit, under the
//   replica's lock. Then it hands the batch to the pull thread and takes the next.
// - The pull thread (run_pulls) takes every batch handed to it since it last looked and runs
//   their pulls on a connection of its own (Reader) in one read transaction, which sees every
//   committed push, while the batch thread already writes the next batch. Then it gives each
//   request its answer and wakes it.
// Nothing is answered before its batch commits; a pull reads only what is committed.
#include <pthread.h>

#include <chrono>

#include "app.hpp"

namespace cunwu::host {
namespace {

using Json = nlohmann::json;

}  // namespace

Result<Json> App::post_sync(const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  const std::string header = req.get_header_value("Authorization");
  if (!header.starts_with("Bearer ")) return make_error(Errc::unauthorized, "no bearer token");
  SyncJob job;
  job.token = header.substr(7);
  CUNWU_ASSIGN(job.req, sync::parse_request(req.body, config_.limits));
  {
    std::lock_guard queued(queue_mu_);
    sync_queue_.push_back(&job);
    if (sync_queue_.size() == 1) batches_wake_.notify_one();
  }
  {
    std::unique_lock mine(job.mu);
    job.wake.wait(mine, [&] { return job.done; });
  }
  CUNWU_ASSIGN(const auto response, std::move(*job.result));
  std::size_t rejected = 0;
  for (const auto& a : response.acks) rejected += a.status == sync::AckStatus::rejected;
  metrics_.sync(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                response.acks.size() - rejected, rejected);
  // Written as text straight from the response (the same bytes as to_json(response).dump()):
  // building a JSON tree for every op and then writing it cost more than the rest of the answer.
  res.body = sync::to_text(response);  // moved: this httplib's set_content copies
  res.set_header("Content-Type", "application/json; charset=utf-8");
  return Json::object();
}

void App::start_sync_threads() {
  batches_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "cunwu-batches");  // for top -H and perf
    run_batches();
  });
  pulls_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "cunwu-pulls");
    run_pulls();
  });
}

void App::stop_sync_threads() {
  {
    std::lock_guard queued(queue_mu_);
    stopping_ = true;
  }
  batches_wake_.notify_one();
  if (batches_.joinable()) batches_.join();  // it hands its last batch to the pull thread first
  {
    std::lock_guard queued(pulls_mu_);
    pulls_stopping_ = true;
  }
  pulls_wake_.notify_one();
  if (pulls_.joinable()) pulls_.join();
}

void App::finish(const std::vector<SyncJob*>& jobs) {
  for (auto* j : jobs) {
    std::lock_guard mine(j->mu);  // held while notifying: once released, the waiter may be gone
    j->done = true;
    j->wake.notify_one();
  }
}

void App::run_batches() {
  std::unique_lock queued(queue_mu_);
  for (;;) {
    batches_wake_.wait(queued, [&] { return !sync_queue_.empty() || stopping_; });
    if (sync_queue_.empty()) return;  // stopping, and nothing is waiting
    // The oldest first, at most --batch-max of them: in a burst, a request then waits for the
    // ones queued before it, about as long as any other, not for a whole batch that started just
    // before it came and then its own.
    std::vector<SyncJob*> jobs;
    const auto cap = std::size_t(config_.batch_max);
    if (sync_queue_.size() <= cap) {
      jobs.swap(sync_queue_);
    } else {
      jobs.assign(sync_queue_.begin(), sync_queue_.begin() + std::ptrdiff_t(cap));
      sync_queue_.erase(sync_queue_.begin(), sync_queue_.begin() + std::ptrdiff_t(cap));
    }
    queued.unlock();
    Committed committed;
    const auto started = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu_);
      committed = push_sync_batch(jobs);
    }
    metrics_.batch(jobs.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    // The jobs answered already (an error) are woken now; the others after their pulls.
    std::vector<SyncJob*> answered;
    for (auto* j : jobs) {
      if (j->result) answered.push_back(j);
    }
    finish(answered);
    if (!committed.jobs.empty()) {
      std::lock_guard handed(pulls_mu_);
      pulls_queue_.push_back(std::move(committed));
      if (pulls_queue_.size() == 1) pulls_wake_.notify_one();
    }
    queued.lock();
  }
}

App::Committed App::push_sync_batch(const std::vector<SyncJob*>& jobs) {
  // Every job taken gets a result or a pull, also when something throws (its waiter would
  // sleep forever).
  const auto fail_all = [&](const char* what) {
    sync_->forget_cache();
    for (auto* job : jobs) job->result = make_error(Errc::internal, what);
    return Committed{};
  };
  try {
    return push_batch(jobs);
  } catch (const std::exception& e) {
    return fail_all(e.what());
  } catch (...) {
    return fail_all("unknown exception");
  }
}

App::Committed App::push_batch(const std::vector<SyncJob*>& jobs) {
  const TimeMs at = host_now();
  // The whole batch is one transaction: sessions, pushes with their follow-ups and the chain
  // links. One durable commit (one fsync) and one lock round trip, instead of a second commit
  // for the chain. push_batch commits nothing itself inside this one; each push has its savepoint.
  store::Transaction tx(replica_->db());
  if (!tx.status()) {
    for (auto* job : jobs) job->result = tx.status().error();
    return {};
  }
  Committed out;
  out.directory_version = replica_->directory_version();
  bool pushed = false;
  for (auto* job : jobs) {
    auto user = auth_->authenticate(job->token, at);
    if (!user) {
      job->result = user.error();
      continue;
    }
    out.pending.push_back({*user, &job->req});
    out.jobs.push_back(job);
    pushed = pushed || !job->req.push.empty();
  }
  out.results = sync_->push_batch(out.pending, at);
  if (pushed) {
    // The pushes' ops (and the host's verdicts and follow-ups) join the chain. The chain is
    // evidence, not the record: a failure here is logged and rolled back to its savepoint, the
    // acks stand, and the next batch or the scheduler links what is missing.
    if (auto linked = extend_chain(*replica_); !linked) {
      log_line("error", "chain", {{"error", errc_name(linked.error().code)}, {"detail", linked.error().detail}});
    }
  }
  if (Status committed = tx.commit(); !committed) {
    // No ack may be answered.
    sync_->forget_cache();
    for (auto* job : out.jobs) job->result = committed.error();
    return {};
  }
  // A request whose push failed is answered now; the others go on to their pulls.
  Committed pulls;
  pulls.directory_version = std::move(out.directory_version);
  for (std::size_t i = 0; i < out.jobs.size(); ++i) {
    if (!out.results[i]) {
      out.jobs[i]->result = std::move(out.results[i]);
      continue;
    }
    pulls.jobs.push_back(out.jobs[i]);
    pulls.pending.push_back(std::move(out.pending[i]));
    pulls.results.push_back(std::move(out.results[i]));
  }
  return pulls;
}

void App::run_pulls() {
  std::unique_lock queued(pulls_mu_);
  for (;;) {
    pulls_wake_.wait(queued, [&] { return !pulls_queue_.empty() || pulls_stopping_; });
    if (pulls_queue_.empty()) return;  // stopping, and nothing is waiting
    // Every batch committed since the last look, pulled together: their cursors are near each
    // other, and one read transaction serves them all.
    std::vector<Committed> taken;
    taken.swap(pulls_queue_);
    queued.unlock();
    Committed all = std::move(taken.front());
    for (std::size_t k = 1; k < taken.size(); ++k) {
      auto& c = taken[k];
      all.jobs.insert(all.jobs.end(), c.jobs.begin(), c.jobs.end());
      all.pending.insert(all.pending.end(), c.pending.begin(), c.pending.end());
      for (auto& r : c.results) all.results.push_back(std::move(r));
      all.directory_version = std::move(c.directory_version);  // the newest tree
    }
    pull_committed(all);
    for (std::size_t i = 0; i < all.jobs.size(); ++i) all.jobs[i]->result = std::move(all.results[i]);
    finish(all.jobs);
    queued.lock();
  }
}

void App::pull_committed(Committed& c) {
  const auto fail_all = [&](const Error& e) {
    for (auto& r : c.results) r = e;
  };
  try {
    auto view = pulls_reader_->with_tree(c.directory_version);
    if (!view) return fail_all(view.error());
    if (!*view) {
      // The database holds another org tree than the replica (cunwu-admin changed it while the
      // host runs): pulled on the replica, under its lock, by the replica's tree.
      std::lock_guard lock(mu_);
      return sync_->pull_batch(c.pending, c.results);
    }
    store::Transaction read((*view)->replica.db(), store::Transaction::Mode::read);
    if (!read.status()) return fail_all(read.status().error());
    (*view)->host.pull_batch(c.pending, c.results);
  } catch (const std::exception& e) {
    fail_all(make_error(Errc::internal, e.what()));
  } catch (...) {
    fail_all(make_error(Errc::internal, "unknown exception"));
  }
}

}  // namespace cunwu::host
