// Integration: the WebAssembly core under node, as a villager's devices, against the real
// cunwu-server process on a loopback port (seeded with `cunwu-admin demo`).
//   1. Wang's phone files an appeal offline, three days before it next has signal; when it
//      syncs, the host numbers the appeal on the host's clock and the phone shows that number.
//   2. Wang's second device (a tablet, fresh) syncs and sees the appeal with the same number
//      (and a third starts from the host's snapshot and ends in the same state),
//      and holds what the phone holds.
//   3. A third device of Wang's with a clock six hours fast files and syncs: the host accepts
//      it and numbers it on the host's day, the device measures its clock offset, its next op
//      is accepted too, and all three devices converge.
// Run: node tests/integration/wasm_client.mjs   (exit code 0 when everything holds)
// Paths: CUNWU_NATIVE_BUILD (default build/native), CUNWU_WASM_MODULE (default
// build/wasm/web/cunwu_core.js).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from '../support/server.mjs';
import { loadCore, login, get, syncAll, bootstrap, closeConnections, demoCountyPath } from '../../web/node/sync_client.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nativeBuild = path.resolve(repo, process.env.CUNWU_NATIVE_BUILD || 'build/native');
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;


/// "YYYYMMDD" of `ms` in China (UTC+8), as the host dates official numbers.
function chinaDate(ms) {
  return new Date(ms + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
}

/// A device with its own clock (offset from the real one) and session.
async function device(core, host, dir, { replica, phone, skew = 0 }) {
  const d = core.open({ path: path.join(dir, `${replica}.db`), replica, directory: fs.readFileSync(demoCountyPath, 'utf8'),
    now: Date.now() + skew });
  d.now = () => Date.now() + skew;
  d.token = (await login(host.url, phone, 'cunwu-demo')).token;
  d.sync = () => syncAll(d, { server: host.url, token: d.token, now: d.now });
  return d;
}

const appeal = {
  courtyard: 'qs/dq/hs/y1', category: 'service', urgency: 'yellow',
  text: '玉米被大风吹倒了，想问问农业保险怎么理赔。', attachments: [],
};

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwu-wasm-it-'));
  const host = await startServer(dir, { nativeBuild });
  let ok = false;
  try {
    const core = await loadCore();

    // 1. Filed offline three days ago, synced today.
    const phone = await device(core, host, dir, { replica: 'phone-wang', phone: '13800000001', skew: -3 * DAY });
    const id = phone.fileAppeal('wang', appeal, phone.now());
    const offline = phone.getAppeal(id);
    assert.equal(offline.official_number, '', 'no official number before the host has seen it');
    assert.notEqual(offline.provisional_number, '', 'a provisional number to show offline');
    assert.equal(phone.pending(), 1);
    const filedAt = offline.filed_at;
    phone.now = () => Date.now();  // three days later, with signal
    const first = await phone.sync();
    assert.equal(first.accepted, 1, 'the host accepted the filing');
    assert.deepEqual(first.rejected, []);
    assert.equal(phone.pending(), 0);
    const numbered = phone.getAppeal(id);
    assert.match(numbered.official_number, /^\d{11,14}$/);
    assert.ok(numbered.official_number.startsWith(chinaDate(Date.now())),
      `numbered on the host's day, not the filing day: ${numbered.official_number}`);
    assert.equal(numbered.filed_at, filedAt, 'the filing keeps the time it was made');
    assert.ok(Math.abs(numbered.registered_at - Date.now()) < 60_000, 'registered on host time');
    assert.ok(phone.opCount() >= 2, 'the filing and the host\'s number op');

    // The host agrees, through its own route.
    const listed = await get(`${host.url}/v1/appeals`, { Authorization: `Bearer ${phone.token}` });
    assert.equal(listed.status, 200);
    const onHost = JSON.parse(listed.body).appeals.find((a) => a.id === id);
    assert.equal(onHost?.official_number, numbered.official_number, 'the host holds the same number');

    // 2. A second device of the same person sees the appeal and converges with the phone.
    const tablet = await device(core, host, dir, { replica: 'tablet-wang', phone: '13800000001' });
    const second = await tablet.sync();
    assert.ok(second.pulled >= 2, `the tablet pulled the appeal's ops (pulled ${second.pulled})`);
    assert.equal(tablet.getAppeal(id).official_number, numbered.official_number);
    assert.equal(tablet.canonicalDump(), phone.canonicalDump(), 'tablet and phone hold the same state');

    // 2b. A third device of the same person starts from the host's snapshot instead of pulling,
    // and ends in the same state; its next sync has nothing to pull. Before it, the rehearsal of
    // a first sync the app runs while a person logs in: in memory, it leaves no file behind.
    const filesBefore = fs.readdirSync(dir).sort();
    core.rehearseFirstSync();
    assert.deepEqual(fs.readdirSync(dir).sort(), filesBefore, 'the rehearsal wrote no file');
    const { device: pad } = await bootstrap(core, {
      server: host.url, token: tablet.token, path: path.join(dir, 'pad-wang.db'), replica: 'pad-wang',
    });
    assert.equal(pad.canonicalDump(), phone.canonicalDump(), 'the snapshot device holds the same state');
    assert.equal((await syncAll(pad, { server: host.url, token: tablet.token })).pulled, 0);
    const again = core.call('cunwu_open_snapshot', path.join(dir, 'tablet-wang.db'), 'tablet-wang', 0, 0, Date.now());
    assert.equal(again.code, 'invalid_input', 'a snapshot never overwrites a device that holds data');
    pad.close();

    // 3. A device whose clock is six hours fast.
    const fast = await device(core, host, dir, { replica: 'old-phone-wang', phone: '13800000001', skew: 6 * HOUR });
    const id3 = fast.fileAppeal('wang', { ...appeal, text: '村口路灯坏了三盏，晚上看不清路。', category: 'hazard' }, fast.now());
    const third = await fast.sync();
    assert.equal(third.accepted, 1, 'the host accepted the op from the fast clock');
    assert.deepEqual(third.rejected, []);
    assert.ok(Math.abs(third.clock_offset + 6 * HOUR) < 60_000, `offset measured: ${third.clock_offset} ms`);
    const fastAppeal = fast.getAppeal(id3);
    assert.ok(fastAppeal.official_number.startsWith(chinaDate(Date.now())), 'numbered on the host\'s day');
    // Not asserted: registered_at. It is the hybrid time of the host's number op, and the fast
    // op has pulled the host's hybrid clock six hours ahead, so today it reads host time + 6 h
    // (for every appeal the host numbers in the next six hours). Known issue, reported with
    // this test; the fix belongs in the appeals domain (host time in the number op's payload).
    // A second op after the sync is accepted and numbered too.
    const id4 = fast.fileAppeal('wang', { ...appeal, text: '河边护栏松动了。', category: 'hazard' }, fast.now());
    await fast.sync();
    await phone.sync();
    await tablet.sync();
    for (const d of [phone, tablet, fast]) {
      assert.equal(d.pending(), 0);
      assert.equal(d.getAppeal(id3).official_number, fastAppeal.official_number);
      assert.ok(d.getAppeal(id4).official_number.length >= 11);
    }
    const dump = phone.canonicalDump();
    assert.equal(tablet.canonicalDump(), dump, 'tablet converged');
    assert.equal(fast.canonicalDump(), dump, 'the fast-clock device converged');
    assert.equal(new Set([id, id3, id4].map((x) => phone.getAppeal(x).official_number)).size, 3, 'three distinct numbers');

    // Errors come back as catalogued codes, not exceptions from inside the module.
    const bad = core.call('cunwu_appeal_file', phone.handle, 'wang', JSON.stringify({ ...appeal, text: '' }), Date.now());
    assert.equal(bad.ok, false);
    assert.equal(bad.code, 'text_empty');
    assert.equal(core.call('cunwu_appeal_get', 999, 'appeal/x').code, 'not_found');
    assert.equal(core.call('cunwu_sync_apply', phone.handle, '{', '{}', Date.now()).code, 'invalid_json');

    for (const d of [phone, tablet, fast]) d.close();
    ok = true;
    console.log(`wasm_client: ok (official numbers ${numbered.official_number}, ${fastAppeal.official_number}; ` +
      `fast device offset ${third.clock_offset} ms)`);
  } finally {
    closeConnections();
    await host.stop();
    if (!ok) {
      const log = fs.readFileSync(host.log, 'utf8').trim().split('\n').slice(-20).join('\n');
      console.error(`--- last lines of the server log (${host.log}):\n${log}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  console.error(`wasm_client: FAILED: ${e.stack || e.message}`);
  process.exit(1);
});
