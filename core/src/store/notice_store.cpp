#include "cunwu/store/notice_store.hpp"

namespace cunwu::store {

Result<std::optional<NoticeMarks>> notice_marks(Db& db, const UserId& user) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT scanned, read FROM notice_marks WHERE user_id=?"));
  st->bind(1, user.str());
  CUNWU_ASSIGN(const bool row, st->step());
  std::optional<NoticeMarks> marks;
  if (row) marks = NoticeMarks{st->int64(0), st->int64(1)};
  st->reset();  // a statement left on a row would keep this connection's read snapshot open
  return marks;
}

Status put_notice_marks(Db& db, const UserId& user, const NoticeMarks& marks) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR REPLACE INTO notice_marks(user_id, scanned, read) VALUES(?,?,?)"));
  st->bind(1, user.str()).bind(2, marks.scanned).bind(3, marks.read);
  return st->run();
}

Status put_notice(Db& db, const UserId& user, const NoticeRow& row) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR IGNORE INTO notices(user_id, seq, kind, entity, actor, at, data) "
                                    "VALUES(?,?,?,?,?,?,?)"));
  st->bind(1, user.str()).bind(2, row.seq).bind(3, row.kind).bind(4, row.entity.str()).bind(5, row.actor.str())
      .bind(6, row.at).bind(7, row.data);
  return st->run();
}

Result<std::vector<NoticeRow>> notices(Db& db, const UserId& user, std::int64_t limit) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT seq, kind, entity, actor, at, data FROM notices WHERE user_id=? "
                                    "ORDER BY seq DESC LIMIT ?"));
  st->bind(1, user.str()).bind(2, limit);
  std::vector<NoticeRow> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.push_back(NoticeRow{st->int64(0), st->text(1), EntityId(st->text(2)), UserId(st->text(3)), st->int64(4), st->text(5)});
  }
}

Result<std::int64_t> notice_count_after(Db& db, const UserId& user, std::int64_t after_seq) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT COUNT(*) FROM notices WHERE user_id=? AND seq>?"));
  st->bind(1, user.str()).bind(2, after_seq);
  CUNWU_TRY(st->step());
  const auto n = st->int64(0);
  st->reset();
  return n;
}

}  // namespace cunwu::store
