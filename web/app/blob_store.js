// Attachments on the device: photos and voice messages kept in IndexedDB (database
// `cunwu-blobs`) by user and SHA-256, and their way to and from the host's blob endpoint
// (PUT/GET /v1/blobs/<sha256>). A blob is stored here before the op that references it is
// written, and stays `pending` until the host has acknowledged it (which it does only once the
// bytes are on its disk), so it survives reloads, tab kills and days offline. States:
//   pending  waits for upload         sent     the host has it
//   cached   downloaded from the host refused  the host refused it (code kept; never retried)
const DB = 'cunwu-blobs';
const STORE = 'blobs';

let opening = null;
function db() {
  opening ||= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: ['user', 'sha256'] });
      store.createIndex('by_state', ['user', 'state']);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => { opening = null; reject(req.error); };
  });
  return opening;
}

// One IndexedDB transaction; resolves with `body`'s result once the transaction is complete
// (for writes: stored).
async function tx(mode, body) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode);
    let result;
    Promise.resolve(body(t.objectStore(STORE))).then((r) => { result = r; }, reject);
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('aborted'));
  });
}
const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });

/// SHA-256 of a Blob as 64 lowercase hex digits: the blob's name here and on the host.
export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/// The record of `user`'s blob `sha256` ({user, sha256, kind, mime, blob, state, code?, at}), or null.
export const getLocal = (user, sha256) => tx('readonly', (s) => req(s.get([user, sha256]))).then((r) => r || null);

/// Stores a new attachment of `user` as pending, unless the same bytes are already here (a
/// photo attached twice keeps its state). Resolves once IndexedDB has it on disk; to whether it
/// was new.
export function putPending(user, { sha256, kind, mime, blob }) {
  return tx('readwrite', async (s) => {
    const old = await req(s.get([user, sha256]));
    if (old && old.state !== 'refused') return false;
    s.put({ user, sha256, kind, mime, blob, state: 'pending', at: Date.now() });
    return true;
  });
}

/// Deletes `user`'s records `shas` (attachments of a filing the core refused).
export const removeLocal = (user, shas) => tx('readwrite', (s) => { for (const sha of shas) s.delete([user, sha]); });

/// Deletes `user`'s blobs when they log out with nothing left to send, except any still
/// pending (kept for their next login: deleting one would lose it).
export const wipeUser = (user) => tx('readwrite', async (s) => {
  const all = await req(s.getAll(IDBKeyRange.bound([user, ''], [user, '\uffff'])));
  for (const r of all) if (r.state !== 'pending') s.delete([user, r.sha256]);
});

/// `user`'s blobs waiting for upload, oldest first.
export const pendingOf = (user) => tx('readonly', (s) => req(s.index('by_state').getAll([user, 'pending'])))
  .then((all) => all.sort((a, b) => a.at - b.at));

const setState = (user, sha256, state, code) => tx('readwrite', async (s) => {
  const r = await req(s.get([user, sha256]));
  if (r) s.put({ ...r, state, code });
});

// The host's answer as an error with the catalogue's code ('network' when there was none).
async function failure(res) {
  let code = 'internal';
  try { code = (await res.json()).error.code; } catch { /* keep internal */ }
  return Object.assign(new Error(code), { code, status: res.status });
}

/// Uploads `user`'s pending blobs, oldest first. A blob the host takes (or had) becomes `sent`;
/// one it refuses for what it is (4xx: too large, wrong type, damaged) becomes `refused` with the
/// catalogued code and is kept on the device. Anything else (no network, the session ended, a
/// server error) stops here and throws {code}: the sync that called it retries with backoff, and
/// the blob stays pending. Resolves to {sent, refused}.
export async function uploadPending(user, token) {
  const out = { sent: 0, refused: [] };
  for (const b of await pendingOf(user)) {
    let res;
    try {
      res = await fetch(`/v1/blobs/${b.sha256}`, { method: 'PUT', body: b.blob,
        headers: { 'Content-Type': b.mime, Authorization: `Bearer ${token}` } });
    } catch {
      throw Object.assign(new Error('network'), { code: 'network' });
    }
    if (res.ok) {
      await setState(user, b.sha256, 'sent');
      out.sent += 1;
      continue;
    }
    const e = await failure(res);
    if (res.status >= 500 || res.status === 401 || res.status === 429) throw e;
    await setState(user, b.sha256, 'refused', e.code);
    out.refused.push({ sha256: b.sha256, code: e.code });
  }
  return out;
}

/// `user`'s blob `sha256` as {blob, state, code?}: the device's copy first, else downloaded from
/// the host with the session `token` and kept (so it shows offline next time). Throws {code}
/// (blob_not_found when the host has not got it yet or it is not the user's to see; 'network').
export async function loadBlob(user, token, sha256) {
  const local = await getLocal(user, sha256);
  if (local) return local;
  let res;
  try {
    res = await fetch(`/v1/blobs/${sha256}`, { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw Object.assign(new Error('network'), { code: 'network' });
  }
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  // What arrives is checked against its name like what leaves: a proxy's damage is not shown.
  if (await sha256Hex(blob) !== sha256) throw Object.assign(new Error('blob_hash_mismatch'), { code: 'blob_hash_mismatch' });
  const record = { user, sha256, kind: blob.type.startsWith('audio/') ? 'voice' : 'photo', mime: blob.type, blob,
    state: 'cached', at: Date.now() };
  await tx('readwrite', (s) => s.put(record));
  return record;
}
