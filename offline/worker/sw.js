/* The phone app's service worker (scope /m/). offline/views.py prepends VERSION and SHELL.
 *
 * Pages: network first; a copy of each page seen is kept, and without signal the kept copy is
 * served, or the offline page (/m/offline/), which draws cards and forms from the snapshot.
 * Static files: cache first (their names change with their content in production).
 * Posts are never touched here: the page's queue (static/js/offline.js) sends them. */
"use strict";

const SHELL_CACHE = "vg-shell-" + VERSION;
const PAGES_CACHE = "vg-pages";
const DATA_CACHE = "vg-data";
const SNAPSHOT = "/m/offline/snapshot/";
// Weak signal: a page that has not come in this long is served from what the phone kept.
const NETWORK_WAIT_MS = 15000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("vg-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n)))
      )
      .then(() => self.clients.claim())
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); }
    );
  });
}

async function page(request) {
  try {
    // Without signal fetch fails at once; navigator.onLine is not asked (a worker's copy lags).
    const response = await withTimeout(fetch(request), NETWORK_WAIT_MS);
    // A redirect (to the login page: logged out, expired, disabled) comes back opaque and not
    // ok, so it is never kept; the login page drops the kept area itself (js/logged_out.js).
    if (response.ok) {
      const copy = response.clone();
      caches.open(PAGES_CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { ignoreSearch: false });
    if (kept) return kept;
    const shell = await caches.match("/m/offline/");
    return shell || Response.error();
  }
}

async function snapshot(request) {
  try {
    return await withTimeout(fetch(request), NETWORK_WAIT_MS * 2);
  } catch (error) {
    const kept = await caches.match(SNAPSHOT);
    return kept || Response.error();
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === SNAPSHOT) {
    event.respondWith(snapshot(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith("/m/")) {
    event.respondWith(page(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
