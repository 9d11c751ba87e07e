// Cadres write: a new post (notices and other texts, finance records with their income and
// spending lines), and corrections (更正) of published posts with a reason. Amounts are typed in
// yuan and sent in fen; whatever is not a plain amount goes to the core as typed, which refuses
// it in the catalogue's words (invalid_amount), as it refuses an unbalanced record.
import { call } from './core_client.js';
import { t, h } from './ui.js';
import { field, alertBox, submitting, back, mount } from './view_common.js';
import { publishScope } from './view_posts.js';

const COMPOSE_TYPES = ['notice', 'finance', 'village', 'party'];

/// "1,234.5" → 123450 fen; anything else is returned as typed (for the core to refuse).
export function toFen(text) {
  const s = String(text).replace(/[,，\s]/g, '');
  const m = s.match(/^(\d{1,13})(?:\.(\d{1,2}))?$/);
  if (!m) return s;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}
const yuanText = (fen) => (Number.isInteger(fen) ? `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}` : '');

const amountInput = (name, fen) => h('input', { name, inputmode: 'decimal', autocomplete: 'off', value: yuanText(fen) });

// The lines of one side (income or spending): each line's category, counterparty and amount;
// members the form does not show (vouchers, notes) are kept as they were.
function linesEditor(side, initial) {
  const list = h('ol', { class: 'lines', 'data-side': side });
  const rows = [];
  const add = (line = {}) => {
    const n = rows.length + 1;
    const category = h('input', { name: `${side}-category`, autocomplete: 'off', value: line.category || '' });
    const counterparty = h('input', { name: `${side}-counterparty`, autocomplete: 'off', value: line.counterparty || '' });
    const amount = amountInput(`${side}-amount`, line.amount);
    const row = { line, category, counterparty, amount };
    const item = h('li', {}, h('fieldset', { class: 'line' }, h('legend', {}, t('compose.line', { side: t(`field.${side}`), n })),
      field(t('field.category'), category), field(t('field.counterparty'), counterparty), field(t('compose.amount_yuan'), amount),
      h('button', { type: 'button', class: 'danger', onclick: () => { rows.splice(rows.indexOf(row), 1); item.remove(); } },
        t('compose.remove_line'))));
    rows.push(row);
    list.append(item);
  };
  (initial || []).forEach(add);
  const addButton = h('button', { type: 'button', 'data-add': side, onclick: () => add() }, t('compose.add_line', { side: t(`field.${side}`) }));
  return {
    element: h('div', {}, h('h4', {}, t(`field.${side}`)), list, addButton),
    value: () => rows.map((r) => ({ ...r.line, category: r.category.value.trim(), counterparty: r.counterparty.value.trim(),
      amount: toFen(r.amount.value) })).map((l) => { if (!l.counterparty) delete l.counterparty; return l; }),
  };
}

/// The finance fields (period, opening and closing balances, income and spending lines).
function financeEditor(c = {}) {
  const period = h('input', { name: 'period', autocomplete: 'off', value: c.period || '' });
  const opening = amountInput('opening', c.opening);
  const closing = amountInput('closing', c.closing);
  const income = linesEditor('income', c.income);
  const spending = linesEditor('spending', c.spending);
  return {
    element: h('div', { class: 'finance-editor' }, field(t('field.period'), period, t('compose.period_hint')),
      field(t('compose.opening_yuan'), opening), income.element, spending.element, field(t('compose.closing_yuan'), closing)),
    value: () => ({ period: period.value.trim(), opening: toFen(opening.value), closing: toFen(closing.value),
      income: income.value(), spending: spending.value() }),
  };
}

/// 发布公开 — a new post of the cadre's region.
export function compose(app) {
  return {
    async render(main) {
      const scope = publishScope(app);
      const type = h('select', { name: 'type' }, COMPOSE_TYPES.map((ty) => h('option', { value: ty }, t(`post_type.${ty}`))));
      const title = h('input', { name: 'title', maxlength: 100, autocomplete: 'off' });
      const body = h('textarea', { name: 'body', maxlength: 20000, rows: 5 });
      const finance = financeEditor({ income: [{}], spending: [{}] });
      finance.element.hidden = true;
      type.addEventListener('change', () => { finance.element.hidden = type.value !== 'finance'; });
      const box = alertBox();
      const form = h('form', { novalidate: true, 'data-action': 'publish' }, field(t('compose.type'), type),
        field(t('field.title'), title), field(t('field.body'), body), finance.element, box,
        h('button', { type: 'submit', class: 'primary' }, t('compose.publish')), h('p', { class: 'hint' }, t('compose.final_hint')));
      submitting(form, box, async () => {
        const fields = { title: title.value, body: body.value };
        if (!fields.body.trim()) delete fields.body;
        if (type.value === 'finance') Object.assign(fields, finance.value());
        const r = await call('publish', { scope, type: type.value, fields });
        await app.changed();
        app.go(`#/post/${encodeURIComponent(r.id)}`);
      });
      mount(main, back('#/posts'), h('h2', {}, t('compose.title')), form);
    },
  };
}

/// 发布更正 — folded under a published post for its cadres: a reason and the fields to correct;
/// the correction becomes a new version, the old one stays readable.
export function amendForm(app, post, amend) {
  const c = post.versions[post.versions.length - 1].content;
  const reason = h('textarea', { name: 'reason', maxlength: 500, rows: 2, required: true });
  const title = h('input', { name: 'title', maxlength: 100, autocomplete: 'off', value: c.title || '' });
  const body = h('textarea', { name: 'body', maxlength: 20000, rows: 4 });
  body.value = c.body || '';
  const finance = post.type === 'finance' ? financeEditor(c) : null;
  const box = alertBox();
  const form = h('form', { novalidate: true, 'data-action': 'amend' }, field(t('compose.reason'), reason, t('compose.reason_hint')),
    field(t('field.title'), title), field(t('field.body'), body), finance?.element, box,
    h('button', { type: 'submit', class: 'primary' }, t('compose.amend_submit')));
  submitting(form, box, async () => {
    const fields = { title: title.value };
    if (body.value.trim() || c.body) fields.body = body.value;
    if (finance) Object.assign(fields, finance.value());
    await amend(reason.value, fields);
  });
  return h('details', { class: 'panel', id: 'amend' }, h('summary', {}, t('compose.amend')), form);
}
