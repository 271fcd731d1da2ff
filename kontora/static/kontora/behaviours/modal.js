/*
 * Modals filled by htmx: a Bootstrap .modal marked data-k-modal (templates/partials/modal.html, the
 * nomenclature's dialogs). An answer swapped into its .modal-content shows it and puts the focus on the
 * first match of data-k-modal-focus (default: the first invalid field, else the first field); the server's
 * "kontora-modal-close" trigger hides the open ones.
 */
(function () {
  "use strict";

  var FOCUS = ".is-invalid, input:not([type=hidden])";

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target.classList || !target.classList.contains("modal-content")) return;
    var modal = target.closest("[data-k-modal]");
    if (!modal) return;
    window.bootstrap.Modal.getOrCreateInstance(modal).show();
    var first = modal.querySelector(modal.getAttribute("data-k-modal-focus") || FOCUS);
    // After the opening animation has started: Bootstrap moves the focus to the dialog itself first.
    if (first) setTimeout(function () { first.focus(); }, 150);
  });

  document.addEventListener("kontora-modal-close", function () {
    document.querySelectorAll("[data-k-modal].show").forEach(function (modal) {
      window.bootstrap.Modal.getOrCreateInstance(modal).hide();
    });
  });
})();
