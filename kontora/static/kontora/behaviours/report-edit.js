/*
 * report-edit: the edit page of a report (RPT-06). Editable elements carry data-k-edit (title, columns, groups,
 * cells) and data-k-place; when the form with data-k-report-edit is sent, the texts changed since the page was drawn
 * go into its hidden input data-k-edits as JSON — nothing else: the server holds the report itself, signed.
 */
(function () {
  "use strict";

  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-k-edit") && !el.hasAttribute("data-k-was")) {
      el.setAttribute("data-k-was", el.textContent);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-k-report-edit")) return;
    var edits = { cells: {}, groups: {}, columns: {} };
    document.querySelectorAll("[data-k-edit][data-k-was]").forEach(function (el) {
      var text = el.innerText.replace(/\n$/, "");
      if (text === el.getAttribute("data-k-was")) return;
      var part = el.getAttribute("data-k-edit");
      if (part === "title") edits.title = text;
      else edits[part][el.getAttribute("data-k-place")] = text;
    });
    form.querySelector("[data-k-edits]").value = JSON.stringify(edits);
  });
})();
