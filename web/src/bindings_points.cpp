// The C API of the WebAssembly core, part 2: points (积分). Contract and envelope: see
// bindings_support.hpp. Commands author one op of `actor` at device time `now_ms`, offline; it
// syncs with the next round trip, and the host decides what depends on global order (balances,
// stock, limits) by verdict: the household's account then lists the op under "problems".
//
// Sections: helpers | reading (account, catalogue, shop, honour) | villager commands |
// reviewer and shopkeeper.
#include "bindings_support.hpp"

#include "cunwu/points/service.hpp"

namespace {

using cunwu::Errc;
using cunwu::HouseholdId;
using cunwu::RegionId;
using cunwu::Result;
using cunwu::UserId;
using cunwu::web::answer;
using cunwu::web::device;
using cunwu::web::device_at;
using cunwu::web::int_arg;
using cunwu::web::time_arg;
using Json = nlohmann::json;
namespace points = cunwu::points;

Json problem_json(const points::Problem& p) {
  Json j{{"op", p.op}, {"type", p.type}, {"actor", p.actor.str()}, {"by_host", p.by_host}};
  return cunwu::web::put_error(j, p.error);
}

// Runs one points command on device `handle` at `now_ms`; the command returns Result<Json>.
template <class F>
char* points_command(int handle, double now_ms, F&& command) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device_at(handle, now_ms));
    points::Service service(*d->replica);
    return command(service);
  });
}

Result<points::RedemptionStatus> redemption_status(std::string_view s) {
  for (auto st : {points::RedemptionStatus::pending, points::RedemptionStatus::confirmed, points::RedemptionStatus::fulfilled}) {
    if (points::name(st) == s) return st;
  }
  return cunwu::make_error(Errc::invalid_input, "redemption status " + std::string(s.substr(0, 20)));
}

}  // namespace

extern "C" {

// --- reading --------------------------------------------------------------------------------

/// 我的积分 — household `household`'s account: {"ok":true,"balance":N,"available":N,
/// "ledger":{entries, applications, redemptions (points::to_json(Ledger))},"problems":[{op, type,
/// actor, by_host, code, message, message_en, detail}]}. Errors: unknown_household, not_found (handle),
/// storage_error.
char* cunwu_points_account(int handle, const char* household) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto a, points::Service(*d->replica).account(HouseholdId(household)));
    Json problems = Json::array();
    for (const auto& p : a.problems) problems.push_back(problem_json(p));
    return Json{{"balance", a.ledger.balance().value}, {"available", a.ledger.available().value},
                {"ledger", points::to_json(a.ledger)},
                {"problems", std::move(problems)}};
  });
}

/// 积分规则 — village `village`'s rule catalogue as this device holds it: {"ok":true,"rules":
/// [{id, title, category, direction, amount, evidence_required, limit, active}]} (current
/// versions; retired rules have active false). Errors: not_found (handle), storage_error.
char* cunwu_points_rules(int handle, const char* village) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto book, points::Service(*d->replica).rulebook(RegionId(village)));
    Json rules = Json::array();
    for (const auto& r : book.rules) rules.push_back(points::to_json(r));
    return Json{{"rules", std::move(rules)}};
  });
}

/// 积分超市 — village `village`'s supermarket: {"ok":true,"goods":[{id, name, price, stock}]}.
/// Errors: not_found (handle), storage_error.
char* cunwu_points_shop(int handle, const char* village) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto shop, points::Service(*d->replica).shop(RegionId(village)));
    return Json{{"goods", points::to_json(shop)["goods"]}};
  });
}

/// 光荣榜 — households of `scope` (a village or courtyard) by points earned in the `kind`
/// ("month" or "year") period that holds device time `now_ms`, top `limit` (1..100):
/// {"ok":true,"period":"2026-07","rows":[{rank, household, name, points}]}. Errors:
/// unknown_region, invalid_input, not_found (handle), storage_error.
char* cunwu_points_honour(int handle, const char* scope, const char* kind, double now_ms, double limit) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    CUNWU_ASSIGN(const auto period_kind, points::parse_period_kind(kind));
    CUNWU_ASSIGN(const int top, int_arg(limit, 1, 100, "limit"));
    const auto period = points::Period::of(period_kind, now);
    CUNWU_ASSIGN(const auto rows, points::Service(*d->replica).honour_list(RegionId(scope), period, top));
    Json out = Json::array();
    for (const auto& r : rows) {
      out.push_back(Json{{"rank", r.rank}, {"household", r.household.str()}, {"name", r.name}, {"points", r.points.value}});
    }
    return Json{{"period", period.key()}, {"rows", std::move(out)}};
  });
}

/// 荣誉称号 — the titles of village `village` for the `kind` period holding `now_ms`:
/// {"ok":true,"period":"2026","titles":[{title, category, points, households:[{id, name}]}]}.
/// Errors: unknown_region, invalid_input, not_found (handle), storage_error.
char* cunwu_points_titles(int handle, const char* village, const char* kind, double now_ms) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto now, time_arg(now_ms));
    CUNWU_ASSIGN(const auto period_kind, points::parse_period_kind(kind));
    const auto period = points::Period::of(period_kind, now);
    CUNWU_ASSIGN(const auto titles, points::Service(*d->replica).titles(RegionId(village), period));
    Json out = Json::array();
    for (const auto& t : titles) {
      Json households = Json::array();
      for (const auto& h : t.households) {
        const auto* hh = d->replica->directory().household(h);
        households.push_back(Json{{"id", h.str()}, {"name", hh ? hh->name : h.str()}});
      }
      out.push_back(Json{{"title", t.title}, {"category", points::name(t.category)}, {"points", t.points.value},
                         {"households", std::move(households)}});
    }
    return Json{{"period", period.key()}, {"titles", std::move(out)}};
  });
}

// --- villager commands ----------------------------------------------------------------------

/// 申请积分 — `actor` applies for award rule `rule` for household `household` with evidence
/// `text` and `photos_json` ([{"kind":"photo","sha256":...}], "" or "[]" for none):
/// {"ok":true,"id":"<application op id>"}. Errors: those of points::Service::apply
/// (unknown_household, unknown_rule, evidence_required, rule_limit_reached, invalid_attachment,
/// text errors, forbidden_role, out_of_scope), invalid_json (photos_json), not_found (handle),
/// invalid_input (now_ms).
char* cunwu_points_apply(int handle, const char* actor, const char* household, const char* rule, const char* text,
                         const char* photos_json, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    std::vector<cunwu::appeals::Attachment> photos;
    if (*photos_json) {
      CUNWU_ASSIGN(const auto list, cunwu::web::parse_json(photos_json, "photos_json"));
      if (!list.is_array()) return cunwu::make_error(Errc::invalid_json, "photos_json must be an array");
      for (const auto& p : list) {
        if (!p.is_object()) return cunwu::make_error(Errc::invalid_attachment, "a photo is {kind, sha256}");
        photos.push_back({p.value("kind", ""), p.value("sha256", "")});
      }
    }
    CUNWU_ASSIGN(const auto id, s.apply(UserId(actor), HouseholdId(household), rule, text, photos));
    return Json{{"id", id}};
  });
}

/// 兑换 — `actor` asks for one `goods` from their village's supermarket for `household`,
/// holding its price until the host confirms: {"ok":true,"id":"<request op id>"}. Errors:
/// unknown_goods, out_of_stock, insufficient_points, forbidden_role, out_of_scope,
/// unknown_household, not_found (handle).
char* cunwu_points_redeem(int handle, const char* actor, const char* household, const char* goods, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_ASSIGN(const auto id, s.redeem(UserId(actor), HouseholdId(household), goods));
    return Json{{"id", id}};
  });
}

// --- reviewer and shopkeeper ----------------------------------------------------------------

/// 积分审核 — the pending applications of households within `scope`, oldest first:
/// {"ok":true,"applications":[{household, household_name, courtyard, application:{id, rule,
/// text, applicant, at, status...}}]}. Errors: not_found (handle), storage_error.
char* cunwu_points_pending(int handle, const char* scope) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto items, points::Service(*d->replica).pending_applications(RegionId(scope)));
    Json out = Json::array();
    for (const auto& i : items) {
      out.push_back(Json{{"household", i.household.str()}, {"household_name", i.household_name},
                         {"courtyard", i.courtyard.str()}, {"application", points::to_json(i.application)}});
    }
    return Json{{"applications", std::move(out)}};
  });
}

/// 批准 — a cadre or courtyard head approves pending application `application` of `household`:
/// {"ok":true,"id":application}. Errors: not_found, already_decided, rule_limit_reached,
/// forbidden_role, out_of_scope, unknown_household.
char* cunwu_points_approve(int handle, const char* actor, const char* household, const char* application,
                           double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_TRY(s.approve(UserId(actor), HouseholdId(household), application));
    return Json{{"id", application}};
  });
}

/// 驳回 — rejects it with `reason` (the villager reads it): {"ok":true,"id":application}.
/// Errors: those of approve, text_empty, text_too_long, invalid_utf8.
char* cunwu_points_reject(int handle, const char* actor, const char* household, const char* application,
                          const char* reason, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_TRY(s.reject(UserId(actor), HouseholdId(household), application, reason));
    return Json{{"id", application}};
  });
}

/// The redemptions of households within `scope` at `status` (pending, confirmed, fulfilled),
/// oldest first: {"ok":true,"redemptions":[{household, household_name, courtyard,
/// redemption:{id, goods, goods_name, price, status, at...}}]}. Errors: invalid_input (status),
/// not_found (handle), storage_error.
char* cunwu_points_redemptions(int handle, const char* scope, const char* status) {
  return answer([&]() -> Result<Json> {
    CUNWU_ASSIGN(auto* d, device(handle));
    CUNWU_ASSIGN(const auto st, redemption_status(status));
    CUNWU_ASSIGN(const auto items, points::Service(*d->replica).redemptions(RegionId(scope), st));
    Json out = Json::array();
    for (const auto& i : items) {
      out.push_back(Json{{"household", i.household.str()}, {"household_name", i.household_name},
                         {"courtyard", i.courtyard.str()}, {"redemption", points::to_json(i.redemption)}});
    }
    return Json{{"redemptions", std::move(out)}};
  });
}

/// 领取 — the shopkeeper hands over confirmed request `request` of `household`:
/// {"ok":true,"id":request}. Errors: not_found, not_confirmed, already_decided, forbidden_role,
/// out_of_scope, unknown_household.
char* cunwu_points_fulfil(int handle, const char* actor, const char* household, const char* request, double now_ms) {
  return points_command(handle, now_ms, [&](points::Service& s) -> Result<Json> {
    CUNWU_TRY(s.fulfil(UserId(actor), HouseholdId(household), request));
    return Json{{"id", request}};
  });
}

}  // extern "C"
