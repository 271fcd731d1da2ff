// The client card ([data-k-card], clients/card.html): its tabs' panes load when first shown (htmx), and this keeps
// the place — the open tab is the address's #tab-…, so Apply and a refused save come back to it, and the tab
// holding the first error opens — asks for the duplicate check when a requisite changes ([data-k-requisites]),
// and copies one field into another ([data-k-copy-from], "Same as legal").
(function () {
  "use strict";

  function card() { return document.querySelector("form[data-k-card]"); }

  function showTab(paneId) {
    var button = document.querySelector('[data-bs-toggle="tab"][data-bs-target="#' + paneId + '"]');
    if (button && window.bootstrap) { window.bootstrap.Tab.getOrCreateInstance(button).show(); }
  }

  function remember(paneId) {
    var form = card();
    if (!form) { return; }
    var base = form.getAttribute("action").split("#")[0];
    form.setAttribute("action", base + "#" + paneId);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search + "#" + paneId);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = card();
    if (!form) { return; }
    form.addEventListener("shown.bs.tab", function (event) {
      var target = event.target.getAttribute("data-bs-target");
      if (target) { remember(target.slice(1)); }
    });
    var invalid = form.querySelector(".tab-pane .is-invalid, .tab-pane .invalid-feedback");
    var pane = invalid ? invalid.closest(".tab-pane") : null;
    if (pane) {
      showTab(pane.id);
    } else if (/^#tab-[\w-]+$/.test(window.location.hash)) {
      showTab(window.location.hash.slice(1));
    }
    form.addEventListener("change", function (event) {
      var watcher = form.querySelector("[data-k-requisites]");
      var name = event.target && event.target.name;
      if (watcher && name && watcher.getAttribute("data-k-requisites").split(" ").indexOf(name) !== -1 && window.htmx) {
        window.htmx.trigger(watcher, "k-requisites-changed");
      }
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-k-copy-from]") : null;
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-k-copy-from"));
    var target = document.getElementById(button.getAttribute("data-k-copy-to"));
    if (source && target) { target.value = source.value; target.focus(); }
  });
})();
