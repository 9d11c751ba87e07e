// Offline concurrency on posts: two cadres editing one draft, an amendment while a villager asks
// about the old version, and publication racing an edit. Whatever order the ops travel in,
// every replica ends with the same state, and nobody's work is silently lost.
#include <gtest/gtest.h>

#include "cunwu/disclosure/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using testing::deliver;
using disclosure::Json;
using disclosure::PostType;

const UserId kZhang{"cadre-hs"}, kHe{"cadre-hs2"};

struct PostPhone {
  PostPhone(const std::string& id, testing::FakeClock& c) : replica(testing::demo_replica(id, c)), svc(*replica) {}
  std::unique_ptr<Replica> replica;
  disclosure::Service svc;
};

class DisclosureConflictTest : public ::testing::Test {
 protected:
  testing::FakeClock clock{testing::demo_start()};
  PostPhone a{"phone-zhang", clock}, b{"phone-he", clock};

  EntityId shared_draft() {
    auto id = a.svc.draft(kZhang, kHs, PostType::notice, {{"title", "关于开展人居环境整治的通知"}, {"body", "初稿"}});
    EXPECT_TRUE(id);
    deliver(*a.replica, *b.replica);
    return *id;
  }
  void sync_both(bool a_first) {
    if (a_first) {
      deliver(*a.replica, *b.replica);
      deliver(*b.replica, *a.replica);
    } else {
      deliver(*b.replica, *a.replica);
      deliver(*a.replica, *b.replica);
    }
    EXPECT_EQ(*a.replica->canonical_dump(), *b.replica->canonical_dump());
  }
};

class DraftMergeOrder : public DisclosureConflictTest, public ::testing::WithParamInterface<bool> {};

TEST_P(DraftMergeOrder, TwoCadresEditOneDraftOfflinePerFieldLastWriterWins) {
  const EntityId id = shared_draft();
  clock.advance(minutes(1));
  ASSERT_TRUE(a.svc.edit(kZhang, id, {{"title", "张书记改的标题"}, {"body", "张书记写的正文"}}));
  clock.advance(minutes(1));
  ASSERT_TRUE(b.svc.edit(kHe, id, {{"title", "何主任改的标题"}}));
  sync_both(GetParam());
  for (PostPhone* d : {&a, &b}) {
    SCOPED_TRACE(d->replica->id().str());
    const auto p = *d->svc.get(id);
    EXPECT_EQ(p.draft["title"], "何主任改的标题");  // the later edit by hlc wins the field
    EXPECT_EQ(p.draft["body"], "张书记写的正文");   // a field only one of them wrote is kept
    ASSERT_EQ(p.superseded.size(), 1u);
    EXPECT_EQ(p.superseded[0].field, "title");
    EXPECT_EQ(p.superseded[0].actor, kZhang);
    EXPECT_EQ(p.superseded[0].value, "张书记改的标题");
    EXPECT_EQ(p.superseded[0].by_actor, kHe);
    const auto told = *d->svc.superseded_edits_of(kZhang);
    ASSERT_EQ(told.size(), 1u);
    EXPECT_EQ(told[0].post, id);
    EXPECT_TRUE(d->svc.superseded_edits_of(kHe)->empty());
  }
  // An edit made after seeing the other's is no conflict.
  clock.advance(minutes(1));
  ASSERT_TRUE(a.svc.edit(kZhang, id, {{"title", "定稿标题"}}));
  EXPECT_EQ(a.svc.get(id)->superseded.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(BothDeliveryOrders, DraftMergeOrder, ::testing::Bool());

TEST_F(DisclosureConflictTest, AmendmentWhileAVillagerAsksAboutTheOldVersion) {
  PostPhone phone{"phone-wang", clock};
  const EntityId id = shared_draft();
  ASSERT_TRUE(a.svc.publish(kZhang, id));
  deliver(*a.replica, *phone.replica);
  clock.advance(minutes(5));
  ASSERT_TRUE(a.svc.amend(kZhang, id, "补充整治时间", {{"body", "7月20日前完成房前屋后清理。"}}));
  clock.advance(minutes(5));
  auto q = phone.svc.ask(kWang, id, "初稿说的整治什么时候开始？");  // offline, still on version 1
  ASSERT_TRUE(q);
  deliver(*phone.replica, *a.replica);
  deliver(*a.replica, *phone.replica);
  EXPECT_EQ(*a.replica->canonical_dump(), *phone.replica->canonical_dump());
  const auto p = *a.svc.published(id);
  ASSERT_EQ(p.versions.size(), 2u);
  ASSERT_EQ(p.questions.size(), 1u);
  EXPECT_EQ(p.questions[0].version, 1);  // the question shows which version it was about
  EXPECT_TRUE(a.replica->conflicts()->empty());
  ASSERT_TRUE(a.svc.answer(kZhang, id, *q, "已发布更正：7月20日前完成。"));
  EXPECT_EQ(a.svc.published(id)->questions[0].answers.size(), 1u);
}

TEST_F(DisclosureConflictTest, EditAfterAnOfflinePublicationBecomesAConflict) {
  const EntityId id = shared_draft();
  clock.advance(minutes(1));
  ASSERT_TRUE(a.svc.publish(kZhang, id));
  clock.advance(minutes(1));
  ASSERT_TRUE(b.svc.edit(kHe, id, {{"body", "何主任的修改"}}));  // offline: b still sees the draft
  sync_both(false);
  const auto p = *a.svc.get(id);
  EXPECT_EQ(p.versions.at(0).content["body"], "初稿");
  for (PostPhone* d : {&a, &b}) {
    auto c = d->replica->conflicts();
    ASSERT_EQ(c->size(), 1u);
    EXPECT_EQ(c->front().actor, kHe);
    EXPECT_EQ(c->front().type, "post.edit");
    EXPECT_EQ(c->front().error.code, Errc::already_published);
  }
}

TEST_F(DisclosureConflictTest, PublicationOfADraftChangedMeanwhileIsRefused) {
  const EntityId id = shared_draft();
  clock.advance(minutes(1));
  ASSERT_TRUE(b.svc.edit(kHe, id, {{"body", "何主任补充的内容"}}));
  clock.advance(minutes(1));
  ASSERT_TRUE(a.svc.publish(kZhang, id));  // a never saw the edit
  sync_both(true);
  const auto p = *a.svc.get(id);
  EXPECT_EQ(p.status, disclosure::PostStatus::draft);  // nothing was published unseen
  EXPECT_EQ(p.draft["body"], "何主任补充的内容");
  auto c = a.replica->conflicts();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ(c->front().type, "post.publish");
  EXPECT_EQ(c->front().error.code, Errc::draft_changed);
  // Having seen the edit, 张书记 publishes it.
  clock.advance(minutes(1));
  ASSERT_TRUE(a.svc.publish(kZhang, id));
  EXPECT_EQ(a.svc.published(id)->versions[0].content["body"], "何主任补充的内容");
}

}  // namespace
}  // namespace cunwu
