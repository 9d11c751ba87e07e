// kill -9 of the host while phones push: after a restart every op the host acknowledged is
// there exactly once, and phones that retry converge with it.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "admin.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/sync/client.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using Json = nlohmann::json;

/// cunwu-server as a child process on a free port.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& data) {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      // Its JSON log goes to a file next to the data, not into the test's output.
      if (FILE* log = std::fopen((data + "/server.log").c_str(), "a")) dup2(fileno(log), STDERR_FILENO);
      execl(CUNWU_SERVER_BIN, CUNWU_SERVER_BIN, "--data", data.c_str(), "--port", "0", "--threads", "8",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    // The first line says where it listens: "cunwu-server listening on http://127.0.0.1:PORT/".
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const auto colon = line.rfind(':');
    port_ = colon == std::string::npos ? 0 : std::atoi(line.c_str() + colon + 1);
    EXPECT_GT(port_, 0) << line;
  }
  ~ServerProcess() {
    if (pid_ > 0) kill_now(SIGTERM);
  }
  /// Sends `sig` and waits for the process to end; its wait status.
  int kill_now(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Pusher {
  Pusher(const std::string& id, const std::string& phone)
      : user(phone), clock(testing::demo_start()), replica(testing::demo_replica(id, clock)), client(*replica) {}
  std::string user;
  testing::FakeClock clock;
  std::unique_ptr<Replica> replica;
  sync::Client client;
  std::string token;
  std::mutex mu;  // replica access: the pushing thread and the test's checks
};

/// One sync over HTTP; false when the host did not answer (it is down).
bool sync_once(Pusher& p, int port) {
  std::lock_guard lock(p.mu);
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(1, 0);
  http.set_read_timeout(5, 0);
  if (p.token.empty()) {
    auto res = http.Post("/v1/auth/login", Json{{"phone", p.user}, {"password", "cunwu-demo"}}.dump(), "application/json");
    if (!res || res->status != 200) return false;
    p.token = Json::parse(res->body)["token"];
  }
  auto req = p.client.request(p.clock.now());
  if (!req) return false;
  auto res = http.Post("/v1/sync", {{"Authorization", "Bearer " + p.token}}, sync::to_json(*req).dump(), "application/json");
  if (!res || res->status != 200) return false;
  auto resp = sync::response_from_json(Json::parse(res->body));
  return resp && p.client.apply(*req, *resp, p.clock.now());
}

std::int64_t ops_on_disk(const std::string& db_path, const std::string& origin) {
  auto db = store::Db::open(db_path);
  EXPECT_TRUE(db);
  auto st = (*db)->prepare("SELECT COUNT(*), COUNT(DISTINCT counter) FROM ops WHERE origin=?");
  (*st)->bind(1, origin);
  EXPECT_TRUE((*st)->step());
  EXPECT_EQ((*st)->int64(0), (*st)->int64(1)) << "an op stored twice";
  const auto n = (*st)->int64(0);
  (*st)->reset();
  return n;
}

TEST(CrashSafety, KillNineWhilePushingLosesNoAcknowledgedOp) {
  testing::TempDir dir;
  const std::string data = dir.file("county");
  std::ostringstream quiet;
  ASSERT_TRUE(host::admin_demo(data, CUNWU_SHARED_DIR, quiet));
  auto server = std::make_unique<ServerProcess>(data);
  std::atomic<int> port{server->port()};
  // Villagers of the demo county, each on a phone, filing and syncing as fast as they can.
  const std::vector<std::pair<std::string, std::string>> people = {
      {"phone-wang", "13800000001"}, {"phone-li", "13800000002"}, {"phone-chen", "13800000003"}, {"phone-sun", "13800000004"}};
  std::vector<std::unique_ptr<Pusher>> pushers;
  for (const auto& [id, phone] : people) pushers.push_back(std::make_unique<Pusher>(id, phone));
  const std::map<std::string, std::pair<const char*, const char*>> who = {
      {"phone-wang", {"wang", "qs/dq/hs/y1"}}, {"phone-li", {"li", "qs/dq/hs/y1"}},
      {"phone-chen", {"chen", "qs/dq/hs/y2"}}, {"phone-sun", {"sun", "qs/dq/sm/y1"}}};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (auto& p : pushers) {
    threads.emplace_back([&, pp = p.get()] {
      const auto [user, yard] = who.at(pp->replica->id().str());
      for (int i = 0; !stop; ++i) {
        {
          std::lock_guard lock(pp->mu);
          for (int k = 0; k < 5; ++k) {
            (void)appeals::Service(*pp->replica).file(UserId(user), {RegionId(yard), appeals::Category::other,
                                                                     appeals::Urgency::green, "第" + std::to_string(i) + "件", {}, {}});
          }
        }
        if (!sync_once(*pp, port)) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // What the phones know was acknowledged before the crash, read just before the kill.
  std::map<std::string, std::int64_t> acked;
  for (auto& p : pushers) {
    std::lock_guard lock(p->mu);
    acked[p->replica->id().str()] = *p->replica->log().ops().max_counter(p->replica->id()) - *p->client.pending();
  }
  server->kill_now(SIGKILL);
  for (const auto& [origin, n] : acked) {
    EXPECT_GT(n, 0) << origin << " had nothing acknowledged before the kill";
    EXPECT_GE(ops_on_disk(data + "/county.db", origin), n) << origin << ": acknowledged ops lost";
  }
  server = std::make_unique<ServerProcess>(data);
  port = server->port();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  stop = true;
  for (auto& t : threads) t.join();
  // Everyone retries until nothing is pending; the host then has each op exactly once.
  for (auto& p : pushers) {
    for (int i = 0; i < 50 && *p->client.pending() > 0; ++i) ASSERT_TRUE(sync_once(*p, port));
    EXPECT_EQ(*p->client.pending(), 0);
  }
  server.reset();
  for (auto& p : pushers) {
    const auto mine = std::int64_t(*p->replica->log().ops().max_counter(p->replica->id()));
    EXPECT_EQ(ops_on_disk(data + "/county.db", p->replica->id().str()), mine) << p->replica->id().str();
  }
}

// SIGTERM while phones sync: the host stops taking connections, finishes what it has, and exits
// on its own with status 0, whichever of its threads the signal reached.
TEST(Shutdown, SigtermWhileSyncingEndsTheHostCleanly) {
  testing::TempDir dir;
  const std::string data = dir.file("county");
  std::ostringstream quiet;
  ASSERT_TRUE(host::admin_demo(data, CUNWU_SHARED_DIR, quiet));
  for (int round = 0; round < 3; ++round) {
    ServerProcess server(data);
    Pusher wang("phone-wang-" + std::to_string(round), "13800000001");
    std::atomic<bool> stop{false};
    std::atomic<int> synced{0};
    std::thread syncing([&] {
      for (int i = 0; !stop; ++i) {
        (void)appeals::Service(*wang.replica).file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::other,
                                                                   appeals::Urgency::green, "第" + std::to_string(i) + "件", {}, {}});
        if (sync_once(wang, server.port())) ++synced;
      }
    });
    while (synced < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const int status = server.kill_now(SIGTERM);
    stop = true;
    syncing.join();
    ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  std::ifstream log(data + "/server.log");
  std::stringstream text;
  text << log.rdbuf();
  std::size_t stopped = 0;
  for (auto at = text.str().find("\"msg\":\"stopped\""); at != std::string::npos; at = text.str().find("\"msg\":\"stopped\"", at + 1)) ++stopped;
  EXPECT_EQ(stopped, 3u);
}

}  // namespace
}  // namespace cunwu
