/*
 * refused: a request the server refused with no place of its own for the message (core.budget: the time budget ran
 * out, or the user's earlier heavy requests still run) answers with the "k:refused" event; its message is shown as a
 * toast in #k-toasts that stays until closed. Views with a place for it (the Flexi-filter panel, the registry's rows,
 * the search window) put the message there instead.
 */
(function () {
  "use strict";

  document.addEventListener("k:refused", function (event) {
    var box = document.getElementById("k-toasts");
    var message = event.detail && event.detail.message;
    if (!box || !message) return;
    var toast = document.createElement("div");
    toast.className = "toast text-bg-warning";
    toast.setAttribute("role", "alert");
    toast.setAttribute("data-testid", "refused-toast");
    var body = document.createElement("div");
    body.className = "toast-body d-flex align-items-start";
    var text = document.createElement("div");
    text.className = "me-auto";
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close ms-2";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", "×");
    body.appendChild(text);
    body.appendChild(close);
    toast.appendChild(body);
    box.appendChild(toast);
    toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
    window.bootstrap.Toast.getOrCreateInstance(toast, { autohide: false }).show();
  });
})();
