// The service worker: keeps the app shell, the WebAssembly core and the catalogues in one cache
// per build, so the app starts with no network. The build stamps the version below from the
// hashes of every file (web/app_version.cmake): a new build is a new sw.js, which the browser
// installs (caching the new set whole) and activates on the next start; the old set is
// deleted then. Files are answered from the cache first. The host's API (/v1/, /healthz,
// /metrics) is never cached or intercepted: sync must see the real network.
const VERSION = '@CUNWU_APP_VERSION@';
const CACHE = `cunwu-app-${VERSION}`;
// Every file of the app but this one, listed by the build (web/app_version.cmake).
const SHELL = [@CUNWU_APP_FILES@];

self.addEventListener('install', (e) => {
  // `cache: 'no-cache'` revalidates what the HTTP cache holds (the host sends ETags): the set is
  // this build's files, and those the page has just downloaded are not downloaded again (304).
  e.waitUntil(caches.open(CACHE)
    .then((c) => c.addAll(SHELL.map((u) => new Request(u, { cache: 'no-cache' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cunwu-app-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin) return;
  if (/^\/(v1\/|healthz|metrics)/.test(url.pathname)) return;
  const key = e.request.mode === 'navigate' ? 'index.html' : e.request;
  e.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match(key, { ignoreSearch: true })) || fetch(e.request)));
});
