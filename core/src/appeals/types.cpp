#include "cunwu/appeals/types.hpp"

#include <array>
#include <utility>

#include "cunwu/base/json_writer.hpp"

namespace cunwu::appeals {
namespace {

template <class E, std::size_t N>
using Names = std::array<std::tuple<E, std::string_view, std::string_view>, N>;

constexpr Names<Category, 7> kCategories{{
    {Category::environment, "environment", "爱环境"},
    {Category::hazard, "hazard", "及时报"},
    {Category::dispute, "dispute", "找院长"},
    {Category::policy, "policy", "政策咨询"},
    {Category::suggestion, "suggestion", "建言献策"},
    {Category::service, "service", "办事服务"},
    {Category::other, "other", "其他"},
}};
constexpr Names<Urgency, 3> kUrgencies{{
    {Urgency::red, "red", "红色（紧急）"}, {Urgency::yellow, "yellow", "黄色（较急）"}, {Urgency::green, "green", "绿色（一般）"}}};
constexpr Names<AppealStatus, 7> kStatuses{{
    {AppealStatus::submitted, "submitted", "待受理"},
    {AppealStatus::accepted, "accepted", "办理中"},
    {AppealStatus::resolved, "resolved", "已办结，待评价"},
    {AppealStatus::closed, "closed", "已评价"},
    {AppealStatus::reopened, "reopened", "重新办理"},
    {AppealStatus::withdrawn, "withdrawn", "已撤回"},
    {AppealStatus::merged, "merged", "已合并"},
}};
constexpr Names<Rating, 3> kRatings{{
    {Rating::very_satisfied, "very_satisfied", "非常满意"},
    {Rating::satisfied, "satisfied", "满意"},
    {Rating::dissatisfied, "dissatisfied", "不满意"}}};

template <class E, std::size_t N>
std::string_view find_name(const Names<E, N>& table, E e, int column) {
  for (const auto& row : table) {
    if (std::get<0>(row) == e) return column == 1 ? std::get<1>(row) : std::get<2>(row);
  }
  return "?";
}

template <class E, std::size_t N>
Result<E> parse(const Names<E, N>& table, std::string_view s, Errc code) {
  for (const auto& row : table) {
    if (std::get<1>(row) == s) return std::get<0>(row);
  }
  return make_error(code, std::string(s));
}

using Json = nlohmann::json;

Json opt_time(const std::optional<TimeMs>& t) { return t ? Json(t->ms) : Json(nullptr); }
std::optional<TimeMs> get_opt_time(const Json& j, const char* key) {
  const auto& v = j.at(key);
  return v.is_null() ? std::nullopt : std::optional<TimeMs>(TimeMs{v.get<std::int64_t>()});
}
Json opt_str(const std::optional<UserId>& u) { return u ? Json(u->str()) : Json(nullptr); }

}  // namespace

std::string_view name(Category c) { return find_name(kCategories, c, 1); }
std::string_view name(Urgency u) { return find_name(kUrgencies, u, 1); }
std::string_view name(AppealStatus s) { return find_name(kStatuses, s, 1); }
std::string_view name(Rating r) { return find_name(kRatings, r, 1); }
std::string_view label_zh(Category c) { return find_name(kCategories, c, 2); }
std::string_view label_zh(Urgency u) { return find_name(kUrgencies, u, 2); }
std::string_view label_zh(AppealStatus s) { return find_name(kStatuses, s, 2); }
std::string_view label_zh(Rating r) { return find_name(kRatings, r, 2); }
Result<Category> parse_category(std::string_view s) { return parse(kCategories, s, Errc::unknown_category); }
Result<Urgency> parse_urgency(std::string_view s) { return parse(kUrgencies, s, Errc::unknown_urgency); }
Result<Rating> parse_rating(std::string_view s) { return parse(kRatings, s, Errc::unknown_rating); }

std::string_view level_label_zh(int level) {
  switch (level) {
    case 1: return "院长";
    case 2: return "村委会";
    case 3: return "乡镇";
    case 4: return "县级";
    default: return "?";
  }
}

// Built by assignment: nested initializer lists make every pair a temporary array and deep-copy
// the arrays, which made this the fold's hottest function.
Json to_json(const Appeal& a) {
  Json atts = Json::array();
  for (const auto& at : a.attachments) {
    Json o = Json::object();
    o["kind"] = at.kind;
    o["sha256"] = at.sha256;
    atts.push_back(std::move(o));
  }
  Json nodes = Json::array();
  for (const auto& n : a.timeline) {
    Json o = Json::object();
    o["kind"] = n.kind;
    o["at"] = n.at.ms;
    o["actor"] = n.actor.str();
    o["level"] = n.level;
    o["text"] = n.text;
    nodes.push_back(std::move(o));
  }
  Json j = Json::object();
  j["id"] = a.id.str();
  j["exists"] = a.exists;
  j["scope"] = a.scope.str();
  j["filer"] = a.filer.str();
  j["filed_by"] = opt_str(a.filed_by);
  j["category"] = name(a.category);
  j["urgency"] = name(a.urgency);
  j["text"] = a.text;
  j["attachments"] = std::move(atts);
  j["provisional_number"] = a.provisional_number;
  j["official_number"] = a.official_number;
  j["status"] = name(a.status);
  j["level"] = a.level;
  j["filed_at"] = a.filed_at.ms;
  j["registered_at"] = opt_time(a.registered_at);
  j["level_since"] = a.level_since.ms;
  j["responded_at"] = opt_time(a.responded_at);
  j["first_response_at"] = opt_time(a.first_response_at);
  j["resolved_at"] = opt_time(a.resolved_at);
  j["resolver"] = opt_str(a.resolver);
  j["assignee"] = opt_str(a.assignee);
  j["department"] = a.department;
  j["rating"] = a.rating ? Json(name(*a.rating)) : Json(nullptr);
  j["dissatisfied_count"] = a.dissatisfied_count;
  j["escalations"] = a.escalations;
  j["merged_into"] = a.merged_into ? Json(a.merged_into->str()) : Json(nullptr);
  j["supervised"] = a.supervised;
  j["timeline"] = std::move(nodes);
  return j;
}

namespace {

void write_opt(JsonWriter& w, const std::optional<TimeMs>& t) { t ? (void)w.value(t->ms) : (void)w.null(); }
void write_opt(JsonWriter& w, const std::optional<UserId>& u) { u ? (void)w.value(u->str()) : (void)w.null(); }

}  // namespace

// Keys in sorted order, as nlohmann's std::map objects dump them (tested against to_json).
std::string to_text(const Appeal& a) {
  JsonWriter w;
  w.begin_object();
  w.key("assignee"), write_opt(w, a.assignee);
  w.key("attachments").begin_array();
  for (const auto& at : a.attachments) {
    w.begin_object().key("kind").value(at.kind).key("sha256").value(at.sha256).end_object();
  }
  w.end_array();
  w.key("category").value(name(a.category));
  w.key("department").value(a.department);
  w.key("dissatisfied_count").value(a.dissatisfied_count);
  w.key("escalations").value(a.escalations);
  w.key("exists").value(a.exists);
  w.key("filed_at").value(a.filed_at.ms);
  w.key("filed_by"), write_opt(w, a.filed_by);
  w.key("filer").value(a.filer.str());
  w.key("first_response_at"), write_opt(w, a.first_response_at);
  w.key("id").value(a.id.str());
  w.key("level").value(a.level);
  w.key("level_since").value(a.level_since.ms);
  w.key("merged_into");
  a.merged_into ? (void)w.value(a.merged_into->str()) : (void)w.null();
  w.key("official_number").value(a.official_number);
  w.key("provisional_number").value(a.provisional_number);
  w.key("rating");
  a.rating ? (void)w.value(name(*a.rating)) : (void)w.null();
  w.key("registered_at"), write_opt(w, a.registered_at);
  w.key("resolved_at"), write_opt(w, a.resolved_at);
  w.key("resolver"), write_opt(w, a.resolver);
  w.key("responded_at"), write_opt(w, a.responded_at);
  w.key("scope").value(a.scope.str());
  w.key("status").value(name(a.status));
  w.key("supervised").value(a.supervised);
  w.key("text").value(a.text);
  w.key("timeline").begin_array();
  for (const auto& n : a.timeline) {
    w.begin_object().key("actor").value(n.actor.str()).key("at").value(n.at.ms).key("kind").value(n.kind);
    w.key("level").value(n.level).key("text").value(n.text).end_object();
  }
  w.end_array();
  w.key("urgency").value(name(a.urgency));
  w.end_object();
  return w.take();
}

Result<Appeal> appeal_from_json(const Json& j) {
  try {
    Appeal a;
    a.id = EntityId(j.at("id").get<std::string>());
    a.exists = j.at("exists").get<bool>();
    a.scope = RegionId(j.at("scope").get<std::string>());
    a.filer = UserId(j.at("filer").get<std::string>());
    if (!j.at("filed_by").is_null()) a.filed_by = UserId(j.at("filed_by").get<std::string>());
    CUNWU_ASSIGN(a.category, parse_category(j.at("category").get<std::string>()));
    CUNWU_ASSIGN(a.urgency, parse_urgency(j.at("urgency").get<std::string>()));
    a.text = j.at("text").get<std::string>();
    for (const auto& at : j.at("attachments")) a.attachments.push_back({at.at("kind"), at.at("sha256")});
    a.provisional_number = j.at("provisional_number").get<std::string>();
    a.official_number = j.at("official_number").get<std::string>();
    const auto st = parse(kStatuses, j.at("status").get<std::string>(), Errc::invalid_json);
    if (!st) return st.error();
    a.status = *st;
    a.level = j.at("level").get<int>();
    a.filed_at = TimeMs{j.at("filed_at").get<std::int64_t>()};
    a.registered_at = get_opt_time(j, "registered_at");
    a.level_since = TimeMs{j.at("level_since").get<std::int64_t>()};
    a.responded_at = get_opt_time(j, "responded_at");
    a.first_response_at = get_opt_time(j, "first_response_at");
    a.resolved_at = get_opt_time(j, "resolved_at");
    if (!j.at("resolver").is_null()) a.resolver = UserId(j.at("resolver").get<std::string>());
    if (!j.at("assignee").is_null()) a.assignee = UserId(j.at("assignee").get<std::string>());
    a.department = j.at("department").get<std::string>();
    if (!j.at("rating").is_null()) { CUNWU_ASSIGN(a.rating, parse_rating(j.at("rating").get<std::string>())); }
    a.dissatisfied_count = j.at("dissatisfied_count").get<int>();
    a.escalations = j.at("escalations").get<int>();
    if (!j.at("merged_into").is_null()) a.merged_into = EntityId(j.at("merged_into").get<std::string>());
    a.supervised = j.at("supervised").get<bool>();
    for (const auto& n : j.at("timeline")) {
      a.timeline.push_back(ProgressNode{n.at("kind"), TimeMs{n.at("at").get<std::int64_t>()},
                                        UserId(n.at("actor").get<std::string>()), n.at("level"), n.at("text")});
    }
    return a;
  } catch (const Json::exception& e) {
    return make_error(Errc::invalid_json, std::string("appeal state: ") + e.what());
  }
}

}  // namespace cunwu::appeals
