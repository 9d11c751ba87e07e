// Before filing, handling beyond accept/reply/resolve, and notifications, in the browser:
//   - Wang writes in Chinese about a burst water pipe: the core suggests red (断水) and the
//     choice is pre-selected; he files it. Writing about it again, the compose screen lists the
//     first one under 村里已有类似诉求; he opens it, comes back (the draft is still there) and
//     files anyway. Dictation: absent or harmless in headless chromium; with a stubbed recognizer
//     the mic button appends what was "heard".
//   - 刘院长 dispatches the first to 镇水务站 (from the county's catalogue of departments) and
//     merges the second, a duplicate, into the first (offered as a similar appeal).
//   - Wang's phone syncs: the bell counts unread notices; the list says his appeal went to
//     镇水务站 and the duplicate was merged; once seen they are read, also after a reload.
import assert from 'node:assert/strict';

import { shot, shotBoth, shotElderly, synced, syncNow, setLang, submitAppeal, zh } from './support.mjs';

let figures_dictation = '';  // whether headless chromium offers speech recognition
const FIRST = '一组的自来水管爆了，水流了一地，家里已经断水了，请尽快派人来修。';
const AGAIN = '自来水管爆了以后，一组家里还是断水';


async function compose(page, category, text) {
  await page.click('nav a[href="#/new"]');
  await page.waitForSelector('textarea[name=text]');
  await page.selectOption('select[name=category]', category);
  await page.fill('textarea[name=text]', text);
}

/// Returns [first, duplicate] appeal ids.
async function villagerComposes(wang) {
  const v = wang.page;
  // The urgency follows the words: red for 断水, pre-selected and changeable.
  await compose(v, 'service', FIRST);
  await v.waitForSelector('#urgency-hint[data-urgency=red]');
  assert.ok((await v.textContent('#urgency-hint')).includes('断水'), 'the hint names the word that decided it');
  assert.equal(await v.isChecked('input[name=urgency][value=red]'), true, 'red is pre-selected');
  const hasRecognition = await v.evaluate(() => !!(window.SpeechRecognition || window.webkitSpeechRecognition));
  assert.equal(await v.locator('#dictate').count(), hasRecognition ? 1 : 0, 'the mic button only where recognition exists');
  figures_dictation = hasRecognition ? 'native' : 'absent';
  const first = (await submitAppeal(v)).id;

  // Writing about it again: the first one is listed as similar, with its status.
  await compose(v, 'service', AGAIN);
  await v.waitForSelector(`#similar:not([hidden]) a[data-id="${first}"]`);
  assert.equal(await v.textContent('#similar-h'), zh['hints.similar_title']);
  await v.waitForSelector('#urgency-hint[data-urgency=red]');
  await shotBoth(v, 'new-appeal-hints');
  await shotElderly(v, 'zh-elderly-new-appeal-hints', '#similar:not([hidden])');
  // He opens it, comes back: what he wrote is still there; he files anyway.
  await v.click(`#similar a[data-id="${first}"]`);
  await v.waitForSelector('#timeline li[data-kind=filed]');
  await v.click('nav a[href="#/new"]');
  await v.waitForSelector('textarea[name=text]');
  assert.equal(await v.inputValue('textarea[name=text]'), AGAIN, 'the draft survives opening the similar appeal');
  await v.waitForSelector(`#similar a[data-id="${first}"]`);
  await v.waitForSelector('#urgency-hint[data-urgency=red]');
  assert.equal(await v.isChecked('input[name=urgency][value=red]'), true, 'red suggested again for the restored draft');
  const duplicate = (await submitAppeal(v)).id;
  assert.notEqual(first, duplicate);
  await synced(v, Date.now() - 60_000);
  return [first, duplicate];
}


// A recognizer stub (the test's, via addInitScript): it "hears" one sentence and ends.
function stubRecognition() {
  window.SpeechRecognition = class {
    start() {
      window.__dictationLang = this.lang;
      setTimeout(() => {
        this.onresult?.({ resultIndex: 0, results: [Object.assign([{ transcript: '水管在村委会东边' }], { isFinal: true })] });
        this.onend?.();
      }, 30);
    }
    stop() { this.onend?.(); }
    abort() { this.onend?.(); }
  };
}

async function dictationAppends(wang) {
  const v = wang.page;
  await v.addInitScript(stubRecognition);
  await v.reload();
  await v.waitForSelector('body[data-ready="1"]');
  await v.click('nav a[href="#/new"]');
  await v.fill('textarea[name=text]', '路口的水管漏了');
  await v.click('#dictate');
  await v.waitForFunction(() => document.querySelector('textarea[name=text]').value.includes('水管在村委会东边'));
  assert.equal(await v.inputValue('textarea[name=text]'), '路口的水管漏了，水管在村委会东边', 'appended after a comma');
  assert.equal(await v.evaluate(() => window.__dictationLang), 'zh-CN');
  await v.waitForSelector('#dictate[aria-pressed=false]');
  await shot(v, 'zh-new-appeal-dictation');
  await v.fill('textarea[name=text]', '');  // not filed: leave no draft behind
}

// The inbox by deadline, its countdowns coloured by the core from the county's limits (sla.hpp:
// red overdue, yellow in the last quarter): the duplicate (red urgency) waits for its 2-hour
// response; the first, answered by the dispatch, counts against its 24-hour resolution limit.
// The page's clock is moved ahead while the minute's tick runs (badges updated in place).
async function inboxCountsDown(c, [first, duplicate]) {
  await c.waitForSelector(`#inbox-list a[data-id="${first}"] .due[data-kind=resolve]`);
  const list = c.locator('#inbox-list');
  const countdowns = (ahead) => c.evaluate(async (ms) => {
    const real = Date.now;
    Date.now = () => real() + ms;
    try { await window.cunwu.app.view.tick(); } finally { Date.now = real; }
    return [...document.querySelectorAll('#inbox-list a[data-id]')].map((a) => {
      const due = a.querySelector('.due');
      return [a.dataset.id, due.dataset.kind, due.dataset.colour, due.className, due.textContent];
    });
  }, ahead);
  const ours = (rows) => rows.filter(([id]) => id === first || id === duplicate);
  const node = await list.elementHandle();
  for (const [ahead, colours] of [[0, ['green', 'green']], [100 * 60_000, ['yellow', 'green']], [19 * 3600_000, ['red', 'yellow']]]) {
    const rows = ours(await countdowns(ahead));
    assert.deepEqual(rows.map(([id, kind, colour]) => [id, kind, colour]),
      [[duplicate, 'respond', colours[0]], [first, 'resolve', colours[1]]], `nearest deadline first, ${ahead} ms ahead: ${JSON.stringify(rows)}`);
    for (const [, , colour, cls] of rows) assert.ok(cls.split(' ').includes(colour), `drawn ${colour}: ${cls}`);
  }
  assert.ok(await node.evaluate((el) => el.isConnected), 'the tick updates the badges, not the list');
  assert.match(ours(await countdowns(19 * 3600_000))[0][4], new RegExp(zh['inbox.overdue_respond'].replace('{t}', '.+')));
  await shot(c, 'zh-inbox-countdown');
}

async function headDispatchesAndMerges(head, [first, duplicate]) {
  const c = head.page;
  await setLang(c, 'zh-CN');
  // (The refusal of the step before, e2e.mjs conflictExplained, was dismissed there.)
  await c.click('nav a[href="#/inbox"]');
  await syncNow(c);
  await c.waitForSelector(`#inbox-list a[data-id="${duplicate}"]`);
  await c.click(`#inbox-list a[data-id="${first}"]`);
  await c.click('#dispatch > summary');
  await c.selectOption('form[data-action=dispatch] select', 'dq-sw');
  await c.click('form[data-action=dispatch] button[type=submit]');
  await c.waitForSelector('#timeline li[data-kind=dispatched]');
  assert.ok((await c.textContent('#timeline li[data-kind=dispatched]')).includes('镇水务站'));

  await c.click('nav a[href="#/inbox"]');
  await inboxCountsDown(c, [first, duplicate]);
  await c.click(`#inbox-list a[data-id="${duplicate}"]`);
  await c.click('#merge > summary');
  await c.waitForSelector(`#merge input[name=into][value="${first}"]`);
  // Nothing chosen: the client's words, nothing written.
  await c.click('form[data-action=merge] button[type=submit]');
  await c.waitForSelector(`form[data-action=merge] .alert:has-text("${zh['error.merge_target_missing']}")`);
  // Both panels open, the first appeal chosen, in each language (switching redraws the screen).
  const ready = async () => {
    await c.waitForSelector(`#merge input[name=into][value="${first}"]`, { state: 'attached' });
    for (const panel of ['#dispatch', '#merge']) {
      if (!(await c.evaluate((sel) => document.querySelector(sel).open, panel))) await c.click(`${panel} > summary`);
    }
    await c.check(`#merge input[name=into][value="${first}"]`);
  };
  await ready();
  await shot(c, 'zh-cadre-dispatch-merge');
  await setLang(c, 'en');
  await ready();
  await shot(c, 'en-cadre-dispatch-merge');
  await setLang(c, 'zh-CN');
  await ready();
  c.once('dialog', (d) => d.accept());
  await c.click('form[data-action=merge] button[type=submit]');
  await c.waitForSelector('#status[data-status=merged]');
  await synced(c, Date.now() - 60_000);
}

async function villagerIsNotified(wang, [first, duplicate]) {
  const v = wang.page;
  await v.click('nav a[href="#/appeals"]');
  await syncNow(v);
  await v.waitForFunction(() => Number(document.querySelector('#notice-bell')?.dataset.unread) >= 2);
  await v.click('#notice-bell');
  const dispatched = `#notice-list li[data-kind=appeal_dispatched][data-entity="${first}"]`;
  await v.waitForSelector(dispatched);
  assert.ok((await v.textContent(dispatched)).includes('镇水务站'), 'the notice names the department');
  await v.waitForSelector(`#notice-list li[data-kind=appeal_merged][data-entity="${duplicate}"][data-unread=true]`);
  await v.waitForSelector('#notice-bell[data-unread="0"]');
  await shotBoth(v, 'notices');
  // Kept across a reload, and read.
  await v.reload();
  await v.waitForSelector('body[data-ready="1"]');
  await v.waitForSelector(`#notice-list li[data-kind=appeal_merged][data-entity="${duplicate}"][data-unread=false]`);
  assert.equal(await v.getAttribute('#notice-bell', 'data-unread'), '0');
  await v.click(dispatched + ' a');
  await v.waitForSelector('#timeline li[data-kind=dispatched]');
}

/// The whole step; returns what it measured.
export async function handlingAndNotices(wang, head) {
  const ids = await villagerComposes(wang);
  await headDispatchesAndMerges(head, ids);
  await villagerIsNotified(wang, ids);
  await dictationAppends(wang);
  return { dictation_in_headless: figures_dictation };
}
