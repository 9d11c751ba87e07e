// 未生效的操作 — what the signed-in person did that did not take effect, as the core lists it
// (cunwu_refusals: ops the host rejected and ops this device found in conflict where they fell in
// the order), in plain words: which action, on which item, what happened (the catalogue's
// message) and what to do (the catalogue's hint). The core decides every one; this file renders.
import { call } from './core_client.js';
import { t, errorText, errorHint, h, when } from './ui.js';

const seenKey = (user) => `cunwu.refusals_seen.${user}`;
const ackKey = (user) => `cunwu.rejected.${user}`;
const opName = (type) => { const k = `op.${type}`; const s = t(k); return s === k ? t('op.unknown') : s; };

/// Keeps what the host's answers said it rejected (`rejected` of a sync report: {op, code}). The
/// core lists every rejected op the host stored with its verdict; one it refused without storing
/// it (malformed, misaddressed: an app bug, never a conflict) only the answer tells, so the
/// banner shows it from here, without the action's name.
export function keepRejectedAcks(user, rejected) {
  const list = JSON.parse(localStorage.getItem(ackKey(user)) || '[]');
  for (const r of rejected) list.push({ op: r.op, code: r.code || 'op_rejected', at: Date.now() });
  localStorage.setItem(ackKey(user), JSON.stringify(list.slice(-20)));
}

// The item a refusal was on, in words ("诉求编号 …（环境卫生）：院子里的路灯…"), and where it opens.
function item(r) {
  const i = r.item || {};
  if (r.kind === 'appeal' && i.number) {
    return { href: `#/appeal/${encodeURIComponent(r.entity)}`, text: t('refusal.item.appeal',
      { number: i.official ? t('appeals.number', { n: i.number }) : i.number, category: t(`category.${i.category}`), text: i.text }) };
  }
  if (r.kind === 'ledger') return { href: '#/points', text: t('refusal.item.ledger', { title: i.title || '' }) };
  if (r.kind === 'post' && i.title) return { href: `#/post/${encodeURIComponent(r.entity)}`, text: t('refusal.item.post', { title: i.title }) };
  return { href: '', text: t('refusal.item.other') };
}

/// One refusal: the action, the item (a link to it with `link`), what happened and what to do.
export function refusalCard(r, { link = true } = {}) {
  const it = item(r);
  return h('article', { class: 'refusal', 'data-op': r.op, 'data-type': r.type, 'data-code': r.code,
    'data-source': r.by_host ? 'host' : 'device' },
  h('p', { class: 'refusal-action' }, h('strong', {},
    r.type ? t('refusal.action', { action: opName(r.type) }) : t('refusal.action_unknown'))),
  h('dl', {},
    h('dt', {}, t('refusal.which')),
    h('dd', { class: 'refusal-item' }, link && it.href ? h('a', { href: it.href }, it.text) : it.text),
    h('dt', {}, t('refusal.what')),
    h('dd', { class: 'refusal-what' }, t(r.by_host ? 'refusal.by_host' : 'refusal.by_device', { why: errorText(r.code) })),
    h('dt', {}, t('refusal.todo')),
    h('dd', { class: 'refusal-todo' }, errorHint(r.code))),
  h('p', { class: 'hint' }, t('refusal.done_at', { t: when(r.at) })));
}

let drawing = 0;  // the latest banner draw; an older one that finishes later draws nothing

/// The banner (#notices) of what did not take effect and has not been dismissed, newest first,
/// on every screen but the item's own (which lists them itself: refusalSection).
export async function renderRefusalBanner(app, box) {
  const mine = ++drawing;
  const user = app.session?.user;
  if (!user) { box.replaceChildren(); return; }
  let list = [];
  try { list = await call('refusals', {}); } catch { /* no device open yet */ }
  if (mine !== drawing || app.session?.user !== user) return;
  const listed = new Set(list.map((r) => r.op));
  const unstored = JSON.parse(localStorage.getItem(ackKey(user)) || '[]').filter((a) => !listed.has(a.op))
    .map((a) => ({ op: a.op, type: '', entity: '', kind: '', code: a.code, by_host: true, at: a.at, item: {} }));
  list = [...list, ...unstored];
  const shown = decodeURIComponent((app.shown().match(/^#\/(?:appeal|post)\/(.+)$/) || [])[1] || '');
  const seen = new Set(JSON.parse(localStorage.getItem(seenKey(user)) || '[]'));
  const fresh = list.filter((r) => !seen.has(r.op) && !(r.entity && r.entity === shown));
  if (!fresh.length) { box.replaceChildren(); return; }
  const dismiss = () => {
    localStorage.setItem(seenKey(user), JSON.stringify([...seen, ...fresh.map((r) => r.op)].slice(-500)));
    box.replaceChildren();
  };
  box.replaceChildren(h('section', { class: 'alert refusals', role: 'alert', 'aria-labelledby': 'refusals-title' },
    h('h2', { id: 'refusals-title' }, t('refusal.title')),
    fresh.slice(0, 2).map((r) => refusalCard(r)),
    fresh.length > 2 ? h('p', {}, t('refusal.more', { n: fresh.length - 2 })) : null,
    h('button', { type: 'button', onclick: dismiss }, t('sync.dismiss'))));
}

/// The section of an item's own screen that lists what the person did on it that did not take
/// effect (always, dismissed or not); null when nothing.
export async function refusalSection(entity) {
  const list = await call('refusals', { entity });
  if (!list.length) return null;
  return h('section', { class: 'panel refusals', id: 'refusals', 'aria-labelledby': 'refusals-h' },
    h('h3', { id: 'refusals-h' }, t('refusal.on_item')), list.map((r) => refusalCard(r, { link: false })));
}

/// The keys this file keeps per user (wiped with the user's data).
export const refusalKeys = (user) => [seenKey(user), ackKey(user)];
