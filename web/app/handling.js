// The handler's 转派 and 合并 (dispatch to a department, merge a duplicate), under the 办理 panel
// of one appeal. The departments come from the org tree (the county's catalogue); the merge
// targets are the similar open appeals of the village that the core finds, as when filing.
import { call } from './core_client.js';
import { t, h, errorText } from './ui.js';
import { field, alertBox, submitting } from './view_common.js';

const excerpt = (text, n = 40) => ([...text].length > n ? `${[...text].slice(0, n).join('')}…` : text);
const numberOf = (a) => (a.official_number ? t('appeals.number', { n: a.official_number }) : a.provisional_number);

// A department from the catalogue, grouped by the region it belongs to; free text where the
// county has none.
function dispatchForm(departments, act) {
  const groups = new Map();
  for (const d of departments) groups.set(d.region_name, [...(groups.get(d.region_name) || []), d]);
  const input = departments.length
    ? h('select', { name: 'department', required: true },
      [...groups].map(([region, list]) => h('optgroup', { label: region }, list.map((d) => h('option', { value: d.id }, d.name)))))
    : h('input', { name: 'department', required: true, maxlength: 60, autocomplete: 'off' });
  const box = alertBox();
  const form = h('form', { novalidate: true, 'data-action': 'dispatch' }, field(t('handle.department'), input), box,
    h('button', { type: 'submit', class: 'primary' }, t('handle.dispatch_submit')));
  submitting(form, box, () => act('dispatch', { department: input.value }));
  return h('details', { class: 'panel', id: 'dispatch' }, h('summary', {}, t('handle.dispatch')), form);
}

// The similar open appeals to merge this one into; one must be chosen, and the handler confirms.
function mergeForm(similar, act) {
  if (!similar.length) {
    return h('details', { class: 'panel', id: 'merge' }, h('summary', {}, t('handle.merge')), h('p', { class: 'hint', id: 'merge-none' }, t('handle.merge_none')));
  }
  const box = alertBox();
  const choices = similar.map((s) => h('label', { class: 'choice target' },
    h('input', { type: 'radio', name: 'into', value: s.id, required: true }),
    h('span', {}, h('strong', {}, numberOf(s)), ' ', h('span', { class: 'badge', 'data-status': s.status }, t(`status.${s.status}`)),
      h('span', { class: 'hint' }, excerpt(s.text)))));
  const form = h('form', { novalidate: true, 'data-action': 'merge' },
    h('p', { class: 'hint' }, t('handle.merge_hint')),
    h('fieldset', {}, h('legend', {}, t('handle.merge_into')), h('div', { class: 'choices targets' }, choices)), box,
    h('button', { type: 'submit', class: 'danger' }, t('handle.merge_submit')));
  submitting(form, box, async () => {
    const into = form.querySelector('input[name=into]:checked')?.value;
    if (!into) { box.replaceChildren(h('p', { class: 'alert' }, errorText('merge_target_missing'))); return; }
    if (confirm(t('handle.merge_confirm'))) await act('merge', { into });
  });
  return h('details', { class: 'panel', id: 'merge' }, h('summary', {}, t('handle.merge')), form);
}

/// The dispatch and merge parts of the 办理 panel of open appeal `a`; `act(op, args)` runs a
/// command on it and redraws.
export async function handlingParts(a, act) {
  const [departments, similar] = await Promise.all([
    call('departments', { id: a.id }),
    call('similar', { where: a.scope, category: a.category, text: a.text, exclude: a.id }),
  ]);
  return [dispatchForm(departments, act), mergeForm(similar, act)];
}
