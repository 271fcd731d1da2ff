/*
 * confirm: data-k-confirm="<question>" asks before going on. On a <form> it guards the submit (whichever
 * button, Ctrl+Enter included); on another element (a button, a link) the click. Declining stops the event
 * before anything else sees it. htmx requests use htmx's own hx-confirm instead.
 */
(function () {
  "use strict";

  function declined(el) {
    return !window.confirm(el.getAttribute("data-k-confirm"));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-k-confirm")) return;
    if (declined(form)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-k-confirm]:not(form)");
    if (el && declined(el)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
