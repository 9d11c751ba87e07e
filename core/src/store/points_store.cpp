#include "cunwu/store/points_store.hpp"

namespace cunwu::store {

Status replace_points_lines(Db& db, const HouseholdId& household, const RegionId& village, const RegionId& courtyard,
                            const std::vector<PointsLine>& lines) {
  CUNWU_ASSIGN(auto* del, db.prepare("DELETE FROM points_lines WHERE household=?"));
  del->bind(1, household.str());
  CUNWU_TRY(del->run());
  CUNWU_ASSIGN(auto* ins, db.prepare("INSERT INTO points_lines(household, entry, village, courtyard, kind, category, "
                                     "rule, delta, earning, pending, month, at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
  for (const auto& l : lines) {
    ins->reset().bind(1, household.str()).bind(2, l.entry).bind(3, village.str()).bind(4, courtyard.str())
        .bind(5, l.kind).bind(6, l.category).bind(7, l.rule).bind(8, l.delta).bind(9, std::int64_t(l.earning))
        .bind(10, std::int64_t(l.pending)).bind(11, l.month).bind(12, l.at);
    CUNWU_TRY(ins->run());
  }
  return ok_status();
}

Result<PointsTotals> points_totals(Db& db, const HouseholdId& household) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT COALESCE(SUM(CASE WHEN pending=0 THEN delta ELSE 0 END), 0), "
                                    "COALESCE(SUM(delta), 0) FROM points_lines WHERE household=?"));
  st->bind(1, household.str());
  CUNWU_TRY(st->step());
  const PointsTotals totals{st->int64(0), st->int64(1)};
  st->reset();  // a statement left on a row would keep this connection's read snapshot open
  return totals;
}

Result<std::vector<EarnedRow>> points_earned(Db& db, const RegionId& region, bool region_is_courtyard,
                                             const std::string& first_month, const std::string& last_month,
                                             const std::optional<std::string>& category, std::int64_t limit) {
  // The column names come from this fixed set, never from input.
  std::string sql = "SELECT household, SUM(delta) AS pts FROM points_lines WHERE ";
  sql += region_is_courtyard ? "courtyard=?1" : "village=?1";
  sql += " AND month BETWEEN ?2 AND ?3 AND earning=1";
  if (category) sql += " AND category=?4";
  sql += " GROUP BY household HAVING pts > 0 ORDER BY pts DESC, household LIMIT ?5";
  CUNWU_ASSIGN(auto* st, db.prepare(sql));
  st->bind(1, region.str()).bind(2, first_month).bind(3, last_month).bind(5, limit);
  if (category) st->bind(4, *category);
  std::vector<EarnedRow> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.push_back(EarnedRow{HouseholdId(st->text(0)), st->int64(1)});
  }
}

Result<std::int64_t> points_participants(Db& db, const RegionId& village, const std::string& first_month,
                                         const std::string& last_month) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT COUNT(DISTINCT household) FROM points_lines WHERE village=? AND month "
                                    "BETWEEN ? AND ? AND earning=1 AND delta>0 AND kind IN ('award','application')"));
  st->bind(1, village.str()).bind(2, first_month).bind(3, last_month);
  CUNWU_TRY(st->step());
  const auto n = st->int64(0);
  st->reset();
  return n;
}

Result<std::int64_t> last_op_seq(Db& db) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT COALESCE(MAX(seq), 0) FROM ops"));
  CUNWU_TRY(st->step());
  const auto n = st->int64(0);
  st->reset();
  return n;
}

}  // namespace cunwu::store
