// The host's decide job: ledger ops in host order, verdicts, redemption confirmations.
// (The reasoning is in service.hpp.)
#include <algorithm>
#include <map>
#include <set>

#include "cunwu/points/domain.hpp"
#include "cunwu/points/service.hpp"
#include "cunwu/store/org_store.hpp"
#include "cunwu/store/points_store.hpp"
#include "points/payload.hpp"

namespace cunwu::points {
namespace {

using oplog::Json;
using oplog::Op;

const RegionId kHostSettings{"host"};
constexpr const char* kCursorKey = "points.decided_seq";

bool is_debit(std::string_view type) {
  return type == "ledger.deduct" || type == "ledger.reverse" || type == "ledger.redeem";
}

bool carries_rule(std::string_view type) {
  return type == "ledger.apply" || type == "ledger.award" || type == "ledger.deduct";
}

// One run of the job: the ledgers as the host accepted them (host order), loaded on first use.
class Decider {
 public:
  Decider(Replica& r, Service& svc, std::set<oplog::OpId> fresh)
      : r_(r), svc_(svc), fresh_(std::move(fresh)), ledger_domain_(*r.log().domain_for("ledger.apply")) {}

  Status decide(const Op& op, DecideReport& report) {
    CUNWU_ASSIGN(auto* accepted, host_state(op.entity));
    auto next = (*accepted)->clone();
    ++report.checked;
    if (auto s = check(*next, op); !s) {
      ++report.rejected;
      return reject(op, s.error());
    }
    *accepted = std::move(next);
    if (op.type != "ledger.redeem") return ok_status();
    ++report.confirmed;
    return confirm(op, *accepted);
  }

 private:
  oplog::FoldContext ctx() const { return oplog::FoldContext{r_.directory()}; }

  // The ledger as accepted before this run: its ops without this run's and without rejected
  // ones, folded in hlc order (an accepted set folds without conflicts in any order).
  Result<std::unique_ptr<oplog::EntityState>*> host_state(const EntityId& id) {
    if (auto it = ledgers_.find(id); it != ledgers_.end()) return &it->second;
    CUNWU_ASSIGN(const auto ops, r_.log().ops().entity_ops(id));
    CUNWU_ASSIGN(const auto rejected, r_.log().ops().rejections(id));
    std::set<oplog::OpId> excluded = fresh_;
    for (const auto& [op_id, why] : rejected) excluded.insert(op_id);
    auto state = ledger_domain_.empty(id);
    for (const auto& op : ops) {
      if (op.type == oplog::kVerdictType || excluded.contains(op.id)) continue;
      (void)ledger_domain_.apply(*state, op, ctx());
    }
    return &(ledgers_[id] = std::move(state));
  }

  Status check(oplog::EntityState& state, const Op& op) {
    CUNWU_TRY(ledger_domain_.apply(state, op, ctx()));
    const Ledger& l = static_cast<const LedgerState&>(state).ledger;
    if (carries_rule(op.type)) CUNWU_TRY(check_rule(l, op));
    if (op.type == "ledger.redeem") CUNWU_TRY(check_goods(l, op));
    if (is_debit(op.type) && l.available() < Points{0}) {
      return make_error(Errc::insufficient_points, "balance " + std::to_string(l.balance().value) + ", held " +
                                                       std::to_string(l.held().value));
    }
    if (op.type == "ledger.redeem") {
      const Goods* g = shop_of(l).find(op.payload["goods"].get<std::string>());
      if (g->stock < 1) return make_error(Errc::out_of_stock, g->id);
    }
    return ok_status();
  }

  // The snapshot must be a version the village's catalogue really had (an app cannot invent
  // a rule, an amount or a limit).
  Status check_rule(const Ledger& l, const Op& op) {
    CUNWU_ASSIGN(Rule snap, rule_from_json(op.payload["rule"]));
    CUNWU_ASSIGN(const Rulebook book, svc_.rulebook(detail::parent_of(l.scope)));
    for (Rule v : book.history) {
      v.active = snap.active;
      if (v == snap) return ok_status();
    }
    return make_error(Errc::unknown_rule, snap.id + " version " + snap.version.substr(0, 40));
  }

  Shop& shop_of(const Ledger& l) {
    const RegionId village = detail::parent_of(l.scope);
    if (auto it = shops_.find(village); it != shops_.end()) return it->second;
    auto s = svc_.shop(village);
    return shops_[village] = s ? *s : Shop{};
  }

  Status check_goods(const Ledger& l, const Op& op) {
    const std::string goods = op.payload["goods"].get<std::string>();
    const Goods* g = shop_of(l).find(goods);
    if (!g) return make_error(Errc::unknown_goods, goods);
    if (g->price.value != op.payload["price"].get<std::int64_t>()) {
      return make_error(Errc::invalid_amount, "price of " + goods + " is now " + std::to_string(g->price.value));
    }
    return ok_status();
  }

  Status reject(const Op& op, const Error& why) {
    Json payload{{"op", Json{{"origin", op.id.origin.str()}, {"counter", op.id.counter}}},
                 {"accepted", false},
                 {"code", errc_name(why.code)},
                 {"detail", why.detail}};
    CUNWU_TRY(r_.submit(OpDraft{kHostActor, oplog::kVerdictType, op.entity, op.scope, op.visibility, std::move(payload)}));
    return ok_status();
  }

  Status confirm(const Op& request, std::unique_ptr<oplog::EntityState>& accepted) {
    const std::string id = oplog::to_string(request.id);
    const std::string goods = request.payload["goods"].get<std::string>();
    CUNWU_ASSIGN(const Op c, r_.submit(OpDraft{kHostActor, "ledger.confirm", request.entity, request.scope,
                                               request.visibility, Json{{"request", id}}}));
    CUNWU_TRY(ledger_domain_.apply(*accepted, c, ctx()));
    const Ledger& l = static_cast<const LedgerState&>(*accepted).ledger;
    Shop& shop = shop_of(l);
    CUNWU_TRY(r_.submit(OpDraft{kHostActor, "shop.stock_out", shop_id(shop.village), shop.village,
                                oplog::Visibility::public_in_scope,
                                Json{{"goods", goods}, {"request", id}, {"household", l.household.str()}}}));
    --shop.find(goods)->stock;
    return ok_status();
  }

  Replica& r_;
  Service& svc_;
  std::set<oplog::OpId> fresh_;
  const oplog::Domain& ledger_domain_;
  std::map<EntityId, std::unique_ptr<oplog::EntityState>> ledgers_;
  std::map<RegionId, Shop> shops_;
};

}  // namespace

Result<DecideReport> Service::decide() {
  store::Transaction tx(r_.db());
  CUNWU_TRY(tx.status());
  CUNWU_ASSIGN(const auto cursor_text, store::get_setting(r_.db(), kHostSettings, kCursorKey));
  const std::int64_t cursor = cursor_text ? std::stoll(*cursor_text) : 0;
  CUNWU_ASSIGN(auto rows, r_.log().ops().ops_after(cursor, 1'000'000'000));
  std::vector<Op> fresh;
  std::set<oplog::OpId> fresh_ids;
  for (auto& [seq, op] : rows) {
    if (!op.type.starts_with("ledger.") || op.actor == kHostActor) continue;
    fresh_ids.insert(op.id);
    fresh.push_back(std::move(op));
  }
  // Sorted by hlc so that a decision comes after the application it decides, whatever order
  // the ops of this run arrived in.
  std::sort(fresh.begin(), fresh.end(), [](const Op& a, const Op& b) { return a.order_key() < b.order_key(); });
  DecideReport report;
  Decider decider(r_, *this, std::move(fresh_ids));
  for (const auto& op : fresh) {
    CUNWU_ASSIGN(const auto rejected, r_.log().ops().rejections(op.entity));
    const bool already = std::any_of(rejected.begin(), rejected.end(), [&](const auto& r) { return r.first == op.id; });
    if (!already) CUNWU_TRY(decider.decide(op, report));
  }
  CUNWU_ASSIGN(const auto last, store::last_op_seq(r_.db()));
  CUNWU_TRY(store::put_setting(r_.db(), kHostSettings, kCursorKey, std::to_string(last)));
  CUNWU_TRY(tx.commit());
  return report;
}

}  // namespace cunwu::points
