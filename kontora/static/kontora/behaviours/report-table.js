/*
 * report-table: a report's table on screen. A click (or Enter) on a column heading with data-k-sort sorts the rows
 * by that column — within each group, the subtotal and total rows staying where they are — and a second click
 * reverses; a click on a group's heading (data-k-group-head) folds and unfolds its rows (data-k-group).
 */
(function () {
  "use strict";

  function key(cell, kind) {
    var text = cell ? cell.textContent.trim() : "";
    if (kind === "date" || kind === "datetime") {
      var m = text.match(/^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2}))?$/);
      return m ? m[3] + m[2] + m[1] + (m[4] || "00") + (m[5] || "00") : "";
    }
    if (kind === "text") return text.toLocaleLowerCase();
    var number = parseFloat(text.replace(/[\s\u00a0%]/g, "").replace(",", "."));
    return isNaN(number) ? -Infinity : number;
  }

  function sortBy(th) {
    var table = th.closest("table");
    var body = table && table.tBodies[0];
    if (!body) return;
    var index = parseInt(th.getAttribute("data-k-sort"), 10);
    var kind = th.getAttribute("data-k-sort-kind");
    var descending = th.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th[data-k-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    // Runs of plain rows between fixed rows (group headings, subtotals, the total) are sorted each on its own.
    var rows = Array.prototype.slice.call(body.rows);
    var run = [];
    function flush(before) {
      run.sort(function (a, b) {
        var x = key(a.cells[index], kind), y = key(b.cells[index], kind);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -order : order;
      });
      run.forEach(function (row) { body.insertBefore(row, before); });
      run = [];
    }
    rows.forEach(function (row) {
      if (row.getAttribute("data-testid") === "report-row") run.push(row);
      else flush(row);
    });
    flush(null);
  }

  function fold(head) {
    var group = head.getAttribute("data-k-group-head");
    var open = head.getAttribute("aria-expanded") !== "false";
    head.setAttribute("aria-expanded", open ? "false" : "true");
    head.closest("tbody").querySelectorAll('[data-k-group="' + group + '"]').forEach(function (row) {
      row.classList.toggle("d-none", open);
    });
  }

  function act(target) {
    var th = target.closest("th[data-k-sort]");
    if (th) { sortBy(th); return true; }
    var head = target.closest("[data-k-group-head]");
    if (head) { fold(head); return true; }
    return false;
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest) act(event.target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.closest) return;
    if (event.target.matches("th[data-k-sort], [data-k-group-head]") && act(event.target)) event.preventDefault();
  });
})();
