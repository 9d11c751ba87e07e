// sync_driver: native sync clients (the core + cpp-httplib) against a real cunwu-server on
// loopback, for scripts/sync_bench.sh. Every command prints one JSON line on stdout and exits
// non-zero on any error (a benchmark that cannot do its work must not report figures).
//
//   seed     --port P --target-ops N --state DIR
//            pairs of devices (a villager files appeals, the courtyard head handles them, the
//            villager rates) push through /v1/sync until the host holds about N ops; 12 ops per
//            appeal (file, number by the host, accept, 6 replies, dispatch, resolve, rate). The
//            devices' databases stay in DIR for the next seed run against the same host.
//   pull     --port P --phone PHONE --db FILE --replica ID
//            one device syncs until settled (a fresh file: an initial sync; an existing one:
//            incremental); reports the time from the first request to settled.
//   register --port P --invite CODE --count N --out FILE
//            registers N villagers with one invite code (POST /v1/auth/register), one
//            "user phone token" line each in FILE.
//   load     --port P --accounts FILE --courtyard C --requests K --ops B [--pull none] [--host-pid PID]
//            [--cursors FILE] [--rate R]
//            one device per account (villagers of courtyard C); each pre-authors K*B appeals,
//            makes one round trip to get its cursor, then all push concurrently, K requests of
//            B ops each, back to back, each request a normal sync round trip (push, and pull
//            from the device's cursor).
//            Reports ops accepted per second and request latency percentiles, the CPU time the
//            driver (and, given --host-pid, the host) spent while the clock ran, and from the
//            host's /metrics its writer's batches: how many, their size, and its busy share.
//            Diagnostic: --pull none sends a cursor beyond the log, so that the figures are the
//            push alone.
//            --cursors FILE: each device starts from the cursor its account's device reached
//            in an earlier run (FILE, "user cursor" lines, written at the end of each run), as a
//            phone that synced before; without it, or for an account not in it, from 0.
//            --rate R (ops/s, open loop): instead of back to back, the devices together offer R
//            ops a second: device i sends its k-th request at start + (i/N + k) * N*B/R, or when
//            its previous one returns if that is later, and a request's latency counts from the
//            time it was due (so a host that falls behind is charged for the wait, as wrk2 does).
//
// Sections: flags and JSON | HTTP and devices | seed | pull | register | load | main.
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "cunwu/replica.hpp"
#include "cunwu/sync/client.hpp"

namespace cunwu::bench {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "cunwu-demo";
constexpr int kOpsPerAppeal = 12;

// --- flags and JSON ---------------------------------------------------------------------

struct Flags {
  std::map<std::string, std::string> v;
  std::string get(const std::string& k) const {
    const auto it = v.find(k);
    if (it == v.end()) throw std::runtime_error("--" + k + " is required");
    return it->second;
  }
  long long num(const std::string& k) const { return std::stoll(get(k)); }
};

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

template <class T>
T must(Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + std::string(errc_name(r.error().code)) + " " + r.error().detail);
  return std::move(r).value();
}
void must(Status s, const std::string& what) {
  if (!s) throw std::runtime_error(what + ": " + std::string(errc_name(s.error().code)) + " " + s.error().detail);
}

const org::Directory& county() {
  static const org::Directory dir = [] {
    std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/county.json");
    std::stringstream text;
    text << in.rdbuf();
    return must(org::directory_from_json(Json::parse(text.str())), "demo county");
  }();
  return dir;
}

// --- HTTP and devices -------------------------------------------------------------------

std::unique_ptr<httplib::Client> http(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_keep_alive(true);
  c->set_tcp_nodelay(true);
  c->set_read_timeout(120, 0);
  c->set_write_timeout(120, 0);
  return c;
}

std::string post(httplib::Client& c, const std::string& path, const std::string& body, const std::string& token = {}) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = c.Post(path, headers, body, "application/json");
  if (!res) throw std::runtime_error("POST " + path + ": " + httplib::to_string(res.error()));
  if (res->status != 200) throw std::runtime_error("POST " + path + ": HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 300));
  return std::move(res->body);
}

Json post_json(httplib::Client& c, const std::string& path, const std::string& body, const std::string& token = {}) {
  return Json::parse(post(c, path, body, token));
}

std::string login(httplib::Client& c, const std::string& phone) {
  return post_json(c, "/v1/auth/login", Json{{"phone", phone}, {"password", kPassword}}.dump())["token"];
}

/// One device: a replica on the system clock with its sync client, logged in.
struct Device {
  /// `durable`: FULL sync, as a phone keeps its data; seeding devices trade that for speed.
  Device(int port, const std::string& replica, const std::string& phone, const std::string& path = ":memory:",
         bool durable = true)
      : http_(http(port)) {
    ReplicaOptions options;
    options.path = path;
    options.id = ReplicaId(replica);
    options.db.synchronous_full = durable;
    r = must(Replica::open(std::move(options)), "open " + replica);
    if (r->directory().regions().empty()) must(r->set_directory(county()), "directory");
    client = std::make_unique<sync::Client>(*r);
    if (!phone.empty()) token = login(*http_, phone);
  }
  /// Syncs until the host has no more and nothing is pending.
  struct Stats {
    int trips = 0;
    std::size_t pulled = 0;
    std::int64_t cursor = 0;
    double http_ms = 0, parse_ms = 0, apply_ms = 0;  ///< waiting for the host, parsing, applying
  };
  Stats sync_all() {
    Stats s;
    for (;;) {
      const auto req = must(client->request(now()), "request");
      const auto t0 = Clock::now();
      auto res = http_->Post("/v1/sync", {{"Authorization", "Bearer " + token}}, sync::to_json(req).dump(), "application/json");
      if (!res) throw std::runtime_error("sync: " + httplib::to_string(res.error()));
      if (res->status != 200) throw std::runtime_error("sync: HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 300));
      s.http_ms += ms_since(t0);
      const auto t1 = Clock::now();
      const auto resp = must(sync::response_from_json(Json::parse(res->body)), "response");
      s.parse_ms += ms_since(t1);
      const auto t2 = Clock::now();
      const auto report = must(client->apply(req, resp, now()), "apply");
      s.apply_ms += ms_since(t2);
      if (!report.rejected.empty()) {
        throw std::runtime_error("rejected: " + std::string(errc_name(report.rejected.front().reason->code)) + " " +
                                 report.rejected.front().reason->detail);
      }
      ++s.trips;
      s.pulled += report.pulled;
      s.cursor = resp.cursor;
      if (!report.more && must(client->pending(), "pending") == 0) return s;
    }
  }
  static TimeMs now() { return TimeMs{clock::system_clock()()}; }

  std::unique_ptr<httplib::Client> http_;
  std::unique_ptr<Replica> r;
  std::unique_ptr<sync::Client> client;
  std::string token;
};

// --- seed -------------------------------------------------------------------------------

struct Pair {
  const char* villager;
  const char* villager_phone;
  const char* head;
  const char* head_phone;
  const char* courtyard;
};
constexpr Pair kPairs[] = {
    {"wang", "13800000001", "head-hs1", "13800000006", "qs/dq/hs/y1"},
    {"chen", "13800000003", "head-hs2", "13800000008", "qs/dq/hs/y2"},
    {"zhao", "13800000005", "head-lj1", "13800000009", "qs/lh/lj/y1"},
};

// `appeals` appeals through their whole life, in batches, by one villager and one head. The
// devices keep their databases in `state`, so a later seed run resumes from their cursors
// instead of pulling the county again.
void seed_pair(int port, const Pair& p, std::size_t appeals, const std::string& state) {
  const std::string v_id = std::string("seed-") + p.villager, h_id = std::string("seed-") + p.head;
  Device villager(port, v_id, p.villager_phone, state + "/" + v_id + ".db", false);
  Device head(port, h_id, p.head_phone, state + "/" + h_id + ".db", false);
  appeals::Service vs(*villager.r), hs(*head.r);
  const UserId v(p.villager), h(p.head);
  constexpr std::size_t kBatch = 80;  // 9 head ops per appeal: 720 ops, under the 1000-op push limit
  for (std::size_t done = 0; done < appeals;) {
    const std::size_t n = std::min(kBatch, appeals - done);
    std::vector<EntityId> ids;
    for (std::size_t i = 0; i < n; ++i) {
      ids.push_back(must(vs.file(v, {RegionId(p.courtyard), appeals::Category::environment, appeals::Urgency::green,
                                      "院子门口的垃圾桶满了，好几天没人清运。第" + std::to_string(done + i + 1) + "件。", {}, {}}),
                         "file"));
    }
    villager.sync_all();
    head.sync_all();
    for (const auto& id : ids) {
      must(hs.accept(h, id), "accept");
      must(hs.reply(h, id, "收到，今天联系保洁员。"), "reply");
      must(hs.reply(h, id, "保洁员说车坏了，明天一早来。"), "reply");
      must(hs.dispatch(h, id, "村保洁队"), "dispatch");
      for (int k = 0; k < 4; ++k) must(hs.reply(h, id, "保洁队已安排，上午清运，进度" + std::to_string(k + 1) + "。"), "reply");
      must(hs.resolve(h, id, "垃圾已清运，垃圾桶已清洗。"), "resolve");
    }
    head.sync_all();
    villager.sync_all();
    for (const auto& id : ids) must(vs.rate(v, id, appeals::Rating::very_satisfied), "rate");
    villager.sync_all();
    done += n;
  }
}

std::int64_t host_ops(int port) {
  auto c = http(port);
  auto res = c->Get("/healthz");
  if (!res || res->status != 200) throw std::runtime_error("healthz failed");
  return Json::parse(res->body)["ops"].get<std::int64_t>();
}

int cmd_seed(const Flags& f) {
  const int port = int(f.num("port"));
  const auto target = f.num("target-ops");
  const auto before = host_ops(port);
  const auto start = Clock::now();
  const std::size_t appeals = target > before ? std::size_t((target - before + kOpsPerAppeal - 1) / kOpsPerAppeal) : 0;
  const std::string state = f.get("state");
  std::vector<std::thread> threads;
  std::mutex mu;
  std::string failure;
  const std::size_t pairs = std::size(kPairs);
  for (std::size_t i = 0; i < pairs; ++i) {
    const std::size_t share = appeals / pairs + (i < appeals % pairs ? 1 : 0);
    threads.emplace_back([&, i, share] {
      try {
        seed_pair(port, kPairs[i], share, state);
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        failure = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (!failure.empty()) throw std::runtime_error("seed: " + failure);
  const double ms = ms_since(start);
  const auto after = host_ops(port);
  std::cout << Json{{"appeals", appeals}, {"ops_before", before}, {"ops", after}, {"ms", ms}}.dump() << std::endl;
  return 0;
}

// --- pull -------------------------------------------------------------------------------

// A fresh device (no file yet) starts from the host's snapshot, then syncs what came since;
// an existing one syncs incrementally. The time covers both, from the first request.
int cmd_pull(const Flags& f) {
  const int port = int(f.num("port"));
  const std::string db = f.get("db"), replica = f.get("replica");
  auto c = http(port);
  const std::string token = login(*c, f.get("phone"));
  const bool fresh = !std::filesystem::exists(db);
  const auto start = Clock::now();
  Json snapshot = nullptr;
  if (fresh) {
    const auto body = sync::to_json(sync::Client::snapshot_request(ReplicaId(replica), Device::now())).dump();
    auto res = c->Post("/v1/snapshot", {{"Authorization", "Bearer " + token}}, body, "application/json");
    if (!res || res->status != 200) throw std::runtime_error("snapshot: " + (res ? res->body.substr(0, 300) : httplib::to_string(res.error())));
    const double http_ms = ms_since(start);
    const auto t1 = Clock::now();
    ReplicaOptions options;
    options.path = db;
    options.id = ReplicaId(replica);
    must(Replica::open_snapshot(std::move(options), res->body, res->get_header_value("X-Cunwu-Image-Digest")),
         "open the snapshot");
    snapshot = {{"http_ms", http_ms}, {"open_ms", ms_since(t1)}, {"bytes", res->body.size()}};
  }
  Device d(port, replica, "", db);
  d.token = token;
  const auto ops_before = fresh ? std::int64_t(0) : must(d.r->log().ops().count(), "count");
  const auto s = d.sync_all();
  const double ms = ms_since(start);
  const auto ops = must(d.r->log().ops().count(), "count");
  std::cout << Json{{"ms", ms}, {"trips", s.trips}, {"pulled", s.pulled}, {"ops_before", ops_before}, {"ops", ops},
                    {"cursor", s.cursor}, {"http_ms", s.http_ms}, {"parse_ms", s.parse_ms}, {"apply_ms", s.apply_ms},
                    {"snapshot", snapshot}}
                   .dump()
            << std::endl;
  return 0;
}

// --- register ---------------------------------------------------------------------------

int cmd_register(const Flags& f) {
  const int port = int(f.num("port"));
  const auto count = f.num("count");
  const std::string invite = f.get("invite");
  const auto start = Clock::now();
  std::ofstream out(f.get("out"));
  // Two connections: the host hashes one password at a time (argon2id under its lock), the
  // other request's parsing and I/O overlap with it.
  std::vector<std::string> lines(static_cast<std::size_t>(count));
  std::atomic<long long> next{0};
  std::string failure;
  std::mutex mu;
  auto work = [&] {
    auto c = http(port);
    for (long long i; (i = next++) < count;) {
      try {
        const std::string phone = "139" + std::to_string(10'000'000 + i).substr(0, 8);
        const auto j = post_json(*c, "/v1/auth/register",
                                 Json{{"invite", invite}, {"phone", phone}, {"password", "bench-pass-1"},
                                      {"name", "压测村民" + std::to_string(i)}}
                                     .dump());
        lines[std::size_t(i)] = j["user"].get<std::string>() + " " + phone + " " + j["token"].get<std::string>();
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        failure = e.what();
        return;
      }
    }
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  if (!failure.empty()) throw std::runtime_error("register: " + failure);
  for (const auto& l : lines) out << l << "\n";
  std::cout << Json{{"registered", count}, {"ms", ms_since(start)}}.dump() << std::endl;
  return 0;
}

// --- load -------------------------------------------------------------------------------

// CPU time (user + system) of this process, in ms.
double own_cpu_ms() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto ms = [](const timeval& t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

// CPU time (user + system) of process `pid` from /proc, in ms; -1 when it cannot be read.
double process_cpu_ms(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);  // one line
  const auto paren = stat.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // fields 3..13
  long long utime = 0, stime = 0;
  if (!(fields >> utime >> stime)) return -1;
  return double(utime + stime) * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

struct Loader {
  std::string user, token;
  std::unique_ptr<Replica> r;
  sync::SyncRequest base;       ///< what the device's sync client would send, without its push
  std::vector<oplog::Op> ops;   ///< its appeals, authored offline before the clock starts
  std::vector<std::string> bodies;  ///< its requests' bodies (LoadRun::write_bodies)
  std::int64_t cursor = 0;
};

// One device per account line ("user phone token"), each knowing its user (registered on the
// host after the demo county was written) and holding `n` appeals it filed offline.
std::vector<Loader> prepare_loaders(const std::string& accounts, const RegionId& courtyard, std::size_t n) {
  std::vector<Loader> loaders;
  std::ifstream in(accounts);
  const std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1'000'000'007);
  for (std::string user, phone, token; in >> user >> phone >> token;) {
    Loader l{user, token, nullptr, {}, {}, {}, 0};
    org::Directory dir = county();
    must(dir.add_user(org::User{UserId(user), "压测村民", courtyard, {}}), "add user");
    must(dir.grant(UserId(user), org::Role::villager, courtyard), "grant");
    ReplicaOptions options;
    options.id = ReplicaId("load-" + run + "-" + std::to_string(loaders.size()));
    l.r = must(Replica::open(std::move(options)), "open");
    must(l.r->set_directory(std::move(dir)), "directory");
    appeals::Service s(*l.r);
    for (std::size_t k = 0; k < n; ++k) {
      (void)must(s.file(UserId(user), {courtyard, appeals::Category::hazard, appeals::Urgency::yellow,
                                        "村口桥面裂缝变宽，雨天有危险。", {}, {}}),
                 "file");
    }
    l.base = must(sync::Client(*l.r).request(Device::now()), "request");
    l.ops = std::move(l.base.push);
    l.base.push.clear();
    loaders.push_back(std::move(l));
  }
  if (loaders.empty()) throw std::runtime_error("no accounts in " + accounts);
  return loaders;
}

// What the devices of one load run share.
struct LoadRun {
  int port = 0;
  std::size_t requests = 0, per_request = 0;
  bool skip_pull = false;  ///< diagnostic: a cursor beyond the log, so that pulls find nothing
  double rate = 0;         ///< ops/s offered by all devices together (open loop); 0: back to back
  Clock::time_point start;  ///< when the clock started (set before `go` opens)
  std::vector<Loader> loaders;
  std::vector<std::vector<double>> latencies;
  std::atomic<std::size_t> accepted{0}, rejected{0}, pulled{0};
  std::unique_ptr<std::latch> ready;  ///< counts the devices that are ready (or failed)
  std::latch go{1};
  std::mutex mu, connect_mu;
  std::string failure;

  // The body of request k (k == requests: nothing to push), from the device's cursor: the
  // device's bytes, as sync::to_json writes them, with the cursor and the send time of now.
  std::string body(const Loader& l, std::size_t k) const {
    std::string b = l.bodies[k];
    replace_once(b, kCursorMark, std::to_string(l.cursor));
    replace_once(b, kSentAtMark, std::to_string(Device::now().ms));
    return b;
  }
  // Writes each device's bodies before the clock starts, with marks where the cursor and the
  // send time go: what a phone serializes for a sync is not the host's work, and 200 devices
  // doing it on the host's 2 cores would be timed as the host's.
  void write_bodies() {
    for (auto& l : loaders) {
      for (std::size_t k = 0; k <= requests; ++k) {
        sync::SyncRequest req = l.base;
        req.cursor = kCursorMark;
        req.sent_at = kSentAtMark;
        if (k < requests) req.push.assign(l.ops.begin() + std::ptrdiff_t(k * per_request), l.ops.begin() + std::ptrdiff_t((k + 1) * per_request));
        l.bodies.push_back(sync::to_json(req).dump());
      }
    }
  }
  static constexpr std::int64_t kCursorMark = -7'306'514'913'531'001, kSentAtMark = -7'306'514'913'531'002;
  static void replace_once(std::string& body, std::int64_t mark, const std::string& value) {
    const std::string text = std::to_string(mark);
    const auto at = body.find(text);
    if (at == std::string::npos || body.find(text, at + 1) != std::string::npos) {
      throw std::runtime_error("the request body does not hold its mark once");
    }
    body.replace(at, text.size(), value);
  }
};

/// What a device under load reads of a sync answer: its acks and cursor, and how many ops came.
struct LoadAnswer {
  std::size_t accepted = 0, rejected = 0, pulled = 0;
  std::int64_t cursor = 0;
  bool more = false;
};

/// Reads `body`, a sync answer as `sync::to_text` writes it (keys in order, "ops" after "more"),
/// without building the pulled ops: 200 devices parse their answers on the host's own 2 cores,
/// and a whole parse was half of what they did there. The ops are counted by their braces.
LoadAnswer read_load_answer(const std::string& body) {
  const std::string mark = ",\"ops\":[";
  const auto at = body.find(mark);
  if (at == std::string::npos) throw std::runtime_error("sync answer without ops: " + body.substr(0, 300));
  const Json head = Json::parse(body.substr(0, at) + "}");
  LoadAnswer a;
  for (const auto& ack : head.at("acks")) (ack.at("status") == "accepted" ? a.accepted : a.rejected)++;
  a.cursor = head.at("cursor").get<std::int64_t>();
  a.more = head.at("more").get<bool>();
  int depth = 1;
  bool in_string = false, escaped = false;
  for (std::size_t k = at + mark.size(); k < body.size() && depth > 0; ++k) {
    const char ch = body[k];
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '{' || ch == '[') {
      if (ch == '{' && depth == 1) ++a.pulled;
      ++depth;
    } else if (ch == '}' || ch == ']') {
      --depth;
    }
  }
  if (depth != 0) throw std::runtime_error("sync answer cut short");
  return a;
}

// One device of a load run: syncs once to learn its cursor, waits for the start, then pushes.
// Sets `ready` once it has counted itself ready.
void load_device(LoadRun& run, std::size_t i, bool& ready) {
  constexpr std::int64_t kBeyondEverything = std::int64_t(1) << 60;
  auto& l = run.loaders[i];
  auto c = http(run.port);
  if (run.skip_pull) l.cursor = kBeyondEverything;
  {
    // Round trips with nothing to push until nothing more is waiting: the device's cursor, as a
    // phone that synced before. One device at a time: 200 connects at once overflow the host's
    // listen backlog (5 in cpp-httplib), and the host would reset some of them.
    std::lock_guard lock(run.connect_mu);
    for (bool more = true; more;) {
      const auto a = read_load_answer(post(*c, "/v1/sync", run.body(l, run.requests), l.token));
      l.cursor = a.cursor;
      more = a.more;
    }
  }
  if (run.skip_pull) l.cursor = kBeyondEverything;  // the host answered with the cursor we sent
  run.ready->count_down();
  ready = true;
  // The host closes a connection idle for 5 s, and this cpp-httplib does not notice before
  // writing to it; reconnecting when the clock starts would time 200 connects through the
  // host's listen backlog. So a waiting device keeps its connection warm.
  for (auto warm = Clock::now(); !run.go.try_wait(); std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
    if (ms_since(warm) < 2000) continue;
    if (auto res = c->Get("/healthz"); !res || res->status != 200) throw std::runtime_error("healthz failed");
    warm = Clock::now();
  }
  // Open loop: the device's requests are due on a fixed schedule, spread evenly over devices.
  const auto period = std::chrono::duration<double>(run.rate > 0 ? double(run.loaders.size() * run.per_request) / run.rate : 0);
  const auto due = [&](std::size_t k) {
    return run.start + std::chrono::duration_cast<Clock::duration>(period * (double(i) / double(run.loaders.size()) + double(k)));
  };
  for (std::size_t k = 0; k < run.requests; ++k) {
    const std::string b = run.body(l, k);
    auto t0 = Clock::now();
    if (run.rate > 0) {
      std::this_thread::sleep_until(due(k));
      t0 = due(k);  // late or not, the request was due then
    }
    LoadAnswer a;
    try {
      a = read_load_answer(post(*c, "/v1/sync", b, l.token));
    } catch (const std::exception& e) {
      throw std::runtime_error("device " + std::to_string(i) + ", request " + std::to_string(k + 1) + " after " +
                               std::to_string(int(ms_since(t0))) + " ms: " + e.what());
    }
    run.latencies[i].push_back(ms_since(t0));
    if (!run.skip_pull) l.cursor = a.cursor;
    run.accepted += a.accepted;
    run.rejected += a.rejected;
    run.pulled += a.pulled;
  }
}

// The host's writer counters (GET /metrics): batches, the requests they held, seconds busy.
struct WriterCounters {
  double batches = 0, requests = 0, seconds = 0;
};
WriterCounters writer_counters(int port) {
  const auto res = http(port)->Get("/metrics");
  if (!res || res->status != 200) throw std::runtime_error("GET /metrics failed");
  const auto value = [&](const std::string& name) {
    const auto at = res->body.find("\n" + name + " ");
    if (at == std::string::npos) throw std::runtime_error("no " + name + " in /metrics");
    return std::stod(res->body.substr(at + name.size() + 2));
  };
  return {value("cunwu_sync_batches_total"), value("cunwu_sync_batch_requests_total"),
          value("cunwu_sync_batch_seconds_total")};
}

int cmd_load(const Flags& f) {
  LoadRun run;
  run.port = int(f.num("port"));
  run.requests = std::size_t(f.num("requests"));
  run.per_request = std::size_t(f.num("ops"));
  run.skip_pull = f.v.contains("pull") && f.get("pull") == "none";
  run.rate = f.v.contains("rate") ? double(f.num("rate")) : 0;
  const auto prep = Clock::now();
  run.loaders = prepare_loaders(f.get("accounts"), RegionId(f.get("courtyard")), run.requests * run.per_request);
  const std::string cursors = f.v.contains("cursors") ? f.get("cursors") : "";
  if (!cursors.empty() && !run.skip_pull) {
    std::map<std::string, std::int64_t> reached;
    std::ifstream in(cursors);
    std::string user;
    for (std::int64_t c = 0; in >> user >> c;) reached[user] = c;
    for (auto& l : run.loaders) {
      if (const auto it = reached.find(l.user); it != reached.end()) l.cursor = it->second;
    }
  }
  run.write_bodies();
  run.latencies.resize(run.loaders.size());
  run.ready = std::make_unique<std::latch>(std::ptrdiff_t(run.loaders.size()));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < run.loaders.size(); ++i) {
    threads.emplace_back([&run, i] {
      bool ready = false;
      try {
        load_device(run, i, ready);
      } catch (const std::exception& e) {
        std::lock_guard lock(run.mu);
        run.failure = e.what();
      }
      if (!ready) run.ready->count_down();  // failed before the start: do not hold the others
    });
  }
  run.ready->wait();
  const double prep_ms = ms_since(prep);
  const long host_pid = f.v.contains("host-pid") ? long(f.num("host-pid")) : 0;
  const double host_cpu0 = host_pid > 0 ? process_cpu_ms(host_pid) : -1, own_cpu0 = own_cpu_ms();
  const auto writer0 = writer_counters(run.port);
  const auto start = Clock::now();
  run.start = start;
  run.go.count_down();
  for (auto& t : threads) t.join();
  const double seconds = ms_since(start) / 1000.0;
  const auto writer1 = writer_counters(run.port);
  const double own_cpu = own_cpu_ms() - own_cpu0;
  const double host_cpu = host_pid > 0 && host_cpu0 >= 0 ? process_cpu_ms(host_pid) - host_cpu0 : -1;
  if (!run.failure.empty()) throw std::runtime_error("load: " + run.failure);
  if (run.rejected > 0) throw std::runtime_error("load: " + std::to_string(run.rejected.load()) + " ops not accepted");
  if (!cursors.empty() && !run.skip_pull) {
    std::ofstream out(cursors, std::ios::trunc);
    for (const auto& l : run.loaders) out << l.user << ' ' << l.cursor << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write " + cursors);
  }
  std::vector<double> all;
  for (const auto& l : run.latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all[std::min(all.size() - 1, std::size_t(p * double(all.size())))]; };
  std::cout << Json{{"clients", run.loaders.size()}, {"requests", all.size()},   {"ops", run.accepted.load()},
                    {"pulled", run.pulled.load()},
                    {"offered_ops_per_s", run.rate},
                    {"seconds", seconds},            {"ops_per_s", double(run.accepted) / seconds},
                    {"p50_ms", pct(0.50)},           {"p99_ms", pct(0.99)},       {"max_ms", all.back()},
                    {"prep_ms", prep_ms},            {"driver_cpu_ms", own_cpu},  {"host_cpu_ms", host_cpu},
                    // how the host's one writer fared: its batches, and its busy share of the run
                    {"batches", writer1.batches - writer0.batches},
                    {"requests_per_batch", (writer1.requests - writer0.requests) / std::max(1.0, writer1.batches - writer0.batches)},
                    {"writer_busy", (writer1.seconds - writer0.seconds) / seconds}}
                   .dump()
            << std::endl;
  return 0;
}

// --- main -------------------------------------------------------------------------------

int run(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sync_driver seed|pull|register|load --port P ... (see the file's header)\n");
    return 2;
  }
  const std::string cmd = argv[1];
  Flags f;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (!k.starts_with("--")) throw std::runtime_error("unexpected argument " + k);
    f.v[k.substr(2)] = argv[i + 1];
  }
  if (cmd == "seed") return cmd_seed(f);
  if (cmd == "pull") return cmd_pull(f);
  if (cmd == "register") return cmd_register(f);
  if (cmd == "load") return cmd_load(f);
  throw std::runtime_error("unknown command " + cmd);
}

}  // namespace
}  // namespace cunwu::bench

int main(int argc, char** argv) {
  try {
    return cunwu::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sync_driver: %s\n", e.what());
    return 1;
  }
}
