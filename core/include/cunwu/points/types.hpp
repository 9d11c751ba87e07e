#pragma once
// 积分 — conduct points: the vocabulary (amounts, categories, periods, rules, goods) and the
// folded states of the three points entities (rule catalogue, household ledger, supermarket).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cunwu/appeals/types.hpp"
#include "cunwu/base/ids.hpp"
#include "cunwu/base/result.hpp"
#include "cunwu/base/time.hpp"

namespace cunwu::points {

using Json = nlohmann::json;

/// 积分 — an amount of points. Signed so that a ledger line can be a debit; amounts people
/// enter (rule amounts, prices) are positive, checked by parse_amount.
struct Points {
  std::int64_t value = 0;
  friend auto operator<=>(const Points&, const Points&) = default;
  friend Points operator+(Points a, Points b) { return {a.value + b.value}; }
  friend Points operator-(Points a, Points b) { return {a.value - b.value}; }
  friend Points operator-(Points a) { return {-a.value}; }
  Points& operator+=(Points b) { value += b.value; return *this; }
};

/// The largest amount a rule may award or deduct, and the largest price of goods.
inline constexpr std::int64_t kMaxRuleAmount = 10'000;
inline constexpr std::int64_t kMaxPrice = 1'000'000;
/// Maximum lengths in characters of typed texts.
inline constexpr std::size_t kMaxTitleChars = 60;
inline constexpr std::size_t kMaxEvidenceChars = 500;
inline constexpr std::size_t kMaxReasonChars = 200;

/// 积分类别 — what a rule rewards or sanctions.
enum class Category {
  environment,   ///< 环境卫生
  mutual_help,   ///< 邻里互助
  elderly,       ///< 孝老爱亲
  volunteering,  ///< 志愿服务
  customs,       ///< 移风易俗
  mediation,     ///< 矛盾调解
  other,         ///< 其他
};

/// Whether a rule adds points (加分) or takes them away (扣分).
enum class Direction { award, deduct };

/// The length of a limit's or an honour list's period; periods are calendar months or years in China.
enum class PeriodKind { month, year };

/// A calendar month ("2026-07") or year ("2026") in China.
struct Period {
  PeriodKind kind = PeriodKind::month;
  int year = 2026;
  int month = 1;  ///< 1..12; ignored for years
  /// "2026-07" or "2026".
  std::string key() const;
  /// The first and last month it covers, "YYYY-MM".
  std::string first_month() const;
  std::string last_month() const;
  /// The period of `kind` that contains `t`.
  static Period of(PeriodKind kind, TimeMs t);
  /// Its first instant and the first instant after it (midnight in China).
  TimeMs start() const;
  TimeMs end() const;
  bool contains(TimeMs t) const { return t >= start() && t < end(); }
  friend bool operator==(const Period&, const Period&) = default;
};

/// Parses "YYYY-MM" or "YYYY" (years 2000..2999). Error invalid_period.
Result<Period> parse_period(std::string_view s);

/// At most `count` entries of the rule per household per period (e.g. 2 a month).
struct Limit {
  int count = 1;
  PeriodKind period = PeriodKind::month;
  friend bool operator==(const Limit&, const Limit&) = default;
};

/// 积分规则 — one line of a village's catalogue. Ledger ops carry a copy (a snapshot) of the
/// rule as their author saw it, so the ledger never changes when the catalogue does.
struct Rule {
  std::string id;       ///< [a-z0-9_-]{1,40}, unique in the village
  std::string version;  ///< the id of the op that defined this version ("origin.counter")
  std::string title;    ///< e.g. "门前三包，庭院整洁"
  Category category = Category::other;
  Direction direction = Direction::award;
  Points amount;        ///< positive; the sign comes from direction
  bool evidence_required = false;  ///< applications (and awards) need a photo or a text
  std::optional<Limit> limit;
  bool active = true;   ///< false once retired (kept for history)
  friend bool operator==(const Rule&, const Rule&) = default;
};

/// What kind of line a ledger entry is.
enum class EntryKind {
  award,        ///< 加分 by a cadre
  application,  ///< an approved application (申请加分)
  deduction,    ///< 扣分 by a cadre
  redemption,   ///< points spent in the supermarket (confirmed by the host)
  reversal,     ///< 冲正: cancels the entry it names
};

/// 积分流水 — one line of a household's ledger; never edited, only reversed.
struct Entry {
  std::string id;        ///< the op id that created it ("origin.counter")
  EntryKind kind = EntryKind::award;
  Points delta;          ///< signed: credits positive, debits negative
  std::string rule;      ///< rule id (goods id for redemptions)
  Category category = Category::other;
  std::string title;     ///< rule title or goods name
  UserId actor;
  TimeMs at;             ///< the op's hybrid wall time
  std::string reverses;  ///< for reversals: the entry reversed
  std::string reversed_by;  ///< set on an entry once a reversal names it
  std::string note;      ///< evidence text, reason
  friend bool operator==(const Entry&, const Entry&) = default;
};

/// Where an application stands.
enum class ApplicationStatus { pending, approved, rejected };

/// 积分申请 — a villager asks for a rule's award for their household, with evidence.
struct Application {
  std::string id;  ///< op id of the application
  Rule rule;       ///< the snapshot applied for
  std::string text;
  std::vector<appeals::Attachment> photos;
  UserId applicant;
  TimeMs at;
  ApplicationStatus status = ApplicationStatus::pending;
  std::optional<UserId> decided_by;
  std::optional<TimeMs> decided_at;
  std::string reason;  ///< why it was rejected
  friend bool operator==(const Application&, const Application&) = default;
};

/// Where a redemption request stands.
enum class RedemptionStatus { pending, confirmed, fulfilled };

/// 积分兑换 — a request to spend points on goods; holds the points while pending. The host
/// confirms it or rejects it with a verdict (then it is excluded from the fold).
struct Redemption {
  std::string id;  ///< op id of the request
  std::string goods;
  std::string goods_name;
  RegionId shop;   ///< the village whose supermarket
  Points price;
  UserId requester;
  TimeMs at;
  RedemptionStatus status = RedemptionStatus::pending;
  std::optional<TimeMs> confirmed_at;
  std::optional<TimeMs> fulfilled_at;
  std::optional<UserId> fulfilled_by;
  friend bool operator==(const Redemption&, const Redemption&) = default;
};

/// 积分账户 — the folded ledger of one household.
struct Ledger {
  EntityId id;
  HouseholdId household;
  RegionId scope;  ///< the household's courtyard
  bool exists = false;
  std::vector<Entry> entries;
  std::vector<Application> applications;
  std::vector<Redemption> redemptions;
  /// Sum of all entries.
  Points balance() const;
  /// Points held by pending redemptions.
  Points held() const;
  /// balance() - held(): what may still be spent.
  Points available() const { return balance() - held(); }
  const Entry* entry(std::string_view key) const;
  Entry* entry(std::string_view key);
  Application* application(std::string_view key);
  Redemption* redemption(std::string_view key);
  friend bool operator==(const Ledger&, const Ledger&) = default;
};

/// 积分规则库 — a village's catalogue.
struct Rulebook {
  EntityId id;
  RegionId village;
  bool exists = false;
  std::vector<Rule> rules;    ///< current version of each rule, by id
  std::vector<Rule> history;  ///< every version ever defined, in fold order
  const Rule* rule(std::string_view key) const;
  friend bool operator==(const Rulebook&, const Rulebook&) = default;
};

/// 商品 — goods in the points supermarket.
struct Goods {
  std::string id;  ///< [a-z0-9_-]{1,40}
  std::string name;
  Points price;
  std::int64_t stock = 0;
  friend bool operator==(const Goods&, const Goods&) = default;
};

/// 积分超市 — a village's points supermarket.
struct Shop {
  EntityId id;
  RegionId village;
  bool exists = false;
  std::vector<Goods> goods;  ///< by id
  const Goods* find(std::string_view key) const;
  Goods* find(std::string_view key);
  friend bool operator==(const Shop&, const Shop&) = default;
};

/// Stable names ("environment", "award", "month", "pending") and their parsers (error
/// invalid_input), and the Chinese labels a villager reads.
std::string_view name(Category c);
std::string_view name(Direction d);
std::string_view name(PeriodKind p);
std::string_view name(EntryKind k);
std::string_view name(ApplicationStatus s);
std::string_view name(RedemptionStatus s);
Result<Category> parse_category(std::string_view s);
Result<Direction> parse_direction(std::string_view s);
Result<PeriodKind> parse_period_kind(std::string_view s);
std::string_view label_zh(Category c);
std::string_view label_zh(EntryKind k);
std::string_view label_zh(RedemptionStatus s);

/// Reads a positive whole amount of at most `max` from JSON: 1.5, "10", -3, 0, true are refused
/// with invalid_amount.
Result<Points> parse_amount(const Json& j, std::int64_t max);
/// True for ids of rules and goods: 1..40 of [a-z0-9_-].
bool is_valid_key(std::string_view s);

/// The rule as it travels in ops and state: {id, version, title, category, direction, amount,
/// evidence_required, limit: null | {count, period}, active}.
Json to_json(const Rule& r);
/// Parses and checks a rule (key, title text, amount, limit 1..100). Errors invalid_input,
/// invalid_id, invalid_amount, invalid_utf8, text_empty, text_too_long, invalid_period.
Result<Rule> rule_from_json(const Json& j);

/// States as JSON and back. Errors invalid_json.
Json to_json(const Ledger& l);
/// One application / redemption as it appears in to_json(Ledger).
Json to_json(const Application& a);
Json to_json(const Redemption& r);
Result<Ledger> ledger_from_json(const Json& j);
Json to_json(const Rulebook& b);
Result<Rulebook> rulebook_from_json(const Json& j);
Json to_json(const Shop& s);
Result<Shop> shop_from_json(const Json& j);

}  // namespace cunwu::points
