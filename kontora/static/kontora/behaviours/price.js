/*
 * price: a nomenclature item's form with data-k-price and its fields data-price="purchase|markup|sale".
 * Live feedback of the price rule while typing; the server applies the same rule on saving
 * (services.reconcile_prices) and is the authority. Integer kopecks and hundredths of a percent in BigInt,
 * rounded half up away from zero like Decimal's ROUND_HALF_UP, so no float error creeps in.
 */
(function () {
  "use strict";

  function hundredths(text) {  // "1 234,5" → 123450n; null when not a number
    var clean = String(text).replace(/[\s\u00a0]/g, "").replace(",", ".");
    var match = /^(-?)(\d*)(?:\.(\d{0,2}))?$/.exec(clean);
    if (!match || (match[2] === "" && !match[3])) return null;
    var value = BigInt((match[2] || "0") + ((match[3] || "") + "00").slice(0, 2));
    return match[1] ? -value : value;
  }

  function show(value, comma) {  // 123450n → "1234,50"
    var negative = value < 0n, abs = negative ? -value : value;
    var text = (abs / 100n).toString() + (comma ? "," : ".") + (abs % 100n).toString().padStart(2, "0");
    return (negative ? "-" : "") + text;
  }

  function divideHalfUp(numerator, denominator) {
    var negative = numerator < 0n, abs = negative ? -numerator : numerator;
    var result = (2n * abs + denominator) / (2n * denominator);
    return negative ? -result : result;
  }

  // The decimal mark is the one the form came with (or the Russian comma), decided once when it is shown.
  var commas = new WeakMap();

  function usesComma(form) {
    if (!commas.has(form)) {
      var values = Array.prototype.map.call(form.querySelectorAll("[data-price]"), function (f) { return f.value; });
      commas.set(form, /,/.test(values.join("")) || document.documentElement.lang === "ru");
    }
    return commas.get(form);
  }

  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (root.matches && root.matches("[data-k-price]")) usesComma(root);
    root.querySelectorAll("[data-k-price]").forEach(usesComma);
  });

  document.addEventListener("input", function (event) {
    var kind = event.target.getAttribute && event.target.getAttribute("data-price");
    var form = kind && event.target.closest("[data-k-price]");
    if (!form) return;
    var purchase = form.querySelector("[data-price=purchase]");
    var markup = form.querySelector("[data-price=markup]");
    var sale = form.querySelector("[data-price=sale]");
    var comma = usesComma(form);
    var p = hundredths(purchase.value);
    if (kind === "sale") {
      var s = hundredths(sale.value);
      if (p === null || s === null || p <= 0n) return;  // purchase price 0: the markup stays
      markup.value = show(divideHalfUp((s - p) * 10000n, p), comma);
    } else {
      var m = hundredths(markup.value);
      if (p === null || m === null || m < -10000n) return;
      sale.value = show(divideHalfUp(p * (10000n + m), 10000n), comma);
    }
  });
})();
