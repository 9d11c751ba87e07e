#pragma once
// The sync host's configuration: a JSON file (--config) and command-line flags (flags win).
#include <string>
#include <vector>

#include "cunwu/base/result.hpp"
#include "cunwu/sync/protocol.hpp"

namespace cunwu::host {

/// Everything `cunwu-server` can be told.
struct ServerConfig {
  std::string data_dir;               ///< --data: holds county.db (required)
  std::string bind = "127.0.0.1";     ///< --bind: address to listen on
  int port = 8080;                    ///< --port: 0 picks a free port (printed at start)
  int threads = 8;                    ///< --threads: request worker threads
  std::string web_dir;                ///< --web: the web app's files to serve at / (optional)
  std::size_t max_body_bytes = 4 << 20;  ///< --max-body: request body limit in bytes
  int timeout_s = 15;                 ///< --timeout: read/write timeout per request, seconds
  int job_interval_s = 60;            ///< --job-interval: escalation check interval, seconds
  std::int64_t session_days = 90;     ///< --session-days: how long a login lasts
  sync::Limits limits;                ///< --max-push, --max-pull: ops per round trip
  std::size_t snapshot_cache_bytes = 256 << 20;  ///< --snapshot-cache: gzipped snapshots kept for reuse (0: none)
  std::int64_t snapshot_max_lag = 5000;  ///< --snapshot-max-lag: ops a kept snapshot may be behind the log
  std::int64_t db_cache_mib = 256;    ///< --db-cache: the county database's pages kept in memory, MiB
  int batch_max = 200;                ///< --batch-max: most sync requests in one batch (one commit)
};

/// The --help text, documenting every flag.
std::string usage();

/// Parses `args` (without the program name). A "--config FILE" is read first, then flags
/// override it. Errors: invalid_input (unknown flag, bad value, missing --data, unreadable file).
Result<ServerConfig> parse_config(const std::vector<std::string>& args);

}  // namespace cunwu::host
