#include "cunwu/store/refusal_store.hpp"

#include <algorithm>

namespace cunwu::store {

Result<std::vector<RefusalRow>> refusals(Db& db, const UserId& actor, const std::optional<EntityId>& entity) {
  // Rejections carry no actor: the op (kept in the log with its verdict) has it. The entity
  // filter is "?2 = '' OR entity = ?2", so that one cached statement serves both uses.
  CUNWU_ASSIGN(
      auto* st,
      db.prepare("SELECT o.origin, o.counter, o.type, o.entity, r.code, r.detail, 1, o.wall FROM rejections r "
                 "JOIN ops o ON o.origin = r.origin AND o.counter = r.counter "
                 "WHERE o.actor = ?1 AND (?2 = '' OR r.entity = ?2) "
                 "UNION ALL "
                 "SELECT c.origin, c.counter, c.type, c.entity, c.code, c.detail, 0, c.wall FROM conflicts c "
                 "WHERE c.actor = ?1 AND (?2 = '' OR c.entity = ?2) "
                 "AND NOT EXISTS (SELECT 1 FROM rejections r WHERE r.origin = c.origin AND r.counter = c.counter)"));
  st->bind(1, actor.str()).bind(2, entity ? entity->str() : std::string());
  std::vector<RefusalRow> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) break;
    out.push_back(RefusalRow{oplog::OpId{ReplicaId(st->text(0)), std::uint64_t(st->int64(1))}, st->text(2),
                             EntityId(st->text(3)), Error{errc_from_name(st->text(4)), st->text(5)}, st->int64(6) != 0,
                             st->int64(7)});
  }
  std::sort(out.begin(), out.end(), [](const RefusalRow& a, const RefusalRow& b) {
    if (a.wall != b.wall) return a.wall > b.wall;
    return b.op < a.op;
  });
  return out;
}

}  // namespace cunwu::store
