#include "cunwu/store/db.hpp"

#include <algorithm>
#include <cstring>

#include <sqlite3.h>

#ifndef __EMSCRIPTEN__
#include <sys/mman.h>
#endif

#include "cunwu/base/hash64.hpp"

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

Stmt& Stmt::bind_column(int index, const Stmt& from, int col) {
  sqlite3_bind_value(s_, index, sqlite3_column_value(from.s_, col));
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

std::string_view Stmt::view(int col) const {
  const auto* p = sqlite3_column_text(s_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), std::size_t(sqlite3_column_bytes(s_, col))) : std::string_view();
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

bool reserve_page_cache(std::int64_t mib) {
#ifdef __EMSCRIPTEN__
  (void)mib;
  return false;
#else
  // A cache fills as its database grows, one page at a time. From malloc, each new page of the
  // host's cache grew its thread's arena by an mprotect call and a page fault: about 10% of the
  // batch thread's CPU under a 200-device load. The region is only reserved (MAP_NORESERVE): a
  // page of it costs memory once SQLite first uses it.
  int header = 0;
  if (mib <= 0 || sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &header) != SQLITE_OK) return false;
  constexpr std::int64_t kPagesPerMib = 1024 / 4;
  const auto slot = std::size_t(4096 + header);
  const auto slots = std::size_t(std::min<std::int64_t>(mib, std::int64_t(16) << 10) * kPagesPerMib);
  const std::size_t bytes = slot * slots;
  void* region = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region == MAP_FAILED) return false;
  if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, region, int(slot), int(slots)) != SQLITE_OK) {
    munmap(region, bytes);
    return false;
  }
  return true;  // kept for the process's life: SQLite may use it until the end
#endif
}

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
  // One plan per statement, whatever is bound to it. Otherwise a statement whose plan could
  // depend on a bound value (a LIMIT ?, a column of a partial index) is compiled again on its
  // first step after every new binding: cached statements would be parsed again and again.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_ENABLE_QPSG, 1, nullptr);
  CUNWU_TRY(db->exec("PRAGMA foreign_keys = ON"));
  // Without this, the row deleted by INSERT OR REPLACE skips delete triggers, and a REPLACE
  // could rewrite an op in the append-only log.
  CUNWU_TRY(db->exec("PRAGMA recursive_triggers = ON"));
  // Before the first read of the file: from then on SQLite keeps the WAL index in memory.
  if (options.exclusive) CUNWU_TRY(db->exec("PRAGMA locking_mode = EXCLUSIVE"));
  if (options.wal && path != ":memory:") {
#ifdef __EMSCRIPTEN__
    if (options.exclusive) CUNWU_TRY(db->exec("PRAGMA journal_mode = WAL"));
#else
    CUNWU_TRY(db->exec("PRAGMA journal_mode = WAL"));
#endif
  }
  CUNWU_TRY(db->exec(options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  if (options.cache_kib > 0) CUNWU_TRY(db->exec("PRAGMA cache_size = -" + std::to_string(options.cache_kib)));
  // Savepoints (a sync batch holds one per request and per op) journal the pages they change;
  // in a temporary file by default, which costs a write per page. They are small and short-lived.
  CUNWU_TRY(db->exec("PRAGMA temp_store = MEMORY"));
  CUNWU_TRY(register_fts_tokenizers(raw));  // before migrations: tables name the tokenizer
  CUNWU_TRY(migrate(*db));
  return db;
}

Db::~Db() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close(db_);
}

Result<std::pair<int, int>> Db::checkpoint() {
  int log = 0, copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  // Busy: another connection is checkpointing right now; this one's turn comes later.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return last_error("checkpoint");
  return std::pair{log, copied};
}

void Db::on_commit(std::function<void(int pages)> f, int backstop_pages) {
  on_commit_ = std::move(f);
  backstop_pages_ = backstop_pages;
  // Replaces SQLite's own hook, which checkpoints past 1000 pages (wal_autocheckpoint).
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3* db, const char*, int pages) {
        auto& me = *static_cast<Db*>(self);
        if (pages >= me.backstop_pages_) (void)sqlite3_wal_checkpoint(db, nullptr);
        me.on_commit_(pages);
        return SQLITE_OK;
      },
      this);
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
  if (auto it = cache_.find(sql); it != cache_.end()) return &it->second->reset();
  const std::string key(sql);
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

void Image::Free::operator()(unsigned char* p) const { sqlite3_free(p); }

Result<Image> Db::serialize() {
  sqlite3_int64 size = 0;
  Image out;
  out.bytes_.reset(sqlite3_serialize(db_, "main", &size, 0));
  if (!out.bytes_) return last_error("serialize");
  out.size_ = std::size_t(size);
  return out;
}

namespace {

// A private in-memory connection over a copy of `bytes`, freed with it.
struct ImageDb {
  sqlite3* db = nullptr;
  ~ImageDb() { sqlite3_close(db); }
  // The first column of the first row of `sql` as text, or the error.
  std::string text(const char* sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const auto* p = sqlite3_column_text(st, 0);
      if (p) out = reinterpret_cast<const char*>(p);
    } else {
      out = std::string("error: ") + sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
    return out;
  }
  // PRAGMA user_version, or -1 when it cannot be read.
  long long user_version() {
    sqlite3_stmt* st = nullptr;
    long long v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
  }
};

// Whether `bytes` can be a SQLite database file: its header's magic string, and a whole header.
bool is_database_file(std::string_view bytes) {
  return bytes.size() >= 512 && bytes.substr(0, 16) == std::string_view("SQLite format 3\0", 16);
}

// Big-endian integers of the database header (https://sqlite.org/fileformat2.html).
std::uint32_t header_u32(std::string_view bytes, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + at;
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

Status check_version(long long version) {
  const int latest = latest_schema_version();
  if (version != latest) {
    return make_error(version > latest ? Errc::schema_too_new : Errc::protocol_mismatch,
                      "snapshot schema " + std::to_string(version) + ", this device's " + std::to_string(latest));
  }
  return ok_status();
}

// With the host's checksum: the bytes are exactly the ones the host sent, which passed
// quick_check there (sync::Host::snapshot checks every image it builds), so the device checks
// the checksum and the header instead of walking every page again.
Status check_sent_image(std::string_view bytes, std::string_view digest) {
  if (xxh64_digest(bytes) != digest) {
    return make_error(Errc::invalid_input, "the snapshot is damaged: its checksum is not " + std::string(digest));
  }
  // The header must describe the whole image: its page size times its page count (valid when
  // the version-valid-for number equals the change counter, as in every serialized image).
  const std::uint32_t raw_page = (std::uint32_t(std::uint8_t(bytes[16])) << 8) | std::uint8_t(bytes[17]);
  const std::uint64_t page_size = raw_page == 1 ? 65536 : raw_page;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0 || header_u32(bytes, 92) != header_u32(bytes, 24) ||
      page_size * header_u32(bytes, 28) != bytes.size()) {
    return make_error(Errc::invalid_input, "the snapshot's header does not describe it");
  }
  return check_version(header_u32(bytes, 60));  // user_version
}

// The image `bytes` opened read-only in memory, after the checks every snapshot must pass: a
// database file, undamaged, of this code's schema version. Undamaged: its checksum is `digest`
// when the host sent one (check_sent_image), else quick_check.
Status open_image(std::string_view bytes, std::string_view digest, ImageDb& image) {
  if (!is_database_file(bytes)) return make_error(Errc::invalid_input, "the snapshot is not a database file");
  if (!digest.empty()) CUNWU_TRY(check_sent_image(bytes, digest));
  if (sqlite3_open_v2(":memory:", &image.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    return make_error(Errc::storage_error, "open an in-memory database");
  }
  // The caller's bytes as they are, not a copy (a new device's image is megabytes, and on a phone
  // every megabyte touched costs): READONLY, so SQLite never writes to them, and without
  // FREEONCLOSE it never frees them; `image` is closed before they go.
  auto* data = reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data()));
  if (sqlite3_deserialize(image.db, "main", data, sqlite3_int64(bytes.size()), sqlite3_int64(bytes.size()),
                          SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
    return make_error(Errc::invalid_input, std::string("snapshot: ") + sqlite3_errmsg(image.db));
  }
  if (!digest.empty()) return ok_status();  // checked above
  // The check visits each page once: a small page cache is enough, instead of a copy of the
  // first 2 MB of the image.
  // (It reads the schema: an image too damaged for that fails here already.)
  if (sqlite3_exec(image.db, "PRAGMA cache_size = 64", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return make_error(Errc::invalid_input, std::string("the snapshot is damaged: ") + sqlite3_errmsg(image.db));
  }
  if (const auto check = image.text("PRAGMA quick_check"); check != "ok") {
    return make_error(Errc::invalid_input, "the snapshot is damaged: " + check);
  }
  return check_version(image.user_version());
}

// One file of the default VFS (the browser's VFS in the web build), closed with it.
struct VfsFile {
  sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
  std::unique_ptr<char[]> mem;
  sqlite3_file* f = nullptr;
  ~VfsFile() {
    if (f && f->pMethods) f->pMethods->xClose(f);
  }
  // Opens `path`, creating it when `create`. A failed open leaves nothing to close.
  int open(const std::string& path, bool create) {
    if (!vfs) return SQLITE_ERROR;
    if (f && f->pMethods) f->pMethods->xClose(f);
    mem = std::make_unique<char[]>(std::size_t(vfs->szOsFile));
    std::memset(mem.get(), 0, std::size_t(vfs->szOsFile));
    f = reinterpret_cast<sqlite3_file*>(mem.get());
    int out = 0;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_MAIN_DB | (create ? SQLITE_OPEN_CREATE : 0);
    return vfs->xOpen(vfs, path.c_str(), f, flags, &out);
  }
};

}  // namespace

Status Db::check_image(std::string_view bytes, std::string_view digest) {
  if (!digest.empty() && is_database_file(bytes)) return check_sent_image(bytes, digest);  // nothing to open
  ImageDb image;
  return open_image(bytes, digest, image);
}

Result<bool> Db::write_new_file(const std::string& path, std::string_view bytes, std::string_view digest) {
  const auto fail = [&](const char* what) { return make_error(Errc::storage_error, std::string(what) + " " + path); };
  VfsFile file;
  const bool exists = file.open(path, false) == SQLITE_OK;
  if (exists) {
    sqlite3_int64 size = 0;
    if (file.f->pMethods->xFileSize(file.f, &size) != SQLITE_OK) return fail("size of");
    if (size > 0) return false;
  }
  // Checked before the file is created: a refused image leaves no file behind.
  CUNWU_TRY(check_image(bytes, digest));
  if (!exists && file.open(path, true) != SQLITE_OK) return fail("open");
  // Leftovers of an earlier attempt would be taken for a hot journal of the new file.
  for (const char* suffix : {"-journal", "-wal"}) (void)file.vfs->xDelete(file.vfs, (path + suffix).c_str(), 0);
  // In pieces: the unix VFS writes at most 128 KiB per call (less when the size is not a multiple).
  constexpr std::size_t kPiece = 64 * 1024;
  for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
    const auto n = int(std::min(kPiece, bytes.size() - at));
    if (file.f->pMethods->xWrite(file.f, bytes.data() + at, n, sqlite3_int64(at)) != SQLITE_OK) return fail("write");
  }
  if (file.f->pMethods->xSync(file.f, SQLITE_SYNC_FULL) != SQLITE_OK) return fail("sync");
  return true;
}

Status Db::restore(std::string_view bytes, std::string_view digest) {
  ImageDb image;
  CUNWU_TRY(open_image(bytes, digest, image));
  cache_.clear();  // statements compiled against the old schema
  sqlite3_backup* backup = sqlite3_backup_init(db_, "main", image.db, "main");
  if (!backup) return last_error("restore the snapshot");
  const int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return last_error("restore the snapshot");
  return ok_status();
}

std::int64_t Db::changes() const { return sqlite3_changes64(db_); }

namespace {

// Transaction control through cached statements: a sync batch opens and releases a savepoint
// per request, and parsing each anew cost more than running it.
Status run_cached(Db& db, std::string_view sql) {
  CUNWU_ASSIGN(auto* st, db.prepare(sql));
  return st->run();
}

}  // namespace

Transaction::Transaction(Db& db, Mode mode) : db_(db) {
  nested_ = db_.tx_depth_ > 0;
  if (nested_ && db_.join_depth_ > 0) {
    joined_ = true;  // begin_ stays ok; nothing to begin, release or roll back
    return;
  }
  if (nested_) {
    savepoint_ = "sp" + std::to_string(db_.tx_depth_);
    begin_ = run_cached(db_, "SAVEPOINT " + savepoint_);
  } else {
    begin_ = run_cached(db_, mode == Mode::write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  }
  if (begin_) ++db_.tx_depth_;
}

Transaction::~Transaction() {
  if (!begin_ || done_ || joined_) return;
  --db_.tx_depth_;
  if (nested_) {
    (void)run_cached(db_, "ROLLBACK TO " + savepoint_);
    (void)run_cached(db_, "RELEASE " + savepoint_);
  } else {
    (void)run_cached(db_, "ROLLBACK");
  }
}

Status Transaction::commit() {
  if (!begin_) return begin_;
  if (joined_) {
    done_ = true;
    return ok_status();
  }
  CUNWU_TRY(run_cached(db_, nested_ ? "RELEASE " + savepoint_ : std::string("COMMIT")));
  done_ = true;
  --db_.tx_depth_;
  return ok_status();
}

}  // namespace cunwu::store
