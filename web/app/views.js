// The screens. Each view is view(app, arg) → { render(main), refresh?() }: render builds the
// screen from the worker's answers; refresh (lists and details only, never forms being typed
// in) redraws after a sync brought news.
import { call } from './core_client.js';
import { t, errorText, h, when, span } from './ui.js';

const CATEGORIES = ['environment', 'hazard', 'dispute', 'policy', 'suggestion', 'service', 'other'];
const URGENCIES = ['green', 'yellow', 'red'];
const RATINGS = ['very_satisfied', 'satisfied', 'dissatisfied'];
let fieldSeq = 0;

function field(label, input, hint) {
  const id = input.id || (input.id = `f${++fieldSeq}`);
  const parts = [h('label', { for: id }, label), input];
  if (hint) {
    const hid = `${id}-hint`;
    input.setAttribute('aria-describedby', hid);
    parts.push(h('p', { class: 'hint', id: hid }, hint));
  }
  return parts;
}

function alertBox() { return h('div', { role: 'alert', 'aria-live': 'assertive' }); }
function showError(box, e) { box.replaceChildren(h('p', { class: 'alert' }, errorText(e.code))); }
function showOk(box, text) { box.replaceChildren(h('p', { class: 'ok' }, text)); }

/// Runs `action` with the form's button disabled, showing its error in `box`.
function submitting(form, box, action) {
  form.addEventListener('input', () => box.replaceChildren());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    box.replaceChildren();
    try { await action(); } catch (e) { showError(box, e); } finally { button.disabled = false; }
  });
}

const number = (a) => (a.official_number ? t('appeals.number', { n: a.official_number }) : a.provisional_number);

// --- login and register -----------------------------------------------------------------

function login(app) {
  return {
    async render(main) {
      const phone = h('input', { type: 'tel', name: 'phone', inputmode: 'numeric', autocomplete: 'username', required: true, maxlength: 11 });
      const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
      const box = alertBox();
      const form = h('form', { novalidate: true }, field(t('login.phone'), phone), field(t('login.password'), password), box,
        h('button', { type: 'submit', class: 'primary' }, t('login.submit')));
      submitting(form, box, async () => {
        if (!navigator.onLine) throw Object.assign(new Error(), { code: 'network' });
        const answer = JSON.parse(await app.post('/v1/auth/login', { phone: phone.value.trim(), password: password.value }));
        await app.signIn(answer);
      });
      main.replaceChildren(h('h2', {}, t('login.title')), form,
        h('a', { class: 'link', href: '#/register' }, t('login.to_register')));
    },
  };
}

// The invite's QR code (cunwu-admin invite --url) opens #/register?invite=CODE.
function register(app, arg) {
  return {
    async render(main) {
      const code = new URLSearchParams(arg.replace(/^\?/, '')).get('invite') || new URLSearchParams(location.search).get('invite') || '';
      const invite = h('input', { name: 'invite', autocomplete: 'off', required: true, value: code });
      const name = h('input', { name: 'name', autocomplete: 'name', required: true, maxlength: 100 });
      const phone = h('input', { type: 'tel', name: 'phone', inputmode: 'numeric', autocomplete: 'username', required: true, maxlength: 11 });
      const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true });
      const box = alertBox();
      const form = h('form', { novalidate: true }, field(t('register.invite'), invite), field(t('register.name'), name),
        field(t('register.phone'), phone), field(t('register.password'), password), box,
        h('button', { type: 'submit', class: 'primary' }, t('register.submit')));
      submitting(form, box, async () => {
        if (!navigator.onLine) throw Object.assign(new Error(), { code: 'network' });
        const answer = JSON.parse(await app.post('/v1/auth/register', {
          invite: invite.value.trim(), name: name.value.trim(), phone: phone.value.trim(), password: password.value }));
        await app.signIn(answer);
      });
      main.replaceChildren(h('h2', {}, t('register.title')), form, h('a', { class: 'link', href: '#/login' }, t('register.to_login')));
    },
  };
}

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

function appeals(app) {
  let main;
  const view = {
    async render(m) {
      main = m;
      const all = (await call('list')).filter((a) => a.filer === app.session.user);
      all.sort((x, y) => y.filed_at - x.filed_at);
      main.replaceChildren(h('h2', {}, t('appeals.title')),
        all.length ? h('ul', { class: 'cards', id: 'appeal-list' }, all.map((a) => appealCard(a))) : h('p', {}, t('appeals.empty')),
        h('a', { class: 'button primary', href: '#/new', style: 'display:flex;justify-content:center;align-items:center;text-decoration:none' }, t('nav.new')));
    },
    refresh: () => main && view.render(main),
  };
  return view;
}

function fileAppeal(app) {
  return {
    async render(main) {
      const category = h('select', { name: 'category' }, CATEGORIES.map((c) => h('option', { value: c }, t(`category.${c}`))));
      const urgency = h('fieldset', {}, h('legend', {}, t('new.urgency')), h('div', { class: 'choices' },
        URGENCIES.map((u, i) => h('label', { class: 'choice' },
          h('input', { type: 'radio', name: 'urgency', value: u, checked: i === 0 }), t(`urgency.${u}`)))));
      const text = h('textarea', { name: 'text', required: true, maxlength: 2000 });
      const box = alertBox();
      const form = h('form', { novalidate: true }, field(t('new.category'), category), urgency,
        field(t('new.text'), text, t('new.text_hint')), box, h('button', { type: 'submit', class: 'primary' }, t('new.submit')));
      submitting(form, box, async () => {
        app.mark = performance.now();  // route() reports submit → appeal on screen
        const r = await call('file', { appeal: {
          courtyard: app.session.home, category: category.value,
          urgency: form.querySelector('input[name=urgency]:checked').value, text: text.value, attachments: [] } });
        document.body.dataset.lastCommitMs = r.commit_ms.toFixed(2);
        await app.changed();
        app.go(`#/appeal/${encodeURIComponent(r.id)}`);
      });
      main.replaceChildren(h('h2', {}, t('new.title')), form);
    },
  };
}

// --- one appeal -----------------------------------------------------------------------

// A form with one text and a button; `folded` puts it behind a summary line (rarer actions).
function actionForm(label, inputLabel, name, action, { required = true, danger = false, folded = false, plain = false } = {}) {
  const input = h('textarea', { name, required, maxlength: 2000, rows: 2 });
  const box = alertBox();
  const form = h('form', { novalidate: true, class: folded || plain ? '' : 'panel', 'data-action': name }, field(inputLabel, input), box,
    h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, label));
  submitting(form, box, () => action(input.value));
  return folded ? h('details', { class: 'panel' }, h('summary', {}, label), form) : form;
}

function appealDetail(app, id) {
  let main;
  const view = {
    async render(m) {
      main = m;
      const a = await call('get', { id });
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
        h('p', { class: 'body' }, a.text),
        h('div', { id: 'done', 'aria-live': 'polite' }),
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
          actionForm(t('detail.escalate'), t('detail.escalate_text'), 'escalate', (text) => act('escalate', { text }), { folded: true })));
      }
      main.replaceChildren(...parts.filter(Boolean));
    },
    refresh: () => {
      // Never redraw under someone's hands: not while anything on the screen has the focus (a tap
      // being made, a text being typed) or a text waits to be sent.
      const busy = main?.contains(document.activeElement) || [...(main?.querySelectorAll('textarea') || [])].some((x) => x.value);
      if (main && !busy) view.render(main);
    },
  };
  return view;
}

// --- cadre: inbox ---------------------------------------------------------------------

function dueBadge(item) {
  if (!item.due) return h('span', { class: 'due green' }, t('inbox.no_due'));
  const left = item.due - Date.now();
  const cls = left < 0 ? 'red' : left < 24 * 3600_000 ? 'yellow' : 'green';
  return h('span', { class: `due ${cls}`, 'data-due': item.due }, left < 0 ? t('inbox.overdue', { t: span(left) }) : t('inbox.due_in', { t: span(left) }));
}

function inbox(app) {
  let main;
  const view = {
    async render(m) {
      main = m;
      const items = await call('inbox');
      main.replaceChildren(h('h2', {}, t('inbox.title')),
        items.length ? h('ul', { class: 'cards', id: 'inbox-list' }, items.map((a) => appealCard(a, dueBadge(a)))) : h('p', {}, t('inbox.empty')));
    },
    refresh: () => main && view.render(main),
  };
  return view;
}

function logout(app) {
  return { render: () => app.signOut() };
}

export const views = { login, register, appeals, new: fileAppeal, appeal: appealDetail, inbox, logout };
