// Before filing: the urgency the words suggest, how alike two Chinese texts read, and the
// similar open appeals of the village (duplicates) a villager or a handler is shown.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "cunwu/appeals/triage.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using appeals::Category;
using appeals::suggest_urgency;
using appeals::Urgency;

TEST(SuggestUrgency, DangerToLifeIsRed) {
  const auto fire = suggest_urgency(Category::other, "后山着火了，烟很大，快来人！");
  EXPECT_EQ(fire.urgency, Urgency::red);
  EXPECT_EQ(fire.because, std::vector<std::string>{"着火"});
  EXPECT_EQ(suggest_urgency(Category::hazard, "三组的电线杆倒了，电线掉在地上，可能漏电").urgency, Urgency::red);
  EXPECT_EQ(suggest_urgency(Category::hazard, "老王家的土墙塌方了一半").urgency, Urgency::red);
  EXPECT_EQ(suggest_urgency(Category::environment, "河水涨得很快，怕有洪水").urgency, Urgency::red);
  EXPECT_EQ(suggest_urgency(Category::service, "我们组已经断水三天了").urgency, Urgency::red);
  EXPECT_EQ(suggest_urgency(Category::other, "There is a FIRE behind the school").urgency, Urgency::red);
}

TEST(SuggestUrgency, DangerAndOutagesAreYellow) {
  const auto s = suggest_urgency(Category::service, "昨晚开始停电，冰箱里的东西要坏了");
  EXPECT_EQ(s.urgency, Urgency::yellow);
  EXPECT_EQ(s.because, std::vector<std::string>{"停电"});
  EXPECT_EQ(suggest_urgency(Category::environment, "村口石桥的护栏断了一截，很危险").because,
            (std::vector<std::string>{"危险", "断了"}));
}

TEST(SuggestUrgency, EverydayMattersStayGreen) {
  const auto s = suggest_urgency(Category::environment, "院子门口的垃圾桶满了，好几天没人清运");
  EXPECT_EQ(s.urgency, Urgency::green);
  EXPECT_TRUE(s.because.empty());
}

TEST(SuggestUrgency, CategoryDecidesSomeWords) {
  EXPECT_EQ(suggest_urgency(Category::dispute, "邻居为宅基地和我家打架").urgency, Urgency::yellow);
  EXPECT_EQ(suggest_urgency(Category::other, "邻居为宅基地和我家打架").urgency, Urgency::green)
      << "打架 matters in a dispute only";
  EXPECT_EQ(suggest_urgency(Category::dispute, "他拿着刀说要动刀").urgency, Urgency::red);
  EXPECT_EQ(suggest_urgency(Category::hazard, "桥头的路牌歪了").urgency, Urgency::yellow) << "a hazard is at least yellow";
  EXPECT_EQ(suggest_urgency(Category::suggestion, "建议村里多装几个消防栓，防止火灾").urgency, Urgency::green)
      << "a suggestion about fires is not a fire";
  EXPECT_EQ(suggest_urgency(Category::policy, "房子倒塌了能申请什么补助？").urgency, Urgency::green);
}

TEST(SuggestUrgency, TheStrongestWordWins) {
  const auto s = suggest_urgency(Category::hazard, "停电以后电线冒火花，已经着火了，很危险");
  EXPECT_EQ(s.urgency, Urgency::red);
  EXPECT_EQ(s.because, std::vector<std::string>{"着火"}) << "only the words at the suggested level";
}

TEST(SuggestUrgency, InvalidUtf8IsGreen) {
  EXPECT_EQ(suggest_urgency(Category::other, std::string("\xff\xfe火灾")).urgency, Urgency::green);
}

TEST(Similarity, BigramsOfChineseRunsWithoutFiller) {
  EXPECT_EQ(appeals::bigrams("路灯坏了，请尽快修"), (std::vector<std::string>{"坏了", "快修", "灯坏", "路灯"}));
  EXPECT_EQ(appeals::bigrams("ＡＢ12"), (std::vector<std::string>{"12", "ab", "b1"})) << "full-width folded";
  EXPECT_TRUE(appeals::bigrams("好").empty());
  EXPECT_TRUE(appeals::bigrams("，。！").empty());
}

TEST(Similarity, TheSameMatterInOtherWordsIsSimilar) {
  const std::string first = "村口石桥的护栏断了一截，晚上孩子放学经过很危险，请尽快修一下。";
  EXPECT_GE(appeals::similarity(first, "石桥护栏又断了，孩子上学很危险"), appeals::kSimilarThreshold);
  EXPECT_GE(appeals::similarity("护栏断了一截", first), 0.99) << "a short text being typed matches the longer one";
  EXPECT_DOUBLE_EQ(appeals::similarity(first, first), 1.0);
}

TEST(Similarity, OtherMattersAreNot) {
  const std::string first = "村口石桥的护栏断了一截，晚上孩子放学经过很危险，请尽快修一下。";
  EXPECT_LT(appeals::similarity(first, "院子里的路灯不亮了，晚上出门很不方便。"), appeals::kSimilarThreshold);
  EXPECT_LT(appeals::similarity(first, "垃圾桶满了，好几天没人清运，请尽快处理，谢谢"), appeals::kSimilarThreshold)
      << "filler such as 请尽快 does not make texts alike";
  EXPECT_EQ(appeals::similarity("桥", first), 0.0);
  EXPECT_EQ(appeals::similarity("", first), 0.0);
}

class SimilarAppeals : public ::testing::Test {
 protected:
  EntityId file(const UserId& who, const RegionId& yard, Category c, const std::string& text) {
    auto id = svc.file(who, appeals::FileRequest{yard, c, Urgency::green, text, {}});
    EXPECT_TRUE(id) << (id ? "" : id.error().detail);
    clock.advance(minutes(1));
    return id ? *id : EntityId{};
  }
  std::vector<EntityId> similar(const RegionId& where, Category c, const std::string& text,
                                const std::optional<EntityId>& exclude = {}) {
    auto r = svc.similar(where, c, text, 5, exclude);
    EXPECT_TRUE(r);
    std::vector<EntityId> ids;
    for (const auto& s : r ? *r : std::vector<appeals::SimilarAppeal>{}) ids.push_back(s.appeal.id);
    return ids;
  }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> host = testing::demo_replica("host", clock);
  appeals::Service svc{*host};
};

TEST_F(SimilarAppeals, OpenAppealsOfTheVillageThatReadAlikeSameCategoryFirst) {
  const RegionId y1{"qs/dq/hs/y1"}, y2{"qs/dq/hs/y2"}, lj{"qs/lh/lj/y1"};
  const auto bridge = file(UserId("wang"), y1, Category::hazard, "村口石桥的护栏断了一截，晚上孩子放学经过很危险。");
  const auto other_cat = file(UserId("chen"), y2, Category::environment, "石桥护栏断了，桥下全是垃圾");
  file(UserId("li"), y1, Category::environment, "院子里的路灯不亮了，晚上出门很不方便。");
  file(UserId("zhao"), lj, Category::hazard, "石桥的护栏断了一截，很危险");  // another village
  const auto closed = file(UserId("chen"), y2, Category::hazard, "石桥护栏断了一截，谁来修？");
  ASSERT_TRUE(svc.withdraw(UserId("chen"), closed, "已经修好了"));

  EXPECT_EQ(similar(y2, Category::hazard, "石桥护栏断了，孩子们过桥危险"), (std::vector<EntityId>{bridge, other_cat}))
      << "the same village only, open only, the same category first";
  EXPECT_EQ(similar(y1, Category::hazard, "护栏断了", bridge), std::vector<EntityId>{other_cat}) << "without itself";
  EXPECT_TRUE(similar(y1, Category::hazard, "想问问今年的医保怎么交").empty());
  EXPECT_EQ(svc.similar(RegionId("qs/dq"), Category::hazard, "护栏").code(), Errc::unknown_region)
      << "a township is not inside a village";
}

TEST_F(SimilarAppeals, AtMostTheLimitBestFirst) {
  const RegionId y1{"qs/dq/hs/y1"};
  for (int i = 0; i < 7; ++i) file(UserId("wang"), y1, Category::environment, "门口垃圾桶满了没人清运，第" + std::to_string(i) + "回");
  const auto best = file(UserId("li"), y1, Category::environment, "门口垃圾桶满了，一直没人清运，臭得很");
  auto r = svc.similar(y1, Category::environment, "门口垃圾桶满了，一直没人清运");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].appeal.id, best);
  EXPECT_TRUE((*r)[0].same_category);
  for (std::size_t i = 1; i < r->size(); ++i) EXPECT_LE((*r)[i].score, (*r)[i - 1].score);
}

}  // namespace
}  // namespace cunwu
