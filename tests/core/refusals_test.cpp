// notify::refusals: what a person did that did not take effect, found from the replica's
// conflicts (an op invalid where it fell in the order) and the host's rejections (verdicts),
// with the item it was on named from the folded state.
#include "cunwu/notify/refusals.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using testing::deliver;

// The last op `r` authored.
oplog::Op last_own_op(Replica& r) {
  oplog::Op last;
  auto rows = r.log().ops().ops_after(0, 100'000);
  EXPECT_TRUE(rows);
  for (auto& [seq, op] : *rows) {
    if (op.id.origin == r.id()) last = op;
  }
  return last;
}

struct Phones {
  const TimeMs t0 = testing::demo_start();
  testing::FakeClock phone_clock{t0}, head_clock{t0}, host_clock{t0};
  std::unique_ptr<Replica> phone = testing::demo_replica("phone-wang", phone_clock);
  std::unique_ptr<Replica> head = testing::demo_replica("phone-head", head_clock);
  std::unique_ptr<Replica> host = testing::demo_replica("host", host_clock);
  EntityId id;
  oplog::Op resolve;

  // Wang files; the head gets it; offline, Wang withdraws (earlier) and the head resolves (later).
  explicit Phones(const std::string& text) {
    auto filed =
        appeals::Service(*phone).file(kWang, {kY1, appeals::Category::dispute, appeals::Urgency::yellow, text, {}});
    EXPECT_TRUE(filed);
    id = *filed;
    deliver(*phone, *head);
    phone_clock.set(t0 + minutes(10));
    head_clock.set(t0 + minutes(20));
    EXPECT_TRUE(appeals::Service(*phone).withdraw(kWang, id, "谈妥了"));
    EXPECT_TRUE(appeals::Service(*head).resolve(kHead, id, "已调解"));
    resolve = last_own_op(*head);
  }
};

TEST(Refusals, AConflictOnTheDeviceNamesTheActionTheAppealAndTheReason) {
  Phones p("邻居占了我家的路");
  deliver(*p.phone, *p.head);  // the withdrawal reaches the head's phone: its resolution loses there

  auto mine = notify::refusals(*p.head, kHead);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  const auto& r = mine->front();
  EXPECT_EQ(r.op, p.resolve.id);
  EXPECT_EQ(r.type, "appeal.resolve");
  EXPECT_EQ(r.entity, p.id);
  EXPECT_EQ(r.kind, "appeal");
  EXPECT_EQ(errc_name(r.error.code), "already_withdrawn");
  EXPECT_FALSE(r.by_host);
  EXPECT_EQ(r.at.ms, p.resolve.hlc.wall);
  auto appeal = appeals::Service(*p.head).get(p.id);
  ASSERT_TRUE(appeal);
  EXPECT_EQ(r.item.value("number", ""), appeal->provisional_number);
  EXPECT_FALSE(r.item.value("official", true));
  EXPECT_EQ(r.item.value("category", ""), "dispute");
  EXPECT_EQ(r.item.value("text", ""), "邻居占了我家的路");

  const auto j = notify::to_json(r);
  EXPECT_EQ(j["code"], "already_withdrawn");
  EXPECT_EQ(j["message"], std::string(user_message(Errc::already_withdrawn, Lang::zh)));
  EXPECT_EQ(j["type"], "appeal.resolve");
  EXPECT_EQ(j["by_host"], false);

  // Only the person's own ops, and only of the entity asked for.
  EXPECT_TRUE(notify::refusals(*p.head, kWang)->empty());
  EXPECT_EQ(notify::refusals(*p.head, kHead, p.id)->size(), 1u);
  EXPECT_TRUE(notify::refusals(*p.head, kHead, EntityId("appeal/none"))->empty());
}

TEST(Refusals, TheHostsRejectionIsListedOnceAndLongTextIsCut) {
  Phones p("院子里的路灯已经坏了一个多月了，晚上出门很不方便，老人孩子容易摔倒。");
  // The host took the filing and the withdrawal, then refused the resolution by verdict.
  deliver(*p.phone, *p.host);
  ASSERT_TRUE(p.host->receive_rejected(p.resolve, make_error(Errc::already_withdrawn, "withdrawn")));
  auto on_host = notify::refusals(*p.host, kHead);
  ASSERT_TRUE(on_host);
  ASSERT_EQ(on_host->size(), 1u);
  EXPECT_TRUE(on_host->front().by_host);

  // The head's phone first finds the conflict itself, then gets the verdict: listed once, as the host's.
  deliver(*p.phone, *p.head);
  deliver(*p.host, *p.head);
  auto mine = notify::refusals(*p.head, kHead);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_TRUE(mine->front().by_host);
  EXPECT_EQ(errc_name(mine->front().error.code), "already_withdrawn");
  const auto text = mine->front().item.value("text", "");
  EXPECT_EQ(text, "院子里的路灯已经坏了一个多月了，晚上出门很不方便…");
}

}  // namespace
}  // namespace cunwu
