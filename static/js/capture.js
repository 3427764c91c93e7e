// The capture form, when JavaScript runs: each submission is written to the outbox on the
// phone first (fields, photos made small, the location fix), then the outbox page sends it.
// Photos lose their EXIF when redrawn, so their time and GPS are read first and sent beside
// them as photo_meta (photos.js). Without JavaScript, or without IndexedDB, the form posts
// as before. The capture page loads this module; htmx may bring the form in later.
import {watchDate} from "./date-notice.js";
import {t, timeZone} from "./i18n.js";
import {available, config, discard, getItem, save} from "./outbox.js";
import {answer, metaToSend, newerLast, placeOnFix, placeOnPick, repeatedFields, room, shownInput, takenInput,
  timeToOffer} from "./photo-picks.js";
import {preparePhoto} from "./photos.js";

/** A version 4 UUID: the item's client_uuid, its key on the server. */
export function newKey(random = globalThis.crypto) {
  if (random.randomUUID) return random.randomUUID();
  const b = random.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
}

/** The form's text fields as the item keeps them: line ends as the multipart body carries
 * them, so a saved file replays byte for byte; files and the page's CSRF token left out. */
export function keptFields(entries) {
  const fields = [];
  for (const [name, value] of entries) {
    if (typeof value === "string" && name !== "csrf_token") fields.push([name, value.replace(/\r\n|\r|\n/g, "\r\n")]);
  }
  return fields;
}

/** The kept fields to put back in the form when the officer fixes an item, as a form holds them. */
export function fieldsToRestore(fields) {
  return fields.filter(([name]) => name !== "csrf_token").map(([name, value]) => [name, value.replace(/\r\n/g, "\n")]);
}

/** What is missing, by field name, in the server's words from each control's data-required;
 * photos kept from an earlier try count as chosen. The server still checks everything. */
export function missing(controls, keptPhotos = 0) {
  const errors = {};
  for (const control of controls) {
    const kept = control.name === "photo" ? keptPhotos : 0;
    const empty = control.type === "file" ? control.files.length + kept === 0 : !control.value.trim();
    if (empty) errors[control.name] = control.dataset.required;
  }
  return errors;
}

/** What is wrong with a filled value, by the schema's rules the form carries (data-check:
 * int with data-minimum, url, time), in the server's words; "" when it is fine or empty. */
export function badValue(value, data) {
  const text = String(value || "").trim();
  if (!text || !data.check) return "";
  if (data.check === "int") {
    if (!/^[0-9]+$/.test(text) || Number(text) > 1000000) return data.bad;
    if (data.minimum !== undefined && Number(text) < Number(data.minimum)) return data.tooSmall;
  }
  if (data.check === "url" && !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(text)) return data.bad;
  if (data.check === "time" && !/^([01]\d|2[0-3]):[0-5]\d$/.test(text)) return data.bad;
  return "";
}

/** Every value the form's rules refuse, by field name (after what is missing). */
export function refused(controls) {
  const errors = {};
  for (const control of controls) {
    // A number input holding what is not a number reports an empty value and badInput.
    const message = control.validity && control.validity.badInput ? control.dataset.bad
      : badValue(control.value, control.dataset);
    if (message) errors[control.name] = message;
  }
  return errors;
}

/** The outbox item an address asks to fix ("#outbox=<uuid>"), or null. */
export function fixingId(hash) {
  return /^#outbox=([0-9a-f-]{36})$/.exec(hash)?.[1] || null;
}

// ---- the location fix, watched from the moment the form opens ----
function say(form, text) { form.querySelector(".capture-status").textContent = text; }

function watchLocation(ctx) {
  const form = ctx.form;
  const out = form.querySelector(".location-status");
  if (!navigator.geolocation || !out) return;
  out.textContent = t("Đang lấy vị trí của máy…");
  const id = navigator.geolocation.watchPosition((position) => {
    if (!form.isConnected || form.dataset.sent) { navigator.geolocation.clearWatch(id); return; }
    const c = position.coords;
    form.elements.lat.value = c.latitude.toFixed(6);
    form.elements.lon.value = c.longitude.toFixed(6);
    form.elements.accuracy.value = String(Math.round(c.accuracy));
    form.elements.located_at.value = new Date(position.timestamp).toISOString();
    out.textContent = t("Đã ghi vị trí (sai số khoảng {m} m).", {m: Math.round(c.accuracy)});
    ctx.fix = {lat: Number(c.latitude.toFixed(6)), lon: Number(c.longitude.toFixed(6)),
      accuracy: c.accuracy, at: Date.now()};
    let changed = false;
    for (const entry of ctx.photos) {
      if (entry.kept) continue;
      const next = placeOnFix(entry, ctx.fix);
      if (next.place !== entry.place) { Object.assign(entry, next); changed = true; }
    }
    if (changed) showPhotos(ctx);
  }, () => {
    if (!form.elements.lat.value) out.textContent = t("Không lấy được vị trí của máy; minh chứng vẫn gửi được.");
  }, {enableHighAccuracy: true, maximumAge: 60000, timeout: 30000});
  form.addEventListener("submit", () => navigator.geolocation.clearWatch(id));
}

// ---- the photos: picked from the camera or the gallery, in as many picks as it takes ----
function placeLine(entry) {
  const p = document.createElement("p");
  p.className = "hint photo-place";
  const acc = entry.fix && isFinite(entry.fix.accuracy) ? Math.round(entry.fix.accuracy) : null;
  const words = {
    exif: t("Vị trí: GPS trong ảnh"),
    capture: acc === null ? t("Vị trí: của máy lúc chụp") : t("Vị trí: của máy lúc chụp (± {m} m)", {m: acc}),
    later: t("Vị trí: của máy, bạn xác nhận đang ở nơi chụp"),
    wait: t("Đang chờ vị trí của máy…"),
    none: t("Ảnh không có vị trí"),
  };
  if (entry.kept) { p.textContent = t("Đã lưu trong hộp thư đi"); return p; }
  if (entry.place !== "ask") { p.textContent = words[entry.place] || ""; return p; }
  p.className = "photo-question";
  p.append(t("Ảnh không có vị trí. Tôi đang ở nơi chụp ảnh này?"), " ");
  for (const [yes, label] of [[true, t("Đúng")], [false, t("Không")]]) {
    const b = document.createElement("button");
    b.type = "button"; b.className = "btn small"; b.textContent = label;
    b.dataset.answer = yes ? "yes" : "no";
    b.addEventListener("click", () => { Object.assign(entry, answer(entry, yes)); showPhotos(ctxOf(b)); });
    p.append(b, " ");
  }
  return p;
}

const contexts = new WeakMap();
function ctxOf(node) { return contexts.get(node.closest("form.capture")); }

function showPhotos(ctx) {
  const field = ctx.form.querySelector(".photo-field");
  if (!field) return;
  let box = ctx.form.querySelector(".kept-photo");
  if (!box) {
    box = document.createElement("div");
    box.className = "kept kept-photo";
    field.appendChild(box);
  }
  for (const old of box.querySelectorAll("img")) URL.revokeObjectURL(old.src);
  box.textContent = "";
  if (!ctx.photos.length) return;
  const heading = document.createElement("p");
  heading.className = "hint";
  heading.textContent = t("{n} ảnh sẽ được gửi", {n: ctx.photos.length});
  const ul = document.createElement("ul");
  ul.className = "picked";
  ctx.photos.forEach((entry, index) => {
    const li = document.createElement("li");
    li.className = "picked-photo"; li.dataset.place = entry.kept ? "kept" : entry.place;
    const img = document.createElement("img");
    img.className = "thumb"; img.alt = t("Ảnh {i}", {i: index + 1});
    img.src = URL.createObjectURL(entry.blob);
    const drop = document.createElement("button");
    drop.type = "button"; drop.className = "btn danger small"; drop.textContent = t("Bỏ");
    drop.setAttribute("aria-label", t("Bỏ ảnh {i}", {i: index + 1}));
    drop.addEventListener("click", () => {
      ctx.photos.splice(ctx.photos.indexOf(entry), 1);
      showPhotos(ctx);
      offerTime(ctx);
    });
    li.append(img, placeLine(entry), drop);
    ul.appendChild(li);
  });
  box.append(heading, ul);
}

function limits(ctx) {
  const attach = ctx.form.querySelector("#f-attachment");
  const attachments = attach ? attach.files.length || ctx.keptAttachments.length : 0;
  return room(Number(ctx.form.dataset.maxFiles) || 10, ctx.photos.length, attachments);
}

async function addPhotos(ctx, input) {
  const files = Array.from(input.files);
  input.value = ""; // the list below holds them now; the next pick starts empty
  const from = input.dataset.from || "gallery";
  const fits = files.slice(0, limits(ctx));
  for (let i = 0; i < fits.length; i++) {
    say(ctx.form, t("Đang chuẩn bị ảnh {i}/{n}…", {i: i + 1, n: fits.length}));
    const prepared = await preparePhoto(fits[i], ctx.photos.length + 1);
    const meta = JSON.parse(prepared.meta || "{}");
    ctx.photos.push({...prepared, meta, from, ...placeOnPick(meta, from, ctx.fix)});
    showPhotos(ctx);
  }
  say(ctx.form, fits.length < files.length
    ? t("Chỉ gửi được tối đa {n} tệp mỗi lần; đã bỏ {k} ảnh.", {n: ctx.form.dataset.maxFiles, k: files.length - fits.length})
    : "");
  offerTime(ctx);
}

// The first photo's EXIF time, offered for the form's date when the two differ.
function offerTime(ctx) {
  const input = ctx.form.querySelector("#f-occurred_at");
  if (!input) return;
  const field = input.closest(".field");
  let offer = field.querySelector(".time-offer");
  const taken = ctx.photos.map((e) => !e.kept && takenInput(e.meta.taken_at, timeZone())).find(Boolean);
  const value = timeToOffer(input.value, taken || "");
  if (!value) { offer?.remove(); return; }
  if (!offer) {
    offer = document.createElement("button");
    offer.type = "button"; offer.className = "btn time-offer";
    offer.addEventListener("click", () => {
      input.value = offer.dataset.value;
      input.dispatchEvent(new Event("change", {bubbles: true}));
      offer.remove();
    });
    input.after(offer);
  }
  offer.dataset.value = value;
  offer.textContent = t("Dùng giờ chụp {time}?", {time: shownInput(value)});
}

function watchPhotos(ctx) {
  for (const input of ctx.form.querySelectorAll('input[type="file"][data-from]')) {
    input.addEventListener("change", () => {
      ctx.preparing = ctx.preparing.then(() => addPhotos(ctx, input)).catch((error) => {
        console.error("capture: photo not prepared", error);
        say(ctx.form, t("Không đọc được ảnh này; hãy chọn lại."));
      });
    });
  }
  ctx.form.querySelector("#f-occurred_at")?.addEventListener("change", () => offerTime(ctx));
}

// ---- "Ghi như lần trước": weekly work without retyping, offline too ----
function lastKey(form) { return `wardapp.last.${config().user}.${form.elements.kind.value}`; }

function lastKept(form) {
  let local = null;
  try { local = JSON.parse(localStorage.getItem(lastKey(form)) || "null"); } catch { local = null; }
  let server = null;
  try { server = JSON.parse(form.dataset.last || "null"); } catch { server = null; }
  return newerLast(server, local);
}

function keepLast(form) {
  if (!form.dataset.repeat) return;
  const fields = repeatedFields(new FormData(form).entries(), form.dataset.repeat.split(" "));
  if (Object.keys(fields).length) {
    localStorage.setItem(lastKey(form), JSON.stringify({fields, savedAt: new Date().toISOString()}));
  }
}

function offerRepeat(ctx) {
  const form = ctx.form;
  const box = form.querySelector(".repeat-last-box");
  if (!box || !form.dataset.repeat) return;
  const last = lastKept(form);
  if (!last) return;
  box.hidden = false;
  box.querySelector("button").addEventListener("click", () => {
    for (const [name, value] of Object.entries(last.fields)) {
      const input = form.elements.namedItem(name);
      if (input && input.type !== "file") {
        input.value = value;
        input.dispatchEvent(new Event("input", {bubbles: true}));
      }
    }
    say(form, t("Đã điền như lần trước; hãy xem lại ngày giờ rồi gửi."));
    form.querySelector("#f-occurred_at")?.focus();
  });
}

// ---- fixing an item the server sent back ----
// Messages beside their fields (one per field, reused); `mark` tags the ones this page makes
// itself, so the next try can take them back. Returns those with no field to go to.
function showErrors(form, errors, mark) {
  const loose = [];
  for (const [name, message] of Object.entries(errors)) {
    const input = form.querySelector(`#f-${name}`);
    if (!input) { loose.push(message); continue; }
    const field = input.closest(".field");
    field.classList.add("has-error");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", `e-${name}`);
    let p = field.querySelector(`#e-${name}`);
    if (!p) {
      p = document.createElement("p");
      p.id = `e-${name}`;
      field.appendChild(p);
    }
    p.className = mark ? `error ${mark}` : "error";
    p.textContent = message;
  }
  return loose;
}

function clearErrors(form, mark) {
  for (const p of form.querySelectorAll(`.field .error.${mark}`)) {
    const field = p.closest(".field");
    field.classList.remove("has-error");
    for (const c of field.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    p.remove();
  }
}

function showKept(ctx, list, role, anchor, title) {
  let box = ctx.form.querySelector(`.kept-${role}`);
  if (!box) {
    box = document.createElement("div");
    box.className = `kept kept-${role}`;
    anchor.appendChild(box);
  }
  box.textContent = "";
  if (!list.length) return;
  const heading = document.createElement("p");
  heading.className = "hint"; heading.textContent = title;
  const ul = document.createElement("ul");
  list.forEach((file, index) => {
    const li = document.createElement("li");
    if (role === "photo") {
      const img = document.createElement("img");
      img.className = "thumb"; img.alt = t("Ảnh {i}", {i: index + 1});
      img.src = URL.createObjectURL(file.blob);
      li.appendChild(img);
    } else {
      li.appendChild(document.createTextNode(file.name));
    }
    const drop = document.createElement("button");
    drop.type = "button"; drop.className = "btn danger"; drop.textContent = t("Bỏ");
    drop.addEventListener("click", () => {
      list.splice(index, 1);
      showKept(ctx, list, role, anchor, title);
    });
    li.appendChild(drop);
    ul.appendChild(li);
  });
  box.append(heading, ul);
}

async function loadFix(ctx, id) {
  const form = ctx.form;
  const item = await getItem(id);
  if (!item) {
    say(form, t("Không còn mục này trong hộp thư đi; đây là một minh chứng mới."));
    startFresh(ctx);
    return;
  }
  ctx.fixing = {id: item.id, createdAt: item.createdAt, attachments: (item.attachments || []).slice()};
  ctx.photos = (item.photos || []).map((p) => ({...p, kept: true}));
  ctx.keptAttachments = ctx.fixing.attachments;
  for (const [name, value] of fieldsToRestore(item.fields)) {
    const input = form.elements.namedItem(name);
    if (input && input.type !== "file") input.value = value;
  }
  // A 409 means the key is taken on the server: the corrected item must go under a new one.
  form.elements.client_uuid.value = item.newKey ? newKey() : item.id;
  const loose = showErrors(form, item.fieldErrors || {});
  say(form, [item.message, t("Sửa các mục được đánh dấu rồi bấm gửi; ảnh đã chụp vẫn được giữ.")]
    .concat(loose).filter(Boolean).join(" "));
  showPhotos(ctx);
  const fileInput = form.querySelector("#f-attachment");
  if (fileInput) {
    showKept(ctx, ctx.fixing.attachments, "attachment", fileInput.closest(".field"), t("Tệp đã lưu trong hộp thư đi"));
  }
  watchLocation(ctx);
}

function startFresh(ctx) {
  // The page may come from the service worker's cache: its key was used before.
  ctx.form.elements.client_uuid.value = newKey();
  watchLocation(ctx);
}

// ---- submitting: to the outbox first ----
async function collect(ctx) {
  const form = ctx.form;
  const fields = keptFields(new FormData(form)); // as they were when the officer pressed send
  const photos = ctx.photos.map((entry) => (entry.kept
    ? {blob: entry.blob, name: entry.name, meta: entry.meta, originalBytes: entry.originalBytes}
    : {blob: entry.blob, name: entry.name, meta: JSON.stringify(metaToSend(entry)),
      originalBytes: entry.originalBytes}));
  let attachments = ctx.fixing ? ctx.fixing.attachments.slice() : [];
  const attachInput = form.querySelector("#f-attachment");
  if (attachInput && attachInput.files.length) {
    attachments = Array.from(attachInput.files, (f) => ({blob: f, name: f.name}));
  }
  return {
    id: form.elements.client_uuid.value, user: config().user, api: form.dataset.api,
    formUrl: location.pathname + location.search, taskTitle: form.dataset.taskTitle || "",
    taskId: form.elements.task_id.value, kind: form.elements.kind.value,
    createdAt: ctx.fixing ? ctx.fixing.createdAt : new Date().toISOString(),
    fields, photos, attachments,
    state: "waiting", attempts: 0, message: "", fieldErrors: {},
  };
}

// The direct post (no outbox on this phone) sends the picked photos through the gallery input.
function putBackPhotos(ctx) {
  const input = ctx.form.querySelector("#f-photo");
  if (!input || !ctx.photos.length || typeof DataTransfer === "undefined") return;
  const files = new DataTransfer();
  for (const entry of ctx.photos) files.items.add(new File([entry.blob], entry.name, {type: entry.blob.type}));
  input.files = files.files;
  const camera = ctx.form.querySelector("#f-photo-camera");
  if (camera) camera.disabled = true;
}

async function submit(ctx) {
  const form = ctx.form;
  if (ctx.busy) return;
  // What is missing is said at the roadside, not hours later from the outbox.
  await ctx.preparing;
  const gaps = {...refused(form.querySelectorAll("[data-check]")),
    ...missing(form.querySelectorAll("[data-required]"), ctx.photos.length)};
  clearErrors(form, "missing");
  if (Object.keys(gaps).length) {
    showErrors(form, gaps, "missing");
    say(form, t("Thông tin chưa hợp lệ, hãy sửa các mục được đánh dấu."));
    const first = Array.from(form.querySelectorAll("[id^='f-']")).find((c) => c.id === `f-${c.name}` && c.name in gaps);
    (first || form.querySelector(`#f-${Object.keys(gaps)[0]}`)).focus();
    return;
  }
  ctx.busy = true;
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const item = await collect(ctx);
    say(form, t("Đang lưu vào hộp thư đi…"));
    await save(item);
    keepLast(form);
    if (ctx.fixing && ctx.fixing.id !== item.id) await discard(ctx.fixing.id); // only once the new one is safe
    form.dataset.sent = "yes";
    location.assign(config().outbox);
  } catch (error) {
    console.error("capture: could not keep the item on the phone", error);
    say(form, t("Không lưu được trên máy ({error}).", {error: (error && error.name) || error}));
    if (navigator.onLine && !ctx.fixing) {
      say(form, t("Đang gửi thẳng lên máy chủ…"));
      putBackPhotos(ctx);
      HTMLFormElement.prototype.submit.call(form); // the server downscales and checks it
      return;
    }
    ctx.busy = false;
    button.disabled = false;
  }
}

/** Takes over the capture form on the page, once. */
export function init() {
  const form = document.querySelector("form.capture[data-api]");
  if (!form || form.dataset.outbox || !config().user || !available()) return;
  form.dataset.outbox = "on";
  const status = document.createElement("p");
  status.className = "capture-status"; status.setAttribute("role", "status");
  form.querySelector('button[type="submit"]').before(status);
  const ctx = {form, fix: null, fixing: null, photos: [], keptAttachments: [], busy: false, loading: null,
    preparing: Promise.resolve()};
  contexts.set(form, ctx);
  watchPhotos(ctx);
  const fixing = fixingId(location.hash);
  if (!fixing) offerRepeat(ctx);
  ctx.loading = (fixing ? loadFix(ctx, fixing) : Promise.resolve(startFresh(ctx)))
    .catch((error) => { console.error("capture: outbox unreadable", error); startFresh(ctx); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.loading.then(() => submit(ctx));
  });
}

let started = false;
/** Once per document: the form now, and again whenever htmx brings one in. */
export function start() {
  if (started) return;
  started = true;
  const both = () => { init(); watchDate(); };
  document.addEventListener("htmx:load", both);
  both();
  // Back from the outbox, the browser may show this very page again from memory, key and
  // all: a fresh copy gets a fresh key, so the next submission is not taken for the last.
  addEventListener("pageshow", (event) => {
    if (event.persisted && document.querySelector("form.capture[data-sent]")) location.reload();
  });
}

// Run by the page; Node imports this file for its pure functions only.
if (globalThis.document) start();
