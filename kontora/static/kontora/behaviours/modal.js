/*
 * Modals filled by htmx: a Bootstrap .modal marked data-k-modal (templates/partials/modal.html, the picker's cards,
 * the nomenclature's dialogs). An answer settled into its .modal-content shows it and puts the focus on the first
 * field that matches data-k-modal-focus, a list of selectors tried in order (default: the first invalid field,
 * else the first field); the server's "kontora-modal-close" trigger hides the open ones.
 */
(function () {
  "use strict";

  var FOCUS = ".is-invalid, input:not([type=hidden])";

  function preferred(modal) {
    var choices = (modal.getAttribute("data-k-modal-focus") || FOCUS).split(",");
    for (var i = 0; i < choices.length; i++) {
      var found = modal.querySelector(choices[i].trim());
      if (found) return found;
    }
    return null;
  }

  // Never from a timer: a focus that lands late moves the caret out of the field the user is typing in.
  function focusFirst(modal) {
    var active = document.activeElement;
    if (active && active !== modal && modal.contains(active) && active.matches("input, select, textarea")) return;
    var first = preferred(modal);
    if (first) first.focus();
  }

  // After the settle: until then htmx keeps the old attributes on elements whose id stays, so a field refused
  // just now does not yet carry its is-invalid.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target.classList || !target.classList.contains("modal-content")) return;
    var modal = target.closest("[data-k-modal]");
    if (!modal) return;
    if (modal.classList.contains("show")) {
      focusFirst(modal);
      return;
    }
    // Bootstrap focuses the dialog itself when the opening animation ends, and says so with shown.bs.modal.
    modal.addEventListener("shown.bs.modal", function () { focusFirst(modal); }, { once: true });
    window.bootstrap.Modal.getOrCreateInstance(modal).show();
  });

  document.addEventListener("kontora-modal-close", function () {
    document.querySelectorAll("[data-k-modal].show").forEach(function (modal) {
      window.bootstrap.Modal.getOrCreateInstance(modal).hide();
    });
  });
})();
