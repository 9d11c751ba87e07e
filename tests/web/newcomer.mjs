// A newcomer and a shared phone. A villager registers with an invite code (from the QR link of
// `cunwu-admin invite`); the phone starts from the host's snapshot (the org tree knows them) and
// they file an appeal at once, which the host numbers; the courtyard head's phone, which got
// its tree before they existed, fetches the new one and shows the appeal. Then the newcomer
// logs out with nothing left to send (their database is erased), a neighbour logs in on the
// same phone and sees nothing of theirs, files offline and logs out anyway (warned; kept for
// their next login, then sent).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { nativeBuild, figures, ready, synced, shot, shotBoth, login, errorEntry, submitAppeal, openAppeal } from './support.mjs';

const opfsFiles = (page) => page.evaluate(async () => {
  const names = [];
  for await (const [name] of (await navigator.storage.getDirectory()).entries()) names.push(name);
  return names.sort();
});

async function fileAppeal(page, text) {
  await page.click('nav a[href="#/new"]');
  await page.waitForSelector('textarea[name=text]');
  await page.fill('textarea[name=text]', text);
  const { id } = await submitAppeal(page);
  await openAppeal(page, id);
  return id;
}

/// Returns the newcomer's appeal id.
export async function newcomerFilesAtOnce(server, phone, head) {
  const out = execFileSync(path.join(nativeBuild, 'native/cunwu-admin'),
    ['invite', '--data', server.data, '--courtyard', 'qs/dq/hs/y1', '--url', `${server.url}/`], { encoding: 'utf8' });
  const url = out.match(/scan to register \((\S+)\):/)[1];
  const code = out.match(/invite code: (\w+)/)[1];
  const { page } = phone;
  await page.goto(url);
  await ready(page);
  assert.equal(await page.inputValue('input[name=invite]'), code, 'the code from the QR link is filled in');
  await page.fill('input[name=name]', '孟小梅');
  await page.fill('input[name=phone]', '13900000042');
  await page.fill('input[name=password]', '123');
  await page.click('button[type=submit]');
  await page.waitForSelector(`.alert:has-text("${errorEntry('weak_password').zh}")`);
  await page.fill('input[name=password]', 'meng-xiaomei-2026');
  await shot(page, 'zh-register');
  await page.click('button[type=submit]');
  await page.waitForSelector('nav#nav:not([hidden])');
  await synced(page);
  assert.equal(await page.evaluate(() => window.cunwu.app.session.name), '孟小梅');
  figures.snapshot_bootstrap = await page.evaluate(() => window.cunwu.app.bootstrap);
  assert.ok(figures.snapshot_bootstrap?.bytes > 0, 'the device started from the host\'s snapshot');

  // 码上办 again, now signed in: the courtyard's code opens the filing form, saying why.
  await page.goto(url);
  await page.waitForSelector('#scanned-note');
  assert.match(await page.textContent('#scanned-note'), /孟小梅/);
  assert.equal(new URL(page.url()).hash, '#/new', 'the registration link is not kept in the address');
  assert.ok(await page.$('textarea[name=text]'), 'the filing form is open');
  await shot(page, 'zh-scanned-signed-in');

  // Filing right away: the device's org tree (from the snapshot) knows the newcomer.
  const id = await fileAppeal(page, '我家门口的下水道堵了，一下雨就漫到院子里。');
  await page.waitForSelector('#timeline li[data-kind=numbered]', { timeout: 20_000 });
  assert.match(await page.textContent('h2'), /编号 \d{11,14}/, 'the host numbered it');

  // The courtyard head's phone got its tree before the newcomer existed: the next sync brings
  // the new tree and the appeal is in the inbox (not a conflict).
  const h = head.page;
  await h.click('nav a[href="#/inbox"]');
  const since = await h.evaluate(() => Date.now());
  await h.click('#sync button');
  await synced(h, since);
  await h.waitForSelector(`#inbox-list a[data-id="${id}"]`);
  return id;
}

export async function sharedPhone(server, phone, newcomerAppeal) {
  const { page, context } = phone;
  // Nothing waits: logging out erases the newcomer's database from the phone, once she confirms
  // (she may stay instead).
  assert.ok((await opfsFiles(page)).includes('u13900000042.db'));
  await page.click('nav a[href="#/logout"]');
  await page.waitForSelector('#logout-confirm');
  await shotBoth(page, 'logout-confirm');
  await page.click('button[data-action=stay]');
  await page.waitForFunction(() => location.hash === '#/');
  assert.ok((await opfsFiles(page)).includes('u13900000042.db'), 'staying erases nothing');
  await page.click('nav a[href="#/logout"]');
  await page.click('button[data-action=logout-wipe]');
  await page.waitForSelector('input[name=phone]');
  assert.ok(!(await opfsFiles(page)).includes('u13900000042.db'), 'the database is erased on logout');
  assert.equal(await page.evaluate(() => localStorage.getItem('cunwu.replica.u13900000042')), null);

  // A neighbour on the same phone sees nothing of hers.
  await login(page, server, '13800000004');
  await page.click('nav a[href="#/appeals"]');
  await page.waitForSelector('main h2');
  assert.equal(await page.$(`a[data-id="${newcomerAppeal}"]`), null, 'another user does not see her appeal');
  assert.equal(await page.evaluate(() => window.cunwu.call('list').then((l) => l.length)), 0, 'nor has it on the device');

  // He files offline and logs out: warned, he may log out anyway; it waits on the phone for him.
  await context.setOffline(true);
  const id = await fileAppeal(page, '石门村村口的路灯坏了三盏，晚上看不见路。');
  await page.click('nav a[href="#/logout"]');
  await page.waitForSelector('#logout-pending');
  await shotBoth(page, 'logout-pending');
  await page.click('button[data-action=logout-keep]');
  await page.waitForSelector('input[name=phone]');
  assert.ok((await opfsFiles(page)).includes('sun.db'), 'kept: it holds what was not sent');
  await context.setOffline(false);
  await login(page, server, '13800000004');
  await page.click('nav a[href="#/appeals"]');
  await page.waitForSelector(`#appeal-list a[data-id="${id}"]`);
  assert.equal(await page.getAttribute('#sync-pending', 'data-pending'), '0', 'sent after logging in again');
}
