// Points (积分) for villagers: the household's balance and what may be spent, the history, its
// applications and redemptions with their status, what the host did not accept; applying for an
// award from the village's rule catalogue.
import { call } from './core_client.js';
import { t, h, when, errorText } from './ui.js';
import { field, alertBox, submitting, idle, buttonLink, mount } from './view_common.js';
import { attachmentPicker } from './attachments.js';

/// "+5" / "−30": a ledger line's points with its sign.
export const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/// For a person without a household: points are kept per household.
function noHousehold(main) {
  mount(main, h('h2', {}, t('points.title')), h('p', { class: 'hint', id: 'no-household' }, t('points.no_household')));
}

function figures(account) {
  return h('div', { class: 'figures' },
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('points.balance')),
      h('strong', { id: 'points-balance', 'data-points': account.balance }, String(account.balance))),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, t('points.available')),
      h('strong', { id: 'points-available', 'data-points': account.available }, String(account.available))));
}

function applicationCard(a) {
  return h('li', { class: 'card', 'data-id': a.id, 'data-status': a.status },
    h('div', { class: 'meta' }, h('span', { class: `badge app-${a.status}` }, t(`points.application.${a.status}`)), h('span', {}, when(a.at))),
    h('p', { class: 'text' }, `${a.rule.title} ${signed(a.rule.amount)}`),
    a.text ? h('p', { class: 'hint' }, a.text) : null,
    a.status === 'rejected' ? h('p', { class: 'reason' }, t('points.rejected_because', { r: a.reason })) : null);
}

function redemptionCard(r) {
  const at = r.status === 'fulfilled' ? r.fulfilled_at : r.status === 'confirmed' ? r.confirmed_at : r.at;
  return h('li', { class: 'card', 'data-id': r.id, 'data-status': r.status },
    h('div', { class: 'meta' }, h('span', { class: `badge red-${r.status}` }, t(`points.redemption.${r.status}`)), h('span', {}, when(at))),
    h('p', { class: 'text' }, `${r.goods_name} · ${t('points.price', { n: r.price })}`),
    r.status === 'confirmed' ? h('p', { class: 'hint' }, t('points.collect_hint')) : null);
}

function entryRow(e) {
  return h('li', { class: 'entry', 'data-kind': e.kind },
    h('span', { class: `delta ${e.delta < 0 ? 'minus' : 'plus'}` }, signed(e.delta)),
    h('span', { class: 'what' }, h('strong', {}, e.title), h('span', { class: 'hint' }, `${t(`points.kind.${e.kind}`)} · ${when(e.at)}`)));
}

function problemList(problems) {
  if (!problems.length) return null;
  return h('div', { class: 'alert', id: 'points-problems' }, h('strong', {}, t('points.problems')),
    h('ul', {}, problems.map((p) => h('li', { 'data-code': p.code }, `${t(`points.op.${p.type}`)}：${errorText(p.code)}`))));
}

export function points(app) {
  let main;
  const view = {
    async render(m, { background = false } = {}) {
      main = m;
      if (!app.session.household) return noHousehold(main);
      const account = await call('account', { household: app.session.household });
      const l = account.ledger;
      const newest = (a, b) => b.at - a.at;
      if (background && !idle(main)) return;  // a tap or a text began while the parts were gathered
      mount(main, h('h2', {}, t('points.title')), figures(account),
        account.available < account.balance ? h('p', { class: 'hint' }, t('points.held_hint', { n: account.balance - account.available })) : null,
        h('div', { class: 'row tiles' }, buttonLink('#/apply', t('points.apply')), buttonLink('#/shop', t('points.shop')),
          buttonLink('#/honour', t('points.honour'))),
        problemList(account.problems),
        h('h3', {}, t('points.applications')),
        l.applications.length ? h('ul', { class: 'cards', id: 'applications' }, [...l.applications].sort(newest).map(applicationCard))
          : h('p', { class: 'hint' }, t('points.no_applications')),
        h('h3', {}, t('points.redemptions')),
        l.redemptions.length ? h('ul', { class: 'cards', id: 'redemptions' }, [...l.redemptions].sort(newest).map(redemptionCard))
          : h('p', { class: 'hint' }, t('points.no_redemptions')),
        h('h3', {}, t('points.history')),
        l.entries.length ? h('ul', { class: 'entries', id: 'entries' }, [...l.entries].sort(newest).map(entryRow))
          : h('p', { class: 'hint' }, t('points.no_entries')));
    },
    refresh: () => idle(main) && view.render(main, { background: true }),
  };
  return view;
}

function ruleChoice(r) {
  const facts = [t('points.amount', { n: r.amount })];
  if (r.limit) facts.push(t(`points.limit_${r.limit.period}`, { n: r.limit.count }));
  if (r.evidence_required) facts.push(t('points.evidence_required'));
  return h('label', { class: 'choice rule' }, h('input', { type: 'radio', name: 'rule', value: r.id }),
    h('span', {}, h('strong', {}, r.title), h('span', { class: 'hint' },
      // Each fact on one line: the line breaks only between them (at the dots).
      [t(`points.category.${r.category}`), ...facts].flatMap((f, i) => [i ? ' · ' : null, h('span', { class: 'fact' }, f)]))));
}

/// 申请积分 — the village's award rules; the villager picks one and says what they did.
export function applyPoints(app) {
  return {
    async render(main) {
      if (!app.session.household) return noHousehold(main);
      const rules = (await call('rules', { village: app.village() })).filter((r) => r.active && r.direction === 'award');
      const text = h('textarea', { name: 'evidence', maxlength: 500, rows: 3 });
      const box = alertBox();
      const photos = attachmentPicker({ voice: false, location: false });
      const form = h('form', { novalidate: true },
        h('fieldset', {}, h('legend', {}, t('points.choose_rule')), h('div', { class: 'rules', id: 'rule-list' }, rules.map(ruleChoice))),
        field(t('points.evidence'), text, t('points.evidence_hint')), photos.element, box,
        h('button', { type: 'submit', class: 'primary' }, t('points.apply_submit')));
      submitting(form, box, async () => {
        const rule = form.querySelector('input[name=rule]:checked')?.value;
        if (!rule) throw Object.assign(new Error('choose'), { code: 'choose_rule' });
        if (photos.busy()) throw Object.assign(new Error('attach_busy'), { code: 'attach_busy' });
        // Stored before the op that names them (see view_appeals.js), removed if the core refuses.
        const { attachments, added } = await photos.commit(app.session.user);
        try {
          await call('applyPoints', { household: app.session.household, rule, text: text.value, photos: attachments });
        } catch (e) {
          await photos.rollback(app.session.user, added).catch(() => {});
          throw e;
        }
        photos.reset();
        await app.changed();
        app.go('#/points');
      });
      mount(main, h('a', { class: 'link', href: '#/points' }, `‹ ${t('points.title')}`), h('h2', {}, t('points.apply')),
        rules.length ? form : h('p', { class: 'hint' }, t('points.no_rules')));
    },
  };
}
