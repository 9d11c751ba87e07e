// How a post's content reads on a phone, by type: finance records as tables with totals (the
// core's figures), contracts and policies as facts, assistance lists as tables of masked
// entries; and what an amendment changed, field by field and line by line.
import { t, h, money } from './ui.js';

const AMOUNTS = new Set(['opening', 'closing', 'price', 'amount']);
const show = (key, v) => (v === null || v === undefined || v === '' ? '—' : AMOUNTS.has(key) ? money(v) : String(v));

function facts(content, keys) {
  const rows = keys.filter((k) => content[k] !== undefined && content[k] !== null && content[k] !== '');
  if (!rows.length) return null;
  return h('dl', { class: 'facts' }, rows.flatMap((k) => [h('dt', {}, t(`field.${k}`)), h('dd', { 'data-field': k }, show(k, content[k]))]));
}

function linesTable(id, caption, lines, total) {
  return h('table', { class: 'figures-table', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('field.category')), h('th', { scope: 'col' }, t('field.counterparty')),
      h('th', { scope: 'col', class: 'num' }, t('field.amount')))),
    h('tbody', {}, (lines || []).map((l) => h('tr', {},
      h('td', {}, l.category, l.note ? h('div', { class: 'hint' }, l.note) : null), h('td', {}, l.counterparty || '—'),
      h('td', { class: 'num' }, money(l.amount))))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 2 }, t('finance.total')), h('td', { class: 'num', 'data-total': id }, money(total)))));
}

function finance(c, totals) {
  const parts = [facts(c, ['period'])];
  if (totals) {
    parts.push(linesTable('income-table', t('field.income'), c.income, totals.income),
      linesTable('spending-table', t('field.spending'), c.spending, totals.spending),
      h('dl', { class: 'facts summary', id: 'finance-summary' },
        h('dt', {}, t('field.opening')), h('dd', {}, money(c.opening)),
        h('dt', {}, t('finance.plus_income')), h('dd', {}, money(totals.income)),
        h('dt', {}, t('finance.minus_spending')), h('dd', {}, money(totals.spending)),
        h('dt', {}, t('field.closing')), h('dd', { 'data-closing': c.closing }, money(c.closing),
          h('span', { class: totals.balanced ? 'ok-mark' : 'bad-mark' }, ' ', totals.balanced ? t('finance.balanced') : t('finance.unbalanced')))));
  }
  return parts;
}

function contract(c) {
  const term = c.start ? `${c.start} — ${c.end || ''}` : null;
  return [facts({ ...c, term }, ['party', 'object', 'area', 'term', 'price']),
    c.schedule?.length ? h('table', { class: 'figures-table', id: 'schedule-table' }, h('caption', {}, t('field.schedule')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('field.date')), h('th', { scope: 'col', class: 'num' }, t('field.amount')))),
      h('tbody', {}, c.schedule.map((p) => h('tr', {}, h('td', {}, p.date), h('td', { class: 'num' }, money(p.amount)))))) : null];
}

function assistance(c) {
  return [facts(c, ['program', 'criteria']),
    c.steps?.length ? [h('h3', {}, t('field.steps')), h('ol', {}, c.steps.map((s) => h('li', {}, s)))] : null,
    c.entries?.length ? h('table', { class: 'figures-table' }, h('caption', {}, t('field.entries')),
      h('thead', {}, h('tr', {}, ['name', 'household_size', 'amount'].map((k) => h('th', { scope: 'col' }, t(`field.${k}`))))),
      h('tbody', {}, c.entries.map((e) => h('tr', {}, h('td', {}, e.name), h('td', {}, String(e.household_size ?? '—')),
        h('td', { class: 'num' }, e.amount !== undefined ? money(e.amount) : '—'))))) : null];
}

const POLICY_TERM = (c) => (c.effective_from ? `${c.effective_from} — ${c.effective_to || t('policy.open_ended')}` : null);

/// The content of one version: facts of its type, its tables, its text.
export function renderContent(type, c, totals) {
  let typed = null;
  if (type === 'finance') typed = finance(c, totals);
  else if (type === 'contract') typed = contract(c);
  else if (type === 'assistance') typed = assistance(c);
  else if (type === 'policy') typed = facts({ ...c, category: c.category ? t(`policy_category.${c.category}`) : '', term: POLICY_TERM(c) }, ['category', 'issuer', 'term']);
  else if (type === 'activity') typed = facts(c, ['place', 'date']);
  else if (type === 'job') typed = facts(c, ['employer', 'position', 'deadline']);
  return [typed, c.body ? h('p', { class: 'body' }, c.body) : null].flat(2).filter(Boolean);
}

function lineSummary(l) {
  if (!l || typeof l !== 'object') return String(l ?? '');
  return [l.category || l.date || l.name, l.amount !== undefined ? money(l.amount) : null].filter(Boolean).join(' ');
}

function lineChange(field, c) {
  const row = t('diff.line', { n: (c.kind === 'removed' ? c.before_index : c.after_index) + 1 });
  if (c.kind === 'added') return h('li', { 'data-kind': 'added' }, `${t(`field.${field}`)} ${row} ${t('diff.added')}：${lineSummary(c.after)}`);
  if (c.kind === 'removed') return h('li', { 'data-kind': 'removed' }, `${t(`field.${field}`)} ${row} ${t('diff.removed')}：${lineSummary(c.before)}`);
  return h('li', { 'data-kind': 'changed' }, `${t(`field.${field}`)} ${row} ${t('diff.changed')}：`,
    c.members.map((m) => `${t(`field.${m}`)} ${show(m, c.before?.[m])} → ${show(m, c.after?.[m])}`).join('；'));
}

/// What an amendment changed (the core's diff), one line per change.
export function renderChanges(changes) {
  return h('ul', { class: 'changes' }, changes.flatMap((c) => {
    if (c.lines.length) return c.lines.map((l) => lineChange(c.field, l));
    if (c.field === 'body') return [h('li', { 'data-field': 'body' }, t('diff.body_changed'))];
    return [h('li', { 'data-field': c.field }, `${t(`field.${c.field}`)}：`, h('del', {}, show(c.field, c.before)), ' → ',
      h('ins', {}, show(c.field, c.after)))];
  }));
}
