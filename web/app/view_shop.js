// The village's points supermarket (积分超市: prices, stock, redeeming one item) and its honour
// lists (光荣榜: this month, this year, and the year's titles).
import { call } from './core_client.js';
import { t, h, currentLang } from './ui.js';
import { alertBox, showError, idle, mount } from './view_common.js';

function goodsCard(app, g, available, done) {
  const box = alertBox();
  const confirmRow = h('div', { class: 'row', hidden: true });
  const out = g.stock < 1;
  const ask = h('button', { type: 'button', class: 'primary', 'data-goods': g.id, disabled: out,
    'aria-expanded': 'false', onclick: () => {
      confirmRow.hidden = !confirmRow.hidden;
      ask.setAttribute('aria-expanded', String(!confirmRow.hidden));
    } }, out ? t('shop.sold_out') : t('shop.redeem'));
  const confirm = h('button', { type: 'button', class: 'primary', 'data-confirm': g.id, onclick: async () => {
    confirm.disabled = true;
    try {
      await call('redeem', { household: app.session.household, goods: g.id });
      await app.changed();
      done();
    } catch (e) { showError(box, e); } finally { confirm.disabled = false; }
  } }, t('shop.confirm', { name: g.name, n: g.price }));
  confirmRow.append(h('p', { class: 'hint' }, t('shop.confirm_hint', { left: available - g.price })), confirm);
  return h('li', { class: 'card goods', 'data-goods': g.id },
    h('p', { class: 'text' }, h('strong', {}, g.name)),
    h('div', { class: 'meta' }, h('span', { class: 'price' }, t('points.price', { n: g.price })),
      h('span', { 'data-stock': g.stock }, out ? t('shop.sold_out') : t('shop.stock', { n: g.stock }))),
    ask, confirmRow, box);
}

export function shop(app) {
  let main;
  const view = {
    async render(m) {
      main = m;
      const [goods, account] = await Promise.all([call('shop', { village: app.village() }),
        app.session.household ? call('account', { household: app.session.household }) : null]);
      const available = account ? account.available : 0;
      mount(main, h('a', { class: 'link', href: '#/points' }, `‹ ${t('points.title')}`), h('h2', {}, t('points.shop')),
        account ? h('p', {}, t('shop.available', { n: available })) : h('p', { class: 'hint' }, t('points.no_household')),
        h('p', { class: 'hint' }, t('shop.how')),
        goods.length ? h('ul', { class: 'cards', id: 'goods' }, goods.map((g) => goodsCard(app, g, available, () => app.go('#/points'))))
          : h('p', { class: 'hint' }, t('shop.empty')));
      if (!account) main.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    },
    refresh: () => idle(main) && view.render(main),
  };
  return view;
}

function honourTable(id, caption, rows) {
  if (!rows.length) return h('p', { class: 'hint', id }, `${caption}：${t('honour.empty')}`);
  return h('table', { class: 'figures-table', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('honour.rank')), h('th', { scope: 'col' }, t('honour.household')),
      h('th', { scope: 'col', class: 'num' }, t('honour.points')))),
    h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, String(r.rank)), h('td', {}, r.name), h('td', { class: 'num' }, String(r.points))))));
}

export function honour(app) {
  return {
    async render(main) {
      const village = app.village() || app.reviewScope();
      const [month, year, titles] = await Promise.all([call('honour', { scope: village, kind: 'month' }),
        call('honour', { scope: village, kind: 'year' }), call('titles', { village, kind: 'year' })]);
      mount(main, h('a', { class: 'link', href: '#/points' }, `‹ ${t('points.title')}`), h('h2', {}, t('points.honour')),
        titles.titles.length ? h('h3', {}, t('honour.titles', { p: titles.period })) : null,
        titles.titles.length ? h('ul', { class: 'titles', id: 'titles' }, titles.titles.map((x) => h('li', {},
          h('strong', {}, currentLang() === 'en' ? t(`honour.title.${x.category}`) : x.title), ` ${x.households.map((hh) => hh.name).join('、')}`, h('span', { class: 'hint' }, ` ${t('points.amount', { n: x.points })}`))))
          : null,
        honourTable('honour-month', t('honour.month', { p: month.period }), month.rows),
        honourTable('honour-year', t('honour.year', { p: year.period }), year.rows));
    },
  };
}
