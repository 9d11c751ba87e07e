// Disclosure rules one by one: drafting, publishing, amendments with history and diffs, typed
// content (finance balance, contract schedule), masking of assistance lists, questions and
// answers, read receipts and awareness, and refusal of bad input without writing anything.
#include <gtest/gtest.h>

#include "cunwu/disclosure/content.hpp"
#include "cunwu/disclosure/domain.hpp"
#include "cunwu/disclosure/mask.hpp"
#include "cunwu/disclosure/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using disclosure::Json;
using disclosure::PostType;


Json finance_fields() {
  return Json::parse(R"({
    "title": "河山村2026年第二季度财务公开", "period": "2026Q2", "opening": 1000000, "closing": 1200000,
    "income": [{"category": "集体经济收入", "amount": 500000, "counterparty": "河山茶叶合作社"}],
    "spending": [{"category": "道路维修", "amount": 250000, "counterparty": "青山县路桥公司"},
                 {"category": "村务办公", "amount": 50000, "counterparty": "大桥镇文具店"}]})");
}

Json contract_fields() {
  return Json::parse(R"({
    "title": "村集体茶园承包合同公开", "party": "李大山", "object": "村集体茶园", "area": "86亩",
    "start": "2026-01-01", "end": "2030-12-31", "price": 4000000,
    "schedule": [{"date": "2026-01-15", "amount": 2000000}, {"date": "2028-01-15", "amount": 2000000}]})");
}

class DisclosureTest : public ::testing::Test {
 protected:
  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> r = testing::demo_replica("phone-1", clock);
  disclosure::Service svc{*r};

  std::int64_t op_count() { return *r->log().ops().count(); }
  EntityId published(PostType t, const Json& fields) {
    auto id = svc.draft(kCadre, kHs, t, fields);
    EXPECT_TRUE(id) << id.error().detail;
    auto s = svc.publish(kCadre, *id);
    EXPECT_TRUE(s) << s.error().detail;
    clock.advance(minutes(1));
    return *id;
  }
  void expect_refused(Status s, Errc code, std::int64_t ops_before, const std::string& dump_before) {
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, code) << s.error().detail;
    EXPECT_EQ(op_count(), ops_before);
    EXPECT_EQ(*r->canonical_dump(), dump_before);
  }
};

TEST_F(DisclosureTest, DraftIsInvisibleToSearchUntilPublished) {
  auto id = svc.draft(kCadre, kHs, PostType::notice, {{"title", "秋季防火通知"}, {"body", "请各户注意秋季防火安全。"}});
  ASSERT_TRUE(id);
  EXPECT_TRUE(svc.search({"防火"})->empty());
  EXPECT_EQ(svc.published(*id).code(), Errc::not_published);
  ASSERT_TRUE(svc.publish(kCadre, *id));
  auto p = svc.published(*id);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->versions.size(), 1u);
  EXPECT_EQ(p->title(), "秋季防火通知");
  EXPECT_EQ(svc.search({"防火"})->size(), 1u);
}

TEST_F(DisclosureTest, OnlyCadresOfTheScopeLevelPublish) {
  const Json f{{"title", "通知"}, {"body", "内容"}};
  EXPECT_EQ(svc.draft(kWang, kHs, PostType::notice, f).code(), Errc::forbidden_role);
  EXPECT_EQ(svc.draft(UserId("cadre-lj"), kHs, PostType::notice, f).code(), Errc::out_of_scope);
  EXPECT_EQ(svc.draft(UserId("staff-dq"), kHs, PostType::notice, f).code(), Errc::forbidden_role);
  EXPECT_TRUE(svc.draft(UserId("staff-dq"), RegionId("qs/dq"), PostType::notice, f));
  EXPECT_TRUE(svc.draft(UserId("staff-qs"), RegionId("qs"), PostType::policy, {{"title", "政策"}}));
  EXPECT_EQ(svc.draft(kCadre, RegionId("qs/dq/hs/y1"), PostType::notice, f).code(), Errc::unknown_region);
}

TEST_F(DisclosureTest, PublishedPostsAreAmendedNeverEdited) {
  const EntityId id = published(PostType::notice, {{"title", "停水通知"}, {"body", "7月15日8时至12时停水。"}});
  const auto ops = op_count();
  const auto dump = *r->canonical_dump();
  expect_refused(svc.edit(kCadre, id, {{"body", "改了"}}), Errc::already_published, ops, dump);
  expect_refused(svc.publish(kCadre, id), Errc::already_published, ops, dump);
  expect_refused(svc.amend(kCadre, id, "", {{"body", "7月15日8时至14时停水。"}}), Errc::text_empty, ops, dump);
  expect_refused(svc.amend(kCadre, id, "无变化", {{"body", "7月15日8时至12时停水。"}}), Errc::invalid_input, ops, dump);
  ASSERT_TRUE(svc.amend(kCadre, id, "施工延长", {{"body", "7月15日8时至14时停水。"}}));
  auto p = svc.published(id);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->versions.size(), 2u);
  EXPECT_EQ(p->versions[0].content["body"], "7月15日8时至12时停水。");
  EXPECT_EQ(p->versions[1].reason, "施工延长");
  auto d = svc.diff(id, 1, 2);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->size(), 1u);
  EXPECT_EQ((*d)[0].field, "body");
  EXPECT_NE(disclosure::describe_zh(*d).find("12时停水。 → 7月15日8时至14时停水。"), std::string::npos);
  EXPECT_EQ(svc.diff(id, 1, 3).code(), Errc::not_found);
}

TEST_F(DisclosureTest, FinanceMustBalanceToPublish) {
  Json f = finance_fields();
  f["closing"] = 1199000;
  auto id = svc.draft(kCadre, kHs, PostType::finance, f);
  ASSERT_TRUE(id);
  const auto ops = op_count();
  const auto dump = *r->canonical_dump();
  auto s = svc.publish(kCadre, *id);
  expect_refused(s, Errc::unbalanced_finance, ops, dump);
  EXPECT_NE(s.error().detail.find("10,000.00元"), std::string::npos) << s.error().detail;
  EXPECT_NE(s.error().detail.find("11,990.00元"), std::string::npos) << s.error().detail;
  ASSERT_TRUE(svc.edit(kCadre, *id, {{"closing", 1200000}}));
  ASSERT_TRUE(svc.publish(kCadre, *id));
  auto rec = disclosure::finance_of(svc.get(*id)->content());
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->total_income(), disclosure::Fen{500000});
  EXPECT_EQ(rec->total_spending(), disclosure::Fen{300000});
}

TEST_F(DisclosureTest, FinanceAmendmentReportsWhichLinesChanged) {
  const EntityId id = published(PostType::finance, finance_fields());
  Json spending = finance_fields()["spending"];
  spending[1]["amount"] = 40000;
  ASSERT_TRUE(svc.amend(kCadre, id, "办公费金额录入有误", {{"spending", spending}, {"closing", 1210000}}));
  auto d = svc.diff(id, 1, 2);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[0].field, "closing");
  EXPECT_EQ((*d)[1].field, "spending");
  ASSERT_EQ((*d)[1].lines.size(), 1u);
  EXPECT_EQ((*d)[1].lines[0].kind, disclosure::LineChange::Kind::changed);
  EXPECT_EQ((*d)[1].lines[0].before_index, 1);
  EXPECT_EQ((*d)[1].lines[0].members, std::vector<std::string>{"amount"});
  EXPECT_NE(disclosure::describe_zh(*d).find("支出第2行 修改：金额 500.00元 → 400.00元"), std::string::npos)
      << disclosure::describe_zh(*d);
  // An amendment that unbalances the record is refused like a publication.
  EXPECT_EQ(svc.amend(kCadre, id, "再改", {{"closing", 1}}).code(), Errc::unbalanced_finance);
}

TEST_F(DisclosureTest, ContractScheduleMustSumToPrice) {
  Json c = contract_fields();
  c["schedule"][1]["amount"] = 1500000;
  auto id = svc.draft(kCadre, kHs, PostType::contract, c);
  ASSERT_TRUE(id);
  auto s = svc.publish(kCadre, *id);
  ASSERT_EQ(s.code(), Errc::payment_schedule_mismatch);
  EXPECT_NE(s.error().detail.find("35,000.00元"), std::string::npos) << s.error().detail;
  ASSERT_TRUE(svc.edit(kCadre, *id, {{"end", "2025-12-31"}}));
  EXPECT_EQ(svc.publish(kCadre, *id).code(), Errc::invalid_date);
  ASSERT_TRUE(svc.edit(kCadre, *id, {{"end", "2030-12-31"}, {"schedule", contract_fields()["schedule"]}}));
  ASSERT_TRUE(svc.publish(kCadre, *id));
  auto terms = disclosure::contract_of(svc.get(*id)->content());
  ASSERT_TRUE(terms);
  EXPECT_EQ(terms->price, disclosure::Fen{4000000});
  EXPECT_EQ(terms->schedule.size(), 2u);
}

TEST_F(DisclosureTest, BadInputIsRefusedAndWritesNothing) {
  auto id = svc.draft(kCadre, kHs, PostType::finance, finance_fields());
  ASSERT_TRUE(id);
  const auto ops = op_count();
  const auto dump = *r->canonical_dump();
  struct Case {
    Json fields;
    Errc code;
  };
  const std::vector<Case> cases{
      {{{"opening", 1.5}}, Errc::invalid_amount},
      {{{"opening", "10"}}, Errc::invalid_amount},
      {{{"opening", -3}}, Errc::invalid_amount},
      {{{"income", Json::parse(R"([{"category": "租金", "amount": 0}])")}}, Errc::invalid_amount},
      {{{"income", Json::parse(R"([{"category": "租金", "amount": 10.0}])")}}, Errc::invalid_amount},
      {{{"period", "2026Q5"}}, Errc::invalid_period},
      {{{"period", "二季度"}}, Errc::invalid_period},
      {{{"title", std::string("\xC3\x28")}}, Errc::invalid_utf8},
      {{{"title", "   "}}, Errc::text_empty},
      {{{"price", 100}}, Errc::invalid_input},
      {{{"income", Json::parse(R"([{"category": "租金", "amount": 5, "iban": "x"}])")}}, Errc::invalid_input},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fields.dump(-1, ' ', false, Json::error_handler_t::replace));
    expect_refused(svc.edit(kCadre, *id, c.fields), c.code, ops, dump);
  }
  EXPECT_EQ(svc.draft(kCadre, kHs, "lottery", {{"title", "x"}}).code(), Errc::unknown_post_type);
  EXPECT_EQ(svc.draft(kCadre, kHs, PostType::activity, {{"title", "x"}, {"date", "2026-02-30"}}).code(), Errc::invalid_date);
  EXPECT_EQ(svc.draft(kCadre, kHs, PostType::contract, {{"start", "2026/01/01"}}).code(), Errc::invalid_date);
  EXPECT_EQ(op_count(), ops);
  // A raw op with an unknown type is refused by the fold as well.
  OpDraft raw{kCadre, "post.draft", {}, kHs, oplog::Visibility::participants, {{"type", "lottery"}, {"fields", {{"title", "x"}}}}};
  EXPECT_EQ(r->submit(raw).code(), Errc::unknown_post_type);
  EXPECT_EQ(op_count(), ops);
}

TEST_F(DisclosureTest, MaskingRule) {
  EXPECT_EQ(disclosure::mask_id_number("110101199003071234"), "110101********1234");
  EXPECT_EQ(disclosure::mask_id_number("11010119900307123X"), "110101********123X");
  EXPECT_EQ(disclosure::mask_phone("13812341234"), "138****1234");
  EXPECT_EQ(disclosure::mask_phone("123"), "***");
  EXPECT_EQ(disclosure::mask_text("联系电话13812341234，身份证110101199003071234。"),
            "联系电话138****1234，身份证110101********1234。");
  EXPECT_EQ(disclosure::mask_text("编号2026071300123456789与金额500元"), "编号2026071300123456789与金额500元");
  const std::string once = disclosure::mask_text("身份证11010119900307123x");
  EXPECT_EQ(disclosure::mask_text(once), once);
}

TEST_F(DisclosureTest, AssistanceListsArePublishedMasked) {
  const Json fields = Json::parse(R"({
    "title": "2026年第三季度低保名单公示", "program": "低保",
    "criteria": "家庭月人均收入低于当地低保标准。有异议请拨打13900001111反映。",
    "steps": ["本人申请", "村民代表评议", "镇政府审核", "县民政局审批"],
    "entries": [{"name": "陈玉兰", "id_number": "330102195805061234", "phone": "13812341234",
                 "household_size": 2, "amount": 68000, "note": "身份证330102195805061234"}]})");
  auto id = svc.draft(kCadre, kHs, PostType::assistance, fields);
  ASSERT_TRUE(id);
  EXPECT_EQ(svc.get(*id)->draft["entries"][0]["id_number"], "330102195805061234");  // the cadres' draft
  ASSERT_TRUE(svc.publish(kCadre, *id));
  const auto p = *svc.published(*id);
  const Json& e = p.versions[0].content["entries"][0];
  EXPECT_EQ(e["name"], "陈玉兰");
  EXPECT_EQ(e["id_number"], "330102********1234");
  EXPECT_EQ(e["phone"], "138****1234");
  EXPECT_EQ(e["note"], "身份证330102********1234");
  EXPECT_EQ(p.versions[0].content["criteria"], "家庭月人均收入低于当地低保标准。有异议请拨打139****1111反映。");
  const std::string state = r->state_json(*id)->dump();
  EXPECT_EQ(state.find("195805061234"), std::string::npos) << "the folded state keeps no raw ID after publication";
  // An amendment's raw data is masked before it is written.
  Json entries = fields["entries"];
  entries[0]["phone"] = "13700002222";
  ASSERT_TRUE(svc.amend(kCadre, *id, "联系电话变更", {{"entries", entries}}));
  EXPECT_EQ(svc.published(*id)->versions[1].content["entries"][0]["phone"], "137****2222");
  auto ops = r->log().ops().ops_after(0, 1000);
  EXPECT_EQ(ops->back().second.payload.dump().find("13700002222"), std::string::npos);
  // Search finds the list by its criteria but never indexes entries.
  EXPECT_EQ(svc.search({"低保"})->size(), 1u);
  EXPECT_TRUE(svc.search({"陈玉兰"})->empty());
}

TEST_F(DisclosureTest, QuestionsAndOfficialAnswers) {
  const EntityId id = published(PostType::finance, finance_fields());
  auto q = svc.ask(kWang, id, "道路维修的钱是修哪条路？");
  ASSERT_TRUE(q);
  EXPECT_EQ(svc.ask(kSun, id, "我是石门村的").code(), Errc::out_of_scope);
  EXPECT_EQ(svc.ask(kWang, id, "问第二版", 2).code(), Errc::not_found);
  EXPECT_EQ(svc.answer(kWang, id, *q, "我自己答").code(), Errc::forbidden_role);
  EXPECT_EQ(svc.answer(kCadre, id, "nobody.1", "答").code(), Errc::not_found);
  ASSERT_TRUE(svc.answer(kCadre2, id, *q, "修的是村口到茶园的机耕路，共1.2公里。"));
  const auto p = *svc.published(id);
  ASSERT_EQ(p.questions.size(), 1u);
  EXPECT_EQ(p.questions[0].asker, kWang);
  EXPECT_EQ(p.questions[0].version, 1);
  ASSERT_EQ(p.questions[0].answers.size(), 1u);
  EXPECT_TRUE(p.questions[0].answers[0].official);
  EXPECT_EQ(p.questions[0].answers[0].by, kCadre2);
  auto draft = svc.draft(kCadre, kHs, PostType::notice, {{"title", "草稿"}, {"body", "x"}});
  EXPECT_EQ(svc.ask(kWang, *draft, "?").code(), Errc::not_published);
}

TEST_F(DisclosureTest, AwarenessCountsResidentsWhoRead) {
  const EntityId id = published(PostType::notice, {{"title", "人居环境整治通知"}, {"body", "请各户清理房前屋后。"}});
  auto a = svc.awareness(id);
  ASSERT_TRUE(a);
  // Residents of 河山村 in the demo county: wang, li, chen and the three courtyard heads/grid workers.
  EXPECT_EQ(a->residents, 6);
  EXPECT_EQ(a->readers, 0);
  ASSERT_TRUE(svc.read(kWang, id));
  const auto ops = op_count();
  ASSERT_TRUE(svc.read(kWang, id));  // read again: nothing new to record
  EXPECT_EQ(op_count(), ops);
  ASSERT_TRUE(svc.read(kLi, id));
  ASSERT_TRUE(svc.read(kCadre, id));  // a cadre without a home here is no resident
  EXPECT_EQ(svc.read(kSun, id).code(), Errc::out_of_scope);
  a = svc.awareness(id);
  EXPECT_EQ(a->readers, 2);
  EXPECT_DOUBLE_EQ(a->rate, 2.0 / 6.0);
  auto draft = svc.draft(kCadre, kHs, PostType::notice, {{"title", "草稿"}, {"body", "x"}});
  EXPECT_EQ(svc.read(kWang, *draft).code(), Errc::not_published);
  // A forged receipt for someone else is refused by the fold.
  OpDraft forged{kWang, "receipt.read", disclosure::receipt_id(id, kChen), kHs, oplog::Visibility::participants,
                 {{"post", id.str()}, {"version", 1}}};
  EXPECT_EQ(r->submit(forged).code(), Errc::invalid_id);
}

TEST_F(DisclosureTest, PolicyNeedsItsFields) {
  auto id = svc.draft(UserId("staff-qs"), RegionId("qs"), PostType::policy,
                      {{"title", "农村危房改造补助办法"}, {"body", "对农村低收入群体危房改造给予补助。"}});
  ASSERT_TRUE(id);
  EXPECT_EQ(svc.publish(UserId("staff-qs"), *id).code(), Errc::invalid_input);
  EXPECT_EQ(svc.edit(UserId("staff-qs"), *id, {{"category", "lottery"}}).code(), Errc::invalid_input);
  ASSERT_TRUE(svc.edit(UserId("staff-qs"), *id, {{"category", "housing"}, {"issuer", "青山县住房和城乡建设局"},
                                                 {"effective_from", "2026-03-01"}, {"effective_to", "2025-03-01"}}));
  EXPECT_EQ(svc.publish(UserId("staff-qs"), *id).code(), Errc::invalid_date);
  ASSERT_TRUE(svc.edit(UserId("staff-qs"), *id, {{"effective_to", nullptr}}));
  ASSERT_TRUE(svc.publish(UserId("staff-qs"), *id));
  disclosure::SearchQuery q{"住房"};
  q.category = "housing";
  EXPECT_EQ(svc.search(q)->size(), 1u);
}

}  // namespace
}  // namespace cunwu
