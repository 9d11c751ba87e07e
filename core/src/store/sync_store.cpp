#include "cunwu/store/sync_store.hpp"

namespace cunwu::store {

Result<std::int64_t> get_meta_int(Db& db, const std::string& key, std::int64_t fallback) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT value FROM meta WHERE key=?"));
  st->bind(1, key);
  CUNWU_ASSIGN(const bool row, st->step());
  std::int64_t v = fallback;
  if (row) {
    const std::string text = st->text(0);
    try {
      v = std::stoll(text);
    } catch (const std::exception&) {
      st->reset();
      return make_error(Errc::storage_error, "meta " + key + " is not a number");
    }
  }
  st->reset();  // a statement left on a row would hold its read snapshot open
  return v;
}

Status put_meta_int(Db& db, const std::string& key, std::int64_t value) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"));
  st->bind(1, key).bind(2, std::to_string(value));
  return st->run();
}

Status add_participant(Db& db, const EntityId& entity, const UserId& user, std::int64_t since) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR IGNORE INTO participants(entity, user_id, since) VALUES(?, ?, ?)"));
  st->bind(1, entity.str()).bind(2, user.str()).bind(3, since);
  return st->run();
}

Result<std::vector<EntityId>> joined_after(Db& db, const UserId& user, std::int64_t after) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT entity FROM participants WHERE user_id=? AND since>? ORDER BY since"));
  st->bind(1, user.str()).bind(2, after);
  std::vector<EntityId> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.emplace_back(st->text(0));
  }
}

Result<std::vector<std::string>> entity_ids_of(Db& db, const UserId& user) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT entity FROM participants WHERE user_id=?"));
  st->bind(1, user.str());
  std::vector<std::string> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.emplace_back(st->view(0));
  }
}

Result<bool> is_participant(Db& db, const EntityId& entity, const UserId& user) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT 1 FROM participants WHERE entity=? AND user_id=?"));
  st->bind(1, entity.str()).bind(2, user.str());
  CUNWU_ASSIGN(const bool row, st->step());
  st->reset();
  return row;
}

}  // namespace cunwu::store
