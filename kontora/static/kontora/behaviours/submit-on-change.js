/*
 * submit-on-change: data-k-submit-on-change on a field sends its form as soon as the field changes (a filter
 * check box of a journal). requestSubmit, so the form's own submit handlers run as for a click.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-k-submit-on-change") && field.form) field.form.requestSubmit();
  });
})();
