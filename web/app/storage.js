// The worker's side of the SQLite VFS (web/src/opfs_vfs.cpp): files opened here, before the
// database is opened, and then read and written synchronously from C++ through
// globalThis.cunwuFiles. Two kinds of file:
// - OPFS: a FileSystemSyncAccessHandle per file (Chromium, Firefox, Safari 17 in a worker);
//   a commit writes only the pages SQLite changed.
// - IndexedDB, where sync access handles are missing: the file lives in memory as 4 KiB blocks
//   and each flush stores the blocks written since the last one in one IndexedDB transaction.
//   settled() resolves when every flush so far is stored; the worker waits for it before it
//   answers, so an answer means the change is on disk.
const BLOCK = 4096;

class OpfsFile {
  constructor(handle) { this.h = handle; }
  read(view, at) { return this.h.read(view, { at }); }
  write(view, at) { return this.h.write(view, { at }); }
  truncate(size) { this.h.truncate(size); }
  flush() { this.h.flush(); }
  size() { return this.h.getSize(); }
  close() { this.h.close(); }
}

class IdbFile {
  constructor(db, name, size, blocks) {
    Object.assign(this, { db, name, length: size, blocks, dirty: new Set(), pending: Promise.resolve() });
  }
  read(view, at) {
    const n = Math.max(0, Math.min(view.length, this.length - at));
    for (let done = 0; done < n;) {
      const b = Math.floor((at + done) / BLOCK), off = (at + done) % BLOCK, take = Math.min(BLOCK - off, n - done);
      const block = this.blocks.get(b);
      if (block) view.set(block.subarray(off, off + take), done); else view.fill(0, done, done + take);
      done += take;
    }
    return n;
  }
  write(view, at) {
    for (let done = 0; done < view.length;) {
      const b = Math.floor((at + done) / BLOCK), off = (at + done) % BLOCK, take = Math.min(BLOCK - off, view.length - done);
      let block = this.blocks.get(b);
      if (!block) this.blocks.set(b, block = new Uint8Array(BLOCK));
      block.set(view.subarray(done, done + take), off);
      this.dirty.add(b);
      done += take;
    }
    this.length = Math.max(this.length, at + view.length);
    return view.length;
  }
  truncate(size) {
    for (const b of [...this.blocks.keys()]) if (b * BLOCK >= size) { this.blocks.delete(b); this.dirty.add(b); }
    this.length = size;
  }
  flush() {
    const changed = [...this.dirty].map((b) => [b, this.blocks.get(b)?.slice()]);
    this.dirty.clear();
    const { name, length } = this;
    this.pending = this.pending.then(() => new Promise((resolve, reject) => {
      const tx = this.db.transaction('blocks', 'readwrite');
      const store = tx.objectStore('blocks');
      for (const [b, data] of changed) data ? store.put(data, [name, b]) : store.delete([name, b]);
      store.put(length, [name, -1]);  // block -1 holds the file's length
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    }));
  }
  size() { return this.length; }
  close() {}
}

function openIdb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('cunwu-files', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('blocks');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function loadIdbFile(db, name) {
  const range = IDBKeyRange.bound([name, -1], [name, Infinity]);
  const [keys, values] = await Promise.all(['getAllKeys', 'getAll'].map((m) => new Promise((resolve, reject) => {
    const req = db.transaction('blocks').objectStore('blocks')[m](range);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  })));
  const blocks = new Map();
  let size = 0;
  keys.forEach(([, b], i) => { if (b < 0) size = values[i]; else blocks.set(b, values[i]); });
  return new IdbFile(db, name, size, blocks);
}

/// Whether this browser gives workers OPFS sync access handles.
export function hasOpfs() {
  return typeof navigator !== 'undefined' && navigator.storage?.getDirectory &&
    typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype;
}

/// Opens (creating) the files `names` in OPFS, or IndexedDB when `kind` is 'idb' or OPFS is
/// missing, and makes them visible to the VFS. Resolves to the kind used. Throws when OPFS
/// refuses (e.g. the app is open in another tab, which holds the handles).
export async function openFiles(names, kind = hasOpfs() ? 'opfs' : 'idb') {
  await closeFiles();
  const files = [];
  if (kind === 'opfs') {
    const root = await navigator.storage.getDirectory();
    for (const name of names) {
      const fh = await root.getFileHandle(name, { create: true });
      files.push(new OpfsFile(await fh.createSyncAccessHandle()));
    }
  } else {
    const db = await openIdb();
    for (const name of names) files.push(await loadIdbFile(db, name));
  }
  const byName = new Map(names.map((n, i) => [n, i]));
  // Every call returns a negative number instead of throwing: C++ maps it to an SQLite I/O error.
  // `io` adds up the time spent in the browser's file calls, for the commit figures.
  const io = { ms: 0, writes: 0, written: 0, flushes: 0, by: {} };
  const guard = (f, name) => (...a) => {
    const t0 = performance.now();
    try {
      const r = f(...a);
      return r === undefined ? 0 : r;
    } catch (e) {
      console.error('cunwu storage:', e);
      return -1;
    } finally {
      const dt = performance.now() - t0;
      io.ms += dt;
      io.by[name] = (io.by[name] || 0) + dt;
    }
  };
  globalThis.cunwuFiles = {
    kind,
    io,
    lookup: (path) => byName.get(path.slice(path.lastIndexOf('/') + 1)) ?? -1,
    read: guard((fid, view, at) => files[fid].read(view, at), 'read'),
    write: guard((fid, view, at) => { io.writes += 1; io.written += view.length; return files[fid].write(view, at); }, 'write'),
    truncate: guard((fid, size) => files[fid].truncate(size), 'truncate'),
    flush: guard((fid) => { io.flushes += 1; return files[fid].flush(); }, 'flush'),
    size: guard((fid) => files[fid].size(), 'size'),
    settled: () => Promise.all(files.map((f) => f.pending)),
    close: async () => { await Promise.all(files.map((f) => f.pending)); files.forEach((f) => f.close()); },
  };
  return kind;
}

/// Closes the files of the last openFiles (after the database using them was closed).
export async function closeFiles() {
  const old = globalThis.cunwuFiles;
  globalThis.cunwuFiles = undefined;
  if (old) await old.close();
}

/// Deletes the files `names` (closed first with closeFiles) from OPFS or IndexedDB (`kind`).
export async function removeFiles(names, kind = hasOpfs() ? 'opfs' : 'idb') {
  if (kind === 'opfs') {
    const root = await navigator.storage.getDirectory();
    for (const name of names) await root.removeEntry(name).catch((e) => { if (e.name !== 'NotFoundError') throw e; });
    return;
  }
  const db = await openIdb();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('blocks', 'readwrite');
    for (const name of names) tx.objectStore('blocks').delete(IDBKeyRange.bound([name, -1], [name, Infinity]));
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
