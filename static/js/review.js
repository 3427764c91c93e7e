// The review queue. Keys: j/k move between items, a approves, r opens "return", Enter shows
// the item's photos. After an inline decision the next item gets the focus, so a reviewer never
// reaches for the mouse on the plain cases. The filters fold away (remembered); the return form
// is sent once, in a <template>, and put into the row asked; the selection bar counts what is
// picked; a decision can be undone for a few seconds; photos open in a lightbox (keys, swipes),
// and a duplicate warning opens the two photos side by side. At 1024 px and wider the list sits
// beside the open item. The page loads this module; its listeners sit on the document, so they
// serve any queue htmx brings in later.

import {t} from "./i18n.js";

const FOLD_KEY = "wardapp.review.filters";
const WIDE = "(min-width: 1024px)";
const rows = () => Array.from(document.querySelectorAll(".review-row"));
const current = () =>
  document.activeElement?.closest?.(".review-row") || document.querySelector(".review-list.split .review-row.open");

/** The row index `delta` steps from `index` (-1: none focused), kept inside the list. */
export function stepIndex(index, delta, count) {
  return Math.min(Math.max(index + delta, 0), count - 1);
}

/** Which way a swipe went: "left", "right", "up", "down", or null for a tap or a wobble. */
export function swipeDirection(dx, dy, least = 50) {
  if (Math.abs(dx) < least && Math.abs(dy) < least) return null;
  if (Math.abs(dx) >= Math.abs(dy) * 1.5) return dx < 0 ? "left" : "right";
  if (Math.abs(dy) >= Math.abs(dx) * 1.5) return dy < 0 ? "up" : "down";
  return null;
}

/** The photo `delta` steps from `index` among `count`, or -1 past either end. */
export function photoStep(index, delta, count) {
  const next = index + delta;
  return next >= 0 && next < count ? next : -1;
}

/** Whether a kind option stays on offer for a task taking `takes` (null: no task chosen). */
export function kindOffered(kind, takes) {
  return !kind || !takes || takes.includes(kind);
}

// --- rows: focus, the open item beside the list -------------------------------------------

function wide() {
  return globalThis.matchMedia?.(WIDE).matches;
}

function openRow(row) {
  for (const other of document.querySelectorAll(".review-row.open")) {
    if (other !== row) other.classList.remove("open");
  }
  row?.classList.add("open");
}

function focusRow(row) {
  if (!row) return;
  openRow(row);
  row.focus({preventScroll: true});
  row.scrollIntoView({block: "nearest"});
}

function step(delta) {
  const all = rows();
  const focused = document.activeElement?.closest?.(".review-row");
  if (!focused) { focusRow(document.querySelector(".review-row.open") || all[0]); return; } // the first press lands
  focusRow(all[stepIndex(all.indexOf(focused), delta, all.length)] || all[0]);
}

function layout() {
  const list = document.getElementById("review-list");
  if (!list) return;
  list.classList.toggle("split", Boolean(wide()));
  if (!list.querySelector(".review-row.open")) openRow(list.querySelector(".review-row"));
}

function onRowClick(event) {
  const row = event.target.closest?.(".review-list.split .review-row");
  if (!row || row.classList.contains("open")) return;
  if (event.target.closest("a, button, input, label, select, summary")) return;
  focusRow(row);
}

// --- the return form ----------------------------------------------------------------------

function openReturn(row) {
  const link = row?.querySelector(".return-open");
  const template = document.getElementById("return-template");
  if (!link || !template) return false;
  let form = row.querySelector(".return-form");
  if (!form) {
    form = template.content.firstElementChild.cloneNode(true);
    form.action = link.dataset.action;
    form.setAttribute("hx-post", link.dataset.action);
    form.setAttribute("hx-target", `#${row.id}`);
    form.setAttribute("hx-swap", "outerHTML");
    form.elements.version.value = link.dataset.version;
    form.elements.next.value = link.dataset.next;
    row.querySelector(".decisions").after(form);
    globalThis.htmx?.process(form);
  }
  link.hidden = true;
  form.querySelector("input[name=reason_pick]")?.focus();
  return true;
}

function onReturnClick(event) {
  const link = event.target.closest?.(".return-open");
  if (link && openReturn(link.closest(".review-row"))) event.preventDefault();
  const cancel = event.target.closest?.("[data-cancel-return]");
  if (cancel) {
    const row = cancel.closest(".review-row");
    cancel.closest(".return-form").remove();
    const again = row?.querySelector(".return-open");
    if (again) { again.hidden = false; again.focus(); }
  }
}

// --- the selection bar --------------------------------------------------------------------

function updateSelection() {
  const bar = document.getElementById("select-bar");
  if (!bar) return;
  const picked = document.querySelectorAll(".review-row .pick:checked").length;
  bar.dataset.count = String(picked);
  bar.querySelector(".selected-n").textContent = String(picked);
  bar.querySelector(".clear-picks").hidden = picked === 0;
}

function onSelectionClick(event) {
  if (!event.target.closest?.(".clear-picks")) return;
  for (const box of document.querySelectorAll(".review-row .pick:checked")) box.checked = false;
  updateSelection();
}

// --- undo, for a few seconds --------------------------------------------------------------

function startUndo(root) {
  for (const form of root.querySelectorAll?.(".undo-form[data-seconds]") || []) {
    if (form.dataset.started) continue;
    form.dataset.started = "1";
    const button = form.querySelector("button");
    const label = button.textContent;
    let left = Number(form.dataset.seconds) || 10;
    button.textContent = `${label} (${left})`;
    const timer = setInterval(() => {
      left -= 1;
      if (!form.isConnected) { clearInterval(timer); return; }
      if (left <= 0) { clearInterval(timer); form.remove(); return; }
      button.textContent = `${label} (${left})`;
    }, 1000);
  }
}

// --- the lightbox -------------------------------------------------------------------------

const box = {row: null, index: 0, advance: false};

function lightbox() {
  return document.getElementById("lightbox");
}

function photosOf(row) {
  return row ? Array.from(row.querySelectorAll("a[data-photo]")) : [];
}

function show(row, index) {
  const dialog = lightbox();
  const photos = photosOf(row);
  if (!dialog || !photos.length) return false;
  box.row = row;
  box.index = Math.min(Math.max(index, 0), photos.length - 1);
  const [image, other] = dialog.querySelectorAll(".lb-img");
  image.src = photos[box.index].getAttribute("href");
  image.alt = photos[box.index].dataset.caption || "";
  other.hidden = true;
  other.removeAttribute("src");
  dialog.querySelector(".lb-stage").classList.remove("compare");
  dialog.querySelector(".lb-caption").textContent = photos[box.index].dataset.caption || "";
  dialog.querySelector("[data-lb=approve]")?.toggleAttribute("disabled", !row.querySelector(".approve-form"));
  dialog.querySelector("[data-lb=return]")?.toggleAttribute("disabled", !row.querySelector(".return-open"));
  openRow(row);
  if (!dialog.open) dialog.showModal();
  return true;
}

function compare(link) {
  const dialog = lightbox();
  if (!dialog) return false;
  const [left, right] = link.dataset.compare.split(" ");
  const [image, other] = dialog.querySelectorAll(".lb-img");
  box.row = link.closest(".review-row");
  image.src = left;
  other.src = right;
  other.hidden = false;
  image.alt = t("Ảnh của minh chứng này");
  other.alt = t("Ảnh đã nộp trước đó");
  dialog.querySelector(".lb-stage").classList.add("compare");
  dialog.querySelector(".lb-caption").textContent = link.dataset.caption || "";
  if (!dialog.open) dialog.showModal();
  return true;
}

function nextItem(delta) {
  const all = rows();
  let i = all.indexOf(box.row);
  while ((i = i + delta) >= 0 && i < all.length) {
    if (photosOf(all[i]).length) return show(all[i], 0);
  }
  lightbox()?.close();
  focusRow(all[stepIndex(all.indexOf(box.row), delta, all.length)]);
  return false;
}

function photo(delta) {
  const next = photoStep(box.index, delta, photosOf(box.row).length);
  if (next === -1) nextItem(delta);
  else show(box.row, next);
}

function act(action) {
  const dialog = lightbox();
  if (action === "prev") photo(-1);
  else if (action === "next") photo(1);
  else if (action === "next-item") nextItem(1);
  else if (action === "prev-item") nextItem(-1);
  else if (action === "close") dialog.close();
  else if (action === "approve") {
    const approve = box.row?.querySelector(".approve-form button");
    if (approve) { box.advance = true; approve.click(); }
  } else if (action === "return") {
    const row = box.row;
    dialog.close();
    focusRow(row);
    openReturn(row);
  }
}

function onLightboxClick(event) {
  const thumb = event.target.closest?.("a[data-photo]");
  if (thumb) {
    const row = thumb.closest(".review-row");
    if (show(row, photosOf(row).indexOf(thumb))) event.preventDefault();
    return;
  }
  const pair = event.target.closest?.("a.compare[data-compare]");
  if (pair && compare(pair)) { event.preventDefault(); return; }
  const control = event.target.closest?.("#lightbox [data-lb]");
  if (control) act(control.dataset.lb);
  else if (event.target === lightbox()) lightbox().close(); // a tap on the backdrop
}

const LIGHTBOX_KEYS = {
  ArrowRight: "next", ArrowLeft: "prev", j: "next-item", ArrowDown: "next-item",
  k: "prev-item", ArrowUp: "prev-item", a: "approve", r: "return",
};

let touch = null;
function onPointerDown(event) {
  if (event.target.closest?.("#lightbox .lb-stage")) touch = {x: event.clientX, y: event.clientY};
}
function onPointerUp(event) {
  if (!touch) return;
  const way = swipeDirection(event.clientX - touch.x, event.clientY - touch.y);
  touch = null;
  if (way) act({left: "next", right: "prev", up: "next-item", down: "prev-item"}[way]);
}

// --- keys ---------------------------------------------------------------------------------

function onKey(event) {
  const tag = (event.target.tagName || "").toLowerCase();
  const typing = tag === "input" && !["checkbox", "radio"].includes(event.target.type) || tag === "select" || tag === "textarea";
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (lightbox()?.open) {
    const action = LIGHTBOX_KEYS[event.key];
    if (action) { act(action); event.preventDefault(); }
    return;
  }
  if (tag === "input") return;
  const row = current();
  if (event.key === "j") { step(1); event.preventDefault(); }
  else if (event.key === "k") { step(-1); event.preventDefault(); }
  else if (event.key === "a" && row) {
    const approve = row.querySelector(".approve-form button");
    if (approve) { approve.click(); event.preventDefault(); }
  } else if (event.key === "r" && row) {
    if (openReturn(row)) event.preventDefault();
  } else if (event.key === "Enter" && row && event.target === row) {
    if (show(row, 0)) event.preventDefault();
  }
}

// --- filters ------------------------------------------------------------------------------

// The kind picker offers only the kinds the chosen task takes. This runs on the task picker
// itself, before the change bubbles to the form and htmx sends the filters, so a kind the new
// task never takes is cleared rather than sent for an empty list.
function onTaskChange(event) {
  const task = event.target;
  if (!task.matches?.("form.filters select[name=task]")) return;
  const kind = task.form.querySelector("select[name=kind]");
  if (!kind) return;
  const chosen = task.options[task.selectedIndex];
  const takes = chosen && chosen.value ? (chosen.getAttribute("data-kinds") || "").split(" ") : null;
  for (const option of kind.options) {
    const off = !kindOffered(option.value, takes);
    option.hidden = off;
    option.disabled = off;
  }
  if (kind.selectedOptions.length && kind.selectedOptions[0].disabled) kind.value = "";
}

// A filtered view is bookmarked or sent on Zalo by its address: leave out the empty filters,
// so it reads "/review?task=9&status=all" rather than a row of "unit=&kind=&".
function dropEmptyFilters(event) {
  if (!event.detail.elt.matches?.("form.filters")) return;
  const data = event.detail.formData; // htmx 2: the FormData the request is built from
  for (const name of Array.from(data.keys())) {
    if (data.get(name) === "") data.delete(name);
  }
}

function rememberFold() {
  const fold = document.getElementById("filters-fold");
  if (!fold || fold.dataset.remembered) return;
  fold.dataset.remembered = "1";
  let saved = null;
  try { saved = globalThis.localStorage?.getItem(FOLD_KEY); } catch { saved = null; }
  if (saved === "open") fold.open = true;
  else if (saved === "closed") fold.open = false;
  fold.addEventListener("toggle", () => {
    try { globalThis.localStorage?.setItem(FOLD_KEY, fold.open ? "open" : "closed"); } catch { /* private mode */ }
  });
}

// --- after htmx swaps ---------------------------------------------------------------------

function afterSwap(event) {
  const swapped = document.getElementById(event.detail.target.id);
  if (swapped && swapped.classList.contains("review-row")) {
    const failed = swapped.querySelector(".flash-error");
    if (box.advance && lightbox()?.open) {
      box.advance = false;
      box.row = swapped;
      if (!failed) nextItem(1);
    } else if (!failed) {
      const all = rows();
      focusRow(all[all.indexOf(swapped) + 1] || swapped);
    } else {
      focusRow(swapped);
    }
  }
  prepare();
}

function prepare() {
  rememberFold();
  layout();
  updateSelection();
  startUndo(document);
}

let started = false;
export function start() {
  if (started) return;
  started = true;
  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onReturnClick);
  document.addEventListener("click", onLightboxClick);
  document.addEventListener("click", onSelectionClick);
  document.addEventListener("click", onRowClick);
  document.addEventListener("change", onTaskChange, true);
  document.addEventListener("change", (event) => { if (event.target.matches?.(".pick")) updateSelection(); });
  document.addEventListener("pointerdown", onPointerDown);
  document.addEventListener("pointerup", onPointerUp);
  document.addEventListener("htmx:configRequest", dropEmptyFilters);
  document.addEventListener("htmx:afterSwap", afterSwap);
  document.addEventListener("htmx:load", prepare);
  globalThis.matchMedia?.(WIDE).addEventListener?.("change", layout);
  prepare();
}

// Run by the page; Node imports this file for its pure functions only.
if (globalThis.document) start();
