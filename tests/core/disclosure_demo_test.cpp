// The demo disclosure content (shared/demo/disclosure.json) seeds as valid ops.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cunwu/disclosure/content.hpp"
#include "cunwu/disclosure/service.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using disclosure::Json;

Json demo() {
  std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/disclosure.json");
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str(), nullptr, false);
}

TEST(DisclosureDemo, SeedsEveryPostAsOps) {
  testing::FakeClock clock(testing::demo_start());
  auto r = testing::demo_replica("host", clock);
  disclosure::Service svc(*r);
  const Json d = demo();
  ASSERT_FALSE(d.is_discarded());
  auto ids = disclosure::seed_demo(svc, d);
  ASSERT_TRUE(ids) << ids.error().detail;
  EXPECT_EQ(ids->size(), d["posts"].size());
  EXPECT_GE(svc.list(std::nullopt, disclosure::PostType::policy)->size(), 20u);
  EXPECT_TRUE(r->conflicts()->empty());
  const auto finance = *svc.published((*ids)[0]);
  auto record = disclosure::finance_of(finance.content());
  ASSERT_TRUE(record);
  EXPECT_EQ(record->expected_closing(), record->closing);
  EXPECT_EQ(finance.questions.size(), 1u);
  EXPECT_EQ(svc.awareness((*ids)[0])->readers, 3);
  const auto list = *svc.published((*ids)[2]);
  EXPECT_EQ(list.content()["entries"][1]["id_number"], "330122********121X");
  EXPECT_GE(svc.search({"低保"})->size(), 3u);
  EXPECT_EQ(svc.search({"茶园"})->front().post, (*ids)[1]);
}

}  // namespace
}  // namespace cunwu
