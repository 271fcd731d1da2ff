/*
 * unsaved: form[data-k-unsaved] (the client card, edit pages with OK / Cancel) is never left with its typing lost
 * without a question. Leaving the page — Esc (in a field too), Cancel, a menu item or any other link, another
 * form's submit — while a field differs from its value at load asks «Save the changes?» in the page's dialog
 * (partials/unsaved.html, #k-unsaved): Yes saves as OK does (the form posts "next", the address being gone to; a
 * refused save comes back with its errors), No goes on without saving, Cancel (or Esc) stays with the typing and
 * the focus where they were. Typing a value and then the old one again changes nothing. Closing the tab or the
 * browser gets the browser's own question (beforeunload), the only one a page may ask there.
 *
 * data-k-unsaved="refused" (a page drawn again with a refused save's errors) counts as changed from the start.
 * A field's value at load is taken when the page is ready, and for a pane loaded later (the card's lazy tabs) when
 * it arrives, so only the user's own changes count.
 */
(function () {
  "use strict";

  var FIELDS = "input, select, textarea";
  var initial = new WeakMap();  // field → its value when it came
  var leaving = false;          // the page is being left on purpose: a save, or the answer No
  var pending = null;           // what asked: { href } or { form, submitter }
  var answered = false;
  var returnFocus = null;

  function guarded() { return document.querySelector("form[data-k-unsaved]"); }
  function dialog() { return document.getElementById("k-unsaved"); }

  function tracked(el) {
    return !!el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "next" && !/-read$/.test(el.name) &&
      ["submit", "button", "reset", "image"].indexOf(el.type) === -1;
  }

  function valueOf(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked ? "1" : "";
    if (el.type === "file") return String(el.files ? el.files.length : 0);
    if (el.tagName === "SELECT" && el.multiple) {
      return Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; }).join("\n");
    }
    return el.value;
  }

  function record(root) {
    root.querySelectorAll(FIELDS).forEach(function (el) {
      if (tracked(el) && !initial.has(el)) initial.set(el, valueOf(el));
    });
  }

  function changed(form) {
    // A save the server refused came back with the typing in its fields: none of it is kept yet.
    if (form.getAttribute("data-k-unsaved") === "refused") return true;
    return Array.prototype.some.call(form.querySelectorAll(FIELDS), function (el) {
      // A field of another form drawn inside this one (form="…": a journal's own) is not this form's typing.
      return el.form === form && tracked(el) && initial.has(el) && initial.get(el) !== valueOf(el);
    });
  }

  function dirty() {
    var form = guarded();
    return !leaving && !!form && changed(form);
  }

  function ask(what) {
    var modal = dialog();
    if (!modal || !window.bootstrap) return false;
    pending = what;
    answered = false;
    returnFocus = document.activeElement;
    window.bootstrap.Modal.getOrCreateInstance(modal).show();
    return true;
  }

  function goOn(what) {
    leaving = true;
    if (what.href) window.location.assign(what.href);
    else if (what.form) HTMLFormElement.prototype.requestSubmit.call(what.form, what.submitter || undefined);
    // The browser asks beforeunload at once; a page still here afterwards (a file's download link) guards again.
    setTimeout(function () { leaving = false; }, 1000);
  }

  function save(what) {
    var form = guarded();
    var next = form.querySelector('input[type="hidden"][name="next"]');
    if (!next) {
      next = document.createElement("input");
      next.type = "hidden";
      next.name = "next";
      form.appendChild(next);
    }
    // Where the user was going: the server goes there after a successful save (a local address only).
    var url = what.href ? new URL(what.href, window.location.href) : null;
    next.value = url && url.origin === window.location.origin ? url.pathname + url.search + url.hash : "";
    leaving = true;
    form.requestSubmit(form.querySelector('button[type="submit"][name="ok"]') || undefined);
  }

  /* ---- what leaves the page ---- */

  function samePage(link) {
    var url = new URL(link.href, window.location.href);
    return url.origin === window.location.origin && url.pathname === window.location.pathname &&
      url.search === window.location.search;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
    if (link.hasAttribute("data-bs-toggle") || link.hasAttribute("hx-get") || link.hasAttribute("hx-post")) return;
    if (/^(javascript|mailto|tel):/i.test(link.getAttribute("href")) || samePage(link) || !dirty()) return;
    if (ask({ href: link.href })) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form === guarded()) return;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get") || (form.target && form.target !== "_self")) return;
    if (!dirty()) return;
    if (ask({ form: form, submitter: event.submitter })) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    // The form's own OK / Apply: the browser need not ask on the way out (a refused save comes back to ask anew).
    if (event.target === guarded() && !event.defaultPrevented) leaving = true;
  });

  // Esc in a field of the form is the form's Esc (Cancel), as in a desktop dialog — unless something open in the
  // page takes it first (a picker's list, a drop-down, a modal).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    if (event.defaultPrevented || event.isComposing) return;
    var form = guarded(), field = event.target;
    if (!form || !field.matches || !field.matches(FIELDS) || !form.contains(field)) return;
    if (field.closest(".modal") || document.querySelector(".modal.show, .dropdown-menu.show")) return;
    var picker = field.closest("[data-picker]");
    if (picker && picker.querySelector("[data-picker-list].show")) return;
    var escape = form.querySelector('[data-key="Escape"]');
    if (!escape) return;
    event.preventDefault();
    escape.click();
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (!dirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  /* ---- the answers ---- */

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-k-unsaved-answer]");
    if (!button || !pending) return;
    var what = pending;
    answered = true;
    window.bootstrap.Modal.getOrCreateInstance(dialog()).hide();
    if (button.getAttribute("data-k-unsaved-answer") === "yes") save(what);
    else goOn(what);
  });

  document.addEventListener("shown.bs.modal", function (event) {
    if (event.target !== dialog()) return;
    var yes = event.target.querySelector('[data-k-unsaved-answer="yes"]');
    if (yes) yes.focus();
  });

  document.addEventListener("hidden.bs.modal", function (event) {
    if (event.target !== dialog()) return;
    if (!answered) {
      // Cancel: the page stays as it was, the cursor back in the field it left.
      pending = null;
      if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
    }
  });

  /* ---- the values at load ---- */

  document.addEventListener("DOMContentLoaded", function () {
    // After the other behaviours have set the page up (card-tabs shows the kind's tabs on DOMContentLoaded).
    setTimeout(function () {
      var form = guarded();
      if (form) record(form);
    }, 0);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var form = guarded();
    var elt = event.detail && event.detail.elt;
    if (form && elt && form.contains(elt)) record(elt);
  });
})();
