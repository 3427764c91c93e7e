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
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = document.getElementById(event.detail.target.id);
    if (swapped && swapped.classList.contains("review-row") && !swapped.querySelector(".flash-error")) {
      var all = rows();
      focusRow(all[all.indexOf(swapped) + 1] || swapped);
    }
  });
})();
