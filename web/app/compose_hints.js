// What the compose screen (我要反映) offers while a villager writes: the urgency the core suggests
// from the category and the words (pre-selected until the villager picks one), the similar open
// appeals of the village (村里已有类似诉求) to open instead of filing twice, dictation where the
// browser can recognise speech, and the draft kept while they look at another appeal. The core
// decides what is urgent and what is similar; this file asks it and renders the answers.
import { call } from './core_client.js';
import { t, h, currentLang } from './ui.js';
import { icon } from './icons.js';

const DEBOUNCE_MS = 300;
const MIN_SIMILAR_CHARS = 4;  // fewer characters than this match nothing useful
const draftKey = (app) => `cunwu.draft.${app.session.user}`;

/// `current` with dictated `spoken` appended: a comma (zh) or a space (en) between two sentences
/// unless `current` already ends in punctuation or space; at most `max` characters.
export function appendDictation(current, spoken, lang, max = 2000) {
  const words = String(spoken || '').trim();
  if (!words) return current;
  if (!current) return words.slice(0, max);
  const joint = /[\s，。！？、；：,.!?;:]$/.test(current) ? '' : (lang === 'en' ? ' ' : '，');
  return (current + joint + words).slice(0, max);
}

/// The browser's speech recognition class, or null where there is none.
export function recognitionClass() {
  return window.SpeechRecognition || window.webkitSpeechRecognition || null;
}

// `fn` once typing pauses; `.cancel()` drops a call still waiting.
function debounce(fn) {
  let timer = 0;
  const later = () => { clearTimeout(timer); timer = setTimeout(fn, DEBOUNCE_MS); };
  later.cancel = () => clearTimeout(timer);
  return later;
}

// The urgency radios: the core's suggestion is checked until the villager picks one by hand.
function urgencyHint(form, category, text) {
  const radios = [...form.querySelectorAll('input[name=urgency]')];
  const hint = h('p', { class: 'hint suggestion', id: 'urgency-hint', 'aria-live': 'polite' });
  radios[0]?.closest('fieldset')?.append(hint);
  let touched = false;
  let asked = 0;
  radios.forEach((r) => r.addEventListener('change', () => { touched = true; }));
  const update = async () => {
    const mine = ++asked;
    const s = await call('suggestUrgency', { category: category.value, text: text.value });
    if (mine !== asked) return;  // a newer question is on its way
    for (const r of radios) r.closest('label')?.classList.toggle('suggested', r.value === s.urgency);
    if (!touched) radios.forEach((r) => { r.checked = r.value === s.urgency; });
    hint.dataset.urgency = s.urgency;
    hint.textContent = s.because.length
      ? t('hints.urgency_because', { u: t(`urgency.${s.urgency}`), words: s.because.join('、') })
      : t('hints.urgency', { u: t(`urgency.${s.urgency}`) });
  };
  return update;
}

function similarCard(a) {
  const number = a.official_number ? t('appeals.number', { n: a.official_number }) : a.provisional_number;
  return h('li', {}, h('a', { class: 'card', href: `#/appeal/${encodeURIComponent(a.id)}`, 'data-id': a.id },
    h('div', { class: 'meta' },
      h('span', { class: 'badge', 'data-status': a.status }, t(`status.${a.status}`)),
      h('span', {}, t(`category.${a.category}`)), h('span', {}, number)),
    h('p', { class: 'text' }, a.text)));
}

// 村里已有类似诉求: shown only when there are some; each opens the appeal.
function similarList(app, category, text) {
  const list = h('ul', { class: 'cards' });
  const section = h('section', { class: 'panel similar', id: 'similar', 'aria-labelledby': 'similar-h', hidden: true },
    h('h3', { id: 'similar-h' }, t('hints.similar_title')), h('p', { class: 'hint' }, t('hints.similar_hint')), list);
  const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'similar-status' });
  let asked = 0;
  const update = async () => {
    const mine = ++asked;
    const words = text.value.trim();
    const found = [...words].length < MIN_SIMILAR_CHARS ? []
      : await call('similar', { where: app.session.home, category: category.value, text: words });
    if (mine !== asked) return;
    list.replaceChildren(...found.map(similarCard));
    section.hidden = !found.length;
    status.textContent = found.length ? t('hints.similar_found', { n: found.length }) : '';
  };
  return { element: [section, status], update };
}

// 语音输入: a button that appends what the recognizer heard; none where the browser has no
// speech recognition.
function dictation(text) {
  const Recognition = recognitionClass();
  if (!Recognition) return null;
  const status = h('p', { class: 'hint', id: 'dictate-status', 'aria-live': 'polite' });
  let recognizer = null;
  const button = h('button', { type: 'button', id: 'dictate', class: 'dictate', 'aria-pressed': 'false',
    'aria-describedby': 'dictate-status' }, icon('mic'), h('span', { class: 'label' }, t('dictate.start')));
  const stopped = () => {
    recognizer = null;
    button.setAttribute('aria-pressed', 'false');
    button.querySelector('.label').textContent = t('dictate.start');
  };
  button.addEventListener('click', () => {
    if (recognizer) { recognizer.stop(); return; }
    recognizer = new Recognition();
    recognizer.lang = currentLang() === 'en' ? 'en-US' : 'zh-CN';
    recognizer.interimResults = false;
    recognizer.continuous = false;
    recognizer.maxAlternatives = 1;
    recognizer.onresult = (event) => {
      for (let i = event.resultIndex || 0; i < event.results.length; i++) {
        const result = event.results[i];
        if (result.isFinal === false) continue;
        text.value = appendDictation(text.value, result[0]?.transcript, currentLang(), Number(text.maxLength) > 0 ? text.maxLength : 2000);
      }
      text.dispatchEvent(new Event('input', { bubbles: true }));
      status.textContent = t('dictate.added');
    };
    recognizer.onerror = (event) => {
      const key = { 'not-allowed': 'denied', 'service-not-allowed': 'denied', 'no-speech': 'no_speech', network: 'network' }[event.error] || 'failed';
      status.textContent = t(`dictate.${key}`);
    };
    recognizer.onend = stopped;
    try {
      recognizer.start();
      button.setAttribute('aria-pressed', 'true');
      button.querySelector('.label').textContent = t('dictate.stop');
      status.textContent = t('dictate.listening');
    } catch {
      stopped();
      status.textContent = t('dictate.failed');
    }
  });
  return h('div', { class: 'dictation' }, button, status);
}

/// Forgets the draft kept while composing: the appeal was filed.
export function forgetDraft(app) {
  sessionStorage.removeItem(draftKey(app));
}

/// Adds the hints to the compose form: `category` (select) and `text` (textarea) are its fields;
/// the urgency radios are found in `form` by name.
export function composeHints(app, { form, category, text }) {
  const suggest = urgencyHint(form, category, text);
  const similar = similarList(app, category, text);
  const mic = dictation(text);
  const after = text.nextElementSibling?.classList.contains('hint') ? text.nextElementSibling : text;
  after.after(...[mic, ...similar.element].filter(Boolean));

  // The draft survives opening a similar appeal and coming back.
  const saved = JSON.parse(sessionStorage.getItem(draftKey(app)) || 'null');
  if (saved && !text.value) {
    text.value = saved.text || '';
    if (saved.category) category.value = saved.category;
  }
  const save = () => sessionStorage.setItem(draftKey(app), JSON.stringify({ text: text.value, category: category.value }));
  const later = debounce(() => { suggest().catch(() => {}); similar.update().catch(() => {}); });
  // Hints for a form already sent would only queue in the worker ahead of showing the appeal.
  // The draft is kept until the appeal is filed (forgetDraft): a refused form keeps it.
  form.addEventListener('submit', () => later.cancel());
  text.addEventListener('input', () => { save(); later(); });
  category.addEventListener('change', () => { save(); suggest().catch(() => {}); similar.update().catch(() => {}); });
  suggest().catch(() => {});
  if (text.value) similar.update().catch(() => {});
}
