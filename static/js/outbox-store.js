// The outbox on the phone: IndexedDB's "items" hold the evidence waiting or needing attention
// (fields, photo Blobs), "sent" the receipts of what arrived (no photos). Every change is told
// to this page and to the officer's other tabs as a "wardapp:outbox" event on the document.
import "../vendor/idb-8.0.4.umd.js"; // the pinned UMD build; run as a module it defines globalThis.idb

const SENT_KEPT = 30;
const SYNC_TAG = "wardapp-outbox";

let opening = null;
function store() {
  // Versions only ever add stores: an upgrade must never drop what waits to be sent.
  opening ??= globalThis.idb.openDB("wardapp-outbox", 1, {
    upgrade(db) {
      if (!db.objectStoreNames.contains("items")) db.createObjectStore("items", {keyPath: "id"});
      if (!db.objectStoreNames.contains("sent")) db.createObjectStore("sent", {keyPath: "id"});
    },
  });
  return opening;
}

/** Whether this browser can keep an outbox at all (without, the form posts to the server). */
export function available() {
  return Boolean(globalThis.indexedDB && globalThis.idb);
}

// ---- telling this page and the other tabs ----
let channel; // undefined: not opened yet; null: the browser has none
function otherTabs() {
  if (channel === undefined) {
    channel = "BroadcastChannel" in globalThis ? new BroadcastChannel("wardapp-outbox") : null;
    if (channel) channel.onmessage = (event) => tell(event.data);
  }
  return channel;
}
function tell(message) {
  document.dispatchEvent(new CustomEvent("wardapp:outbox", {detail: message}));
}

/** Starts hearing what the other tabs' outboxes announce; once per page is enough. */
export function hearOtherTabs() {
  otherTabs();
}

export function announce(message) {
  tell(message);
  otherTabs()?.postMessage(message);
}

// ---- reading ----
const byAge = (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);
const newestSent = (a, b) => (a.sentAt < b.sentAt ? 1 : -1);

export async function items() {
  return (await (await store()).getAll("items")).sort(byAge);
}

export async function getItem(id) {
  return (await store()).get("items", id);
}

export async function sent() {
  return (await (await store()).getAll("sent")).sort(newestSent);
}

// ---- writing ----
export async function update(id, changes) {
  const db = await store();
  const tx = db.transaction("items", "readwrite");
  const item = await tx.store.get(id);
  if (item) {
    Object.assign(item, changes);
    await tx.store.put(item);
  }
  await tx.done;
  announce({type: "changed", id});
  return item || null;
}

export async function save(item) {
  await (await store()).put("items", item);
  announce({type: "changed", id: item.id});
  askForPersistence();
  registerSync();
  return item;
}

export async function discard(id) {
  await (await store()).delete("items", id);
  announce({type: "changed", id});
}

/** The server has the item: its copy goes and a receipt stays, in one transaction. */
export async function receipt(item, answer) {
  const db = await store();
  const tx = db.transaction(["items", "sent"], "readwrite");
  tx.objectStore("items").delete(item.id);
  tx.objectStore("sent").put({id: item.id, evidenceId: answer.body.id, status: answer.body.status,
    created: answer.status === 201, taskTitle: item.taskTitle, kind: item.kind,
    createdAt: item.createdAt, sentAt: new Date().toISOString(), user: item.user});
  await tx.done;
  const old = (await db.getAll("sent")).sort(newestSent).slice(SENT_KEPT);
  await Promise.all(old.map((r) => db.delete("sent", r.id)));
  announce({type: "changed", id: item.id, sent: true, taskTitle: item.taskTitle, evidenceId: answer.body.id});
}

// ---- Background Sync and persistent storage ----
/** Background Sync, where the browser has it, only wakes the page's sender; a bonus, never needed. */
export function registerSync() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.sync?.register(SYNC_TAG))
    .catch(() => {});
}

export function askForPersistence() {
  navigator.storage?.persist?.().catch(() => {});
}
