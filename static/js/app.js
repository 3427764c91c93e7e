// What every page's script does: each htmx request carries the CSRF token of the page's
// <meta>, and signing out, whoever signs out, makes the service worker forget the pages it
// kept for the last officer. The officer's offline work is offline.js, loaded for officers.
// feedback.js shows a page loading and a request that failed.
import {start as startFeedback} from "./feedback.js";

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") || "";
}

function forgetOnSignOut(event) {
  const form = event.target;
  if (!form.action || !/\/logout$/.test(new URL(form.action, location.href).pathname)) return;
  localStorage.removeItem("wardapp.warm");
  navigator.serviceWorker?.controller?.postMessage({type: "forget"});
}

export function start() {
  document.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  document.addEventListener("submit", forgetOnSignOut, true);
  startFeedback();
}

// Run by the page; Node may import this file without one.
if (globalThis.document) start();
