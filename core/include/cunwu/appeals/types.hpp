#pragma once
// 诉求 — appeals: the vocabulary (categories, urgency, status, ratings) and the folded state.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cunwu/base/ids.hpp"
#include "cunwu/base/result.hpp"
#include "cunwu/base/time.hpp"
#include "cunwu/clock/hlc.hpp"

namespace cunwu::appeals {

/// 诉求类别 — what the appeal is about.
enum class Category {
  environment,  ///< 爱环境: sanitation, rubbish, water
  hazard,       ///< 及时报: a hazard to report
  dispute,      ///< 找院长: dispute mediation
  policy,       ///< 政策咨询: policy consultation
  suggestion,   ///< 建言献策: suggestion to deputies
  service,      ///< 办事服务: a service request
  other,        ///< 其他
};

/// 紧急程度 — urgency colour; decides the time limits.
enum class Urgency { red, yellow, green };

/// Where an appeal stands.
enum class AppealStatus {
  submitted,  ///< filed, waiting for a response at its level
  accepted,   ///< 已受理: a handler responded and is working on it
  resolved,   ///< 已办结: waiting for the villager's rating
  closed,     ///< rated satisfied or very satisfied
  reopened,   ///< rated dissatisfied: back with the handlers
  withdrawn,  ///< 已撤回 by the villager
  merged,     ///< 已合并 into another appeal
};

/// 满意度 — the villager's rating of a resolution.
enum class Rating { very_satisfied, satisfied, dissatisfied };

/// Text names used in ops and JSON ("environment", "red", "accepted"...), and parsers that
/// return the catalogued error for an unknown name.
std::string_view name(Category c);
std::string_view name(Urgency u);
std::string_view name(AppealStatus s);
std::string_view name(Rating r);
Result<Category> parse_category(std::string_view s);   ///< error unknown_category
Result<Urgency> parse_urgency(std::string_view s);     ///< error unknown_urgency
Result<Rating> parse_rating(std::string_view s);       ///< error unknown_rating
/// The Chinese label a villager sees ("爱环境", "红色", "已受理", "非常满意").
std::string_view label_zh(Category c);
std::string_view label_zh(Urgency u);
std::string_view label_zh(AppealStatus s);
std::string_view label_zh(Rating r);
/// The Chinese name of a handling level 1..4 ("院长", "村委会", "乡镇", "县级").
std::string_view level_label_zh(int level);

/// A photo or voice message, referenced by the sha256 of its content (stored elsewhere).
struct Attachment {
  std::string kind;  ///< "photo" or "voice"
  std::string sha256;  ///< 64 lowercase hex digits
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

/// A step on the timeline the villager follows (进度节点).
struct ProgressNode {
  std::string kind;   ///< the op verb: filed, numbered, accepted, replied, ...
  TimeMs at;          ///< when (the op's hybrid wall time)
  UserId actor;
  int level = 1;      ///< the handling level at that moment
  std::string text;   ///< reply text, reason, department...
  friend bool operator==(const ProgressNode&, const ProgressNode&) = default;
};

/// Limits for one urgency: time to first response, time to resolution (from entering a level).
struct Limits {
  Duration respond;
  Duration resolve;
};

/// 时限 — per-colour limits, configurable per county.
struct SlaPolicy {
  Limits red{hours(2), hours(24)};
  Limits yellow{hours(24), days(3)};
  Limits green{hours(24), days(7)};
  const Limits& for_urgency(Urgency u) const { return u == Urgency::red ? red : u == Urgency::yellow ? yellow : green; }
};

/// The folded state of one appeal.
struct Appeal {
  EntityId id;
  bool exists = false;          ///< false until the filing op is folded
  RegionId scope;               ///< the courtyard it was filed for
  UserId filer;                 ///< whose appeal it is: rates, withdraws, follows it
  std::optional<UserId> filed_by;  ///< a cadre who filed it on the filer's behalf (代办)
  Category category = Category::other;
  Urgency urgency = Urgency::green;
  std::string text;
  std::vector<Attachment> attachments;
  std::string provisional_number;  ///< shown on the device until the host numbers it
  std::string official_number;     ///< YYYYMMDD + daily sequence per county, 3 to 6 digits
  AppealStatus status = AppealStatus::submitted;
  int level = 1;                   ///< 1 courtyard head, 2 village, 3 township, 4 county
  TimeMs filed_at;
  std::optional<TimeMs> registered_at;   ///< host time of numbering: the SLA clock starts here
  TimeMs level_since;                    ///< when it entered the current level (or reopened)
  std::optional<TimeMs> responded_at;    ///< first response at the current level
  std::optional<TimeMs> first_response_at;
  std::optional<TimeMs> resolved_at;
  std::optional<UserId> resolver;
  std::optional<UserId> assignee;
  std::string department;
  std::optional<Rating> rating;
  int dissatisfied_count = 0;
  int escalations = 0;
  std::optional<EntityId> merged_into;
  bool supervised = false;               ///< flagged by a discipline inspector
  std::vector<ProgressNode> timeline;

  /// The number to show: official if assigned, else provisional.
  const std::string& display_number() const { return official_number.empty() ? provisional_number : official_number; }
  /// Whether handlers still have work to do on it.
  bool open() const { return status == AppealStatus::submitted || status == AppealStatus::accepted || status == AppealStatus::reopened; }
};

nlohmann::json to_json(const Appeal& a);
/// to_json(a).dump(), written directly (the fold stores it after every op).
std::string to_text(const Appeal& a);
/// Restores an Appeal from to_json(). Error invalid_json.
Result<Appeal> appeal_from_json(const nlohmann::json& j);

}  // namespace cunwu::appeals
