// One disclosed post: its content (finance tables with totals, contract terms...), the history
// of its amendments with what each changed and every earlier version readable (nothing is
// rewritten silently), questions and official answers. Villagers ask, and opening a post
// records that they read it; cadres answer, see the awareness rate and publish corrections.
import { call } from './core_client.js';
import { t, h, when } from './ui.js';
import { field, alertBox, doneStatus, submitting, actionForm, idle, back, mount, renders } from './view_common.js';
import { renderContent, renderChanges } from './post_content.js';
import { amendForm } from './view_compose.js';
import { publishScope } from './view_posts.js';

async function history(id, post) {
  const versions = post.versions;
  if (versions.length < 2) return null;
  const items = [];
  for (let i = versions.length - 1; i >= 1; i--) {
    const v = versions[i];
    const diff = await call('postDiff', { id, from: i, to: i + 1 });
    items.push(h('li', { 'data-version': v.number },
      h('strong', {}, t('post.version', { n: v.number })), ` ${when(v.at)}`,
      h('p', {}, t('post.reason', { r: v.reason })), renderChanges(diff.changes)));
  }
  const first = versions[0];
  items.push(h('li', { 'data-version': 1 }, h('strong', {}, t('post.version', { n: 1 })), ` ${when(first.at)} ${t('post.first')}`));
  const earlier = versions.slice(0, -1).map((v) => h('details', { class: 'panel', 'data-version': v.number },
    h('summary', {}, t('post.read_version', { n: v.number })),
    h('h4', {}, v.content.title || ''), renderContent(post.type, v.content, v.totals)));
  return h('section', { 'aria-labelledby': 'history-h', id: 'history' }, h('h3', { id: 'history-h' }, t('post.history')),
    h('ol', { class: 'timeline' }, items), earlier);
}

function questions(app, id, post, after) {
  const mayAnswer = !!publishScope(app) && post.status === 'published';
  const list = post.questions.map((q) => h('li', { class: 'card', 'data-question': q.id },
    h('div', { class: 'meta' }, h('span', {}, t('post.asked', { v: q.version })), h('span', {}, when(q.at))),
    h('p', { class: 'text' }, q.text),
    q.answers.map((a) => h('div', { class: 'answer' }, h('strong', {}, t('post.official_answer')), ` ${when(a.at)}`, h('p', {}, a.text))),
    mayAnswer && !q.answers.length ? actionForm(t('post.answer'), t('post.answer_text'), 'answer',
      (text) => after('answer', { question: q.id, text }), { plain: true }) : null));
  const parts = [h('h3', { id: 'qa-h' }, t('post.questions')),
    list.length ? h('ul', { class: 'cards', id: 'questions' }, list) : h('p', { class: 'hint' }, t('post.no_questions'))];
  if (app.isVillager() && post.status === 'published') {
    const text = h('textarea', { name: 'question', maxlength: 500, rows: 2 });
    const box = alertBox();
    const form = h('form', { novalidate: true, class: 'panel', 'data-action': 'ask' }, field(t('post.ask_text'), text), box,
      h('button', { type: 'submit', class: 'primary' }, t('post.ask')));
    submitting(form, box, () => after('ask', { text: text.value }));
    parts.push(form);
  }
  return h('section', { 'aria-labelledby': 'qa-h' }, parts);
}

export function post(app, id) {
  let main;
  const order = renders();
  const view = {
    async render(m, done = '', { background = false } = {}) {
      main = m;
      const current = order.begin();
      const p = await call('post', { id });
      if (app.isVillager() && p.status === 'published' && !done) {
        // Opening it is reading it (知晓率): the core records each version once, offline too.
        const before = await call('pending');
        await call('markRead', { id });
        if ((await call('pending')) > before) app.changed();
      }
      const act = async (op, args) => {
        await call(op, { id, ...args });
        await app.changed();
        await view.render(main, t('detail.done'));
      };
      const latest = p.versions[p.versions.length - 1];
      const content = latest ? latest.content : p.draft;
      const status = doneStatus(done);
      const parts = [back('#/posts'),
        h('div', { class: 'meta' }, h('span', { class: 'badge' }, t(`post_type.${p.type}`)),
          p.versions.length > 1 ? h('span', { class: 'badge amended' }, t('post.amended_to', { n: p.versions.length })) : null,
          latest ? h('span', {}, when(latest.at)) : h('span', { class: 'badge yellow' }, t('posts.draft'))),
        h('h2', { id: 'post-title' }, content.title || t('posts.untitled')), status,
        renderContent(p.type, content, latest ? latest.totals : p.draft_totals),
        latest ? await history(id, p) : null,
        questions(app, id, p, act)];
      if (publishScope(app) && latest) {
        const a = await call('awareness', { id }).catch(() => null);
        if (a) parts.push(h('p', { id: 'awareness' }, t('post.awareness', { r: a.readers, n: a.residents, p: Math.round(a.rate * 100) })));
        parts.push(amendForm(app, p, (reason, fields) => act('amend', { reason, fields })));
      }
      // A newer draw of this one may have come while this one waited. (Another screen's does not
      // matter: this one's element is off the page then, see route.)
      if (!current()) return;
      if (background && !idle(main)) return;  // a tap or a text began while the parts were gathered
      mount(main, parts);
    },
    refresh: () => idle(main) && view.render(main, '', { background: true }),
  };
  return view;
}
