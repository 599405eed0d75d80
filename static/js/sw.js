// The service worker (served at /sw.js by core/pwa.py, which fills in ASSETS with the deployed names).
// It keeps static files and the offline page, nothing else: client pages (and the caseload list, which
// offline.js keeps in IndexedDB) are never cached here, so a lost phone holds no client data beyond the
// unsent entries and the list of the specialist's clients (ids and names, deleted at log-out).
// Opening the app without a connection shows the offline page, where a contact can be logged
// (static/js/offline-log.js).
"use strict";
const VERSION = "ips-static-v3"; // a new name when the offline page or its files change
const OFFLINE_URL = "/offline/";
const ASSETS = /*ASSETS*/[];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((cache) => cache.addAll([...ASSETS, OFFLINE_URL])).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== VERSION).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // Posts go to the network untouched: the page's outbox (and a long form's draft) keeps what a failed
  // one would lose.
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    // Pages always from the network (never stored); without a connection, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    // Static files have hashed names when deployed: the cached copy is the right one.
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(VERSION).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
  }
});
