/*
 * toast: a Bootstrap toast marked data-k-toast that arrives (the bell's answer adds them to #k-toasts out of band)
 * is shown and stays until closed; it is removed once hidden, and at most five stay on the screen, the oldest going
 * first.
 */
(function () {
  "use strict";

  var MAX_TOASTS = 5;

  document.addEventListener("htmx:load", function (event) {
    var toast = event.detail.elt;
    if (!toast.hasAttribute || !toast.hasAttribute("data-k-toast")) return;
    var box = toast.parentElement;
    while (box && box.querySelectorAll("[data-k-toast]").length > MAX_TOASTS) box.querySelector("[data-k-toast]").remove();
    toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
    window.bootstrap.Toast.getOrCreateInstance(toast, { autohide: false }).show();
  });
})();
