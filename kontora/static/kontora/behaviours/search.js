/*
 * search: the registry's extended search (Shift+F, clients/search_modal.html): a modal [data-k-search] around an
 * htmx form. "Start..." searches from the top, "Next >>" after the current match (its data-found); Enter in a
 * field does whichever applies; changing the fragments starts over. A match enables "Open the card" (data-card)
 * and moves the registry's cursor to it (data-jump), as in the desktop program.
 */
(function () {
  "use strict";

  function parts(modal) {
    return {
      form: modal.querySelector("form"),
      after: modal.querySelector("[data-k-search-after]"),
      next: modal.querySelector("[data-k-search-next]"),
      open: modal.querySelector("[data-k-search-open]"),
      result: modal.querySelector("[data-k-search-result]")
    };
  }

  function reset(p) {
    p.after.value = "";
    p.next.disabled = true;
    p.open.classList.add("disabled");
    p.open.setAttribute("aria-disabled", "true");
    p.open.setAttribute("href", "#");
  }

  function modalOf(el) {
    return el && el.closest ? el.closest("[data-k-search]") : null;
  }

  document.addEventListener("shown.bs.modal", function (event) {
    if (!event.target.hasAttribute("data-k-search")) return;
    var first = event.target.querySelector("input[type=text]");
    if (first) first.focus();
  });

  document.addEventListener("input", function (event) {
    var modal = modalOf(event.target);
    if (modal) reset(parts(modal));
  });

  document.addEventListener("click", function (event) {
    var modal = modalOf(event.target);
    if (!modal) return;
    var p = parts(modal);
    if (event.target.closest("[data-k-search-start]")) {
      p.after.value = "";
    } else if (event.target.closest("[data-k-search-next]")) {
      p.after.value = p.result.querySelector("[data-found]").getAttribute("data-found");
      window.htmx.trigger(p.form, "submit");
    }
  });

  document.addEventListener("keydown", function (event) {
    var modal = modalOf(event.target);
    if (!modal || event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    var p = parts(modal);
    event.preventDefault();
    if (!p.next.disabled) {
      p.next.click();
    } else {
      p.after.value = "";
      window.htmx.trigger(p.form, "submit");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var modal = modalOf(event.detail.target);
    if (!modal || !event.detail.target.hasAttribute("data-k-search-result")) return;
    var p = parts(modal);
    var found = p.result.querySelector("[data-found]");
    p.next.disabled = !found;
    if (!found) return;
    p.open.classList.remove("disabled");
    p.open.removeAttribute("aria-disabled");
    p.open.setAttribute("href", found.getAttribute("data-card"));
    window.htmx.ajax("GET", found.getAttribute("data-jump"), { target: "#k-registry-body", swap: "innerHTML" });
  });
})();
