// A sync client for node: the WebAssembly core (build/wasm/web/cunwu_core.js, the C API of
// web/src/bindings.cpp) talking to a real cunwu-server over HTTP. The core decides everything;
// this file only moves strings: it logs in, then posts the core's sync requests and hands the
// host's answers back to the core until nothing is left to push or pull.
//
// As a library:
//   const core = await loadCore();                        // or loadCore('/path/cunwu_core.js')
//   const phone = core.open({ path: 'wang.db', replica: 'phone-wang', directory: countyJsonText });
//   const { token } = await login('http://127.0.0.1:8080', '13800000001', 'cunwu-demo');
//   const summary = await syncAll(phone, { server: 'http://127.0.0.1:8080', token });
// From the command line (prints the summary as JSON):
//   node web/node/sync_client.mjs --server http://127.0.0.1:8080 --phone 13800000001 \
//        --db /tmp/wang.db [--replica phone-wang] [--password cunwu-demo] [--county FILE]
// A new --db starts from the host's snapshot (POST /v1/snapshot); --county seeds it from a file.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/// Where the built module is: $CUNWU_WASM_MODULE, else build/wasm/web/cunwu_core.js.
export const defaultModulePath =
  process.env.CUNWU_WASM_MODULE || path.join(repo, 'build/wasm/web/cunwu_core.js');
/// The demo county's org tree (what a device is seeded with until the host serves it).
export const demoCountyPath = path.join(repo, 'shared/demo/county.json');

/// A failure reported by the core or the host: `code` is from shared/errors.json.
export class CunwuError extends Error {
  constructor(code, message, detail, status) {
    super(`${code}: ${message}${detail ? ` (${detail})` : ''}`);
    this.code = code;
    this.detail = detail;
    this.status = status;  // HTTP status when the host answered with the error
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/// The loaded WebAssembly core. Calls are synchronous; strings cross as UTF-8 in the module's
/// heap (allocated here, released right after the call; results released with cunwu_free).
export class Core {
  constructor(module) {
    this.m = module;
  }

  /// Calls the C function `name` (without the leading underscore) with strings and numbers;
  /// returns the parsed envelope ({ok:true,...} or {ok:false,code,...}).
  call(name, ...args) {
    const fn = this.m[`_${name}`];
    if (typeof fn !== 'function') throw new Error(`cunwu_core has no export ${name}`);
    const allocated = [];
    try {
      const cargs = args.map((a) => {
        if (typeof a !== 'string') return a;
        const ptr = this.writeString(a);
        allocated.push(ptr);
        return ptr;
      });
      const out = fn(...cargs);
      if (!out) throw new Error(`${name} returned no result (out of memory)`);
      try {
        return JSON.parse(this.readString(out));
      } finally {
        this.m._cunwu_free(out);
      }
    } finally {
      for (const p of allocated) this.m._free(p);
    }
  }

  /// Like call(), but throws CunwuError when the core answers {ok:false}.
  must(name, ...args) {
    const r = this.call(name, ...args);
    if (!r.ok) throw new CunwuError(r.code, r.message_en || r.message, r.detail);
    return r;
  }

  writeString(text) {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; one more for the terminating NUL.
    const max = text.length * 3 + 1;
    const ptr = this.m._malloc(max);
    if (!ptr) throw new Error('out of memory in the WebAssembly heap');
    const heap = this.m.HEAPU8;  // read after malloc: growing memory replaces the view
    const { written } = encoder.encodeInto(text, heap.subarray(ptr, ptr + max - 1));
    heap[ptr + written] = 0;
    return ptr;
  }

  readString(ptr) {
    const heap = this.m.HEAPU8;
    const end = heap.indexOf(0, ptr);
    return decoder.decode(heap.subarray(ptr, end));
  }

  /// Opens a device (see cunwu_open): `path` SQLite file (real file under node), `replica` its
  /// stable id, `directory` the county seed JSON text ('' to keep the stored one), `now` ms.
  open({ path: file, replica, directory = '', now = Date.now() }) {
    const r = this.must('cunwu_open', file, replica, directory, now);
    return new Device(this, r.handle, replica);
  }

  /// Runs a whole first sync once in memory, nothing kept (cunwu_rehearse_first_sync), as the web
  /// app does while a person logs in: the real first sync then finds the core's code compiled.
  rehearseFirstSync(now = Date.now()) {
    this.must('cunwu_rehearse_first_sync', now);
  }

  // A new device from the host's snapshot (bytes of a 200 from /v1/snapshot) and the checksum
  // the host sent with it (X-Cunwu-Image-Digest; '' to have the core check every page instead).
  openSnapshot({ path: file, replica, image, now = Date.now(), digest = '' }) {
    const ptr = this.m._malloc(Math.max(1, image.length));
    if (!ptr) throw new Error('out of memory in the WebAssembly heap');
    try {
      this.m.HEAPU8.set(image, ptr);
      const r = this.must('cunwu_open_snapshot', file, replica, ptr, image.length, now, digest);
      return new Device(this, r.handle, replica);
    } finally {
      this.m._free(ptr);
    }
  }
}

/// One open replica (a phone, a browser profile) in the core.
export class Device {
  constructor(core, handle, replica) {
    this.core = core;
    this.handle = handle;
    this.replica = replica;
  }
  /// The next sync request as text (the POST body), at device time `now`.
  syncRequest(now) {
    return JSON.stringify(this.core.must('cunwu_sync_request', this.handle, now).request);
  }
  /// Applies the host's answer text to the request text it answers; returns the report.
  syncApply(requestText, responseText, now) {
    return this.core.must('cunwu_sync_apply', this.handle, requestText, responseText, now);
  }
  pending() {
    return this.core.must('cunwu_pending', this.handle).pending;
  }
  opCount() {
    return this.core.must('cunwu_op_count', this.handle).ops;
  }
  /// Files an appeal for `actor` (see cunwu_appeal_file); returns its entity id.
  fileAppeal(actor, appeal, now) {
    return this.core.must('cunwu_appeal_file', this.handle, actor, JSON.stringify(appeal), now).id;
  }
  getAppeal(id) {
    return this.core.must('cunwu_appeal_get', this.handle, id).appeal;
  }
  listAppeals(scope = '') {
    return this.core.must('cunwu_appeal_list', this.handle, scope).appeals;
  }
  canonicalDump() {
    return this.core.must('cunwu_canonical_dump', this.handle).dump;
  }
  close() {
    this.core.must('cunwu_close', this.handle);
  }
}

/// Loads the WebAssembly core from `modulePath` (cunwu_core.js next to cunwu_core.wasm). The
/// wasm bytes are read here and handed over, so no fetch() is involved under node.
export async function loadCore(modulePath = defaultModulePath) {
  const { default: create } = await import(pathToFileURL(modulePath).href);
  const wasmBinary = fs.readFileSync(modulePath.replace(/\.js$/, '.wasm'));
  return new Core(await create({ wasmBinary }));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/// Closes the kept-alive connections (call before exiting, or node waits for them to idle out).
export function closeConnections() {
  agent.destroy();
}

/// Sends one HTTP request; resolves to { status, headers, buffer, body (text), wireBytes (as
/// sent, before a gzip Content-Encoding is undone) }.
export function request(method, url, body = '', headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        // As a browser does: a body the host compressed (a snapshot, when asked) is inflated here.
        const wire = Buffer.concat(chunks);
        let buffer = wire;
        try {
          if (res.headers['content-encoding'] === 'gzip') buffer = zlib.gunzipSync(wire);
        } catch (e) {
          reject(e);
          return;
        }
        resolve({ status: res.statusCode, headers: res.headers, buffer, wireBytes: wire.length, get body() { return buffer.toString('utf8'); } });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/// POSTs `body` (text) to `url`; resolves to { status, body }.
export const post = (url, body, headers = {}) => request('POST', url, body, headers);
/// GETs `url`; resolves to { status, body }.
export const get = (url, headers = {}) => request('GET', url, '', headers);

function hostError(res) {
  let e = {};
  try {
    e = JSON.parse(res.body).error || {};
  } catch { /* not JSON: keep the status */ }
  return new CunwuError(e.code || 'internal', e.message_en || e.message || `HTTP ${res.status}`, e.detail, res.status);
}

/// Logs in with phone and password: resolves to { token, user, name, expires }.
/// Throws CunwuError (login_failed, too_many_attempts...).
export async function login(server, phone, password) {
  const res = await post(`${server}/v1/auth/login`, JSON.stringify({ phone, password }));
  if (res.status !== 200) throw hostError(res);
  return JSON.parse(res.body);
}

/// Syncs `device` with the host until the host has nothing more and nothing is pending.
/// `now()` is the device clock (a test may make it wrong). `onTrip(t)` is called after each
/// round trip with { request_ms, http_ms, apply_ms, report }. Resolves to a summary:
/// { trips, accepted, duplicates, pulled, rejected: [...], clock_offset, ms }.
// A device that holds nothing yet starts from the host's snapshot of what the user may see
// (POST /v1/snapshot), then syncs incrementally. `fresh`: ask the host to build it now rather
// than send one it kept from an earlier build (Cache-Control: no-cache). Returns { device, ms,
// bytes (the image), wire_bytes (gzipped, as sent), http_ms, open_ms, source ("built" or
// "prepared": kept by the host), behind (ops the host stored after the snapshot's cut) }.
export async function bootstrap(core, { server, token, path: file, replica, now = () => Date.now(), fresh = false }) {
  const started = performance.now();
  const body = JSON.stringify(core.must('cunwu_snapshot_request', replica, now()).request);
  // Compressed in transit like the web app's (a browser always accepts gzip): about a tenth.
  const headers = { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip' };
  if (fresh) headers['Cache-Control'] = 'no-cache';
  const res = await post(`${server}/v1/snapshot`, body, headers);
  if (res.status !== 200) throw hostError(res);
  const t1 = performance.now();
  const digest = res.headers['x-cunwu-image-digest'] || '';
  const device = core.openSnapshot({ path: file, replica, image: res.buffer, now: now(), digest });
  const t2 = performance.now();
  return {
    device, ms: t2 - started, bytes: res.buffer.length, wire_bytes: res.wireBytes, http_ms: t1 - started, open_ms: t2 - t1,
    source: res.headers['x-cunwu-snapshot'] || 'built', behind: Number(res.headers['x-cunwu-behind'] || 0),
  };
}

export async function syncAll(device, { server, token, now = () => Date.now(), onTrip, maxTrips = 100000 }) {
  const summary = { trips: 0, accepted: 0, duplicates: 0, pulled: 0, rejected: [], clock_offset: 0, ms: 0 };
  const started = performance.now();
  for (;;) {
    if (summary.trips >= maxTrips) throw new Error(`sync did not settle in ${maxTrips} round trips`);
    const t0 = performance.now();
    const body = device.syncRequest(now());
    const t1 = performance.now();
    const res = await post(`${server}/v1/sync`, body, { Authorization: `Bearer ${token}` });
    if (res.status !== 200) throw hostError(res);
    const t2 = performance.now();
    const report = device.syncApply(body, res.body, now());
    const t3 = performance.now();
    summary.trips += 1;
    summary.accepted += report.accepted;
    summary.duplicates += report.duplicates;
    summary.pulled += report.pulled;
    summary.rejected.push(...report.rejected);
    summary.clock_offset = report.clock_offset;
    if (onTrip) onTrip({ request_ms: t1 - t0, http_ms: t2 - t1, apply_ms: t3 - t2, bytes: res.body.length, report });
    if (!report.more && device.pending() === 0) break;
  }
  summary.ms = performance.now() - started;
  return summary;
}

function parseArgs(argv) {
  const opt = { password: 'cunwu-demo' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    opt[argv[i].slice(2)] = argv[i + 1];
  }
  for (const need of ['server', 'phone', 'db']) if (!opt[need]) throw new Error(`--${need} is required`);
  opt.replica = opt.replica || `node-${opt.phone}`;
  return opt;
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const core = await loadCore(opt.module || defaultModulePath);
  const { token, user } = await login(opt.server, opt.phone, opt.password);
  // A new database starts from the host's snapshot, like the web app; --county FILE seeds it
  // from an org tree file instead (offline experiments).
  let device;
  if (fs.existsSync(opt.db)) device = core.open({ path: opt.db, replica: opt.replica });
  else if (opt.county) device = core.open({ path: opt.db, replica: opt.replica, directory: fs.readFileSync(opt.county, 'utf8') });
  else device = (await bootstrap(core, { server: opt.server, token, path: opt.db, replica: opt.replica })).device;
  const summary = await syncAll(device, { server: opt.server, token });
  console.log(JSON.stringify({ user, replica: opt.replica, ops: device.opCount(), ...summary }));
  device.close();
  closeConnections();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`sync_client: ${e.message}`);
    process.exit(1);
  });
}
