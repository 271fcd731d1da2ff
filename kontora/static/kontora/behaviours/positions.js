/*
 * positions: an element with data-k-positions="<position select id>" and data-k-positions-by="<department
 * select id>"; the position options carry data-department. Only the positions of the chosen department are
 * offered, and choosing a position while no department is chosen chooses its department.
 */
(function () {
  "use strict";

  var SELECTOR = "[data-k-positions]";

  function parts(el) {
    return {
      position: document.getElementById(el.getAttribute("data-k-positions")),
      department: document.getElementById(el.getAttribute("data-k-positions-by"))
    };
  }

  function offer(el) {
    var p = parts(el);
    if (!p.position || !p.department) return;
    Array.prototype.forEach.call(p.position.options, function (option) {
      var foreign = Boolean(option.value && p.department.value && option.dataset.department !== p.department.value);
      option.hidden = foreign;
      option.disabled = foreign;
    });
    if (p.position.selectedOptions.length && p.position.selectedOptions[0].disabled) p.position.value = "";
  }

  document.addEventListener("change", function (event) {
    var id = event.target.id;
    if (!id) return;
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      var p = parts(el);
      if (p.department && id === p.department.id) offer(el);
      if (p.position && id === p.position.id && p.department && !p.department.value) {
        var chosen = p.position.selectedOptions[0];
        if (chosen && chosen.dataset.department) {
          p.department.value = chosen.dataset.department;
          offer(el);
        }
      }
    });
  });

  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (root.matches && root.matches(SELECTOR)) offer(root);
    root.querySelectorAll(SELECTOR).forEach(offer);
  });
})();
