#include "cunwu/disclosure/types.hpp"

#include <array>
#include <cstdio>
#include <tuple>

namespace cunwu::disclosure {
namespace {

constexpr std::array<std::tuple<PostType, std::string_view, std::string_view>, 11> kTypes{{
    {PostType::party, "party", "党务公开"},
    {PostType::government, "government", "政务公开"},
    {PostType::village, "village", "村务公开"},
    {PostType::finance, "finance", "财务公开"},
    {PostType::contract, "contract", "合同公开"},
    {PostType::assistance, "assistance", "救助名单"},
    {PostType::policy, "policy", "政策"},
    {PostType::column, "column", "专栏"},
    {PostType::activity, "activity", "活动"},
    {PostType::job, "job", "招聘"},
    {PostType::notice, "notice", "通知"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kPolicyLabels{{
    {"education", "教育"}, {"medical", "医疗"}, {"housing", "住房"}, {"social_security", "社会保障"},
    {"industry", "产业"}, {"employment", "就业"}, {"agriculture", "农业"}, {"other", "其他"},
}};

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::string clip(std::string_view s) { return std::string(s.substr(0, 40)); }

Json stamp_json(const Stamp& s) { return {{"op", s.op}, {"actor", s.actor.str()}, {"at", s.at.ms}}; }
Stamp stamp_from(const Json& j) {
  return {j.at("op").get<std::string>(), UserId(j.at("actor").get<std::string>()), TimeMs{j.at("at").get<std::int64_t>()}};
}

Json superseded_json(const SupersededEdit& s) {
  return {{"field", s.field}, {"op", s.op},        {"actor", s.actor.str()},      {"at", s.at.ms},
          {"value", s.value}, {"by_op", s.by_op},  {"by_actor", s.by_actor.str()}};
}
SupersededEdit superseded_from(const Json& j) {
  return {j.at("field").get<std::string>(), j.at("op").get<std::string>(), UserId(j.at("actor").get<std::string>()),
          TimeMs{j.at("at").get<std::int64_t>()}, j.at("value"), j.at("by_op").get<std::string>(),
          UserId(j.at("by_actor").get<std::string>())};
}

Json version_json(const Version& v) {
  return {{"number", v.number}, {"op", v.op}, {"by", v.by.str()}, {"at", v.at.ms}, {"reason", v.reason},
          {"content", v.content}};
}
Version version_from(const Json& j) {
  return {j.at("number").get<int>(), j.at("op").get<std::string>(), UserId(j.at("by").get<std::string>()),
          TimeMs{j.at("at").get<std::int64_t>()}, j.at("reason").get<std::string>(), j.at("content")};
}

Json question_json(const Question& q) {
  Json answers = Json::array();
  for (const auto& a : q.answers) {
    answers.push_back({{"op", a.op}, {"by", a.by.str()}, {"at", a.at.ms}, {"text", a.text}, {"official", a.official}});
  }
  return {{"id", q.id}, {"asker", q.asker.str()}, {"at", q.at.ms}, {"version", q.version}, {"text", q.text},
          {"answers", answers}};
}
Question question_from(const Json& j) {
  Question q{j.at("id").get<std::string>(), UserId(j.at("asker").get<std::string>()),
             TimeMs{j.at("at").get<std::int64_t>()}, j.at("version").get<int>(), j.at("text").get<std::string>(), {}};
  for (const auto& a : j.at("answers")) {
    q.answers.push_back({a.at("op").get<std::string>(), UserId(a.at("by").get<std::string>()),
                         TimeMs{a.at("at").get<std::int64_t>()}, a.at("text").get<std::string>(),
                         a.at("official").get<bool>()});
  }
  return q;
}

}  // namespace

std::string format_yuan(Fen f) {
  const bool negative = f.value < 0;
  const std::uint64_t abs = negative ? std::uint64_t(0) - std::uint64_t(f.value) : std::uint64_t(f.value);
  std::string whole = std::to_string(abs / 100);
  for (int i = int(whole.size()) - 3; i > 0; i -= 3) whole.insert(std::size_t(i), ",");
  char cents[8];
  std::snprintf(cents, sizeof cents, ".%02u", unsigned(abs % 100));
  return (negative ? "-" : "") + whole + cents + "元";
}

Result<Fen> parse_fen(const Json& v, std::string_view field, bool positive) {
  // Only JSON integers: 1.5 would lose a fraction of a fen, "10" hides a client bug.
  if (!v.is_number_integer()) {
    return make_error(Errc::invalid_amount, std::string(field) + " must be a whole number of fen, got " + v.dump(-1, ' ', false, Json::error_handler_t::replace).substr(0, 40));
  }
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(kMaxFen)) {
    return make_error(Errc::invalid_amount, std::string(field) + " is too large");
  }
  const auto n = v.get<std::int64_t>();
  if (n < 0 || n > kMaxFen || (positive && n == 0)) {
    return make_error(Errc::invalid_amount, std::string(field) + (positive ? " must be positive, got " : " must not be negative, got ") + std::to_string(n));
  }
  return Fen{n};
}

std::string_view name(PostType t) {
  for (const auto& [type, n, zh] : kTypes) {
    if (type == t) return n;
  }
  return "?";
}

std::string_view label_zh(PostType t) {
  for (const auto& [type, n, zh] : kTypes) {
    if (type == t) return zh;
  }
  return "?";
}

Result<PostType> parse_post_type(std::string_view s) {
  for (const auto& [type, n, zh] : kTypes) {
    if (n == s) return type;
  }
  return make_error(Errc::unknown_post_type, clip(s));
}

std::string_view policy_category_label_zh(std::string_view category) {
  for (const auto& [n, zh] : kPolicyLabels) {
    if (n == category) return zh;
  }
  return category;
}

Result<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) ||
      !all_digits(s.substr(8, 2))) {
    return make_error(Errc::invalid_date, "expected YYYY-MM-DD, got " + clip(s));
  }
  const Date d{to_int(s.substr(0, 4)), to_int(s.substr(5, 2)), to_int(s.substr(8, 2))};
  if (d.year < 1949 || d.year > 2200 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) {
    return make_error(Errc::invalid_date, "no such date " + clip(s));
  }
  return d;
}

std::string to_string(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
  return buf;
}

Result<std::string> parse_period(std::string_view s) {
  const auto bad = [&] { return make_error(Errc::invalid_period, "expected 2026Q2, 2026-07 or 2026, got " + clip(s)); };
  if (s.size() < 4 || !all_digits(s.substr(0, 4))) return bad();
  const int year = to_int(s.substr(0, 4));
  if (year < 2000 || year > 2200) return bad();
  if (s.size() == 4) return std::string(s);
  if (s.size() == 6 && s[4] == 'Q' && s[5] >= '1' && s[5] <= '4') return std::string(s);
  if (s.size() == 7 && s[4] == '-' && all_digits(s.substr(5, 2))) {
    const int month = to_int(s.substr(5, 2));
    if (month >= 1 && month <= 12) return std::string(s);
  }
  return bad();
}

std::string period_label_zh(std::string_view period) {
  static constexpr const char* kQuarters[] = {"一", "二", "三", "四"};
  const std::string year(period.substr(0, 4));
  if (period.size() == 6) return year + "年第" + kQuarters[period[5] - '1'] + "季度";
  if (period.size() == 7) return year + "年" + std::to_string(to_int(period.substr(5, 2))) + "月";
  return year + "年度";
}

std::string_view name(PostStatus s) { return s == PostStatus::draft ? "draft" : "published"; }

std::string Post::title() const {
  const auto it = content().find("title");
  return it != content().end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json to_json(const Post& p) {
  Json stamps = Json::object();
  for (const auto& [field, s] : p.stamps) stamps[field] = stamp_json(s);
  Json superseded = Json::array(), versions = Json::array(), questions = Json::array();
  for (const auto& s : p.superseded) superseded.push_back(superseded_json(s));
  for (const auto& v : p.versions) versions.push_back(version_json(v));
  for (const auto& q : p.questions) questions.push_back(question_json(q));
  return {{"id", p.id.str()},        {"exists", p.exists},      {"scope", p.scope.str()},
          {"type", name(p.type)},    {"status", name(p.status)}, {"author", p.author.str()},
          {"draft", p.draft},        {"stamps", stamps},        {"revision", p.revision},
          {"superseded", superseded}, {"versions", versions},   {"questions", questions}};
}

Result<Post> post_from_json(const Json& j) {
  try {
    Post p;
    p.id = EntityId(j.at("id").get<std::string>());
    p.exists = j.at("exists").get<bool>();
    p.scope = RegionId(j.at("scope").get<std::string>());
    CUNWU_ASSIGN(p.type, parse_post_type(j.at("type").get<std::string>()));
    p.status = j.at("status").get<std::string>() == "published" ? PostStatus::published : PostStatus::draft;
    p.author = UserId(j.at("author").get<std::string>());
    p.draft = j.at("draft");
    for (const auto& [field, s] : j.at("stamps").items()) p.stamps[field] = stamp_from(s);
    p.revision = j.at("revision").get<int>();
    for (const auto& s : j.at("superseded")) p.superseded.push_back(superseded_from(s));
    for (const auto& v : j.at("versions")) p.versions.push_back(version_from(v));
    for (const auto& q : j.at("questions")) p.questions.push_back(question_from(q));
    return p;
  } catch (const nlohmann::json::exception& e) {
    return make_error(Errc::invalid_json, std::string("post: ") + e.what());
  }
}

}  // namespace cunwu::disclosure
