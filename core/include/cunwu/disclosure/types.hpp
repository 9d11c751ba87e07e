#pragma once
// 公开 — disclosure: the vocabulary (post types, money, dates, periods) and a post's folded state.
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cunwu/base/ids.hpp"
#include "cunwu/base/result.hpp"
#include "cunwu/base/time.hpp"

namespace cunwu::disclosure {

using Json = nlohmann::json;

/// 分 — an amount of money in fen (0.01 yuan). Never a bare integer in the API.
struct Fen {
  std::int64_t value = 0;
  friend auto operator<=>(const Fen&, const Fen&) = default;
  friend Fen operator+(Fen a, Fen b) { return {a.value + b.value}; }
  friend Fen operator-(Fen a, Fen b) { return {a.value - b.value}; }
};

/// The largest amount accepted in one field (10^13 yuan): sums of a few thousand lines cannot overflow.
inline constexpr std::int64_t kMaxFen = 1'000'000'000'000'000;

/// "1,234.50元": an amount as a villager reads it (negative amounts get a leading '-').
std::string format_yuan(Fen f);

/// Reads an amount from payload JSON: a JSON integer 0..kMaxFen (or 1..kMaxFen when `positive`).
/// 1.5, "10", -3, true and null are refused. Error invalid_amount (the detail names `field`).
Result<Fen> parse_fen(const Json& v, std::string_view field, bool positive);

/// 公开类型 — what kind of post it is.
enum class PostType {
  party,       ///< 党务公开
  government,  ///< 政务公开
  village,     ///< 村务公开
  finance,     ///< 财务公开: a structured income and spending record for a period
  contract,    ///< 合同公开: party, object, area, term, price, payment schedule
  assistance,  ///< 救助名单 (e.g. 低保): published with personal data masked
  policy,      ///< 政策: category, issuing body, effective dates, full text; searchable
  column,      ///< 专栏 / news
  activity,    ///< 活动
  job,         ///< 招聘
  notice,      ///< 通知
};

/// Stable text names ("finance") and Chinese labels ("财务公开").
std::string_view name(PostType t);
std::string_view label_zh(PostType t);
/// Parses a type name. Error unknown_post_type.
Result<PostType> parse_post_type(std::string_view s);

/// 政策类别 — the areas policies are filed under. Parses names such as "education".
inline constexpr const char* kPolicyCategories[] = {"education", "medical", "housing", "social_security",
                                                    "industry",  "employment", "agriculture", "other"};
/// The Chinese label of a policy category ("教育"), or the name itself when unknown.
std::string_view policy_category_label_zh(std::string_view category);

/// A civil date "YYYY-MM-DD" (years 1949..2200). Error invalid_date.
struct Date {
  int year = 0, month = 0, day = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};
Result<Date> parse_date(std::string_view s);
std::string to_string(const Date& d);

/// An accounting period: "2026Q2" (quarter), "2026-07" (month) or "2026" (year), years 2000..2200.
/// Error invalid_period.
Result<std::string> parse_period(std::string_view s);
/// "2026年第二季度", "2026年7月", "2026年度".
std::string period_label_zh(std::string_view period);

/// Where a post stands.
enum class PostStatus { draft, published };
std::string_view name(PostStatus s);

/// Who last wrote a draft field, and with which op (the per-field last-writer-wins stamp).
struct Stamp {
  std::string op;        ///< "origin.counter"
  UserId actor;
  TimeMs at;
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

/// A draft edit that lost a field to a concurrent edit by hlc: kept here, and its author is told.
struct SupersededEdit {
  std::string field;
  std::string op;        ///< the losing edit's op id
  UserId actor;          ///< its author
  TimeMs at;
  Json value;            ///< what they had written
  std::string by_op;     ///< the edit that won
  UserId by_actor;
  friend bool operator==(const SupersededEdit&, const SupersededEdit&) = default;
};

/// One published version: version 1 is the publication, each later one an amendment (更正).
struct Version {
  int number = 1;
  std::string op;
  UserId by;
  TimeMs at;
  std::string reason;    ///< why it was amended; empty for version 1
  Json content;          ///< the published view (masked for assistance lists)
  friend bool operator==(const Version&, const Version&) = default;
};

/// An official answer (官方答复) by a cadre of the post's scope.
struct Answer {
  std::string op;
  UserId by;
  TimeMs at;
  std::string text;
  bool official = true;
  friend bool operator==(const Answer&, const Answer&) = default;
};

/// A question under a post, about the version the asker was reading.
struct Question {
  std::string id;        ///< the asking op's id "origin.counter"
  UserId asker;
  TimeMs at;
  int version = 1;       ///< the version it was asked about (may be older than the latest)
  std::string text;
  std::vector<Answer> answers;
  friend bool operator==(const Question&, const Question&) = default;
};

/// 公开事项 — the folded state of one post.
struct Post {
  EntityId id;
  bool exists = false;
  RegionId scope;                 ///< a village, township or county
  PostType type = PostType::notice;
  PostStatus status = PostStatus::draft;
  UserId author;                  ///< who drafted it
  Json draft = Json::object();    ///< draft fields (cleared on publication)
  std::map<std::string, Stamp> stamps;  ///< per draft field: its last writer
  int revision = 0;               ///< draft edits applied; publish names the revision it saw
  std::vector<SupersededEdit> superseded;
  std::vector<Version> versions;  ///< published versions, oldest first
  std::vector<Question> questions;

  /// The latest published version, or nullptr for a draft.
  const Version* latest() const { return versions.empty() ? nullptr : &versions.back(); }
  /// The current content: the latest published version's, else the draft's.
  const Json& content() const { return versions.empty() ? draft : versions.back().content; }
  /// The title of the current content ("" when unset).
  std::string title() const;
};

Json to_json(const Post& p);
/// Restores a Post from to_json(). Error invalid_json.
Result<Post> post_from_json(const Json& j);

}  // namespace cunwu::disclosure
