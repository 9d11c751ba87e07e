// The village-level points entities: the rule catalogue and the supermarket. Their ops never
// depend on the order they arrive in (rules and goods are replaced whole, last writer by hlc
// wins; stock only adds up), so the host leaves them to the fold.
#include <algorithm>
#include <functional>
#include <map>

#include "cunwu/org/access.hpp"
#include "cunwu/points/domain.hpp"
#include "points/payload.hpp"

namespace cunwu::points {

std::unique_ptr<oplog::Domain> make_ledger_domain();

namespace {

using oplog::Op;
using namespace detail;

// Village entities are scoped to their village, which must be one.
Status check_village(const RegionId& village, const Op& op, const oplog::FoldContext& ctx) {
  const auto* r = ctx.dir.region(village);
  if (!r || r->level != org::RegionLevel::village) return make_error(Errc::unknown_region, village.str());
  if (op.scope != village) return make_error(Errc::out_of_scope, "village ops belong to " + village.str());
  return ok_status();
}

Status on_set_rule(Rulebook& b, const Op& op) {
  const auto it = op.payload.find("rule");
  if (it == op.payload.end()) return make_error(Errc::invalid_input, "rule missing");
  CUNWU_ASSIGN(Rule rule, rule_from_json(*it));
  rule.version = oplog::to_string(op.id);
  rule.active = true;
  b.history.push_back(rule);
  const auto pos = std::lower_bound(b.rules.begin(), b.rules.end(), rule.id,
                                    [](const Rule& r, const std::string& id) { return r.id < id; });
  if (pos != b.rules.end() && pos->id == rule.id) {
    *pos = std::move(rule);
  } else {
    b.rules.insert(pos, std::move(rule));
  }
  return ok_status();
}

Status on_retire_rule(Rulebook& b, const Op& op) {
  CUNWU_ASSIGN(const auto id, string_field(op.payload, "rule", Errc::unknown_rule));
  const auto it = std::find_if(b.rules.begin(), b.rules.end(), [&](const Rule& r) { return r.id == id; });
  if (it == b.rules.end()) return make_error(Errc::unknown_rule, id.substr(0, 40));
  it->active = false;
  return ok_status();
}

class RulebookDomain final : public oplog::Domain {
 public:
  std::string_view kind() const override { return kRulebookKind; }
  bool knows(std::string_view type) const override { return type == "rulebook.set" || type == "rulebook.retire"; }
  std::optional<oplog::Visibility> visibility_of(std::string_view) const override {
    return oplog::Visibility::public_in_scope;
  }
  std::unique_ptr<oplog::EntityState> empty(const EntityId& id) const override {
    Rulebook b;
    b.id = id;
    b.village = RegionId(entity_key(id, kRulebookKind));
    return std::make_unique<RulebookState>(std::move(b));
  }
  Result<std::unique_ptr<oplog::EntityState>> from_json(const oplog::Json& j) const override {
    CUNWU_ASSIGN(auto b, rulebook_from_json(j));
    return std::unique_ptr<oplog::EntityState>(std::make_unique<RulebookState>(std::move(b)));
  }
  Status apply(oplog::EntityState& state, const Op& op, const oplog::FoldContext& ctx) const override {
    auto& s = static_cast<RulebookState&>(state);
    CUNWU_TRY(check_village(s.book.village, op, ctx));
    CUNWU_TRY(org::authorize(ctx.dir, op.actor, org::Action::grant_points, s.book.village));
    Rulebook next = s.book;
    CUNWU_TRY(op.type == "rulebook.set" ? on_set_rule(next, op) : on_retire_rule(next, op));
    next.exists = true;
    s.book = std::move(next);
    return ok_status();
  }
};

Status on_set_goods(Shop& s, const Op& op) {
  const auto it = op.payload.find("goods");
  if (it == op.payload.end() || !it->is_object()) return make_error(Errc::invalid_input, "goods missing");
  CUNWU_ASSIGN(const auto id, string_field(*it, "id", Errc::invalid_id));
  if (!is_valid_key(id)) return make_error(Errc::invalid_id, "goods id " + id.substr(0, 40));
  CUNWU_ASSIGN(auto goods_name, required_text(*it, "name", kMaxTitleChars));
  const auto price = it->find("price");
  if (price == it->end()) return make_error(Errc::invalid_amount, "price missing");
  CUNWU_ASSIGN(const Points p, parse_amount(*price, kMaxPrice));
  if (Goods* g = s.find(id)) {
    g->name = std::move(goods_name);
    g->price = p;
    return ok_status();
  }
  const auto pos = std::lower_bound(s.goods.begin(), s.goods.end(), id,
                                    [](const Goods& g, const std::string& k) { return g.id < k; });
  s.goods.insert(pos, Goods{id, std::move(goods_name), p, 0});
  return ok_status();
}

Result<Goods*> goods_of(Shop& s, const Op& op) {
  CUNWU_ASSIGN(const auto id, string_field(op.payload, "goods", Errc::unknown_goods));
  Goods* g = s.find(id);
  if (!g) return make_error(Errc::unknown_goods, id.substr(0, 40));
  return g;
}

Status on_restock(Shop& s, const Op& op) {
  CUNWU_ASSIGN(Goods * g, goods_of(s, op));
  const auto q = op.payload.find("quantity");
  if (q == op.payload.end()) return make_error(Errc::invalid_amount, "quantity missing");
  CUNWU_ASSIGN(const Points n, parse_amount(*q, kMaxRestock));
  g->stock += n.value;
  return ok_status();
}

// The host confirmed a redemption of this goods in host order, where stock sufficed; the fold
// does not second-guess it (a restock may sort before or after it by hlc).
Status on_stock_out(Shop& s, const Op& op) {
  CUNWU_ASSIGN(Goods * g, goods_of(s, op));
  CUNWU_TRY(string_field(op.payload, "request", Errc::invalid_id));
  --g->stock;
  return ok_status();
}

class ShopDomain final : public oplog::Domain {
 public:
  std::string_view kind() const override { return kShopKind; }
  bool knows(std::string_view type) const override {
    return type == "shop.set_goods" || type == "shop.restock" || type == "shop.stock_out";
  }
  std::optional<oplog::Visibility> visibility_of(std::string_view) const override {
    return oplog::Visibility::public_in_scope;
  }
  std::unique_ptr<oplog::EntityState> empty(const EntityId& id) const override {
    Shop s;
    s.id = id;
    s.village = RegionId(entity_key(id, kShopKind));
    return std::make_unique<ShopState>(std::move(s));
  }
  Result<std::unique_ptr<oplog::EntityState>> from_json(const oplog::Json& j) const override {
    CUNWU_ASSIGN(auto s, shop_from_json(j));
    return std::unique_ptr<oplog::EntityState>(std::make_unique<ShopState>(std::move(s)));
  }
  Status apply(oplog::EntityState& state, const Op& op, const oplog::FoldContext& ctx) const override {
    auto& s = static_cast<ShopState&>(state);
    CUNWU_TRY(check_village(s.shop.village, op, ctx));
    const bool host = op.type == "shop.stock_out";
    CUNWU_TRY(org::authorize(ctx.dir, op.actor, host ? org::Action::host_only : org::Action::manage_shop,
                             s.shop.village));
    Shop next = s.shop;
    if (op.type == "shop.set_goods") {
      CUNWU_TRY(on_set_goods(next, op));
    } else if (op.type == "shop.restock") {
      CUNWU_TRY(on_restock(next, op));
    } else {
      CUNWU_TRY(on_stock_out(next, op));
    }
    next.exists = true;
    s.shop = std::move(next);
    return ok_status();
  }
};

}  // namespace

EntityId rulebook_id(const RegionId& village) { return EntityId(std::string(kRulebookKind) + "/" + village.str()); }
EntityId ledger_id(const HouseholdId& household) { return EntityId(std::string(kLedgerKind) + "/" + household.str()); }
EntityId shop_id(const RegionId& village) { return EntityId(std::string(kShopKind) + "/" + village.str()); }

std::vector<std::unique_ptr<oplog::Domain>> make_domains() {
  std::vector<std::unique_ptr<oplog::Domain>> d;
  d.push_back(std::make_unique<RulebookDomain>());
  d.push_back(make_ledger_domain());
  d.push_back(std::make_unique<ShopDomain>());
  return d;
}

}  // namespace cunwu::points
