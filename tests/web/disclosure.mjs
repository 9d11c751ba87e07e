// Disclosure in the browser: a village cadre publishes a notice and a finance record (an
// unbalanced one is refused in the catalogue's words), then corrects the record; the villager
// sees both as unread, reads the record as tables with totals and the correction's history with
// both versions, searches policies in Chinese, and asks a question the cadre answers.
import assert from 'node:assert/strict';

import { shot, shotBoth, setLang, synced, syncNow, errorEntry } from './support.mjs';

// The post on screen: the address follows a frame after the app draws a screen (app.js go()).
const postId = async (page) => {
  await page.waitForFunction(() => location.hash.startsWith('#/post/'));
  return decodeURIComponent((await page.evaluate(() => location.hash)).replace('#/post/', ''));
};

async function compose(c, type, title, body) {
  await c.click('nav a[href="#/posts"]');
  await c.click('a[data-action=compose]');
  await c.waitForSelector('form[data-action=publish]');
  await c.selectOption('select[name=type]', type);
  await c.fill('input[name=title]', title);
  await c.fill('textarea[name=body]', body);
}

async function fillLine(c, side, category, counterparty, amount) {
  await c.fill(`input[name=${side}-category]`, category);
  await c.fill(`input[name=${side}-counterparty]`, counterparty);
  await c.fill(`input[name=${side}-amount]`, amount);
}

/// Returns the ids of the notice and the finance record.
export async function cadrePublishesAndAmends(cadre) {
  const c = cadre.page;
  await compose(c, 'notice', '关于7月20日召开村民代表大会的通知', '定于7月20日上午9点在村委会二楼召开村民代表大会，审议村道硬化方案，请各院落代表准时参加。');
  await c.click('form[data-action=publish] button[type=submit]');
  await c.waitForSelector('#post-title');
  const notice = await postId(c);

  // (Switching the language redraws the form: its English screenshot comes before the typing.)
  await c.click('nav a[href="#/posts"]');
  await c.click('a[data-action=compose]');
  await setLang(c, 'en');
  await c.selectOption('select[name=type]', 'finance');
  await shot(c, 'en-compose-finance');
  await setLang(c, 'zh-CN');
  await compose(c, 'finance', '河山村2026年第三季度财务收支公开', '本季度集体收支明细如下，欢迎村民监督。');
  await c.fill('input[name=period]', '2026Q3');
  await c.fill('input[name=opening]', '1,000');
  await fillLine(c, 'income', '茶园承包费', '青山茶业专业合作社', '5000');
  await fillLine(c, 'spending', '道路维修', '河山村施工队', '1200.50');
  await c.fill('input[name=closing]', '4800');
  await c.evaluate(() => window.scrollTo(0, 0));
  await shot(c, 'zh-compose-finance');
  await c.click('form[data-action=publish] button[type=submit]');
  await c.waitForSelector(`form[data-action=publish] .alert:has-text("${errorEntry('unbalanced_finance').zh}")`);
  await c.fill('input[name=closing]', '4799.50');
  await c.click('form[data-action=publish] button[type=submit]');
  await c.waitForSelector('#income-table');
  const finance = await postId(c);
  assert.equal(await c.textContent('[data-total="spending-table"]'), '1,200.50 元');

  // A correction is a new version with a reason; the first stays readable.
  await c.click('#amend > summary');
  await c.fill('#amend textarea[name=reason]', '道路维修按发票金额更正为1,250.50元。');
  await c.fill('#amend input[name=spending-amount]', '1250.50');
  await c.fill('#amend input[name=closing]', '4749.50');
  await c.locator('#amend > summary').scrollIntoViewIfNeeded();
  await shot(c, 'zh-amend');
  const since = await c.evaluate(() => Date.now());
  await c.click('#amend button[type=submit]');
  await c.waitForSelector('#history li[data-version="2"]');
  await synced(c, since);
  const change = await c.textContent('#history li[data-version="2"] ul.changes');
  assert.ok(change.includes('1,200.50') && change.includes('1,250.50'), `the correction shows both amounts: ${change}`);
  return { notice, finance };
}

export async function villagerReadsSearchesAsks(wang, ids) {
  const v = wang.page;
  await v.click('nav a[href="#/posts"]');
  await syncNow(v);
  for (const id of [ids.notice, ids.finance]) await v.waitForSelector(`#post-list a[data-id="${id}"][data-unread=true]`);
  await shotBoth(v, 'posts');

  // The finance record: tables with totals, and the history of its correction.
  await v.click(`#post-list a[data-id="${ids.finance}"]`);
  await v.waitForSelector('#spending-table');
  assert.equal(await v.textContent('[data-total="spending-table"]'), '1,250.50 元', 'the corrected total');
  assert.equal(await v.textContent('[data-total="income-table"]'), '5,000.00 元');
  assert.ok((await v.textContent('#finance-summary')).includes('4,749.50 元'));
  await shotBoth(v, 'post-finance');
  await v.click('#history details[data-version="1"] > summary');
  assert.equal(await v.textContent('#history details[data-version="1"] [data-total="spending-table"]'), '1,200.50 元',
    'the first version is still there');
  await v.locator('#history').scrollIntoViewIfNeeded();
  await shot(v, 'zh-post-history');
  await setLang(v, 'en');
  await v.locator('#history').scrollIntoViewIfNeeded();
  await shot(v, 'en-post-history');
  await setLang(v, 'zh-CN');
  await v.click('a.link[href="#/posts"]');
  await v.waitForSelector(`#post-list a[data-id="${ids.finance}"][data-unread=false]`);

  // Browsing by type: only finance records.
  await v.selectOption('select[name=type]', 'finance');
  await v.waitForFunction(() => location.hash === '#/posts/finance');
  await v.waitForSelector(`#post-list a[data-id="${ids.finance}"]`);
  const kinds = await v.$$eval('#post-list a .badge:first-child', (els) => [...new Set(els.map((e) => e.textContent))]);
  assert.deepEqual(kinds, ['财务公开'], `only finance records: ${kinds}`);
  await v.selectOption('select[name=type]', '');
  await v.waitForSelector(`#post-list a[data-id="${ids.notice}"]`);

  // Search in Chinese: two characters, and one.
  await v.fill('input[name=q]', '低保');
  await v.click('form.search button[type=submit]');
  await v.waitForSelector('#search-results li');
  const hits = await v.$$eval('#search-results a', (as) => as.map((a) => a.textContent));
  assert.ok(hits.some((x) => x.includes('最低生活保障')), `the 低保 policy is found: ${hits.join(' | ')}`);
  assert.ok(await v.$('#search-results mark'), 'matches are marked');
  await shotBoth(v, 'search');
  await v.fill('input[name=q]', '茶');
  await v.click('form.search button[type=submit]');
  await v.waitForFunction(() => document.querySelector('h3')?.textContent.includes('茶'));
  const tea = await v.$$eval('#search-results a', (as) => as.map((a) => a.textContent));
  assert.ok(tea.some((x) => x.includes('茶园')), `one character finds the tea-garden contract: ${tea.join(' | ')}`);
  // The contract: its terms and payment schedule.
  await v.click('#search-results a:has-text("承包合同")');
  await v.waitForSelector('#schedule-table');
  assert.ok((await v.textContent('dd[data-field=party]')).includes('青山茶业'), 'the contractor is shown');
  await shotBoth(v, 'post-contract');

  // A question under the notice.
  await v.evaluate((id) => { location.hash = `#/post/${encodeURIComponent(id)}`; }, ids.notice);
  await v.waitForSelector('form[data-action=ask]');
  // A background refresh (a sync came) that began before the villager started typing does not
  // draw over the words: it checks again once its parts are gathered.
  const kept = await v.evaluate(async () => {
    const pending = window.cunwu.app.view.refresh();
    document.querySelector('textarea[name=question]').value = '大会要带';
    await pending;
    return document.querySelector('textarea[name=question]')?.value;
  });
  assert.equal(kept, '大会要带', 'a background refresh keeps a question being typed');
  await v.fill('textarea[name=question]', '大会要带户口本吗？');
  const since = await v.evaluate(() => Date.now());
  await v.click('form[data-action=ask] button[type=submit]');
  await v.waitForSelector('#questions li');
  await synced(v, since);
  return (await v.getAttribute('#questions li', 'data-question'));
}

export async function cadreAnswers(cadre, wang, ids, question) {
  const c = cadre.page;
  await c.click('nav a[href="#/posts"]');
  await syncNow(c);
  await c.click(`#post-list a[data-id="${ids.notice}"]`);
  const form = `li[data-question="${question}"] form[data-action=answer]`;
  await c.waitForSelector(form);
  await c.fill(`${form} textarea`, '不用带户口本，带身份证签到即可。');
  const since = await c.evaluate(() => Date.now());
  await c.click(`${form} button[type=submit]`);
  await c.waitForSelector(`li[data-question="${question}"] .answer`);
  await synced(c, since);
  await shot(c, 'zh-cadre-answer');
  const v = wang.page;
  await syncNow(v);
  await v.waitForSelector(`li[data-question="${question}"] .answer`);
  assert.ok((await v.textContent(`li[data-question="${question}"] .answer`)).includes('身份证'));
  await shot(v, 'zh-post-answered');
}
