// Points in the browser: a villager applies for an award (the catalogue's words when evidence is
// missing), a village cadre rejects one application with a reason and approves another, the
// villager redeems in the points supermarket (refused in plain words while the points do not
// cover it), the host confirms the redemption, and the shopkeeper hands it over.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { shot, shotBoth, shotElderly, synced, syncNow, login, errorEntry } from './support.mjs';
import { cameraPhoto } from './attachments.mjs';

const applicationIds = (page, status) => page.$$eval(`#applications li[data-status=${status}]`, (els) => els.map((e) => e.dataset.id));

async function apply(page, rule, evidence, photo) {
  await page.click('a[href="#/apply"]');
  await page.waitForSelector('#rule-list');
  await page.check(`input[name=rule][value=${rule}]`);
  await page.fill('textarea[name=evidence]', evidence);
  if (photo) {
    await page.setInputFiles('input[name=photo]', photo);
    await page.waitForSelector('#attach-list li[data-kind=photo] img');
  }
  const before = await page.evaluate(() => Date.now());
  await page.click('button[type=submit]');
  await page.waitForSelector('#applications');
  await synced(page, before);
}

/// Returns the id of the redemption request, for the shopkeeper.
export async function pointsApplyApproveRedeem(wang, cadre) {
  const v = wang.page, c = cadre.page;
  await v.click('nav a[href="#/points"]');
  await v.waitForSelector('#points-balance[data-points="0"]');

  // Nothing to spend yet: the core refuses the redemption in the catalogue's words.
  await v.click('a[href="#/shop"]');
  await v.waitForSelector('#goods');
  await v.click('button[data-goods=soap]');
  await v.click('button[data-confirm=soap]');
  await v.waitForSelector(`li[data-goods=soap] .alert:has-text("${errorEntry('insufficient_points').zh}")`);
  await v.click('a[href="#/points"]');

  // An application without the evidence the rule needs is refused; with it, it waits for review.
  await v.click('a[href="#/apply"]');
  await v.waitForSelector('#rule-list');
  await v.check('input[name=rule][value=clean-yard]');
  await v.click('button[type=submit]');
  await v.waitForSelector(`.alert:has-text("${errorEntry('evidence_required').zh}")`);
  await shotBoth(v, 'points-apply');
  await v.click('a[href="#/points"]');
  // With a photo of the yard as evidence (uploaded with the sync; the cadre sees it).
  const yard = await cameraPhoto(v, fs.mkdtempSync(path.join(os.tmpdir(), 'cunwu-yard-')), { name: 'yard.jpg', seed: 11 });
  await apply(v, 'clean-yard', '门前屋后打扫干净了，柴火码放整齐，请院长来看看。', yard.file);
  fs.rmSync(path.dirname(yard.file), { recursive: true, force: true });
  await apply(v, 'volunteer-day', '周六上午去村委会帮忙搬运防汛沙袋。');
  const [late, first] = await applicationIds(v, 'pending');  // newest first
  assert.ok(first && late, 'two applications wait for review');

  // The village cadre rejects the second with a reason and approves the first.
  await c.click('nav a[href="#/review"]');
  await syncNow(c);
  await c.waitForSelector(`#review-list li[data-id="${late}"]`);
  await c.waitForSelector(`#review-list li[data-id="${first}"] .gallery li[data-kind=photo][data-state=cached] img`);
  await shotBoth(c, 'review');
  const card = `#review-list li[data-id="${late}"]`;
  await c.click(`${card} details > summary`);
  await c.fill(`${card} form[data-action=reject] textarea`, '那天的志愿服务签到表上没有您的名字，请补签后再申请。');
  await c.click(`${card} form[data-action=reject] button[type=submit]`);
  await c.waitForSelector(card, { state: 'detached' });
  await c.click(`#review-list li[data-id="${first}"] button[data-action=approve]`);
  await c.waitForSelector('#review-empty');
  await synced(c, 0);
  await syncNow(c);

  // The villager sees both decisions: 5 points, and the reason for the rejection.
  await syncNow(v);
  await v.waitForSelector('#points-balance[data-points="5"]');
  await v.waitForSelector(`#applications li[data-id="${first}"][data-status=approved]`);
  const reason = await v.textContent(`#applications li[data-id="${late}"][data-status=rejected] .reason`);
  assert.ok(reason.includes('签到表'), `the rejection's reason is shown: ${reason}`);

  // Redeeming holds the points until the host confirms; the confirmation comes with the sync.
  await v.click('a[href="#/shop"]');
  await v.waitForSelector('button[data-goods=soap]:not([disabled])');
  await shotBoth(v, 'shop');
  await wang.context.setOffline(true);
  await v.click('button[data-goods=soap]');
  await v.click('button[data-confirm=soap]');
  await v.waitForSelector('#redemptions li[data-status=pending]');
  assert.equal(await v.getAttribute('#points-available', 'data-points'), '0', 'the price is held');
  assert.equal(await v.getAttribute('#points-balance', 'data-points'), '5', 'not spent before the host confirms');
  await shot(v, 'zh-points-pending');
  const request = await v.getAttribute('#redemptions li[data-status=pending]', 'data-id');
  const since = await v.evaluate(() => Date.now());
  await wang.context.setOffline(false);
  await synced(v, since);
  await v.waitForSelector(`#redemptions li[data-id="${request}"][data-status=confirmed]`, { timeout: 20_000 });
  await v.waitForSelector('#points-balance[data-points="0"]');
  await shotBoth(v, 'points');
  await shotElderly(v, 'zh-elderly-points', '#points-balance');

  await v.click('a[href="#/honour"]');
  await v.waitForSelector('#honour-month');
  const month = await v.textContent('#honour-month');
  assert.ok(month.includes('王秀英家') && month.includes('5'), `王秀英家 on this month's honour roll: ${month}`);
  await shotBoth(v, 'honour');
  return request;
}

/// On a phone whose last user logged out, the shopkeeper logs in and hands the item over; the
/// villager's list then says it was collected.
export async function shopkeeperHandsOver(server, phone, wang, request) {
  const s = phone.page;
  await login(s, server, '13800000018');
  await s.click('nav a[href="#/fulfil"]');
  await s.waitForSelector(`#fulfil-list li[data-id="${request}"]`);
  await shotBoth(s, 'fulfil');
  const since = await s.evaluate(() => Date.now());
  await s.click(`#fulfil-list li[data-id="${request}"] button[data-action=fulfil]`);
  await s.waitForSelector(`#fulfil-list li[data-id="${request}"]`, { state: 'detached' });
  await synced(s, since);
  const v = wang.page;
  await v.click('nav a[href="#/points"]');
  await syncNow(v);
  await v.waitForSelector(`#redemptions li[data-id="${request}"][data-status=fulfilled]`);
}
