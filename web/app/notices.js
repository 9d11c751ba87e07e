// 通知 — what changed for me: the core finds it in the ops each sync brought (notify::Feed) and
// keeps it in the device's database with how far I have read. The header's bell shows the
// unread count; the list screen shows the newest notices and marks them read once shown.
import { call } from './core_client.js';
import { t, h, when } from './ui.js';
import { mount } from './view_common.js';
import { icon } from './icons.js';

const LIMIT = 50;
const state = { user: '', unread: 0, notices: [] };

// Where a notice leads: the appeal, the household's points, the post.
function target(n) {
  if (n.entity.startsWith('appeal/')) return `#/appeal/${encodeURIComponent(n.entity)}`;
  if (n.entity.startsWith('ledger/')) return '#/points';
  if (n.entity.startsWith('post/')) return `#/post/${encodeURIComponent(n.entity)}`;
  return '#/notices';
}

/// The words of notice `n` (its kind's catalogue entry filled with its data).
export function noticeText(n) {
  const d = n.data || {};
  const vars = { ...d, level: d.level ? t(`level.${d.level}`) : '', type: d.type ? t(`post_type.${d.type}`) : '' };
  return t(`notice.${n.kind}`, vars);
}

// A detail line under the notice: the reply, the reason, the answer.
function detail(n) {
  const d = n.data || {};
  return d.text || d.reason || '';
}

/// The header's bell: a link to the list showing a bell and the unread count; its name, in words
/// for screen readers, is "通知 3 条未读".
export function renderBell(app) {
  const tools = document.querySelector('.top .tools');
  let bell = document.getElementById('notice-bell');
  if (!app.session) { bell?.remove(); return; }
  if (state.user !== app.session.user) {
    // Another person signed in (or the page just started): their stored notices, even offline.
    Object.assign(state, { user: app.session.user, unread: 0, notices: [] });
    refreshNotices(app);
  }
  if (!bell) {
    bell = h('a', { id: 'notice-bell', class: 'tool bell', href: '#/notices' });
    tools.prepend(bell);
  }
  const n = state.unread;
  bell.dataset.unread = String(n);
  bell.title = t('notices.title');
  bell.replaceChildren(...[icon('bell'), h('span', { class: 'visually-hidden' }, `${t('notices.bell')} `),
    n ? h('span', { class: 'count' }, n > 99 ? '99+' : String(n)) : null,
    n ? h('span', { class: 'visually-hidden' }, ` ${t('notices.unread_suffix')}`) : null].filter(Boolean));
}

/// Asks the core what the last sync brought and redraws the bell (and the list when it is open).
export async function refreshNotices(app) {
  if (!app.session) return;
  try {
    const r = await call('notices', { limit: LIMIT });
    state.unread = r.unread;
    state.notices = r.notices;
  } catch (e) {
    console.warn('notices:', e.code || e);
  }
  renderBell(app);
}

/// The list screen.
export function notices(app) {
  let main;
  const view = {
    async render(m) {
      main = m;
      await refreshNotices(app);
      const list = state.notices;
      mount(main, h('h2', {}, t('notices.title')),
        list.length
          ? h('ul', { class: 'cards notices', id: 'notice-list' }, list.map((n) => h('li', { 'data-kind': n.kind, 'data-entity': n.entity, 'data-unread': String(n.unread) },
            h('a', { class: `card notice${n.unread ? ' unread' : ''}`, href: target(n) },
              h('div', { class: 'meta' },
                n.unread ? h('span', { class: 'badge unread' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t('notices.new')) : null,
                h('time', {}, when(n.at)), n.actor_name ? h('span', {}, n.actor_name) : null),
              h('p', { class: 'what' }, noticeText(n)),
              detail(n) ? h('p', { class: 'hint' }, detail(n)) : null))))
          : h('p', { id: 'notice-empty' }, t('notices.empty')),
        h('p', { class: 'hint' }, t('notices.hint')));
      // Shown, so read: the marks move to the newest notice (the list keeps its "new" tags until
      // the next visit, so the villager sees what was new this time).
      if (list.length && list[0].unread) {
        const r = await call('noticesRead', { seq: list[0].seq });
        state.unread = r.unread;
        renderBell(app);
      }
    },
    refresh: () => main && view.render(main),
  };
  return view;
}
