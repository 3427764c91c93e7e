// The officer's pages working offline (base.html loads this for officers only): registers the
// service worker and asks it to keep the officer's pages, starts the outbox's sender and keeps
// the header badge counting what waits. Signing out makes the worker forget them (app.js).
import {toast} from "./feedback.js";
import {t} from "./i18n.js";
import {available, config, items, startSender, wake} from "./outbox.js";

// The pages are fetched again after a sign-in as someone else, a new release, or this long;
// a request still unanswered after WARM_PENDING_MS is asked again.
const WARM_EVERY_MS = 6 * 3600 * 1000;
const WARM_PENDING_MS = 2 * 60 * 1000;
let warmAsked = false;

/** Whether to ask the worker to keep the pages, given what was last asked (localStorage). */
export function warmDue(mark, user, now, force = false) {
  const age = now - (mark.at || 0);
  return force || mark.user !== user || age >= (mark.pending ? WARM_PENDING_MS : WARM_EVERY_MS);
}

// The last request to keep the pages, shared by the officer's tabs; app.js removes it at sign-out.
function warmMark(value) {
  if (value === null) { localStorage.removeItem("wardapp.warm"); return null; }
  if (value) { localStorage.setItem("wardapp.warm", JSON.stringify(value)); return value; }
  try { return JSON.parse(localStorage.getItem("wardapp.warm") || "{}"); } catch { return {}; }
}

function warmPages(worker, force) {
  const user = config().user;
  if (!user || warmAsked || !worker || !warmDue(warmMark(), user, Date.now(), force)) return;
  warmAsked = true;
  warmMark({user, at: Date.now(), pending: true}); // other pages: already asked
  worker.postMessage({type: "warm"});
}

function startWorker() {
  if (!("serviceWorker" in navigator) || !config().worker) return;
  navigator.serviceWorker.register(config().worker, {scope: "/"}).catch((error) => {
    console.warn("offline: service worker not registered", error);
  });
  navigator.serviceWorker.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type === "wake") wake("sync");
    if (data.type === "warmed") {
      warmMark(data.pages ? {user: config().user, at: Date.now(), version: data.version} : null);
      document.dispatchEvent(new CustomEvent("wardapp:outbox", {detail: {type: "warmed", pages: data.pages}}));
    }
  });
  // A new release took over from the worker this page had: its caches are new, fill them at
  // once. A first worker (first visit) was asked already, by this page or the one before it.
  let controlledBy = navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    const replaced = Boolean(controlledBy);
    controlledBy = navigator.serviceWorker.controller;
    warmAsked = false;
    warmPages(controlledBy, replaced);
  });
  // The active worker, even if this page opened before it took over.
  navigator.serviceWorker.ready.then((registration) => warmPages(registration.active, false));
}

async function showCount() {
  const badge = document.querySelector(".outbox-badge");
  if (!badge || !config().user || !available()) return;
  const n = (await items()).filter((item) => item.user === config().user).length;
  badge.dataset.count = String(n);
  badge.querySelector(".outbox-count").textContent = String(n);
  badge.title = t("Hộp thư đi: {n} mục chờ gửi", {n});
}

export function start() {
  if (!config().user) return;
  document.addEventListener("wardapp:outbox", (event) => {
    if (event.detail.type === "changed") showCount();
    // Said wherever the officer is when the item arrives: nothing more to do for it.
    if (event.detail.sent && document.visibilityState === "visible") {
      const task = event.detail.taskTitle || t("minh chứng");
      toast(t("Đã gửi: {task} (#{id}). Phòng VHTT sẽ duyệt.", {task, id: event.detail.evidenceId}), "ok");
    }
  });
  document.addEventListener("htmx:load", showCount);
  startWorker();
  startSender();
  showCount();
}

// Run by the page; Node imports this file for its pure functions only.
if (globalThis.document) start();
