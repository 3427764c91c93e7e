// "Bật thông báo": subscribe this browser to Web Push after the officer taps the button, never
// on load; the server keeps the subscription and pushes a short title and a link.
import {csrfToken} from "./app.js";
import {t} from "./i18n.js";

/** The applicationServerKey as the browser wants it: bytes from base64url. */
export function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
  const raw = globalThis.atob(base64);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

export function supported(scope = globalThis) {
  return Boolean(scope.navigator?.serviceWorker && scope.PushManager && scope.Notification);
}

async function post(url, subscription) {
  const answer = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
    body: JSON.stringify(subscription.toJSON ? subscription.toJSON() : subscription),
  });
  if (!answer.ok) throw new Error(String(answer.status));
}

async function enable(offer) {
  const status = offer.querySelector(".push-status");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    status.textContent = t("Trình duyệt đang chặn thông báo; hãy cho phép trong phần cài đặt.");
    return;
  }
  try {
    const registration = await navigator.serviceWorker.ready;
    const key = await (await fetch(offer.dataset.pushKey, {credentials: "same-origin"})).json();
    const subscription = await registration.pushManager.getSubscription()
      || await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(key.public_key)});
    await post(offer.dataset.pushSubscriptions, subscription);
    offer.querySelector(".push-enable").hidden = true;
    status.textContent = t("Đã bật thông báo trên thiết bị này.");
  } catch (error) {
    status.textContent = t("Chưa bật được thông báo; hãy thử lại khi có mạng.");
  }
}

async function show(root = document) {
  const offer = root.querySelector(".push-offer");
  if (!offer || offer.dataset.ready || !supported()) return;
  offer.dataset.ready = "1";
  if (Notification.permission === "denied") return;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration && await registration.pushManager.getSubscription()) return;
  } catch (error) { /* no worker yet: offer anyway */ }
  offer.hidden = false;
  offer.querySelector(".push-enable").addEventListener("click", () => enable(offer));
}

if (globalThis.document) {
  show();
  document.addEventListener("htmx:load", (event) => show(event.target));
}
