/* Sylva's service worker (scope {{ today }}): today's page and its assets are cached so a
   field worker can open and answer today's cards offline; answers are queued by learn.js
   (kept on the phone until the server has decided on each). The cache is named after the
   assets' contents, so a new learn.js replaces the old one. */
const CACHE = "sylva-learn-{{ version|escapejs }}";
const TODAY = "{{ today|escapejs }}";
const ASSETS = [{% for a in assets %}"{{ a|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // answers go to the network; learn.js queues them
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.mode === "navigate" && url.pathname === TODAY) {
    // network first: today's cards are fresh when online, the last copy when offline
    event.respondWith(fetch(request).then((response) => {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(TODAY, copy));
      return response;
    }).catch(() => caches.match(TODAY)));
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
