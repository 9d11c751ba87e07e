// GET /v1/appeals, the read route for integrations: each person gets the appeals they may see.
// It reads every appeal of the scope, so it runs on a connection of its own beside the syncs,
// and on the replica while the database holds another org tree.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

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

// Every page of GET /v1/appeals for `token`, `limit` at a time, in order: the ids, and the
// size of each page.
std::pair<std::vector<std::string>, std::vector<std::size_t>> paged_for(LiveHost& h, const std::string& token,
                                                                         int limit) {
  std::vector<std::string> ids;
  std::vector<std::size_t> sizes;
  std::string after;
  for (int page = 0; page < 100; ++page) {
    auto res = h.client().Get("/v1/appeals?limit=" + std::to_string(limit) + (after.empty() ? "" : "&after=" + after),
                              {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    if (!res || res->status != 200) break;
    const Json body = Json::parse(res->body);
    sizes.push_back(body["appeals"].size());
    for (const auto& a : body["appeals"]) ids.push_back(a["id"].get<std::string>());
    if (body["next"].is_null()) break;
    after = body["next"].get<std::string>();
  }
  return {ids, sizes};
}

TEST(Reads, TheAppealsRoutePagesThroughWhatEachPersonMaySee) {
  LiveHost h;
  const auto wang = login(h, "13800000001"), li = login(h, "13800000002"), cadre = login(h, "13800000010");
  Phone wang_phone("phone-wang", TimeMs{clock::system_clock()()}), li_phone("phone-li", TimeMs{clock::system_clock()()});
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(appeals::Service(*wang_phone.replica).file(UserId("wang"), {RegionId("qs/dq/hs/y1"), appeals::Category::service,
                                                                            appeals::Urgency::green, "第" + std::to_string(i + 1) + "件：路灯坏了。", {}, {}}));
  }
  const auto lis = appeals::Service(*li_phone.replica).file(UserId("li"), {RegionId("qs/dq/hs/y1"), appeals::Category::service,
                                                                           appeals::Urgency::green, "邻居家的狗总是咬人。", {}, {}});
  ASSERT_TRUE(lis);
  ASSERT_TRUE(wang_phone.sync_all(h, wang).empty());
  ASSERT_TRUE(li_phone.sync_all(h, li).empty());

  for (const auto* token : {&wang, &cadre}) {
    const auto [whole, one_page] = paged_for(h, *token, 1000);
    ASSERT_EQ(one_page.size(), 1u);
    const auto [paged, sizes] = paged_for(h, *token, 2);
    EXPECT_EQ(paged, whole);  // the same appeals in the same order, none twice, none left out
    // Full pages, then the rest; after a last full page, one empty page says there is no more.
    EXPECT_EQ(sizes.size(), whole.size() / 2 + 1);
    for (std::size_t k = 0; k + 1 < sizes.size(); ++k) EXPECT_EQ(sizes[k], 2u);
    EXPECT_TRUE(std::is_sorted(paged.begin(), paged.end()));
  }
  const auto [wangs, sizes] = paged_for(h, wang, 2);
  EXPECT_GE(wangs.size(), 5u);
  EXPECT_EQ(std::count(wangs.begin(), wangs.end(), lis->str()), 0);  // another villager's, passed over
  const auto [cadres, cadre_sizes] = paged_for(h, cadre, 3);
  EXPECT_EQ(std::count(cadres.begin(), cadres.end(), lis->str()), 1);
  EXPECT_EQ(cadres.size(), wangs.size() + 1);

  // Without a limit, the first 200; a bad limit or after is refused with a catalogued error.
  EXPECT_EQ(listed_for(h, cadre).size(), cadres.size());
  for (const std::string bad : {"limit=0", "limit=1001", "limit=ten", "limit=-1", "limit=5x", "after=%FF%FE"}) {
    auto res = h.client().Get("/v1/appeals?" + bad, {{"Authorization", "Bearer " + cadre}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_EQ(testing::error_of(res)["code"], "invalid_input") << bad;
  }
}

}  // namespace
}  // namespace cunwu
