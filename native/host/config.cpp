#include "config.hpp"

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cunwu::host {
namespace {

Result<long long> parse_number(const std::string& v, long long lo, long long hi) {
  long long n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi) {
    return make_error(Errc::invalid_input, "'" + v + "' is not a number in " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return n;
}

struct Flag {
  const char* help;
  std::function<Status(ServerConfig&, const std::string&)> set;
};

template <class T>
Flag number(const char* help, T ServerConfig::*field, long long lo, long long hi) {
  return {help, [=](ServerConfig& c, const std::string& v) -> Status {
            CUNWU_ASSIGN(const auto n, parse_number(v, lo, hi));
            c.*field = T(n);
            return ok_status();
          }};
}

Flag limit(const char* help, std::size_t sync::Limits::*field) {
  return {help, [=](ServerConfig& c, const std::string& v) -> Status {
            CUNWU_ASSIGN(const auto n, parse_number(v, 1, 100'000));
            c.limits.*field = std::size_t(n);
            return ok_status();
          }};
}

Flag text(const char* help, std::string ServerConfig::*field) {
  return {help, [=](ServerConfig& c, const std::string& v) -> Status {
            c.*field = v;
            return ok_status();
          }};
}

const std::map<std::string, Flag>& flags() {
  static const std::map<std::string, Flag> f = {
      {"batch-max", number("N      most sync requests in one batch, one commit (default 200): more make a commit cheaper "
                           "per op; fewer bound how long the last request of a burst waits",
                           &ServerConfig::batch_max, 1, 10000)},
      {"db-cache", number("MIB    county database pages kept in memory (default 256; SQLite's own 2 MiB made each sync "
                          "batch spill pages and read them back)",
                          &ServerConfig::db_cache_mib, 2, 1 << 20)},
      {"data", text("DIR    directory of the county database (county.db); required", &ServerConfig::data_dir)},
      {"bind", text("ADDR   address to listen on (default 127.0.0.1)", &ServerConfig::bind)},
      {"port", number("N      port to listen on; 0 picks a free one (default 8080)", &ServerConfig::port, 0, 65535)},
      {"threads", number("N      request worker threads (default 8)", &ServerConfig::threads, 1, 256)},
      {"web", text("DIR    serve the web app's files from DIR at /", &ServerConfig::web_dir)},
      {"max-body", number("BYTES  largest request body accepted (default 4194304)", &ServerConfig::max_body_bytes, 1024,
                          1LL << 30)},
      {"timeout", number("SEC    read and write timeout per request (default 15)", &ServerConfig::timeout_s, 1, 3600)},
      {"job-interval", number("SEC    how often overdue appeals are escalated (default 60)", &ServerConfig::job_interval_s,
                              1, 86400)},
      {"session-days", number("DAYS   how long a login lasts (default 90)", &ServerConfig::session_days, 1, 3650)},
      {"max-push", limit("N      most ops a device may push per round trip (default 1000)", &sync::Limits::max_push_ops)},
      {"max-pull", limit("N      most ops returned per round trip (default 1000)", &sync::Limits::max_pull_ops)},
      {"snapshot-cache", number("BYTES  gzipped snapshots kept for new devices of the same people (default 268435456; 0: "
                                "build each one on request)",
                                &ServerConfig::snapshot_cache_bytes, 0, 1LL << 40)},
      {"snapshot-max-lag", number("N      ops a kept snapshot may be behind the log; a new device catches up by syncing "
                                  "(default 5000)",
                                  &ServerConfig::snapshot_max_lag, 0, 1LL << 40)},
  };
  return f;
}

Status apply(ServerConfig& c, const std::string& name, const std::string& value) {
  const auto it = flags().find(name);
  if (it == flags().end()) return make_error(Errc::invalid_input, "unknown option --" + name + " (see --help)");
  auto s = it->second.set(c, value);
  if (!s) return make_error(Errc::invalid_input, "--" + name + ": " + s.error().detail);
  return ok_status();
}

Status read_file(ServerConfig& c, const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(Errc::invalid_input, "cannot read config file " + path);
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::invalid_input, path + " is not a JSON object");
  for (const auto& [key, value] : j.items()) {
    CUNWU_TRY(apply(c, key, value.is_string() ? value.get<std::string>() : value.dump()));
  }
  return ok_status();
}

}  // namespace

std::string usage() {
  std::string out =
      "cunwu-server: the sync host of one county.\n\n"
      "usage: cunwu-server --data DIR [options]\n\n"
      "options:\n"
      "  --config FILE  read options from a JSON file ({\"port\": 8080, ...}); flags given too win\n"
      "  --help         print this text\n";
  for (const auto& [name, flag] : flags()) out += "  --" + name + std::string(13 - std::min<std::size_t>(12, name.size()), ' ') + flag.help + "\n";
  return out;
}

Result<ServerConfig> parse_config(const std::vector<std::string>& args) {
  ServerConfig c;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--config") CUNWU_TRY(read_file(c, args[i + 1]));
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (!name.starts_with("--")) return make_error(Errc::invalid_input, "unexpected argument " + name);
    name = name.substr(2);
    std::string value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return make_error(Errc::invalid_input, "--" + name + " needs a value");
    }
    if (name == "config") continue;
    CUNWU_TRY(apply(c, name, value));
  }
  if (c.data_dir.empty()) return make_error(Errc::invalid_input, "--data DIR is required");
  return c;
}

}  // namespace cunwu::host
