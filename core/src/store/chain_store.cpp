#include "cunwu/store/chain_store.hpp"

namespace cunwu::store {

Result<std::optional<ChainLink>> last_link(Db& db) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1"));
  CUNWU_ASSIGN(const bool row, st->step());
  std::optional<ChainLink> out;
  if (row) out = ChainLink{st->int64(0), st->text(1)};
  st->reset();
  return out;
}

Status put_link(Db& db, const ChainLink& link) {
  CUNWU_ASSIGN(auto* st, db.prepare("INSERT INTO chain(seq, hash) VALUES(?, ?)"));
  st->bind(1, link.seq).bind(2, link.hash);
  return st->run();
}

Result<std::vector<ChainLink>> links_after(Db& db, std::int64_t after, std::size_t limit) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT seq, hash FROM chain WHERE seq>? ORDER BY seq LIMIT ?"));
  st->bind(1, after).bind(2, std::int64_t(limit));
  std::vector<ChainLink> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.push_back({st->int64(0), st->text(1)});
  }
}

Status put_checkpoint(Db& db, const Checkpoint& c) {
  CUNWU_ASSIGN(auto* st, db.prepare(
      "INSERT INTO checkpoints(seq, hash, at, public_key, signature) VALUES(?, ?, ?, ?, ?)"));
  st->bind(1, c.seq).bind(2, c.hash).bind(3, c.at).bind(4, c.public_key).bind(5, c.signature);
  return st->run();
}

Result<std::vector<Checkpoint>> checkpoints(Db& db) {
  CUNWU_ASSIGN(auto* st, db.prepare("SELECT seq, hash, at, public_key, signature FROM checkpoints ORDER BY seq"));
  std::vector<Checkpoint> out;
  for (;;) {
    CUNWU_ASSIGN(const bool row, st->step());
    if (!row) return out;
    out.push_back({st->int64(0), st->text(1), st->int64(2), st->text(3), st->text(4)});
  }
}

}  // namespace cunwu::store
