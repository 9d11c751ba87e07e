#pragma once
// SQL for the points projection: one row per ledger line (and per pending redemption hold),
// written by the ledger domain's Domain::project, so that a balance is a SUM over an index and
// an honour list a GROUP BY over an index.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cunwu/base/ids.hpp"
#include "cunwu/store/db.hpp"

namespace cunwu::store {

/// One row of points_lines.
struct PointsLine {
  std::string entry;     ///< entry id (op id), or the request id of a hold
  std::string kind;      ///< award, application, deduction, redemption, reversal, hold
  std::string category;  ///< points::Category name
  std::string rule;      ///< rule id (goods id for redemptions and holds)
  std::int64_t delta = 0;  ///< signed points
  bool earning = false;    ///< counts toward honour lists (everything but spending)
  bool pending = false;    ///< a hold of a pending redemption, not yet a debit
  std::string month;       ///< "YYYY-MM" in China of the entry's time
  std::int64_t at = 0;     ///< ms since epoch
};

/// Replaces every line of `household` (village and courtyard are stored for the indexes).
/// Error storage_error.
Status replace_points_lines(Db& db, const HouseholdId& household, const RegionId& village, const RegionId& courtyard,
                            const std::vector<PointsLine>& lines);

/// Sum of a household's lines without holds (the balance) and with them (what is available).
struct PointsTotals {
  std::int64_t balance = 0;
  std::int64_t available = 0;
};
Result<PointsTotals> points_totals(Db& db, const HouseholdId& household);

/// Points earned per household within `region` (a village or a courtyard) in the months
/// [first_month, last_month], optionally in one category; only households with a positive sum,
/// highest first (ties by household id), at most `limit`. Error storage_error.
struct EarnedRow {
  HouseholdId household;
  std::int64_t points = 0;
};
Result<std::vector<EarnedRow>> points_earned(Db& db, const RegionId& region, bool region_is_courtyard,
                                             const std::string& first_month, const std::string& last_month,
                                             const std::optional<std::string>& category, std::int64_t limit);

/// Households of `village` with at least one credit earned in [first_month, last_month].
Result<std::int64_t> points_participants(Db& db, const RegionId& village, const std::string& first_month,
                                         const std::string& last_month);

/// The highest local arrival sequence in the op log (0 when empty).
Result<std::int64_t> last_op_seq(Db& db);

}  // namespace cunwu::store
