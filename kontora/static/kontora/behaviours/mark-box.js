/*
 * mark-box: a check box with data-k-mark-box inside a list row ([data-row]) mirrors the row's mark: Space
 * (keys.js) ticks it, and ticking it marks the row — what "Move marked" and other group actions send.
 */
(function () {
  "use strict";

  document.addEventListener("k:marked", function (event) {
    var box = event.target.querySelector("[data-k-mark-box]");
    if (box) box.checked = event.target.classList.contains("k-marked");
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.hasAttribute || !box.hasAttribute("data-k-mark-box")) return;
    var row = box.closest("[data-row]");
    if (!row) return;
    row.classList.toggle("k-marked", box.checked);
    row.setAttribute("aria-selected", box.checked ? "true" : "false");
  });
})();
