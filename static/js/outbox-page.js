// The outbox page: what waits on this phone, what is being sent (with upload progress), what
// the server refused and why, and the rescue: the whole outbox saved as a file
// (`flask wardapp import-outbox FILE` loads it on the server).
import {clockTime, dateTime, t} from "./i18n.js";
import * as outbox from "./outbox.js";

let root = null;
const thumbs = new Map(); // item id → object URL of its first photo, kept across renders
let shown = [];           // the items of the last render
let labels = {kinds: {}, statuses: {}, fields: {}};

/** A refusal as the officer reads it: the field's label, then the server's words. */
export function fieldError(name, message, kindLabels = {}) {
  const label = kindLabels[name];
  if (!label) return message;
  const text = String(message || "");
  return `${label}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
let sender = {signIn: false, nextAt: 0}; // the sender's state, from this tab or another

/** The badge word for an item's state. */
export function stateLabel(state) {
  const words = {waiting: t("Chờ gửi"), sending: t("Đang gửi"), attention: t("Cần sửa"), sent: t("Đã gửi")};
  return words[state] || state;
}

/** Bytes as people read them, with a decimal comma: "1,5 MB". */
export function size(bytes) {
  const units = ["B", "kB", "MB", "GB"];
  let i = 0;
  while (bytes >= 1000 && i < units.length - 1) { bytes /= 1000; i += 1; }
  return `${bytes.toFixed(i ? 1 : 0).replace(".", ",")} ${units[i]}`;
}

/** The line under the page's title: how many wait, how many need the officer, the next try. */
export function summary(items, nextAt) {
  const waiting = items.filter((i) => i.state !== "attention").length;
  const attention = items.length - waiting;
  const parts = [];
  if (waiting) parts.push(t("{n} mục đang chờ gửi.", {n: waiting}));
  if (attention) parts.push(t("{n} mục cần bạn sửa trước khi gửi.", {n: attention}));
  if (waiting && nextAt) parts.push(t("Sẽ tự thử gửi lại lúc {when}.", {when: clockTime(nextAt)}));
  return parts.join(" ");
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
function button(action, id, text, kind) {
  const b = el("button", `btn${kind ? ` ${kind}` : ""}`, text);
  b.type = "button"; b.dataset.action = action; b.dataset.id = id;
  return b;
}

function thumbnail(id, photo) {
  const key = `${photo.name}:${photo.blob.size}`;
  const known = thumbs.get(id);
  if (known && known.key === key) return known.url;
  if (known) URL.revokeObjectURL(known.url);
  const url = URL.createObjectURL(photo.blob);
  thumbs.set(id, {key, url});
  return url;
}
function forgetThumbnails(all) {
  const present = new Set(all.map((i) => i.id));
  thumbs.forEach((known, id) => {
    if (!present.has(id)) { URL.revokeObjectURL(known.url); thumbs.delete(id); }
  });
}

function row(item) {
  const mine = item.user === outbox.config().user;
  const li = el("li", "card outbox-item");
  li.dataset.id = item.id; li.dataset.state = item.state;
  const photo = (item.photos || [])[0];
  if (photo) {
    const img = el("img", "thumb"); img.alt = ""; img.width = 80; img.height = 80;
    img.src = thumbnail(item.id, photo);
    li.appendChild(img);
  }
  const body = el("div", "outbox-body");
  const title = [labels.kinds[item.kind] || item.kind, item.taskTitle].filter(Boolean).join(" · ");
  body.appendChild(el("p", "outbox-title", title));
  const facts = [t("Ghi lúc {when}", {when: dateTime(item.createdAt)})];
  if ((item.photos || []).length) facts.push(t("{n} ảnh", {n: item.photos.length}));
  if ((item.attachments || []).length) facts.push(t("{n} tệp", {n: item.attachments.length}));
  if (item.attempts) facts.push(t("đã thử {n} lần", {n: item.attempts}));
  body.appendChild(el("p", "meta", facts.join(" · ")));
  const state = el("p", "outbox-state");
  state.appendChild(el("span", `badge state-${item.state}`, stateLabel(item.state)));
  if (item.state === "sending") {
    const bar = el("progress", "outbox-progress"); bar.max = 100;
    state.append(bar, el("span", "outbox-percent", ""));
  }
  body.appendChild(state);
  if (!mine) {
    body.appendChild(el("p", "error",
      t("Mục do tài khoản {user} ghi; đăng nhập bằng tài khoản đó để gửi.", {user: item.user})));
  }
  if (item.message) {
    body.appendChild(el("p", `${item.state === "attention" ? "error" : "hint"} outbox-message`, item.message));
  }
  const errors = item.state === "attention" ? Object.keys(item.fieldErrors || {}) : [];
  if (errors.length) {
    const ul = el("ul", "outbox-errors");
    const named = labels.fields[item.kind] || {};
    for (const name of errors) ul.appendChild(el("li", "", fieldError(name, item.fieldErrors[name], named)));
    body.appendChild(ul);
  }
  const actions = el("div", "outbox-buttons");
  if (mine && item.state !== "sending") {
    actions.appendChild(button("send", item.id, t("Gửi ngay"), item.state === "attention" ? "" : "primary"));
  }
  if (mine && item.state === "attention") actions.appendChild(button("fix", item.id, t("Sửa"), "primary"));
  if (item.state !== "sending") actions.appendChild(button("discard", item.id, t("Bỏ"), "danger"));
  body.appendChild(actions);
  li.appendChild(body);
  return li;
}

function sentRow(receipt) {
  const li = el("li", "outbox-sent-item");
  li.dataset.id = receipt.id;
  const link = el("a", "", t("#{id} · {task} · {status} · gửi lúc {when}", {id: receipt.evidenceId,
    task: receipt.taskTitle, status: labels.statuses[receipt.status] || receipt.status,
    when: dateTime(receipt.sentAt)}));
  link.href = root.dataset.detailUrl.replace(/0$/, String(receipt.evidenceId));
  li.appendChild(el("span", "badge state-sent", stateLabel("sent")));
  li.appendChild(link);
  if (!receipt.created) li.appendChild(el("span", "meta", " " + t("(máy chủ đã có từ trước)")));
  return li;
}

let rendering = false;
let stale = false;
async function render() {
  if (!root || !root.isConnected) return;
  if (rendering) { stale = true; return; }
  rendering = true;
  const [all, receipts] = await Promise.all([outbox.items(), outbox.sent()]);
  rendering = false;
  if (stale) { stale = false; render(); return; }
  shown = all;
  forgetThumbnails(all);
  root.querySelector(".outbox-list").replaceChildren(...all.map(row));
  root.querySelector(".outbox-empty").hidden = all.length > 0;
  const mine = receipts.filter((r) => r.user === outbox.config().user);
  root.querySelector(".outbox-sent").replaceChildren(...mine.map(sentRow));
  root.querySelector(".outbox-sent-title").hidden = mine.length === 0;
  showState();
}

function showState() {
  if (!root || !root.isConnected) return;
  root.querySelector(".outbox-signin").hidden = !sender.signIn;
  root.querySelector(".outbox-status").textContent = summary(shown, sender.nextAt);
}

function progress(message) {
  const item = root && root.querySelector(`.outbox-item[data-id="${message.id}"]`);
  const bar = item && item.querySelector("progress");
  if (!bar) return;
  const pct = Math.floor(100 * message.loaded / message.total);
  bar.value = pct;
  item.querySelector(".outbox-percent").textContent = ` ${pct}%`;
}

// ---- the rescue file: every item with its photos in base64 ----
function base64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
async function filesOf(list) {
  const done = [];
  for (const f of list || []) done.push({name: f.name, type: f.blob.type, meta: f.meta, data: await base64(f.blob)});
  return done;
}
async function exportFile() {
  const out = [];
  for (const item of await outbox.items()) {
    out.push({id: item.id, user: item.user, created_at: item.createdAt, task_id: item.taskId,
      task_title: item.taskTitle, kind: item.kind, state: item.state, message: item.message || "",
      fields: item.fields, photos: await filesOf(item.photos), attachments: await filesOf(item.attachments)});
  }
  const blob = new Blob([JSON.stringify({format: "wardapp-outbox", version: 1, origin: location.origin,
    saved_at: new Date().toISOString(), items: out}, null, 1)], {type: "application/json"});
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = t("hop-thu-di-{date}.json", {date: new Date().toISOString().slice(0, 10)});
  document.body.appendChild(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  root.querySelector(".outbox-status").textContent = t("Đã lưu {n} mục ra tệp.", {n: out.length});
}

function act(event) {
  const target = event.target.closest("button[data-action]");
  if (!target || !root.contains(target)) return;
  const {id, action} = target.dataset;
  if (action === "send-all") outbox.sendNow();
  else if (action === "export") exportFile();
  else if (action === "send") outbox.retry(id);
  else if (action === "discard") {
    if (confirm(t("Bỏ hẳn mục này? Minh chứng chưa gửi sẽ mất, không lấy lại được."))) outbox.discard(id);
  }
  else if (action === "fix") outbox.getItem(id).then((item) => location.assign(`${item.formUrl}#outbox=${id}`));
}

async function showStorage() {
  if (!root || !root.isConnected || !navigator.storage || !navigator.storage.estimate) return;
  try {
    const [estimate, persisted] = await Promise.all([navigator.storage.estimate(),
      navigator.storage.persisted ? navigator.storage.persisted() : false]);
    const used = t("Bộ nhớ trình duyệt: đã dùng {used} trên {quota} cho phép.",
      {used: size(estimate.usage || 0), quota: size(estimate.quota || 0)});
    const kept = persisted ? t("Dữ liệu được giữ lâu dài trên máy.")
      : t("Trình duyệt có thể xoá dữ liệu khi máy đầy; hãy cài ứng dụng ra màn hình chính.");
    root.querySelector(".outbox-storage").textContent = used + " " + kept;
  } catch { /* the estimate is a courtesy */ }
}

/** Takes over the outbox page's section, once. */
export function init() {
  const found = document.getElementById("outbox");
  if (!found || found.dataset.ready) return;
  root = found;
  root.dataset.ready = "yes";
  if (!outbox.available()) {
    root.querySelector(".outbox-status").textContent =
      t("Trình duyệt này không lưu được minh chứng trên máy; biểu mẫu sẽ gửi thẳng lên máy chủ.");
    return;
  }
  labels = {kinds: JSON.parse(root.dataset.kindLabels || "{}"),
    statuses: JSON.parse(root.dataset.statusLabels || "{}"), fields: JSON.parse(root.dataset.fieldLabels || "{}")};
  root.addEventListener("click", act);
  sender = outbox.senderState();
  outbox.askForPersistence();
  showStorage();
  render();
}

let started = false;
/** Once per document: the page now, and again whenever htmx brings it in. */
export function start() {
  if (started) return;
  started = true;
  document.addEventListener("wardapp:outbox", (event) => {
    const message = event.detail;
    if (message.type === "progress") progress(message);
    else if (message.type === "changed") { render(); showStorage(); }
    else if (message.type === "state") { sender = {signIn: message.signIn, nextAt: message.nextAt}; showState(); }
  });
  document.addEventListener("htmx:load", init);
  init();
}

// Run by the page; Node imports this file for its pure functions only.
if (globalThis.document) start();
