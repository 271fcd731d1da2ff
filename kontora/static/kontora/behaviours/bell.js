/*
 * bell: the notification bell's poll ([data-k-bell="<user id>"], core/partials/bell.html), an htmx element that
 * sends the last notification shown as a toast and the count shown. A toast is shown once per browser tab: the
 * last one's id is kept in sessionStorage (one number, no client data) and sent by the next page's first poll.
 * Coming back to the tab polls at once; signed out elsewhere (401), the bell stops polling.
 */
(function () {
  "use strict";

  function key(poll) {
    return "kontora.notify.shown." + poll.getAttribute("data-k-bell");
  }

  function lastShown(poll) {
    try {
      return parseInt(sessionStorage.getItem(key(poll)) || "0", 10) || 0;
    } catch (e) {
      return 0;  // storage off (a private window's quota): toasts may repeat on the next page, nothing worse
    }
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var poll = event.detail.elt;
    if (!poll.hasAttribute || !poll.hasAttribute("data-k-bell")) return;
    if (poll.hasAttribute("data-k-stopped")) {
      event.preventDefault();
      return;
    }
    var after = parseInt(event.detail.parameters.after || "0", 10) || 0;
    event.detail.parameters.after = String(Math.max(after, lastShown(poll)));
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var poll = event.detail.target;
    if (!poll.hasAttribute || !poll.hasAttribute("data-k-bell")) return;
    var after = poll.querySelector("input[name=after]");
    try {
      if (after) sessionStorage.setItem(key(poll), after.value);
    } catch (e) {
      // as above
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var poll = event.detail.elt;
    if (poll.hasAttribute && poll.hasAttribute("data-k-bell") && event.detail.xhr.status === 401) {
      poll.setAttribute("data-k-stopped", "");
    }
  });

  document.addEventListener("visibilitychange", function () {
    var poll = document.querySelector("[data-k-bell]");
    if (poll && document.visibilityState === "visible") window.htmx.trigger(poll, "k-poll");
  });
})();
