// 考核看板 — a handler's region at a glance: response, resolution and satisfaction rates of its
// appeals (the core's appeals metrics), over all and by month.
import { call } from './core_client.js';
import { t, h, span } from './ui.js';
import { idle, mount } from './view_common.js';

const pct = (x) => `${Math.round(x * 100)}%`;

function rateTile(id, label, rate, part, whole) {
  return h('div', { class: 'figure', id },
    h('span', { class: 'label' }, label),
    h('strong', { 'data-rate': rate.toFixed(4) }, whole ? pct(rate) : '—'),
    h('span', { class: 'hint' }, t('dashboard.of', { a: part, b: whole })));
}

export function dashboard(app) {
  let main;
  const view = {
    async render(m, { background = false } = {}) {
      main = m;
      const scope = app.handlerScope();
      const r = await call('rates', { scope });
      const o = r.overall;
      const months = [...r.by_month].reverse().slice(0, 6);
      if (background && !idle(main)) return;  // a tap or a text began while the parts were gathered
      mount(main, h('h2', {}, t('dashboard.title')), h('p', { class: 'hint' }, t('dashboard.scope', { name: r.name, n: o.filed })),
        h('div', { class: 'figures three' },
          rateTile('rate-response', t('dashboard.response'), o.response_rate, o.responded, o.filed),
          rateTile('rate-resolution', t('dashboard.resolution'), o.resolution_rate, o.resolved, o.filed),
          rateTile('rate-satisfaction', t('dashboard.satisfaction'), o.satisfaction_rate, o.satisfied, o.rated)),
        h('dl', { class: 'facts' },
          h('dt', {}, t('dashboard.in_time')), h('dd', { id: 'in-time' }, t('dashboard.of', { a: o.responded_in_time, b: o.filed })),
          h('dt', {}, t('dashboard.median')), h('dd', {}, o.median_handling_ms === null ? '—' : span(o.median_handling_ms))),
        months.length ? h('table', { class: 'figures-table', id: 'by-month' }, h('caption', {}, t('dashboard.by_month')),
          h('thead', {}, h('tr', {}, ['month', 'response', 'resolution', 'satisfaction']
            .map((k) => h('th', { scope: 'col', class: k === 'month' ? '' : 'num' }, t(`dashboard.col.${k}`))))),
          h('tbody', {}, months.map((x) => h('tr', {},
            h('th', { scope: 'row' }, x.month, h('div', { class: 'hint' }, t('dashboard.appeals', { n: x.filed }))),
            h('td', { class: 'num' }, pct(x.response_rate)), h('td', { class: 'num' }, pct(x.resolution_rate)),
            h('td', { class: 'num' }, x.rated ? pct(x.satisfaction_rate) : '—'))))) : null,
        h('p', { class: 'hint' }, t('dashboard.note')));
    },
    refresh: () => idle(main) && view.render(main, { background: true }),
  };
  return view;
}
