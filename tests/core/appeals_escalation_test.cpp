// Time limits per urgency colour, counted from the host's registration, and escalation up the
// four levels when they pass (or by hand), with the inspector's supervision flags.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cunwu/appeals/service.hpp"
#include "cunwu/appeals/sla.hpp"
#include "support/demo_people.hpp"
#include "support/fixture.hpp"

namespace cunwu {
namespace {

using appeals::Appeal;
using appeals::AppealStatus;
using appeals::Category;
using appeals::Rating;
using appeals::SlaPolicy;
using appeals::Urgency;


class AppealsEscalation : public ::testing::Test {
 protected:
  /// Files an appeal on the host and registers (numbers) it at the current host time.
  EntityId file_registered(Urgency urgency, const UserId& who = kWang) {
    const auto id = file_only(urgency, who);
    EXPECT_TRUE(svc.assign_official_number(id, clock.now()));
    return id;
  }
  EntityId file_only(Urgency urgency, const UserId& who = kWang) {
    auto id = svc.file(who, appeals::FileRequest{kY1, Category::hazard, urgency, "河堤有裂缝", {}});
    EXPECT_TRUE(id);
    return id ? *id : EntityId{};
  }
  Appeal get(const EntityId& id) {
    auto a = svc.get(id);
    EXPECT_TRUE(a);
    return a ? *a : Appeal{};
  }
  /// Moves the host clock to `t` and runs the host's escalation job there.
  std::vector<EntityId> escalate_at(TimeMs t) {
    clock.set(t);
    auto ids = svc.escalate_overdue(t);
    EXPECT_TRUE(ids);
    return ids ? *ids : std::vector<EntityId>{};
  }
  SlaPolicy policy() { return *svc.sla(kCounty); }

  testing::FakeClock clock{testing::demo_start()};
  std::unique_ptr<Replica> host = testing::demo_replica("host", clock);
  appeals::Service svc{*host};
};

TEST_F(AppealsEscalation, DefaultLimitsPerColour) {
  const SlaPolicy p = policy();
  EXPECT_EQ(p.red.respond, hours(2));
  EXPECT_EQ(p.red.resolve, hours(24));
  EXPECT_EQ(p.yellow.respond, hours(24));
  EXPECT_EQ(p.yellow.resolve, days(3));
  EXPECT_EQ(p.green.respond, hours(24));
  EXPECT_EQ(p.green.resolve, days(7));

  const TimeMs t0 = clock.now();
  const auto red = file_registered(Urgency::red);
  const auto yellow = file_registered(Urgency::yellow);
  const auto green = file_registered(Urgency::green);
  const auto d = appeals::deadlines(get(red), p);
  EXPECT_EQ(d.respond_by, t0 + hours(2));
  EXPECT_EQ(d.resolve_by, t0 + hours(24));
  EXPECT_EQ(appeals::deadlines(get(yellow), p).resolve_by, t0 + days(3));
  EXPECT_EQ(appeals::deadlines(get(green), p).resolve_by, t0 + days(7));

  // Exactly at the limit is still in time; one millisecond later is not.
  EXPECT_TRUE(escalate_at(t0 + hours(2)).empty());
  EXPECT_EQ(escalate_at(t0 + hours(2) + Duration{1}), std::vector<EntityId>{red});
  ASSERT_TRUE(svc.resolve(kCadre, red, "已处理"));  // out of the way of the checks below

  // Yellow and green answered in time; they break only their resolution limits.
  ASSERT_TRUE(svc.accept(kHead, yellow));
  ASSERT_TRUE(svc.accept(kHead, green));
  EXPECT_TRUE(escalate_at(t0 + days(3)).empty());
  EXPECT_EQ(escalate_at(t0 + days(3) + Duration{1}), std::vector<EntityId>{yellow});
  ASSERT_TRUE(svc.resolve(kCadre, yellow, "已处理"));
  EXPECT_TRUE(escalate_at(t0 + days(7)).empty());
  EXPECT_EQ(escalate_at(t0 + days(7) + Duration{1}), std::vector<EntityId>{green});
  EXPECT_EQ(get(green).timeline.back().text, "overdue_resolution");
}

TEST_F(AppealsEscalation, GreenAndYellowMustBeAnsweredWithinADay) {
  const TimeMs t0 = clock.now();
  const auto yellow = file_registered(Urgency::yellow);
  const auto green = file_registered(Urgency::green);
  EXPECT_TRUE(escalate_at(t0 + hours(24)).empty());
  EXPECT_EQ(escalate_at(t0 + hours(24) + Duration{1}), (std::vector<EntityId>{yellow, green}));
  EXPECT_EQ(get(yellow).timeline.back().text, "overdue_response");
}

TEST_F(AppealsEscalation, CountyStaffConfigureTheirOwnLimits) {
  SlaPolicy p;
  p.red = {hours(1), hours(4)};
  p.green = {hours(48), days(14)};
  ASSERT_TRUE(svc.set_sla(kStaffQs, kCounty, p));
  EXPECT_EQ(policy().red.respond, hours(1));
  EXPECT_EQ(policy().red.resolve, hours(4));
  EXPECT_EQ(policy().green.resolve, days(14));
  EXPECT_EQ(policy().yellow.respond, hours(24));  // unchanged colours keep the defaults

  const TimeMs t0 = clock.now();
  const auto red = file_registered(Urgency::red);
  const auto green = file_registered(Urgency::green);
  EXPECT_TRUE(escalate_at(t0 + hours(1)).empty());
  EXPECT_EQ(escalate_at(t0 + hours(1) + Duration{1}), std::vector<EntityId>{red});
  ASSERT_TRUE(svc.resolve(kCadre, red, "已处理"));
  // A green appeal now has two days to be answered instead of one.
  EXPECT_TRUE(escalate_at(t0 + hours(30)).empty());
  EXPECT_EQ(get(green).level, 1);
  EXPECT_EQ(escalate_at(t0 + hours(48) + Duration{1}), std::vector<EntityId>{green});

  // The policy is the county's: it survives in the host's database.
  appeals::Service again(*host);
  EXPECT_EQ(again.sla(kCounty)->red.respond, hours(1));
}

TEST_F(AppealsEscalation, ClockStartsWhenTheHostRegistersNotWhenThePhoneFiled) {
  // Wang files at 09:00 on a phone with no signal; the host sees it at 15:00.
  testing::FakeClock phone_clock(testing::demo_start());
  auto phone = testing::demo_replica("phone-wang", phone_clock);
  appeals::Service on_phone(*phone);
  auto id = on_phone.file(kWang, appeals::FileRequest{kY1, Category::hazard, Urgency::red, "电线掉在路上", {}});
  ASSERT_TRUE(id);
  const TimeMs filed = phone_clock.now();
  // Before registration there is no deadline to break, however long it waits.
  EXPECT_EQ(appeals::deadlines(*on_phone.get(*id), SlaPolicy{}).respond_by, std::nullopt);

  const TimeMs seen = filed + hours(6);
  clock.set(seen);
  auto ops = phone->log().ops().ops_after(0, 100);
  ASSERT_TRUE(ops);
  std::vector<oplog::Op> batch;
  for (auto& [seq, op] : *ops) batch.push_back(op);
  ASSERT_TRUE(host->receive(batch));
  EXPECT_TRUE(escalate_at(seen + days(30)).empty()) << "unregistered appeals cannot be overdue";
  clock.set(seen);
  ASSERT_TRUE(svc.assign_official_number(*id, seen));

  const Appeal a = get(*id);
  EXPECT_EQ(a.filed_at, filed);
  EXPECT_EQ(a.registered_at, seen);
  EXPECT_EQ(appeals::deadlines(a, policy()).respond_by, seen + hours(2));
  EXPECT_TRUE(escalate_at(seen + hours(1)).empty());  // 7 hours after filing, 1 after registration
  EXPECT_EQ(escalate_at(seen + hours(2) + Duration{1}), std::vector<EntityId>{*id});
}

TEST_F(AppealsEscalation, OverdueAppealsClimbLevelByLevelAndStopAtTheCounty) {
  const TimeMs t0 = clock.now();
  const auto id = file_registered(Urgency::red);
  const std::vector<UserId> handlers{kHead, kCadre, kStaffDq, kStaffQs};
  TimeMs level_start = t0;
  for (int level = 1; level < 4; ++level) {
    SCOPED_TRACE("level " + std::to_string(level));
    auto inbox = svc.inbox(handlers[std::size_t(level - 1)], clock.now());
    ASSERT_TRUE(inbox);
    ASSERT_EQ(inbox->size(), 1u);
    EXPECT_EQ((*inbox)[0].due, level_start + hours(2));
    // Each level gets its own full limit: its clock restarts at the escalation.
    EXPECT_TRUE(escalate_at(level_start + hours(2)).empty());
    const TimeMs breach_at = level_start + hours(2) + minutes(1);
    EXPECT_EQ(escalate_at(breach_at), std::vector<EntityId>{id});
    const Appeal a = get(id);
    EXPECT_EQ(a.level, level + 1);
    EXPECT_EQ(a.escalations, level);
    EXPECT_EQ(a.level_since, breach_at);
    EXPECT_EQ(a.status, AppealStatus::submitted);
    EXPECT_EQ(a.timeline.back().kind, "escalated");
    EXPECT_EQ(a.timeline.back().actor, kHostActor);
    EXPECT_EQ(a.timeline.back().level, level);  // the level it left
    EXPECT_TRUE(svc.inbox(handlers[std::size_t(level - 1)], clock.now())->empty());
    level_start = breach_at;
  }
  // At the county there is no one above: it stays open there and the inspector sees it overdue.
  const TimeMs late = level_start + days(10);
  EXPECT_TRUE(escalate_at(late).empty());
  const Appeal a = get(id);
  EXPECT_EQ(a.level, 4);
  EXPECT_TRUE(a.open());
  const auto s = appeals::supervision(a, policy(), late);
  EXPECT_TRUE(s.overdue);
  EXPECT_TRUE(s.any());
  auto inbox = svc.inbox(kStaffQs, late);
  ASSERT_TRUE(inbox);
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].breach, appeals::Breach::response);

  const std::string text = appeals::timeline_text_zh(a, host->directory());
  for (const char* line : {"平台上报到村委会（超过响应时限）", "平台上报到乡镇（超过响应时限）", "平台上报到县级（超过响应时限）"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

TEST_F(AppealsEscalation, OnlyTheBreachedOnesEscalate) {
  const TimeMs t0 = clock.now();
  const auto late_red = file_registered(Urgency::red);
  const auto answered_red = file_registered(Urgency::red);
  const auto fresh_red = [&] {
    clock.set(t0 + hours(1));
    return file_registered(Urgency::red);
  }();
  const auto unregistered_red = file_only(Urgency::red);
  const auto resolved_red = file_registered(Urgency::red);
  const auto withdrawn_red = file_registered(Urgency::red);
  const auto green = file_registered(Urgency::green);
  ASSERT_TRUE(svc.accept(kHead, answered_red));
  ASSERT_TRUE(svc.resolve(kHead, resolved_red, "已处理"));
  ASSERT_TRUE(svc.withdraw(kWang, withdrawn_red));

  const auto escalated = escalate_at(t0 + hours(2) + minutes(30));
  EXPECT_EQ(escalated, std::vector<EntityId>{late_red});
  EXPECT_EQ(get(late_red).level, 2);
  for (const auto& id : {answered_red, fresh_red, unregistered_red, resolved_red, withdrawn_red, green}) {
    EXPECT_EQ(get(id).level, 1) << id.str();
  }
  // Running the job again at the same time does nothing more.
  EXPECT_TRUE(escalate_at(t0 + hours(2) + minutes(30)).empty());
}

TEST_F(AppealsEscalation, ReopeningRestartsTheLimits) {
  const TimeMs t0 = clock.now();
  const auto id = file_registered(Urgency::red, kLi);
  ASSERT_TRUE(svc.resolve(kHead, id, "已处理"));
  clock.set(t0 + hours(20));
  ASSERT_TRUE(svc.rate(kLi, id, Rating::dissatisfied));
  // Counted from registration, its 2-hour response limit would have passed long ago.
  EXPECT_TRUE(escalate_at(t0 + hours(21)).empty());
  EXPECT_EQ(escalate_at(t0 + hours(22) + Duration{1}), std::vector<EntityId>{id});
  EXPECT_EQ(get(id).status, AppealStatus::reopened);
  EXPECT_EQ(get(id).level, 2);
}

TEST_F(AppealsEscalation, HandlerEscalatesByHand) {
  const auto id = file_registered(Urgency::yellow);
  clock.advance(hours(1));
  ASSERT_TRUE(svc.assign(kHead, id, UserId("grid-hs1")));
  ASSERT_TRUE(svc.accept(kHead, id));
  ASSERT_TRUE(svc.escalate(kHead, id, "涉及两个院落，需要村委会协调"));
  const Appeal a = get(id);
  EXPECT_EQ(a.level, 2);
  EXPECT_EQ(a.escalations, 1);
  EXPECT_EQ(a.status, AppealStatus::submitted);  // the village has yet to respond
  EXPECT_EQ(a.assignee, std::nullopt);
  EXPECT_EQ(a.level_since, clock.now());
  EXPECT_EQ(appeals::deadlines(a, policy()).respond_by, clock.now() + hours(24));
  EXPECT_EQ(a.timeline.back().actor, kHead);
  EXPECT_EQ(a.timeline.back().text, "涉及两个院落，需要村委会协调");
  EXPECT_TRUE(svc.inbox(kHead, clock.now())->empty());
  ASSERT_EQ(svc.inbox(kCadre, clock.now())->size(), 1u);
  EXPECT_NE(appeals::timeline_text_zh(a, host->directory()).find("刘院长上报到村委会：涉及两个院落，需要村委会协调"),
            std::string::npos);
  ASSERT_TRUE(svc.escalate(kCadre, id, "需要镇里批资金"));
  EXPECT_EQ(get(id).level, 3);
}

TEST_F(AppealsEscalation, CountdownColourIsRedOverdueYellowInTheLastQuarter) {
  using appeals::Due;
  using appeals::DueColour;
  using appeals::DueKind;
  // The thresholds on their own: a 2-hour limit turns yellow 30 minutes before its deadline,
  // stays yellow at the deadline itself and is red one millisecond after.
  const TimeMs at{10 * 86'400'000};
  const Due two_hours{at, DueKind::respond, hours(2)};
  EXPECT_EQ(appeals::yellow_from(two_hours), at + Duration{-minutes(30).ms});
  EXPECT_EQ(appeals::due_colour(two_hours, at + Duration{-hours(2).ms}), DueColour::green);
  EXPECT_EQ(appeals::due_colour(two_hours, at + Duration{-minutes(30).ms - 1}), DueColour::green);
  EXPECT_EQ(appeals::due_colour(two_hours, at + Duration{-minutes(30).ms}), DueColour::yellow);
  EXPECT_EQ(appeals::due_colour(two_hours, at), DueColour::yellow);
  EXPECT_EQ(appeals::due_colour(two_hours, at + Duration{1}), DueColour::red);
  // A 7-day limit: yellow for its last 42 hours.
  const Due week{at, DueKind::resolve, days(7)};
  EXPECT_EQ(appeals::due_colour(week, at + Duration{-hours(43).ms}), DueColour::green);
  EXPECT_EQ(appeals::due_colour(week, at + Duration{-hours(42).ms}), DueColour::yellow);

  // In the inbox, from the county's policy: a red appeal counts against its 2-hour response
  // limit, a green one against 24 hours; once answered, against the resolution limit.
  ASSERT_TRUE(svc.set_sla(kStaffQs, kCounty, *appeals::sla_from_json(nlohmann::json::parse(
      R"({"red": {"respond_hours": 4, "resolve_hours": 24}})"))));
  const TimeMs t0 = clock.now();
  const auto red = file_registered(Urgency::red);
  const auto green = file_registered(Urgency::green);
  const auto unregistered = file_only(Urgency::red);
  auto colours = [&](TimeMs now) {
    std::vector<std::pair<EntityId, std::string>> out;
    auto inbox = svc.inbox(kHead, now);
    EXPECT_TRUE(inbox);
    for (const auto& it : *inbox) out.emplace_back(it.appeal.id, appeals::name(it.colour));
    return out;
  };
  using Row = std::pair<EntityId, std::string>;
  EXPECT_EQ(colours(t0), (std::vector<Row>{{red, "green"}, {green, "green"}, {unregistered, "green"}}));
  EXPECT_EQ(colours(t0 + hours(3)), (std::vector<Row>{{red, "yellow"}, {green, "green"}, {unregistered, "green"}}));
  EXPECT_EQ(colours(t0 + hours(19)), (std::vector<Row>{{red, "red"}, {green, "yellow"}, {unregistered, "green"}}));
  auto inbox = svc.inbox(kHead, t0);
  ASSERT_TRUE(inbox);
  ASSERT_TRUE((*inbox)[0].next);
  EXPECT_EQ((*inbox)[0].next->kind, DueKind::respond);
  EXPECT_EQ((*inbox)[0].next->limit, hours(4));  // the county's, not the default 2 hours
  EXPECT_EQ((*inbox)[0].next->at, t0 + hours(4));
  EXPECT_FALSE((*inbox)[2].next);

  ASSERT_TRUE(svc.accept(kHead, green));
  inbox = svc.inbox(kHead, t0 + hours(19));
  ASSERT_TRUE(inbox);
  ASSERT_TRUE((*inbox)[1].next);
  EXPECT_EQ((*inbox)[1].appeal.id, green);
  EXPECT_EQ((*inbox)[1].next->kind, DueKind::resolve);
  EXPECT_EQ((*inbox)[1].next->at, t0 + days(7));
  EXPECT_EQ((*inbox)[1].colour, DueColour::green);
}

TEST_F(AppealsEscalation, SupervisionFlagsOverdueAndTwiceDissatisfied) {
  const TimeMs t0 = clock.now();
  const auto overdue = file_registered(Urgency::red);
  const auto unhappy = file_registered(Urgency::green, kLi);
  EXPECT_FALSE(appeals::supervision(get(overdue), policy(), t0 + hours(2)).overdue);
  EXPECT_TRUE(appeals::supervision(get(overdue), policy(), t0 + hours(3)).overdue);

  for (int round = 1; round <= 2; ++round) {
    ASSERT_TRUE(svc.resolve(kHead, unhappy, "处理了"));
    ASSERT_TRUE(svc.rate(kLi, unhappy, Rating::dissatisfied));
    const auto s = appeals::supervision(get(unhappy), policy(), clock.now());
    EXPECT_EQ(s.dissatisfied_twice, round == 2) << round;
    EXPECT_FALSE(s.overdue);
  }
  // A resolved appeal waits on the villager: no handler is late for it.
  ASSERT_TRUE(svc.resolve(kHead, overdue, "处理了"));
  EXPECT_FALSE(appeals::supervision(get(overdue), policy(), t0 + days(30)).overdue);
}

}  // namespace
}  // namespace cunwu
