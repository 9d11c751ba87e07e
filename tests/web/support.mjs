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

// A screenshot of the screen, and axe-core's accessibility check of it (serious and critical
// violations are collected and fail the test at the end).
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
