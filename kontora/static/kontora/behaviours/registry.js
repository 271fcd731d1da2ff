/*
 * registry: the client registry of the main window (clients/registry.html, data-k-registry-marks="<url>").
 * Marks live in the session, so they survive paging and reach group processing: Space on a row (keys.js fires
 * "k:marked") sends the mark as an htmx request, whose answer is the "Marked: N" counter. "Clear marks" answers
 * with the "k:registry-unmarked" event, which takes the marks off the rows shown. A quick-find answer puts the
 * cursor on the best match: it is scrolled into view. Enter in the quick-find box only leaves it, so that the
 * arrows move the row cursor again.
 */
(function () {
  "use strict";

  document.addEventListener("k:marked", function (event) {
    var row = event.target.closest("[data-row]");
    var registry = row && row.closest("[data-k-registry-marks]");
    if (!registry) return;
    window.htmx.ajax("POST", registry.getAttribute("data-k-registry-marks"), {
      source: row, target: "#k-registry-marked", swap: "innerHTML",
      values: { id: row.getAttribute("data-id"), marked: event.detail.marked ? "true" : "false" }
    });
  });

  document.addEventListener("k:registry-unmarked", function () {
    document.querySelectorAll("[data-k-registry-marks] [data-row].k-marked").forEach(function (row) {
      row.classList.remove("k-marked");
      row.setAttribute("aria-selected", "false");
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "k-registry-body") return;
    var focused = event.detail.target.querySelector("[data-row].k-focus");
    if (focused) focused.scrollIntoView({ block: "nearest" });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.hasAttribute || !event.target.hasAttribute("data-k-registry-find")) return;
    event.preventDefault();
    event.target.blur();
  });
})();
