// The core's thread: the WebAssembly core (cunwu_core.js, the C API of web/src/bindings.cpp)
// runs here, so the page never blocks. The page posts {id, op, args}; the worker answers
// {id, ok:true, result} or {id, ok:false, error:{code, detail}} with a code of
// shared/errors.json. Messages are handled one at a time, in order.
import createCunwuCore from './cunwu_core.js';
import { openFiles, closeFiles, removeFiles } from './storage.js';
import { domainOps } from './worker_ops.js';
import { handlingOps } from './worker_handling.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let M = null;          // the Emscripten module
let device = null;     // { handle, user, file }
let opening = null;    // { user, file }: files open, database empty, waiting for the host's snapshot

class CoreError extends Error {
  constructor(code, detail) { super(`${code}: ${detail || ''}`); this.code = code; this.detail = detail; }
}

// Calls the C function `name` with strings and numbers; returns the envelope's fields or throws
// CoreError with the catalogued code.
function call(name, ...args) {
  const allocated = [];
  try {
    const cargs = args.map((a) => {
      if (typeof a !== 'string') return a;
      const max = a.length * 3 + 1;
      const ptr = M._malloc(max);
      if (!ptr) throw new CoreError('internal', 'out of memory');
      const heap = M.HEAPU8;  // read after malloc: growing memory replaces the view
      heap[ptr + encoder.encodeInto(a, heap.subarray(ptr, ptr + max - 1)).written] = 0;
      allocated.push(ptr);
      return ptr;
    });
    const out = M[`_${name}`](...cargs);
    if (!out) throw new CoreError('internal', `${name} returned nothing`);
    const heap = M.HEAPU8;
    const text = decoder.decode(heap.subarray(out, heap.indexOf(0, out)));
    M._cunwu_free(out);
    const r = JSON.parse(text);
    if (!r.ok) throw new CoreError(r.code, r.detail);
    return r;
  } finally {
    allocated.forEach((p) => M._free(p));
  }
}

// The page starts downloading and compiling the core before its own modules have loaded
// (index.html) and posts the module as its first message: on a slow link the download starts
// several round trips earlier than this worker could start it. Without it (no
// compileStreaming, or a host that does not serve application/wasm) the worker fetches the core
// itself. The host sends it brotli- or gzip-compressed (Content-Encoding), the browser inflates
// it; once the service worker has cached it, it comes from there, and the browser reuses the
// compiled code on the next start.
let received;  // resolves fromPage (self.onmessage below)
const fromPage = new Promise((resolve) => { received = resolve; });

async function instantiate(imports) {
  const module = await fromPage;
  if (module) return { instance: await WebAssembly.instantiate(module, imports), module };
  const res = await fetch(new URL('cunwu_core.wasm', import.meta.url));
  try {
    return await WebAssembly.instantiateStreaming(res.clone(), imports);
  } catch {
    return WebAssembly.instantiate(await res.arrayBuffer(), imports);
  }
}

const ready = (async () => {
  let failed;
  const failure = new Promise((_, reject) => { failed = reject; });
  M = await Promise.race([failure, createCunwuCore({
    instantiateWasm(imports, receive) {
      instantiate(imports).then(({ instance, module }) => receive(instance, module), failed);
      return {};
    },
  })]);
  call('cunwu_storage_install');
})();

function need() {
  if (!device) throw new CoreError('not_found', 'no device open: log in first');
  return device;
}

// A command that writes: timed, and answered only once its commit is stored.
async function write(name, ...args) {
  const d = need();
  const io = globalThis.cunwuFiles.io;
  const before = { ...io };
  const t0 = performance.now();
  const r = call(name, d.handle, ...args);
  await globalThis.cunwuFiles.settled();
  return { ...r, commit_ms: performance.now() - t0, io_ms: io.ms - before.ms, io_writes: io.writes - before.writes,
    io_bytes: io.written - before.written, io_flushes: io.flushes - before.flushes };
}

// Opens the files of `user`'s database (closing whatever was open).
async function openUserFiles(user, storage) {
  if (device) { call('cunwu_close', device.handle); device = null; }
  opening = null;
  const file = `${user}.db`;
  const kind = await openFiles([file, `${file}-journal`, `${file}-wal`], storage || undefined);
  return { file, kind };
}

const ops = {
  /// Opens the device of `user` (its own database file). A file that holds no device yet
  /// answers {empty:true}: the page fetches the host's snapshot and calls openSnapshot.
  async open({ user, replica, storage }) {
    const { file, kind } = await openUserFiles(user, storage);
    if (globalThis.cunwuFiles.size(0) > 0) {
      try {
        const r = call('cunwu_open', `/${file}`, replica, '', Date.now());
        device = { handle: r.handle, user, file };
        return { ops: r.ops, pending: r.pending, storage: kind };
      } catch (e) {
        // A file with SQLite's schema but no org tree: a first start that stopped before the
        // snapshot was stored. It holds no ops, so it starts from the snapshot like a new one.
        if (e.code !== 'not_found') throw e;
      }
    }
    opening = { user, file };
    return { empty: true, storage: kind };
  },
  /// Runs a whole first sync in memory and keeps nothing (cunwu_rehearse_first_sync): the app asks
  /// for it once interactive and signed out, so that the real first sync finds the core's code
  /// compiled. Answers how long it took.
  rehearseFirstSync: () => {
    const t0 = performance.now();
    call('cunwu_rehearse_first_sync', Date.now());
    return { ms: performance.now() - t0 };
  },
  /// The body of POST /v1/snapshot for a new device `replica`.
  snapshotRequest: ({ replica }) => JSON.stringify(call('cunwu_snapshot_request', replica, Date.now()).request),
  /// Opens the device that `open` found empty from the host's snapshot (an ArrayBuffer) and the
  /// checksum the host sent with it (X-Cunwu-Image-Digest; '' to check every page instead).
  async openSnapshot({ replica, image, digest = '' }) {
    if (!opening) throw new CoreError('invalid_input', 'open the files first');
    const bytes = new Uint8Array(image);
    const ptr = M._malloc(Math.max(1, bytes.length));
    if (!ptr) throw new CoreError('internal', 'out of memory for the snapshot');
    try {
      M.HEAPU8.set(bytes, ptr);
      const t0 = performance.now();
      const r = call('cunwu_open_snapshot', `/${opening.file}`, replica, ptr, bytes.length, Date.now(), digest);
      await globalThis.cunwuFiles.settled();
      device = { handle: r.handle, user: opening.user, file: opening.file };
      opening = null;
      return { ops: r.ops, pending: r.pending, bytes: bytes.length, open_ms: performance.now() - t0 };
    } finally {
      M._free(ptr);
    }
  },
  /// Closes the device; `wipe` also deletes its database (logging out with nothing left to send).
  async close({ wipe = false } = {}) {
    const file = device?.file || opening?.file;
    if (device) call('cunwu_close', device.handle);
    const kind = globalThis.cunwuFiles?.kind;
    device = null;
    opening = null;
    await closeFiles();
    if (wipe && file) await removeFiles([file, `${file}-journal`, `${file}-wal`], kind);
    return {};
  },
  directoryVersion: () => call('cunwu_directory_version', need().handle).version,
  directoryUpdate: async ({ directory }) => {
    const r = call('cunwu_directory_update', need().handle, directory);
    await globalThis.cunwuFiles.settled();
    return r;
  },
  list: () => call('cunwu_appeal_list', need().handle, '').appeals,
  get: ({ id }) => call('cunwu_appeal_get', need().handle, id).appeal,
  /// The inbox at the page's `now` (the minute's tick of the countdowns), else the worker's clock.
  inbox: ({ now } = {}) => call('cunwu_appeal_inbox', need().handle, need().user, now ?? Date.now()).inbox,
  pending: () => call('cunwu_pending', need().handle).pending,
  /// Files an appeal: {id, commit_ms, io_ms, ...} (see write). With `andList`, the answer also
  /// has what the villager's list shows next, read after the commit: `appeals` (all on the
  /// device, as `list`) and `pending` (as `pending`), so the page draws it without asking again.
  async file({ appeal, andList = false }) {
    const r = await write('cunwu_appeal_file', need().user, JSON.stringify(appeal), Date.now());
    if (!andList) return r;
    const t0 = performance.now();
    const appeals = ops.list();
    return { ...r, appeals, pending: ops.pending(), list_ms: performance.now() - t0 };
  },
  /// Runs a filing of `appeal` and takes it back (cunwu_appeal_rehearse): nothing is written.
  /// The browser compiles the core's code on its first use; done while the villager types, the
  /// real filing does not wait for that.
  rehearse: ({ appeal }) => {
    call('cunwu_appeal_rehearse', need().handle, need().user, JSON.stringify(appeal), Date.now());
    return {};
  },
  accept: ({ id }) => write('cunwu_appeal_accept', need().user, id, Date.now()),
  reply: ({ id, text }) => write('cunwu_appeal_reply', need().user, id, text, Date.now()),
  resolve: ({ id, text }) => write('cunwu_appeal_resolve', need().user, id, text, Date.now()),
  escalate: ({ id, text }) => write('cunwu_appeal_escalate', need().user, id, text, Date.now()),
  rate: ({ id, rating, text }) => write('cunwu_appeal_rate', need().user, id, rating, text || '', Date.now()),
  withdraw: ({ id, text }) => write('cunwu_appeal_withdraw', need().user, id, text || '', Date.now()),
  syncRequest: () => JSON.stringify(call('cunwu_sync_request', need().handle, Date.now()).request),
  syncApply: async ({ request, response }) => {
    const r = call('cunwu_sync_apply', need().handle, request, response, Date.now());
    await globalThis.cunwuFiles.settled();
    return r;
  },
  ...domainOps({ call, need, write }),
  ...handlingOps({ call, need, write }),
  /// Resolves once the core is loaded (for the budget measurements).
  ping: () => ({}),
  /// Storage figures for tests: the database file's size in bytes and the storage kind.
  stats: () => ({ bytes: globalThis.cunwuFiles?.size(0), storage: globalThis.cunwuFiles?.kind, io: globalThis.cunwuFiles?.io }),
};

// The catalogued code of what went wrong. A core this browser cannot compile or link (one
// without WebAssembly exception handling: Android WebView before 95) is browser_unsupported.
function codeOf(err) {
  if (err instanceof CoreError) return err.code;
  if (err instanceof WebAssembly.CompileError || err instanceof WebAssembly.LinkError) return 'browser_unsupported';
  return err?.name === 'NoModificationAllowedError' ? 'storage_busy' : 'storage_error';
}

let queue = Promise.resolve();
self.onmessage = (e) => {
  if ('core' in e.data) return received(e.data.core);  // the page's compiled core (see instantiate)
  const { id, op, args } = e.data;
  queue = queue.then(async () => {
    try {
      await ready;
      if (!ops[op]) throw new CoreError('invalid_input', `unknown worker op ${op}`);
      self.postMessage({ id, ok: true, result: await ops[op](args || {}) });
    } catch (err) {
      self.postMessage({ id, ok: false, error: { code: codeOf(err), detail: String(err?.message || err) } });
    }
  });
};
