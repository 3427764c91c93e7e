// The notices list: following an unread notice's link marks it read on the way (the request
// outlives the page with keepalive), so the bell counts down without a second tap.
import {csrfToken} from "./app.js";

export function readRequest(id, token) {
  return {
    method: "POST",
    keepalive: true,
    credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
    body: JSON.stringify({ids: [Number(id)]}),
  };
}

function onClick(event) {
  const link = event.target.closest?.("a[data-notification]");
  if (!link) return;
  const item = link.closest(".notification");
  if (!item || !item.classList.contains("unread")) return;
  item.classList.remove("unread");
  fetch("/api/v1/notifications/read", readRequest(link.dataset.notification, csrfToken()))
    .catch(() => { /* offline: it stays unread on the server until the list is opened online */ });
}

if (globalThis.document && !globalThis.wardappNotifications) {
  globalThis.wardappNotifications = true;
  document.addEventListener("click", onClick, true);
}
