// 通知 — what a villager is told after a sync: their appeal got a number, a reply, a department,
// a resolution, was merged; their points application was decided; their redemption confirmed;
// their question answered; a new or corrected disclosure. Nothing they did themselves, nothing
// about others, nothing that did not happen (conflicts), and no history on a new device.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "cunwu/disclosure/service.hpp"
#include "cunwu/notify/feed.hpp"
#include "cunwu/points/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using oplog::Json;


class Notices : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(std::string(CUNWU_SHARED_DIR) + "/demo/points.json");
    std::stringstream text;
    text << in.rdbuf();
    ASSERT_TRUE(points::seed_demo(*device, Json::parse(text.str())));
    ASSERT_TRUE(feed.scan());  // the first scan: from here on
  }
  EntityId file(const UserId& who, const std::string& text) {
    auto id = handling.file(who, appeals::FileRequest{kY1, appeals::Category::environment, appeals::Urgency::green, text, {}});
    EXPECT_TRUE(id) << (id ? "" : id.error().detail);
    clock.advance(minutes(1));
    return id ? *id : EntityId{};
  }
  std::vector<std::string> kinds(notify::Feed& f) {
    auto list = f.list();
    EXPECT_TRUE(list);
    std::vector<std::string> out;
    for (const auto& n : list ? *list : std::vector<notify::Notice>{}) out.push_back(n.kind);
    return out;
  }

  testing::FakeClock clock{testing::demo_start()};
  // One replica that holds what everyone did, as a cadre's phone or the host would: the feed
  // reads the ops in arrival order, wherever they were authored.
  std::unique_ptr<Replica> device = testing::demo_replica("device", clock);
  appeals::Service handling{*device};
  points::Service ledgers{*device};
  disclosure::Service posts{*device};
  notify::Feed feed{*device, kWang};
};

TEST_F(Notices, WhatChangedForMyAppeals) {
  const auto mine = file(kWang, "门口垃圾桶满了，好几天没人清运");
  const auto dup = file(kWang, "门口垃圾桶满了没人清运");
  const auto lis = file(kLi, "院子里的路灯不亮了");
  ASSERT_TRUE(handling.assign_official_number(mine, clock.now()));
  ASSERT_TRUE(handling.accept(kHead, mine));
  ASSERT_TRUE(handling.reply(kHead, mine, "明天上午清运"));
  ASSERT_TRUE(handling.dispatch(kHead, mine, "hs-bj"));
  ASSERT_TRUE(handling.resolve(kHead, mine, "已清运"));
  ASSERT_TRUE(handling.merge(kHead, dup, lis));
  ASSERT_TRUE(handling.reply(kHead, lis, "电工明天来"));  // Li's, not Wang's
  ASSERT_TRUE(handling.rate(kWang, mine, appeals::Rating::satisfied));  // Wang's own

  auto added = feed.scan();
  ASSERT_TRUE(added);
  EXPECT_EQ(*added, 6);
  EXPECT_EQ(kinds(feed), (std::vector<std::string>{"appeal_merged", "appeal_resolved", "appeal_dispatched",
                                                   "appeal_replied", "appeal_accepted", "appeal_numbered"}));
  const auto list = *feed.list();
  EXPECT_EQ(list[1].data["text"], "已清运");
  EXPECT_EQ(list[2].data["department"], "村保洁队");
  EXPECT_EQ(list[2].entity, mine);
  EXPECT_EQ(list[5].data["number"], "20260713001");
  EXPECT_EQ(list[5].actor, kHostActor);
  EXPECT_TRUE(list[0].unread);
  EXPECT_EQ(*feed.unread(), 6);
  EXPECT_EQ(*feed.scan(), 0) << "each op is looked at once";

  notify::Feed lis_feed(*device, kLi);
  EXPECT_EQ(*lis_feed.scan(), 0) << "the first scan for a person announces no history";
  EXPECT_TRUE(kinds(lis_feed).empty());
}

TEST_F(Notices, FiledOnMyBehalfAndEscalated) {
  auto id = handling.file(kHead, appeals::FileRequest{kY1, appeals::Category::other, appeals::Urgency::red,
                                                     "代王大爷反映：屋后的土坡有滑坡的迹象", {}, kWang});
  ASSERT_TRUE(id);
  ASSERT_TRUE(handling.escalate(kHead, *id, "需要村里派人看"));
  EXPECT_EQ(kinds(feed).size(), 0u) << "nothing before a scan";
  ASSERT_TRUE(feed.scan());
  EXPECT_EQ(kinds(feed), (std::vector<std::string>{"appeal_escalated", "appeal_filed_for_you"}));
  EXPECT_EQ(feed.list()->front().data["level"], 2);
}

TEST_F(Notices, PointsDecisionsAndRedemptions) {
  auto approved = ledgers.apply(kWang, kWangH, "volunteer-day", "周六去帮忙搬沙袋");
  auto rejected = ledgers.apply(kWang, kWangH, "volunteer-day", "周日也去了");
  auto lis = ledgers.apply(kLi, kLiH, "volunteer-day", "");
  ASSERT_TRUE(approved && rejected && lis);
  ASSERT_TRUE(ledgers.approve(kCadre, kWangH, *approved));
  ASSERT_TRUE(ledgers.reject(kCadre, kWangH, *rejected, "签到表上没有名字"));
  ASSERT_TRUE(ledgers.approve(kCadre, kLiH, *lis));
  ASSERT_TRUE(ledgers.award(kCadre, kWangH, "mediate-dispute", "调解了东头两家的纠纷"));
  ASSERT_TRUE(ledgers.redeem(kWang, kWangH, "soap"));
  ASSERT_TRUE(ledgers.decide());  // the host confirms the redemption

  ASSERT_TRUE(feed.scan());
  EXPECT_EQ(kinds(feed), (std::vector<std::string>{"redemption_confirmed", "points_awarded", "points_rejected",
                                                   "points_approved"}));
  const auto list = *feed.list();
  EXPECT_EQ(list[0].data["goods"], "香皂");
  EXPECT_EQ(list[0].data["price"], 5);
  EXPECT_EQ(list[1].data["points"], 10);
  EXPECT_EQ(list[2].data["reason"], "签到表上没有名字");
  EXPECT_EQ(list[3].data["rule"], "参加志愿服务半天");
  EXPECT_EQ(list[3].data["points"], 3);
}

TEST_F(Notices, DisclosuresAndAnswersToMyQuestions) {
  auto post = posts.publish_new(kCadre, kHs, "notice", Json{{"title", "关于清理河道的通知"}, {"body", "本周六上午清理河道。"}});
  ASSERT_TRUE(post) << post.error().detail;
  auto q = posts.ask(kWang, *post, "几点集合？");
  auto lis_q = posts.ask(kLi, *post, "要带工具吗？");
  ASSERT_TRUE(q && lis_q);
  ASSERT_TRUE(posts.answer(kCadre, *post, *q, "八点在村委会门口集合。"));
  ASSERT_TRUE(posts.answer(kCadre, *post, *lis_q, "村里统一发。"));
  ASSERT_TRUE(posts.amend(kCadre, *post, "时间改了", Json{{"body", "本周日上午清理河道。"}}));

  ASSERT_TRUE(feed.scan());
  EXPECT_EQ(kinds(feed), (std::vector<std::string>{"post_amended", "question_answered", "post_published"}));
  const auto list = *feed.list();
  EXPECT_EQ(list[0].data["reason"], "时间改了");
  EXPECT_EQ(list[1].data["text"], "八点在村委会门口集合。");
  EXPECT_EQ(list[1].data["title"], "关于清理河道的通知");
  EXPECT_EQ(list[2].data["type"], "notice");
}

TEST_F(Notices, ReadMarksSurviveAndNeverGoBack) {
  const auto id = file(kWang, "门口垃圾桶满了");
  ASSERT_TRUE(handling.accept(kHead, id));
  ASSERT_TRUE(handling.reply(kHead, id, "收到"));
  ASSERT_TRUE(feed.scan());
  const auto list = *feed.list();
  ASSERT_EQ(list.size(), 2u);
  ASSERT_TRUE(feed.mark_read(list[1].seq));
  EXPECT_EQ(*feed.unread(), 1);
  ASSERT_TRUE(feed.mark_read(list[0].seq));
  ASSERT_TRUE(feed.mark_read(list[1].seq));  // never moves back
  EXPECT_EQ(*feed.unread(), 0);
  EXPECT_FALSE(feed.list()->front().unread);

  notify::Feed again(*device, kWang);  // a reload: the marks are in the database
  EXPECT_EQ(*again.unread(), 0);
  ASSERT_TRUE(handling.resolve(kHead, id, "已清运"));
  ASSERT_TRUE(again.scan());
  EXPECT_EQ(*again.unread(), 1);
  EXPECT_EQ(again.list()->size(), 3u) << "read notices stay in the list";
}

TEST_F(Notices, WhatDidNotHappenIsNotAnnounced) {
  // The head replies on a phone that does not know the appeal was withdrawn; on the device that
  // gets both, the reply lands after the withdrawal and is a conflict.
  const auto id = file(kWang, "门口垃圾桶满了");
  auto phone = testing::demo_replica("phone", clock);
  auto ops = *device->log().ops().ops_after(0, 1000);
  std::vector<oplog::Op> list;
  for (auto& [seq, op] : ops) list.push_back(op);
  ASSERT_TRUE(phone->receive(list));
  clock.advance(minutes(1));
  ASSERT_TRUE(handling.withdraw(kWang, id, "自己清掉了"));
  clock.advance(minutes(1));
  appeals::Service on_phone(*phone);
  ASSERT_TRUE(on_phone.reply(kHead, id, "马上派人"));
  auto phone_ops = *phone->log().ops().ops_of_origin(ReplicaId("phone"), 0, 100);
  ASSERT_TRUE(device->receive(phone_ops));
  ASSERT_EQ(device->conflicts(id)->size(), 1u);
  ASSERT_TRUE(feed.scan());
  EXPECT_TRUE(kinds(feed).empty());
}

}  // namespace
}  // namespace cunwu
