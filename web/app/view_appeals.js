// Appeals (诉求): the villager's list, filing, one appeal with its timeline, rating and
// withdrawal; the handler's inbox by deadline and the 办理 panel.
import { call } from './core_client.js';
import { t, h, when, span } from './ui.js';
import { field, alertBox, showError, submitting, actionForm, idle, buttonLink, doneStatus, renders, mount } from './view_common.js';
import { attachmentPicker, attachmentGallery } from './attachments.js';
import { composeHints, forgetDraft } from './compose_hints.js';
import { handlingParts } from './handling.js';
import { refusalSection } from './refusals.js';

const CATEGORIES = ['environment', 'hazard', 'dispute', 'policy', 'suggestion', 'service', 'other'];
const URGENCIES = ['green', 'yellow', 'red'];
const RATINGS = ['very_satisfied', 'satisfied', 'dissatisfied'];

const number = (a) => (a.official_number ? t('appeals.number', { n: a.official_number }) : a.provisional_number);

// --- villager: my appeals, new appeal -----------------------------------------------------

function appealCard(a, extra) {
  return h('li', {}, h('a', { class: 'card', href: `#/appeal/${encodeURIComponent(a.id)}`, 'data-id': a.id },
    h('div', { class: 'meta' },
      h('span', { class: `badge ${a.urgency}` }, t(`urgency.${a.urgency}`)),
      h('span', { class: 'badge', 'data-status': a.status }, t(`status.${a.status}`)),
      h('span', {}, t(`category.${a.category}`)), extra),
    h('p', { class: 'text' }, a.text),
    h('div', { class: 'meta' }, h('span', {}, number(a)), h('span', {}, when(a.filed_at)))));
}

export function appeals(app) {
  let main;
  // Just filed (fileAppeal): the list says so and marks the new appeal, which is first, also
  // when a sync redraws it. The filing's answer holds the list as it is after the commit, so the
  // first frame after it is the list, without a second question to the worker.
  const filed = app.justFiled;
  app.justFiled = null;
  let answered = filed?.appeals;
  const view = {
    async render(m) {
      main = m;
      const fromFiling = !!answered;
      const list = answered || await call('list');
      answered = null;
      const all = list.filter((a) => a.filer === app.session.user);
      all.sort((x, y) => y.filed_at - x.filed_at);
      const cards = all.map((a) => appealCard(a));
      const mark = filed ? cards.find((li) => li.firstChild.dataset.id === filed.id) : null;
      mark?.firstChild.classList.add('just-filed');
      mark?.firstChild.setAttribute('data-just-filed', '');
      if (fromFiling) performance.mark('cunwu:file-list-drawn');
      mount(main, h('h2', {}, t('appeals.title')),
        mark ? h('p', { class: 'ok', role: 'status', id: 'filed-status' }, navigator.onLine ? t('appeals.filed') : t('appeals.filed_offline')) : null,
        all.length ? h('ul', { class: 'cards', id: 'appeal-list' }, cards) : h('p', {}, t('appeals.empty')),
        buttonLink('#/new', t('new.title')));
    },
    refresh: () => main && view.render(main),
  };
  return view;
}

let rehearsed = false;  // a filing run and taken back in this start (fileAppeal)

export function fileAppeal(app) {
  return {
    async render(main) {
      const category = h('select', { name: 'category' }, CATEGORIES.map((c) => h('option', { value: c }, t(`category.${c}`))));
      const urgency = h('fieldset', {}, h('legend', {}, t('new.urgency')), h('div', { class: 'choices' },
        URGENCIES.map((u, i) => h('label', { class: 'choice' },
          h('input', { type: 'radio', name: 'urgency', value: u, checked: i === 0 }), t(`urgency.${u}`)))));
      const text = h('textarea', { name: 'text', required: true, maxlength: 2000 });
      const box = alertBox();
      const attach = attachmentPicker();
      const form = h('form', { novalidate: true }, field(t('new.category'), category), urgency,
        field(t('new.text'), text, t('new.text_hint')), attach.element, box, h('button', { type: 'submit', class: 'primary' }, t('new.submit')));
      submitting(form, box, async () => {
        performance.mark('cunwu:file-submit');
        if (attach.busy()) throw Object.assign(new Error('attach_busy'), { code: 'attach_busy' });
        // The attachments are stored before the op that names them: a filed appeal never
        // references a photo the device does not hold.
        const { attachments, added } = await attach.commit(app.session.user);
        const where = text.value.trim() ? attach.locationLine() : '';
        let r;
        try {
          r = await call('file', { andList: true, appeal: {
            courtyard: app.session.home, category: category.value,
            urgency: form.querySelector('input[name=urgency]:checked').value, text: where ? `${text.value}\n${where}` : text.value, attachments } });
        } catch (e) {
          await attach.rollback(app.session.user, added).catch(() => {});
          throw e;
        }
        performance.mark('cunwu:file-committed');
        document.body.dataset.lastCommitMs = r.commit_ms.toFixed(2);
        app.lastFiling = { commit_ms: r.commit_ms, io_ms: r.io_ms, io_writes: r.io_writes, io_flushes: r.io_flushes, list_ms: r.list_ms };
        // Stored (the worker answers only once the commit is on disk): the villager's list with
        // the new appeal first and marked (the "visible in the list"), drawn from the
        // answer; the push and the form's cleanup wait until that list is on screen.
        app.sync.pending = r.pending;
        app.justFiled = { id: r.id, appeals: r.appeals };
        // Its button loses the focus now, while the screen is laid out, rather than when the list
        // replaces it (which would lay out the new screen twice).
        if (form.contains(document.activeElement)) document.activeElement.blur();
        app.go('#/appeals');
        app.afterPaint(() => { forgetDraft(app); attach.reset(); app.changed().catch(() => {}); });
      });
      // Came by scanning the courtyard's code while signed in (app.js route).
      const scanned = app.scanned ? h('p', { class: 'ok', role: 'status', id: 'scanned-note' }, t('new.scanned', { name: app.session.name })) : null;
      app.scanned = false;
      mount(main, h('h2', {}, t('new.title')), scanned, form);
      composeHints(app, { form, category, text });
      // Once a start: a filing the core runs and takes back, so that the villager's own finds
      // its code compiled (the first call of each WebAssembly function compiles it).
      if (!rehearsed) {
        rehearsed = true;
        call('rehearse', { appeal: { courtyard: app.session.home, category: category.value, urgency: URGENCIES[0],
          text: t('new.title'), attachments: [] } }).catch(() => {});
      }
    },
  };
}

// --- one appeal -----------------------------------------------------------------------

export function appealDetail(app, id) {
  let main;
  const order = renders();
  const view = {
    async render(m, { background = false } = {}) {
      main = m;
      const current = order.begin();
      const a = await call('get', { id });
      // What the user did on it that did not take effect.
      const refused = await refusalSection(id);
      const act = async (op, args) => {
        await call(op, { id, ...args });
        await app.changed();
        await view.render(main);
        main.querySelector('#done')?.replaceChildren(h('p', { class: 'ok' }, t('detail.done')));
      };
      const open = ['submitted', 'accepted', 'reopened'].includes(a.status);
      const mine = a.filer === app.session.user;
      const parts = [
        h('a', { class: 'link', href: mine ? '#/appeals' : '#/inbox' }, `‹ ${t('detail.back')}`),
        h('h2', { id: 'number' }, a.official_number ? t('appeals.number', { n: a.official_number }) : a.provisional_number),
        a.official_number ? null : h('p', { class: 'hint' }, t('appeals.provisional_hint')),
        h('dl', { class: 'facts' },
          h('dt', {}, t('detail.status')), h('dd', { id: 'status', 'data-status': a.status }, t(`status.${a.status}`)),
          h('dt', {}, t('detail.level')), h('dd', {}, t(`level.${a.level}`)),
          h('dt', {}, t('detail.category')), h('dd', {}, t(`category.${a.category}`)),
          h('dt', {}, t('detail.urgency')), h('dd', {}, h('span', { class: `badge ${a.urgency}` }, t(`urgency.${a.urgency}`))),
          h('dt', {}, t('detail.filed')), h('dd', {}, when(a.filed_at))),
        refused,
        h('p', { class: 'body' }, a.text),
        attachmentGallery(app, a.attachments, { id: 'attachments' }),
        doneStatus(),
        h('h3', {}, t('detail.timeline')),
        h('ol', { class: 'timeline', id: 'timeline' }, a.timeline.map((n) => h('li', { 'data-kind': n.kind },
          h('time', {}, when(n.at)), h('strong', {}, t(`timeline.${n.kind}`)), n.text ? h('div', {}, n.text) : null))),
      ];
      if (mine && a.status === 'resolved') {
        const comment = h('textarea', { name: 'comment', maxlength: 2000, rows: 2 });
        const box = alertBox();
        const buttons = RATINGS.map((r) => h('button', { type: 'button', 'data-rating': r, onclick: async () => {
          try { await act('rate', { rating: r, text: comment.value }); } catch (e) { showError(box, e); }
        } }, t(`rating.${r}`)));
        // Asked before the timeline: it is what the villager has to do now.
        parts.splice(parts.findIndex((p) => p?.id === 'done') + 1, 0,
          h('section', { class: 'panel', 'aria-labelledby': 'rate-h' }, h('h3', { id: 'rate-h' }, t('detail.rate')),
            h('div', { class: 'row', role: 'group', 'aria-labelledby': 'rate-h' }, buttons), field(t('detail.comment'), comment), box));
      }
      if (mine && open) {
        parts.push(actionForm(t('detail.withdraw'), t('detail.withdraw_reason'), 'withdraw',
          (text) => (confirm(t('detail.withdraw_confirm')) ? act('withdraw', { text }) : null), { required: false, danger: true, folded: true }));
      }
      if (app.isHandler() && !mine && open) {
        const box = alertBox();
        parts.push(h('section', { class: 'panel handle', 'aria-labelledby': 'handle-h' }, h('h3', { id: 'handle-h' }, t('detail.handle')),
          a.status !== 'accepted' ? h('button', { type: 'button', class: 'primary', 'data-action': 'accept', onclick: async () => {
            try { await act('accept'); } catch (e) { showError(box, e); }
          } }, t('detail.accept')) : null, box,
          actionForm(t('detail.reply'), t('detail.reply_text'), 'reply', (text) => act('reply', { text }), { plain: true }),
          actionForm(t('detail.resolve'), t('detail.resolve_text'), 'resolve', (text) => act('resolve', { text }), { plain: true }),
          actionForm(t('detail.escalate'), t('detail.escalate_text'), 'escalate', (text) => act('escalate', { text }), { folded: true }),
          ...await handlingParts(a, act)));
      }
      // A background redraw gathers its parts asynchronously: if a tap or a text began meanwhile,
      // the screen stays as it is.
      if (background && !idle(main)) return;
      // A newer draw of this one may have come while this one waited. (Another screen's does not
      // matter: this one's element is off the page then, see route.)
      if (!current()) return;
      main.replaceChildren(...parts.filter(Boolean));
    },
    // Never redraw under someone's hands (see idle).
    refresh: () => idle(main) && view.render(main, { background: true }),
  };
  return view;
}

// --- cadre: inbox ---------------------------------------------------------------------

const TICK_MS = 60_000;

// The countdown of an inbox item. Its colour is the core's (sla.hpp: red overdue, yellow in the
// last quarter of the limit it counts against, per the county's policy); the page only writes
// the time left.
function dueBadge(item) {
  if (!item.due) return h('span', { class: 'due green', 'data-colour': 'green' }, t('inbox.no_due'));
  const left = item.due - Date.now();
  // Which limit it counts against (response or resolution) is in the words.
  const words = left < 0 ? `inbox.overdue_${item.due_kind}` : `inbox.due_in_${item.due_kind}`;
  return h('span', { class: `due ${item.due_colour}`, 'data-colour': item.due_colour, 'data-due': item.due,
    'data-kind': item.due_kind }, t(words, { t: span(left) }));
}

export function inbox(app) {
  let main;
  let timer = 0;
  // Every minute: the core's colours and the time left, badge by badge in place (the list is
  // redrawn only by a sync or a visit).
  const tick = async () => {
    clearTimeout(timer);
    if (!main?.isConnected) return;  // another screen is shown (route)
    const items = await call('inbox', { now: Date.now() }).catch(() => null);
    if (!items || !main.isConnected) return;
    for (const item of items) {
      const old = main.querySelector(`#inbox-list a[data-id="${CSS.escape(item.id)}"] .due`);
      if (old) old.replaceWith(dueBadge(item));
    }
    timer = setTimeout(tick, TICK_MS);
  };
  const view = {
    async render(m) {
      main = m;
      const items = await call('inbox', { now: Date.now() });
      main.replaceChildren(h('h2', {}, t('inbox.title')),
        items.length ? h('ul', { class: 'cards', id: 'inbox-list' }, items.map((a) => appealCard(a, dueBadge(a)))) : h('p', {}, t('inbox.empty')));
      clearTimeout(timer);
      timer = setTimeout(tick, TICK_MS);
    },
    refresh: () => main && view.render(main),
    tick,
  };
  return view;
}
