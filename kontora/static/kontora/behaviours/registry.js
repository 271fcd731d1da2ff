/*
 * registry: the client registry of the main window (clients/registry.html, data-k-registry-marks="<url>").
 * Marks live in the session, so they survive paging and reach group processing: Space on a row (keys.js fires
 * "k:marked") sends the mark as an htmx request, whose answer is the "Marked: N" counter. "Clear marks" answers
 * with the "k:registry-unmarked" event, which takes the marks off the rows shown. A quick-find answer puts the
 * cursor on the best match: it is scrolled into view. Enter in the quick-find box only leaves it, so that the
 * arrows move the row cursor again. F2 opens the card of the row under the cursor, as Enter does.
 *
 * Back from a card. Leaving the page, the registry keeps in this tab's sessionStorage the client under the cursor,
 * where its row stood in the scrolling box, the quick-find text and which side panels were shown. The card's OK and Close come back with
 * ?focus=<id>: the server draws the rows around that client (re-read, so the row shows what was saved) with the
 * cursor on it, in the session's sort; here the row is put back where it stood, and a quick-find text is typed
 * back into its box and its rows (in name order) asked for again around the client. The browser's Back from the
 * card draws the page from the top: the rows around the client are asked for the same way.
 *
 * The counter's "N of M": N is the rows loaded, counted again whenever rows come in.
 */
(function () {
  "use strict";

  document.addEventListener("k:marked", function (event) {
    var row = event.target.closest("[data-row]");
    var registry = row && row.closest("[data-k-registry-marks]");
    if (!registry) return;
    window.htmx.ajax("POST", registry.getAttribute("data-k-registry-marks"), {
      source: row, target: "#k-registry-marked", swap: "innerHTML",
      values: { id: row.getAttribute("data-id"), marked: event.detail.marked ? "true" : "false" }
    });
  });

  document.addEventListener("k:registry-unmarked", function () {
    document.querySelectorAll("[data-k-registry-marks] [data-row].k-marked").forEach(function (row) {
      row.classList.remove("k-marked");
      row.setAttribute("aria-selected", "false");
    });
  });

  var STATE = "k-registry";
  var restoring = null;  // the saved state while the quick find's rows are asked for again

  function registryBody() {
    return document.getElementById("k-registry-body");
  }

  function box() {
    var body = registryBody();
    return body && body.closest(".k-registry-scroll");
  }

  function offsetOf(row) {
    return row.getBoundingClientRect().top - box().getBoundingClientRect().top;
  }

  function putBack(row, offset) {
    if (typeof offset === "number") box().scrollTop += offsetOf(row) - offset;
    else row.scrollIntoView({ block: "center" });
  }

  function countLoaded() {
    var body = registryBody();
    var shown = document.querySelector("[data-k-registry-loaded]");
    if (!body || !shown) return;
    var count = body.querySelectorAll("tr[data-row]").length;
    shown.textContent = String(count).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  // The rows drawn again (a quick find, a sort, the way back from a card) are busy until the answer comes:
  // keys.js keeps the arrows pressed meanwhile and moves the cursor once the new rows are in.
  document.addEventListener("htmx:beforeSend", function (event) {
    var target = event.detail.target;
    if (target && target.id === "k-registry-body") target.setAttribute("aria-busy", "true");
  });

  function idle(event) {
    var target = event.detail.target;
    if (target && target.id === "k-registry-body") target.removeAttribute("aria-busy");
  }
  document.addEventListener("htmx:beforeSwap", idle);
  document.addEventListener("htmx:afterRequest", idle);

  document.addEventListener("htmx:afterSwap", function (event) {
    countLoaded();
    if (event.detail.target.id !== "k-registry-body") return;
    var focused = event.detail.target.querySelector("[data-row].k-focus");
    if (!focused) return;
    if (restoring) {
      putBack(focused, restoring.offset);
      restoring = null;
    } else {
      focused.scrollIntoView({ block: "nearest" });
    }
  });

  window.addEventListener("pagehide", function () {
    var body = registryBody();
    if (!body) return;
    var row = body.querySelector("[data-row].k-focus");
    var find = document.querySelector("[data-k-registry-find]");
    try {
      var panels = {};
      document.querySelectorAll("details.k-panel[id]").forEach(function (panel) { panels[panel.id] = panel.open; });
      window.sessionStorage.setItem(STATE, JSON.stringify({
        focus: row ? row.getAttribute("data-id") : "",
        offset: row ? offsetOf(row) : null,
        q: find ? find.value : "",
        panels: panels
      }));
    } catch (e) { /* storage full or off: the server still puts the cursor back */ }
  });

  function cameBack() {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    return !!(entries.length && entries[0].type === "back_forward");
  }

  function reopenPanels(state) {
    // The side panels as the user left them (shown or hidden), before the rows are put back: they change the
    // registry's width, so its rows' heights.
    var panels = (state && state.panels) || {};
    Object.keys(panels).forEach(function (id) {
      var panel = document.getElementById(id);
      if (panel && panel.tagName === "DETAILS" && panel.open !== !!panels[id]) panel.open = !!panels[id];
    });
  }

  function restore() {
    var body = registryBody();
    var state = null;
    try {
      state = JSON.parse(window.sessionStorage.getItem(STATE) || "null");
    } catch (e) { state = null; }
    var focus = new URLSearchParams(window.location.search).get("focus");
    if (body && focus && window.location.hash.indexOf("#tab-") === 0) {
      // The browser carries the card's tab over the redirect of its OK; the registry has no tabs.
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
    if (body && state && ((focus && state.focus === focus) || (!focus && state.focus && cameBack()))) {
      reopenPanels(state);
    }
    if (body && !focus && state && state.focus && cameBack() && window.htmx) {
      // The browser's Back from the card: the page was drawn from the top (no page is kept in the browser's
      // cache), so the rows around the row left are asked for.
      var find = document.querySelector("[data-k-registry-find]");
      restoring = state;
      if (state.q && find) find.value = state.q;
      window.htmx.ajax("GET", state.q && find ? find.getAttribute("hx-get") : body.getAttribute("data-k-rows"), {
        source: body, target: "#k-registry-body", swap: "innerHTML",
        values: state.q && find ? { q: state.q, focus: state.focus } : { around: state.focus }
      });
      return;
    }
    if (!body || !focus) return;
    if (!state || state.focus !== focus) state = { q: "", offset: null };
    var row = body.querySelector("[data-row].k-focus");
    var find = document.querySelector("[data-k-registry-find]");
    if (row) putBack(row, state.offset);
    if (state.q && find && window.htmx) {
      find.value = state.q;
      restoring = state;
      window.htmx.ajax("GET", find.getAttribute("hx-get"), {
        source: find, target: "#k-registry-body", swap: "innerHTML", values: { q: state.q, focus: focus }
      });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "F2" || event.defaultPrevented || document.querySelector(".modal.show")) return;
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var body = registryBody();
    var row = body && body.querySelector("[data-row].k-focus");
    if (!row || !row.getAttribute("data-href")) return;
    event.preventDefault();
    window.location.assign(row.getAttribute("data-href"));
  });

  if (document.readyState !== "complete") document.addEventListener("DOMContentLoaded", restore);
  else restore();

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.hasAttribute || !event.target.hasAttribute("data-k-registry-find")) return;
    event.preventDefault();
    event.target.blur();
  });
})();
