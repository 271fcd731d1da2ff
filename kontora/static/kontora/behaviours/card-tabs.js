/*
 * card-tabs: form[data-k-card], the client card's one form (clients/card.html). Its tabs' panes load when first
 * shown (htmx, hx-trigger "shown.bs.tab … once"); this keeps the place: the tab shown is the address's #tab-…, and
 * the form posts back to it, so Apply and a refused save come back on the same tab, and the tab holding the first
 * error opens.
 *
 * A new card also carries the tabs of the other kind of client ([data-k-kinds]: a company's Registration data, a
 * person's Passport), hidden, their fields in a disabled fieldset (never posted). Switching the card's kind shows
 * the tabs of the kind chosen and disables the others; a field of the same name (the INN) takes what the pane being
 * hidden holds.
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

  function isFor(element, kind) {
    return element.getAttribute("data-k-kinds").split(" ").indexOf(kind) !== -1;
  }

  function typed(input) {
    return input.name && ["hidden", "checkbox", "radio"].indexOf(input.type) === -1;
  }

  function showKind(form) {
    var chosen = form.querySelector('input[name="kind"]:checked');
    var parts = form.querySelectorAll("fieldset[data-k-kinds]");
    if (!chosen || !parts.length) return;
    var kind = chosen.value, carried = {};
    parts.forEach(function (part) {
      if (part.disabled || isFor(part, kind)) return;
      part.querySelectorAll("input, textarea").forEach(function (input) {
        if (typed(input)) carried[input.name] = input.value;
      });
    });
    parts.forEach(function (part) {
      var on = isFor(part, kind);
      if (on && part.disabled) {
        part.querySelectorAll("input, textarea").forEach(function (input) {
          if (typed(input) && Object.prototype.hasOwnProperty.call(carried, input.name)) {
            input.value = carried[input.name];
          }
        });
      }
      part.disabled = !on;
    });
    form.querySelectorAll("li[data-k-kinds]").forEach(function (item) {
      item.classList.toggle("d-none", !isFor(item, kind));
    });
    var active = form.querySelector(".nav-link.active");
    if (active && active.closest("li.d-none")) showTab("tab-general");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = card();
    if (!form) return;
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") showKind(form);
    });
    showKind(form);  // the kind as the browser restored it (back, reload)
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
