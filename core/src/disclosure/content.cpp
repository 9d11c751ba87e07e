// Field checks are small functions keyed by field name, so that an edit of one field checks
// only that field, and publication checks the whole content with the same functions.
#include "cunwu/disclosure/content.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "cunwu/base/text.hpp"

namespace cunwu::disclosure {
namespace {

using Check = std::function<Result<Json>(const Json&, std::string_view)>;

Check text(std::size_t max) {
  return [max](const Json& v, std::string_view field) -> Result<Json> {
    if (!v.is_string()) return make_error(Errc::invalid_input, std::string(field) + " is not text");
    CUNWU_ASSIGN(auto s, validate_text(v.get_ref<const std::string&>(), max, field));
    return Json(std::move(s));
  };
}

bool is_sha256_hex(const Json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<Json> attachments(const Json& v, std::string_view field) {
  if (!v.is_array() || v.size() > 20) return make_error(Errc::invalid_attachment, std::string(field) + ": up to 20 sha256");
  for (const auto& a : v) {
    if (!is_sha256_hex(a)) return make_error(Errc::invalid_attachment, std::string(field) + ": " + a.dump(-1, ' ', false, Json::error_handler_t::replace).substr(0, 80));
  }
  return v;
}

Check fen(bool positive) {
  return [positive](const Json& v, std::string_view field) -> Result<Json> {
    CUNWU_ASSIGN(const Fen f, parse_fen(v, field, positive));
    return Json(f.value);
  };
}

Result<Json> date(const Json& v, std::string_view field) {
  if (!v.is_string()) return make_error(Errc::invalid_date, std::string(field) + " is not a date");
  CUNWU_ASSIGN(const Date d, parse_date(v.get_ref<const std::string&>()));
  return Json(to_string(d));
}

Result<Json> period(const Json& v, std::string_view field) {
  if (!v.is_string()) return make_error(Errc::invalid_period, std::string(field) + " is not a period");
  CUNWU_ASSIGN(auto p, parse_period(v.get_ref<const std::string&>()));
  return Json(std::move(p));
}

// An object whose members are checked by `members`; members marked required must be present.
Result<Json> object_of(const Json& v, std::string_view field, const std::map<std::string, std::pair<Check, bool>, std::less<>>& members) {
  if (!v.is_object()) return make_error(Errc::invalid_input, std::string(field) + " item is not an object");
  Json out = Json::object();
  for (const auto& [key, value] : v.items()) {
    const auto it = members.find(key);
    if (it == members.end()) return make_error(Errc::invalid_input, std::string(field) + " has no member " + key.substr(0, 40));
    if (value.is_null()) continue;
    CUNWU_ASSIGN(out[key], it->second.first(value, std::string(field) + "." + key));
  }
  for (const auto& [key, spec] : members) {
    if (spec.second && !out.contains(key)) return make_error(Errc::invalid_input, std::string(field) + " item lacks " + key);
  }
  return out;
}

Check array_of(Check item) {
  return [item = std::move(item)](const Json& v, std::string_view field) -> Result<Json> {
    if (!v.is_array() || v.size() > kMaxLines) {
      return make_error(Errc::invalid_input, std::string(field) + " must be a list of at most " + std::to_string(kMaxLines));
    }
    Json out = Json::array();
    for (std::size_t i = 0; i < v.size(); ++i) {
      CUNWU_ASSIGN(auto x, item(v[i], std::string(field) + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(x));
    }
    return out;
  };
}

Result<Json> line(const Json& v, std::string_view field) {
  static const std::map<std::string, std::pair<Check, bool>, std::less<>> kMembers{
      {"category", {text(30), true}},      {"amount", {fen(true), true}},  {"counterparty", {text(60), false}},
      {"attachments", {attachments, false}}, {"note", {text(kMaxShortChars), false}}};
  return object_of(v, field, kMembers);
}

Result<Json> payment(const Json& v, std::string_view field) {
  static const std::map<std::string, std::pair<Check, bool>, std::less<>> kMembers{{"date", {date, true}},
                                                                                   {"amount", {fen(true), true}}};
  return object_of(v, field, kMembers);
}

Result<Json> household_size(const Json& v, std::string_view field) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > 50) {
    return make_error(Errc::invalid_input, std::string(field) + " must be 1..50");
  }
  return v;
}

Result<Json> entry(const Json& v, std::string_view field) {
  static const std::map<std::string, std::pair<Check, bool>, std::less<>> kMembers{
      {"name", {text(30), true}},           {"id_number", {text(30), false}}, {"phone", {text(30), false}},
      {"household_size", {household_size, false}}, {"amount", {fen(true), false}},
      {"note", {text(kMaxShortChars), false}}};
  return object_of(v, field, kMembers);
}

Result<Json> policy_category(const Json& v, std::string_view field) {
  for (const char* c : kPolicyCategories) {
    if (v.is_string() && v.get_ref<const std::string&>() == c) return v;
  }
  return make_error(Errc::invalid_input, std::string(field) + " is not a policy category: " + v.dump(-1, ' ', false, Json::error_handler_t::replace).substr(0, 40));
}

using Table = std::map<std::string, Check, std::less<>>;

const Table& table_of(PostType t) {
  static const Table kCommon{{"title", text(kMaxTitleChars)}, {"body", text(kMaxBodyChars)}, {"attachments", attachments}};
  static const std::map<PostType, Table> kByType = [] {
    std::map<PostType, Table> m;
    auto with = [](Table extra) { extra.insert(kCommon.begin(), kCommon.end()); return extra; };
    m[PostType::finance] = with({{"period", period}, {"opening", fen(false)}, {"closing", fen(false)},
                                 {"income", array_of(line)}, {"spending", array_of(line)}});
    m[PostType::contract] = with({{"party", text(60)}, {"object", text(60)}, {"area", text(30)}, {"start", date},
                                  {"end", date}, {"price", fen(true)}, {"schedule", array_of(payment)}});
    m[PostType::assistance] = with({{"program", text(30)}, {"criteria", text(kMaxBodyChars)},
                                    {"steps", array_of(text(kMaxShortChars))}, {"entries", array_of(entry)}});
    m[PostType::policy] = with({{"category", policy_category}, {"issuer", text(60)}, {"effective_from", date},
                                {"effective_to", date}});
    m[PostType::activity] = with({{"place", text(60)}, {"date", date}});
    m[PostType::job] = with({{"employer", text(60)}, {"position", text(60)}, {"deadline", date}});
    return m;
  }();
  const auto it = kByType.find(t);
  return it == kByType.end() ? kCommon : it->second;
}

Status require(const Json& content, std::initializer_list<const char*> fields) {
  for (const char* f : fields) {
    if (!content.contains(f) || content[f].is_null()) return make_error(Errc::invalid_input, std::string(f) + " is required");
  }
  return ok_status();
}

Fen sum(const std::vector<Line>& lines) {
  Fen total;
  for (const auto& l : lines) total = total + l.amount;
  return total;
}

std::vector<Line> lines_of(const Json& j) {
  std::vector<Line> out;
  for (const auto& l : j) {
    Line x{l.at("category").get<std::string>(), Fen{l.at("amount").get<std::int64_t>()}, l.value("counterparty", ""),
           {}, l.value("note", "")};
    if (l.contains("attachments")) x.attachments = l["attachments"].get<std::vector<std::string>>();
    out.push_back(std::move(x));
  }
  return out;
}

Json lines_json(const std::vector<Line>& lines) {
  Json out = Json::array();
  for (const auto& l : lines) {
    Json j{{"category", l.category}, {"amount", l.amount.value}};
    if (!l.counterparty.empty()) j["counterparty"] = l.counterparty;
    if (!l.attachments.empty()) j["attachments"] = l.attachments;
    if (!l.note.empty()) j["note"] = l.note;
    out.push_back(std::move(j));
  }
  return out;
}

Status check_finance(const Json& content) {
  CUNWU_TRY(require(content, {"period", "opening", "closing"}));
  CUNWU_ASSIGN(const FinanceRecord f, finance_of(content));
  if (f.expected_closing() != f.closing) {
    return make_error(Errc::unbalanced_finance,
                      "opening " + format_yuan(f.opening) + " + income " + format_yuan(f.total_income()) + " - spending " +
                          format_yuan(f.total_spending()) + " = " + format_yuan(f.expected_closing()) +
                          ", but closing is " + format_yuan(f.closing) + " (difference " +
                          format_yuan(f.closing - f.expected_closing()) + ")");
  }
  return ok_status();
}

Status check_contract(const Json& content) {
  CUNWU_TRY(require(content, {"party", "object", "area", "start", "end", "price", "schedule"}));
  CUNWU_ASSIGN(const ContractTerms c, contract_of(content));
  if (c.end <= c.start) return make_error(Errc::invalid_date, "the contract ends " + to_string(c.end) + ", before it starts " + to_string(c.start));
  Fen total;
  for (const auto& p : c.schedule) {
    if (p.date < c.start || p.date > c.end) {
      return make_error(Errc::invalid_date, "payment on " + to_string(p.date) + " is outside the term " + to_string(c.start) + " to " + to_string(c.end));
    }
    total = total + p.amount;
  }
  if (total != c.price) {
    return make_error(Errc::payment_schedule_mismatch, "the " + std::to_string(c.schedule.size()) + " payments sum to " +
                                                           format_yuan(total) + ", the price is " + format_yuan(c.price));
  }
  return ok_status();
}

}  // namespace

const std::vector<std::string_view>& fields_of(PostType t) {
  static std::map<PostType, std::vector<std::string_view>> cache = [] {
    std::map<PostType, std::vector<std::string_view>> m;
    for (int i = 0; i <= int(PostType::notice); ++i) {
      for (const auto& [f, check] : table_of(PostType(i))) m[PostType(i)].push_back(f);
    }
    return m;
  }();
  return cache[t];
}

Result<Json> check_field(PostType t, std::string_view field, const Json& value) {
  const Table& table = table_of(t);
  const auto it = table.find(field);
  if (it == table.end()) {
    return make_error(Errc::invalid_input, "a " + std::string(name(t)) + " post has no field " + std::string(field.substr(0, 40)));
  }
  if (value.is_null()) return value;  // unsets the field in a draft
  return it->second(value, field);
}

Result<Json> check_fields(PostType t, const Json& fields) {
  if (!fields.is_object() || fields.empty()) return make_error(Errc::invalid_input, "fields must be a non-empty object");
  Json out = Json::object();
  for (const auto& [field, value] : fields.items()) {
    CUNWU_ASSIGN(out[field], check_field(t, field, value));
  }
  return out;
}

Status check_publishable(PostType t, const Json& content) {
  CUNWU_TRY(require(content, {"title"}));
  switch (t) {
    case PostType::finance: return check_finance(content);
    case PostType::contract: return check_contract(content);
    case PostType::assistance: return require(content, {"program", "criteria", "steps", "entries"});
    case PostType::policy: {
      CUNWU_TRY(require(content, {"body", "category", "issuer", "effective_from"}));
      if (content.contains("effective_to") && !content["effective_to"].is_null() &&
          content["effective_to"].get<std::string>() < content["effective_from"].get<std::string>()) {
        return make_error(Errc::invalid_date, "effective_to is before effective_from");
      }
      return ok_status();
    }
    default: return require(content, {"body"});
  }
}

Fen FinanceRecord::total_income() const { return sum(income); }
Fen FinanceRecord::total_spending() const { return sum(spending); }

Result<FinanceRecord> finance_of(const Json& content) {
  CUNWU_TRY(require(content, {"period", "opening", "closing"}));
  FinanceRecord f;
  CUNWU_ASSIGN(const Json period_v, check_field(PostType::finance, "period", content["period"]));
  f.period = period_v.get<std::string>();
  CUNWU_ASSIGN(f.opening, parse_fen(content["opening"], "opening", false));
  CUNWU_ASSIGN(f.closing, parse_fen(content["closing"], "closing", false));
  for (const char* side : {"income", "spending"}) {
    if (!content.contains(side) || content[side].is_null()) continue;
    CUNWU_ASSIGN(const Json lines, check_field(PostType::finance, side, content[side]));
    (std::string_view(side) == "income" ? f.income : f.spending) = lines_of(lines);
  }
  return f;
}

Json to_fields(const FinanceRecord& f) {
  return {{"period", f.period}, {"opening", f.opening.value}, {"closing", f.closing.value},
          {"income", lines_json(f.income)}, {"spending", lines_json(f.spending)}};
}

Result<ContractTerms> contract_of(const Json& content) {
  CUNWU_TRY(require(content, {"party", "object", "area", "start", "end", "price", "schedule"}));
  ContractTerms c{content["party"].get<std::string>(), content["object"].get<std::string>(),
                  content["area"].get<std::string>(), {}, {}, {}, {}};
  CUNWU_ASSIGN(c.start, parse_date(content["start"].is_string() ? content["start"].get<std::string>() : ""));
  CUNWU_ASSIGN(c.end, parse_date(content["end"].is_string() ? content["end"].get<std::string>() : ""));
  CUNWU_ASSIGN(c.price, parse_fen(content["price"], "price", true));
  CUNWU_ASSIGN(const Json schedule, check_field(PostType::contract, "schedule", content["schedule"]));
  for (const auto& p : schedule) {
    CUNWU_ASSIGN(const Date d, parse_date(p["date"].get<std::string>()));
    c.schedule.push_back({d, Fen{p["amount"].get<std::int64_t>()}});
  }
  return c;
}

Json to_fields(const ContractTerms& c) {
  Json schedule = Json::array();
  for (const auto& p : c.schedule) schedule.push_back({{"date", to_string(p.date)}, {"amount", p.amount.value}});
  return {{"party", c.party},   {"object", c.object},         {"area", c.area},         {"start", to_string(c.start)},
          {"end", to_string(c.end)}, {"price", c.price.value}, {"schedule", schedule}};
}

}  // namespace cunwu::disclosure
