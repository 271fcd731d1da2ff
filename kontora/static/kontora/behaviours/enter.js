/*
 * enter: data-k-enter on a field turns the Enter key into the "k-enter" event on it (and keeps Enter from
 * doing anything else), so htmx can send on Enter with hx-trigger="k-enter" — a trigger filter such as
 * keydown[key=='Enter'] would need eval, which the Content-Security-Policy forbids.
 */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var field = event.target.closest && event.target.closest("[data-k-enter]");
    if (!field) return;
    event.preventDefault();
    field.dispatchEvent(new CustomEvent("k-enter", { bubbles: true }));
  });
})();
