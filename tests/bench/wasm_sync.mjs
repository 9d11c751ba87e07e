// One WebAssembly device under node syncs with a running cunwu-server until settled, for
// scripts/sync_bench.sh. A fresh --db file makes it an initial sync (the host's snapshot, POST
// /v1/snapshot, then incremental syncs for anything newer); an existing one an incremental sync.
// Loading the module and logging in happen before the clock starts, and for a new device the
// core's rehearsal of a first sync (cunwu_rehearse_first_sync), which the web app runs while the
// person logs in: WebAssembly compiles each function on its first call, which cost a new device
// about 80 ms of its first sync. The time is from the first request to settled. Prints one JSON line:
//   {"ms","trips","pulled","ops","http_ms","apply_ms","request_ms","bytes","snapshot"}
// (http_ms: waiting for the host, apply_ms: opening the snapshot and parsing and applying the
// answers in the core; snapshot: {"http_ms","open_ms","bytes","wire_bytes","source","behind"} or
// null; the snapshot travels gzipped, as to the web app, and http_ms includes inflating it;
// source: "built" on request or "prepared" (kept by the host from an earlier build for the same
// user), behind: ops the host had stored after its cut, which the incremental syncs then bring).
// --fresh 1: ask for a snapshot built on request (Cache-Control: no-cache).
// usage: node tests/bench/wasm_sync.mjs --server URL --phone PHONE --db FILE --replica ID [--fresh 1]
import fs from 'node:fs';

import { loadCore, login, syncAll, bootstrap, closeConnections } from '../../web/node/sync_client.mjs';

const opt = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const need of ['server', 'phone', 'db', 'replica']) {
  if (!opt[need]) {
    console.error(`wasm_sync: --${need} is required`);
    process.exit(2);
  }
}

try {
  const core = await loadCore();
  // What the web app does while the person logs in on a new device (see the header).
  if (!fs.existsSync(opt.db)) core.rehearseFirstSync();
  const { token } = await login(opt.server, opt.phone, opt.password || 'cunwu-demo');
  const parts = { http_ms: 0, apply_ms: 0, request_ms: 0, bytes: 0 };
  // A fresh device starts from the host's snapshot; the clock runs from its request.
  const started = performance.now();
  let device;
  let snapshot = null;
  if (fs.existsSync(opt.db)) {
    device = core.open({ path: opt.db, replica: opt.replica });
  } else {
    const b = await bootstrap(core, { server: opt.server, token, path: opt.db, replica: opt.replica, fresh: opt.fresh === '1' });
    device = b.device;
    snapshot = { http_ms: b.http_ms, open_ms: b.open_ms, bytes: b.bytes, wire_bytes: b.wire_bytes, source: b.source, behind: b.behind };
    parts.http_ms += b.http_ms;
    parts.apply_ms += b.open_ms;
    parts.bytes += b.bytes;
  }
  const s = await syncAll(device, {
    server: opt.server,
    token,
    onTrip: (t) => {
      parts.http_ms += t.http_ms;
      parts.apply_ms += t.apply_ms;
      parts.request_ms += t.request_ms;
      parts.bytes += t.bytes;
    },
  });
  if (s.rejected.length) throw new Error(`rejected: ${JSON.stringify(s.rejected[0])}`);
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, trips: s.trips, pulled: s.pulled, ops: device.opCount(), ...parts, snapshot }));
  device.close();
  closeConnections();
} catch (e) {
  console.error(`wasm_sync: ${e.stack || e.message}`);
  process.exit(1);
}
