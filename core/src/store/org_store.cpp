#include "cunwu/store/org_store.hpp"

namespace cunwu::store {
namespace {

Status save_regions(Db& db, const org::Directory& dir) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR REPLACE INTO regions(id, parent, level, name) VALUES(?,?,?,?)"));
  for (const auto& [id, r] : dir.regions()) {
    st->reset().bind(1, id.str()).bind(3, std::int64_t(r.level)).bind(4, r.name);
    if (r.parent) st->bind(2, r.parent->str()); else st->bind_null(2);
    CUNWU_TRY(st->run());
  }
  return ok_status();
}

Status save_people(Db& db, const org::Directory& dir) {
  CUNWU_ASSIGN(auto* hs, db.prepare("INSERT OR REPLACE INTO households(id, region, name) VALUES(?,?,?)"));
  for (const auto& [id, h] : dir.households()) {
    hs->reset().bind(1, id.str()).bind(2, h.courtyard.str()).bind(3, h.name);
    CUNWU_TRY(hs->run());
  }
  for (const auto& [id, u] : dir.users()) CUNWU_TRY(put_person(db, u, dir.grants(id)));
  return ok_status();
}

Status save_departments(Db& db, const org::Directory& dir) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT INTO departments(id, region, name) VALUES(?,?,?)"));
  for (const auto& [id, d] : dir.departments()) {
    st->reset().bind(1, id).bind(2, d.region.str()).bind(3, d.name);
    CUNWU_TRY(st->run());
  }
  return ok_status();
}

Status load_departments(Db& db, org::Directory& dir) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT id, region, name FROM departments ORDER BY id"));
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) break;
    CUNWU_TRY(dir.add_department(org::Department{st->text(0), RegionId(st->text(1)), st->text(2)}));
  }
  return ok_status();
}

}  // namespace

Status put_person(Db& db, const org::User& user, const std::vector<org::Grant>& grants) {
  CUNWU_ASSIGN(auto* us, db.prepare("INSERT OR REPLACE INTO users(id, name, region, household) VALUES(?,?,?,?)"));
  us->bind(1, user.id.str()).bind(2, user.name);
  if (user.home) us->bind(3, user.home->str()); else us->bind_null(3);
  if (user.household) us->bind(4, user.household->str()); else us->bind_null(4);
  CUNWU_TRY(us->run());
  CUNWU_ASSIGN(auto* gs, db.prepare("INSERT OR IGNORE INTO grants(user_id, role, region) VALUES(?,?,?)"));
  for (const auto& g : grants) {
    gs->reset().bind(1, user.id.str()).bind(2, org::role_name(g.role)).bind(3, g.region.str());
    CUNWU_TRY(gs->run());
  }
  return ok_status();
}

Status save_directory(Db& db, const org::Directory& dir) {
  Transaction tx(db);
  CUNWU_TRY(tx.status());
  // Replace, not merge: a grant, user or region left out of `dir` was revoked or removed and
  // must not come back when the directory is loaded again. Children first (foreign keys).
  CUNWU_TRY(db.exec(
      "DELETE FROM departments; DELETE FROM grants; DELETE FROM users; DELETE FROM households; DELETE FROM regions;"));
  CUNWU_TRY(save_regions(db, dir));
  CUNWU_TRY(save_people(db, dir));
  CUNWU_TRY(save_departments(db, dir));
  return tx.commit();
}

Result<org::Directory> load_directory(Db& db) {
  org::Directory dir;
  // Parents sort before children because a child's id extends its parent's.
  CUNWU_ASSIGN(auto* rs, db.prepare("SELECT id, parent, level, name FROM regions ORDER BY level, id"));
  for (;;) {
    CUNWU_ASSIGN(const bool row, rs->step());
    if (!row) break;
    std::optional<RegionId> parent;
    if (!rs->is_null(1)) parent = RegionId(rs->text(1));
    CUNWU_TRY(dir.add_region(org::Region{RegionId(rs->text(0)), parent, org::RegionLevel(rs->int64(2)), rs->text(3)}));
  }
  CUNWU_ASSIGN(auto* hs, db.prepare("SELECT id, region, name FROM households ORDER BY id"));
  for (;;) {
    CUNWU_ASSIGN(const bool row, hs->step());
    if (!row) break;
    CUNWU_TRY(dir.add_household(org::Household{HouseholdId(hs->text(0)), RegionId(hs->text(1)), hs->text(2)}));
  }
  CUNWU_ASSIGN(auto* us, db.prepare("SELECT id, name, region, household FROM users ORDER BY id"));
  for (;;) {
    CUNWU_ASSIGN(const bool row, us->step());
    if (!row) break;
    org::User u{UserId(us->text(0)), us->text(1), std::nullopt, std::nullopt};
    if (!us->is_null(2)) u.home = RegionId(us->text(2));
    if (!us->is_null(3)) u.household = HouseholdId(us->text(3));
    CUNWU_TRY(dir.add_user(std::move(u)));
  }
  CUNWU_ASSIGN(auto* gs, db.prepare("SELECT user_id, role, region FROM grants ORDER BY user_id, role, region"));
  for (;;) {
    CUNWU_ASSIGN(const bool row, gs->step());
    if (!row) break;
    CUNWU_ASSIGN(const auto role, org::role_from_name(gs->text(1)));
    CUNWU_TRY(dir.grant(UserId(gs->text(0)), role, RegionId(gs->text(2))));
  }
  CUNWU_TRY(load_departments(db, dir));
  return dir;
}

Status put_setting(Db& db, const RegionId& region, const std::string& key, const std::string& value) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT OR REPLACE INTO settings(region, key, value) VALUES(?,?,?)"));
  st->bind(1, region.str()).bind(2, key).bind(3, value);
  return st->run();
}

Result<std::optional<std::string>> get_setting(Db& db, const RegionId& region, const std::string& key) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT value FROM settings WHERE region=? AND key=?"));
  st->bind(1, region.str()).bind(2, key);
  CUNWU_ASSIGN(const bool row, st->step());
  std::optional<std::string> value;
  if (row) value = st->text(0);
  st->reset();  // a statement left on a row would keep this connection's read snapshot open
  return value;
}

}  // namespace cunwu::store
