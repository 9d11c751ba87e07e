// 村务公开 — what the village (and the township and county above it) disclose: browsing by
// type with unread markers, and searching (Chinese from one character) in the published posts.
import { call } from './core_client.js';
import { t, h, when, marked } from './ui.js';
import { field, alertBox, showError, idle, buttonLink, mount } from './view_common.js';

/// The post types in the order of the filter.
export const POST_TYPES = ['notice', 'finance', 'contract', 'policy', 'assistance', 'village', 'party', 'government',
  'activity', 'job', 'column'];

/// Who may write posts: the cadres of a village and the staff above.
export const publishScope = (app) => app.regionOf(['village_cadre', 'township_staff', 'county_staff']);

function postCard(p) {
  return h('li', {}, h('a', { class: 'card', href: `#/post/${encodeURIComponent(p.id)}`, 'data-id': p.id, 'data-unread': String(p.unread) },
    h('div', { class: 'meta' },
      h('span', { class: 'badge' }, t(`post_type.${p.type}`)),
      p.status === 'draft' ? h('span', { class: 'badge yellow' }, t('posts.draft')) : null,
      p.unread ? h('span', { class: 'badge unread' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t('posts.unread')) : null,
      p.versions > 1 ? h('span', { class: 'badge amended' }, t('posts.amended')) : null,
      p.updated_at ? h('span', {}, when(p.updated_at)) : null),
    h('p', { class: 'text' }, h('strong', {}, p.title || t('posts.untitled'))),
    p.questions ? h('div', { class: 'meta' }, h('span', {}, t('posts.questions', { n: p.questions })),
      p.unanswered ? h('span', {}, t('posts.unanswered', { n: p.unanswered })) : null) : null));
}

function hitCard(hit) {
  return h('li', {}, h('a', { class: 'card', href: `#/post/${encodeURIComponent(hit.post)}`, 'data-id': hit.post },
    h('div', { class: 'meta' }, h('span', { class: 'badge' }, t(`post_type.${hit.type}`))),
    h('p', { class: 'text' }, h('strong', {}, marked(hit.title))),
    h('p', { class: 'snippet' }, marked(hit.snippet))));
}

// arg: "<type>" and optionally "?q=<query>", e.g. "policy?q=低保".
export function posts(app, arg) {
  const [typeArg = '', query = ''] = arg.split('?');
  const type = POST_TYPES.includes(typeArg) ? typeArg : '';
  const q = new URLSearchParams(query).get('q') || '';
  const href = (ty, text) => `#/posts/${ty}${text ? `?q=${encodeURIComponent(text)}` : ''}`;
  let main;
  const view = {
    async render(m, { background = false } = {}) {
      main = m;
      const select = h('select', { name: 'type', onchange: () => app.go(href(select.value, q)) },
        h('option', { value: '' }, t('posts.all_types')),
        POST_TYPES.map((ty) => h('option', { value: ty, selected: ty === type }, t(`post_type.${ty}`))));
      const box = h('input', { type: 'search', name: 'q', value: q, maxlength: 100, enterkeyhint: 'search' });
      const problem = alertBox();
      const form = h('form', { role: 'search', class: 'search', onsubmit: (ev) => { ev.preventDefault(); app.go(href(type, box.value.trim())); } },
        field(t('posts.search'), box, t('posts.search_hint')), h('button', { type: 'submit' }, t('posts.search_submit')));
      const parts = [h('h2', {}, t('posts.title')), form, field(t('posts.type'), select), problem];
      if (publishScope(app)) parts.splice(1, 0, buttonLink('#/compose', t('compose.title'), { 'data-action': 'compose' }));
      if (q) {
        try {
          const hits = await call('search', { text: q, type });
          parts.push(h('h3', {}, t('posts.results', { q, n: hits.length })),
            hits.length ? h('ul', { class: 'cards', id: 'search-results' }, hits.map(hitCard)) : h('p', { class: 'hint' }, t('posts.no_results')),
            h('a', { class: 'link', href: href(type, '') }, t('posts.clear_search')));
        } catch (e) { showError(problem, e); }
      } else {
        const list = await call('posts', { type });
        const unread = list.filter((p) => p.unread).length;
        parts.push(unread ? h('p', { id: 'unread-count' }, t('posts.unread_count', { n: unread })) : null,
          list.length ? h('ul', { class: 'cards', id: 'post-list' }, list.map(postCard)) : h('p', { class: 'hint' }, t('posts.empty')));
      }
      if (background && !idle(main)) return;  // a tap or a text began while the parts were gathered
      mount(main, parts);
    },
    refresh: () => idle(main) && view.render(main, { background: true }),
  };
  return view;
}
