// Names, periods, amounts and rules of the points domain.
#include "cunwu/points/types.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>

#include "cunwu/base/text.hpp"
#include "points/payload.hpp"

namespace cunwu::points {
namespace {

template <class E, std::size_t N>
using Names = std::array<std::tuple<E, std::string_view, std::string_view>, N>;

constexpr Names<Category, 7> kCategories{{
    {Category::environment, "environment", "环境卫生"},
    {Category::mutual_help, "mutual_help", "邻里互助"},
    {Category::elderly, "elderly", "孝老爱亲"},
    {Category::volunteering, "volunteering", "志愿服务"},
    {Category::customs, "customs", "移风易俗"},
    {Category::mediation, "mediation", "矛盾调解"},
    {Category::other, "other", "其他"},
}};
constexpr Names<Direction, 2> kDirections{{{Direction::award, "award", "加分"}, {Direction::deduct, "deduct", "扣分"}}};
constexpr Names<PeriodKind, 2> kPeriodKinds{{{PeriodKind::month, "month", "每月"}, {PeriodKind::year, "year", "每年"}}};
constexpr Names<EntryKind, 5> kEntryKinds{{
    {EntryKind::award, "award", "加分"},
    {EntryKind::application, "application", "申请加分"},
    {EntryKind::deduction, "deduction", "扣分"},
    {EntryKind::redemption, "redemption", "兑换"},
    {EntryKind::reversal, "reversal", "冲正"},
}};
constexpr Names<ApplicationStatus, 3> kApplicationStatuses{{
    {ApplicationStatus::pending, "pending", "待审核"},
    {ApplicationStatus::approved, "approved", "已通过"},
    {ApplicationStatus::rejected, "rejected", "未通过"},
}};
constexpr Names<RedemptionStatus, 3> kRedemptionStatuses{{
    {RedemptionStatus::pending, "pending", "待平台确认"},
    {RedemptionStatus::confirmed, "confirmed", "已确认，待领取"},
    {RedemptionStatus::fulfilled, "fulfilled", "已领取"},
}};

template <class E, std::size_t N>
std::string_view find_name(const Names<E, N>& table, E e, int column) {
  for (const auto& row : table) {
    if (std::get<0>(row) == e) return column == 1 ? std::get<1>(row) : std::get<2>(row);
  }
  return "?";
}

template <class E, std::size_t N>
Result<E> parse(const Names<E, N>& table, std::string_view s) {
  for (const auto& row : table) {
    if (std::get<1>(row) == s) return std::get<0>(row);
  }
  return make_error(Errc::invalid_input, "unknown name " + std::string(s.substr(0, 40)));
}

Result<std::optional<Limit>> limit_from_json(const Json& j) {
  const auto it = j.find("limit");
  if (it == j.end() || it->is_null()) return std::optional<Limit>();
  if (!it->is_object() || !it->contains("count") || !(*it)["count"].is_number_integer()) {
    return make_error(Errc::invalid_input, "limit needs a count of 1..100");
  }
  const auto n = (*it)["count"].get<std::int64_t>();
  if (n < 1 || n > 100) return make_error(Errc::invalid_input, "limit needs a count of 1..100");
  const auto period_name = detail::string_field(*it, "period", Errc::invalid_period);
  if (!period_name) return period_name.error();
  const auto period = parse_period_kind(*period_name);
  if (!period) return make_error(Errc::invalid_period, *period_name);
  return std::optional<Limit>(Limit{int(n), *period});
}

}  // namespace

std::string_view name(Category c) { return find_name(kCategories, c, 1); }
std::string_view name(Direction d) { return find_name(kDirections, d, 1); }
std::string_view name(PeriodKind p) { return find_name(kPeriodKinds, p, 1); }
std::string_view name(EntryKind k) { return find_name(kEntryKinds, k, 1); }
std::string_view name(ApplicationStatus s) { return find_name(kApplicationStatuses, s, 1); }
std::string_view name(RedemptionStatus s) { return find_name(kRedemptionStatuses, s, 1); }
Result<Category> parse_category(std::string_view s) { return parse(kCategories, s); }
Result<Direction> parse_direction(std::string_view s) { return parse(kDirections, s); }
Result<PeriodKind> parse_period_kind(std::string_view s) { return parse(kPeriodKinds, s); }
std::string_view label_zh(Category c) { return find_name(kCategories, c, 2); }
std::string_view label_zh(EntryKind k) { return find_name(kEntryKinds, k, 2); }
std::string_view label_zh(RedemptionStatus s) { return find_name(kRedemptionStatuses, s, 2); }

std::string Period::key() const {
  char buf[16];
  if (kind == PeriodKind::year) {
    std::snprintf(buf, sizeof buf, "%04d", year);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  }
  return buf;
}

std::string Period::first_month() const {
  return kind == PeriodKind::year ? Period{PeriodKind::month, year, 1}.key() : key();
}

std::string Period::last_month() const {
  return kind == PeriodKind::year ? Period{PeriodKind::month, year, 12}.key() : key();
}

Period Period::of(PeriodKind kind, TimeMs t) {
  const std::string m = china_month(t);  // "YYYY-MM"
  return Period{kind, std::stoi(m.substr(0, 4)), std::stoi(m.substr(5, 2))};
}

TimeMs Period::start() const { return china_time(year, kind == PeriodKind::year ? 1 : month, 1); }

TimeMs Period::end() const {
  if (kind == PeriodKind::year) return china_time(year + 1, 1, 1);
  return month == 12 ? china_time(year + 1, 1, 1) : china_time(year, month + 1, 1);
}

Result<Period> parse_period(std::string_view s) {
  auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (s.size() == 4 && digits(s)) {
    const int y = std::stoi(std::string(s));
    if (y >= 2000 && y <= 2999) return Period{PeriodKind::year, y, 1};
  } else if (s.size() == 7 && s[4] == '-' && digits(s.substr(0, 4)) && digits(s.substr(5))) {
    const int y = std::stoi(std::string(s.substr(0, 4)));
    const int m = std::stoi(std::string(s.substr(5)));
    if (y >= 2000 && y <= 2999 && m >= 1 && m <= 12) return Period{PeriodKind::month, y, m};
  }
  return make_error(Errc::invalid_period, "period " + std::string(s.substr(0, 20)) + " is not YYYY or YYYY-MM");
}

Result<Points> parse_amount(const Json& j, std::int64_t max) {
  // Only a JSON integer is an amount: 1.5 would be rounded somewhere, "10" is a client bug.
  if (!j.is_number_integer()) return make_error(Errc::invalid_amount, "amount is not a whole number: " + j.dump().substr(0, 40));
  if (j.is_number_unsigned() && j.get<std::uint64_t>() > std::uint64_t(max)) {
    return make_error(Errc::invalid_amount, "amount above " + std::to_string(max));
  }
  const auto v = j.get<std::int64_t>();
  if (v <= 0 || v > max) return make_error(Errc::invalid_amount, "amount " + std::to_string(v) + " not in 1.." + std::to_string(max));
  return Points{v};
}

bool is_valid_key(std::string_view s) {
  return !s.empty() && s.size() <= 40 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Json to_json(const Rule& r) {
  Json j = Json::object();
  j["id"] = r.id;
  j["version"] = r.version;
  j["title"] = r.title;
  j["category"] = name(r.category);
  j["direction"] = name(r.direction);
  j["amount"] = r.amount.value;
  j["evidence_required"] = r.evidence_required;
  j["limit"] = r.limit ? Json{{"count", r.limit->count}, {"period", name(r.limit->period)}} : Json(nullptr);
  j["active"] = r.active;
  return j;
}

Result<Rule> rule_from_json(const Json& j) {
  if (!j.is_object()) return make_error(Errc::invalid_input, "rule is not an object");
  Rule r;
  CUNWU_ASSIGN(r.id, detail::string_field(j, "id", Errc::invalid_id));
  if (!is_valid_key(r.id)) return make_error(Errc::invalid_id, "rule id " + r.id.substr(0, 40));
  if (const auto v = j.find("version"); v != j.end() && v->is_string() && v->get_ref<const std::string&>().size() <= 100) {
    r.version = v->get<std::string>();
  }
  const auto title = j.find("title");
  if (title == j.end() || !title->is_string()) return make_error(Errc::text_empty, "rule title missing");
  CUNWU_ASSIGN(r.title, validate_text(title->get_ref<const std::string&>(), kMaxTitleChars, "title"));
  CUNWU_ASSIGN(const auto category, detail::string_field(j, "category", Errc::invalid_input));
  CUNWU_ASSIGN(r.category, parse_category(category));
  CUNWU_ASSIGN(const auto direction, detail::string_field(j, "direction", Errc::invalid_input));
  CUNWU_ASSIGN(r.direction, parse_direction(direction));
  const auto amount = j.find("amount");
  if (amount == j.end()) return make_error(Errc::invalid_amount, "amount missing");
  CUNWU_ASSIGN(r.amount, parse_amount(*amount, kMaxRuleAmount));
  const auto evidence = j.find("evidence_required");
  if (evidence != j.end() && !evidence->is_boolean()) return make_error(Errc::invalid_input, "evidence_required");
  r.evidence_required = evidence != j.end() && evidence->get<bool>();
  CUNWU_ASSIGN(r.limit, limit_from_json(j));
  const auto active = j.find("active");
  r.active = active == j.end() || !active->is_boolean() || active->get<bool>();
  return r;
}

}  // namespace cunwu::points
