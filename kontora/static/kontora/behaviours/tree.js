/*
 * tree: a folder tree of nested <li aria-expanded> items. A button with data-k-tree-children="<url>" loads
 * its level once (htmx, into the item's .k-tree-kids), then only folds and unfolds it.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-k-tree-children]");
    if (!toggle) return;
    var item = toggle.closest("li");
    var open = item.getAttribute("aria-expanded") === "true";
    if (!open && !item.hasAttribute("data-loaded")) {
      item.setAttribute("data-loaded", "1");
      window.htmx.ajax("GET", toggle.getAttribute("data-k-tree-children"), {
        source: toggle, target: item.querySelector(":scope > .k-tree-kids"), swap: "innerHTML"
      });
    }
    item.setAttribute("aria-expanded", open ? "false" : "true");
  });
})();
