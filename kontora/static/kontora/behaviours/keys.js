/*
 * Kontora keyboard: the desktop program's keys, for every page. Pages declare actions; this script
 * only maps keys to them.
 *
 *   data-key="Insert|Enter|Space|Ctrl+F|Shift+F|Ctrl+Shift+F|F2|Ctrl+I|Ctrl+Enter|Escape" on an element: that key
 *       clicks it (inputs, selects and text areas get the focus instead). Inside an open modal only the
 *       modal's elements count.
 *   data-row on list rows (optional data-href): Up/Down move the row cursor (class k-focus), a click
 *       puts it on the row; Enter or a double click opens data-href; Space marks the row (class k-marked,
 *       aria-selected="true") and fires "k:marked" on it for group processing. A row's data-client-href (a
 *       task's client card) opens with Ctrl+Enter, when no field is being typed in.
 *   Esc closes an open modal or drop-down menu, else clicks data-key="Escape", else clears the row cursor.
 *   Ctrl+Enter with no data-key="Ctrl+Enter" on the page confirms the form being typed in.
 *   "?" (Shift+/) opens the list of shortcuts (#k-shortcuts, filled from its data-src page).
 *   F1 opens the guide at the section about the page (<body data-k-help>, core.selectors.guide.HELP_TOPICS) in
 *       the guide's own tab, so the page and anything typed on it stay as they are; inside the guide it
 *       goes there in place. It acts while typing too, and the browser's own help never opens.
 *   PageUp/PageDown move the row cursor by a screenful. A list loaded in pages marks its edges with
 *       data-k-more="next|prev" (htmx, triggered by "k-more"): the cursor asks for the next page near the end and,
 *       at an edge, goes on once the page has come; rows put in above keep the shown ones where they were.
 *   data-menu="<id of a .dropdown-menu>" on a list: a right click on a row puts the cursor on it and shows that
 *       menu at the pointer. Its items: data-action="open" (the row's data-href), data-action="open-client" (its
 *       data-client-href), data-action="mark" (as
 *       Space), data-click="<CSS selector>" (clicks that element of the page, e.g. the list's Ins button),
 *       data-focus="<CSS selector>" (puts the focus in that field, e.g. the quick find);
 *       plain links navigate. Esc or a click elsewhere closes it.
 *   While typing in a field only Esc and Ctrl+Enter act; a key with no declared action stays the browser's.
 */
(function () {
  "use strict";

  function keyName(event) {
    var key = event.key;
    if (key === " " || key === "Spacebar") key = "Space";
    if (key === "Esc") key = "Escape";
    if (key === "?") return key;
    if (event.code === "Slash" && event.shiftKey && !event.ctrlKey && !event.altKey) return "?";  // any layout
    // Letters by their physical key, so Ctrl+F works with the Russian layout on too (where it types "а").
    if (/^Key[A-Z]$/.test(event.code || "")) key = event.code.slice(3);
    else if (key.length === 1) key = key.toUpperCase();
    var prefix = "";
    if (event.ctrlKey || event.metaKey) prefix += "Ctrl+";
    if (event.altKey) prefix += "Alt+";
    if (event.shiftKey && key.length === 1) prefix += "Shift+";
    return prefix + key;
  }

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    var kind = (target.type || "text").toLowerCase();
    return ["checkbox", "radio", "button", "submit", "reset", "image", "file", "range", "color"].indexOf(kind) < 0;
  }

  function interactive(target) {
    return !!(target.closest && target.closest("a[href], button, summary, [role=button], [role=tab]"));
  }

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function openModal() {
    var modals = document.querySelectorAll(".modal.show");
    return modals.length ? modals[modals.length - 1] : null;
  }

  function scope() {
    return openModal() || document;
  }

  function declared(name) {
    var found = scope().querySelectorAll('[data-key="' + name + '"]');
    for (var i = 0; i < found.length; i++) {
      if (visible(found[i]) && !found[i].disabled) return found[i];
    }
    return null;
  }

  function activate(el) {
    var tag = el.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
      el.focus();
      if (el.select) el.select();
    } else {
      el.click();
    }
  }

  /* ---- the row cursor of lists ---- */

  function rows(container) {
    var all = (container || scope()).querySelectorAll("[data-row]");
    return Array.prototype.filter.call(all, visible);
  }

  function focusedRow() {
    return scope().querySelector("[data-row].k-focus");
  }

  function setFocus(row) {
    var previous = document.querySelectorAll("[data-row].k-focus");
    for (var i = 0; i < previous.length; i++) previous[i].classList.remove("k-focus");
    if (!row) return;
    row.classList.add("k-focus");
    row.scrollIntoView({ block: "nearest" });
  }

  function listOf(row) {
    return row.closest("table, [data-rows], ul, ol") || row.parentElement;
  }

  /* A list that loads in pages marks its edges with data-k-more="next" / "prev" (an htmx element triggered by
     "k-more"). The cursor walks past the rows loaded: it asks for the next page when it comes near the end, and
     at an edge it waits for the page and goes on by the steps not yet taken. A list whose rows are all being
     drawn again marks their body aria-busy="true" meanwhile; the steps wait for the new rows the same way. */
  var PREFETCH = 10;  // rows before the end at which the next page is asked for
  var pending = null;  // {list, step}: the cursor's move still to make once a page has loaded

  function edge(list, which) {
    var found = list.querySelectorAll('[data-k-more="' + which + '"]');
    return found.length ? found[found.length - 1] : null;
  }

  function loadMore(sentinel) {
    // htmx drops the trigger while the element's request is in flight, so asking twice loads once.
    if (sentinel && window.htmx) window.htmx.trigger(sentinel, "k-more");
  }

  function moveFocus(step) {
    var current = focusedRow();
    // The cursor stays inside the list it is in; with no cursor yet it enters the first list.
    var container = current ? listOf(current) : null;
    if (container && container.querySelector('[aria-busy="true"]')) {
      // Its rows are being drawn again (a quick find, the way back from a card): the keys pressed meanwhile
      // move the cursor from where the new rows put it.
      pending = { list: container, step: step + (pending && pending.list === container ? pending.step : 0) };
      return true;
    }
    var list = current ? rows(container) : rows();
    if (!list.length) return false;
    container = container || listOf(list[0]);
    var at = current ? list.indexOf(current) : (step > 0 ? -1 : list.length);
    var index = at + step;
    var beyond = index > list.length - 1 ? edge(container, "next") : index < 0 ? edge(container, "prev") : null;
    if (beyond) {
      var rest = index > 0 ? index - (list.length - 1) : index;
      // Keys pressed while the page is on its way add up.
      if (pending && pending.list === container && (pending.step > 0) === (rest > 0)) rest += pending.step;
      pending = { list: container, step: rest };
      loadMore(beyond);
    }
    index = Math.max(0, Math.min(list.length - 1, index));
    setFocus(list[index]);
    if (step > 0 && list.length - 1 - index < PREFETCH) loadMore(edge(container, "next"));
    return true;
  }

  function pageStep(row) {
    // As many rows as the list's scrolling box shows, less one, so the last row seen stays in sight.
    var box = row.parentElement;
    while (box && box !== document.body && box.scrollHeight <= box.clientHeight + 1) box = box.parentElement;
    var height = box && box !== document.body ? box.clientHeight : window.innerHeight;
    return Math.max(1, Math.floor(height / Math.max(1, row.offsetHeight)) - 1);
  }

  function scroller(el) {
    var box = el.parentElement;
    while (box && box !== document.body) {
      var overflow = window.getComputedStyle(box).overflowY;
      if (overflow === "auto" || overflow === "scroll") return box;
      box = box.parentElement;
    }
    return document.scrollingElement;
  }

  // Rows put in above the ones shown must not push them down: the box scrolls by what was added.
  var above = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target.matches || !target.matches('[data-k-more="prev"]')) return;
    var box = scroller(target);
    above = { box: box, height: box.scrollHeight, top: box.scrollTop };
  });

  document.addEventListener("htmx:afterSwap", function () {
    if (above) {
      above.box.scrollTop = above.top + (above.box.scrollHeight - above.height);
      above = null;
    }
    if (!pending) return;
    var step = pending.step;
    var list = pending.list;
    pending = null;
    // Another swap (a poll) may come first: the move then finds the edge still loading and waits again.
    if (document.contains(list) && focusedRow()) moveFocus(step);
  });

  function openRow(row, attribute) {
    var href = row && row.getAttribute(attribute || "data-href");
    if (href) window.location.assign(href);
    return !!href;
  }

  function toggleMark(row) {
    var marked = row.classList.toggle("k-marked");
    row.setAttribute("aria-selected", marked ? "true" : "false");
    row.dispatchEvent(new CustomEvent("k:marked", { bubbles: true, detail: { marked: marked } }));
  }

  /* ---- the context menu of list rows ---- */

  var menuRow = null;

  function shownRowMenu() {
    return document.querySelector(".dropdown-menu.k-row-menu.show");
  }

  function hideRowMenu() {
    var menu = shownRowMenu();
    if (menu) menu.classList.remove("show");
    menuRow = null;
    return !!menu;
  }

  document.addEventListener("contextmenu", function (event) {
    var row = event.target.closest && event.target.closest("[data-row]");
    var owner = row && row.closest("[data-menu]");
    var menu = owner && document.getElementById(owner.getAttribute("data-menu"));
    if (!menu) return;
    event.preventDefault();
    hideRowMenu();
    setFocus(row);
    menuRow = row;
    var open = menu.querySelector('[data-action="open"]');
    if (open) open.disabled = !row.getAttribute("data-href");
    var openClient = menu.querySelector('[data-action="open-client"]');
    if (openClient) openClient.disabled = !row.getAttribute("data-client-href");
    menu.classList.add("k-row-menu", "show");
    menu.style.position = "fixed";
    menu.style.left = event.clientX + "px";
    menu.style.top = event.clientY + "px";
    var rect = menu.getBoundingClientRect();
    // Short of room below, it opens upwards from the pointer; taller than that, it stays as near as the window
    // lets it (kontora.css caps it at the window's height with its own scroll), never jumping to the top.
    if (rect.bottom > window.innerHeight) {
      var up = event.clientY - rect.height;
      menu.style.top = (up >= 0 ? up : Math.max(0, window.innerHeight - rect.height)) + "px";
    }
    if (rect.right > window.innerWidth) menu.style.left = Math.max(0, event.clientX - rect.width) + "px";
  });

  document.addEventListener("click", function (event) {
    var menu = shownRowMenu();
    if (!menu) return;
    var item = menu.contains(event.target) ? event.target.closest("[data-action], [data-click], [data-focus]") : null;
    var row = menuRow;
    hideRowMenu();
    if (!item || !row || item.disabled) return;
    var action = item.getAttribute("data-action");
    if (action === "open") openRow(row);
    else if (action === "open-client") openRow(row, "data-client-href");
    else if (action === "mark") toggleMark(row);
    else if (item.hasAttribute("data-focus")) {
      var field = document.querySelector(item.getAttribute("data-focus"));
      if (field) activate(field);
    } else if (item.hasAttribute("data-click")) {
      var target = document.querySelector(item.getAttribute("data-click"));
      if (target) target.click();
    }
  }, true);

  /* ---- Esc and "?" ---- */

  function closeOpen() {
    if (hideRowMenu()) return true;
    var modal = openModal();
    if (modal && window.bootstrap) {
      // Bootstrap ignores hide() while the opening animation runs: close it as soon as it has opened.
      if (modal.hasAttribute("data-k-opening")) modal.setAttribute("data-k-close", "");
      else window.bootstrap.Modal.getOrCreateInstance(modal).hide();
      return true;
    }
    var menu = document.querySelector(".dropdown-menu.show");
    if (menu && window.bootstrap) {
      var toggle = menu.parentElement && menu.parentElement.querySelector('[data-bs-toggle="dropdown"]');
      if (toggle) {
        window.bootstrap.Dropdown.getOrCreateInstance(toggle).hide();
        toggle.focus();
        return true;
      }
    }
    return false;
  }

  function showShortcuts() {
    var modal = document.getElementById("k-shortcuts");
    if (!modal || !window.bootstrap) return false;
    var body = modal.querySelector(".modal-body");
    var show = function () { window.bootstrap.Modal.getOrCreateInstance(modal).show(); };
    if (body.childElementCount) {
      show();
      return true;
    }
    fetch(modal.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html").getElementById("k-shortcuts-page");
        if (page) body.replaceChildren.apply(body, Array.prototype.slice.call(page.childNodes));
        show();
      });
    return true;
  }

  function openHelp() {
    var url = document.body && document.body.getAttribute("data-k-help");
    if (!url) return false;
    if (document.querySelector("[data-k-guide]")) window.location.assign(url);
    else window.open(url, "kontora-guide");
    return true;
  }

  /* ---- the handler ---- */

  function handle(event) {
    if (event.defaultPrevented || event.isComposing) return;
    var name = keyName(event);
    var typing = isTyping(event.target);
    if (typing && name !== "Escape" && name !== "Ctrl+Enter" && name !== "F1") return;

    var done = false;
    var row;
    switch (name) {
      case "Escape":
        if (event.target.closest && event.target.closest(".modal")) {
          // Bootstrap may already be closing this modal; the page under it must not see this Esc.
          closeOpen();
          done = true;
          break;
        }
        done = closeOpen();
        if (!done && typing) {
          event.target.blur();
          done = true;
        }
        if (!done) {
          var escape = declared("Escape");
          if (escape) {
            activate(escape);
            done = true;
          } else if (focusedRow()) {
            setFocus(null);
            done = true;
          }
        }
        break;
      case "ArrowDown":
      case "ArrowUp":
        if (rows().length && !event.target.closest(".dropdown-menu")) done = moveFocus(name === "ArrowDown" ? 1 : -1);
        break;
      case "PageDown":
      case "PageUp":
        row = focusedRow();
        if (row && !event.target.closest(".dropdown-menu")) done = moveFocus((name === "PageDown" ? 1 : -1) * pageStep(row));
        break;
      case "Enter":
        if (interactive(event.target)) break;
        row = focusedRow();
        if (row) done = openRow(row);
        else {
          var enter = declared("Enter");
          if (enter) { activate(enter); done = true; }
        }
        break;
      case "Space":
        if (interactive(event.target)) break;
        row = focusedRow();
        if (row) {
          toggleMark(row);
          done = true;
        } else {
          var space = declared("Space");
          if (space) { activate(space); done = true; }
        }
        break;
      case "?":
        done = showShortcuts();
        break;
      case "F1":
        done = openHelp();
        break;
      case "Ctrl+Enter":
        var confirm = declared("Ctrl+Enter");
        row = !typing && focusedRow();
        if (row && row.hasAttribute("data-client-href")) done = openRow(row, "data-client-href");
        else if (confirm) {
          activate(confirm);
          done = true;
        } else if (typing && event.target.form) {
          event.target.form.requestSubmit();
          done = true;
        }
        break;
      case "Insert":
      case "Ctrl+F":
      case "Shift+F":
      case "Ctrl+Shift+F":
      case "F2":
      case "Ctrl+I":
        var target = declared(name);
        if (target) {
          activate(target);
          done = true;
        }
        break;
    }
    if (done) event.preventDefault();
  }

  document.addEventListener("keydown", handle);

  document.addEventListener("show.bs.modal", function (event) {
    event.target.setAttribute("data-k-opening", "");
  });

  document.addEventListener("shown.bs.modal", function (event) {
    var modal = event.target;
    modal.removeAttribute("data-k-opening");
    if (modal.hasAttribute("data-k-close")) {
      modal.removeAttribute("data-k-close");
      window.bootstrap.Modal.getOrCreateInstance(modal).hide();
    }
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("[data-row]");
    if (row) setFocus(row);
  });

  document.addEventListener("dblclick", function (event) {
    var row = event.target.closest && event.target.closest("[data-row]");
    if (row && !event.target.closest("a, button, input, select, textarea")) openRow(row);
  });
})();
