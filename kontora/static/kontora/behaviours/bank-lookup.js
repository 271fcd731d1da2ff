/*
 * bank-lookup: an element with data-k-bank-lookup="<directories:bank_lookup url>" and the ids of its fields in
 * data-k-bik, data-k-bank-name, data-k-bank-corr, and optionally data-k-bank-note (a line under the fields). Nine
 * digits of a BIK fill in the bank's name and correspondent account from Directories → Banks, never overwriting
 * what the user has typed; the note shows the bank and its city, or why nothing was filled in (the server's words,
 * in the user's language). The lookup is an honest JSON request.
 */
(function () {
  "use strict";

  function digits(text) {
    return text.replace(/\D/g, "");
  }

  document.addEventListener("input", function (event) {
    var bik = event.target;
    if (!bik.id) return;
    var box = null;
    document.querySelectorAll("[data-k-bank-lookup]").forEach(function (el) {
      if (el.getAttribute("data-k-bik") === bik.id) box = el;
    });
    if (!box) return;
    var name = document.getElementById(box.getAttribute("data-k-bank-name"));
    var corr = document.getElementById(box.getAttribute("data-k-bank-corr"));
    var note = document.getElementById(box.getAttribute("data-k-bank-note") || "");
    var value = digits(bik.value);
    if (note && value.length !== 9) note.textContent = "";
    if (!name || !corr || value.length !== 9) return;
    var url = box.getAttribute("data-k-bank-lookup") + "?bik=" + value;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { found: false }; })
      .then(function (bank) {
        if (digits(bik.value) !== value) return;  // typed over since
        if (note) note.textContent = bank.note || "";
        if (!bank.found) return;
        if (!name.value.trim()) name.value = bank.name;
        if (!corr.value.trim()) corr.value = bank.corr_account;
      })
      .catch(function () {});
  });
})();
