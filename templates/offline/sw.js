/* wardapp service worker: keeps the app shell and the officer's pages so they open with no
   connection. It answers GET requests only. It never sends, holds or re-sends a POST (a
   re-sent multipart body can arrive empty) and never opens IndexedDB: the outbox belongs to
   the page, whose one sender it only wakes. */
"use strict";

const VERSION = {{ version|tojson }};
const SHELL_CACHE = "wardapp-shell-" + VERSION;
const PAGES_CACHE = "wardapp-pages-" + VERSION;
const SHELL_URLS = {{ shell_urls|tojson }};
const PAGE_URLS = {{ page_urls|tojson }};
const CAPTURE_PATH = new RegExp({{ capture_pattern|tojson }});
const TASKS_URL = {{ tasks_url|tojson }};
const OFFLINE_PAGE = {{ offline_page|tojson }};
const CSP = {{ csp|tojson }};
const SYNC_TAG = "wardapp-outbox";
// On a slow link a cached page is shown after this long; the network answer still refreshes it.
const NETWORK_PATIENCE_MS = 6000;

const shellPaths = new Set(SHELL_URLS);
const pagePaths = new Set(PAGE_URLS);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE)
    .then((cache) => cache.addAll(SHELL_URLS.map((url) => new Request(url, {cache: "reload"}))))
    .then(() => self.skipWaiting()));
});

/* Old caches go. The pages an older release kept are carried over first: a release that
   arrives on a flaky line must not leave the officer with no form to open offline. */
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const pages = await caches.open(PAGES_CACHE);
    for (const name of await caches.keys()) {
      if (!name.startsWith("wardapp-") || name === SHELL_CACHE || name === PAGES_CACHE) continue;
      if (name.startsWith("wardapp-pages-")) {
        const old = await caches.open(name);
        for (const request of await old.keys()) {
          if (await pages.match(request, {ignoreVary: true})) continue;
          await pages.put(request, await old.match(request, {ignoreVary: true}));
        }
      }
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isPage(url) {
  return pagePaths.has(url.pathname) || CAPTURE_PATH.test(url.pathname);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // POSTs go to the network untouched
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (shellPaths.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (isPage(url) && (request.mode === "navigate" || request.headers.has("HX-Request"))) {
    event.respondWith(networkFirst(event, url));
  } else if (request.mode === "navigate") {
    // Any other page: the network's answer, and with no network the app's own offline page
    // (what does open offline, with links), never the browser's.
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});

function offlinePage() {
  return new Response(OFFLINE_PAGE, {status: 503, headers: {
    "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": CSP}});
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request, {ignoreSearch: true, ignoreVary: true});
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function cachedPage(url) {
  const cache = await caches.open(PAGES_CACHE);
  const exact = await cache.match(url.href, {ignoreVary: true});
  if (exact || CAPTURE_PATH.test(url.pathname)) return exact;
  return cache.match(url.href, {ignoreVary: true, ignoreSearch: true});
}

function worthKeeping(response) {
  return response.ok && !response.redirected && response.type === "basic"
    && (response.headers.get("Content-Type") || "").startsWith("text/html");
}

/* The network's page when it comes, so an officer online sees fresh data; the cached copy
   when there is no network, the server fails, or the link is too slow. */
async function networkFirst(event, url) {
  const request = event.request;
  const fromNetwork = fetch(request).then(async (response) => {
    if (request.mode === "navigate" && worthKeeping(response)) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(url.href, response.clone());
    }
    return response;
  });
  event.waitUntil(fromNetwork.catch(() => null));
  const cached = cachedPage(url);
  let timer;
  const patience = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_PATIENCE_MS, "slow");
  });
  const first = await Promise.race([fromNetwork.catch(() => "failed"), patience]);
  clearTimeout(timer);
  if (first instanceof Response && first.status < 500) return first;
  const copy = await cached;
  if (copy) return copy;
  if (first instanceof Response) return first;
  if (first === "slow") {
    try { return await fromNetwork; } catch (error) { /* fall through to the offline page */ }
  }
  return offlinePage();
}

/* The pages an officer needs in the field: home, outbox, their submissions and the capture
   form of every kind of every task their unit reports on. One at a time: a phone on 3G has
   little bandwidth to spare. Only pages the server really served are kept. A redirect is
   not followed: it goes to the sign-in page, so the officer signed out meanwhile, and
   fetching that page would give the browser a new session, whose token the sign-in form
   open in a tab would no longer match. Signing out ("forget") stops a round under way. */
let round = 0;

async function warm() {
  const mine = ++round;
  const answer = await fetch(TASKS_URL, {headers: {Accept: "application/json"}, redirect: "manual"});
  if (!answer.ok) return 0;
  const body = await answer.json();
  const urls = PAGE_URLS.slice();
  for (const task of body.tasks || []) urls.push(...Object.values(task.form_urls || {}));
  const cache = await caches.open(PAGES_CACHE);
  let kept = 0;
  for (const path of urls) {
    if (mine !== round) break;
    try {
      const response = await fetch(path, {headers: {Accept: "text/html"}, redirect: "manual"});
      if (response.type === "opaqueredirect") break;
      if (worthKeeping(response) && mine === round) {
        await cache.put(new URL(path, self.location.origin).href, response);
        kept += 1;
      }
    } catch (error) { /* offline again: keep what we have */ }
  }
  return kept;
}

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "warm") {
    // Told to every open page: the one that asked may have been left meanwhile.
    event.waitUntil(warm().catch(() => 0).then((pages) => self.clients.matchAll({type: "window", includeUncontrolled: true})
      .then((windows) => windows.forEach((client) => client.postMessage(
        {type: "warmed", version: VERSION, pages: pages})))));
  } else if (type === "forget") {
    // Signing out: the next officer on this phone must not see the previous one's pages.
    round += 1;
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});

/* Background Sync (Chromium only) just wakes the page's sender; with no page open there is
   nothing to do until the officer opens the app. */
self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true})
    .then((windows) => windows.forEach((client) => client.postMessage({type: "wake"}))));
});

/* Web Push: the server sends a short title and a link, nothing personal; the notice opens the
   link (one of this site's, else the notices list) in an open window or a new one. */
const ICON = SHELL_URLS.find((url) => url.endsWith("icon-192.png"));
const NOTICES_URL = "/notifications";

function pushedLink(raw) {
  try {
    const url = new URL(raw || NOTICES_URL, self.location.origin);
    return url.origin === self.location.origin ? url.href : new URL(NOTICES_URL, self.location.origin).href;
  } catch (error) {
    return new URL(NOTICES_URL, self.location.origin).href;
  }
}

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  const title = typeof data.title === "string" && data.title ? data.title.slice(0, 120) : "wardapp";
  event.waitUntil(self.registration.showNotification(title, {
    icon: ICON, badge: ICON, tag: data.id ? "notice-" + data.id : undefined,
    data: {url: pushedLink(data.url)},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = pushedLink(event.notification.data && event.notification.data.url);
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then((windows) => {
    const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
    if (open && "navigate" in open) return open.navigate(url).then((client) => (client || open).focus());
    return self.clients.openWindow(url);
  }));
});
