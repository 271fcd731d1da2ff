/*
 * panels: the main window's side panels (core/home.html, details[data-k-panel="assistant|informer"]) are kept as
 * the user leaves them: showing or hiding one posts its state to data-k-panel-url, which keeps it for the user in
 * the base, so every page and every computer he signs in on draws it so. The Informer's «Don't show at start» box
 * (data-k-panel-hides) is that same state and follows it.
 */
(function () {
  "use strict";

  document.addEventListener("toggle", function (event) {
    var panel = event.target;
    if (!panel.matches || !panel.matches("details[data-k-panel]") || !window.htmx) return;
    var shown = panel.open ? "1" : "0";
    // data-k-panel-shown is the state as kept: the page drew it so (Chromium reports a details drawn open as a
    // toggle too), or it was posted already.
    if (panel.getAttribute("data-k-panel-shown") === shown) return;
    panel.setAttribute("data-k-panel-shown", shown);
    panel.querySelectorAll("input[data-k-panel-hides]").forEach(function (box) { box.checked = !panel.open; });
    window.htmx.ajax("POST", panel.getAttribute("data-k-panel-url"), {
      source: panel, swap: "none", values: { panel: panel.getAttribute("data-k-panel"), open: shown }
    });
  }, true);
})();
