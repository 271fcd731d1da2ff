/*
 * board: the sales ladder board's cards (data-k-board-card="<the move form's URL>") are dragged onto a column
 * (data-k-board-drop="<stage id>"); the drop opens the move form for that stage in the page's modal, where the
 * user records the event and confirms — nothing moves before. A card dropped on its own column does nothing.
 */
(function () {
  "use strict";

  var dragged = null;

  function column(node) {
    return node && node.closest ? node.closest("[data-k-board-drop]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-k-board-card]");
    if (!card) return;
    dragged = card;
    card.classList.add("k-board-dragged");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-testid") || "card");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("k-board-dragged");
    document.querySelectorAll(".k-board-over").forEach(function (node) { node.classList.remove("k-board-over"); });
    dragged = null;
  });

  document.addEventListener("dragover", function (event) {
    var target = column(event.target);
    if (!dragged || !target || target.contains(dragged)) return;
    event.preventDefault();  // allows the drop here
    event.dataTransfer.dropEffect = "move";
    target.classList.add("k-board-over");
  });

  document.addEventListener("dragleave", function (event) {
    var target = column(event.target);
    if (target && !target.contains(event.relatedTarget)) target.classList.remove("k-board-over");
  });

  document.addEventListener("drop", function (event) {
    var target = column(event.target);
    if (!dragged || !target || target.contains(dragged) || !window.htmx) return;
    event.preventDefault();
    target.classList.remove("k-board-over");
    var url = dragged.getAttribute("data-k-board-card") + "&stage=" + encodeURIComponent(target.getAttribute("data-k-board-drop"));
    window.htmx.ajax("GET", url, { target: "#k-modal-content", swap: "innerHTML" });
  });
})();
