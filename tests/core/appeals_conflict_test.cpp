// Offline concurrency: two replicas each accept an op that cannot both stand. The later one (by
// hybrid time) loses on every replica, whatever order the ops travel in; it stays in the log
// and is listed as a conflict with its actor, type and catalogued reason.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using testing::deliver;
using appeals::Appeal;
using appeals::AppealStatus;
using appeals::Category;
using appeals::Rating;
using appeals::Urgency;


std::vector<oplog::Op> ops_of(Replica& r) {
  auto rows = r.log().ops().ops_after(0, 100'000);
  EXPECT_TRUE(rows);
  std::vector<oplog::Op> out;
  if (rows) {
    for (auto& [seq, op] : *rows) out.push_back(op);
  }
  return out;
}

/// Sends everything `from` holds to `to`.
/// The last op `r` authored.
oplog::Op last_own_op(Replica& r) {
  oplog::Op last;
  for (const auto& op : ops_of(r)) {
    if (op.id.origin == r.id()) last = op;
  }
  return last;
}

/// A device: its clock, its replica and the service over it.
struct AppealPhone {
  AppealPhone(const std::string& id, TimeMs start) : clock(start), replica(testing::demo_replica(id, clock)), svc(*replica) {}
  Appeal get(const EntityId& id) {
    auto a = svc.get(id);
    EXPECT_TRUE(a) << replica->id().str() << " " << id.str();
    return a ? *a : Appeal{};
  }
  testing::FakeClock clock;
  std::unique_ptr<Replica> replica;
  appeals::Service svc;
};

/// Checks that both replicas hold the same state and exactly one conflict: `loser` by `actor`
/// of type `type`, refused with `code`, still present in each log.
void expect_one_conflict(AppealPhone& a, AppealPhone& b, const oplog::Op& loser, const UserId& actor, const char* type,
                         const char* code) {
  EXPECT_EQ(*a.replica->canonical_dump(), *b.replica->canonical_dump());
  for (AppealPhone* d : {&a, &b}) {
    SCOPED_TRACE(d->replica->id().str());
    auto conflicts = d->replica->conflicts();
    ASSERT_TRUE(conflicts);
    ASSERT_EQ(conflicts->size(), 1u);
    const auto& c = conflicts->front();
    EXPECT_EQ(c.op, loser.id);
    EXPECT_EQ(c.entity, loser.entity);
    EXPECT_EQ(c.actor, actor);
    EXPECT_EQ(c.type, type);
    EXPECT_EQ(errc_name(c.error.code), code) << c.error.detail;
    EXPECT_EQ(d->replica->conflicts(loser.entity)->size(), 1u);
    auto kept = d->replica->log().ops().find(loser.id);
    ASSERT_TRUE(kept);
    ASSERT_TRUE(kept->has_value()) << "the losing op was dropped";
    EXPECT_EQ((*kept)->payload, loser.payload);
  }
}

/// Wang files on his phone and it reaches the handler's phone; both then go offline.
EntityId file_and_share(AppealPhone& villager, AppealPhone& handler) {
  auto id = villager.svc.file(kWang, appeals::FileRequest{kY1, Category::dispute, Urgency::yellow, "邻居占了我家的路", {}});
  EXPECT_TRUE(id);
  deliver(*villager.replica, *handler.replica);
  return id ? *id : EntityId{};
}

struct WithdrawVsResolve {
  bool withdraw_first;
  bool phone_sends_first;
};

void run_withdraw_vs_resolve(WithdrawVsResolve c) {
  SCOPED_TRACE(std::string(c.withdraw_first ? "withdraw first" : "resolve first") +
               (c.phone_sends_first ? ", phone sends first" : ", head sends first"));
  const TimeMs t0 = testing::demo_start();
  AppealPhone phone("phone-wang", t0);
  AppealPhone head("phone-head", t0);
  const auto id = file_and_share(phone, head);

  phone.clock.set(t0 + minutes(c.withdraw_first ? 10 : 20));
  head.clock.set(t0 + minutes(c.withdraw_first ? 20 : 10));
  ASSERT_TRUE(phone.svc.withdraw(kWang, id, "已经和邻居谈妥了"));
  ASSERT_TRUE(head.svc.resolve(kHead, id, "已调解"));
  const oplog::Op withdraw = last_own_op(*phone.replica);
  const oplog::Op resolve = last_own_op(*head.replica);

  if (c.phone_sends_first) {
    deliver(*phone.replica, *head.replica);
    deliver(*head.replica, *phone.replica);
  } else {
    deliver(*head.replica, *phone.replica);
    deliver(*phone.replica, *head.replica);
  }
  for (AppealPhone* d : {&phone, &head}) {
    const Appeal a = d->get(id);
    EXPECT_EQ(a.status, c.withdraw_first ? AppealStatus::withdrawn : AppealStatus::resolved);
    EXPECT_EQ(a.timeline.back().kind, c.withdraw_first ? "withdrawn" : "resolved");
  }
  if (c.withdraw_first) {
    expect_one_conflict(phone, head, resolve, kHead, "appeal.resolve", "already_withdrawn");
  } else {
    expect_one_conflict(phone, head, withdraw, kWang, "appeal.withdraw", "invalid_transition");
  }
}

TEST(AppealsConflict, ResolveAfterAnOfflineWithdrawalLoses) {
  for (bool phone_first : {true, false}) run_withdraw_vs_resolve({true, phone_first});
}

TEST(AppealsConflict, WithdrawalAfterAnOfflineResolutionLoses) {
  for (bool phone_first : {true, false}) run_withdraw_vs_resolve({false, phone_first});
}

TEST(AppealsConflict, TwoHandlersResolvingAtOnceKeepTheEarlierResolution) {
  for (bool head_first : {true, false}) {
    SCOPED_TRACE(head_first ? "head sends first" : "grid worker sends first");
    const TimeMs t0 = testing::demo_start();
    AppealPhone phone("phone-wang", t0);
    AppealPhone head("phone-head", t0);
    AppealPhone grid("phone-grid", t0);
    const auto id = file_and_share(phone, head);
    deliver(*phone.replica, *grid.replica);

    head.clock.set(t0 + hours(1));
    grid.clock.set(t0 + hours(1) + minutes(2));
    ASSERT_TRUE(head.svc.resolve(kHead, id, "已调解，双方同意让出一米"));
    ASSERT_TRUE(grid.svc.resolve(kGrid, id, "已调解，路归王家"));
    const oplog::Op late = last_own_op(*grid.replica);

    AppealPhone& a = head_first ? head : grid;
    AppealPhone& b = head_first ? grid : head;
    deliver(*a.replica, *b.replica);
    deliver(*b.replica, *a.replica);
    for (AppealPhone* d : {&head, &grid}) {
      const Appeal s = d->get(id);
      EXPECT_EQ(s.status, AppealStatus::resolved);
      EXPECT_EQ(s.resolver, kHead);
      EXPECT_EQ(s.timeline.back().text, "已调解，双方同意让出一米");
    }
    expect_one_conflict(head, grid, late, kGrid, "appeal.resolve", "invalid_transition");

    // The villager's phone learns of both and shows the same.
    deliver(*grid.replica, *phone.replica);
    EXPECT_EQ(*phone.replica->canonical_dump(), *head.replica->canonical_dump());
  }
}

TEST(AppealsConflict, RatingFromASecondDeviceAfterTheReopeningLoses) {
  for (bool tablet_first : {true, false}) {
    SCOPED_TRACE(tablet_first ? "tablet sends first" : "phone sends first");
    const TimeMs t0 = testing::demo_start();
    AppealPhone phone("phone-wang", t0);
    AppealPhone tablet("tablet-wang", t0);
    AppealPhone head("phone-head", t0);
    const auto id = file_and_share(phone, head);
    head.clock.set(t0 + hours(1));
    ASSERT_TRUE(head.svc.resolve(kHead, id, "已调解"));
    deliver(*head.replica, *phone.replica);
    deliver(*head.replica, *tablet.replica);

    // Wang rates dissatisfied on the phone; later, offline, on the tablet, satisfied.
    phone.clock.set(t0 + hours(2));
    tablet.clock.set(t0 + hours(3));
    ASSERT_TRUE(phone.svc.rate(kWang, id, Rating::dissatisfied, "邻居又把路占了"));
    ASSERT_TRUE(tablet.svc.rate(kWang, id, Rating::satisfied));
    const oplog::Op late = last_own_op(*tablet.replica);

    AppealPhone& a = tablet_first ? tablet : phone;
    AppealPhone& b = tablet_first ? phone : tablet;
    deliver(*a.replica, *b.replica);
    deliver(*b.replica, *a.replica);
    for (AppealPhone* d : {&phone, &tablet}) {
      const Appeal s = d->get(id);
      EXPECT_EQ(s.status, AppealStatus::reopened);
      EXPECT_EQ(s.rating, Rating::dissatisfied);
      EXPECT_EQ(s.dissatisfied_count, 1);
    }
    expect_one_conflict(phone, tablet, late, kWang, "appeal.rate", "not_resolved");
  }
}

TEST(AppealsConflict, HandlerActingOfflineAfterTheHostEscalatedLoses) {
  for (bool head_first : {true, false}) {
    SCOPED_TRACE(head_first ? "head sends first" : "host sends first");
    const TimeMs t0 = testing::demo_start();
    AppealPhone host("host", t0);
    AppealPhone head("phone-head", t0);
    auto id = host.svc.file(kWang, appeals::FileRequest{kY1, Category::hazard, Urgency::red, "电线杆歪了", {}});
    ASSERT_TRUE(id);
    ASSERT_TRUE(host.svc.assign_official_number(*id, t0));
    deliver(*host.replica, *head.replica);

    // The red limit passes; the host escalates. The head, out of signal, answers late.
    host.clock.set(t0 + hours(2) + minutes(1));
    auto escalated = host.svc.escalate_overdue(host.clock.now());
    ASSERT_TRUE(escalated);
    ASSERT_EQ(escalated->size(), 1u);
    head.clock.set(t0 + hours(3));
    ASSERT_TRUE(head.svc.accept(kHead, *id));
    ASSERT_TRUE(head.svc.reply(kHead, *id, "马上派人去看"));
    const oplog::Op reply = last_own_op(*head.replica);

    AppealPhone& a = head_first ? head : host;
    AppealPhone& b = head_first ? host : head;
    deliver(*a.replica, *b.replica);
    deliver(*b.replica, *a.replica);
    EXPECT_EQ(*host.replica->canonical_dump(), *head.replica->canonical_dump());
    for (AppealPhone* d : {&host, &head}) {
      SCOPED_TRACE(d->replica->id().str());
      const Appeal s = d->get(*id);
      EXPECT_EQ(s.level, 2);
      EXPECT_EQ(s.status, AppealStatus::submitted);
      EXPECT_EQ(s.responded_at, std::nullopt);
      auto conflicts = d->replica->conflicts(*id);
      ASSERT_TRUE(conflicts);
      ASSERT_EQ(conflicts->size(), 2u);  // both the accept and the reply
      for (const auto& c : *conflicts) {
        EXPECT_EQ(c.actor, kHead);
        EXPECT_EQ(errc_name(c.error.code), "not_handler");
      }
      EXPECT_EQ((*conflicts)[0].type, "appeal.accept");
      EXPECT_EQ((*conflicts)[1].type, "appeal.reply");
      EXPECT_EQ((*conflicts)[1].op, reply.id);
      EXPECT_TRUE(d->replica->log().ops().find(reply.id)->has_value());
    }
    // The village cadre now has it, with a fresh limit.
    auto inbox = host.svc.inbox(kCadre, host.clock.now());
    ASSERT_TRUE(inbox);
    ASSERT_EQ(inbox->size(), 1u);
    EXPECT_EQ((*inbox)[0].due, t0 + hours(2) + minutes(1) + hours(2));
  }
}

}  // namespace
}  // namespace cunwu
