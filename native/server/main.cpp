// cunwu-server: the sync host of one county. Everything but process plumbing is in native/host.
#include <csignal>
#include <cstdio>
#include <thread>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "app.hpp"
#include "cunwu/store/db.hpp"
#include "listener.hpp"

namespace {

using cunwu::host::log_line;

// Stops on SIGTERM/SIGINT: the listener closes, requests in flight finish, then we exit.
// The signals are blocked in every thread and taken by this one, so no handler runs async.
std::thread watch_signals(httplib::Server& server, std::atomic<bool>& stopping) {
  return std::thread([&server, &stopping] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    log_line("info", "stopping", {{"signal", sig}});
    stopping = true;
    server.stop();
  });
}

// Hundreds of request threads allocate and free in bursts. By default glibc hands an arena's
// free top back to the system once 128 KiB are free and grows it again on the next burst, one
// page fault per page: about 7% of the host's CPU under a 200-device sync load. Keep some.
void tune_malloc() {
#ifdef __GLIBC__
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);  // fixed once the above is set; large images still map
#endif
}

int run(int argc, char** argv) {
  tune_malloc();
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("%s", cunwu::host::usage().c_str());
      return 0;
    }
  }
  auto config = cunwu::host::parse_config(args);
  if (!config) {
    std::fprintf(stderr, "cunwu-server: %s\n\n%s", config.error().detail.c_str(), cunwu::host::usage().c_str());
    return 2;
  }
  // Room for the county's cache and the small ones of the host's readers (SQLite's 2 MiB each).
  if (!cunwu::store::reserve_page_cache(config->db_cache_mib + 64)) {
    log_line("warn", "page cache", {{"detail", "no region reserved; SQLite allocates its pages itself"}});
  }
  // Blocked before any thread starts (App::open starts the sync and checkpoint threads), so that
  // every thread inherits the mask: a thread that did not block them would take a SIGTERM and
  // end the process at once, requests in flight and all.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto app = cunwu::host::App::open(*config);
  if (!app) {
    std::fprintf(stderr, "cunwu-server: %s\n", app.error().detail.c_str());
    return 1;
  }

  httplib::Server server;
  const int threads = config->threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(std::size_t(threads)); };
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(config->max_body_bytes);
  server.set_read_timeout(config->timeout_s, 0);
  server.set_write_timeout(config->timeout_s, 0);
  server.set_keep_alive_max_count(1000);
  (*app)->mount(server);

  const auto bound = cunwu::host::bind_listener(server, config->bind, config->port);
  if (!bound) {
    std::fprintf(stderr, "cunwu-server: %s\n", bound.error().detail.c_str());
    return 1;
  }
  const int port = *bound;
  std::printf("cunwu-server listening on http://%s:%d/\n", config->bind.c_str(), port);
  std::fflush(stdout);
  log_line("info", "listening", {{"bind", config->bind}, {"port", port}, {"data", config->data_dir}});

  std::atomic<bool> stopping{false};
  std::thread signals = watch_signals(server, stopping);
  std::thread jobs([&] {
    // The escalation scheduler on the host's clock; checks `stopping` once a second.
    for (int waited = 0; !stopping; ++waited) {
      if (waited % config->job_interval_s == 0) {
        if (auto n = (*app)->run_jobs(cunwu::host::host_now()); !n) log_line("error", "jobs", {{"detail", n.error().detail}});
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  server.listen_after_bind();
  stopping = true;
  if (signals.joinable()) {
    pthread_kill(signals.native_handle(), SIGTERM);  // wake the watcher if the listener ended on its own
    signals.join();
  }
  jobs.join();
  log_line("info", "stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cunwu-server: %s\n", e.what());
    return 1;
  }
}
