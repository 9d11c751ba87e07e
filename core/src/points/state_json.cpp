// The folded points states as canonical JSON and back, and their small lookups.
#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include "cunwu/points/types.hpp"

namespace cunwu::points {
namespace {

template <class E, class F>
E parse_or_throw(const Json& j, F parse_fn) {
  auto r = parse_fn(j.get<std::string>());
  if (!r) throw std::invalid_argument("bad name " + j.dump());
  return *r;
}

template <class E, std::size_t N>
E enum_from(const Json& j, const std::array<E, N>& all) {
  const auto s = j.get<std::string>();
  for (E e : all) {
    if (name(e) == s) return e;
  }
  throw std::invalid_argument("bad name " + s);
}

Json opt_time(const std::optional<TimeMs>& t) { return t ? Json(t->ms) : Json(nullptr); }
std::optional<TimeMs> get_opt_time(const Json& v) {
  return v.is_null() ? std::nullopt : std::optional<TimeMs>(TimeMs{v.get<std::int64_t>()});
}
Json opt_user(const std::optional<UserId>& u) { return u ? Json(u->str()) : Json(nullptr); }
std::optional<UserId> get_opt_user(const Json& v) {
  return v.is_null() ? std::nullopt : std::optional<UserId>(UserId(v.get<std::string>()));
}

Rule rule_or_throw(const Json& j) {
  auto r = rule_from_json(j);
  if (!r) throw std::invalid_argument("bad rule: " + r.error().detail);
  return *r;
}

Json entry_json(const Entry& e) {
  Json o = Json::object();
  o["id"] = e.id;
  o["kind"] = name(e.kind);
  o["delta"] = e.delta.value;
  o["rule"] = e.rule;
  o["category"] = name(e.category);
  o["title"] = e.title;
  o["actor"] = e.actor.str();
  o["at"] = e.at.ms;
  o["reverses"] = e.reverses;
  o["reversed_by"] = e.reversed_by;
  o["note"] = e.note;
  return o;
}

Entry entry_from(const Json& o) {
  Entry e;
  e.id = o.at("id").get<std::string>();
  e.kind = enum_from(o.at("kind"), std::array{EntryKind::award, EntryKind::application, EntryKind::deduction,
                                              EntryKind::redemption, EntryKind::reversal});
  e.delta = Points{o.at("delta").get<std::int64_t>()};
  e.rule = o.at("rule").get<std::string>();
  e.category = parse_or_throw<Category>(o.at("category"), parse_category);
  e.title = o.at("title").get<std::string>();
  e.actor = UserId(o.at("actor").get<std::string>());
  e.at = TimeMs{o.at("at").get<std::int64_t>()};
  e.reverses = o.at("reverses").get<std::string>();
  e.reversed_by = o.at("reversed_by").get<std::string>();
  e.note = o.at("note").get<std::string>();
  return e;
}

Json application_json(const Application& a) {
  Json photos = Json::array();
  for (const auto& p : a.photos) photos.push_back(Json{{"kind", p.kind}, {"sha256", p.sha256}});
  Json o = Json::object();
  o["id"] = a.id;
  o["rule"] = to_json(a.rule);
  o["text"] = a.text;
  o["photos"] = std::move(photos);
  o["applicant"] = a.applicant.str();
  o["at"] = a.at.ms;
  o["status"] = name(a.status);
  o["decided_by"] = opt_user(a.decided_by);
  o["decided_at"] = opt_time(a.decided_at);
  o["reason"] = a.reason;
  return o;
}

Application application_from(const Json& o) {
  Application a;
  a.id = o.at("id").get<std::string>();
  a.rule = rule_or_throw(o.at("rule"));
  a.text = o.at("text").get<std::string>();
  for (const auto& p : o.at("photos")) a.photos.push_back({p.at("kind").get<std::string>(), p.at("sha256").get<std::string>()});
  a.applicant = UserId(o.at("applicant").get<std::string>());
  a.at = TimeMs{o.at("at").get<std::int64_t>()};
  a.status = enum_from(o.at("status"),
                       std::array{ApplicationStatus::pending, ApplicationStatus::approved, ApplicationStatus::rejected});
  a.decided_by = get_opt_user(o.at("decided_by"));
  a.decided_at = get_opt_time(o.at("decided_at"));
  a.reason = o.at("reason").get<std::string>();
  return a;
}

Json redemption_json(const Redemption& r) {
  Json o = Json::object();
  o["id"] = r.id;
  o["goods"] = r.goods;
  o["goods_name"] = r.goods_name;
  o["shop"] = r.shop.str();
  o["price"] = r.price.value;
  o["requester"] = r.requester.str();
  o["at"] = r.at.ms;
  o["status"] = name(r.status);
  o["confirmed_at"] = opt_time(r.confirmed_at);
  o["fulfilled_at"] = opt_time(r.fulfilled_at);
  o["fulfilled_by"] = opt_user(r.fulfilled_by);
  return o;
}

Redemption redemption_from(const Json& o) {
  Redemption r;
  r.id = o.at("id").get<std::string>();
  r.goods = o.at("goods").get<std::string>();
  r.goods_name = o.at("goods_name").get<std::string>();
  r.shop = RegionId(o.at("shop").get<std::string>());
  r.price = Points{o.at("price").get<std::int64_t>()};
  r.requester = UserId(o.at("requester").get<std::string>());
  r.at = TimeMs{o.at("at").get<std::int64_t>()};
  r.status = enum_from(o.at("status"),
                       std::array{RedemptionStatus::pending, RedemptionStatus::confirmed, RedemptionStatus::fulfilled});
  r.confirmed_at = get_opt_time(o.at("confirmed_at"));
  r.fulfilled_at = get_opt_time(o.at("fulfilled_at"));
  r.fulfilled_by = get_opt_user(o.at("fulfilled_by"));
  return r;
}

template <class T, class F>
Result<T> guarded(const char* what, F f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return make_error(Errc::invalid_json, std::string(what) + " state: " + e.what());
  }
}

}  // namespace

Points Ledger::balance() const {
  Points sum;
  for (const auto& e : entries) sum += e.delta;
  return sum;
}

Points Ledger::held() const {
  Points sum;
  for (const auto& r : redemptions) {
    if (r.status == RedemptionStatus::pending) sum += r.price;
  }
  return sum;
}

const Entry* Ledger::entry(std::string_view key) const {
  const auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.id == key; });
  return it == entries.end() ? nullptr : &*it;
}

Entry* Ledger::entry(std::string_view key) { return const_cast<Entry*>(std::as_const(*this).entry(key)); }

Application* Ledger::application(std::string_view key) {
  const auto it = std::find_if(applications.begin(), applications.end(), [&](const Application& a) { return a.id == key; });
  return it == applications.end() ? nullptr : &*it;
}

Redemption* Ledger::redemption(std::string_view key) {
  const auto it = std::find_if(redemptions.begin(), redemptions.end(), [&](const Redemption& r) { return r.id == key; });
  return it == redemptions.end() ? nullptr : &*it;
}

const Rule* Rulebook::rule(std::string_view key) const {
  const auto it = std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == key; });
  return it == rules.end() ? nullptr : &*it;
}

const Goods* Shop::find(std::string_view key) const {
  const auto it = std::find_if(goods.begin(), goods.end(), [&](const Goods& g) { return g.id == key; });
  return it == goods.end() ? nullptr : &*it;
}

Goods* Shop::find(std::string_view key) { return const_cast<Goods*>(std::as_const(*this).find(key)); }

Json to_json(const Application& a) { return application_json(a); }
Json to_json(const Redemption& r) { return redemption_json(r); }

Json to_json(const Ledger& l) {
  Json entries = Json::array();
  for (const auto& e : l.entries) entries.push_back(entry_json(e));
  Json apps = Json::array();
  for (const auto& a : l.applications) apps.push_back(application_json(a));
  Json reds = Json::array();
  for (const auto& r : l.redemptions) reds.push_back(redemption_json(r));
  Json j = Json::object();
  j["id"] = l.id.str();
  j["household"] = l.household.str();
  j["scope"] = l.scope.str();
  j["exists"] = l.exists;
  j["entries"] = std::move(entries);
  j["applications"] = std::move(apps);
  j["redemptions"] = std::move(reds);
  return j;
}

Result<Ledger> ledger_from_json(const Json& j) {
  return guarded<Ledger>("ledger", [&] {
    Ledger l;
    l.id = EntityId(j.at("id").get<std::string>());
    l.household = HouseholdId(j.at("household").get<std::string>());
    l.scope = RegionId(j.at("scope").get<std::string>());
    l.exists = j.at("exists").get<bool>();
    for (const auto& e : j.at("entries")) l.entries.push_back(entry_from(e));
    for (const auto& a : j.at("applications")) l.applications.push_back(application_from(a));
    for (const auto& r : j.at("redemptions")) l.redemptions.push_back(redemption_from(r));
    return l;
  });
}

Json to_json(const Rulebook& b) {
  Json rules = Json::array();
  for (const auto& r : b.rules) rules.push_back(to_json(r));
  Json history = Json::array();
  for (const auto& r : b.history) history.push_back(to_json(r));
  return Json{{"id", b.id.str()}, {"village", b.village.str()}, {"exists", b.exists}, {"rules", std::move(rules)},
              {"history", std::move(history)}};
}

Result<Rulebook> rulebook_from_json(const Json& j) {
  return guarded<Rulebook>("rulebook", [&] {
    Rulebook b;
    b.id = EntityId(j.at("id").get<std::string>());
    b.village = RegionId(j.at("village").get<std::string>());
    b.exists = j.at("exists").get<bool>();
    for (const auto& r : j.at("rules")) b.rules.push_back(rule_or_throw(r));
    for (const auto& r : j.at("history")) b.history.push_back(rule_or_throw(r));
    return b;
  });
}

Json to_json(const Shop& s) {
  Json goods = Json::array();
  for (const auto& g : s.goods) {
    goods.push_back(Json{{"id", g.id}, {"name", g.name}, {"price", g.price.value}, {"stock", g.stock}});
  }
  return Json{{"id", s.id.str()}, {"village", s.village.str()}, {"exists", s.exists}, {"goods", std::move(goods)}};
}

Result<Shop> shop_from_json(const Json& j) {
  return guarded<Shop>("shop", [&] {
    Shop s;
    s.id = EntityId(j.at("id").get<std::string>());
    s.village = RegionId(j.at("village").get<std::string>());
    s.exists = j.at("exists").get<bool>();
    for (const auto& g : j.at("goods")) {
      s.goods.push_back(Goods{g.at("id").get<std::string>(), g.at("name").get<std::string>(),
                              Points{g.at("price").get<std::int64_t>()}, g.at("stock").get<std::int64_t>()});
    }
    return s;
  });
}

}  // namespace cunwu::points
