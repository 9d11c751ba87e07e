// Accounts on the live host. The password's hash (argon2id, hundreds of milliseconds) runs
// outside the host's lock: a login or a registration must not hold up the syncs of everyone
// else. Attempts in flight together still count against the login limit, and registering
// writes the new villager's rows, not the whole org tree.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "auth.hpp"
#include "cunwu/appeals/service.hpp"
#include "cunwu/store/org_store.hpp"
#include "live_host.hpp"

namespace cunwu {
namespace {

using Json = nlohmann::json;
using testing::error_of;
using testing::LiveHost;
using testing::login;
using testing::Phone;

// Holds the first password check (or hash) it sees until `open`, saying when it got there.
class Gate {
 public:
  host::Passwords passwords() {
    return {[this](const std::string& password) {
              hold();
              return host::hash_password(password);
            },
            [this](const std::string& hash, const std::string& password) {
              hold();
              return host::verify_password(hash, password);
            }};
  }
  void wait_until_held() { held_.get_future().wait(); }
  void open() { open_.set_value(); }

 private:
  void hold() {
    if (!first_.exchange(false)) return;
    held_.set_value();
    opened_.wait();
  }
  std::atomic<bool> first_{true};
  std::promise<void> held_, open_;
  std::shared_future<void> opened_ = open_.get_future().share();
};

// A villager's phone files and syncs while `in_flight` waits inside its password's hash.
void file_and_sync_while(LiveHost& h, Gate& gate, const std::function<int()>& in_flight) {
  const auto wang_token = login(h, "13800000001");
  h.app().auth().set_passwords(gate.passwords());
  std::future<int> status = std::async(std::launch::async, in_flight);
  gate.wait_until_held();
  Phone wang("phone-wang", TimeMs{clock::system_clock()()});
  auto id = appeals::Service(*wang.replica).file(
      UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::hazard, appeals::Urgency::yellow,
                       "村口的桥栏杆松了，孩子上学要过。", {}, {}});
  ASSERT_TRUE(id);
  // Under the host's lock, this sync would wait for the gate, which opens only after it.
  EXPECT_TRUE(wang.sync_all(h, wang_token).empty());
  EXPECT_FALSE(appeals::Service(*wang.replica).get(*id)->official_number.empty());
  gate.open();
  EXPECT_EQ(status.get(), 200);
}

TEST(Accounts, SyncsGoOnWhileALoginChecksItsPassword) {
  LiveHost h;
  Gate gate;
  file_and_sync_while(h, gate, [&] {
    auto res = h.client().Post("/v1/auth/login", Json{{"phone", "13800000010"}, {"password", "cunwu-demo"}}.dump(),
                               "application/json");
    return res ? res->status : 0;
  });
}

TEST(Accounts, SyncsGoOnWhileARegistrationHashesItsPassword) {
  LiveHost h;
  auto code = h.app().auth().issue_invite(UserId("head-hs2"), RegionId("qs/dq/hs/y2"), std::nullopt, 1, 7,
                                          TimeMs{clock::system_clock()()});
  ASSERT_TRUE(code);
  Gate gate;
  file_and_sync_while(h, gate, [&] {
    const Json body{{"invite", *code}, {"phone", "13912345678"}, {"password", "qingshan-2026"}, {"name", "吴秀芳"}};
    auto res = h.client().Post("/v1/auth/register", body.dump(), "application/json");
    return res ? res->status : 0;
  });
  EXPECT_NE(h.app().replica().directory().user(UserId("u13912345678")), nullptr);
}

// Five guesses at once, each still checking its password when the sixth comes: the sixth is
// refused, as it would be after five wrong answers one by one. A right answer gives its charge back.
TEST(Accounts, AttemptsInFlightCountAgainstTheLimit) {
  LiveHost h;
  auto& auth = h.app().auth();
  const TimeMs now{clock::system_clock()()};
  std::vector<host::LoginAttempt> attempts;
  for (int i = 0; i < 5; ++i) {
    auto a = auth.begin_login("13800000002", "10.0.0.7", now);
    ASSERT_TRUE(a);
    attempts.push_back(*a);
  }
  auto sixth = auth.begin_login("13800000002", "10.0.0.7", now);
  ASSERT_FALSE(sixth);
  EXPECT_EQ(sixth.error().code, Errc::too_many_attempts);
  // An unknown phone is checked too (as long as a wrong password), and fails alike.
  auto unknown = auth.begin_login("13999999999", "10.0.0.8", now);
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(auth.password_matches(*unknown, "cunwu-demo"));
  EXPECT_EQ(auth.finish_login(*unknown, false, now).error().code, Errc::login_failed);
  // The right password of another phone from the same address: its charge comes back.
  for (int i = 0; i < 40; ++i) {
    auto a = auth.begin_login("13800000001", "10.0.0.9", now);
    ASSERT_TRUE(a) << "attempt " << i;
    ASSERT_TRUE(auth.finish_login(*a, true, now));
  }
}

// The one number a query answers.
std::int64_t number_of(store::Db& db, const std::string& sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st);
  if (!st) return -1;
  auto row = (*st)->step();
  EXPECT_TRUE(row && *row) << sql;
  const std::int64_t n = row && *row ? (*st)->int64(0) : -1;
  (void)(*st)->reset();
  return n;
}

// Registering adds one person to the tree; the tree's other rows are not written again.
TEST(Accounts, RegisteringWritesTheNewVillagersRowsOnly) {
  LiveHost h;
  auto& r = h.app().replica();
  auto code = h.app().auth().issue_invite(UserId("head-hs2"), RegionId("qs/dq/hs/y2"), std::nullopt, 2, 7,
                                          TimeMs{clock::system_clock()()});
  ASSERT_TRUE(code);
  auto counting = r.db().exec("CREATE TEMP TABLE written(n INTEGER); INSERT INTO written VALUES(0);"
                              "CREATE TEMP TRIGGER users_written AFTER INSERT ON main.users BEGIN "
                              "UPDATE written SET n = n + 1; END;");
  ASSERT_TRUE(counting) << counting.error().detail;
  const auto before = r.directory().users().size();
  ASSERT_GT(before, 10u);
  auto login = h.app().auth().register_villager({*code, "13912345678", "qingshan-2026", "吴秀芳"},
                                                TimeMs{clock::system_clock()()});
  ASSERT_TRUE(login) << login.error().detail;
  EXPECT_EQ(number_of(r.db(), "SELECT n FROM temp.written"), 1);
  EXPECT_EQ(r.directory().users().size(), before + 1);
  // The tree in memory is the stored one.
  auto stored = store::load_directory(r.db());
  ASSERT_TRUE(stored);
  EXPECT_EQ(org::directory_version(*stored), r.directory_version());
  // A registration that fails at the last step leaves the tree as it was, in memory too.
  auto breaking = r.db().exec("CREATE TEMP TRIGGER no_sessions BEFORE INSERT ON main.sessions BEGIN "
                              "SELECT RAISE(ABORT, 'disk full'); END;");
  ASSERT_TRUE(breaking) << breaking.error().detail;
  auto failed = h.app().auth().register_villager({*code, "13912345679", "qingshan-2026", "郑国强"},
                                                 TimeMs{clock::system_clock()()});
  ASSERT_FALSE(failed);
  EXPECT_EQ(r.directory().user(UserId("u13912345679")), nullptr);
  EXPECT_EQ(r.directory().users().size(), before + 1);
  EXPECT_EQ(number_of(r.db(), "SELECT COUNT(*) FROM users WHERE id = 'u13912345679'"), 0);
}

}  // namespace
}  // namespace cunwu
