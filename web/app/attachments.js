// Attachments on screen: the picker of a form (photos taken or chosen, resized on the device and
// shown as thumbnails that can be removed; a voice message; "share the location", off by
// default) and the gallery of an appeal (the device's copy first, else the host's).
//
// Location: re-encoding removes it from the photo itself. When the villager ticks the box, the
// position read from the first photo that has one (EXIF GPS) is added to the appeal's text as
// one line the villager sees before filing and everyone who may read the appeal sees after, so
// nothing about it is hidden from the person who shares it.
import { t, h, errorText } from './ui.js';
import { preparePhoto } from './photo.js';
import { voiceSupported, startRecording, MAX_VOICE_MS } from './voice.js';
import { sha256Hex, putPending, removeLocal, loadBlob } from './blob_store.js';

/// At most this many attachments per appeal (appeals::kMaxAttachments in the core).
export const MAX_ATTACHMENTS = 9;

const seconds = (ms) => `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
const kb = (bytes) => Math.max(1, Math.round(bytes / 1024));
const degrees = (x) => x.toFixed(5);

/// The picker of a form. Returns {element, busy(), locationLine(), commit(user),
/// rollback(user, added), reset()}: commit stores every staged attachment as pending (before the
/// op that references it is written) and resolves to {attachments: [{kind, sha256}], added};
/// rollback deletes what commit added when the core then refused the form.
export function attachmentPicker({ voice = true, location = true, legend = t(voice ? 'attach.legend' : 'attach.legend_photos') } = {}) {
  const items = [];  // {kind, sha256, mime, blob, url, gps?, ms?}
  let working = 0;
  let recording = null;
  const status = h('p', { class: 'hint', id: 'attach-status', 'aria-live': 'polite' });
  const box = h('div', { role: 'alert' });
  const thumbs = h('ul', { class: 'thumbs', id: 'attach-list' });
  // Two ways to a photo: the camera at once (capture), or the phone's album (several at a time).
  const camera = h('input', { type: 'file', accept: 'image/*', capture: 'environment', hidden: true, name: 'camera',
    'aria-label': t('attach.photo_take') });
  const album = h('input', { type: 'file', accept: 'image/*', multiple: true, hidden: true, name: 'photo',
    'aria-label': t('attach.photo_choose') });
  const cameraButton = h('button', { type: 'button', class: 'attach-add', 'data-attach': 'camera', onclick: () => camera.click() },
    t('attach.photo_take'));
  const albumButton = h('button', { type: 'button', class: 'attach-add', 'data-attach': 'photo', onclick: () => album.click() },
    t('attach.photo_choose'));
  const share = h('input', { type: 'checkbox', name: 'share_location' });
  const where = h('p', { class: 'hint', id: 'attach-location', 'aria-live': 'polite' });
  const voiceButton = voice && voiceSupported()
    ? h('button', { type: 'button', class: 'attach-add', 'data-attach': 'voice', 'aria-pressed': 'false', onclick: () => toggleVoice() },
      t('attach.voice_add', { s: MAX_VOICE_MS / 1000 }))
    : null;

  const full = () => items.length >= MAX_ATTACHMENTS;
  const gps = () => items.find((i) => i.gps)?.gps || null;
  function render() {
    thumbs.replaceChildren(...items.map((it, i) => {
      const n = items.filter((x, j) => x.kind === it.kind && j <= i).length;
      const label = t(it.kind === 'photo' ? 'attach.photo_n' : 'attach.voice_n', { n });
      return h('li', { 'data-sha': it.sha256, 'data-kind': it.kind },
        it.kind === 'photo'
          ? h('img', { src: it.url, alt: label, width: 96, height: 96 })
          : h('div', { class: 'voice' }, h('span', {}, `${label} · ${seconds(it.ms)}`), h('audio', { controls: true, src: it.url, 'aria-label': label })),
        h('button', { type: 'button', class: 'danger remove', 'aria-label': t('attach.remove_n', { what: label }),
          onclick: () => remove(it) }, t('attach.remove')));
    }));
    cameraButton.disabled = albumButton.disabled = full() || working > 0;
    if (voiceButton) voiceButton.disabled = (full() && !recording) || working > 0;
    const g = location && gps();
    where.textContent = !share.checked ? t('attach.location_off')
      : g ? t('attach.location_on', { lat: degrees(g.lat), lon: degrees(g.lon) }) : t('attach.location_none');
  }
  function remove(it) {
    items.splice(items.indexOf(it), 1);
    URL.revokeObjectURL(it.url);
    status.textContent = t('attach.removed');
    render();
  }
  async function add(kind, blob, mime, extra) {
    const sha256 = await sha256Hex(blob);
    if (items.some((i) => i.sha256 === sha256)) return;  // the same photo twice
    items.push({ kind, sha256, mime, blob, url: URL.createObjectURL(blob), ...extra });
  }

  const picked = (input) => async () => {
    const files = [...input.files].slice(0, MAX_ATTACHMENTS - items.length);
    input.value = '';
    if (!files.length) return;
    working += 1;
    box.replaceChildren();
    status.textContent = t('attach.preparing');
    render();
    try {
      for (const file of files) {
        const p = await preparePhoto(file);
        await add('photo', p.blob, 'image/jpeg', { gps: p.gps, original: p.original });
        status.textContent = t('attach.photo_ready', { from: kb(p.original), to: kb(p.blob.size) });
      }
    } catch (e) {
      box.replaceChildren(h('p', { class: 'alert' }, errorText(e.code)));
      status.textContent = '';
    } finally {
      working -= 1;
      render();
    }
  };
  camera.addEventListener('change', picked(camera));
  album.addEventListener('change', picked(album));
  share.addEventListener('change', render);

  async function toggleVoice() {
    box.replaceChildren();
    if (recording) {
      await recording.stop();
      return;
    }
    try {
      recording = await startRecording({
        onTick: (ms) => { voiceButton.textContent = t('attach.voice_stop', { t: seconds(ms) }); },
        onStop: async (r) => {
          recording = null;
          voiceButton.setAttribute('aria-pressed', 'false');
          voiceButton.textContent = t('attach.voice_add', { s: MAX_VOICE_MS / 1000 });
          if (r.blob.size) await add('voice', r.blob, r.mime, { ms: r.ms });
          status.textContent = t('attach.voice_ready', { t: seconds(r.ms) });
          render();
        },
      });
      voiceButton.setAttribute('aria-pressed', 'true');
      voiceButton.textContent = t('attach.voice_stop', { t: seconds(0) });
      // Leaving the screen ends the recording (and frees the microphone) at once.
      window.addEventListener('hashchange', () => recording?.stop(), { once: true });
    } catch (e) {
      box.replaceChildren(h('p', { class: 'alert' }, errorText(e.code)));
    }
  }

  render();
  const element = h('fieldset', { class: 'attach' }, h('legend', {}, legend),
    h('div', { class: 'row' }, cameraButton, albumButton, voiceButton), camera, album, thumbs, status, box,
    location ? [h('label', { class: 'choice' }, share, t('attach.share_location')), where] : null,
    h('p', { class: 'hint' }, t('attach.privacy_hint')));
  return {
    element,
    /// Whether a photo is still being prepared or a recording runs (the form waits).
    busy: () => working > 0 || !!recording,
    /// The line that adds the shared location to the text ('' when not shared or none known).
    locationLine: () => {
      const g = share.checked && gps();
      return g ? t('attach.location_line', { lat: degrees(g.lat), lon: degrees(g.lon) }) : '';
    },
    async commit(user) {
      const added = [];
      try {
        for (const it of items) if (await putPending(user, it)) added.push(it.sha256);
      } catch (e) {
        await removeLocal(user, added).catch(() => {});
        throw Object.assign(new Error('storage_error'), { code: 'storage_error', cause: e });
      }
      return { attachments: items.map(({ kind, sha256 }) => ({ kind, sha256 })), added };
    },
    rollback: (user, added) => removeLocal(user, added),
    reset() { items.splice(0).forEach((it) => URL.revokeObjectURL(it.url)); render(); },
  };
}

let gallerySeq = 0;

/// The attachments of a record (an appeal's or a points application's {kind, sha256} list) as a
/// gallery: each photo or voice message from the device if it has it, else from the host with
/// the session; one that cannot be shown yet says why. `app` gives the session; `id` names the
/// list (one per screen).
export function attachmentGallery(app, attachments, { id, title = t('attach.title') } = {}) {
  if (!attachments?.length) return null;
  const counts = { photo: 0, voice: 0 };
  const heading = `attach-h${++gallerySeq}`;
  const list = h('ul', { class: 'thumbs gallery', id }, attachments.map((a) => {
    const n = ++counts[a.kind];
    const label = t(a.kind === 'photo' ? 'attach.photo_n' : 'attach.voice_n', { n });
    const li = h('li', { 'data-sha': a.sha256, 'data-kind': a.kind, 'data-state': 'loading' }, h('span', { class: 'hint' }, t('attach.loading')));
    show(app, li, a, label);
    return li;
  }));
  return h('section', { class: 'attachments', 'aria-labelledby': heading }, h('h3', { id: heading }, title), list);
}

// Object URLs of blobs shown in this page, by user and name: a redraw reuses them.
const urls = new Map();

async function show(app, li, a, label) {
  const { user, token } = app.session;
  try {
    const r = await loadBlob(user, token, a.sha256);
    const key = `${user}/${a.sha256}`;
    if (!urls.has(key)) urls.set(key, URL.createObjectURL(r.blob));
    const url = urls.get(key);
    const note = r.state === 'pending' ? h('span', { class: 'badge', 'data-pending': '1' }, t('attach.pending'))
      : r.state === 'refused' ? h('p', { class: 'alert' }, errorText(r.code)) : null;
    let media;
    if (a.kind === 'photo') {
      const img = h('img', { src: url, alt: label });
      // Tapping a photo shows it at the screen's width; tapping again makes it small again.
      media = h('button', { type: 'button', class: 'zoom', 'aria-expanded': 'false', 'aria-label': t('attach.zoom', { what: label }),
        onclick: () => media.setAttribute('aria-expanded', String(li.classList.toggle('zoomed'))) }, img);
      await img.decode().catch(() => {});
    } else {
      media = h('div', { class: 'voice' }, h('span', {}, label), h('audio', { controls: true, src: url, 'aria-label': label }));
    }
    li.dataset.state = r.state;
    li.replaceChildren(...[media, note].filter(Boolean));
  } catch (e) {
    li.dataset.state = 'missing';
    const why = e.code === 'network' ? t('attach.offline') : e.code === 'blob_not_found' ? t('attach.not_yet') : errorText(e.code);
    li.replaceChildren(h('p', { class: 'hint' }, `${label}: ${why}`));
  }
}
