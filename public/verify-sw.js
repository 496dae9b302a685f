// The certificate verification page, kept for scans with no network (scope /C/). The bare page
// (/C/, which names no certificate) and its files are kept when this worker installs and
// refreshed at most hourly while online; offline, any /C/… address opens the kept page, which
// checks the signature with the court keys it has and says the live status was not checked.
const CACHE = 'verify-v2';
const SHELL = '/C/';
const REFRESH_MS = 3600 * 1000;

// Fetches the bare page, keeps it and the files it names that are not kept yet.
async function keepShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch(SHELL, { cache: 'no-store' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put(SHELL, response);
  // Its own files, the icons, and the portal's stylesheets it shares (/tokens-<hash>.css,
  // /main-<hash>.css).
  const files = new Set(html.match(/\/(?:verify|icons)\/[^"'\s)]+|\/(?:tokens|main)-[0-9a-f]+\.css/g) || []);
  for (const file of files) {
    if (!(await cache.match(file))) await cache.add(file).catch(() => {});
  }
}

async function refreshShell() {
  const kept = await caches.match(SHELL);
  const at = kept && Date.parse(kept.headers.get('date') || '');
  if (!at || Date.now() - at > REFRESH_MS) await keepShell();
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (event.request.mode === 'navigate' && url.pathname.startsWith('/C/')) {
    // The network first (fresh keys and bundle); the kept page when there is no answer.
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          event.waitUntil(refreshShell().catch(() => {}));
          return response;
        })
        .catch(() => caches.match(SHELL).then((kept) => kept || Response.error())),
    );
  } else if (
    url.pathname.startsWith('/verify/') ||
    url.pathname.startsWith('/icons/') ||
    /^\/(?:tokens|main)-[0-9a-f]+\.css$/.test(url.pathname)
  ) {
    // Hashed files never change: the kept copy, else the network.
    event.respondWith(caches.match(event.request).then((kept) => kept || fetch(event.request)));
  }
});
