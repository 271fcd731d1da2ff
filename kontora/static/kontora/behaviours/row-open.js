/*
 * row-open: data-k-row-open="<url>" on a list row loads that url with htmx into data-k-row-target on a double
 * click, as the desktop program enters a folder; a single click stays the row's own (its properties).
 * Rows that open a page of their own use keys.js's data-href instead.
 */
(function () {
  "use strict";

  document.addEventListener("dblclick", function (event) {
    var row = event.target.closest && event.target.closest("[data-k-row-open]");
    if (!row || event.target.closest("a, button, input, select, textarea")) return;
    window.htmx.ajax("GET", row.getAttribute("data-k-row-open"), {
      source: row, target: row.getAttribute("data-k-row-target"), swap: "innerHTML"
    });
  });
})();
