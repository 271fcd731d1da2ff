/*
 * sms-count: a textarea with data-k-sms-count="<output id>" shows, as it is typed, how long its text is as an SMS
 * and in how many parts it goes. The output element carries the wording: data-k-sms-count-format with
 * {characters}, {encoding} and {parts}, and data-k-sms-count-gsm7 / -ucs2 naming the alphabets.
 * It counts exactly as kontora/messaging/services/sms/parts.py (keep the two in step): the GSM 03.38 default
 * alphabet when every character has a septet (the extension table's take two), else UCS-2 in UTF-16 units;
 * 160/70 in one message, else greedy parts of 153/67 that never split a character.
 */
(function () {
  "use strict";

  var SELECTOR = "[data-k-sms-count]";
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENSION = "\f^{}\\[~]|€";
  var SINGLE = { gsm7: 160, ucs2: 70 };
  var PART = { gsm7: 153, ucs2: 67 };
  var NAMES = { gsm7: "data-k-sms-count-gsm7", ucs2: "data-k-sms-count-ucs2" }; // the alphabets' wording

  function measure(text) {
    text = text.replace(/\r\n/g, "\n");
    var chars = Array.from(text); // code points, as Python iterates a str
    var gsm = chars.every(function (ch) { return BASIC.indexOf(ch) >= 0 || EXTENSION.indexOf(ch) >= 0; });
    var encoding = gsm ? "gsm7" : "ucs2";
    var weights = chars.map(function (ch) {
      if (gsm) return EXTENSION.indexOf(ch) >= 0 ? 2 : 1;
      return ch.codePointAt(0) > 0xffff ? 2 : 1;
    });
    var total = weights.reduce(function (a, b) { return a + b; }, 0);
    var parts = 0;
    if (chars.length) {
      if (total <= SINGLE[encoding]) {
        parts = 1;
      } else {
        var used = 0;
        parts = 1;
        weights.forEach(function (w) {
          if (used + w > PART[encoding]) { parts += 1; used = 0; }
          used += w;
        });
      }
    }
    return { encoding: encoding, characters: total, parts: parts };
  }

  function show(area) {
    var out = document.getElementById(area.getAttribute("data-k-sms-count"));
    if (!out) return;
    var m = measure(area.value);
    var format = out.getAttribute("data-k-sms-count-format") || "{characters} / {parts}";
    out.textContent = format
      .replace("{characters}", String(m.characters))
      .replace("{encoding}", out.getAttribute(NAMES[m.encoding]) || m.encoding)
      .replace("{parts}", String(m.parts));
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(SELECTOR)) show(event.target);
  });
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (root.matches && root.matches(SELECTOR)) show(root);
    root.querySelectorAll(SELECTOR).forEach(show);
  });
  window.kontoraSmsMeasure = measure; // the tests compare it with parts.py on the same texts
})();
