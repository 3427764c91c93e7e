// The review queue's keyboard: j/k move between items, a approves, r opens "return".
// After an inline decision the next item gets the focus, so a reviewer never reaches for
// the mouse on the plain cases. The queue page loads this module; its listeners sit on the
// document, so they serve any queue htmx brings in later.

const rows = () => Array.from(document.querySelectorAll(".review-row"));
const current = () => document.activeElement?.closest?.(".review-row") || null;

function focusRow(row) {
  if (!row) return;
  row.focus();
  row.scrollIntoView({block: "nearest"});
}

/** The row index `delta` steps from `index` (-1: none focused), kept inside the list. */
export function stepIndex(index, delta, count) {
  return Math.min(Math.max(index + delta, 0), count - 1);
}

function step(delta) {
  const all = rows();
  focusRow(all[stepIndex(all.indexOf(current()), delta, all.length)] || all[0]);
}

function onKey(event) {
  const tag = (event.target.tagName || "").toLowerCase();
  const typing = tag === "input" || tag === "select" || tag === "textarea";
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const row = current();
  if (event.key === "j") { step(1); event.preventDefault(); }
  else if (event.key === "k") { step(-1); event.preventDefault(); }
  else if (event.key === "a" && row) {
    const approve = row.querySelector(".approve-form button");
    if (approve) { approve.click(); event.preventDefault(); }
  } else if (event.key === "r" && row) {
    const pick = row.querySelector(".return-form select");
    if (pick) { pick.focus(); event.preventDefault(); }
  }
}

/** Whether a kind option stays on offer for a task taking `takes` (null: no task chosen). */
export function kindOffered(kind, takes) {
  return !kind || !takes || takes.includes(kind);
}

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

function focusNextAfterDecision(event) {
  const swapped = document.getElementById(event.detail.target.id);
  if (swapped && swapped.classList.contains("review-row") && !swapped.querySelector(".flash-error")) {
    const all = rows();
    focusRow(all[all.indexOf(swapped) + 1] || swapped);
  }
}

let started = false;
export function start() {
  if (started) return;
  started = true;
  document.addEventListener("keydown", onKey);
  document.addEventListener("change", onTaskChange, true);
  document.addEventListener("htmx:configRequest", dropEmptyFilters);
  document.addEventListener("htmx:afterSwap", focusNextAfterDecision);
}

// Run by the page; Node imports this file for its pure functions only.
if (globalThis.document) start();
