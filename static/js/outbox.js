// The outbox: evidence waiting in IndexedDB, and the one loop that sends it, one item at a
// time. Nothing is deleted here before the server said 201 or 200; the service worker only
// wakes this loop (it never sends). Web Locks keep two open tabs from sending at once, and
// the client_uuid sent as Idempotency-Key makes any resend harmless.
(function () {
  "use strict";
  var TEXT = {
    failed: "Máy chủ chưa nhận được (lỗi {status}). Sẽ thử lại.",
    offline: "Chưa có mạng hoặc mạng bị ngắt. Sẽ tự gửi lại.",
    unreadable: "Máy chủ trả lời không đọc được (mã {status}).",
    signIn: "Cần đăng nhập lại để gửi."
  };
  var script = document.currentScript;
  var settings = script ? script.dataset : {};
  var override = Number(window.localStorage && localStorage.getItem("wardapp.outbox.backoffMs"));
  var config = {
    user: settings.user || "",
    worker: settings.worker, session: settings.session, outbox: settings.outbox,
    login: settings.login || "/login",
    backoffMs: override || Number(settings.backoffMs) || 1000,
    backoffMaxMs: Number(settings.backoffMaxMs) || 300000
  };
  var LOCK = "wardapp-outbox";
  var SYNC_TAG = "wardapp-outbox";
  var SENT_KEPT = 30;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("wardapp-outbox") : null;

  // ---- the store: "items" waiting or needing attention, "sent" receipts (no photos) ----
  var dbPromise = null;
  function store() {
    // Versions only ever add stores: an upgrade must never drop what waits to be sent.
    dbPromise = dbPromise || idb.openDB("wardapp-outbox", 1, {
      upgrade: function (db) {
        if (!db.objectStoreNames.contains("items")) db.createObjectStore("items", {keyPath: "id"});
        if (!db.objectStoreNames.contains("sent")) db.createObjectStore("sent", {keyPath: "id"});
      }
    });
    return dbPromise;
  }
  function byAge(a, b) { return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0; }
  function items() {
    return store().then(function (db) { return db.getAll("items"); })
      .then(function (all) { return all.sort(byAge); });
  }
  function getItem(id) { return store().then(function (db) { return db.get("items", id); }); }
  function sent() {
    return store().then(function (db) { return db.getAll("sent"); }).then(function (all) {
      return all.sort(function (a, b) { return a.sentAt < b.sentAt ? 1 : -1; });
    });
  }

  function announce(message) {
    document.dispatchEvent(new CustomEvent("wardapp:outbox", {detail: message}));
    if (channel) channel.postMessage(message);
  }
  if (channel) channel.onmessage = function (event) {
    document.dispatchEvent(new CustomEvent("wardapp:outbox", {detail: event.data}));
  };

  function update(id, changes) {
    return store().then(function (db) {
      var tx = db.transaction("items", "readwrite");
      return tx.store.get(id).then(function (item) {
        if (!item) return null;
        Object.assign(item, changes);
        return tx.store.put(item).then(function () { return tx.done; }).then(function () { return item; });
      });
    }).then(function (item) { announce({type: "changed", id: id}); return item; });
  }

  function save(item) {
    return store().then(function (db) { return db.put("items", item); }).then(function () {
      announce({type: "changed", id: item.id});
      askForPersistence();
      registerSync();
      return item;
    });
  }

  function discard(id) {
    return store().then(function (db) { return db.delete("items", id); })
      .then(function () { announce({type: "changed", id: id}); });
  }

  function receipt(item, answer) {
    return store().then(function (db) {
      var tx = db.transaction(["items", "sent"], "readwrite");
      tx.objectStore("items").delete(item.id);
      tx.objectStore("sent").put({id: item.id, evidenceId: answer.body.id, status: answer.body.status,
        created: answer.status === 201, taskTitle: item.taskTitle, kind: item.kind,
        createdAt: item.createdAt, sentAt: new Date().toISOString(), user: item.user});
      return tx.done.then(function () { return db.getAll("sent"); }).then(function (all) {
        all.sort(function (a, b) { return a.sentAt < b.sentAt ? 1 : -1; });
        return Promise.all(all.slice(SENT_KEPT).map(function (r) { return db.delete("sent", r.id); }));
      });
    }).then(function () { announce({type: "changed", id: item.id, sent: true}); });
  }

  // ---- talking to the server ----
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function toLogin(url) {
    try { return new URL(url, location.href).pathname === config.login; } catch (e) { return false; }
  }

  function askSession() {
    return fetch(config.session, {headers: {Accept: "application/json"}, cache: "no-store", credentials: "same-origin"})
      .then(function (response) {
        if (response.status === 401 || response.status === 403 || toLogin(response.url)) return {signIn: true};
        if (!response.ok) return {retry: true, status: response.status};
        return response.json().then(function (body) { return {token: body.csrf_token, user: body.user}; });
      }, function () { return {retry: true, status: 0}; });
  }

  function formFor(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (item.photos || []).forEach(function (photo) {
      data.append("photo", photo.blob, photo.name);
      data.append("photo_meta", photo.meta);
    });
    (item.attachments || []).forEach(function (file) { data.append("attachment", file.blob, file.name); });
    return data;
  }

  function post(item, token) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      var body = formFor(item);
      var bytes = (item.photos || []).concat(item.attachments || []).reduce(function (n, f) { return n + f.blob.size; }, 0);
      xhr.open("POST", item.api);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("Idempotency-Key", item.id);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.timeout = Math.max(60000, bytes / 4); // at least 4 kB/s (≈ 32 kbit/s), a poor 3G line
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) announce({type: "progress", id: item.id, loaded: event.loaded, total: event.total});
      };
      xhr.onload = function () {
        var parsed = null;
        try { parsed = JSON.parse(xhr.responseText); } catch (e) { parsed = null; }
        resolve({status: xhr.status, body: parsed, toLogin: toLogin(xhr.responseURL)});
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({status: 0, body: null}); };
      xhr.send(body);
    });
  }

  // What an answer means for the item: sent, fix it, sign in, fresh token, or try later.
  function verdict(answer) {
    var s = answer.status;
    if (answer.toLogin || s === 401) return "signIn";
    if ((s === 200 || s === 201) && answer.body && answer.body.id) return "sent";
    if (s === 400 && answer.body && answer.body.code === "csrf") return "csrf";
    if (s === 0 || s === 408 || s === 429 || s >= 500 || s < 400) return "retry";
    return "attention"; // 400, 403, 409, 413, 415, 422 and any other refusal
  }

  // ---- the one sender ----
  var state = {running: false, again: false, delay: 0, timer: null, nextAt: 0, signIn: false};

  function publishState() {
    announce({type: "state", signIn: state.signIn, nextAt: state.nextAt});
  }
  function schedule(ms, quietly) {
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { state.nextAt = 0; wake("timer"); }, ms);
    if (quietly) return;
    state.nextAt = Date.now() + ms;
    publishState();
  }
  function backOff() {
    state.delay = state.delay ? Math.min(state.delay * 2, config.backoffMaxMs) : config.backoffMs;
    schedule(state.delay);
    registerSync();
  }
  function calm() {
    state.delay = 0; state.nextAt = 0;
    clearTimeout(state.timer);
    publishState();
  }
  function setSignIn(value) { state.signIn = value; publishState(); }

  function sendable(user) {
    return items().then(function (all) {
      return all.filter(function (i) {
        return (i.state === "waiting" || i.state === "sending") && (!user || i.user === user);
      });
    });
  }

  async function drainHeld() {
    if (!(await sendable(config.user)).length) { calm(); return; }
    var session = await askSession();
    if (session.signIn) { setSignIn(true); backOff(); return; }
    if (session.retry) { backOff(); return; }
    setSignIn(false);
    var me = session.user.username;
    for (;;) {
      var item = (await sendable(me))[0];
      if (!item) break;
      await update(item.id, {state: "sending", attempts: (item.attempts || 0) + 1, triedAt: new Date().toISOString()});
      var answer = await post(item, session.token);
      var outcome = verdict(answer);
      if (outcome === "csrf") {           // the session changed under the page: once more, freshly
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
      } else if (outcome === "attention") {
        var body = answer.body || {};
        await update(item.id, {state: "attention", httpStatus: answer.status, newKey: answer.status === 409,
          message: body.error || fill(TEXT.unreadable, {status: answer.status}), fieldErrors: body.fields || {}});
      } else if (outcome === "signIn") {
        await update(item.id, {state: "waiting", message: TEXT.signIn});
        setSignIn(true); backOff(); return;
      } else {
        await update(item.id, {state: "waiting", httpStatus: answer.status,
          message: answer.status ? fill(TEXT.failed, {status: answer.status}) : TEXT.offline});
        backOff(); return;
      }
    }
    calm();
  }

  function wake(reason) {
    if (!config.user || !window.indexedDB) return Promise.resolve();
    if (reason !== "timer") clearTimeout(state.timer);
    if (state.running) { state.again = true; return Promise.resolve(); }
    state.running = true;
    var run = navigator.locks
      ? navigator.locks.request(LOCK, {ifAvailable: true}, function (lock) {
        if (!lock) { schedule(config.backoffMs, true); return null; } // another tab is sending; look again soon
        return drainHeld();
      })
      : drainHeld();
    return Promise.resolve(run).catch(function (error) {
      console.error("outbox: drain failed", error);
      backOff();
    }).then(function () {
      state.running = false;
      if (state.again) { state.again = false; return wake("again"); }
    });
  }

  function sendNow() { calm(); return wake("send-now"); }

  function retry(id) {
    return update(id, {state: "waiting", message: ""}).then(function () { calm(); return wake("send-now"); });
  }

  // ---- Background Sync and persistent storage ----
  function registerSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) return reg.sync.register(SYNC_TAG);
    }).catch(function () { /* Background Sync is a bonus, never needed */ });
  }

  function askForPersistence() {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
  }

  window.wardapp = window.wardapp || {};
  window.wardapp.outbox = {
    config: config, items: items, get: getItem, sent: sent, save: save, discard: discard,
    retry: retry, sendNow: sendNow, wake: wake, update: update, state: function () { return Object.assign({}, state); },
    askForPersistence: askForPersistence, fill: fill
  };

  window.addEventListener("online", function () { calm(); wake("online"); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") wake("visible");
  });
  document.addEventListener("DOMContentLoaded", function () { wake("load"); });
})();
