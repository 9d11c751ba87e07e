#pragma once
// The real sync host on a loopback port for the server tests: cunwu-server's App with the demo
// county, logging in over HTTP, and phones (a core replica with its sync client) syncing with it.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <thread>

#include "admin.hpp"
#include "app.hpp"
#include "listener.hpp"
#include "cunwu/sync/client.hpp"
#include "support/fixture.hpp"

namespace cunwu::testing {

using Json = nlohmann::json;

/// cunwu-server's App on an ephemeral port, with the demo county.
class LiveHost {
 public:
  explicit LiveHost(host::ServerConfig config = {}) {
    config.data_dir = data_ = dir_.file("county");
    std::ostringstream quiet;
    EXPECT_TRUE(host::admin_demo(config.data_dir, CUNWU_SHARED_DIR, quiet));
    auto app = host::App::open(config);
    EXPECT_TRUE(app) << app.error().detail;
    app_ = std::move(app).value();
    server_.new_task_queue = [] { return new httplib::ThreadPool(4); };
    server_.set_payload_max_length(config.max_body_bytes);
    app_->mount(server_);
    auto port = host::bind_listener(server_, "127.0.0.1", 0);
    EXPECT_TRUE(port) << port.error().detail;
    port_ = port ? *port : -1;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~LiveHost() {
    server_.stop();
    thread_.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }
  host::App& app() { return *app_; }
  /// The host's data directory (county.db, host.key, blobs/).
  const std::string& data() const { return data_; }

 private:
  TempDir dir_;
  std::string data_;
  std::unique_ptr<host::App> app_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

inline std::string login(LiveHost& h, const std::string& phone) {
  auto res = h.client().Post("/v1/auth/login", Json{{"phone", phone}, {"password", "cunwu-demo"}}.dump(), "application/json");
  EXPECT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  return Json::parse(res->body).value("token", "");
}

/// A phone with the core and its sync client, syncing over HTTP.
struct Phone {
  Phone(const std::string& id, TimeMs start) : clock(start), replica(demo_replica(id, clock)), client(*replica) {}
  /// A phone whose replica `open` makes with the phone's clock (e.g. from a snapshot).
  Phone(TimeMs start, const std::function<std::unique_ptr<Replica>(FakeClock&)>& open)
      : clock(start), replica(open(clock)), client(*replica) {}
  /// Syncs until nothing is left; returns the rejected acks.
  std::vector<sync::Ack> sync_all(LiveHost& h, const std::string& token) {
    std::vector<sync::Ack> rejected;
    for (int trip = 0; trip < 100; ++trip) {
      auto req = client.request(clock.now());
      EXPECT_TRUE(req);
      auto res = h.client().Post("/v1/sync", {{"Authorization", "Bearer " + token}}, sync::to_json(*req).dump(),
                                 "application/json");
      EXPECT_TRUE(res);
      if (!res) return rejected;
      EXPECT_EQ(res->status, 200) << res->body;
      auto resp = sync::response_from_json(Json::parse(res->body));
      EXPECT_TRUE(resp) << resp.error().detail;
      if (!resp) return rejected;
      auto report = client.apply(*req, *resp, clock.now());
      EXPECT_TRUE(report);
      if (!report) return rejected;
      rejected.insert(rejected.end(), report->rejected.begin(), report->rejected.end());
      if (!report->more && *client.pending() == 0) return rejected;
    }
    ADD_FAILURE() << "sync did not settle";
    return rejected;
  }
  FakeClock clock;
  std::unique_ptr<Replica> replica;
  sync::Client client;
};

// What cunwu-admin does when it registers someone while the host runs: the database then holds
// another org tree than the host's replica, which loaded its own at start.
inline void write_another_tree(LiveHost& h) {
  ReplicaOptions admin;
  admin.path = h.data() + "/county.db";
  admin.id = ReplicaId("admin-cli");
  auto other = Replica::open(std::move(admin));
  ASSERT_TRUE(other) << other.error().detail;
  org::Directory dir = (*other)->directory();
  ASSERT_TRUE(dir.add_user({UserId("u13900000002"), "新村民", RegionId("qs/dq/hs/y1"), std::nullopt}));
  ASSERT_TRUE((*other)->set_directory(dir));
  ASSERT_NE((*other)->directory_version(), h.app().replica().directory_version());
}

inline Json error_of(const httplib::Result& res) { return Json::parse(res->body, nullptr, false)["error"]; }

}  // namespace cunwu::testing
