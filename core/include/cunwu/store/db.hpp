#pragma once
// The SQLite wrapper: the only door to sqlite3 (its header is included in core/src/store only).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "cunwu/base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace cunwu::store {

/// A database file image made by Db::serialize: the bytes as SQLite allocated them, not copied
/// again (a snapshot is megabytes, and each fresh megabyte a copy touches costs page faults).
/// Move-only; reads as a string_view.
class Image {
 public:
  Image() = default;
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes_.get()), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: an image is read as bytes
  std::size_t size() const { return size_; }

 private:
  friend class Db;
  struct Free {
    void operator()(unsigned char* p) const;
  };
  std::unique_ptr<unsigned char, Free> bytes_;
  std::size_t size_ = 0;
};

/// A prepared statement owned by Db's cache. Bind, step, read columns; reset happens on bind(1,...)
/// via `reset()`. Indices of bind are 1-based, of columns 0-based (as in SQLite).
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  /// Resets the statement and clears its bindings; returns *this for chaining binds.
  Stmt& reset();
  Stmt& bind(int index, std::int64_t value);
  Stmt& bind(int index, std::string_view value);
  Stmt& bind_null(int index);
  /// Binds column `col` of the current row of `from` (any type, copied as it is).
  Stmt& bind_column(int index, const Stmt& from, int col);
  /// Steps once: true when a row is available, false when done, an error on failure.
  Result<bool> step();
  /// Steps to completion (for statements that return no rows).
  Status run();

  std::int64_t int64(int col) const;
  std::string text(int col) const;
  /// Column `col` of the current row as text, without a copy: valid until the statement steps,
  /// resets or reads the column as another type.
  std::string_view view(int col) const;
  double real(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3_stmt* s_;
};

/// Resets `st` when it goes out of scope. A statement left on a row keeps its read transaction
/// open, and the connection would not see later commits by other connections; single-row
/// reads hold one of these so that every return path resets.
struct ResetOnReturn {
  Stmt* st;
  ~ResetOnReturn() { st->reset(); }
};

/// Options for Db::open.
struct OpenOptions {
  bool wal = true;              ///< Use WAL (native files); ignored for ":memory:".
  bool synchronous_full = true; ///< FULL: an acknowledged commit survives power loss.
  /// One connection holds the file for as long as it is open (EXCLUSIVE locking). Its WAL index
  /// then lives in the connection's memory, without shared memory: under Emscripten, where no
  /// VFS has shared memory, `wal` takes effect only with this (the browser's VFS, whose OPFS
  /// handles are exclusive anyway: a commit then flushes once, the WAL, instead of four times).
  bool exclusive = false;
  /// Pages SQLite keeps in memory, in KiB (0: SQLite's default, 2 MiB). A host wants far more:
  /// with 2 MiB, a sync batch's commit spilled pages to the log before it ended and read pages
  /// back from the file that it had just had in memory.
  std::int64_t cache_kib = 0;
};

/// Has SQLite's page caches, of every connection of the process, take their pages from one
/// region reserved for `mib` MiB of 4 KiB pages rather than from malloc; past it, they allocate
/// as before. A process that opens databases for long (the host) calls it once, before it opens
/// any. Returns false, changing nothing, when the region cannot be reserved or SQLite is in use.
bool reserve_page_cache(std::int64_t mib);

/// One SQLite connection with a statement cache. Not thread-safe; one per thread.
class Db {
 public:
  /// Opens (creating if absent) the database at `path` (":memory:" for a private in-memory
  /// one) and brings its schema up to date. Errors: storage_error, schema_too_new.
  static Result<std::unique_ptr<Db>> open(const std::string& path, OpenOptions options = {});
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  /// Runs SQL with no results (may hold several statements). Error: storage_error.
  Status exec(std::string_view sql);
  /// The cached prepared statement for `sql`, reset and ready to bind. Error: storage_error.
  Result<Stmt*> prepare(std::string_view sql);
  /// The schema version recorded in the database (PRAGMA user_version).
  int schema_version();
  /// Rows changed by the last statement.
  std::int64_t changes() const;
  /// Copies what it can of the write-ahead log into the database file without waiting for
  /// readers or writers (a passive checkpoint), from this connection; meant for a connection of
  /// its own on another thread, so that commits do not pay for it. Returns the pages in the log
  /// and how many of them are now in the database file (-1 and -1 when not in WAL mode; nothing
  /// is copied while another connection checkpoints). Error: storage_error.
  Result<std::pair<int, int>> checkpoint();
  /// After each commit of this connection in WAL mode, calls `f` with the pages now in the log,
  /// and checkpoints the log itself only past `backstop_pages` (instead of SQLite's 1000): for a
  /// host whose checkpoints run on another connection (checkpoint()), which `f` tells. `f` runs
  /// inside the commit, so it must be short and must not use this connection.
  void on_commit(std::function<void(int pages)> f, int backstop_pages);
  /// Whether a transaction is open.
  bool in_transaction() const { return tx_depth_ > 0; }
  /// The whole database as one SQLite file image (sqlite3_serialize). Error: storage_error.
  Result<Image> serialize();
  /// Replaces this database's content with the file image `bytes` (a snapshot from the host):
  /// the image is checked (see check_image) before a page of this file changes.
  /// Errors: invalid_input (not a database, damaged), schema_too_new, protocol_mismatch (an
  /// older schema than this code's), storage_error.
  Status restore(std::string_view bytes, std::string_view digest = {});
  /// Checks a snapshot image as restore() does, without a database to restore it into: a
  /// database file of this code's schema version, undamaged. Undamaged: with the host's
  /// `digest` (xxh64_digest of the image it built, which passed quick_check there), the bytes
  /// have that checksum and a header that describes them; without one, quick_check here.
  static Status check_image(std::string_view bytes, std::string_view digest = {});
  /// Writes the image `bytes` as the database file `path`, through the default VFS, and syncs
  /// it, if that file is absent or empty: a new device's first state without creating a schema
  /// only to overwrite it. The image is checked first (as restore does). Returns false, writing
  /// nothing, when the file holds data. Errors: those of check_image, storage_error.
  static Result<bool> write_new_file(const std::string& path, std::string_view bytes, std::string_view digest = {});

 private:
  friend class Transaction;
  friend class JoinNested;
  explicit Db(sqlite3* db) : db_(db) {}
  Error last_error(std::string_view what) const;

  sqlite3* db_;
  // Looked up by string_view: finding a cached statement copies nothing.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<Stmt>, SqlHash, std::equal_to<>> cache_;
  int tx_depth_ = 0;
  int join_depth_ = 0;  ///< JoinNested scopes alive
  std::function<void(int)> on_commit_;  ///< see on_commit()
  int backstop_pages_ = 0;
};

/// A transaction that rolls back in its destructor unless committed. Nested uses savepoints,
/// except inside a JoinNested scope, where it joins the enclosing transaction.
class Transaction {
 public:
  /// `write` takes the write lock at once (BEGIN IMMEDIATE); `read` (BEGIN DEFERRED) gives one
  /// consistent view for many statements without blocking writers of other connections, and
  /// spares each statement its own lock round trip.
  enum class Mode { write, read };
  /// Begins (see Mode, or a SAVEPOINT when nested). Check `status()` before use.
  explicit Transaction(Db& db, Mode mode = Mode::write);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  /// Whether BEGIN succeeded.
  const Status& status() const { return begin_; }
  /// Commits; after an error the destructor rolls back. Error: storage_error.
  Status commit();

 private:
  Db& db_;
  Status begin_;
  bool done_ = false;
  bool nested_ = false;
  bool joined_ = false;  ///< inside a JoinNested scope: no savepoint, the enclosing one decides
  std::string savepoint_;
};

/// While alive, transactions begun inside the transaction that is open when it is made join
/// that one instead of opening savepoints: no savepoint statements, and each changed page is
/// journaled once, for the enclosing transaction, rather than once more for every level. Inner
/// code can then no longer undo its own part alone, so the holder must roll the enclosing
/// transaction back after any error inside the scope (the sync host's push of one request: an
/// error fails the request and its savepoint). Make it right after the enclosing transaction.
class JoinNested {
 public:
  explicit JoinNested(Db& db) : db_(db) { ++db_.join_depth_; }
  ~JoinNested() { --db_.join_depth_; }
  JoinNested(const JoinNested&) = delete;
  JoinNested& operator=(const JoinNested&) = delete;

 private:
  Db& db_;
};

}  // namespace cunwu::store
