// The real sync host over HTTP on a loopback port: accounts, the sync route with native
// clients, and every kind of bad request getting a catalogued 4xx.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include <zlib.h>

#include "admin.hpp"
#include "app.hpp"
#include "cunwu/store/db.hpp"
#include "gzip.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/sync/client.hpp"
#include "live_host.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using Json = nlohmann::json;
using testing::LiveHost;
using testing::Phone;
using testing::error_of;
using testing::login;
using testing::write_another_tree;

TEST(Server, HealthAndMetrics) {
  LiveHost h;
  auto health = h.client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto metrics = h.client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("cunwu_http_requests_total{route=\"healthz\",status=\"200\"} 1"), std::string::npos);
  EXPECT_NE(metrics->body.find("cunwu_sync_seconds_count"), std::string::npos);
  EXPECT_NE(metrics->body.find("cunwu_sync_batches_total 0\n"), std::string::npos);
}

TEST(Server, MetricsCountTheWritersBatchesAndTheirRequests) {
  LiveHost h;
  const auto token = login(h, "13800000001");
  Phone wang("phone-wang", testing::demo_start());
  ASSERT_TRUE(appeals::Service(*wang.replica).file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service,
                                                                    appeals::Urgency::yellow, "路灯坏了三天了。", {}, {}}));
  EXPECT_TRUE(wang.sync_all(h, token).empty());
  auto metrics = h.client().Get("/metrics");
  ASSERT_TRUE(metrics);
  const auto value = [&](const std::string& name) {
    const auto at = metrics->body.find("\n" + name + " ");
    EXPECT_NE(at, std::string::npos) << name;
    return at == std::string::npos ? -1.0 : std::stod(metrics->body.substr(at + name.size() + 2));
  };
  const double batches = value("cunwu_sync_batches_total"), requests = value("cunwu_sync_batch_requests_total");
  EXPECT_GE(batches, 1);  // one request at a time here: as many batches as round trips
  EXPECT_EQ(requests, batches);
  EXPECT_EQ(requests, value("cunwu_sync_seconds_count"));
  EXPECT_GT(value("cunwu_sync_batch_seconds_total"), 0);
}

TEST(Server, OfflineForDaysThenTheWholeStoryOverHttp) {
  LiveHost h;
  const auto wang_token = login(h, "13800000001");
  const auto cadre_token = login(h, "13800000010");
  Phone wang("phone-wang", testing::demo_start() + days(-3));  // files three days before it can sync
  Phone cadre("pad-cadre-hs", testing::demo_start());
  auto id = appeals::Service(*wang.replica).file(
      UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service, appeals::Urgency::yellow,
                       "玉米被大风吹倒了，想问问农业保险怎么理赔。", {}, {}});
  ASSERT_TRUE(id);
  wang.clock.advance(days(3));
  EXPECT_TRUE(wang.sync_all(h, wang_token).empty());
  EXPECT_FALSE(appeals::Service(*wang.replica).get(*id)->official_number.empty());
  EXPECT_TRUE(cadre.sync_all(h, cadre_token).empty());
  ASSERT_TRUE(appeals::Service(*cadre.replica).escalate(UserId("cadre-hs"), *id, "村委会直接办理").error().code ==
              Errc::not_handler);  // level 1 first: the courtyard head's turn
  const auto head_token = login(h, "13800000006");
  Phone head("phone-head-hs1", testing::demo_start());
  head.sync_all(h, head_token);
  ASSERT_TRUE(appeals::Service(*head.replica).accept(UserId("head-hs1"), *id));
  ASSERT_TRUE(appeals::Service(*head.replica).resolve(UserId("head-hs1"), *id, "已联系保险公司定损"));
  EXPECT_TRUE(head.sync_all(h, head_token).empty());
  wang.sync_all(h, wang_token);
  ASSERT_EQ(appeals::Service(*wang.replica).get(*id)->status, appeals::AppealStatus::resolved);
  ASSERT_TRUE(appeals::Service(*wang.replica).rate(UserId("wang"), *id, appeals::Rating::very_satisfied));
  EXPECT_TRUE(wang.sync_all(h, wang_token).empty());
  EXPECT_EQ(appeals::Service(h.app().replica()).get(*id)->status, appeals::AppealStatus::closed);
}

// The pulls run on a connection of their own, with the host's org tree. While the database holds
// another tree (cunwu-admin wrote one while the host runs), they run on the host's replica.
TEST(Server, PullsGoOnWhileTheDatabaseHoldsAnotherOrgTree) {
  LiveHost h;
  write_another_tree(h);  // before the host's first pull, which opens the pulls' connection
  const auto wang_token = login(h, "13800000001");
  const auto head_token = login(h, "13800000006");
  Phone wang("phone-wang", testing::demo_start());
  Phone head("phone-head-hs1", testing::demo_start());
  for (const char* text : {"村口路灯坏了。", "水渠堵了。", "桥面有裂缝。"}) {
    auto id = appeals::Service(*wang.replica).file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service,
                                                                    appeals::Urgency::yellow, text, {}, {}});
    ASSERT_TRUE(id);
    EXPECT_TRUE(wang.sync_all(h, wang_token).empty());
    EXPECT_FALSE(appeals::Service(*wang.replica).get(*id)->official_number.empty());
    EXPECT_TRUE(head.sync_all(h, head_token).empty());
    auto seen = appeals::Service(*head.replica).get(*id);
    ASSERT_TRUE(seen) << text;
    EXPECT_FALSE(seen->official_number.empty());
  }
}

// The scheduler finds overdue appeals on a connection of its own and escalates them on the
// replica, each once, also when the database holds another org tree than the host.
TEST(Server, TheSchedulerEscalatesOverdueAppealsOnce) {
  for (const bool other_tree : {false, true}) {
    LiveHost h;
    if (other_tree) write_another_tree(h);
    const TimeMs start{clock::system_clock()()};
    const auto token = login(h, "13800000001");
    Phone wang("phone-wang", start);
    auto id = appeals::Service(*wang.replica).file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service,
                                                                    appeals::Urgency::yellow, "水渠堵了，地里淹了。", {}, {}});
    ASSERT_TRUE(id);
    EXPECT_TRUE(wang.sync_all(h, token).empty());
    auto none = h.app().run_jobs(start);
    ASSERT_TRUE(none) << none.error().detail;
    EXPECT_EQ(*none, 0u);  // nothing is late yet
    const TimeMs later = start + days(3);
    auto late = h.app().run_jobs(later);
    ASSERT_TRUE(late) << late.error().detail;
    EXPECT_EQ(*late, 1u);
    auto a = appeals::Service(h.app().replica()).get(*id);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->level, 2);
    EXPECT_EQ(a->escalations, 1);
  }
}

// Requests are taken oldest first, at most --batch-max a batch: with one a batch, four devices
// syncing at once each wait their turn and every filing is acknowledged and numbered.
TEST(Server, RequestsBeyondTheBatchMaxWaitForTheNextBatch) {
  host::ServerConfig config;
  config.batch_max = 1;
  LiveHost h(config);
  const auto token = login(h, "13800000001");
  std::vector<std::unique_ptr<Phone>> phones;
  for (int i = 0; i < 4; ++i) {
    phones.push_back(std::make_unique<Phone>("phone-wang-" + std::to_string(i), testing::demo_start()));
    for (int k = 0; k < 3; ++k) {
      ASSERT_TRUE(appeals::Service(*phones.back()->replica)
                      .file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service, appeals::Urgency::green,
                                             "路灯坏了 " + std::to_string(i) + "-" + std::to_string(k), {}, {}}));
    }
  }
  std::vector<std::thread> syncing;
  for (auto& p : phones) syncing.emplace_back([&h, &token, phone = p.get()] { EXPECT_TRUE(phone->sync_all(h, token).empty()); });
  for (auto& t : syncing) t.join();
  for (auto& p : phones) {
    EXPECT_TRUE(p->sync_all(h, token).empty());  // what the others pushed after its turn
    auto mine = appeals::Service(*p->replica).list();
    ASSERT_TRUE(mine);
    std::size_t numbered = 0;
    for (const auto& a : *mine) numbered += !a.official_number.empty();
    EXPECT_EQ(numbered, 12u);  // its own three and the other phones' nine
  }
}

TEST(Server, BadRequestsGetCataloguedErrors) {
  host::ServerConfig config;
  config.max_body_bytes = 64 * 1024;
  LiveHost h(config);
  const auto token = login(h, "13800000001");
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};
  auto post = [&](const std::string& body) { return h.client().Post("/v1/sync", auth, body, "application/json"); };
  struct Case {
    std::string body;
    int status;
    const char* code;
  };
  const Json ok_request = {{"protocol", 1}, {"schema", 5},     {"replica", "phone-x"},
                           {"cursor", 0},   {"push", Json::array()}, {"pull_limit", 10}, {"sent_at", 1}};
  Json wrong_type = ok_request;
  wrong_type["cursor"] = "零";
  Json unknown_op = ok_request;
  unknown_op["push"] = Json::array({{{"origin", "phone-x"}, {"counter", 1}, {"wall", 1}, {"logical", 0}, {"actor", "wang"},
                                     {"type", "appeal.bribe"}, {"entity", "appeal/phone-x.1"}, {"scope", "qs/dq/hs/y1"},
                                     {"visibility", 1}, {"payload", Json::object()}}});
  const std::vector<Case> cases = {
      {"{not json", 400, "invalid_json"},
      {"[1,2,3]", 400, "invalid_json"},
      {wrong_type.dump(), 400, "invalid_json"},
      {std::string("{\"protocol\":1,\"replica\":\"\xff\xfe\"}"), 400, "invalid_json"},
      {Json{{"protocol", 9}}.dump(), 426, "protocol_mismatch"},
  };
  for (const auto& c : cases) {
    auto res = post(c.body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status) << c.body;
    EXPECT_EQ(error_of(res)["code"], c.code) << c.body;
    EXPECT_FALSE(error_of(res)["message"].get<std::string>().empty());
  }
  auto unknown = post(unknown_op.dump());
  ASSERT_TRUE(unknown);
  ASSERT_EQ(unknown->status, 200);
  EXPECT_EQ(Json::parse(unknown->body)["acks"][0]["code"], "unknown_op_type");
  auto big = post(std::string(100 * 1024, ' '));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // Tokens: none, forged, logged out (replayed).
  auto none = h.client().Post("/v1/sync", ok_request.dump(), "application/json");
  EXPECT_EQ(none->status, 401);
  auto forged = h.client().Post("/v1/sync", {{"Authorization", "Bearer " + std::string(64, 'a')}}, ok_request.dump(),
                                "application/json");
  EXPECT_EQ(error_of(forged)["code"], "unauthorized");
  ASSERT_EQ(h.client().Post("/v1/auth/logout", auth, "", "application/json")->status, 200);
  auto replayed = post(ok_request.dump());
  EXPECT_EQ(replayed->status, 401);
  EXPECT_EQ(h.client().Get("/v1/nowhere")->status, 404);
}

TEST(Server, ExpiredSessionsAreRefused) {
  host::ServerConfig config;
  LiveHost h(config);
  const auto token = login(h, "13800000001");
  // Age the session in the database: the host must refuse it as expired, not as unknown.
  ASSERT_TRUE(h.app().replica().db().exec("UPDATE sessions SET expires = 1"));
  auto res = h.client().Get("/v1/me", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(error_of(res)["code"], "session_expired");
}

TEST(Server, LoginFailuresAreRateLimited) {
  LiveHost h;
  int refused = 0, limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto res = h.client().Post("/v1/auth/login", Json{{"phone", "13800000002"}, {"password", "guess-" + std::to_string(i)}}.dump(),
                               "application/json");
    ASSERT_TRUE(res);
    refused += res->status == 401;
    limited += res->status == 429;
  }
  EXPECT_EQ(refused, 5);
  EXPECT_EQ(limited, 3);
  // Even the right password waits now.
  auto right = h.client().Post("/v1/auth/login", Json{{"phone", "13800000002"}, {"password", "cunwu-demo"}}.dump(),
                               "application/json");
  EXPECT_EQ(right->status, 429);
}

TEST(Server, AVillagerRegistersWithAnInviteCode) {
  LiveHost h;
  auto code = h.app().auth().issue_invite(UserId("head-hs2"), RegionId("qs/dq/hs/y2"), std::nullopt, 1, 7,
                                          TimeMs{clock::system_clock()()});
  ASSERT_TRUE(code) << code.error().detail;
  auto reg = [&](const Json& body) { return h.client().Post("/v1/auth/register", body.dump(), "application/json"); };
  Json body = {{"invite", *code}, {"phone", "13912345678"}, {"password", "12345678"}, {"name", "吴秀芳"}};
  EXPECT_EQ(error_of(reg(body))["code"], "weak_password");
  body["password"] = "qingshan-2026";
  body["phone"] = "1391234567";
  EXPECT_EQ(error_of(reg(body))["code"], "invalid_phone");
  body["phone"] = "13912345678";
  body["name"] = "  ";
  EXPECT_EQ(error_of(reg(body))["code"], "text_empty");
  body["name"] = "吴秀芳";
  auto ok = reg(body);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const auto token = Json::parse(ok->body)["token"].get<std::string>();
  auto me = h.client().Get("/v1/me", {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(Json::parse(me->body)["home"], "qs/dq/hs/y2");
  // The code was for one person; the phone is taken.
  body["phone"] = "13912345679";
  EXPECT_EQ(error_of(reg(body))["code"], "invite_invalid");
  body["phone"] = "13912345678";
  EXPECT_EQ(error_of(reg(body))["code"], "phone_taken");
  // The new villager files and syncs like anyone else.
  Phone phone("phone-new", TimeMs{clock::system_clock()()});
  ASSERT_TRUE(phone.replica->set_directory(h.app().replica().directory()));
  const UserId me_id(Json::parse(me->body)["user"].get<std::string>());
  ASSERT_TRUE(appeals::Service(*phone.replica).file(me_id, {RegionId("qs/dq/hs/y2"), appeals::Category::environment,
                                                            appeals::Urgency::green, "村口的垃圾桶满了。", {}, {}}));
  EXPECT_TRUE(phone.sync_all(h, token).empty());
}

// Accounts that share a password (the demo county's) get one hash and go in together or not at
// all: a taken phone leaves none of them behind, and once they are in, each logs in.
TEST(Server, AccountsSharingAPasswordAreCreatedTogetherOrNotAtAll) {
  LiveHost h;
  auto dir = h.app().replica().directory();
  const UserId wu("wu-y2"), zheng("zheng-y2");
  ASSERT_TRUE(dir.add_user(org::User{wu, "吴秀芳", RegionId("qs/dq/hs/y2"), std::nullopt}));
  ASSERT_TRUE(dir.add_user(org::User{zheng, "郑国强", RegionId("qs/dq/hs/y2"), std::nullopt}));
  ASSERT_TRUE(h.app().replica().set_directory(std::move(dir)));
  auto log_in = [&](const std::string& phone) {
    return h.client().Post("/v1/auth/login", Json{{"phone", phone}, {"password", "qingshan-2026"}}.dump(),
                           "application/json");
  };
  const TimeMs now{clock::system_clock()()};
  auto taken = h.app().auth().create_accounts({{wu, "13911110001"}, {zheng, "13800000001"}}, "qingshan-2026", now);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, Errc::phone_taken);
  EXPECT_EQ(error_of(log_in("13911110001"))["code"], "login_failed");
  EXPECT_EQ(h.app().auth().create_accounts({{wu, "13911110001"}}, "12345678", now).error().code, Errc::weak_password);
  ASSERT_TRUE(h.app().auth().create_accounts({{wu, "13911110001"}, {zheng, "13911110002"}}, "qingshan-2026", now));
  for (const char* phone : {"13911110001", "13911110002"}) {
    auto res = log_in(phone);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << phone << ": " << res->body;
  }
}

// A device whose tree is older than the host's (someone registered since) gets the new one, and
// only then: ?known= with the current version answers without the tree.
TEST(Server, TheDirectoryRouteSendsTheTreeOnlyWhenTheDeviceDoesNotHaveIt) {
  LiveHost h;
  EXPECT_EQ(h.client().Get("/v1/directory")->status, 401);
  const httplib::Headers auth{{"Authorization", "Bearer " + login(h, "13800000006")}};
  auto first = h.client().Get("/v1/directory", auth);
  ASSERT_EQ(first->status, 200) << first->body;
  const Json tree = Json::parse(first->body);
  const std::string version = tree["version"];
  EXPECT_EQ(version, org::directory_version(h.app().replica().directory()));
  auto parsed = org::directory_from_json(tree["directory"]);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_EQ(org::directory_version(*parsed), version);
  auto same = h.client().Get("/v1/directory?known=" + version, auth);
  ASSERT_EQ(same->status, 200);
  EXPECT_FALSE(Json::parse(same->body).contains("directory"));

  auto code = h.app().auth().issue_invite(UserId("head-hs1"), RegionId("qs/dq/hs/y1"), std::nullopt, 1, 7,
                                          TimeMs{clock::system_clock()()});
  ASSERT_TRUE(code);
  auto reg = h.client().Post("/v1/auth/register", Json{{"invite", *code}, {"phone", "13900000042"},
                                                       {"password", "meng-xiaomei-2026"}, {"name", "孟小梅"}}.dump(),
                             "application/json");
  ASSERT_EQ(reg->status, 200) << reg->body;
  auto changed = h.client().Get("/v1/directory?known=" + version, auth);
  ASSERT_EQ(changed->status, 200);
  const Json next = Json::parse(changed->body);
  EXPECT_NE(next["version"], version);
  ASSERT_TRUE(next.contains("directory"));
  auto grown = org::directory_from_json(next["directory"]);
  ASSERT_TRUE(grown);
  EXPECT_NE(grown->user(UserId("u13900000042")), nullptr);
}

// What a gzip body inflates to (the client library may already have inflated it).
std::string inflated(const std::string& body) {
  if (body.size() < 2 || static_cast<unsigned char>(body[0]) != 0x1f || static_cast<unsigned char>(body[1]) != 0x8b) {
    return body;
  }
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  char buf[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = uInt(body.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

TEST(Server, SnapshotsAreGzippedForDevicesThatAskAndCheckedOnArrival) {
  EXPECT_TRUE(host::accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(host::accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(host::accepts_gzip("*"));
  EXPECT_FALSE(host::accepts_gzip(""));
  EXPECT_FALSE(host::accepts_gzip("identity"));
  EXPECT_FALSE(host::accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(host::accepts_gzip("x-gzip2"));

  LiveHost h;
  const auto token = login(h, "13800000015");  // county staff: the whole county
  const std::string body = sync::to_json(sync::Client::snapshot_request(ReplicaId("pad-staff"), testing::demo_start())).dump();
  auto plain = h.client().Post("/v1/snapshot", {{"Authorization", "Bearer " + token}, {"Accept-Encoding", "identity"}},
                               body, "application/json");
  ASSERT_EQ(plain->status, 200) << plain->body;
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  EXPECT_EQ(plain->get_header_value_count("Content-Type"), 1u);
  EXPECT_EQ(plain->get_header_value("Content-Type"), "application/vnd.sqlite3");
  EXPECT_EQ(plain->get_header_value("Content-Length"), std::to_string(plain->body.size()));
  EXPECT_TRUE(store::Db::check_image(plain->body));
  auto zipped = h.client().Post("/v1/snapshot", {{"Authorization", "Bearer " + token}, {"Accept-Encoding", "gzip"}},
                                body, "application/json");
  ASSERT_EQ(zipped->status, 200);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(zipped->get_header_value_count("Content-Type"), 1u);
  EXPECT_EQ(zipped->get_header_value("Content-Type"), "application/vnd.sqlite3");
  const std::string image = inflated(zipped->body);
  EXPECT_TRUE(store::Db::check_image(image));
  EXPECT_EQ(image.size(), plain->body.size());
  auto round = host::gzip(plain->body);
  ASSERT_TRUE(round);
  EXPECT_LT(round->size() * 4, plain->body.size()) << "a SQLite image compresses well";
  EXPECT_EQ(inflated(*round), plain->body);
  // Unauthenticated: refused before anything is built.
  EXPECT_EQ(h.client().Post("/v1/snapshot", body, "application/json")->status, 401);
}

// A snapshot as a device gets it: `user`'s token, gzip, and Cache-Control: no-cache when `fresh`.
httplib::Result snapshot_for(LiveHost& h, const std::string& token, const std::string& device, bool fresh = false) {
  const std::string body = sync::to_json(sync::Client::snapshot_request(ReplicaId(device), testing::demo_start())).dump();
  httplib::Headers headers = {{"Authorization", "Bearer " + token}, {"Accept-Encoding", "gzip"}};
  if (fresh) headers.emplace("Cache-Control", "no-cache");
  return h.client().Post("/v1/snapshot", headers, body, "application/json");
}

// A device opened from the gzipped snapshot `res`, in a file of `dir`.
std::unique_ptr<Phone> phone_from(const httplib::Result& res, const std::string& device, testing::TempDir& dir) {
  const std::string image = inflated(res->body);
  return std::make_unique<Phone>(testing::demo_start(), [&](testing::FakeClock& clock) {
    ReplicaOptions options;
    options.id = ReplicaId(device);
    options.path = dir.file(device + ".db");
    options.physical = clock.physical();
    auto r = Replica::open_snapshot(options, image);
    EXPECT_TRUE(r) << r.error().detail;
    return r ? std::move(*r) : nullptr;
  });
}

// The host keeps the snapshot it built for a person: their next new device gets it at once
// ("prepared"), catches up by syncing, and ends exactly where a device from a new snapshot and
// one that pulled everything end. Nobody else gets it, and it is not used once the log has run
// more than --snapshot-max-lag ops past it, nor when the device asks for a new one.
TEST(Server, ANewDeviceGetsTheSnapshotKeptForItsUserAndCatchesUp) {
  host::ServerConfig config;
  config.snapshot_max_lag = 4;
  LiveHost h(config);
  testing::TempDir dir;
  const auto wang_token = login(h, "13800000001");
  const auto staff_token = login(h, "13800000015");
  Phone wang("phone-wang", testing::demo_start());
  const auto file = [&](const std::string& text) {
    ASSERT_TRUE(appeals::Service(*wang.replica).file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service,
                                                                      appeals::Urgency::yellow, text, {}, {}}));
    EXPECT_TRUE(wang.sync_all(h, wang_token).empty());
  };
  file("村口路灯坏了。");

  auto first = snapshot_for(h, staff_token, "pad-staff-1");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(first->get_header_value("X-Cunwu-Snapshot"), "built");
  EXPECT_EQ(first->get_header_value("X-Cunwu-Behind"), "0");
  file("水渠堵了。");  // two ops behind the kept snapshot: the filing and its official number

  auto second = snapshot_for(h, staff_token, "pad-staff-2");
  ASSERT_EQ(second->status, 200);
  EXPECT_EQ(second->get_header_value("X-Cunwu-Snapshot"), "prepared");
  EXPECT_EQ(second->get_header_value("X-Cunwu-Behind"), "2");
  EXPECT_EQ(second->body, first->body) << "the same bytes, kept";
  auto fresh = snapshot_for(h, staff_token, "pad-staff-3", true);
  ASSERT_EQ(fresh->status, 200);
  EXPECT_EQ(fresh->get_header_value("X-Cunwu-Snapshot"), "built") << "Cache-Control: no-cache builds a new one";
  EXPECT_EQ(fresh->get_header_value("X-Cunwu-Behind"), "0");

  auto from_kept = phone_from(second, "pad-staff-2", dir);
  auto from_new = phone_from(fresh, "pad-staff-3", dir);
  Phone replayed("pad-staff-4", testing::demo_start());
  EXPECT_TRUE(from_kept->sync_all(h, staff_token).empty());
  EXPECT_TRUE(from_new->sync_all(h, staff_token).empty());
  EXPECT_TRUE(replayed.sync_all(h, staff_token).empty());
  EXPECT_EQ(*from_kept->replica->log().ops().count(), *replayed.replica->log().ops().count());
  EXPECT_EQ(*from_kept->replica->canonical_dump(), *replayed.replica->canonical_dump());
  EXPECT_EQ(*from_new->replica->canonical_dump(), *replayed.replica->canonical_dump());

  // Another person never gets it: a villager's snapshot is built for the villager.
  auto li = snapshot_for(h, login(h, "13800000002"), "phone-li");
  ASSERT_EQ(li->status, 200);
  EXPECT_EQ(li->get_header_value("X-Cunwu-Snapshot"), "built");
  EXPECT_LT(std::stoll(li->get_header_value("X-Cunwu-Ops")), std::stoll(fresh->get_header_value("X-Cunwu-Ops")));

  // Past the lag limit (the newest kept is the no-cache one, 0 behind): built again.
  file("低保材料怎么交？");
  file("垃圾桶满了。");
  file("路面塌了。");  // six ops past it
  auto late = snapshot_for(h, staff_token, "pad-staff-5");
  ASSERT_EQ(late->status, 200);
  EXPECT_EQ(late->get_header_value("X-Cunwu-Snapshot"), "built");
  EXPECT_EQ(late->get_header_value("X-Cunwu-Behind"), "0");
}

}  // namespace
}  // namespace cunwu
