/*
 * run-result: a process stage's progress form with data-k-run-result="<result field id>" and
 * data-k-run-state="<state field id>". Choosing a result means the stage is done: the state becomes the
 * state field's data-done value for the user (the server checks anyway).
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("[data-k-run-result]");
    if (!form || event.target.id !== form.getAttribute("data-k-run-result") || !event.target.value) return;
    var state = document.getElementById(form.getAttribute("data-k-run-state"));
    if (state && state.dataset.done) state.value = state.dataset.done;
  });
})();
