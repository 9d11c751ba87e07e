#pragma once
// The browser's SQLite VFS: the database file and its rollback journal live in files the Web
// Worker opened before the database is opened (web/app/storage.js): OPFS sync access handles
// where the browser has them, else page-level files kept in IndexedDB. Every call the VFS makes
// into JavaScript is synchronous (read, write, truncate, flush, size), so a commit writes only
// the pages it changed. Files the worker did not open (SQLite's temp files) stay in
// Emscripten's in-memory file system through the default VFS.
#include "cunwu/base/result.hpp"

namespace cunwu::web {

/// Registers the VFS "cunwu-browser" as SQLite's default, so every database opened afterwards
/// uses it; idempotent. Error storage_error when SQLite refuses the registration.
Status install_browser_vfs();

}  // namespace cunwu::web
