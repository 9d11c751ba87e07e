#pragma once
// The points service: typed commands and queries over a Replica. Commands author ops (so they
// work offline and sync) after optimistic local checks; decide() is the sync host's job.
//
// How the host keeps balances and stock right (DESIGN: "a points balance never goes negative,
// stock is not over-redeemed"): decide() takes every ledger op that reached the host since its
// last run, sorts them by hlc (so that an op never comes before one it depends on) and checks
// each against the ledger as the host has accepted it so far, i.e. in host order. An op that
// fails there (a second decision, a second reversal, a limit reached, a debit the balance does
// not cover, a redemption of goods out of stock...) gets a verdict op rejecting it with the
// catalogued code; the fold then excludes it everywhere and its author reads why in problems().
// A redemption request that passes is confirmed by two host ops: ledger.confirm (its hold
// becomes a debit) and shop.stock_out. The fold checks nothing that depends on order, so the
// set of ops the host accepted folds without conflicts in hlc order, and its balance and stock
// are the host's non-negative totals. (This relies on hybrid clocks: an op sorts after the ops
// its author had seen. A hand-crafted op dated before an op it depends on can still become a
// conflict; it is then kept and shown like any conflict.)
#include <optional>
#include <string>
#include <vector>

#include "cunwu/points/types.hpp"
#include "cunwu/replica.hpp"

namespace cunwu::points {

/// An op of a ledger that did not take effect, as its author is shown it.
struct Problem {
  std::string op;    ///< op id "origin.counter"
  std::string type;  ///< e.g. "ledger.redeem"
  UserId actor;
  Error error;       ///< catalogued reason (insufficient_points, out_of_stock, already_reversed...)
  bool by_host = false;  ///< rejected by a host verdict (else a conflict found by the fold)
};

/// One line of an honour list (光荣榜).
struct HonourRow {
  int rank = 0;  ///< 1-based; households with equal points share a rank
  HouseholdId household;
  std::string name;  ///< e.g. "王秀英家"
  Points points;     ///< earned in the period (awards and approved applications minus deductions)
};

/// 荣誉称号 — a title of the period: the household(s) with the most points earned in the
/// title's category within the village (at least one point; ties share the title).
struct Title {
  std::string title;  ///< e.g. "最美清洁户"
  Category category = Category::environment;
  std::vector<HouseholdId> households;
  Points points;
};

/// The title a category earns ("最美清洁户" for environment, "好邻居" for mutual help...).
std::string_view title_zh(Category c);

/// 星级评定 — the indicators of a village's star rating for a period, each a share in [0, 1].
struct Indicators {
  std::optional<double> appeal_satisfaction;  ///< satisfied / rated appeals filed in the period; none if none rated
  double points_participation = 0;             ///< households with an award or approved application / households
  std::optional<double> disclosure_awareness;  ///< 知晓率 from the disclosure domain, passed in by the caller
};

/// Stars 1..5 from the indicators: score = weighted mean of the indicators present (appeal
/// satisfaction 0.4, points participation 0.3, disclosure awareness 0.3, weights of missing ones
/// spread over the others); 5 stars from 0.9, 4 from 0.75, 3 from 0.6, 2 from 0.4, else 1.
int star_rating(const Indicators& in);

/// 我的积分 — what a household's points screen shows (balance and available points are the
/// ledger's: Ledger::balance, Ledger::available).
struct Account {
  Ledger ledger;
  std::vector<Problem> problems;  ///< its ops that did not take effect, and why
};

/// A pending application with the household it is for (a reviewer's queue).
struct PendingApplication {
  HouseholdId household;
  std::string household_name;  ///< e.g. "王秀英家"
  RegionId courtyard;
  Application application;
};

/// A redemption request with the household it is for (the shopkeeper's queue).
struct RedemptionItem {
  HouseholdId household;
  std::string household_name;
  RegionId courtyard;
  Redemption redemption;
};

/// What one run of the host's decide job did.
struct DecideReport {
  int checked = 0;    ///< ledger ops checked in host order
  int rejected = 0;   ///< verdicts written
  int confirmed = 0;  ///< redemptions confirmed
};

/// Commands and queries. Every command returns the catalogued error of the rule it breaks and
/// has then written nothing.
class Service {
 public:
  explicit Service(Replica& replica) : r_(replica) {}

  /// Creates or replaces a rule of `village`'s catalogue (its version is the op id). Errors:
  /// unknown_region, invalid_id, invalid_amount, invalid_period, invalid_input, text errors,
  /// forbidden_role, out_of_scope.
  Status set_rule(const UserId& actor, const RegionId& village, const Rule& rule);
  /// Retires a rule (kept for history). Errors: unknown_rule, forbidden_role, out_of_scope.
  Status retire_rule(const UserId& actor, const RegionId& village, const std::string& rule_id);

  /// A villager applies for an award rule for their household; returns the application id.
  /// Errors: unknown_household, unknown_rule, evidence_required, rule_limit_reached,
  /// invalid_attachment, text errors, forbidden_role, out_of_scope.
  Result<std::string> apply(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                            const std::string& text, const std::vector<appeals::Attachment>& photos = {});
  /// A cadre (or the courtyard head) approves a pending application: an entry of the rule's
  /// amount. Errors: not_found, already_decided, rule_limit_reached, forbidden_role, out_of_scope.
  Status approve(const UserId& actor, const HouseholdId& household, const std::string& application);
  /// Rejects a pending application with a reason. Errors: not_found, already_decided, text errors.
  Status reject(const UserId& actor, const HouseholdId& household, const std::string& application,
                const std::string& reason);
  /// A cadre awards / deducts by a rule directly; returns the entry id. Errors: unknown_rule,
  /// rule_limit_reached, evidence_required, insufficient_points (deduction beyond the balance),
  /// forbidden_role, out_of_scope.
  Result<std::string> award(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                            const std::string& text = {});
  Result<std::string> deduct(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                             const std::string& text = {});
  /// Reverses an entry with a compensating one. Errors: not_found, already_reversed,
  /// insufficient_points (reversing a credit already spent), invalid_input, forbidden_role.
  Status reverse(const UserId& actor, const HouseholdId& household, const std::string& entry,
                 const std::string& reason);
  /// Requests one item from the village supermarket, holding its price; returns the request id.
  /// Errors: unknown_goods, out_of_stock, insufficient_points, forbidden_role, out_of_scope.
  Result<std::string> redeem(const UserId& actor, const HouseholdId& household, const std::string& goods);
  /// The shopkeeper hands a confirmed redemption over. Errors: not_found, not_confirmed,
  /// already_decided, forbidden_role, out_of_scope.
  Status fulfil(const UserId& actor, const HouseholdId& household, const std::string& request);

  /// The shopkeeper adds goods or changes their name and price. Errors: invalid_id,
  /// invalid_amount, text errors, unknown_region, forbidden_role, out_of_scope.
  Status set_goods(const UserId& actor, const RegionId& village, const std::string& goods, const std::string& name,
                   Points price);
  /// Adds stock. Errors: unknown_goods, invalid_amount, forbidden_role, out_of_scope.
  Status restock(const UserId& actor, const RegionId& village, const std::string& goods, std::int64_t quantity);

  /// The catalogue / supermarket of a village (empty when nothing was defined yet).
  Result<Rulebook> rulebook(const RegionId& village);
  Result<Shop> shop(const RegionId& village);
  /// The folded ledger (empty when nothing happened yet). Error unknown_household.
  Result<Ledger> ledger(const HouseholdId& household);
  /// Balance (sum of entries) and available points (minus pending holds), from the projection.
  Result<Points> balance(const HouseholdId& household);
  Result<Points> available(const HouseholdId& household);
  /// Conflicts and host rejections of the household's ledger ops, by op id.
  Result<std::vector<Problem>> problems(const HouseholdId& household);

  /// The household's ledger and problems together. Error
  /// unknown_household, storage_error.
  Result<Account> account(const HouseholdId& household);
  /// The applications waiting for a decision from households within `scope` (a village or a
  /// courtyard), oldest first: what a cadre or courtyard head reviews. Error storage_error.
  Result<std::vector<PendingApplication>> pending_applications(const RegionId& scope);
  /// Redemption requests of households within `scope` that stand at `status`, oldest first:
  /// the shopkeeper hands over the confirmed ones. Error storage_error.
  Result<std::vector<RedemptionItem>> redemptions(const RegionId& scope, RedemptionStatus status);

  /// Households of `scope` (a village or a courtyard) by points earned in `period`, top
  /// `limit`. Errors: unknown_region (not a village or courtyard), invalid_input (limit).
  Result<std::vector<HonourRow>> honour_list(const RegionId& scope, const Period& period, int limit = 10);
  /// The titles of a village for a period, one per category that someone earned points in.
  Result<std::vector<Title>> titles(const RegionId& village, const Period& period);
  /// The star-rating indicators of a village for a period; `awareness` comes from disclosure.
  /// Errors: unknown_region.
  Result<Indicators> indicators(const RegionId& village, const Period& period, std::optional<double> awareness);

  /// Host: checks, in host order, every ledger op received since the last run, rejecting with a
  /// verdict what fails and confirming redemptions that balance and stock cover. Error
  /// storage_error (then nothing of the run is written).
  Result<DecideReport> decide();

 private:
  Result<const org::Household*> household_of(const HouseholdId& household) const;
  Result<Rule> current_rule(const RegionId& village, const std::string& rule_id);
  Result<std::string> submit_ledger(const UserId& actor, const HouseholdId& household, const char* type,
                                    oplog::Json payload);
  Result<std::string> grant(const UserId& actor, const HouseholdId& household, const std::string& rule_id,
                            const std::string& text, Direction direction);

  Replica& r_;
};

/// Seeds a village's rule catalogue and supermarket from JSON shaped like shared/demo/points.json
/// ({"villages": [{"village", "cadre", "shopkeeper", "rules": [...], "goods": [...]}]}), as ops
/// authored by the named cadre and shopkeeper. Errors: invalid_json and the commands' errors.
Status seed_demo(Replica& replica, const oplog::Json& seed);

}  // namespace cunwu::points
