// The service worker: keeps the app shell, the WebAssembly core and the catalogues in a cache
// so the app starts with no network. Files are answered from the cache at once and refreshed
// in the background (stale while revalidate), so a new build reaches the phone on the next
// start. The host's API (/v1/, /healthz, /metrics) is never cached or intercepted: sync must
// see the real network.
const CACHE = 'cunwu-app-v1';
const SHELL = ['./', 'index.html', 'app.css', 'app.js', 'ui.js', 'views.js', 'core_client.js', 'worker.js', 'storage.js',
  'cunwu_core.js', 'cunwu_core.wasm', 'i18n/zh-CN.json', 'i18n/en.json', 'errors.json', 'county.json', 'manifest.webmanifest'];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin) return;
  if (/^\/(v1\/|healthz|metrics)/.test(url.pathname)) return;
  const key = e.request.mode === 'navigate' ? new Request('index.html') : e.request;
  e.respondWith(caches.open(CACHE).then(async (cache) => {
    const hit = await cache.match(key, { ignoreSearch: true });
    const fresh = fetch(e.request.mode === 'navigate' ? 'index.html' : e.request).then((res) => {
      if (res.ok) cache.put(key, res.clone());
      return res;
    });
    if (hit) {
      e.waitUntil(fresh.catch(() => {}));
      return hit;
    }
    return fresh;
  }));
});
