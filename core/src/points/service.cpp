// Points commands (optimistic local checks, then an op) and the ledger, shop and rule queries.
#include "cunwu/points/service.hpp"

#include <algorithm>

#include "cunwu/points/domain.hpp"
#include "cunwu/store/points_store.hpp"
#include "points/payload.hpp"

namespace cunwu::points {
namespace {

using oplog::Json;

Json attachments_json(const std::vector<appeals::Attachment>& photos) {
  Json out = Json::array();
  for (const auto& p : photos) out.push_back(Json{{"kind", p.kind}, {"sha256", p.sha256}});
  return out;
}

// Entries of `rule` in the period of `now` plus pending applications for it: what a new
// application would count against the limit.
int uses_in_period(const Ledger& l, const Rule& rule, TimeMs now) {
  if (!rule.limit) return 0;
  const Period p = Period::of(rule.limit->period, now);
  int n = 0;
  for (const auto& e : l.entries) {
    const bool counts = e.kind == EntryKind::award || e.kind == EntryKind::application || e.kind == EntryKind::deduction;
    if (counts && e.rule == rule.id && p.contains(e.at)) ++n;
  }
  for (const auto& a : l.applications) {
    if (a.status == ApplicationStatus::pending && a.rule.id == rule.id && p.contains(a.at)) ++n;
  }
  return n;
}

}  // namespace

Result<const org::Household*> Service::household_of(const HouseholdId& household) const {
  const auto* h = r_.directory().household(household);
  if (!h) return make_error(Errc::unknown_household, household.str());
  return h;
}

Result<Rule> Service::current_rule(const RegionId& village, const std::string& rule_id) {
  CUNWU_ASSIGN(const Rulebook book, rulebook(village));
  const Rule* r = book.rule(rule_id);
  if (!r || !r->active) return make_error(Errc::unknown_rule, rule_id.substr(0, 40) + " in " + village.str());
  return *r;
}

Result<std::string> Service::submit_ledger(const UserId& actor, const HouseholdId& household, const char* type,
                                           Json payload) {
  CUNWU_ASSIGN(const auto* h, household_of(household));
  CUNWU_ASSIGN(const auto op, r_.submit(OpDraft{actor, type, ledger_id(household), h->courtyard,
                                                oplog::Visibility::public_in_scope, std::move(payload)}));
  return oplog::to_string(op.id);
}

Status Service::set_rule(const UserId& actor, const RegionId& village, const Rule& rule) {
  Json j = to_json(rule);
  j.erase("version");
  j.erase("active");
  CUNWU_TRY(r_.submit(OpDraft{actor, "rulebook.set", rulebook_id(village), village, oplog::Visibility::public_in_scope,
                              Json{{"rule", std::move(j)}}}));
  return ok_status();
}

Status Service::retire_rule(const UserId& actor, const RegionId& village, const std::string& rule_id) {
  CUNWU_TRY(r_.submit(OpDraft{actor, "rulebook.retire", rulebook_id(village), village,
                              oplog::Visibility::public_in_scope, Json{{"rule", rule_id}}}));
  return ok_status();
}

Result<std::string> Service::apply(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                                   const std::string& text, const std::vector<appeals::Attachment>& photos) {
  CUNWU_ASSIGN(const auto* h, household_of(household));
  CUNWU_ASSIGN(const Rule rule, current_rule(detail::parent_of(h->courtyard), rule_id));
  if (rule.direction != Direction::award) return make_error(Errc::unknown_rule, rule_id + " is not an award");
  CUNWU_ASSIGN(const Ledger l, ledger(household));
  if (rule.limit && uses_in_period(l, rule, r_.clock().now()) >= rule.limit->count) {
    return make_error(Errc::rule_limit_reached, rule_id);
  }
  return submit_ledger(actor, household, "ledger.apply",
                       Json{{"rule", to_json(rule)}, {"text", text}, {"attachments", attachments_json(photos)}});
}

Status Service::approve(const UserId& actor, const HouseholdId& household, const std::string& application) {
  CUNWU_TRY(submit_ledger(actor, household, "ledger.approve", Json{{"application", application}}));
  return ok_status();
}

Status Service::reject(const UserId& actor, const HouseholdId& household, const std::string& application,
                       const std::string& reason) {
  CUNWU_TRY(submit_ledger(actor, household, "ledger.reject", Json{{"application", application}, {"reason", reason}}));
  return ok_status();
}

Result<std::string> Service::grant(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                                   const std::string& text, Direction direction) {
  CUNWU_ASSIGN(const auto* h, household_of(household));
  CUNWU_ASSIGN(const Rule rule, current_rule(detail::parent_of(h->courtyard), rule_id));
  if (rule.direction != direction) {
    return make_error(Errc::unknown_rule, rule_id + " is not a rule to " + std::string(name(direction)));
  }
  if (direction == Direction::deduct) {
    CUNWU_ASSIGN(const Points left, available(household));
    if (left < rule.amount) return make_error(Errc::insufficient_points, std::to_string(left.value) + " available");
  }
  const char* type = direction == Direction::award ? "ledger.award" : "ledger.deduct";
  return submit_ledger(actor, household, type, Json{{"rule", to_json(rule)}, {"text", text}});
}

Result<std::string> Service::award(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                                   const std::string& text) {
  return grant(actor, household, rule_id, text, Direction::award);
}

Result<std::string> Service::deduct(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                                    const std::string& text) {
  return grant(actor, household, rule_id, text, Direction::deduct);
}

Status Service::reverse(const UserId& actor, const HouseholdId& household, const std::string& entry,
                        const std::string& reason) {
  CUNWU_ASSIGN(const Ledger l, ledger(household));
  if (const Entry* e = l.entry(entry); e && e->delta > Points{0} && e->reversed_by.empty()) {
    // Taking back a credit is a debit: it may not spend points the household no longer has.
    CUNWU_ASSIGN(const Points left, available(household));
    if (left < e->delta) return make_error(Errc::insufficient_points, std::to_string(left.value) + " available");
  }
  CUNWU_TRY(submit_ledger(actor, household, "ledger.reverse", Json{{"entry", entry}, {"reason", reason}}));
  return ok_status();
}

Result<std::string> Service::redeem(const UserId& actor, const HouseholdId& household, const std::string& goods) {
  CUNWU_ASSIGN(const auto* h, household_of(household));
  const RegionId village = detail::parent_of(h->courtyard);
  CUNWU_ASSIGN(const Shop s, shop(village));
  const Goods* g = s.find(goods);
  if (!g) return make_error(Errc::unknown_goods, goods.substr(0, 40));
  if (g->stock < 1) return make_error(Errc::out_of_stock, goods);
  CUNWU_ASSIGN(const Points left, available(household));
  if (left < g->price) return make_error(Errc::insufficient_points, std::to_string(left.value) + " available");
  return submit_ledger(actor, household, "ledger.redeem",
                       Json{{"shop", village.str()}, {"goods", g->id}, {"name", g->name}, {"price", g->price.value}});
}

Status Service::fulfil(const UserId& actor, const HouseholdId& household, const std::string& request) {
  CUNWU_TRY(submit_ledger(actor, household, "ledger.fulfil", Json{{"request", request}}));
  return ok_status();
}

Status Service::set_goods(const UserId& actor, const RegionId& village, const std::string& goods,
                          const std::string& name, Points price) {
  CUNWU_TRY(r_.submit(OpDraft{actor, "shop.set_goods", shop_id(village), village, oplog::Visibility::public_in_scope,
                              Json{{"goods", Json{{"id", goods}, {"name", name}, {"price", price.value}}}}}));
  return ok_status();
}

Status Service::restock(const UserId& actor, const RegionId& village, const std::string& goods,
                        std::int64_t quantity) {
  CUNWU_TRY(r_.submit(OpDraft{actor, "shop.restock", shop_id(village), village, oplog::Visibility::public_in_scope,
                              Json{{"goods", goods}, {"quantity", quantity}}}));
  return ok_status();
}

Result<Rulebook> Service::rulebook(const RegionId& village) {
  auto j = r_.state_json(rulebook_id(village));
  if (!j && j.error().code == Errc::not_found) return Rulebook{rulebook_id(village), village, false, {}, {}};
  if (!j) return j.error();
  return rulebook_from_json(*j);
}

Result<Shop> Service::shop(const RegionId& village) {
  auto j = r_.state_json(shop_id(village));
  if (!j && j.error().code == Errc::not_found) return Shop{shop_id(village), village, false, {}};
  if (!j) return j.error();
  return shop_from_json(*j);
}

Result<Ledger> Service::ledger(const HouseholdId& household) {
  CUNWU_TRY(household_of(household));
  auto state = r_.log().state(ledger_id(household));
  if (!state && state.error().code == Errc::not_found) {
    Ledger l;
    l.id = ledger_id(household);
    l.household = household;
    return l;
  }
  if (!state) return state.error();
  return static_cast<const LedgerState&>(**state).ledger;
}

Result<Points> Service::balance(const HouseholdId& household) {
  CUNWU_ASSIGN(const auto totals, store::points_totals(r_.db(), household));
  return Points{totals.balance};
}

Result<Points> Service::available(const HouseholdId& household) {
  CUNWU_ASSIGN(const auto totals, store::points_totals(r_.db(), household));
  return Points{totals.available};
}

Result<std::vector<Problem>> Service::problems(const HouseholdId& household) {
  const EntityId id = ledger_id(household);
  std::vector<Problem> out;
  CUNWU_ASSIGN(const auto conflicts, r_.conflicts(id));
  for (const auto& c : conflicts) out.push_back(Problem{oplog::to_string(c.op), c.type, c.actor, c.error, false});
  CUNWU_ASSIGN(const auto rejections, r_.log().ops().rejections(id));
  for (const auto& [op_id, why] : rejections) {
    CUNWU_ASSIGN(const auto op, r_.log().ops().find(op_id));
    Problem p{oplog::to_string(op_id), "", UserId(), why, true};
    if (op) {
      p.type = op->type;
      p.actor = op->actor;
    }
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Problem& a, const Problem& b) { return a.op < b.op; });
  return out;
}

}  // namespace cunwu::points
