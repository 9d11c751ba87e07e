#pragma once
// The points rules as three fold domains. One op touches one entity, so points live in three
// kinds of entity:
//
//   rulebook/<village>   积分规则库  the village's rule catalogue          scope: the village
//   ledger/<household>   积分账户    applications, entries, redemptions   scope: its courtyard
//   shop/<village>       积分超市    goods, prices, stock                 scope: the village
//
// Op types and payloads (all fields required unless noted; `rule` is a rule snapshot as in
// points::to_json(Rule), copied from the rulebook by the author):
// - rulebook.set     {rule}                          village cadre; creates or replaces a rule
// - rulebook.retire  {rule: id}                      village cadre
// - ledger.apply     {rule, text (optional), attachments: [{kind: photo, sha256}]}
//                                                    a villager of the household (award rules)
// - ledger.approve   {application: op id}            village cadre or the courtyard's head
// - ledger.reject    {application, reason}           village cadre or the courtyard's head
// - ledger.award     {rule, text (optional), attachments (optional)}      village cadre
// - ledger.deduct    {rule, text (optional), attachments (optional)}      village cadre
// - ledger.reverse   {entry: op id, reason}          village cadre; a compensating entry
// - ledger.redeem    {shop: village, goods, name, price}   a villager of the household
// - ledger.confirm   {request: op id}                host; the hold becomes a debit
// - ledger.fulfil    {request}                       shopkeeper of the shop's village
// - shop.set_goods   {goods: {id, name, price}}      shopkeeper; creates or renames/reprices
// - shop.restock     {goods, quantity}               shopkeeper
// - shop.stock_out   {goods, request, household}     host, for a confirmed redemption
//
// What the fold checks is what does not depend on the order in which the host received ops:
// roles and scopes, payloads, that a decision, reversal or fulfilment targets something that
// exists and is still open, and per-period limits (entries of a rule, reversed or not, count
// toward its limit: a count over a set of entries is the same in any order). The fold never
// refuses for a balance or a stock level: the host accepts ops in arrival order and the fold
// runs in hlc order, so a fold-time balance check could turn an op the host accepted into a
// conflict. Balances and stock are the host's: see Service::decide.
#include <memory>
#include <string_view>
#include <vector>

#include "cunwu/oplog/domain.hpp"
#include "cunwu/points/types.hpp"

namespace cunwu::points {

inline constexpr const char* kRulebookKind = "rulebook";
inline constexpr const char* kLedgerKind = "ledger";
inline constexpr const char* kShopKind = "shop";
/// At most this many photos back an application.
inline constexpr std::size_t kMaxPhotos = 9;
/// At most this many items are restocked at once.
inline constexpr std::int64_t kMaxRestock = 10'000;

/// Entity ids: "rulebook/qs/dq/hs", "ledger/h-wang", "shop/qs/dq/hs".
EntityId rulebook_id(const RegionId& village);
EntityId ledger_id(const HouseholdId& household);
EntityId shop_id(const RegionId& village);

/// The folded state types the domains produce.
class LedgerState final : public oplog::EntityState {
 public:
  explicit LedgerState(Ledger l) : ledger(std::move(l)) {}
  oplog::Json to_json() const override { return points::to_json(ledger); }
  RegionId scope() const override { return ledger.scope; }
  std::unique_ptr<oplog::EntityState> clone() const override { return std::make_unique<LedgerState>(ledger); }
  Ledger ledger;
};

class RulebookState final : public oplog::EntityState {
 public:
  explicit RulebookState(Rulebook b) : book(std::move(b)) {}
  oplog::Json to_json() const override { return points::to_json(book); }
  RegionId scope() const override { return book.village; }
  std::unique_ptr<oplog::EntityState> clone() const override { return std::make_unique<RulebookState>(book); }
  Rulebook book;
};

class ShopState final : public oplog::EntityState {
 public:
  explicit ShopState(Shop s) : shop(std::move(s)) {}
  oplog::Json to_json() const override { return points::to_json(shop); }
  RegionId scope() const override { return shop.village; }
  std::unique_ptr<oplog::EntityState> clone() const override { return std::make_unique<ShopState>(shop); }
  Shop shop;
};

/// Creates the three points domains (rulebook, ledger, shop). The ledger domain projects its
/// entries into the points_lines table (store/points_store.hpp) for balances and honour lists.
std::vector<std::unique_ptr<oplog::Domain>> make_domains();

}  // namespace cunwu::points
