/*
 * fortnight: the two-week planner's cells (data-k-day-tasks="<url of the day's tasks>"). The right button on a cell
 * loads that user's tasks of the day (an htmx fragment) into the page's menu (#k-fortnight-menu) and shows it at the
 * pointer; keys.js closes it (a click elsewhere, Esc) as it closes a list's row menu (class k-row-menu).
 */
(function () {
  "use strict";

  function place(menu, x, y) {
    menu.classList.add("k-row-menu", "show");
    menu.style.position = "fixed";
    menu.style.left = x + "px";
    menu.style.top = y + "px";
    var rect = menu.getBoundingClientRect();
    if (rect.bottom > window.innerHeight) menu.style.top = Math.max(0, window.innerHeight - rect.height) + "px";
    if (rect.right > window.innerWidth) menu.style.left = Math.max(0, x - rect.width) + "px";
  }

  document.addEventListener("contextmenu", function (event) {
    var cell = event.target.closest && event.target.closest("[data-k-day-tasks]");
    var menu = document.getElementById("k-fortnight-menu");
    if (!cell || !menu || !window.htmx) return;
    event.preventDefault();
    var x = event.clientX;
    var y = event.clientY;
    window.htmx.ajax("GET", cell.getAttribute("data-k-day-tasks"), { target: menu, swap: "innerHTML" })
      .then(function () { place(menu, x, y); });
  });
})();
