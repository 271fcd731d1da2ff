/*
 * copy-from: a button with data-k-copy-from="<input id>" and data-k-copy-to="<input id>" copies the one field's
 * value into the other ("Same as legal" of the card's Registration data).
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-k-copy-from]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-k-copy-from"));
    var target = document.getElementById(button.getAttribute("data-k-copy-to"));
    if (source && target) {
      target.value = source.value;
      target.focus();
    }
  });
})();
