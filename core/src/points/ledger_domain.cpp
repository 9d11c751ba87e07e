// Ledger transitions. Each handler validates everything before its first change, so a refused
// op leaves the ledger untouched. No handler looks at the balance: that is the host's (see domain.hpp).
#include <functional>
#include <map>

#include "cunwu/org/access.hpp"
#include "cunwu/points/domain.hpp"
#include "cunwu/store/points_store.hpp"
#include "points/payload.hpp"

namespace cunwu::points {
namespace {

using oplog::Op;
using namespace detail;

struct Ctx {
  Ledger& l;
  const Op& op;
  const oplog::FoldContext& fold;
  TimeMs at() const { return TimeMs{op.hlc.wall}; }
  std::string op_id() const { return oplog::to_string(op.id); }
};

using Handler = std::function<Status(Ctx&)>;

// Every ledger op is scoped to the household's courtyard (apply() then opens the ledger there).
// Another scope is scope_mismatch, which the sync host does not store: the op would reach the
// people of another courtyard.
Status bind_household(Ctx& c) {
  const auto* h = c.fold.dir.household(c.l.household);
  if (!h) return make_error(Errc::unknown_household, c.l.household.str());
  if (c.op.scope != h->courtyard) return make_error(Errc::scope_mismatch, "ledger ops belong to " + h->courtyard.str());
  return ok_status();
}

Status allow(const Ctx& c, org::Action action, const RegionId& scope) {
  return org::authorize(c.fold.dir, c.op.actor, action, scope);
}

// Applications and redemptions are for one's own household only.
Status require_member(const Ctx& c) {
  CUNWU_TRY(allow(c, org::Action::apply_points, c.op.scope));
  const auto* u = c.fold.dir.user(c.op.actor);
  if (!u || u->household != c.l.household) {
    return make_error(Errc::out_of_scope, c.op.actor.str() + " is not of household " + c.l.household.str());
  }
  return ok_status();
}

Result<Rule> rule_snapshot(const Ctx& c, Direction expected) {
  const auto it = c.op.payload.find("rule");
  if (it == c.op.payload.end()) return make_error(Errc::unknown_rule, "rule missing");
  CUNWU_ASSIGN(Rule r, rule_from_json(*it));
  if (r.direction != expected) {
    return make_error(Errc::invalid_input, "rule " + r.id + " is not for " + std::string(name(expected)));
  }
  return r;
}

struct Evidence {
  std::string text;
  std::vector<appeals::Attachment> photos;
};

Result<Evidence> evidence(const Ctx& c, const Rule& rule) {
  Evidence e;
  CUNWU_ASSIGN(e.text, optional_text(c.op.payload, "text", kMaxEvidenceChars));
  CUNWU_ASSIGN(e.photos, photos_field(c.op.payload, kMaxPhotos));
  if (rule.evidence_required && e.text.empty() && e.photos.empty()) return make_error(Errc::evidence_required, rule.id);
  return e;
}

bool counts_toward_limit(EntryKind k) {
  return k == EntryKind::award || k == EntryKind::application || k == EntryKind::deduction;
}

// Reversed entries still count: the count over a set of entries is then the same in any fold
// order, so an entry the host accepted never becomes a conflict later.
Status check_limit(const Ledger& l, const Rule& r, TimeMs at) {
  if (!r.limit) return ok_status();
  const Period p = Period::of(r.limit->period, at);
  const TimeMs from = p.start(), to = p.end();
  int n = 0;
  for (const auto& e : l.entries) {
    if (counts_toward_limit(e.kind) && e.rule == r.id && e.at >= from && e.at < to) ++n;
  }
  if (n >= r.limit->count) {
    return make_error(Errc::rule_limit_reached, r.id + " " + std::to_string(n) + "x in " + p.key());
  }
  return ok_status();
}

void add_entry(Ctx& c, EntryKind kind, Points delta, const Rule& r, std::string note) {
  c.l.entries.push_back(Entry{c.op_id(), kind, delta, r.id, r.category, r.title, c.op.actor, c.at(), {}, {},
                              std::move(note)});
}

Status on_apply(Ctx& c) {
  CUNWU_TRY(bind_household(c));
  CUNWU_TRY(require_member(c));
  CUNWU_ASSIGN(Rule rule, rule_snapshot(c, Direction::award));
  CUNWU_ASSIGN(Evidence ev, evidence(c, rule));
  c.l.applications.push_back(Application{c.op_id(), std::move(rule), std::move(ev.text), std::move(ev.photos),
                                         c.op.actor, c.at(), ApplicationStatus::pending, {}, {}, {}});
  return ok_status();
}

Result<Application*> pending_application(Ctx& c) {
  CUNWU_TRY(bind_household(c));
  CUNWU_TRY(allow(c, org::Action::review_points, c.op.scope));
  CUNWU_ASSIGN(const auto id, string_field(c.op.payload, "application", Errc::invalid_id));
  Application* a = c.l.application(id);
  if (!a) return make_error(Errc::not_found, "application " + id.substr(0, 80));
  if (a->status != ApplicationStatus::pending) return make_error(Errc::already_decided, id);
  return a;
}

Status on_approve(Ctx& c) {
  CUNWU_ASSIGN(Application * a, pending_application(c));
  CUNWU_TRY(check_limit(c.l, a->rule, c.at()));
  a->status = ApplicationStatus::approved;
  a->decided_by = c.op.actor;
  a->decided_at = c.at();
  const Rule rule = a->rule;
  add_entry(c, EntryKind::application, rule.amount, rule, a->text);
  return ok_status();
}

Status on_reject(Ctx& c) {
  CUNWU_ASSIGN(Application * a, pending_application(c));
  CUNWU_ASSIGN(auto reason, required_text(c.op.payload, "reason", kMaxReasonChars));
  a->status = ApplicationStatus::rejected;
  a->decided_by = c.op.actor;
  a->decided_at = c.at();
  a->reason = std::move(reason);
  return ok_status();
}

Status grant(Ctx& c, Direction direction) {
  CUNWU_TRY(bind_household(c));
  CUNWU_TRY(allow(c, org::Action::grant_points, c.op.scope));
  CUNWU_ASSIGN(const Rule rule, rule_snapshot(c, direction));
  CUNWU_ASSIGN(Evidence ev, evidence(c, rule));
  CUNWU_TRY(check_limit(c.l, rule, c.at()));
  const bool award = direction == Direction::award;
  add_entry(c, award ? EntryKind::award : EntryKind::deduction, award ? rule.amount : -rule.amount, rule,
            std::move(ev.text));
  return ok_status();
}

Status on_award(Ctx& c) { return grant(c, Direction::award); }
Status on_deduct(Ctx& c) { return grant(c, Direction::deduct); }

Status on_reverse(Ctx& c) {
  CUNWU_TRY(bind_household(c));
  CUNWU_TRY(allow(c, org::Action::grant_points, c.op.scope));
  CUNWU_ASSIGN(const auto id, string_field(c.op.payload, "entry", Errc::invalid_id));
  Entry* target = c.l.entry(id);
  if (!target) return make_error(Errc::not_found, "entry " + id.substr(0, 80));
  if (target->kind == EntryKind::reversal || target->kind == EntryKind::redemption) {
    return make_error(Errc::invalid_input, std::string(name(target->kind)) + " entries are not reversed");
  }
  if (!target->reversed_by.empty()) return make_error(Errc::already_reversed, id + " by " + target->reversed_by);
  CUNWU_ASSIGN(auto reason, required_text(c.op.payload, "reason", kMaxReasonChars));
  target->reversed_by = c.op_id();
  Entry e{c.op_id(), EntryKind::reversal, -target->delta, target->rule, target->category, target->title,
          c.op.actor,  c.at(),            id,             {},           std::move(reason)};
  c.l.entries.push_back(std::move(e));
  return ok_status();
}

Status on_redeem(Ctx& c) {
  CUNWU_TRY(bind_household(c));
  CUNWU_TRY(require_member(c));
  CUNWU_ASSIGN(const auto shop, string_field(c.op.payload, "shop", Errc::invalid_id));
  if (RegionId(shop) != parent_of(c.op.scope)) return make_error(Errc::out_of_scope, "redeem in your village's shop");
  CUNWU_ASSIGN(const auto goods, string_field(c.op.payload, "goods", Errc::unknown_goods));
  if (!is_valid_key(goods)) return make_error(Errc::unknown_goods, goods.substr(0, 40));
  CUNWU_ASSIGN(auto goods_name, required_text(c.op.payload, "name", kMaxTitleChars));
  const auto price = c.op.payload.find("price");
  if (price == c.op.payload.end()) return make_error(Errc::invalid_amount, "price missing");
  CUNWU_ASSIGN(const Points p, parse_amount(*price, kMaxPrice));
  c.l.redemptions.push_back(Redemption{c.op_id(), goods, std::move(goods_name), RegionId(shop), p, c.op.actor,
                                       c.at(), RedemptionStatus::pending, {}, {}, {}});
  return ok_status();
}

Result<Redemption*> request_of(Ctx& c) {
  CUNWU_ASSIGN(const auto id, string_field(c.op.payload, "request", Errc::invalid_id));
  Redemption* r = c.l.redemption(id);
  if (!r) return make_error(Errc::not_found, "redemption " + id.substr(0, 80));
  return r;
}

Status on_confirm(Ctx& c) {
  CUNWU_TRY(allow(c, org::Action::host_only, c.op.scope));
  CUNWU_TRY(bind_household(c));
  CUNWU_ASSIGN(Redemption * r, request_of(c));
  if (r->status != RedemptionStatus::pending) return make_error(Errc::already_decided, r->id);
  r->status = RedemptionStatus::confirmed;
  r->confirmed_at = c.at();
  // The hold becomes a debit named after the request.
  c.l.entries.push_back(Entry{r->id, EntryKind::redemption, -r->price, r->goods, Category::other, r->goods_name,
                              r->requester, c.at(), {}, {}, {}});
  return ok_status();
}

Status on_fulfil(Ctx& c) {
  CUNWU_TRY(bind_household(c));
  CUNWU_ASSIGN(Redemption * r, request_of(c));
  CUNWU_TRY(allow(c, org::Action::manage_shop, r->shop));
  if (r->status == RedemptionStatus::fulfilled) return make_error(Errc::already_decided, r->id + " fulfilled");
  if (r->status != RedemptionStatus::confirmed) return make_error(Errc::not_confirmed, r->id);
  r->status = RedemptionStatus::fulfilled;
  r->fulfilled_at = c.at();
  r->fulfilled_by = c.op.actor;
  return ok_status();
}

const std::map<std::string, Handler, std::less<>>& handlers() {
  static const std::map<std::string, Handler, std::less<>> kHandlers{
      {"ledger.apply", on_apply},     {"ledger.approve", on_approve}, {"ledger.reject", on_reject},
      {"ledger.award", on_award},     {"ledger.deduct", on_deduct},   {"ledger.reverse", on_reverse},
      {"ledger.redeem", on_redeem},   {"ledger.confirm", on_confirm}, {"ledger.fulfil", on_fulfil},
  };
  return kHandlers;
}

std::vector<store::PointsLine> lines_of(const Ledger& l) {
  std::vector<store::PointsLine> lines;
  lines.reserve(l.entries.size());
  for (const auto& e : l.entries) {
    lines.push_back(store::PointsLine{e.id, std::string(name(e.kind)), std::string(name(e.category)), e.rule,
                                      e.delta.value, e.kind != EntryKind::redemption, false, china_month(e.at), e.at.ms});
  }
  for (const auto& r : l.redemptions) {
    if (r.status != RedemptionStatus::pending) continue;
    lines.push_back(store::PointsLine{r.id, "hold", std::string(name(Category::other)), r.goods, -r.price.value, false,
                                      true, china_month(r.at), r.at.ms});
  }
  return lines;
}

class LedgerDomain final : public oplog::Domain {
 public:
  std::string_view kind() const override { return kLedgerKind; }
  bool knows(std::string_view type) const override { return handlers().contains(type); }
  // Ledgers are public in their village: every phone there computes the honour lists from them.
  std::optional<oplog::Visibility> visibility_of(std::string_view) const override {
    return oplog::Visibility::public_in_scope;
  }
  std::unique_ptr<oplog::EntityState> empty(const EntityId& id) const override {
    Ledger l;
    l.id = id;
    l.household = HouseholdId(entity_key(id, kLedgerKind));
    return std::make_unique<LedgerState>(std::move(l));
  }
  Result<std::unique_ptr<oplog::EntityState>> from_json(const oplog::Json& j) const override {
    CUNWU_ASSIGN(auto l, ledger_from_json(j));
    return std::unique_ptr<oplog::EntityState>(std::make_unique<LedgerState>(std::move(l)));
  }
  Status apply(oplog::EntityState& state, const Op& op, const oplog::FoldContext& ctx) const override {
    auto& s = static_cast<LedgerState&>(state);
    const auto it = handlers().find(op.type);
    if (it == handlers().end()) return make_error(Errc::unknown_op_type, op.type);
    // Handlers check everything before they change anything, so the ledger (which may hold
    // thousands of entries) is changed in place rather than copied per op.
    Ctx c{s.ledger, op, ctx};
    CUNWU_TRY(it->second(c));
    s.ledger.exists = true;
    s.ledger.scope = op.scope;
    return ok_status();
  }
  bool has_projection() const override { return true; }
  Status project(store::Db& db, const EntityId& id, const oplog::EntityState& state) const override {
    const Ledger& l = static_cast<const LedgerState&>(state).ledger;
    (void)id;
    return store::replace_points_lines(db, l.household, parent_of(l.scope), l.scope, lines_of(l));
  }
};

}  // namespace

std::unique_ptr<oplog::Domain> make_ledger_domain() { return std::make_unique<LedgerDomain>(); }

}  // namespace cunwu::points
