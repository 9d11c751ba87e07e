#include "cunwu/store/snapshot_store.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace cunwu::store {
namespace {

constexpr const char* kOpCopyColumns =
    "origin, counter, wall, logical, actor, type, entity, scope, visibility, payload";

// Runs `select` (keyed by the one parameter `key`) and inserts every row it returns with
// `insert`, binding its columns 1..n in order.
template <class Key>
Status copy_rows(Stmt* select, Stmt* insert, int columns, const Key& key) {
  select->reset().bind(1, key);
  for (;;) {
    CUNWU_ASSIGN(const bool row, select->step());
    if (!row) return ok_status();
    insert->reset();
    for (int c = 0; c < columns; ++c) insert->bind_column(c + 1, *select, c);
    CUNWU_TRY(insert->run());
  }
}

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
  CUNWU_ASSIGN(auto* select, from.prepare(std::string("SELECT ") + kOpCopyColumns + " FROM ops WHERE seq=?"));
  CUNWU_ASSIGN(auto* insert, to.prepare(std::string("INSERT OR IGNORE INTO ops(") + kOpCopyColumns +
                                        ") VALUES(?,?,?,?,?,?,?,?,?,?)"));
  for (const auto seq : seqs) CUNWU_TRY(copy_rows(select, insert, 10, seq));
  return ok_status();
}

Status copy_entities(Db& from, Db& to, std::span<const EntityId> ids) {
  struct Table {
    const char* select;
    const char* insert;
    int columns;
  };
  static constexpr Table kTables[] = {
      {"SELECT id, kind, scope, state, last_wall, last_logical, last_origin, last_counter FROM entities WHERE id=?",
       "INSERT OR REPLACE INTO entities(id, kind, scope, state, last_wall, last_logical, last_origin, last_counter) "
       "VALUES(?,?,?,?,?,?,?,?)",
       8},
      {"SELECT origin, counter, entity, actor, type, code, detail, wall FROM conflicts WHERE entity=?",
       "INSERT OR REPLACE INTO conflicts(origin, counter, entity, actor, type, code, detail, wall) VALUES(?,?,?,?,?,?,?,?)",
       8},
      {"SELECT origin, counter, entity, code, detail FROM rejections WHERE entity=?",
       "INSERT OR REPLACE INTO rejections(origin, counter, entity, code, detail) VALUES(?,?,?,?,?)", 5},
  };
  for (const auto& t : kTables) {
    CUNWU_ASSIGN(auto* select, from.prepare(t.select));
    CUNWU_ASSIGN(auto* insert, to.prepare(t.insert));
    for (const auto& id : ids) CUNWU_TRY(copy_rows(select, insert, t.columns, id.str()));
  }
  return ok_status();
}

}  // namespace cunwu::store
