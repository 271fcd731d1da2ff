// The page's htmx modal (#k-modal, templates/partials/modal.html): a small form swapped into
// #k-modal-content shows it and takes the focus (the first invalid field, else the first field);
// the server's "kontora-modal-close" trigger hides it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var modalEl = document.getElementById("k-modal");
    if (!modalEl) { return; }
    var focusable = modalEl.getAttribute("data-focus") || ".is-invalid, input:not([type=hidden])";
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target.id !== "k-modal-content") { return; }
      bootstrap.Modal.getOrCreateInstance(modalEl).show();
      var first = modalEl.querySelector(focusable);
      if (first) { setTimeout(function () { first.focus(); }, 150); }
    });
    document.body.addEventListener("kontora-modal-close", function () {
      bootstrap.Modal.getOrCreateInstance(modalEl).hide();
    });
  });
})();
