#include "cunwu/store/db.hpp"

#include <sqlite3.h>

#include "store/fts_tokenizer.hpp"
#include "store/migrations.hpp"

namespace cunwu::store {

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(s_, index, value);
  return *this;
}

Stmt& Stmt::bind(int index, std::string_view value) {
  sqlite3_bind_text(s_, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::bind_null(int index) {
  sqlite3_bind_null(s_, index);
  return *this;
}

Result<bool> Stmt::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return make_error(Errc::storage_error, std::string("step: ") + sqlite3_errmsg(sqlite3_db_handle(s_)));
}

Status Stmt::run() {
  for (;;) {
    CUNWU_ASSIGN(const bool row, step());
    if (!row) return ok_status();
  }
}

std::int64_t Stmt::int64(int col) const { return sqlite3_column_int64(s_, col); }

double Stmt::real(int col) const { return sqlite3_column_double(s_, col); }

std::string Stmt::text(int col) const {
  const auto* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), std::size_t(sqlite3_column_bytes(s_, col))) : std::string();
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

Result<std::unique_ptr<Db>> Db::open(const std::string& path, OpenOptions options) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return make_error(Errc::storage_error, "open " + path + ": " + msg);
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, 5000);
  CUNWU_TRY(db->exec("PRAGMA foreign_keys = ON"));
  // Without this, the row deleted by INSERT OR REPLACE skips delete triggers, and a REPLACE
  // could rewrite an op in the append-only log.
  CUNWU_TRY(db->exec("PRAGMA recursive_triggers = ON"));
  if (options.wal && path != ":memory:") {
#ifndef __EMSCRIPTEN__
    CUNWU_TRY(db->exec("PRAGMA journal_mode = WAL"));
#endif
  }
  CUNWU_TRY(db->exec(options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  CUNWU_TRY(register_fts_tokenizers(raw));  // before migrations: tables name the tokenizer
  CUNWU_TRY(migrate(*db));
  return db;
}

Db::~Db() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close(db_);
}

Error Db::last_error(std::string_view what) const {
  return make_error(Errc::storage_error, std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status Db::exec(std::string_view sql) {
  const std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return last_error(s);
  return ok_status();
}

Result<Stmt*> Db::prepare(std::string_view sql) {
  const std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) return &it->second->reset();
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db_, key.c_str(), int(key.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
    return last_error("prepare " + key);
  }
  auto& slot = cache_[key];
  slot = std::make_unique<Stmt>(raw);
  return slot.get();
}

int Db::schema_version() {
  auto st = prepare("PRAGMA user_version");
  if (!st) return -1;
  auto row = (*st)->step();
  const int version = row && *row ? int((*st)->int64(0)) : -1;
  (*st)->reset();  // a statement left on a row would keep this connection's read snapshot open
  return version;
}

std::int64_t Db::changes() const { return sqlite3_changes64(db_); }

Transaction::Transaction(Db& db) : db_(db) {
  nested_ = db_.tx_depth_ > 0;
  if (nested_) {
    savepoint_ = "sp" + std::to_string(db_.tx_depth_);
    begin_ = db_.exec("SAVEPOINT " + savepoint_);
  } else {
    begin_ = db_.exec("BEGIN IMMEDIATE");
  }
  if (begin_) ++db_.tx_depth_;
}

Transaction::~Transaction() {
  if (!begin_ || done_) return;
  --db_.tx_depth_;
  if (nested_) {
    (void)db_.exec("ROLLBACK TO " + savepoint_);
    (void)db_.exec("RELEASE " + savepoint_);
  } else {
    (void)db_.exec("ROLLBACK");
  }
}

Status Transaction::commit() {
  if (!begin_) return begin_;
  CUNWU_TRY(db_.exec(nested_ ? "RELEASE " + savepoint_ : std::string("COMMIT")));
  done_ = true;
  --db_.tx_depth_;
  return ok_status();
}

}  // namespace cunwu::store
