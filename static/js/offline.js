// The page's side of working offline: registers the service worker, asks it to keep the
// officer's pages, keeps the header badge counting what waits in the outbox, and forgets the
// kept pages when the officer signs out. Sending is outbox.js's job alone.
(function () {
  "use strict";
  var TEXT = {
    countLabel: "Hộp thư đi: {n} mục chờ gửi"
  };
  var outbox = window.wardapp && window.wardapp.outbox;
  if (!outbox) return;
  var config = outbox.config;
  // The pages are fetched again after a sign-in as someone else, a new release, or this long;
  // a request still unanswered after WARM_PENDING_MS is asked again.
  var WARM_EVERY_MS = 6 * 3600 * 1000;
  var WARM_PENDING_MS = 2 * 60 * 1000;
  var warmAsked = false;

  function warmMark(value) {
    if (value === null) { localStorage.removeItem("wardapp.warm"); return null; }
    if (value) { localStorage.setItem("wardapp.warm", JSON.stringify(value)); return value; }
    try { return JSON.parse(localStorage.getItem("wardapp.warm") || "{}"); } catch (e) { return {}; }
  }

  function warmPages(worker, force) {
    if (!config.user || warmAsked || !worker) return;
    var mark = warmMark();
    var age = Date.now() - (mark.at || 0);
    if (!force && mark.user === config.user && age < (mark.pending ? WARM_PENDING_MS : WARM_EVERY_MS)) return;
    warmAsked = true;
    warmMark({user: config.user, at: Date.now(), pending: true}); // other pages: already asked
    worker.postMessage({type: "warm"});
  }

  function startWorker() {
    if (!("serviceWorker" in navigator) || !config.worker) return;
    navigator.serviceWorker.register(config.worker, {scope: "/"}).catch(function (error) {
      console.warn("offline: service worker not registered", error);
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "wake") outbox.wake("sync");
      if (data.type === "warmed") {
        warmMark(data.pages ? {user: config.user, at: Date.now(), version: data.version} : null);
        document.dispatchEvent(new CustomEvent("wardapp:outbox", {detail: {type: "warmed", pages: data.pages}}));
      }
    });
    // A new worker took over (first visit, or a new release with empty caches): fill them.
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      warmAsked = false;
      warmPages(navigator.serviceWorker.controller, true);
    });
    // The active worker, even if this page opened before it took over.
    navigator.serviceWorker.ready.then(function (registration) { warmPages(registration.active, false); });
  }

  function showCount() {
    var badge = document.querySelector(".outbox-badge");
    if (!badge || !config.user || !window.indexedDB) return;
    outbox.items().then(function (all) {
      var n = all.filter(function (item) { return item.user === config.user; }).length;
      badge.dataset.count = String(n);
      badge.querySelector(".outbox-count").textContent = String(n);
      badge.title = outbox.fill(TEXT.countLabel, {n: n});
    });
  }

  function forgetOnSignOut(event) {
    var form = event.target;
    if (!form.action || !/\/logout$/.test(new URL(form.action, location.href).pathname)) return;
    warmMark(null);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "forget"});
    }
  }

  document.addEventListener("wardapp:outbox", function (event) {
    if (event.detail.type === "changed") showCount();
  });
  document.addEventListener("htmx:load", showCount);
  document.addEventListener("submit", forgetOnSignOut, true);
  document.addEventListener("DOMContentLoaded", function () {
    startWorker();
    showCount();
  });
})();
