// The outbox's one sender: it sends what waits on the phone, one item at a time. Nothing is
// deleted before the server said 201 or 200; the service worker only wakes this loop (it
// never sends). Web Locks keep two open tabs from sending at once, and the client_uuid sent as
// Idempotency-Key makes any resend harmless. The store itself is outbox-store.js.
import {t} from "./i18n.js";
import {announce, hearOtherTabs, items, receipt, registerSync, update} from "./outbox-store.js";

export {askForPersistence, available, discard, getItem, items, save, sent, update} from "./outbox-store.js";

const LOCK = "wardapp-outbox";

/** The sender's settings from the page's data-* (data-user is empty for anyone but an officer);
 * `override` is a developer's localStorage "wardapp.outbox.backoffMs". */
export function outboxConfig(data, override = 0) {
  return {
    user: data.user || "",
    worker: data.worker, session: data.session, outbox: data.outbox,
    login: data.login || "/login",
    backoffMs: override || Number(data.backoffMs) || 1000,
    backoffMaxMs: Number(data.backoffMaxMs) || 300000,
  };
}

let read = null;
/** This page's settings, read once: a new user or release always comes with a full page load. */
export function config() {
  read ??= outboxConfig(document.documentElement.dataset,
    Number(globalThis.localStorage?.getItem("wardapp.outbox.backoffMs")));
  return read;
}

// ---- what an answer means ----
/** What an answer means for the item: sent, fix it, sign in, a fresh token, or try later. */
export function verdict(answer) {
  const s = answer.status;
  if (answer.toLogin || s === 401) return "signIn";
  if ((s === 200 || s === 201) && answer.body && answer.body.id) return "sent";
  if (s === 400 && answer.body && answer.body.code === "csrf") return "csrf";
  if (s === 0 || s === 408 || s === 429 || s >= 500 || s < 400) return "retry";
  return "attention"; // 400, 403, 409, 413, 415, 422 and any other refusal
}

/** What changes on an item the server did not take; "sent" and "csrf" are handled apart. */
export function kept(outcome, answer) {
  if (outcome === "attention") {
    const body = answer.body || {};
    // A 409 means the key is taken on the server: the corrected item must go under a new one.
    return {state: "attention", httpStatus: answer.status, newKey: answer.status === 409,
      message: body.error || t("Máy chủ trả lời không đọc được (mã {status}).", {status: answer.status}),
      fieldErrors: body.fields || {}};
  }
  if (outcome === "signIn") return {state: "waiting", message: t("Cần đăng nhập lại để gửi.")};
  return {state: "waiting", httpStatus: answer.status,
    message: answer.status ? t("Máy chủ chưa nhận được (mã {status}). Máy sẽ tự gửi lại sau.", {status: answer.status})
      : t("Chưa có mạng hoặc mạng bị ngắt. Máy sẽ tự gửi lại khi có mạng.")};
}

/** The next wait after a failure: the first after a success, then doubling up to the most. */
export function nextDelay(delay, {backoffMs, backoffMaxMs}) {
  return delay ? Math.min(delay * 2, backoffMaxMs) : backoffMs;
}

// ---- talking to the server ----
function toLogin(url) {
  try { return new URL(url, location.href).pathname === config().login; } catch { return false; }
}

async function askSession() {
  let response;
  try {
    response = await fetch(config().session, {headers: {Accept: "application/json"}, cache: "no-store",
      credentials: "same-origin"});
  } catch {
    return {retry: true, status: 0};
  }
  if (response.status === 401 || response.status === 403 || toLogin(response.url)) return {signIn: true};
  if (!response.ok) return {retry: true, status: response.status};
  const body = await response.json();
  return {token: body.csrf_token, user: body.user};
}

function formFor(item) {
  const data = new FormData();
  for (const [name, value] of item.fields) data.append(name, value);
  for (const photo of item.photos || []) {
    data.append("photo", photo.blob, photo.name);
    data.append("photo_meta", photo.meta);
  }
  for (const file of item.attachments || []) data.append("attachment", file.blob, file.name);
  return data;
}

// XMLHttpRequest rather than fetch: only it reports upload progress.
function post(item, token) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const body = formFor(item);
    const bytes = [...(item.photos || []), ...(item.attachments || [])].reduce((n, f) => n + f.blob.size, 0);
    xhr.open("POST", item.api);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.setRequestHeader("Idempotency-Key", item.id);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.timeout = Math.max(60000, bytes / 4); // at least 4 kB/s (≈ 32 kbit/s), a poor 3G line
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) announce({type: "progress", id: item.id, loaded: event.loaded, total: event.total});
    };
    xhr.onload = () => {
      let parsed = null;
      try { parsed = JSON.parse(xhr.responseText); } catch { parsed = null; }
      resolve({status: xhr.status, body: parsed, toLogin: toLogin(xhr.responseURL)});
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve({status: 0, body: null});
    xhr.send(body);
  });
}

// ---- the one sender ----
const state = {running: false, again: false, delay: 0, timer: null, nextAt: 0, signIn: false};

/** A copy of the sender's state, for a page that opens while it runs. */
export function senderState() {
  return {...state};
}

function publishState() {
  announce({type: "state", signIn: state.signIn, nextAt: state.nextAt});
}
function schedule(ms, quietly) {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => { state.nextAt = 0; wake("timer"); }, ms);
  if (quietly) return;
  state.nextAt = Date.now() + ms;
  publishState();
}
function backOff() {
  state.delay = nextDelay(state.delay, config());
  schedule(state.delay);
  registerSync();
}
function calm() {
  state.delay = 0; state.nextAt = 0;
  clearTimeout(state.timer);
  publishState();
}
function setSignIn(value) { state.signIn = value; publishState(); }

async function sendable(user) {
  return (await items()).filter((i) => (i.state === "waiting" || i.state === "sending") && (!user || i.user === user));
}

async function drainHeld() {
  if (!(await sendable(config().user)).length) { calm(); return; }
  let session = await askSession();
  if (session.signIn) { setSignIn(true); backOff(); return; }
  if (session.retry) { backOff(); return; }
  setSignIn(false);
  const me = session.user.username;
  for (;;) {
    const item = (await sendable(me))[0];
    if (!item) break;
    await update(item.id, {state: "sending", attempts: (item.attempts || 0) + 1, triedAt: new Date().toISOString()});
    let answer = await post(item, session.token);
    let outcome = verdict(answer);
    if (outcome === "csrf") { // the session changed under the page: once more, freshly
      session = await askSession();
      if (!session.token) {
        await update(item.id, {state: "waiting"});
        if (session.signIn) setSignIn(true);
        backOff(); return;
      }
      answer = await post(item, session.token);
      outcome = verdict(answer);
      if (outcome === "csrf") outcome = "retry";
    }
    if (outcome === "sent") {
      await receipt(item, answer);
      state.delay = 0;
      continue;
    }
    await update(item.id, kept(outcome, answer));
    if (outcome === "signIn") { setSignIn(true); backOff(); return; }
    if (outcome === "retry") { backOff(); return; }
  }
  calm();
}

/** Runs the sender unless it runs already (then once more after it); resolves when done. */
export async function wake(reason) {
  if (!config().user || !globalThis.indexedDB) return;
  if (reason !== "timer") clearTimeout(state.timer);
  if (state.running) { state.again = true; return; }
  state.running = true;
  try {
    await (navigator.locks
      ? navigator.locks.request(LOCK, {ifAvailable: true}, (lock) => {
        if (!lock) { schedule(config().backoffMs, true); return null; } // another tab is sending; look again soon
        return drainHeld();
      })
      : drainHeld());
  } catch (error) {
    console.error("outbox: drain failed", error);
    backOff();
  }
  state.running = false;
  if (state.again) { state.again = false; await wake("again"); }
}

export function sendNow() { calm(); return wake("send-now"); }

export async function retry(id) {
  await update(id, {state: "waiting", message: ""});
  calm();
  return wake("send-now");
}

let started = false;
/** On every officer page: send on load, when the phone is back online and when the app is
 * shown again; the timer and Background Sync wake the same sender. */
export function startSender() {
  if (started) return;
  started = true;
  hearOtherTabs();
  addEventListener("online", () => { calm(); wake("online"); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") wake("visible");
  });
  wake("load");
}
