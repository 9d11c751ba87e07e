#include "cunwu/store/snapshot_store.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

namespace cunwu::store {
namespace {

constexpr std::size_t kRebuildIndexesFrom = 2000;
constexpr const char* kOpCopyColumns =
    "origin, counter, wall, logical, actor, type, entity, scope, visibility, payload";

}  // namespace

Result<std::vector<OpHead>> op_heads(Db& db, std::int64_t after, std::int64_t upto, std::size_t limit) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT seq, entity, scope, visibility, origin FROM ops WHERE seq > ? AND seq <= ? "
                                    "ORDER BY seq LIMIT ?"));
  const std::uint64_t wide = limit;  // size_t is 32 bits in WebAssembly
  st->bind(1, after).bind(2, upto).bind(3, std::int64_t(std::min<std::uint64_t>(wide, INT64_MAX)));
  std::vector<OpHead> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.push_back(OpHead{st->int64(0), EntityId(st->text(1)), RegionId(st->text(2)),
                         oplog::Visibility(st->int64(3)), ReplicaId(st->text(4))});
  }
}

Result<std::map<EntityId, std::int64_t>> entities_of(Db& db, const UserId& user) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT entity, since FROM participants WHERE user_id=?"));
  st->bind(1, user.str());
  std::map<EntityId, std::int64_t> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.emplace(EntityId(st->text(0)), st->int64(1));
  }
}

Status copy_ops(Db& from, Db& to, std::span<const std::int64_t> seqs) {
  if (seqs.empty()) return ok_status();
  // One scan over the range rather than a lookup per op: most of a scope's ops are wanted, and
  // a scan skips the per-row statement reset.
  CUNWU_ASSIGN(auto* select, from.prepare(std::string("SELECT seq, ") + kOpCopyColumns +
                                          " FROM ops WHERE seq >= ? AND seq <= ? ORDER BY seq"));
  CUNWU_ASSIGN(auto* insert, to.prepare(std::string("INSERT OR IGNORE INTO ops(") + kOpCopyColumns +
                                        ") VALUES(?,?,?,?,?,?,?,?,?,?)"));
  select->bind(1, seqs.front()).bind(2, seqs.back());
  // Many ops: the secondary indexes are dropped and built again afterwards, from a sort of the
  // whole table, which is faster than updating them row by row in entity order.
  std::vector<std::string> rebuild;
  if (seqs.size() >= kRebuildIndexesFrom) {
    CUNWU_ASSIGN(auto* indexes, to.prepare("SELECT name, sql FROM sqlite_schema WHERE type='index' AND tbl_name='ops' AND sql IS NOT NULL"));
    std::vector<std::string> names;
    for (;;) {
      CUNWU_ASSIGN(const bool row, indexes->step());
      if (!row) break;
      names.push_back(indexes->text(0));
      rebuild.push_back(indexes->text(1));
    }
    indexes->reset();
    for (const auto& name : names) CUNWU_TRY(to.exec("DROP INDEX \"" + name + "\""));
  }
  std::size_t next = 0;
  while (next < seqs.size()) {
    CUNWU_ASSIGN(const bool row, select->step());
    if (!row) break;
    if (select->int64(0) != seqs[next]) continue;
    ++next;
    insert->reset();
    for (int c = 0; c < 10; ++c) insert->bind_column(c + 1, *select, c + 1);
    CUNWU_TRY(insert->run());
  }
  select->reset();
  for (const auto& sql : rebuild) CUNWU_TRY(to.exec(sql));
  return ok_status();
}

Status copy_entities(Db& from, Db& to, std::span<const EntityId> ids) {
  struct Table {
    const char* select;  // first column: the entity id
    const char* insert;
    int columns;
  };
  static constexpr Table kTables[] = {
      {"SELECT id, kind, scope, state, last_wall, last_logical, last_origin, last_counter FROM entities",
       "INSERT OR REPLACE INTO entities(id, kind, scope, state, last_wall, last_logical, last_origin, last_counter) "
       "VALUES(?,?,?,?,?,?,?,?)",
       8},
      {"SELECT entity, origin, counter, actor, type, code, detail, wall FROM conflicts",
       "INSERT OR REPLACE INTO conflicts(entity, origin, counter, actor, type, code, detail, wall) VALUES(?,?,?,?,?,?,?,?)",
       8},
      {"SELECT entity, origin, counter, code, detail FROM rejections",
       "INSERT OR REPLACE INTO rejections(entity, origin, counter, code, detail) VALUES(?,?,?,?,?)", 5},
  };
  std::unordered_set<std::string> wanted;
  for (const auto& id : ids) wanted.insert(id.str());
  // Whole-table scans, filtered here: one statement each instead of one lookup per entity.
  for (const auto& t : kTables) {
    CUNWU_ASSIGN(auto* select, from.prepare(t.select));
    CUNWU_ASSIGN(auto* insert, to.prepare(t.insert));
    for (;;) {
      CUNWU_ASSIGN(const bool row, select->step());
      if (!row) break;
      if (!wanted.contains(select->text(0))) continue;
      insert->reset();
      for (int c = 0; c < t.columns; ++c) insert->bind_column(c + 1, *select, c);
      CUNWU_TRY(insert->run());
    }
  }
  return ok_status();
}

}  // namespace cunwu::store
