// Logging in, registering with an invite code (the QR of `cunwu-admin invite` opens
// #/register?invite=CODE), and logging out.
import { call } from './core_client.js';
import { t, h } from './ui.js';
import { field, alertBox, submitting, actionButton } from './view_common.js';

const offline = () => Object.assign(new Error('offline'), { code: 'network' });

export function login(app) {
  return {
    async render(main) {
      const phone = h('input', { type: 'tel', name: 'phone', inputmode: 'numeric', autocomplete: 'username', required: true, maxlength: 11 });
      const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
      const box = alertBox();
      const form = h('form', { novalidate: true }, field(t('login.phone'), phone), field(t('login.password'), password), box,
        h('button', { type: 'submit', class: 'primary' }, t('login.submit')));
      submitting(form, box, async () => {
        if (!navigator.onLine) throw offline();
        const answer = JSON.parse(await app.post('/v1/auth/login', { phone: phone.value.trim(), password: password.value }));
        await app.signIn(answer);
      });
      main.replaceChildren(h('h2', {}, t('login.title')), form,
        h('a', { class: 'link', href: '#/register' }, t('login.to_register')));
    },
  };
}

export function register(app, arg) {
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
        if (!navigator.onLine) throw offline();
        const answer = JSON.parse(await app.post('/v1/auth/register', {
          invite: invite.value.trim(), name: name.value.trim(), phone: phone.value.trim(), password: password.value }));
        await app.signIn(answer);
      });
      main.replaceChildren(h('h2', {}, t('register.title')), form, h('a', { class: 'link', href: '#/login' }, t('register.to_login')));
    },
  };
}

/// Logging out sends what waits first (when online); with nothing left, the person confirms
/// (in the app: window.confirm is blocked or dismissed in some WebViews) and this user's data is
/// erased from the phone. If changes made offline still wait, the person chooses: stay, or log
/// out and keep them on this phone for their next login (erasing them would lose them).
export function logout(app) {
  const view = {
    async render(main) {
      while (app.sync.running) await new Promise((r) => setTimeout(r, 100));
      if (navigator.onLine) await app.syncNow();
      const pending = await call('pending');
      const box = alertBox();
      const stay = actionButton(t('logout.stay'), { class: 'primary', 'data-action': 'stay' }, box, async () => app.go('#/'));
      if (pending === 0) {
        main.replaceChildren(h('h2', {}, t('logout.title')), h('p', { id: 'logout-confirm' }, t('logout.erase')), box,
          h('div', { class: 'row' }, stay,
            actionButton(t('logout.confirm'), { class: 'danger', 'data-action': 'logout-wipe' }, box, async () => {
              // Only what was synced is erased: an op made since (none should be) keeps the data.
              if (await call('pending') > 0) return view.render(main);
              return app.signOut({ wipe: true });
            })));
        return;
      }
      main.replaceChildren(h('h2', {}, t('logout.title')),
        h('p', { class: 'alert', id: 'logout-pending' }, t('logout.pending', { n: pending })),
        h('p', {}, t('logout.kept')), box,
        h('div', { class: 'row' }, stay,
          actionButton(t('logout.anyway'), { class: 'danger', 'data-action': 'logout-keep' }, box, () => app.signOut({ wipe: false }))));
    },
  };
  return view;
}
