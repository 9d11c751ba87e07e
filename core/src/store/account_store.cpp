#include "cunwu/store/account_store.hpp"

namespace cunwu::store {
namespace {

Account read_account(const Stmt& s) { return Account{UserId(s.text(0)), s.text(1), s.text(2), s.int64(3)}; }

}  // namespace

Status add_account(Db& db, const Account& a) {
  CUNWU_ASSIGN(auto* exists, db.prepare("SELECT 1 FROM accounts WHERE phone=? OR user_id=?"));
  {
    const ResetOnReturn reset{exists};
    exists->bind(1, a.phone).bind(2, a.user.str());
    CUNWU_ASSIGN(const bool row, exists->step());
    if (row) return make_error(Errc::phone_taken, a.phone);
  }
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT INTO accounts(user_id, phone, password_hash, created) VALUES(?,?,?,?)"));
  st->bind(1, a.user.str()).bind(2, a.phone).bind(3, a.password_hash).bind(4, a.created);
  return st->run();
}

Status set_password(Db& db, const UserId& user, const std::string& hash) {
  CUNWU_ASSIGN(auto* st, db.prepare("UPDATE accounts SET password_hash=? WHERE user_id=?"));
  st->bind(1, hash).bind(2, user.str());
  CUNWU_TRY(st->run());
  if (db.changes() == 0) return make_error(Errc::not_found, user.str());
  return ok_status();
}

Result<std::optional<Account>> account_by_phone(Db& db, const std::string& phone) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT user_id, phone, password_hash, created FROM accounts WHERE phone=?"));
  const ResetOnReturn reset{st};
  st->bind(1, phone);
  CUNWU_ASSIGN(const bool row, st->step());
  if (!row) return std::optional<Account>();
  return std::optional<Account>(read_account(*st));
}

Result<std::optional<Account>> account_of(Db& db, const UserId& user) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT user_id, phone, password_hash, created FROM accounts WHERE user_id=?"));
  const ResetOnReturn reset{st};
  st->bind(1, user.str());
  CUNWU_ASSIGN(const bool row, st->step());
  if (!row) return std::optional<Account>();
  return std::optional<Account>(read_account(*st));
}

Status add_session(Db& db, const Session& s) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT INTO sessions(token_hash, user_id, created, expires) VALUES(?,?,?,?)"));
  st->bind(1, s.token_hash).bind(2, s.user.str()).bind(3, s.created).bind(4, s.expires);
  return st->run();
}

Result<std::optional<Session>> session_by_hash(Db& db, const std::string& token_hash) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT token_hash, user_id, created, expires FROM sessions WHERE token_hash=?"));
  const ResetOnReturn reset{st};
  st->bind(1, token_hash);
  CUNWU_ASSIGN(const bool row, st->step());
  if (!row) return std::optional<Session>();
  return std::optional<Session>(Session{st->text(0), UserId(st->text(1)), st->int64(2), st->int64(3)});
}

Status delete_session(Db& db, const std::string& token_hash) {
  CUNWU_ASSIGN(auto* st, db.prepare("DELETE FROM sessions WHERE token_hash=?"));
  st->bind(1, token_hash);
  return st->run();
}

Status delete_expired_sessions(Db& db, std::int64_t now) {
  CUNWU_ASSIGN(auto* st, db.prepare("DELETE FROM sessions WHERE expires<?"));
  st->bind(1, now);
  return st->run();
}

Status add_invite(Db& db, const Invite& i) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT INTO invites(code, courtyard, household, uses_left, expires, created_by) "
                                    "VALUES(?,?,?,?,?,?)"));
  st->bind(1, i.code).bind(2, i.courtyard.str()).bind(4, i.uses_left).bind(5, i.expires).bind(6, i.created_by.str());
  if (i.household) st->bind(3, i.household->str()); else st->bind_null(3);
  return st->run();
}

Result<std::optional<Invite>> invite(Db& db, const std::string& code) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT code, courtyard, household, uses_left, expires, created_by FROM invites "
                                    "WHERE code=?"));
  const ResetOnReturn reset{st};
  st->bind(1, code);
  CUNWU_ASSIGN(const bool row, st->step());
  if (!row) return std::optional<Invite>();
  Invite i{st->text(0), RegionId(st->text(1)), {}, st->int64(3), st->int64(4), UserId(st->text(5))};
  if (!st->is_null(2)) i.household = HouseholdId(st->text(2));
  return std::optional<Invite>(std::move(i));
}

Status use_invite(Db& db, const std::string& code, std::int64_t now) {
  CUNWU_ASSIGN(auto* st, db.prepare("UPDATE invites SET uses_left=uses_left-1 WHERE code=? AND uses_left>0 AND expires>=?"));
  st->bind(1, code).bind(2, now);
  CUNWU_TRY(st->run());
  if (db.changes() == 0) return make_error(Errc::invite_invalid, "invite used up, expired or unknown");
  return ok_status();
}

}  // namespace cunwu::store
