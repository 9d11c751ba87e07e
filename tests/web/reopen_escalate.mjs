// Reopening and escalation, through the screens: the courtyard head (level 1) accepts and
// resolves Wang's appeal; Wang rates it 不满意 (dissatisfied), which reopens it on both sides;
// the head escalates it; the village cadre (level 2) finds it in her inbox at her level, with
// the escalation on its timeline, and the head's inbox no longer holds it.
import assert from 'node:assert/strict';

import { zh, synced, syncNow, submitAppeal, openAppeal } from './support.mjs';

export async function reopenAndEscalate(wang, head, cadre) {
  const v = wang.page, c = head.page, k = cadre.page;
  await v.click('nav a[href="#/new"]');
  await v.fill('textarea[name=text]', '院子后面的排水沟堵了，下雨就往屋里倒灌。');
  const { id } = await submitAppeal(v);
  await openAppeal(v, id);
  await synced(v, Date.now() - 60_000);

  // The head accepts and resolves it.
  await c.click('nav a[href="#/inbox"]');
  await syncNow(c);
  await c.click(`#inbox-list a[data-id="${id}"]`);
  await c.click('button[data-action=accept]');
  await c.waitForSelector('#timeline li[data-kind=accepted]');
  await c.fill('form[data-action=resolve] textarea', '已经派人把水沟掏通了。');
  await c.click('form[data-action=resolve] button[type=submit]');
  await c.waitForSelector('#timeline li[data-kind=resolved]');
  await synced(c, Date.now() - 60_000);

  // Wang is not satisfied: the appeal opens again, on his phone and then on the head's.
  await syncNow(v);
  await v.waitForSelector('#status[data-status=resolved]');
  await v.click('button[data-rating=dissatisfied]');
  await v.waitForSelector('#status[data-status=reopened]');
  assert.equal(await v.textContent('#status'), zh['status.reopened']);
  await synced(v, Date.now() - 60_000);
  await syncNow(c);
  await c.waitForSelector('#status[data-status=reopened]');

  // The head escalates it to the village; the cadre sees it in her inbox at level 2.
  await c.click('details:has(form[data-action=escalate]) summary');
  await c.fill('form[data-action=escalate] textarea', '水沟要挖开重修，院里办不了，请村里安排。');
  await c.click('form[data-action=escalate] button[type=submit]');
  await c.waitForSelector('#timeline li[data-kind=escalated]');
  await synced(c, Date.now() - 60_000);
  await k.click('nav a[href="#/inbox"]');
  await syncNow(k);
  await k.waitForSelector(`#inbox-list a[data-id="${id}"]`);
  await k.click(`#inbox-list a[data-id="${id}"]`);
  await k.waitForSelector('#timeline li[data-kind=escalated]');
  assert.ok((await k.textContent('.facts')).includes(zh['level.2']), 'the appeal is at the village level');
  await k.waitForSelector('section.handle button[data-action=accept]');  // hers to handle now
  await c.click('nav a[href="#/inbox"]');
  await c.waitForSelector('#inbox-list, main p');
  assert.equal(await c.locator(`#inbox-list a[data-id="${id}"]`).count(), 0, 'no longer in the head\'s inbox');
  return id;
}
