// What a slow or absent network looks like to the person holding the phone: a bar across the
// top while a page loads (hx-boost hides the browser's own), and a toast in their language
// when a request cannot be sent or something has reached the server.
import {t} from "./i18n.js";

// A page that answers within this long shows no bar at all: no flicker on a good line.
const BAR_AFTER_MS = 150;
const TOAST_MS = 6000;

/** The words for a request that failed: `kind` is htmx's event, `status` the answer's code. */
export function failureText(kind, status = 0) {
  if (kind === "htmx:timeout") return t("Mạng quá chậm, máy chủ chưa trả lời. Hãy thử lại.");
  if (kind === "htmx:responseError" && status) {
    if (status === 403) return t("Bạn không có quyền mở trang này.");
    if (status === 404) return t("Không tìm thấy trang này.");
    return t("Máy chủ đang gặp lỗi (mã {status}). Hãy thử lại sau.", {status});
  }
  return t("Không gửi được: chưa có mạng hoặc mạng bị ngắt. Những gì đã ghi vẫn được giữ trên máy.");
}

function toastBox() {
  let box = document.querySelector(".toasts");
  if (!box) {
    box = document.createElement("div");
    box.className = "toasts";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    document.body.appendChild(box);
  }
  return box;
}

/** A short message at the bottom of the screen; tapping it closes it. */
export function toast(text, kind = "info") {
  const box = toastBox();
  const item = document.createElement("p");
  item.className = `toast toast-${kind}`;
  item.textContent = text;
  item.addEventListener("click", () => item.remove());
  box.appendChild(item);
  setTimeout(() => item.remove(), TOAST_MS);
  return item;
}

let pending = 0;
let timer = null;
function bar() {
  let el = document.querySelector(".page-progress");
  if (!el) {
    el = document.createElement("div");
    el.className = "page-progress";
    el.hidden = true;
    el.setAttribute("aria-hidden", "true");
    document.body.prepend(el);
  }
  return el;
}
function loading() {
  pending += 1;
  clearTimeout(timer);
  timer = setTimeout(() => { if (pending) bar().hidden = false; }, BAR_AFTER_MS);
}
function loaded() {
  pending = Math.max(0, pending - 1);
  if (pending) return;
  clearTimeout(timer);
  const el = document.querySelector(".page-progress");
  if (el) el.hidden = true;
}

export function start() {
  document.addEventListener("htmx:beforeRequest", loading);
  document.addEventListener("htmx:afterRequest", loaded);
  for (const kind of ["htmx:sendError", "htmx:timeout", "htmx:responseError"]) {
    document.addEventListener(kind, (event) => {
      toast(failureText(kind, event.detail?.xhr?.status || 0), "error");
    });
  }
}
