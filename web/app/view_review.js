// The people who act on other households' points: a cadre or courtyard head approves or
// rejects applications (积分审核); the shopkeeper hands over redemptions the host confirmed.
import { call } from './core_client.js';
import { t, h, when } from './ui.js';
import { alertBox, actionButton, actionForm, idle, doneStatus, mount } from './view_common.js';
import { signed } from './view_points.js';
import { attachmentGallery } from './attachments.js';

function applicationCard(app, item, after) {
  const a = item.application;
  const box = alertBox();
  const act = async (op, args) => {
    await call(op, { household: item.household, application: a.id, ...args });
    await app.changed();
    await after();
  };
  return h('li', { class: 'card', 'data-id': a.id },
    h('div', { class: 'meta' }, h('span', {}, item.household_name), h('span', {}, when(a.at))),
    h('p', { class: 'text' }, h('strong', {}, a.rule.title), ` ${signed(a.rule.amount)}`),
    a.text || !a.photos?.length ? h('p', { class: 'body' }, a.text || t('review.no_evidence')) : null,
    attachmentGallery(app, a.photos, { title: t('attach.evidence') }), box,
    actionButton(t('review.approve'), { class: 'primary', 'data-action': 'approve' }, box, () => act('approve')),
    actionForm(t('review.reject'), t('review.reject_reason'), 'reject', (reason) => act('rejectApplication', { reason }),
      { danger: true, folded: true }));
}

export function review(app) {
  let main;
  const view = {
    async render(m, done = '') {
      main = m;
      const scope = app.reviewScope();
      const items = await call('pendingApplications', { scope });
      const status = doneStatus(done);
      mount(main, h('h2', {}, t('review.title')), status,
        items.length ? h('ul', { class: 'cards', id: 'review-list' }, items.map((i) => applicationCard(app, i, () => view.render(main, t('detail.done')))))
          : h('p', { class: 'hint', id: 'review-empty' }, t('review.empty')));
    },
    refresh: () => idle(main) && view.render(main),
  };
  return view;
}

function redemptionCard(app, item, after) {
  const r = item.redemption;
  const box = alertBox();
  return h('li', { class: 'card', 'data-id': r.id, 'data-status': r.status },
    h('div', { class: 'meta' }, h('span', {}, item.household_name), h('span', {}, when(r.confirmed_at || r.at))),
    h('p', { class: 'text' }, h('strong', {}, r.goods_name), ` · ${t('points.price', { n: r.price })}`), box,
    r.status === 'confirmed' ? actionButton(t('fulfil.hand_over'), { class: 'primary', 'data-action': 'fulfil' }, box, async () => {
      await call('fulfil', { household: item.household, request: r.id });
      await app.changed();
      await after();
    }) : h('p', { class: 'hint' }, t('points.redemption.pending')));
}

/// 兑换交付 — the shopkeeper's list: confirmed requests to hand over, and those the host has not confirmed yet.
export function fulfil(app) {
  let main;
  const view = {
    async render(m, done = '') {
      main = m;
      const scope = app.shopScope();
      const [ready, waiting] = await Promise.all([call('redemptions', { scope, status: 'confirmed' }),
        call('redemptions', { scope, status: 'pending' })]);
      const status = doneStatus(done);
      const again = () => view.render(main, t('detail.done'));
      mount(main, h('h2', {}, t('fulfil.title')), status,
        ready.length ? h('ul', { class: 'cards', id: 'fulfil-list' }, ready.map((i) => redemptionCard(app, i, again)))
          : h('p', { class: 'hint' }, t('fulfil.empty')),
        waiting.length ? [h('h3', {}, t('fulfil.waiting')), h('ul', { class: 'cards' }, waiting.map((i) => redemptionCard(app, i, again)))] : null);
    },
    refresh: () => idle(main) && view.render(main),
  };
  return view;
}
