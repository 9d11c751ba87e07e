// What the browser tests share: the paths, phones (a chromium each), waiting for the app,
// screenshots with axe-core's check, logging in, the catalogues, and the figures printed at the end.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const require = createRequire(path.join(repo, 'web/package.json'));
const { chromium } = require('playwright-core');

export const nativeBuild = path.resolve(repo, process.env.CUNWU_NATIVE_BUILD || 'build/native');
export const appDir = path.resolve(repo, process.env.CUNWU_WEB_APP || 'build/wasm/web/app');
export const shots = path.join(repo, 'build/screenshots');
export const PASSWORD = 'cunwu-demo';
/// Figures measured by the steps, printed at the end.
export const figures = {};
/// Serious and critical accessibility violations found by shot().
export const a11y = [];
/// Interactive controls smaller than 48×48 CSS px found by shot() (tapTargets).
export const smallTargets = [];
/// Words broken across lines and labels overflowing their place, at 390 and 360 px (wordBreaks),
/// and screens showing null, undefined or NaN.
export const layout = [];

/// The error catalogue entry of `code` ({code, zh, en}) and the interface catalogues.
const errors = JSON.parse(fs.readFileSync(path.join(repo, 'shared/errors.json'), 'utf8')).errors;
export const errorEntry = (code) => errors.find((e) => e.code === code);
export const zh = JSON.parse(fs.readFileSync(path.join(repo, 'shared/i18n/zh-CN.json'), 'utf8'));
export const en = JSON.parse(fs.readFileSync(path.join(repo, 'shared/i18n/en.json'), 'utf8'));

// A phone: a chromium of its own on a fresh profile directory (an incognito context would keep
// OPFS in memory behind IPC, which is neither what a phone does nor as fast).
export async function newPhone(tmp) {
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(tmp, 'profile-')), {
    executablePath: process.env.CUNWU_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run',
      // A fake microphone that the app may use without a prompt (voice messages).
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'zh-CN',
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`console: ${m.text()}`); });
  return { context, page };
}

export const ready = (page) => page.waitForSelector('body[data-ready="1"]');
// Settled: nothing pending, not syncing, synced at least once since `since`.
export const synced = (page, since = 0) => page.waitForFunction((t) => {
  const s = window.cunwu?.app.sync;
  return s && !s.running && s.pending === 0 && s.last > t;
}, since, { timeout: 20_000 });

// Every visible interactive control of the screen measured: none may be smaller than 48×48 CSS
// px (the issue's tap targets; stricter than WCAG 2.5.8's 24 px). A radio or checkbox inside a
// label is measured as its label, which is what the finger taps. Exempt: WCAG 2.5.8's inline
// exception only, a link inside a sentence of running text (none on these screens today), and
// what is not on screen (display: none, visibility: hidden, the 1 px visually-hidden pattern).
function tapTargets() {
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}`
    + `${el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : ''} "${(el.textContent || el.value || '').trim().slice(0, 20)}"`;
  const inSentence = (el) => el.tagName === 'A' && el.parentElement?.matches('p, li')
    && [...el.parentElement.childNodes].some((n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, audio[controls], video[controls], '
    + '[role=button], [role=link], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
    if (inSentence(el)) continue;
    const box = ['radio', 'checkbox'].includes(el.type) && el.closest('label') ? el.closest('label') : el;
    const r = box.getBoundingClientRect();
    if (r.width < 47.5 || r.height < 47.5) out.push(`${describe(el)} ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
  }
  return out;
}

// Nothing breaks inside a word: no Latin word (letters and digits, up to 16 long: longer ones are
// numbers and codes) is split over two lines anywhere; no Chinese term of up to six characters
// in a control, badge, heading or table head (button, 我的诉求, 标准字号) is either; the bottom
// bar's and the header's labels stay inside their places, and nothing scrolls sideways.
function wordBreaks() {
  const out = [];
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top + r.height / 2))).size;
  };
  const term = 'button, .button, .tool, .nav a, .badge, .due, summary, label, legend, th, dt, h1, h2, h3, .figure .label';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !el.getClientRects().length || el.closest('.visually-hidden, [hidden], script, style, textarea')) continue;
    for (const m of n.textContent.matchAll(/[A-Za-z0-9]+/g)) {
      if (m[0].length > 1 && m[0].length <= 16 && lines(n, m.index, m.index + m[0].length) > 1) out.push(`"${m[0]}" broken in ${el.tagName.toLowerCase()} "${n.textContent.trim().slice(0, 30)}"`);
    }
    if (!el.closest(term)) continue;
    for (const m of n.textContent.matchAll(/[\u3400-\u9fff]+/g)) {
      if (m[0].length >= 2 && m[0].length <= 6 && lines(n, m.index, m.index + m[0].length) > 1) out.push(`"${m[0]}" broken in ${el.tagName.toLowerCase()}`);
    }
  }
  for (const el of document.querySelectorAll('.nav a, .top .tool')) {
    const place = el.getBoundingClientRect();
    const inner = el.querySelector('.label') || el;
    if (inner.scrollWidth > inner.clientWidth + 1 || inner.getBoundingClientRect().width > place.width + 0.5) {
      out.push(`"${el.textContent.trim()}" overflows its place (${place.width.toFixed(0)} px)`);
    }
  }
  if (document.documentElement.scrollWidth > innerWidth + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
  return out;
}

// A screenshot of the screen, and axe-core's accessibility check of it (serious and critical
// violations are collected and fail the test at the end), its tap targets measured and its words
// checked for mid-word breaks, at 390 px and again at 360 px (the narrow phones of the villages).
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export async function shot(page, name) {
  await page.waitForTimeout(50);
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
  for (const v of violations) a11y.push(`${name}: ${v}`);
  figures.screens_checked_by_axe = (figures.screens_checked_by_axe || 0) + 1;
  // A value the code let through unrendered (DOM calls print null as the word "null").
  const leaked = (await page.evaluate(() => document.body.innerText)).match(/\b(null|undefined|NaN)\b|\[object Object\]/);
  if (leaked) layout.push(`${name}: shows "${leaked[0]}"`);
  const viewport = page.viewportSize();
  for (const width of [viewport.width, 360]) {
    if (width !== viewport.width) await page.setViewportSize({ width, height: viewport.height });
    for (const t of await page.evaluate(tapTargets)) smallTargets.push(`${name} @${width}: ${t}`);
    for (const b of await page.evaluate(wordBreaks)) layout.push(`${name} @${width}: ${b}`);
  }
  await page.setViewportSize(viewport);
  figures.screens_measured_at_360_and_390 = (figures.screens_measured_at_360_and_390 || 0) + 1;
}

/// shot() of the screen in Chinese as `zh-NAME` and in English as `en-NAME`, back in Chinese after.
export async function shotBoth(page, name) {
  await shot(page, `zh-${name}`);
  await setLang(page, 'en');
  await shot(page, `en-${name}`);
  await setLang(page, 'zh-CN');
}

/// Taps the sync bar's button and waits until that sync is done.
/// A screenshot (with axe's check) of the screen in elderly mode once `selector` shows in it;
/// back to normal type afterwards.
export async function shotElderly(page, name, selector) {
  await page.click('#elderly');
  await page.waitForSelector(`html.elderly ${selector}`);
  await shot(page, name);
  await page.click('#elderly');
}

/// Restarts the app (a reload; offline if the test made it so) and waits for its first screen,
/// then opens the appeal form, types `text` and waits until the worker has done what opening the
/// form started (the urgency hint, the rehearsed filing), as it would have while a villager typed
/// for seconds. Returns the restart's ready time (ms from navigation to the first screen).
export async function restartAndCompose(page, text) {
  await page.reload();
  await ready(page);
  await page.waitForSelector('main h2');
  const readyMs = Number(await page.evaluate(() => document.body.dataset.readyMs));
  await page.click('nav a[href="#/new"]');
  await page.fill('textarea[name=text]', text);
  await page.evaluate(() => window.cunwu.call('ping'));
  return readyMs;
}

/// Taps the compose screen's submit button and waits for the new appeal in the villager's list,
/// where the app goes after filing (marked data-just-filed). Resolves to its id and `ms`: from the
/// tap (the click event's timestamp) to the first frame that has it in the list (the issue's
/// "filing → visible in the list").
export async function submitAppeal(page) {
  await page.evaluate(() => {
    window.cunwuFiled = new Promise((resolve, reject) => {
      let tap = 0;
      const onClick = (e) => { if (e.target.closest('button[type=submit]')) tap = e.timeStamp; };
      document.addEventListener('click', onClick, { capture: true });
      const observer = new MutationObserver(() => {
        const card = document.querySelector('#appeal-list a[data-just-filed]');
        if (!tap || !card) return;
        observer.disconnect();
        document.removeEventListener('click', onClick, { capture: true });
        requestAnimationFrame(() => resolve({ id: card.dataset.id, ms: performance.now() - tap }));
      });
      observer.observe(document.getElementById('view'), { childList: true, subtree: true });
      setTimeout(() => reject(new Error('the new appeal never showed in the list')), 20_000);
    });
  });
  await page.click('button[type=submit]');
  return page.evaluate(() => window.cunwuFiled);
}

/// Opens appeal `id` from the villager's list and waits for its timeline.
export async function openAppeal(page, id) {
  await page.click(`#appeal-list a[data-id="${id}"]`);
  await page.waitForSelector('#timeline li[data-kind=filed]');
}

export async function syncNow(page) {
  const since = await page.evaluate(() => Date.now());
  await page.waitForSelector('#sync button');
  await page.click('#sync button');
  await synced(page, since);
}

export async function setLang(page, lang) {
  const current = await page.evaluate(() => document.documentElement.lang);
  if (current !== lang) {
    await page.click('#lang');
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }
}

export async function login(page, server, phone, query = '') {
  await page.goto(`${server.url}/${query}`);
  await ready(page);
  await page.fill('input[name=phone]', phone);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav#nav:not([hidden])');
  await synced(page);
}

/// The interface catalogues have the same keys, and every key the app's scripts name literally
/// (t('...')) is in them: a missing one would show its key instead of words.
export function checkCatalogues() {
  const missing = (a, b) => Object.keys(a).filter((k) => !(k in b));
  if (missing(zh, en).length || missing(en, zh).length) {
    throw new Error(`zh-CN and en differ: ${[...missing(zh, en), ...missing(en, zh)].join(', ')}`);
  }
  const dir = path.join(repo, 'web/app');
  const used = fs.readdirSync(dir).filter((f) => f.endsWith('.js'))
    .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\bt\('([a-z_.0-9]+)'/g)].map((m) => m[1]));
  const unknown = [...new Set(used.filter((k) => !(k in zh)))];
  if (unknown.length) throw new Error(`keys missing from shared/i18n: ${unknown.join(', ')}`);
  // Every action the core knows has a name (refusals.js says which one did not take effect), and
  // every reason an action can be refused for (HTTP 403 or 409) says what to do next.
  const core = path.join(repo, 'core/src');
  const types = new Set(fs.readdirSync(core, { recursive: true }).filter((f) => f.endsWith('.cpp'))
    .flatMap((f) => [...fs.readFileSync(path.join(core, f), 'utf8').matchAll(/"((?:appeal|ledger|post)\.[a-z_]+)"/g)].map((m) => m[1])));
  const unnamed = [...types].filter((type) => !(`op.${type}` in zh));
  if (unnamed.length) throw new Error(`actions without a name in shared/i18n (op.*): ${unnamed.join(', ')}`);
  const hintless = errors.filter((e) => [403, 409].includes(e.http) && !(e.hint?.zh && e.hint?.en)).map((e) => e.code);
  if (hintless.length) throw new Error(`refusal reasons without a hint in shared/errors.json: ${hintless.join(', ')}`);
  figures.catalogue_keys = Object.keys(zh).length;
}
