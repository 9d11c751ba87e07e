// Seeding a village's catalogue and supermarket from demo JSON (shared/demo/points.json).
#include "cunwu/points/service.hpp"

namespace cunwu::points {
namespace {

using oplog::Json;

Result<std::string> text_of(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return make_error(Errc::invalid_json, std::string("points seed: ") + key);
  return it->get<std::string>();
}

Status seed_goods(Service& svc, const RegionId& village, const UserId& shopkeeper, const Json& goods) {
  for (const auto& g : goods) {
    CUNWU_ASSIGN(const auto id, text_of(g, "id"));
    CUNWU_ASSIGN(const auto name, text_of(g, "name"));
    CUNWU_ASSIGN(const Points price, parse_amount(g.value("price", Json()), kMaxPrice));
    CUNWU_TRY(svc.set_goods(shopkeeper, village, id, name, price));
    const auto stock = g.value("stock", Json(0));
    if (!stock.is_number_integer() || stock.get<std::int64_t>() < 0) return make_error(Errc::invalid_amount, "stock");
    if (stock.get<std::int64_t>() > 0) CUNWU_TRY(svc.restock(shopkeeper, village, id, stock.get<std::int64_t>()));
  }
  return ok_status();
}

Status seed_village(Service& svc, const Json& v) {
  CUNWU_ASSIGN(const auto village, text_of(v, "village"));
  CUNWU_ASSIGN(const auto cadre, text_of(v, "cadre"));
  for (const auto& r : v.value("rules", Json::array())) {
    CUNWU_ASSIGN(const Rule rule, rule_from_json(r));
    CUNWU_TRY(svc.set_rule(UserId(cadre), RegionId(village), rule));
  }
  const Json goods = v.value("goods", Json::array());
  if (goods.empty()) return ok_status();
  CUNWU_ASSIGN(const auto shopkeeper, text_of(v, "shopkeeper"));
  return seed_goods(svc, RegionId(village), UserId(shopkeeper), goods);
}

}  // namespace

Status seed_demo(Replica& replica, const Json& seed) {
  if (!seed.is_object() || !seed.contains("villages") || !seed["villages"].is_array()) {
    return make_error(Errc::invalid_json, "points seed: villages");
  }
  Service svc(replica);
  try {
    for (const auto& v : seed["villages"]) CUNWU_TRY(seed_village(svc, v));
  } catch (const Json::exception& e) {
    return make_error(Errc::invalid_json, std::string("points seed: ") + e.what());
  }
  return ok_status();
}

}  // namespace cunwu::points
