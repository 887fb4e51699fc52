// backcoach's service worker: the app keeps working on a phone with poor or no network.
// Static files and exercise figures come from the cache first (they change only with a new
// version); pages come from the network first, and from the cache only when it is out of reach,
// so nothing stale is shown while online. API calls are never cached: the page's outbox
// (outbox.js) keeps writes made offline and sends them when the network is back.
"use strict";
const VERSION = "__VERSION__";
const SHELL = `backcoach-shell-${VERSION}`;
const PAGES = `backcoach-pages-${VERSION}`;
const PRECACHE = [
  "/static/app.css",
  `/static/player.js?v=${VERSION}`,
  `/static/outbox.js?v=${VERSION}`,
  "/static/icons/icon.svg",
  "/manifest.webmanifest",
];
const OFFLINE_PAGES = ["/", "/session", "/program"]; // what a person opens on the floor

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const keep = new Set([SHELL, PAGES]);
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("backcoach-") && !keep.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function fromNetworkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && OFFLINE_PAGES.includes(new URL(request.url).pathname)) {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { ignoreSearch: true });
    if (cached) return cached;
    return new Response(
      "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'><title>Offline</title>" +
        "<h1>You are offline</h1><p>This page needs the network. Your session page works offline once you have opened it.</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
    );
  }
}

async function fromCacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(SHELL).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/figures/")) {
    event.respondWith(fromCacheFirst(request));
  }
});
