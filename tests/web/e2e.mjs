// End to end in a real browser: the web app (build/wasm/web/app, served by a real cunwu-server
// with a fresh demo county on a free port) in headless Debian chromium driven by playwright-core.
//   1. Wang (villager) logs in, goes offline, files an appeal (an empty one first: the catalogue's
//      words) with a 3000×2250 photo that carries EXIF GPS (resized on the phone, location not
//      shared: the box offers it, he leaves it off) and a voice message (chromium's fake
//      microphone), reloads the page offline (the service worker starts the app, OPFS kept the
//      appeal, IndexedDB the photo, both shown), then kills the tab (chrome://crash) and opens a
//      new one (still there), comes online: it uploads the photo, syncs and gets its official
//      number. The host's copy of the photo has no EXIF, is ≤ 1 MiB and ≤ 1280 px; another
//      village's villager and Wang's neighbour are refused it with the same catalogued answer.
//   2. 刘院长 (courtyard head) in a second browser context sees it in the inbox with the photo
//      and the recording (downloaded from the host), accepts it, replies and resolves it.
//   3. Wang sees the resolution and rates it; the appeal is closed on both sides.
//   3b. Both offline, the head accepts another appeal while Wang withdraws it; both come online
//      (Wang first): the host refuses the acceptance, and the head's phone explains it on the
//      appeal's screen and in a banner: the action, the appeal's number, what happened and what
//      to do (the catalogue's message and hint), zh and en; dismissed, the banner stays away.
//   3c. A second tab on Wang's phone is told the app is open elsewhere (OPFS handles are exclusive).
//   3c'. Before filing and handling (handling.mjs): Wang is suggested red for 断水 and shown his
//      similar open appeal while writing again (files anyway); dictation with a stubbed recognizer;
//      the head dispatches one to a department (its inbox then orders both by deadline, coloured
//      by the core as the page's clock moves ahead) and merges the duplicate; Wang's bell and notices.
//   3d. Points (points.mjs): Wang is refused a redemption he cannot pay (catalogue's words),
//      applies twice; the village cadre rejects one with a reason and approves the other; Wang
//      redeems offline (points held), the host confirms when he syncs; the honour roll.
//   3e. Disclosure (disclosure.mjs): the cadre publishes a notice and a finance record (an
//      unbalanced one refused first) and corrects it; Wang sees both unread, reads the record's
//      tables and totals and both versions, browses by type, searches in Chinese (低保, 茶),
//      reads the contract, asks; the cadre answers; Wang sees the answer.
//   3f. A newcomer registers with an invite code (newcomer.mjs): the phone starts from the host's
//      snapshot, she files at once and gets an official number; the head's phone, whose org tree
//      predates her, fetches the new tree and shows the appeal. The cadre's dashboard figures.
//   3f'. Reopen and escalation (reopen_escalate.mjs): the head resolves, Wang rates 不满意 and
//      the appeal reopens; the head escalates it and the village cadre finds it in her inbox.
//   3g. The newcomer logs out (her database is erased); a neighbour on the same phone sees
//      nothing of hers, files offline, is warned at logout and keeps it for his next login.
//      The head logs out and the shopkeeper logs in on his phone and hands over Wang's soap.
//   4. A browser that cannot compile the core is told so at once (the core swapped for bad bytes).
//      The sync timer (sync_timer.mjs, short timings): armed while offline, so a page that misses
//      the `online` event still sends; retries back off while the host is unreachable.
//      The IndexedDB fallback (forced with ?storage=idb): Chen files offline, reloads, still there.
//   5. Storage: Li files 300 appeals offline in a third context; the commit time of the last
//      ones is compared with the first ones (OPFS writes only the changed pages).
//   6. Budgets: a first visit over emulated slow 4G with 4x CPU throttling, an offline repeat
//      visit and an offline filing at 4x, from the tap to the appeal in the list. The transfer
//      sizes are asserted; the times are printed as PASS or MISS, never asserted (speed goals are
//      not timed tests: this machine is shared).
// Screenshots at 390x844 in zh-CN and en go to build/screenshots/; axe-core checks each of those
// screens (no serious or critical violations), and each is measured at 390 and 360 px: tap
// targets at least 48×48, no word broken over two lines (support.mjs). Prints figures at the end.
// Run: node tests/web/e2e.mjs   (needs `npm ci` in web/, the native and wasm builds)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { startServer } from '../support/server.mjs';
import { nativeBuild, appDir, shots, PASSWORD, figures, a11y, smallTargets, layout, submitAppeal, openAppeal, newPhone, ready, synced, shot, shotBoth, shotElderly, setLang, login, errorEntry, zh, en,
  checkCatalogues, restartAndCompose }
  from './support.mjs';
import { pointsApplyApproveRedeem, shopkeeperHandsOver } from './points.mjs';
import { cadrePublishesAndAmends, villagerReadsSearchesAsks, cadreAnswers } from './disclosure.mjs';
import { newcomerFilesAtOnce, sharedPhone } from './newcomer.mjs';
import { cameraPhoto, jpegInfo, blobAs, PHOTO_GPS } from './attachments.mjs';
import { handlingAndNotices } from './handling.mjs';
import { syncTimerAndBackoff } from './sync_timer.mjs';
import { reopenAndEscalate } from './reopen_escalate.mjs';

// What a first visit downloads, compressed as cunwu-server serves it: brotli for text (HTML, JS,
// CSS, JSON); the core as the build's precompressed copy that the host sent this browser
// (cunwu_core.wasm.br or .gz, by Accept-Encoding: `wasmEncoding`). wasm_br and wasm_gz: both copies.
function sizes(wasmEncoding) {
  const br = (f) => zlib.brotliCompressSync(fs.readFileSync(path.join(appDir, f))).length;
  const size = (f) => fs.statSync(path.join(appDir, f)).size;
  const all = fs.readdirSync(appDir, { recursive: true }).filter((f) => fs.statSync(path.join(appDir, f)).isFile());
  const core = ['worker.js', 'worker_ops.js', 'storage.js', 'cunwu_core.js'];
  const shell = all.filter((f) => !core.includes(f) && !f.startsWith('cunwu_core.wasm'));
  const sum = (list) => list.reduce((n, f) => n + br(f), 0);
  assert.ok(['br', 'gzip'].includes(wasmEncoding), `the core is sent compressed: ${wasmEncoding}`);
  const wasm = size(wasmEncoding === 'br' ? 'cunwu_core.wasm.br' : 'cunwu_core.wasm.gz');
  return { shell_br: sum(shell), core_js_br: sum(core), wasm_raw: size('cunwu_core.wasm'),
    wasm_served: wasm, wasm_served_encoding: wasmEncoding, wasm_br: size('cunwu_core.wasm.br'), wasm_gz: size('cunwu_core.wasm.gz'),
    first_visit_total: sum(shell) + sum(core) + wasm };
}

async function villagerFilesOffline(server, wang) {
  const { page, context } = wang;
  await page.goto(`${server.url}/`);
  await ready(page);
  figures.first_visit_ready_ms = Number(await page.evaluate(() => document.body.dataset.readyMs));
  await shotBoth(page, 'login');
  // Signed out, the app has the core rehearse a first sync while the person types (its code
  // compiles then, not during the real one). Once more here, to see it answer in the browser and
  // keep nothing: still no device is open.
  await page.waitForFunction(() => document.body.dataset.interactiveMs);
  const rehearsal = await page.evaluate(() => window.cunwu.call('rehearseFirstSync'));
  assert.ok(rehearsal.ms >= 0, 'the rehearsed first sync answered');
  figures.first_sync_rehearsal_ms = Math.round(rehearsal.ms);
  assert.equal(await page.evaluate(() => window.cunwu.call('pending').then(() => 'open', (e) => e.code)), 'not_found',
    'the rehearsal left no device open');
  await login(page, server, '13800000001');
  // The service worker has cached the app before we go offline.
  await page.waitForFunction(async () => {
    const sw = await navigator.serviceWorker.ready;
    const name = (await caches.keys()).find((k) => k.startsWith('cunwu-app-') && !k.includes('@'));
    return sw.active && name && (await (await caches.open(name)).keys()).length >= 15;
  }, null, { timeout: 20_000 });
  await shot(page, 'zh-appeals-empty');

  await context.setOffline(true);
  await page.waitForSelector('#sync.offline');
  const held = () => page.evaluate(async () => ({ pending: await window.cunwu.call('pending'),
    appeals: (await window.cunwu.call('list')).length }));
  const before = await held();
  await page.click('nav a[href="#/new"]');
  await page.waitForSelector('textarea[name=text]');
  // Opening the form rehearses a filing (its code compiles while the villager types); the
  // worker answers in order, so this is after it: nothing was filed, nothing is waiting to go.
  const after = await held();
  assert.deepEqual([after.pending, after.appeals], [before.pending, before.appeals], 'the rehearsal filed nothing');
  // An empty appeal: the core refuses it with the catalogue's words.
  await page.click('button[type=submit]');
  const refused = await page.textContent('[role=alert] .alert');
  assert.equal(refused, errorEntry('text_empty').zh, 'the catalogued message for text_empty');
  await page.selectOption('select[name=category]', 'hazard');
  await page.check('input[name=urgency][value=yellow]');
  await page.fill('textarea[name=text]', '村口石桥的护栏断了一截，晚上孩子放学经过很危险，请尽快修一下。');
  await shot(page, 'zh-new-appeal');
  await attachPhotoAndVoice(server, page);
  // Filed: the list, the new appeal first and marked, and the words that it waits for the network.
  const { id, ms } = await submitAppeal(page);
  figures.file_tap_to_list_ms = +ms.toFixed(1);
  figures.file_commit_ms = Number(await page.evaluate(() => document.body.dataset.lastCommitMs));
  assert.equal(await page.getAttribute('#appeal-list li:first-child a', 'data-id'), id, 'the new appeal comes first');
  assert.equal(await page.textContent('#filed-status'), zh['appeals.filed_offline']);
  await shot(page, 'zh-appeal-filed-offline');
  // A screen left while its render still waits for the worker (here the list's refresh, as a
  // sync ends with; or a first render overtaken by a tap elsewhere) draws off the page, not over
  // the screen opened meanwhile.
  await page.evaluate(() => { window.cunwu.app.view.refresh(); window.cunwu.app.go('#/new'); });
  await page.waitForTimeout(300);
  assert.ok(await page.isVisible('textarea[name=text]'), 'the list left drew over the form opened meanwhile');
  await page.click('nav a[href="#/appeals"]');
  await openAppeal(page, id);
  await page.waitForSelector('#attachments li[data-kind=photo][data-state=pending] img');
  assert.ok(!(await page.textContent('p.body')).includes(String(PHOTO_GPS.lat).slice(0, 6)), 'no location when not shared');
  assert.equal(await page.getAttribute('#sync-pending', 'data-pending'), '1', 'one op waits for the network');
  await shot(page, 'zh-appeal-offline');

  // Reload with no network: the service worker starts the app, OPFS still holds the appeal.
  await page.reload();
  await ready(page);
  figures.offline_reload_ready_ms = Number(await page.evaluate(() => document.body.dataset.readyMs));
  await page.click('nav a[href="#/appeals"]');
  await page.waitForSelector(`#appeal-list a[data-id="${id}"]`);
  assert.equal(await page.getAttribute('#sync-pending', 'data-pending'), '1', 'still waiting after the reload');
  assert.equal((await page.evaluate(() => window.cunwu.call('stats'))).storage, 'opfs', 'the database is in OPFS');
  await shot(page, 'zh-appeals-offline');
  // The photo and the recording too, from the phone's own store.
  await page.click(`#appeal-list a[data-id="${id}"]`);
  await page.waitForSelector('#attachments li[data-kind=photo][data-state=pending] img');
  await page.waitForSelector('#attachments li[data-kind=voice][data-state=pending] audio');
  await page.click('nav a[href="#/appeals"]');
  await page.waitForSelector(`#appeal-list a[data-id="${id}"]`);

  // Kill the tab (its renderer, the worker with it) and open the app in a new one, still offline.
  const crashed = new Promise((resolve) => page.once('crash', () => resolve(true)));
  await page.goto('chrome://crash').catch(() => {});
  assert.ok(await Promise.race([crashed, new Promise((r) => setTimeout(() => r(false), 10_000))]), 'the tab crashed');
  const again = await context.newPage();
  await page.close().catch(() => {});
  wang.page = again;
  await again.goto(`${server.url}/`);
  await ready(again);
  await again.waitForSelector(`#appeal-list a[data-id="${id}"]`);
  assert.equal(await again.getAttribute('#sync-pending', 'data-pending'), '1', 'still waiting after the tab was killed');
  return afterReconnect(wang, id);
}

async function afterReconnect({ page, context }, id) {
  // Back online: the app syncs by itself and the host's number arrives.
  await context.setOffline(false);
  await synced(page);
  await page.click(`#appeal-list a[data-id="${id}"]`);
  await page.waitForSelector('#timeline li[data-kind=numbered]');
  const heading = await page.textContent('h2');
  assert.match(heading, /编号 \d{11,14}/, `official number shown: ${heading}`);
  await page.waitForSelector('#attachments li[data-kind=photo][data-state=sent] img');
  await shot(page, 'zh-appeal-photo');
  return id;
}

// On the compose screen, offline: a camera photo with EXIF GPS is resized on the phone; the
// "share location" box shows the photo's position when ticked (and is left off); a photo can be
// removed; a voice message is recorded from chromium's fake microphone.
async function attachPhotoAndVoice(server, page) {
  const photo = await cameraPhoto(page, path.dirname(server.log));
  await page.setInputFiles('input[name=photo]', photo.file);
  await page.waitForSelector('#attach-list li[data-kind=photo] img');
  await page.click('#attach-list li[data-kind=photo] button.remove');
  await page.waitForFunction(() => !document.querySelector('#attach-list li'));
  const t0 = Date.now();
  await page.setInputFiles('input[name=photo]', photo.file);
  await page.waitForSelector('#attach-list li[data-kind=photo] img');
  figures.photo_prepare_ms = Date.now() - t0;
  const staged = await page.evaluate(async () => {
    const img = document.querySelector('#attach-list li[data-kind=photo] img');
    const blob = await (await fetch(img.src)).blob();
    return { bytes: blob.size, width: (await createImageBitmap(blob)).width };
  });
  Object.assign(figures, { photo_original_bytes: photo.bytes, photo_resized_bytes: staged.bytes, photo_resized_width: staged.width });
  assert.equal(staged.width, 1280, 'resized to 1280 px on the longest side');
  await page.check('input[name=share_location]');
  await page.waitForFunction((lat) => document.querySelector('#attach-location').textContent.includes(lat),
    PHOTO_GPS.lat.toFixed(5));
  await page.uncheck('input[name=share_location]');
  await page.click('button[data-attach=voice]');
  await page.waitForSelector('button[data-attach=voice][aria-pressed=true]');
  await page.waitForTimeout(2500);
  await page.click('button[data-attach=voice]');
  await page.waitForSelector('#attach-list li[data-kind=voice] audio');
  figures.voice_bytes_2_5s = await page.evaluate(async () =>
    (await (await fetch(document.querySelector('#attach-list li[data-kind=voice] audio').src)).blob()).size);
  await page.locator('#attach-list').scrollIntoViewIfNeeded();
  await shot(page, 'zh-new-appeal-photo');
}

// The host's copy: no EXIF (so no GPS), within the limit and the size; only those who may see
// the appeal get it, everyone else the same catalogued answer.
async function hostKeepsThePhotoPrivate(server, page) {
  const sha = await page.getAttribute('#attachments li[data-kind=photo]', 'data-sha');
  const voice = await page.getAttribute('#attachments li[data-kind=voice]', 'data-sha');
  const mine = await blobAs(server, '13800000001', sha);
  assert.equal(mine.status, 200);
  assert.equal(mine.type, 'image/jpeg');
  const info = jpegInfo(mine.body);
  assert.ok(info.jpeg && !info.exif && !info.gps, `no EXIF or GPS on the host: ${JSON.stringify(info)}`);
  assert.ok(mine.body.length <= 1 << 20, `≤ 1 MiB: ${mine.body.length}`);
  assert.equal(Math.max(info.width, info.height), 1280);
  figures.photo_on_host_bytes = mine.body.length;
  const recording = await blobAs(server, '13800000001', voice);
  assert.equal(recording.status, 200);
  assert.match(recording.type, /^audio\//);
  for (const phone of ['13800000004', '13800000002']) {  // 孙 of 石门村; 李, Wang's neighbour
    const other = await blobAs(server, phone, sha);
    assert.equal(other.status, 404, `refused to ${phone}`);
    assert.equal(other.code, 'blob_not_found');
  }
}

async function cadreResolves(server, head, id) {
  const { page } = head;
  await login(page, server, '13800000006');
  await page.waitForSelector(`#inbox-list a[data-id="${id}"]`);
  await shotBoth(page, 'inbox');
  await page.click(`#inbox-list a[data-id="${id}"]`);
  await page.waitForSelector('#attachments li[data-kind=photo][data-state=cached] img');
  await page.waitForSelector('#attachments li[data-kind=voice][data-state=cached] audio');
  await shot(page, 'zh-cadre-photo');
  await page.click('button[data-action=accept]');
  await page.waitForSelector('#timeline li[data-kind=accepted]');
  await page.fill('form[data-action=reply] textarea', '收到，明天上午去现场看。');
  await page.click('form[data-action=reply] button[type=submit]');
  await page.waitForSelector('#timeline li[data-kind=replied]');
  await shot(page, 'zh-cadre-handling');
  await page.fill('form[data-action=resolve] textarea', '已联系村里施工队，护栏已经焊好并刷了反光漆。');
  await page.click('form[data-action=resolve] button[type=submit]');
  await page.waitForSelector('#timeline li[data-kind=resolved]');
  await synced(page);
  await shot(page, 'zh-cadre-resolved');
}

async function villagerRates(wang, id) {
  const { page } = wang;
  await page.click('#sync button');
  await synced(page);
  await page.waitForSelector('#status[data-status=resolved]', { timeout: 10_000 });
  assert.ok((await page.textContent('#timeline')).includes('收到，明天上午去现场看。'), 'the reply is on the timeline');
  await shotBoth(page, 'appeal-resolved');
  await page.click('button[data-rating=satisfied]');
  await page.waitForSelector('#status[data-status=closed]');
  await synced(page);
  await shotElderly(page, 'zh-elderly-closed', '#status[data-status=closed]');
  await page.click('nav a[href="#/appeals"]');
  await page.waitForSelector(`#appeal-list a[data-id="${id}"]`);
  await shot(page, 'zh-appeals');
  await setLang(page, 'en');
  await shot(page, 'en-appeals');
  await page.click('nav a[href="#/new"]');
  await page.waitForSelector('textarea[name=text]');
  await shot(page, 'en-new-appeal');
  await setLang(page, 'zh-CN');
}

// A rejected action in plain words: the courtyard head accepts an appeal offline while its
// villager withdraws it online; when the head's phone syncs, the host refuses the acceptance and
// the head's screen says why, in the catalogue's words.
// A second tab of the same phone cannot open the database the first one holds (OPFS sync handles
// are exclusive): it says so in plain words, and the first tab goes on working.
async function secondTab(server, wang) {
  const other = await wang.context.newPage();
  await other.goto(`${server.url}/`);
  await other.waitForSelector(`.alert:has-text("${zh['error.storage_busy']}")`);
  await other.close();
  await wang.page.click('nav a[href="#/appeals"]');
  await wang.page.waitForSelector('#appeal-list');
}

// Both offline, the villager and the courtyard head act on the same appeal: he withdraws it,
// she accepts it. Both come online, his phone first: the host takes the withdrawal and refuses
// the acceptance. Her phone then says, in plain words, which action (受理) on which appeal (its
// number) did not take effect, what happened (the catalogue's message) and what to do (the
// catalogue's hint): on the appeal's own screen, and in the banner on every other screen until
// she dismisses it.
async function conflictExplained(server, wang, head) {
  const v = wang.page, c = head.page;
  await v.click('nav a[href="#/new"]');
  await v.fill('textarea[name=text]', '院子里的路灯不亮了，晚上出门很不方便。');
  const { id } = await submitAppeal(v);
  await openAppeal(v, id);
  await synced(v, Date.now() - 60_000);
  await c.click('nav a[href="#/inbox"]');
  await c.click('#sync button');
  await c.waitForSelector(`#inbox-list a[data-id="${id}"]`);
  await c.click(`#inbox-list a[data-id="${id}"]`);
  await c.waitForSelector('#number');
  // Both offline; each acts on the appeal, and each change waits on its phone.
  await wang.context.setOffline(true);
  await head.context.setOffline(true);
  await c.click('button[data-action=accept]');
  await c.waitForSelector('#timeline li[data-kind=accepted]');
  v.once('dialog', (d) => d.accept());
  await v.click('details:has(form[data-action=withdraw]) > summary');
  await v.click('form[data-action=withdraw] button[type=submit]');
  await v.waitForSelector('#status[data-status=withdrawn]');
  await v.waitForSelector('#sync-pending[data-pending="1"]');
  await c.waitForSelector('#sync-pending[data-pending="1"]');
  // Both come online, the villager's phone first.
  const since = Date.now();
  await wang.context.setOffline(false);
  await synced(v, since);
  await head.context.setOffline(false);
  await synced(c, since);
  // On the appeal's own screen: the withdrawal stands, and her acceptance is explained.
  await c.waitForSelector('#status[data-status=withdrawn]');
  const card = '#refusals .refusal[data-type="appeal.accept"]';
  await c.waitForSelector(card);
  const code = await c.getAttribute(card, 'data-code');
  assert.equal(code, 'already_withdrawn');
  assert.equal(await c.getAttribute(card, 'data-source'), 'host');
  const entry = errorEntry(code);
  const official = (await c.evaluate((x) => window.cunwu.call('get', { id: x }), id)).official_number;
  assert.ok(official, 'the host numbered the appeal');
  assert.equal((await c.textContent('#number')).trim(), zh['appeals.number'].replace('{n}', official));
  // The action's name, the appeal's number, the catalogue's message and hint, in `lang`.
  const explained = async (selector, lang) => {
    const text = await c.textContent(selector);
    const words = lang === 'en' ? en : zh;
    for (const part of [words['refusal.action'].replace('{action}', words['op.appeal.accept']),
      words['appeals.number'].replace('{n}', official),
      entry[lang === 'en' ? 'en' : 'zh'], entry.hint[lang === 'en' ? 'en' : 'zh']]) {
      assert.ok(text.includes(part), `${selector} (${lang}) says "${part}": ${text}`);
    }
  };
  await explained(card, 'zh');
  await shot(c, 'zh-conflict-appeal');
  await setLang(c, 'en');
  await c.waitForFunction((x) => document.querySelector(x)?.textContent.includes('did not take effect'), card);
  await explained(card, 'en');
  await shot(c, 'en-conflict-appeal');
  await setLang(c, 'zh-CN');
  // Elsewhere, the banner says the same, with a link to the appeal; the winner sees nothing.
  await c.click('nav a[href="#/inbox"]');
  const banner = '#notices .refusals .refusal[data-type="appeal.accept"]';
  await c.waitForSelector(banner);
  await explained(banner, 'zh');
  assert.equal(await c.getAttribute(`${banner} .refusal-item a`, 'href'), `#/appeal/${encodeURIComponent(id)}`);
  assert.equal(await v.locator('#notices .refusal').count(), 0, 'the villager\'s withdrawal took effect');
  figures.rejection_shown = code;
  await shot(c, 'zh-rejected');
  await setLang(c, 'en');
  await c.waitForFunction((x) => document.querySelector(x)?.textContent.includes('did not take effect'), banner);
  await explained(banner, 'en');
  await shot(c, 'en-rejected');
  await setLang(c, 'zh-CN');
  // Dismissed, the banner stays away (also after a reload); the appeal's screen still explains.
  await c.waitForSelector('#notices .refusals button');
  await c.click('#notices .refusals button');
  await c.waitForSelector('#notices .refusals', { state: 'detached' });
  await c.reload();
  await ready(c);
  await c.waitForSelector('main h2');
  await c.waitForTimeout(300);
  assert.equal(await c.locator('#notices .refusals').count(), 0, 'a dismissed refusal is not shown again');
  await c.goto(`${server.url}/#/appeal/${encodeURIComponent(id)}`);
  await c.waitForSelector(card);
}

// The issue's budgets on a slow phone: 4x CPU throttling, and for the first visit a slow 4G link
// (150 ms RTT, 1.6 Mbps down, 750 kbps up) emulated by the DevTools protocol. Also counts the
// bytes on the wire (bodies as sent, and headers) of the first visit: the app's files, including
// the service worker's install, and the API (login, snapshot, sync). Each time is the median of
// BUDGET_ROUNDS samples (all kept in figures): first visits on fresh phones, then offline
// restarts of the last one, each followed by its first filing. `phone` makes a phone. Returns
// the core's Content-Encoding as served.
async function budgets(server, phone) {
  // The slow-4G first visit on fresh phones (an empty profile each); the last one goes on.
  const firstVisits = [];
  let zhao;
  let cdp;
  for (let round = 0; round < BUDGET_ROUNDS; round++) {
    zhao = await phone();
    cdp = await zhao.context.newCDPSession(zhao.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150,
      downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    if (round < BUDGET_ROUNDS - 1) {
      firstVisits.push(await firstVisit(server, zhao.page));
      await zhao.context.close();  // a phone left open would take CPU from the next round
    }
  }
  const { page, context } = zhao;
  let wasmEncoding = '';
  const wire = { app: 0, api: 0 };
  const counting = async (r) => {
    const s = await r.sizes().catch(() => null);
    if (s) wire[new URL(r.url()).pathname.startsWith('/v1/') ? 'api' : 'app'] += s.responseBodySize + s.responseHeadersSize;
    if (new URL(r.url()).pathname === '/cunwu_core.wasm' && !wasmEncoding) {
      wasmEncoding = (await r.response())?.headers()['content-encoding'] || 'identity';
    }
  };
  context.on('requestfinished', counting);
  firstVisits.push(await firstVisit(server, page));
  Object.assign(figures, sampled('slow4g_first_paint_ms', firstVisits.map((v) => v.paint)),
    sampled('slow4g_login_ready_ms', firstVisits.map((v) => v.login)),
    sampled('slow4g_interactive_ms', firstVisits.map((v) => v.interactive)));
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.fill('input[name=phone]', '13800000005');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav#nav:not([hidden])');
  await synced(page);
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active);
  await page.waitForTimeout(200);  // the last sizes
  context.off('requestfinished', counting);
  figures.first_visit_wire_app_bytes = wire.app;
  figures.first_visit_wire_api_bytes = wire.api;
  // Repeat visits, offline, 4x CPU: from navigation to the appeal list on screen; after each,
  // the first filing of that start.
  await context.setOffline(true);
  const repeats = [];
  const filings = [];
  const commits = [];
  for (let round = 0; round < BUDGET_ROUNDS; round++) {
    repeats.push(await restartAndCompose(page, `村里的自来水这两天很浑，能不能派人看看水池。（第 ${round + 1} 次）`));
    filings.push(+(await submitAppeal(page)).ms.toFixed(1));
    commits.push(Number(await page.evaluate(() => document.body.dataset.lastCommitMs)));
  }
  Object.assign(figures, sampled('cpu4x_offline_repeat_ready_ms', repeats),
    sampled('cpu4x_file_offline_tap_to_list_ms', filings), sampled('cpu4x_file_offline_commit_ms', commits));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  return wasmEncoding;
}

// Each timed budget is the median of this many samples, each printed: one sample on a shared
// 2-core machine varies by a fifth from run to run.
const BUDGET_ROUNDS = 3;

// {NAME: median, NAME_samples: [...]} of `values`.
function sampled(name, values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { [name]: sorted[Math.floor(sorted.length / 2)], [`${name}_samples`]: values };
}

// The slow-4G first visit of a fresh `page` (its throttling already set): first paint, the login
// screen ready and interactive (the login screen up and the core answered; stamped by the page
// itself, so the test's own round trips to a throttled page do not count), ms since navigation.
async function firstVisit(server, page) {
  await page.goto(`${server.url}/`);
  await ready(page);
  return {
    paint: Math.round(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1)),
    login: Number(await page.evaluate(() => document.body.dataset.readyMs)),
    interactive: Number(await (await page.waitForFunction(() => document.body.dataset.interactiveMs)).jsonValue()),
  };
}

// A phone whose browser cannot compile the core (an Android WebView before 95 has no
// WebAssembly exception handling; here the host's core is swapped for bytes no browser
// compiles) is told in plain words as soon as the page has loaded, not at its first tap.
async function tooOldBrowser(server, p) {
  const { page, context } = p;
  const broken = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0a, 0xff]);
  await context.route('**/cunwu_core.wasm*', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: broken }));
  await page.goto(`${server.url}/`);
  await page.waitForSelector('#view .alert[role=alert]');
  assert.equal(await page.textContent('#view .alert'), zh['error.browser_unsupported']);
  await shot(page, 'zh-browser-unsupported');
  await setLang(page, 'en');  // every screen keeps saying it, in the language chosen
  assert.equal(await page.textContent('#view .alert'), en['error.browser_unsupported']);
  await shot(page, 'en-browser-unsupported');
  await context.close();
}

// The fallback where OPFS sync handles are missing: page-level blocks in IndexedDB.
async function indexedDbFallback(server, chen) {
  const { page, context } = chen;
  await login(page, server, '13800000003', '?storage=idb');
  assert.equal((await page.evaluate(() => window.cunwu.call('stats'))).storage, 'idb');
  await context.setOffline(true);
  const r = await page.evaluate(() => window.cunwu.call('file', { appeal: { courtyard: 'qs/dq/hs/y2', category: 'dispute',
    urgency: 'green', text: '邻居家的狗晚上一直叫，协商过几次没用，想请院长调解。', attachments: [] } }));
  figures.idb_commit_ms = +r.commit_ms.toFixed(2);
  await page.reload();
  await ready(page);
  await page.waitForSelector(`#appeal-list a[data-id="${r.id}"]`);
  await context.setOffline(false);
  await synced(page, Date.now() - 1000);
  await context.close();  // a phone left open would take CPU from the budgets measured after it
}

// Commit cost against database size: 300 filings offline, first 20 vs last 20.
async function commitCost(server, li) {
  const { page, context } = li;
  await login(page, server, '13800000002');
  await context.setOffline(true);
  const times = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 300; i++) {
      const r = await window.cunwu.call('file', { appeal: { courtyard: 'qs/dq/hs/y1', category: 'environment', urgency: 'green',
        text: `第 ${i} 条：河边的垃圾堆了好几天没人清理，天热了气味很大，希望安排清运。`, attachments: [] } });
      out.push(r);
    }
    return out;
  });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const stats = await page.evaluate(() => window.cunwu.call('stats'));
  const first = times.slice(0, 20), last = times.slice(-20);
  for (const [name, list] of [['first20', first], ['last20', last]]) {
    figures[`commit_ms_${name}_median`] = +median(list.map((r) => r.commit_ms)).toFixed(2);
    figures[`io_ms_${name}_median`] = +median(list.map((r) => r.io_ms)).toFixed(2);
    figures[`io_bytes_${name}_median`] = median(list.map((r) => r.io_bytes));
  }
  figures.io_flushes_per_commit = median(last.map((r) => r.io_flushes));
  figures.db_bytes_after_300 = stats.bytes;
  figures.io_ms_by_call_300_commits = Object.fromEntries(Object.entries(stats.io.by).map(([k, v]) => [k, Math.round(v)]));
  // Rewriting the file would write ~db_bytes per commit; the VFS writes the changed pages only.
  assert.ok(figures.io_bytes_last20_median < stats.bytes / 4, `a commit writes pages, not the file: ${JSON.stringify(figures)}`);
  assert.ok(figures.io_ms_last20_median < Math.max(20, 3 * figures.io_ms_first20_median),
    `commit I/O time must not grow with the database: ${JSON.stringify(figures)}`);
  await context.close();
}

// The village cadre's figures: wang's appeal was answered, resolved and rated satisfied; his
// burst pipe was answered by sending it to a department (handling.mjs); the newcomer's waits; the
// withdrawn one and the merged duplicate do not count.
async function dashboardShows(cadre) {
  const c = cadre.page;
  await c.click('nav a[href="#/dashboard"]');
  const since = await c.evaluate(() => Date.now());
  await c.click('#sync button');
  await synced(c, since);
  await c.waitForSelector('#rate-response strong[data-rate="0.6667"]');
  assert.equal(await c.textContent('#rate-resolution strong'), '33%');
  assert.equal(await c.textContent('#rate-satisfaction strong'), '100%');
  await shotBoth(c, 'dashboard');
}

// The issue's budgets: transfer sizes (deterministic: asserted) and times (printed PASS/MISS).
const KB = 1000;
function budgetReport() {
  assert.ok(figures.shell_br <= 100 * KB, `app shell ≤ 100 KB compressed: ${figures.shell_br} B`);
  assert.ok(figures.first_visit_total <= 600 * KB, `first visit ≤ 600 KB compressed: ${figures.first_visit_total} B`);
  const lines = [
    ['app shell, brotli (asserted)', figures.shell_br, 100 * KB, 'B'],
    ['first visit total, compressed (asserted)', figures.first_visit_total, 600 * KB, 'B'],
    ['first visit, slow 4G + 4x CPU: login screen and core ready (interactive)', figures.slow4g_interactive_ms, 5000, 'ms', 'slow4g_interactive_ms'],
    ['repeat visit offline, 4x CPU: ready', figures.cpu4x_offline_repeat_ready_ms, 1500, 'ms', 'cpu4x_offline_repeat_ready_ms'],
    ['filing offline, 4x CPU: tap -> visible in the list', figures.cpu4x_file_offline_tap_to_list_ms, 100, 'ms', 'cpu4x_file_offline_tap_to_list_ms'],
  ];
  for (const [what, value, limit, unit, name] of lines) {
    const of = name ? `, median of ${figures[`${name}_samples`].join(', ')}` : '';
    console.log(`budget: ${value <= limit ? 'PASS' : 'MISS'} ${what}: ${value} ${unit} (≤ ${limit}${of})`);
  }
}

async function main() {
  fs.mkdirSync(shots, { recursive: true });
  assert.ok(fs.existsSync(path.join(appDir, 'cunwu_core.wasm')), `no web app in ${appDir}: build the wasm preset`);
  checkCatalogues();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwu-web-e2e-'));
  const server = await startServer(dir, { nativeBuild, args: ['--web', appDir] });
  const phones = [];
  const phone = async () => { const p = await newPhone(dir); phones.push(p); return p; };
  let ok = false;
  const started = Date.now();
  try {
    const wang = await phone();
    const head = await phone();
    const id = await villagerFilesOffline(server, wang);
    await hostKeepsThePhotoPrivate(server, wang.page);
    await cadreResolves(server, head, id);
    await villagerRates(wang, id);
    await secondTab(server, wang);
    await conflictExplained(server, wang, head);
    Object.assign(figures, await handlingAndNotices(wang, head));
    const cadre = await phone();
    await login(cadre.page, server, '13800000010');
    const request = await pointsApplyApproveRedeem(wang, cadre);
    const posts = await cadrePublishesAndAmends(cadre);
    const question = await villagerReadsSearchesAsks(wang, posts);
    await cadreAnswers(cadre, wang, posts, question);
    const newcomer = await phone();
    const newcomerAppeal = await newcomerFilesAtOnce(server, newcomer, head);
    await dashboardShows(cadre);
    await reopenAndEscalate(wang, head, cadre);
    await sharedPhone(server, newcomer, newcomerAppeal);
    await head.page.click('nav a[href="#/logout"]');
    await head.page.click('button[data-action=logout-wipe]');
    await head.page.waitForSelector('input[name=phone]');
    await shopkeeperHandsOver(server, head, wang, request);
    await Promise.all([wang, head, cadre, newcomer].map((p) => p.context.close()));
    await tooOldBrowser(server, await phone());
    await syncTimerAndBackoff(server, await phone());
    await indexedDbFallback(server, await phone());
    await commitCost(server, await phone());
    Object.assign(figures, sizes(await budgets(server, phone)));
    assert.deepEqual(a11y, [], 'axe-core: no serious or critical accessibility violations');
    assert.deepEqual(smallTargets, [], 'every tap target at least 48×48 CSS px');
    assert.deepEqual(layout, [], 'no word broken over two lines, no label outside its place (390 and 360 px), no "null" shown');
    budgetReport();
    ok = true;
    console.log(`web e2e: ok in ${((Date.now() - started) / 1000).toFixed(1)} s; appeal ${id}`);
    console.log(`figures: ${JSON.stringify(figures)}`);
    console.log(`screenshots: ${shots}`);
  } finally {
    // On a failure, what each phone showed (build/screenshots/failed-<n>.png) and its last lines.
    if (!ok) {
      await Promise.all(phones.map((p, n) => p.page.screenshot({ path: path.join(shots, `failed-${n}.png`) }).catch(() => {})));
    }
    await Promise.all(phones.map((p) => p.context.close().catch(() => {})));
    await server.stop();
    if (!ok) {
      for (const [what, list] of [['tap targets', smallTargets], ['layout', layout], ['axe', a11y]]) {
        if (list.length) console.error(`--- ${what} so far (${list.length}):\n${list.slice(0, 40).join('\n')}`);
      }
      const log = fs.readFileSync(server.log, 'utf8').trim().split('\n').slice(-15).join('\n');
      console.error(`--- last lines of the server log (${server.log}):\n${log}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  console.error(`web e2e: FAILED: ${e.stack || e.message}`);
  process.exit(1);
});
