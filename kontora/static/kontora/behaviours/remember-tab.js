/*
 * remember-tab: data-k-remember-tab="<id of a hidden input>" on a tab list. The tab shown last writes its
 * data-k-tab into that input, so that Apply or a failed save brings the page back on the same tab.
 */
(function () {
  "use strict";

  document.addEventListener("shown.bs.tab", function (event) {
    var tab = event.target;
    var list = tab.closest("[data-k-remember-tab]");
    var input = list && document.getElementById(list.getAttribute("data-k-remember-tab"));
    if (input && tab.hasAttribute("data-k-tab")) input.value = tab.getAttribute("data-k-tab");
  });
})();
