// The bell: polls core:notifications_poll, keeps the unread count on the badge and shows every new
// notification once as a toast. "Shown" is remembered per tab in sessionStorage; only the
// notifications page marks them read.
(function () {
  "use strict";

  const EVERY_MS = 4000;
  const MAX_TOASTS = 5;

  function start() {
    const bell = document.getElementById("k-bell");
    const box = document.getElementById("k-toasts");
    if (!bell || !box) return;
    const badge = bell.querySelector(".k-bell-count");
    const labels = bell.dataset;
    const shownKey = "kontora.notify.shown." + labels.user;
    let etag = null;
    let busy = false;
    let timer = null;

    function lastShown() {
      try {
        return parseInt(sessionStorage.getItem(shownKey) || "0", 10) || 0;
      } catch (e) {
        return 0;
      }
    }

    function remember(id) {
      try {
        sessionStorage.setItem(shownKey, String(id));
      } catch (e) {
        // Storage off (private mode quota): toasts may repeat on the next page, nothing worse.
      }
    }

    function setCount(n) {
      badge.textContent = n > 99 ? "99+" : String(n);
      badge.hidden = n <= 0;
      bell.classList.toggle("k-bell-unread", n > 0);
    }

    function el(tag, cls, text) {
      const node = document.createElement(tag);
      if (cls) node.className = cls;
      if (text) node.textContent = text;
      return node;
    }

    function showToast(item) {
      const toast = el("div", "toast");
      toast.setAttribute("role", "status");
      toast.setAttribute("aria-atomic", "true");
      toast.dataset.notification = String(item.id);
      const header = el("div", "toast-header");
      header.appendChild(el("strong", "me-auto", item.sender || labels.labelSystem));
      header.appendChild(el("small", "text-body-secondary", item.created));
      const close = el("button", "btn-close ms-2");
      close.type = "button";
      close.setAttribute("data-bs-dismiss", "toast");
      close.setAttribute("aria-label", labels.labelClose);
      header.appendChild(close);
      const body = el("div", "toast-body");
      const text = el("div", "k-toast-text", item.text);
      text.style.whiteSpace = "pre-line";
      text.style.overflowWrap = "anywhere";
      body.appendChild(text);
      const links = el("div", "mt-2 d-flex gap-3 small");
      // The server only stores local paths; checked again so a toast never links elsewhere.
      if (item.url && item.url.charAt(0) === "/" && item.url.charAt(1) !== "/") {
        const open = el("a", "", labels.labelOpen);
        open.href = item.url;
        links.appendChild(open);
      }
      const all = el("a", "", labels.labelAll);
      all.href = bell.getAttribute("href");
      links.appendChild(all);
      body.appendChild(links);
      toast.appendChild(header);
      toast.appendChild(body);
      while (box.children.length >= MAX_TOASTS) box.firstElementChild.remove();
      box.appendChild(toast);
      toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
      if (window.bootstrap) {
        window.bootstrap.Toast.getOrCreateInstance(toast, { autohide: false }).show();
      } else {
        toast.classList.add("show");
      }
    }

    async function poll() {
      if (busy) return;
      busy = true;
      try {
        const headers = { Accept: "application/json" };
        if (etag) headers["If-None-Match"] = etag;
        const url = labels.pollUrl + "?after=" + lastShown();
        // no-store: the browser must not answer from its cache or hide our 304 behind one.
        const res = await fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" });
        if (res.redirected) {
          // The account was disabled or the employee dismissed: the login page says so.
          window.location.assign(res.url);
          return;
        }
        if (res.status === 401) {
          // Signed out elsewhere: the next click on the page leads to the login page anyway.
          stop();
          return;
        }
        if (res.status === 304 || !res.ok) return;
        const data = await res.json();
        etag = res.headers.get("ETag");
        setCount(data.unread);
        let shown = lastShown();
        for (const item of data.items) {
          if (item.id > shown) {
            showToast(item);
            shown = item.id;
          }
        }
        remember(shown);
      } catch (e) {
        // The server is unreachable for a moment; the next tick tries again.
      } finally {
        busy = false;
      }
    }

    function stop() {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
    }

    poll();
    timer = window.setInterval(poll, EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && timer !== null) poll();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
