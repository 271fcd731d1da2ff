/*
 * card-tabs: form[data-k-card], the client card's one form (clients/card.html). Its tabs' panes load when first
 * shown (htmx, hx-trigger "shown.bs.tab … once"); this keeps the place: the tab shown is the address's #tab-…, and
 * the form posts back to it, so Apply and a refused save come back on the same tab, and the tab holding the first
 * error opens.
 */
(function () {
  "use strict";

  function card() { return document.querySelector("form[data-k-card]"); }

  function showTab(paneId) {
    var button = document.querySelector('[data-bs-toggle="tab"][data-bs-target="#' + paneId + '"]');
    if (button && window.bootstrap) window.bootstrap.Tab.getOrCreateInstance(button).show();
  }

  function remember(paneId) {
    var form = card();
    if (!form) return;
    var base = form.getAttribute("action").split("#")[0];
    form.setAttribute("action", base + "#" + paneId);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search + "#" + paneId);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = card();
    if (!form) return;
    form.addEventListener("shown.bs.tab", function (event) {
      var target = event.target.getAttribute("data-bs-target");
      if (target) remember(target.slice(1));
    });
    var invalid = form.querySelector(".tab-pane .is-invalid, .tab-pane .invalid-feedback");
    var pane = invalid ? invalid.closest(".tab-pane") : null;
    if (pane) {
      showTab(pane.id);
    } else if (/^#tab-[\w-]+$/.test(window.location.hash)) {
      showTab(window.location.hash.slice(1));
    }
  });
})();
