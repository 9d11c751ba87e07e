// The browser VFS (see opfs_vfs.hpp). JavaScript side: `globalThis.cunwuFiles` in the worker
// (web/app/storage.js) maps a file name to an open file id and does the synchronous I/O.
//
// Sections: calls into JavaScript | file methods | VFS methods | registration.
#include "opfs_vfs.hpp"

#include <emscripten.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "cunwu/base/error.hpp"

// --- calls into JavaScript ---------------------------------------------------------------
// Offsets and sizes cross as doubles: exact below 2^53 and no BigInt needed.

EM_JS(int, cunwu_js_file_lookup, (const char* name), {
  const files = globalThis.cunwuFiles;
  return files ? files.lookup(UTF8ToString(name)) : -1;
});
EM_JS(int, cunwu_js_file_read, (int fid, void* buf, int n, double offset), {
  return globalThis.cunwuFiles.read(fid, HEAPU8.subarray(buf, buf + n), offset);
});
EM_JS(int, cunwu_js_file_write, (int fid, const void* buf, int n, double offset), {
  return globalThis.cunwuFiles.write(fid, HEAPU8.subarray(buf, buf + n), offset);
});
EM_JS(int, cunwu_js_file_truncate, (int fid, double size), { return globalThis.cunwuFiles.truncate(fid, size); });
EM_JS(int, cunwu_js_file_flush, (int fid), { return globalThis.cunwuFiles.flush(fid); });
EM_JS(double, cunwu_js_file_size, (int fid), { return globalThis.cunwuFiles.size(fid); });

namespace cunwu::web {
namespace {

constexpr const char* kVfsName = "cunwu-browser";

// A file of ours. Files we delegate to the default VFS use the same memory for its own struct
// (szOsFile is the larger of the two), so they never see this layout.
struct BrowserFile {
  sqlite3_file base;
  int fid;
  int lock;
};

sqlite3_vfs* default_vfs() {
  static sqlite3_vfs* d = sqlite3_vfs_find(nullptr);
  return d;
}

// The worker's JS returns a negative number when the browser's call threw.
int io(int rc, int err) { return rc < 0 ? err : SQLITE_OK; }

// --- file methods -----------------------------------------------------------------------

int file_close(sqlite3_file* f) {
  // The handle stays open in the worker: the database is reopened on the next login.
  return io(cunwu_js_file_flush(reinterpret_cast<BrowserFile*>(f)->fid), SQLITE_IOERR_CLOSE);
}

int file_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 offset) {
  const int got = cunwu_js_file_read(reinterpret_cast<BrowserFile*>(f)->fid, buf, n, static_cast<double>(offset));
  if (got < 0) return SQLITE_IOERR_READ;
  if (got < n) {
    // SQLite requires the rest of a short read to be zeros.
    std::memset(static_cast<char*>(buf) + got, 0, static_cast<std::size_t>(n - got));
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}

int file_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 offset) {
  const int put = cunwu_js_file_write(reinterpret_cast<BrowserFile*>(f)->fid, buf, n, static_cast<double>(offset));
  return put == n ? SQLITE_OK : SQLITE_IOERR_WRITE;
}

int file_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return io(cunwu_js_file_truncate(reinterpret_cast<BrowserFile*>(f)->fid, static_cast<double>(size)),
            SQLITE_IOERR_TRUNCATE);
}

int file_sync(sqlite3_file* f, int) {
  return io(cunwu_js_file_flush(reinterpret_cast<BrowserFile*>(f)->fid), SQLITE_IOERR_FSYNC);
}

int file_size(sqlite3_file* f, sqlite3_int64* size) {
  const double s = cunwu_js_file_size(reinterpret_cast<BrowserFile*>(f)->fid);
  if (s < 0) return SQLITE_IOERR_FSTAT;
  *size = static_cast<sqlite3_int64>(s);
  return SQLITE_OK;
}

// One connection per file in one worker, and OPFS sync handles are exclusive per file anyway:
// the lock level is bookkeeping only.
int file_lock(sqlite3_file* f, int level) {
  reinterpret_cast<BrowserFile*>(f)->lock = level;
  return SQLITE_OK;
}
int file_unlock(sqlite3_file* f, int level) {
  reinterpret_cast<BrowserFile*>(f)->lock = level;
  return SQLITE_OK;
}
int file_check_reserved(sqlite3_file* f, int* out) {
  *out = reinterpret_cast<BrowserFile*>(f)->lock >= SQLITE_LOCK_RESERVED;
  return SQLITE_OK;
}
int file_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int file_sector_size(sqlite3_file*) { return 4096; }
// Only what holds for a file the browser writes through to the OS: a write of a page leaves
// the other pages alone. Not SEQUENTIAL or SAFE_APPEND: the OS may reorder writes on power loss,
// so SQLite keeps its syncs between the journal and the database.
int file_device(sqlite3_file*) { return SQLITE_IOCAP_POWERSAFE_OVERWRITE; }

const sqlite3_io_methods kMethods = {
    1,           file_close, file_read,           file_write,       file_truncate,    file_sync,
    file_size,   file_lock,  file_unlock,         file_check_reserved, file_control, file_sector_size,
    file_device, nullptr,    nullptr,             nullptr,          nullptr,          nullptr,
    nullptr};

// --- VFS methods ------------------------------------------------------------------------

int vfs_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  const int fid = name ? cunwu_js_file_lookup(name) : -1;
  if (fid < 0) return default_vfs()->xOpen(default_vfs(), name, f, flags, out_flags);
  auto* bf = reinterpret_cast<BrowserFile*>(f);
  bf->base.pMethods = &kMethods;
  bf->fid = fid;
  bf->lock = SQLITE_LOCK_NONE;
  if (out_flags) *out_flags = flags;
  return SQLITE_OK;
}

// A file of ours is never removed (its handle stays open): deleting the journal empties it, and
// an empty file counts as absent, which is what SQLite's hot-journal check needs.
int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  const int fid = cunwu_js_file_lookup(name);
  if (fid < 0) return default_vfs()->xDelete(default_vfs(), name, sync_dir);
  if (cunwu_js_file_truncate(fid, 0) < 0) return SQLITE_IOERR_DELETE;
  return io(cunwu_js_file_flush(fid), SQLITE_IOERR_DELETE);
}

int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  const int fid = cunwu_js_file_lookup(name);
  if (fid < 0) return default_vfs()->xAccess(default_vfs(), name, flags, out);
  *out = cunwu_js_file_size(fid) > 0;
  return SQLITE_OK;
}

int vfs_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return default_vfs()->xFullPathname(default_vfs(), name, n, out);
}
int vfs_randomness(sqlite3_vfs*, int n, char* out) { return default_vfs()->xRandomness(default_vfs(), n, out); }
int vfs_sleep(sqlite3_vfs*, int us) { return default_vfs()->xSleep(default_vfs(), us); }
int vfs_current_time(sqlite3_vfs*, double* out) { return default_vfs()->xCurrentTime(default_vfs(), out); }
int vfs_last_error(sqlite3_vfs*, int n, char* out) { return default_vfs()->xGetLastError(default_vfs(), n, out); }
int vfs_current_time64(sqlite3_vfs*, sqlite3_int64* out) {
  return default_vfs()->xCurrentTimeInt64(default_vfs(), out);
}

}  // namespace

Status install_browser_vfs() {
  static sqlite3_vfs vfs;
  if (sqlite3_vfs_find(kVfsName) != nullptr) return ok_status();
  sqlite3_vfs* base = default_vfs();
  if (base == nullptr) return make_error(Errc::storage_error, "SQLite has no default VFS");
  vfs = sqlite3_vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = std::max<int>(static_cast<int>(sizeof(BrowserFile)), base->szOsFile);
  vfs.mxPathname = base->mxPathname;
  vfs.zName = kVfsName;
  vfs.xOpen = vfs_open;
  vfs.xDelete = vfs_delete;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = vfs_full_pathname;
  vfs.xRandomness = vfs_randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = vfs_current_time;
  vfs.xGetLastError = vfs_last_error;
  vfs.xCurrentTimeInt64 = vfs_current_time64;
  if (sqlite3_vfs_register(&vfs, 1) != SQLITE_OK) return make_error(Errc::storage_error, "sqlite3_vfs_register failed");
  return ok_status();
}

}  // namespace cunwu::web
