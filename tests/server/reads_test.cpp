// GET /v1/appeals, the read route for integrations: each person gets the appeals they may see.
// It reads every appeal of the scope, so it runs on a connection of its own beside the syncs,
// and on the replica while the database holds another org tree.
#include <gtest/gtest.h>

#include <set>

#include "cunwu/appeals/service.hpp"
#include "live_host.hpp"

namespace cunwu {
namespace {

using Json = nlohmann::json;
using testing::LiveHost;
using testing::login;
using testing::Phone;

// The ids of the appeals GET /v1/appeals gives `token` (of `scope` when not empty).
std::set<std::string> listed_for(LiveHost& h, const std::string& token, const std::string& scope = {}) {
  auto res = h.client().Get(scope.empty() ? "/v1/appeals" : "/v1/appeals?scope=" + scope,
                            {{"Authorization", "Bearer " + token}});
  EXPECT_TRUE(res);
  std::set<std::string> ids;
  if (!res) return ids;
  EXPECT_EQ(res->status, 200) << res->body;
  const Json body = Json::parse(res->body);
  for (const auto& a : body["appeals"]) ids.insert(a["id"].get<std::string>());
  return ids;
}

TEST(Reads, TheAppealsRouteListsWhatEachPersonMaySee) {
  for (const bool other_tree : {false, true}) {
    SCOPED_TRACE(other_tree ? "the database holds another tree" : "beside the syncs");
    LiveHost h;
    const auto wang = login(h, "13800000001"), li = login(h, "13800000002"), cadre = login(h, "13800000010"),
               lj = login(h, "13800000012");
    Phone phone("phone-wang", TimeMs{clock::system_clock()()});
    auto id = appeals::Service(*phone.replica).file(
        UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service, appeals::Urgency::green,
                         "低保的材料交了两个月，还没有消息。", {}, {}});
    ASSERT_TRUE(id);
    ASSERT_TRUE(phone.sync_all(h, wang).empty());
    if (other_tree) write_another_tree(h);
    EXPECT_TRUE(listed_for(h, wang).contains(id->str()));
    EXPECT_TRUE(listed_for(h, cadre).contains(id->str()));  // the village committee handles it
    EXPECT_TRUE(listed_for(h, cadre, "qs/dq/hs").contains(id->str()));
    EXPECT_FALSE(listed_for(h, cadre, "qs/dq/lj").contains(id->str()));
    EXPECT_FALSE(listed_for(h, li).contains(id->str()));  // another villager's private appeal
    EXPECT_FALSE(listed_for(h, lj).contains(id->str()));  // another village's cadre
    auto anonymous = h.client().Get("/v1/appeals");
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401);
  }
}

}  // namespace
}  // namespace cunwu
