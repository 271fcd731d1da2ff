/*
 * print: a click on data-k-print opens the browser's print dialog (the printable pages' "Print" button).
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-k-print]")) window.print();
  });
})();
