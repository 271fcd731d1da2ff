/*
 * disable-when: an element with data-k-disable="<field id>" and data-k-disable-while="<check box id>": the
 * field rests (disabled) while the box is ticked — an end stage of a process has no responsible.
 */
(function () {
  "use strict";

  var SELECTOR = "[data-k-disable-while]";

  function sync(el) {
    var box = document.getElementById(el.getAttribute("data-k-disable-while"));
    var field = document.getElementById(el.getAttribute("data-k-disable"));
    if (box && field) field.disabled = box.checked;
  }

  document.addEventListener("change", function (event) {
    var id = event.target.id;
    if (!id) return;
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      if (el.getAttribute("data-k-disable-while") === id) sync(el);
    });
  });
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (root.matches && root.matches(SELECTOR)) sync(root);
    root.querySelectorAll(SELECTOR).forEach(sync);
  });
})();
