// A date outside the plan's year, or long past, said beside the capture form's date before
// anything is kept. Both are only warnings (the server warns the reviewer too), and the words
// are the server's own, in the field's data-outside and data-late.

const DAY_MS = 86400000;

/** "outside" the plan's year, "late" (more than lateDays ago), or "" for a date that is fine.
 * The value is a datetime-local's "2024-03-20T09:00"; planStart/planEnd are ISO days. */
export function dateNotice(value, {planStart, planEnd, lateDays}, now = Date.now()) {
  const day = value.slice(0, 10);
  if (!day) return "";
  if (day < planStart || day > planEnd) return "outside";
  if (now - new Date(value).getTime() > Number(lateDays) * DAY_MS) return "late";
  return "";
}

function showNotice(input) {
  const notice = input.closest(".field").querySelector(".date-notice");
  const kind = dateNotice(input.value, input.dataset);
  const text = kind ? input.dataset[kind] : "";
  notice.textContent = text;
  notice.hidden = !text;
}

/** Watches the capture form's date, once per form, whether or not the outbox is there. */
export function watchDate() {
  const input = document.querySelector("#f-occurred_at[data-plan-start]");
  if (!input || input.dataset.watched) return;
  input.dataset.watched = "yes";
  for (const name of ["input", "change"]) input.addEventListener(name, () => showNotice(input));
  showNotice(input);
}
