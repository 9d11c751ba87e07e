// Strings and DOM helpers. Every text the page shows comes from the catalogues copied from
// shared/: i18n/<lang>.json for the interface, errors.json for errors (by code).
const catalogues = {};
let errorTable = {};
let lang = localStorage.getItem('cunwu.lang') || 'zh-CN';

// A catalogue's JSON: the fetch index.html started before the page's modules loaded
// (self.cunwuEarly), else a fetch now.
function fetchCatalogue(path) {
  const early = self.cunwuEarly?.[path];
  const again = () => fetch(path).then((r) => r.json());
  return early ? early.then((j) => j ?? again()) : again();
}

const cataloguePath = (l) => `i18n/${l}.json`;

/// Loads the catalogues the first screen needs: Chinese (every text falls back to it), the
/// chosen language's if another, and the error catalogue (cached by the service worker).
export async function loadCatalogues() {
  const wanted = ['zh-CN', ...(lang === 'zh-CN' ? [] : [lang])];
  const [errors, ...texts] = await Promise.all(['errors.json', ...wanted.map(cataloguePath)].map(fetchCatalogue));
  wanted.forEach((l, i) => { catalogues[l] = texts[i]; });
  errorTable = Object.fromEntries(errors.errors.map((e) => [e.code, e]));
}

/// Loads language `l`'s catalogue if it is not loaded yet (before switching to it). False when
/// it cannot be had (offline before the service worker has cached the app).
export async function loadLanguage(l) {
  if (catalogues[l]) return true;
  try {
    catalogues[l] = await fetchCatalogue(cataloguePath(l));
    return true;
  } catch {
    return false;
  }
}

export const currentLang = () => lang;
export function setLang(l) {
  lang = l;
  localStorage.setItem('cunwu.lang', l);
  document.documentElement.lang = l;
}

/// The text of `key` in the current language with {name} placeholders filled from `vars`.
export function t(key, vars = {}) {
  const s = catalogues[lang]?.[key] ?? catalogues['zh-CN']?.[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/// The villager's words for error `code`: shared/errors.json, else the client's own
/// (error.<code> in the interface catalogue), else a generic message.
export function errorText(code) {
  const e = errorTable[code];
  if (e) return lang === 'en' ? e.en : e.zh;
  const key = `error.${code}`;
  return catalogues[lang]?.[key] ? t(key) : t('error.unknown');
}

/// What a person can do next when an action of theirs was refused for `code`: the catalogue's
/// hint (shared/errors.json), else a general one.
export function errorHint(code) {
  const hint = errorTable[code]?.hint;
  return hint ? (lang === 'en' ? hint.en : hint.zh) : t('refusal.hint_default');
}

/// Creates an element: h('button', {type: 'button', onclick}, 'text', child...).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const dateFormats = {};  // by language: making one costs more than formatting many dates

/// A date and time in the current language.
export function when(ms) {
  if (!ms) return '';
  dateFormats[lang] ||= new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return dateFormats[lang].format(new Date(ms));
}

/// A duration as the largest two units ("2 天 3 小时", "45 min").
export function span(ms) {
  const m = Math.max(0, Math.round(Math.abs(ms) / 60000));
  const d = Math.floor(m / 1440), hh = Math.floor((m % 1440) / 60), mm = m % 60;
  if (d) return `${t('time.days', { n: d })} ${hh ? t('time.hours', { n: hh }) : ''}`.trim();
  if (hh) return `${t('time.hours', { n: hh })} ${mm ? t('time.minutes', { n: mm }) : ''}`.trim();
  return t('time.minutes', { n: mm });
}

/// An amount in fen as yuan with two decimals ("1,234.50 元"), exactly (no floating point).
export function money(fen) {
  const n = Number(fen);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const yuan = new Intl.NumberFormat(lang).format(Math.trunc(abs / 100));
  return t('money.yuan', { n: `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}` });
}

/// Text whose matches the core marked 【like this】, as nodes with <mark> around the matches.
export function marked(text) {
  return String(text).split(/(【[^】]*】)/).filter(Boolean)
    .map((part) => (part.startsWith('【') && part.endsWith('】') ? h('mark', {}, part.slice(1, -1)) : part));
}
