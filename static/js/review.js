// The review queue's keyboard: j/k move between items, a approves, r opens "return".
// After an inline decision the next item gets the focus, so a reviewer never reaches for
// the mouse on the plain cases.
(function () {
  "use strict";
  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".review-row")); }
  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".review-row") : null;
  }
  function focusRow(row) {
    if (!row) { return; }
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }
  function step(delta) {
    var all = rows();
    var index = all.indexOf(current());
    focusRow(all[Math.min(Math.max(index + delta, 0), all.length - 1)] || all[0]);
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var row = current();
    if (event.key === "j") { step(1); event.preventDefault(); }
    else if (event.key === "k") { step(-1); event.preventDefault(); }
    else if (event.key === "a" && row) {
      var approve = row.querySelector(".approve-form button");
      if (approve) { approve.click(); event.preventDefault(); }
    } else if (event.key === "r" && row) {
      var pick = row.querySelector(".return-form select");
      if (pick) { pick.focus(); event.preventDefault(); }
    }
  });
  // The kind picker offers only the kinds the chosen task takes. This runs on the task
  // picker itself, before the change bubbles to the form and htmx sends the filters, so a
  // kind the new task never takes is cleared rather than sent for an empty list.
  document.addEventListener("change", function (event) {
    var task = event.target;
    if (!task.matches || !task.matches("form.filters select[name=task]")) { return; }
    var kind = task.form.querySelector("select[name=kind]");
    if (!kind) { return; }
    var chosen = task.options[task.selectedIndex];
    var takes = chosen && chosen.value ? (chosen.getAttribute("data-kinds") || "").split(" ") : null;
    Array.prototype.forEach.call(kind.options, function (option) {
      var off = Boolean(option.value && takes && takes.indexOf(option.value) < 0);
      option.hidden = off;
      option.disabled = off;
    });
    if (kind.selectedOptions.length && kind.selectedOptions[0].disabled) { kind.value = ""; }
  }, true);
  // A filtered view is bookmarked or sent on Zalo by its address: leave out the empty
  // filters, so it reads "/review?task=9&status=all" rather than a row of "unit=&kind=&".
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches || !event.detail.elt.matches("form.filters")) { return; }
    var data = event.detail.formData; // htmx 2: the FormData the request is built from
    Array.from(data.keys()).forEach(function (name) {
      if (data.get(name) === "") { data.delete(name); }
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = document.getElementById(event.detail.target.id);
    if (swapped && swapped.classList.contains("review-row") && !swapped.querySelector(".flash-error")) {
      var all = rows();
      focusRow(all[all.indexOf(swapped) + 1] || swapped);
    }
  });
})();
