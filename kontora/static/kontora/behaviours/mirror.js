/*
 * mirror: "the same as …" check boxes. An element with data-k-mirror-while="<check box id>",
 * data-k-mirror-from="<field id>" and data-k-mirror-to="<field id>": while the box is ticked the second field
 * follows the first as it is typed, and is read-only (the actual address "same as the legal one").
 */
(function () {
  "use strict";

  var SELECTOR = "[data-k-mirror-while]";

  function parts(el) {
    return {
      box: document.getElementById(el.getAttribute("data-k-mirror-while")),
      from: document.getElementById(el.getAttribute("data-k-mirror-from")),
      to: document.getElementById(el.getAttribute("data-k-mirror-to"))
    };
  }

  function sync(el) {
    var p = parts(el);
    if (!p.box || !p.from || !p.to) return;
    if (p.box.checked) p.to.value = p.from.value;
    p.to.readOnly = p.box.checked;
  }

  function follow(event) {
    var id = event.target.id;
    if (!id) return;
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      if (el.getAttribute("data-k-mirror-while") === id || el.getAttribute("data-k-mirror-from") === id) sync(el);
    });
  }

  document.addEventListener("change", follow);
  document.addEventListener("input", follow);
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (root.matches && root.matches(SELECTOR)) sync(root);
    root.querySelectorAll(SELECTOR).forEach(sync);
  });
})();
