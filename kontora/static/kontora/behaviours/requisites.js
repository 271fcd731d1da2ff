/*
 * requisites: data-k-requisites="<field names>" on an htmx element inside a form (the client card's duplicate
 * check). A change of one of those fields anywhere in the form fires "k-requisites-changed" on it, which its
 * hx-trigger answers.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field && field.form;
    var watcher = form ? form.querySelector("[data-k-requisites]") : null;
    if (!watcher || !field.name || !window.htmx) return;
    if (watcher.getAttribute("data-k-requisites").split(" ").indexOf(field.name) !== -1) {
      window.htmx.trigger(watcher, "k-requisites-changed");
    }
  });
})();
