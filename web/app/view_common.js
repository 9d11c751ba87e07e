// What every screen uses: labelled fields, error and success boxes, forms that show the
// catalogue's words when the core refuses, and a redraw guard for background refreshes.
import { t, errorText, h } from './ui.js';

let fieldSeq = 0;

/// A label and its control (and a hint the control is described by).
export function field(label, input, hint) {
  const id = input.id || (input.id = `f${++fieldSeq}`);
  const parts = [h('label', { for: id }, label), input];
  if (hint) {
    const hid = `${id}-hint`;
    input.setAttribute('aria-describedby', hid);
    parts.push(h('p', { class: 'hint', id: hid }, hint));
  }
  return parts;
}

export function alertBox() { return h('div', { role: 'alert', 'aria-live': 'assertive' }); }
export function showError(box, e) { box.replaceChildren(h('p', { class: 'alert' }, errorText(e.code))); }
export function showOk(box, text) { box.replaceChildren(h('p', { class: 'ok' }, text)); }
/// The polite live region (#done) that says an action went through; showing `text` when given.
export function doneStatus(text = '') {
  const box = h('div', { id: 'done', 'aria-live': 'polite' });
  if (text) showOk(box, text);
  return box;
}

/// Runs `action` with the form's button disabled, showing its error in `box`.
export function submitting(form, box, action) {
  form.addEventListener('input', () => box.replaceChildren());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    box.replaceChildren();
    try { await action(); } catch (e) { showError(box, e); } finally { button.disabled = false; }
  });
}

/// A button that runs `action`, showing its error in `box`.
export function actionButton(label, attrs, box, action) {
  const button = h('button', { type: 'button', ...attrs, onclick: async () => {
    button.disabled = true;
    box.replaceChildren();
    try { await action(); } catch (e) { showError(box, e); } finally { button.disabled = false; }
  } }, label);
  return button;
}

/// A form with one text and a button; `folded` puts it behind a summary line (rarer actions).
export function actionForm(label, inputLabel, name, action, { required = true, danger = false, folded = false, plain = false } = {}) {
  const input = h('textarea', { name, required, maxlength: 2000, rows: 2 });
  const box = alertBox();
  const form = h('form', { novalidate: true, class: folded || plain ? '' : 'panel', 'data-action': name }, field(inputLabel, input), box,
    h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, label));
  submitting(form, box, () => action(input.value));
  return folded ? h('details', { class: 'panel' }, h('summary', {}, label), form) : form;
}

/// Orders the renders of one view: `begin()` at the start of a render returns a check that is
/// true while no later render of the view has begun. A render that awaits the worker more than
/// once checks it before drawing, so a background refresh that started earlier (sync) never
/// draws over a newer one, e.g. stale data over what the user just did. (A render with a single
/// worker call needs none: the worker answers in the order asked.)
export function renders() {
  let n = 0;
  return { begin() { const mine = ++n; return () => mine === n; } };
}

/// Whether a background refresh may redraw `main`: not while anything in it has the focus (a tap
/// being made, a text being typed) or a text waits to be sent.
export function idle(main) {
  if (!main) return false;
  const typing = [...main.querySelectorAll('textarea, input[type=text], input[type=search], input:not([type])')].some((x) => x.value);
  return !main.contains(document.activeElement) && !typing;
}

/// A link styled as the screen's main button.
export function buttonLink(href, label, attrs = {}) {
  return h('a', { class: 'button primary', href, ...attrs }, label);
}

/// "‹ back" to `href`.
export function back(href) {
  return h('a', { class: 'link', href }, `‹ ${t('detail.back')}`);
}

/// Puts `parts` (nodes, texts, nested lists; null and false skipped) on the screen.
export function mount(main, ...parts) {
  main.replaceChildren(...parts.flat(3).filter((p) => p !== null && p !== undefined && p !== false));
}
