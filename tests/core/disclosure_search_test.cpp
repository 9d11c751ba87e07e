// Chinese full-text search of published posts: one- to four-character queries, ranking, marked
// snippets, and hostile input (empty, 10,000 characters, FTS syntax, malformed UTF-8).
#include <gtest/gtest.h>

#include <set>

#include "cunwu/disclosure/service.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using disclosure::Json;
using disclosure::PostType;
using disclosure::SearchQuery;

const UserId kStaff{"staff-qs"};

class DisclosureSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    road_ = policy("农村道路建设补助办法", "industry",
                   "为改善农村出行条件，县财政对村组道路硬化给予每公里30万元补助。道路建设由村民委员会组织实施。");
    dibao_ = policy("农村最低生活保障实施细则", "social_security",
                    "家庭人均收入低于低保标准的农村居民可申请低保。低保金按月发放。");
    medical_ = policy("城乡居民医疗保险缴费通知", "medical",
                      "2027年度城乡居民医疗保险个人缴费标准为每人400元。低保对象由财政全额资助参保。");
    school_ = policy("农村义务教育学生营养改善计划", "education",
                     "为义务教育阶段农村学生提供营养膳食补助，每生每天5元。学校食堂由县教育局统一监管。");
    ASSERT_TRUE(svc.publish(UserId("cadre-hs"), *svc.draft(UserId("cadre-hs"), RegionId("qs/dq/hs"), PostType::notice,
                                                             {{"title", "河山村道路施工通知"}, {"body", "村口道路施工，请绕行。"}})));
  }
  EntityId policy(const std::string& title, const std::string& category, const std::string& body) {
    auto id = svc.draft(kStaff, RegionId("qs"), PostType::policy,
                        {{"title", title}, {"body", body}, {"category", category}, {"issuer", "青山县人民政府"},
                         {"effective_from", "2026-01-01"}});
    EXPECT_TRUE(id) << id.error().detail;
    EXPECT_TRUE(svc.publish(kStaff, *id));
    return *id;
  }
  std::vector<EntityId> ids(const SearchQuery& q) {
    auto hits = svc.search(q);
    EXPECT_TRUE(hits) << hits.error().detail;
    std::vector<EntityId> out;
    if (hits) {
      for (const auto& h : *hits) out.push_back(h.post);
    }
    return out;
  }
  SearchQuery policies(const std::string& text) {
    SearchQuery q{text};
    q.type = PostType::policy;
    return q;
  }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> r = testing::demo_replica("pc-1", clock);
  disclosure::Service svc{*r};
  EntityId road_, dibao_, medical_, school_;
};

TEST_F(DisclosureSearchTest, OneCharacterQueries) {
  const auto hits = ids(policies("路"));
  EXPECT_EQ(hits, std::vector<EntityId>{road_});
  EXPECT_EQ(ids(policies("保")).size(), 2u);  // 低保 and 保险 (and 保障)
  EXPECT_TRUE(ids(policies("鑫")).empty());
}

TEST_F(DisclosureSearchTest, TwoCharacterQueriesRankTitleMatchesFirst) {
  const auto hits = ids(policies("低保"));
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0], dibao_);  // 低保 in the title's text and three times in the body
  EXPECT_EQ(hits[1], medical_);
  EXPECT_EQ(ids(policies("道路")), std::vector<EntityId>{road_});
  EXPECT_EQ(ids(SearchQuery{"道路"}).size(), 2u);  // the village notice too
  EXPECT_EQ(ids(policies("道 路")), std::vector<EntityId>{road_});  // two terms, both must match
}

TEST_F(DisclosureSearchTest, ThreeAndFourCharacterQueriesUseTrigrams) {
  EXPECT_EQ(ids(policies("营养膳")), std::vector<EntityId>{school_});
  EXPECT_EQ(ids(policies("道路建设")), std::vector<EntityId>{road_});
  EXPECT_EQ(ids(policies("医疗保险")), std::vector<EntityId>{medical_});
  EXPECT_TRUE(ids(policies("路道建设")).empty());  // characters in another order are no match
}

TEST_F(DisclosureSearchTest, HitsCarryMarkedTitlesAndSnippets) {
  auto hits = svc.search(policies("道路建设"));
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].title, "农村【道路建设】补助办法");
  EXPECT_NE((*hits)[0].snippet.find("【道路建设】由村民委员会"), std::string::npos) << (*hits)[0].snippet;
  hits = svc.search(policies("低保"));
  ASSERT_TRUE(hits);
  EXPECT_NE((*hits)[0].snippet.find("【低保】"), std::string::npos) << (*hits)[0].snippet;
  EXPECT_LE((*hits)[0].rank, (*hits)[1].rank);
}

TEST_F(DisclosureSearchTest, FiltersByCategoryAndScope) {
  SearchQuery q = policies("农村");
  q.category = "education";
  EXPECT_EQ(ids(q), std::vector<EntityId>{school_});
  SearchQuery village{"道路"};
  village.visible_at = RegionId("qs/lh/lj/y1");  // 柳家村 sees county posts, not 河山村's notice
  EXPECT_EQ(ids(village), std::vector<EntityId>{road_});
  village.visible_at = RegionId("qs/dq/hs/y1");
  EXPECT_EQ(ids(village).size(), 2u);
}

TEST_F(DisclosureSearchTest, EmptyLongAndMalformedQueries) {
  EXPECT_TRUE(ids(SearchQuery{""}).empty());
  EXPECT_TRUE(ids(SearchQuery{"   \xE3\x80\x80 "}).empty());
  std::string long_query;
  for (int i = 0; i < 10'000; ++i) long_query += "路";
  EXPECT_EQ(svc.search(SearchQuery{long_query}).code(), Errc::query_too_long);
  EXPECT_EQ(svc.search(SearchQuery{std::string(10'000, 'a')}).code(), Errc::query_too_long);
  EXPECT_EQ(svc.search(SearchQuery{"低\xE4\xBF"}).code(), Errc::invalid_utf8);
  EXPECT_EQ(svc.search(SearchQuery{"\xC0\xAF"}).code(), Errc::invalid_utf8);
  SearchQuery bad_limit{"低保"};
  bad_limit.limit = 0;
  EXPECT_EQ(svc.search(bad_limit).code(), Errc::invalid_input);
}

TEST_F(DisclosureSearchTest, FtsSyntaxIsMatchedLiterally) {
  for (const char* q : {"\"", "\"\"", "低保\"", "*", "低*", "NEAR", "NEAR(低保 医疗)", "低保 AND 医疗", "低保 OR", "NOT",
                        "(", ")", "(低保", "title:低保", "body:道路", "-低保", "^低保", "低保:", "{title body}:低保",
                        "'; DROP TABLE disclosure_posts; --", "%", "_", "\\", "。，、", "【低保】"}) {
    SCOPED_TRACE(q);
    auto hits = svc.search(SearchQuery{q});
    ASSERT_TRUE(hits) << errc_name(hits.error().code) << " " << hits.error().detail;
  }
  EXPECT_EQ(ids(policies("低保 AND")).size(), 0u);  // "AND" is a word that must appear
  EXPECT_EQ(ids(policies("(低保")).size(), 0u);     // three characters: the literal "(低保" as trigrams
  EXPECT_EQ(ids(policies("低保\"")).size(), 0u);
  EXPECT_EQ(*r->log().ops().count(), 10);            // nothing was written by searching
}

TEST_F(DisclosureSearchTest, AmendmentReplacesTheIndexedText) {
  ASSERT_TRUE(svc.amend(kStaff, road_, "补助标准调整", {{"body", "县财政对村组公路硬化给予每公里35万元补助。"}}));
  EXPECT_TRUE(ids(policies("道路建设由")).empty());
  EXPECT_EQ(ids(policies("35万元")), std::vector<EntityId>{road_});
  EXPECT_EQ(ids(policies("道路")), std::vector<EntityId>{road_});  // still in the title
  auto indexed = store::indexed_posts(r->db());
  ASSERT_TRUE(indexed);
  EXPECT_EQ(indexed->size(), 5u);
}

}  // namespace
}  // namespace cunwu
