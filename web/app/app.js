// The page: boot, session, sync status and the router. The core (in the worker) decides every
// rule; this file moves text between the host, the worker and the screen.
import { call, startWorker } from './core_client.js';
import { loadCatalogues, loadLanguage, t, errorText, h, when, setLang, currentLang } from './ui.js';
import { views } from './views.js';
import { uploadPending, wipeUser } from './blob_store.js';
import { refreshNotices, renderBell } from './notices.js';
import { icon } from './icons.js';
import { renderRefusalBanner, refusalKeys, keepRejectedAcks } from './refusals.js';

const HANDLER_ROLES = ['courtyard_head', 'village_cadre', 'township_staff', 'county_staff'];
const REVIEW_ROLES = ['courtyard_head', 'village_cadre'];  // approve points applications
// When to sync (ms): every `every` after a success; after failures from `backoff` doubling to
// `max`. A test may set shorter ones (self.cunwuSyncTiming, before the app loads).
const SYNC_TIMING = { every: 30_000, backoff: 5000, max: 5 * 60_000, ...self.cunwuSyncTiming };

export const app = {
  session: JSON.parse(localStorage.getItem('cunwu.session') || 'null'),
  sync: { running: false, pending: 0, last: 0, failures: 0, retryAt: 0, delay: 0, relogin: false, timer: 0 },
  storage: '',
  view: null,
};

// --- session --------------------------------------------------------------------------

app.isVillager = () => !!app.session?.roles.some((r) => r.role === 'villager');
app.isHandler = () => !!app.session?.roles.some((r) => HANDLER_ROLES.includes(r.role));
/// The region of the user's first role among `roles` ('' when none): where they review, publish, count.
app.regionOf = (roles) => app.session?.roles.find((r) => roles.includes(r.role))?.region || '';
app.reviewScope = () => app.regionOf(REVIEW_ROLES);
app.handlerScope = () => app.regionOf(HANDLER_ROLES);
app.shopScope = () => app.regionOf(['shopkeeper']);
/// The village of the villager's home courtyard (region ids are paths: county/township/village/courtyard).
app.village = () => (app.session?.home || '').split('/').slice(0, 3).join('/');

/// Calls the host: resolves to the ok Response; a failed request throws {code: 'network'}, an
/// error answer {code (the catalogue's), status}.
app.request = async (path, { method = 'GET', body, token } = {}) => {
  let res;
  try {
    res = await fetch(path, { method, body,
      headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  } catch {
    throw Object.assign(new Error('network'), { code: 'network' });
  }
  if (!res.ok) {
    let code = 'internal';
    try { code = (await res.json()).error.code; } catch { /* keep internal */ }
    throw Object.assign(new Error(code), { code, status: res.status });
  }
  return res;
};

/// POSTs `body` (text, or an object sent as JSON) and resolves to the answer's text.
app.post = async (path, body, token) =>
  (await app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), token })).text();

/// Signs in with a login answer ({token, user, name}): reads the roles, opens the device (from
/// the host's snapshot on a first start).
app.signIn = async (login) => {
  const res = await fetch('/v1/me', { headers: { Authorization: `Bearer ${login.token}` } });
  if (!res.ok) throw Object.assign(new Error('me'), { code: 'unauthorized' });
  const me = await res.json();
  app.session = { token: login.token, user: login.user, name: login.name, roles: me.roles, home: me.home || '',
    household: me.household || '' };
  localStorage.setItem('cunwu.session', JSON.stringify(app.session));
  app.sync.relogin = false;
  await openDevice();
  syncNow();
  go(app.isHandler() ? '#/inbox' : app.isVillager() ? '#/appeals' : '#/posts');
};

// Per-user keys of this browser besides the database: the device's replica id, the last sync,
// what refusals.js keeps (the refusals dismissed, the host's answers' rejections).
const userKeys = (user) => [`cunwu.replica.${user}`, `cunwu.last_sync.${user}`, ...refusalKeys(user)];

/// Logs out. Every user has a database of their own on this browser, so the next person to log
/// in never sees this one's data; with `wipe` (nothing left to send) it is deleted as well, so
/// that a shared phone keeps nobody's appeals once they log out. Without it (changes made
/// offline are still waiting) the database stays for this user's next login: deleting it would
/// lose what they did.
app.signOut = async ({ wipe }) => {
  clearTimeout(app.sync.timer);
  const { user, token } = app.session;
  if (navigator.onLine) app.post('/v1/auth/logout', {}, token).catch(() => {});
  await call('close', { wipe });
  if (wipe) userKeys(user).forEach((k) => localStorage.removeItem(k));
  if (wipe) await wipeUser(user).catch((e) => console.warn('attachments:', e));
  localStorage.removeItem('cunwu.session');
  app.session = null;
  go('#/login');
};

// A new replica id: short (it is part of the provisional numbers villagers see) but unique,
// ~59 random bits. A database that starts empty always gets a new one: a reused id would count
// its ops from 1 again, and the host would take them for ops it already has.
function newReplicaId() {
  return `w${crypto.getRandomValues(new Uint8Array(12)).reduce((s, b) => s + 'abcdefghjkmnpqrstuvwxyz23456789'[b % 31], '')}`;
}

/// Opens the signed-in user's device; a database that holds nothing yet starts from the host's
/// snapshot of the user's scope (POST /v1/snapshot: the org tree, what they may see, the cursor).
async function openDevice() {
  const key = `cunwu.replica.${app.session.user}`;
  const storage = new URLSearchParams(location.search).get('storage') || '';  // 'idb' forces the fallback
  let r = await call('open', { user: app.session.user, replica: localStorage.getItem(key) || newReplicaId(), storage });
  app.storage = r.storage;
  if (r.empty) {
    if (!navigator.onLine) throw Object.assign(new Error('offline'), { code: 'first_start_offline' });
    const replica = newReplicaId();
    const t0 = performance.now();
    const request = await call('snapshotRequest', { replica });
    const res = await app.request('/v1/snapshot', { method: 'POST', body: request, token: app.session.token });
    const digest = res.headers.get('X-Cunwu-Image-Digest') || '';
    r = await call('openSnapshot', { replica, image: await res.arrayBuffer(), digest });
    localStorage.setItem(key, replica);
    app.bootstrap = { bytes: r.bytes, ops: r.ops, ms: Math.round(performance.now() - t0) };
  }
  app.sync.pending = r.pending;
  app.sync.last = Number(localStorage.getItem(`cunwu.last_sync.${app.session.user}`) || 0);
}

/// Brings the device's org tree up to the host's (people who registered since it was fetched):
/// one small request when nothing changed.
async function refreshDirectory() {
  const known = await call('directoryVersion');
  const res = await app.request(`/v1/directory?known=${encodeURIComponent(known)}`, { token: app.session.token });
  const answer = await res.json();
  if (answer.directory) await call('directoryUpdate', { directory: JSON.stringify(answer.directory) });
}

// --- sync -----------------------------------------------------------------------------

// The next sync in `delay` ms (none once the session needs a new login).
function armSync(delay) {
  const s = app.sync;
  clearTimeout(s.timer);
  s.delay = delay;
  s.retryAt = Date.now() + delay;
  if (!s.relogin) s.timer = setTimeout(syncNow, delay);
}
const backoff = (failures) => Math.min(SYNC_TIMING.max, SYNC_TIMING.backoff * 2 ** (failures - 1));

/// Runs round trips until nothing is left to push or pull. On failure it retries with backoff
/// (5 s doubling to 5 min); on success again every 30 s. Offline it tries nothing but keeps the
/// timer armed (the `online` event is not the only way back: a page frozen in the background
/// misses it). What the host refused (and what the pulled ops made a conflict here) the core
/// lists; the banner shows it (refusals.js).
async function syncNow() {
  const s = app.sync;
  clearTimeout(s.timer);
  if (!app.session || s.running) return;
  if (!navigator.onLine) {
    armSync(s.failures ? backoff(s.failures) : SYNC_TIMING.every);
    renderSync();
    return;
  }
  s.running = true;
  renderSync();
  let delay = SYNC_TIMING.every;
  try {
    await refreshDirectory();
    for (let trip = 0; trip < 100; trip++) {
      // Attachments first: an op reaches the host after the photos it names (blob_store.js).
      await uploadPending(app.session.user, app.session.token);
      const request = await call('syncRequest');
      const response = await app.post('/v1/sync', request, app.session.token);
      const report = await call('syncApply', { request, response });
      if (report.rejected.length) keepRejectedAcks(app.session.user, report.rejected);
      s.pending = await call('pending');
      if (!report.more && s.pending === 0) break;
    }
    s.last = Date.now();
    localStorage.setItem(`cunwu.last_sync.${app.session.user}`, String(s.last));
    s.failures = 0;
    await refreshNotices(app);  // what the sync brought for me (通知)
  } catch (e) {
    s.failures += 1;
    if (e.code === 'unauthorized' || e.code === 'session_expired') s.relogin = true;
    delay = backoff(s.failures);
  } finally {
    s.running = false;
  }
  armSync(delay);
  renderSync();
  renderNotices();
  app.view?.refresh?.();
}
app.syncNow = syncNow;

/// Runs `fn` once the next frame has been drawn (or after 250 ms, e.g. in a hidden tab that
/// draws none): work that need not delay what the user waits to see.
app.afterPaint = (fn) => {
  let done = false;
  const once = () => { if (!done) { done = true; fn(); } };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 250);
};

/// After a local change: count what waits, and push it at once when online.
app.changed = async () => {
  app.sync.pending = await call('pending');
  renderSync();
  if (navigator.onLine) syncNow();
};

// The banner of the user's actions that did not take effect (refusals.js), on every screen.
function renderNotices() {
  renderRefusalBanner(app, document.getElementById('notices'));
}

let syncDrawn = '';  // what the sync bar shows now: it is redrawn only when that changes

function renderSync() {
  const bar = document.getElementById('sync');
  const s = app.sync;
  const online = navigator.onLine;
  const failedIn = s.failures && online ? Math.max(1, Math.round((s.retryAt - Date.now()) / 1000)) : 0;
  const key = JSON.stringify([app.session?.user, currentLang(), online, s.running, s.pending, s.last && when(s.last), s.relogin, failedIn]);
  if (key === syncDrawn && bar.childElementCount) return;
  syncDrawn = key;
  bar.replaceChildren();
  bar.hidden = !app.session;
  if (!app.session) return;
  bar.classList.toggle('offline', !online);
  const info = h('div', { class: 'info' }, h('span', {}, h('span', { class: 'dot', 'aria-hidden': 'true' }), ' ',
    h('span', { id: 'sync-state' }, online ? (s.running ? t('sync.running') : t('sync.online')) : t('sync.offline'))),
    h('span', { id: 'sync-pending', 'data-pending': s.pending }, s.pending ? t('sync.pending', { n: s.pending }) : t('sync.none_pending')),
    h('span', { id: 'sync-last' }, s.last ? t('sync.last', { t: when(s.last) }) : t('sync.never')));
  if (s.relogin) info.append(h('span', { class: 'alert' }, t('sync.relogin')));
  else if (failedIn) info.append(h('span', {}, t('sync.failed', { s: failedIn })));
  bar.append(info);
  if (online && !s.running) bar.append(h('button', { type: 'button', onclick: syncNow }, t('sync.now')));
}
app.renderSync = renderSync;

// --- router and chrome ----------------------------------------------------------------

let drawn = null;  // the hash route() last drew

/// Shows the screen of `hash` now, without waiting for the hashchange event (a frame later on a
/// slow phone); the address follows once it is drawn (history.pushState costs ~25 ms at 4x CPU
/// throttling, `location.hash =` more: it also looks for an element to scroll to). Going back
/// fires hashchange and popstate, which route().
export function go(hash) {
  route(hash);
  app.afterPaint(() => { if (drawn === hash && location.hash !== hash) history.pushState(null, '', hash); });
}
app.go = go;
/// The hash of the screen on display (ahead of location.hash for a frame after go()).
app.shown = () => drawn ?? location.hash;

async function route(hash = location.hash) {
  drawn = hash;
  const [, name = '', arg = ''] = hash.match(/^#\/([a-z]+)\/?(.*)$/) || [];
  let view = name;
  if (!app.session) view = name === 'register' ? 'register' : 'login';
  else if (name === 'register' && app.isVillager()) {
    // 码上办 when signed in: the courtyard's code is for people without an account; a villager
    // who scans it came to report something, so the form opens, saying why.
    history.replaceState(null, '', '#/new');
    drawn = '#/new';
    view = 'new';
    app.scanned = true;
  } else if (!views[view] || view === 'login' || view === 'register') view = app.isHandler() ? 'inbox' : app.isVillager() ? 'appeals' : 'posts';
  renderChrome(view);
  const main = document.getElementById('view');
  if (app.unsupported) {
    // Every screen says why nothing works, in the language chosen.
    main.replaceChildren(h('p', { class: 'alert', role: 'alert' }, errorText('browser_unsupported')));
    return;
  }
  app.view = views[view](app, decodeURIComponent(arg));
  // Each screen draws into its own element: a render of a screen already left (a sync's refresh
  // still waiting for the worker, a first render overtaken by a tap elsewhere) draws off the
  // page, never over the screen now shown.
  const screen = h('div', { class: 'screen' }, h('p', { class: 'loading' }, t('app.loading')));
  main.replaceChildren(screen);
  try {
    await app.view.render(screen);
  } catch (e) {
    screen.replaceChildren(h('p', { class: 'alert', role: 'alert' }, errorText(e.code)));
  }
}

// Screens that belong to a place of the bottom bar, which stays marked while they are open.
const SECTION = { appeal: 'appeals', apply: 'points', shop: 'points', honour: 'points', post: 'posts', compose: 'posts' };

// Sets a text or an attribute only when it changes: a write, even of the same words, makes the
// browser recompute the header's layout on the next frame.
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };
const setAttr = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
let navDrawn = '';  // the bottom bar's places as drawn (language and roles): rebuilt when they change

function renderChrome(view) {
  const current = SECTION[view] || view;
  if (document.title !== t('app.title')) document.title = t('app.title');
  setText(document.getElementById('title'), t('app.title'));
  setText(document.getElementById('skip'), t('nav.main'));
  // The buttons' names are their visible words (the language button's in its own language).
  const lang = document.getElementById('lang');
  setText(lang, t('lang.switch'));
  setAttr(lang, 'lang', currentLang() === 'en' ? 'zh-CN' : 'en');
  setAttr(lang, 'title', t('lang.label'));
  const elderly = document.getElementById('elderly');
  const big = document.documentElement.classList.contains('elderly');
  setText(elderly, t('elderly.on'));  // one name; aria-pressed says whether it is on
  setAttr(elderly, 'aria-pressed', String(big));
  setAttr(elderly, 'title', t('elderly.label'));
  const nav = document.getElementById('nav');
  nav.hidden = !app.session;
  setAttr(nav, 'aria-label', t('nav.main'));
  // Icon over a one-line label (short words: nothing breaks mid-word on a 360 px phone, also
  // in elderly mode; app.css). Moving to another place only moves the mark.
  const links = navLinks();
  const key = JSON.stringify(links);
  if (key !== navDrawn || nav.childElementCount !== links.length) {
    navDrawn = key;
    nav.replaceChildren(...links.map(([v, label, glyph]) => h('a', { href: `#/${v}` }, icon(glyph), h('span', { class: 'label' }, label))));
  }
  for (const a of nav.children) {
    const here = a.getAttribute('href') === `#/${current}`;
    if (here !== a.hasAttribute('aria-current')) here ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current');
  }
  renderSync();
  renderNotices();
  renderBell(app);
}

// The bottom bar: what this person's roles let them do, at most five places on a phone.
function navLinks() {
  const links = [];
  if (app.isHandler()) {
    links.push(['inbox', t('nav.inbox'), 'inbox']);
    if (app.reviewScope()) links.push(['review', t('nav.review'), 'check']);
  }
  if (app.isVillager()) links.push(['appeals', t('nav.appeals'), 'list'], ['new', t('nav.new'), 'pen'], ['points', t('nav.points'), 'star']);
  if (app.shopScope()) links.push(['fulfil', t('nav.fulfil'), 'gift']);
  links.push(['posts', t('nav.posts'), 'board']);
  if (app.isHandler()) links.push(['dashboard', t('nav.dashboard'), 'chart']);
  links.push(['logout', t('nav.logout'), 'exit']);
  return links;
}


async function boot() {
  setLang(currentLang());
  document.documentElement.classList.toggle('elderly', localStorage.getItem('cunwu.elderly') === '1');
  startWorker();
  window.cunwu = { call, app };  // for the browser tests and for debugging from the console
  await loadCatalogues();
  document.getElementById('lang').onclick = async () => {
    const next = currentLang() === 'en' ? 'zh-CN' : 'en';
    if (!await loadLanguage(next)) return;
    setLang(next);
    route(app.shown());
  };
  document.getElementById('elderly').onclick = () => {
    const on = document.documentElement.classList.toggle('elderly');
    localStorage.setItem('cunwu.elderly', on ? '1' : '0');
    route(app.shown());
  };
  if (app.session) {
    try {
      await openDevice();
    } catch (e) {
      if (e.code === 'unauthorized' || e.code === 'session_expired') {
        // A first start whose session ended before the snapshot came: log in again.
        await call('close', { wipe: false });
        localStorage.removeItem('cunwu.session');
        app.session = null;
      } else {
        document.getElementById('view').replaceChildren(h('p', { class: 'alert', role: 'alert' }, errorText(e.code)));
        if (e.code === 'first_start_offline') window.addEventListener('online', () => location.reload(), { once: true });
        return;
      }
    }
  }
  window.addEventListener('hashchange', () => { if (location.hash !== drawn) route(); });
  window.addEventListener('popstate', () => { if (location.hash !== drawn) route(); });
  // A tap on a link to the address still shown while go() waits for the frame to update it:
  // no hashchange comes for it, so it is routed here.
  document.addEventListener('click', (e) => {
    const a = e.target.closest?.('a[href^="#/"]');
    if (a && a.getAttribute('href') === location.hash && location.hash !== drawn) route(location.hash);
  });
  window.addEventListener('online', () => { app.sync.failures = 0; syncNow(); });
  window.addEventListener('offline', renderSync);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') syncNow(); });
  await route();
  document.body.dataset.ready = '1';
  document.body.dataset.readyMs = performance.now().toFixed(0);  // since navigation start
  if (app.session) syncNow();
  // The core's first answer once the screen is ready: from then on the app is interactive
  // (the budgets read interactiveMs, ms since navigation). A browser that cannot run the core is
  // told so now, not at the villager's first action. The service worker registers after it, so
  // that on a first visit its download of the app does not compete with the core's for a slow
  // link.
  call('ping').then(() => {
    document.body.dataset.interactiveMs = performance.now().toFixed(0);
    // Signed out: while the person logs in, the core runs a whole first sync in memory and
    // throws it away, so that the real one finds its code compiled (WebAssembly compiles each
    // function on its first call: a new phone's first sync took ~80 ms longer for it).
    if (!app.session) call('rehearseFirstSync').catch(() => {});
  }, (e) => {
    if (e.code !== 'browser_unsupported') return;
    app.unsupported = true;
    route(app.shown());
  }).finally(() => {
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js').catch((e) => console.warn('service worker:', e));
  });
}

boot();
