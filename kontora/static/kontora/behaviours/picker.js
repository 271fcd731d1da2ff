/*
 * Directory pickers (kontora.directories.widgets.PickerWidget): search as you type instead of a <select>
 * of thousands of items. Works by delegation, so pickers loaded later by htmx need no set-up.
 *
 *   [data-picker]          the widget; data-pick-url (matches for ?q=), data-new-url, data-list-url (card of
 *                          item N is data-list-url + N + "/")
 *   [data-picker-value]    hidden input with the chosen pk (what the form posts)
 *   [data-picker-text]     the visible text box
 *   [data-picker-list]     the drop-down filled with buttons [data-pick=pk][data-text]
 *   [data-picker-add] "+" and [data-picker-edit] "✎" open the item card in a modal (#k-picker-modal); when it
 *                          is saved the server answers with the "k:directory-saved" event and the item is chosen.
 *   data-narrow            JSON {param: name of another field of the form}: that field's value goes with every
 *                          search as `param` (a city picker asks for the card's region only); an option's
 *                          data-sets JSON {param: [pk, text]} sets that field when the option is chosen (choosing
 *                          a city sets its region).
 *
 * Keys in the text box: Down/Up move through the matches (Down also opens them), Enter chooses, Esc closes the
 * list; leaving the box without choosing puts the previous value back.
 */
(function () {
  "use strict";

  var DELAY = 150;
  var timers = new WeakMap();
  var modalPicker = null;

  function parts(picker) {
    return {
      value: picker.querySelector("[data-picker-value]"),
      text: picker.querySelector("[data-picker-text]"),
      list: picker.querySelector("[data-picker-list]"),
      edit: picker.querySelector("[data-picker-edit]"),
    };
  }

  function options(picker) {
    return Array.prototype.slice.call(parts(picker).list.querySelectorAll("[data-pick]"));
  }

  function isOpen(picker) {
    return parts(picker).list.classList.contains("show");
  }

  function close(picker) {
    var p = parts(picker);
    p.list.classList.remove("show");
    p.text.setAttribute("aria-expanded", "false");
  }

  function open(picker) {
    var p = parts(picker);
    p.list.classList.add("show");
    p.text.setAttribute("aria-expanded", "true");
  }

  function narrowing(picker) {
    try {
      return JSON.parse(picker.getAttribute("data-narrow") || "{}");
    } catch (e) {
      return {};
    }
  }

  function linked(picker, name) {
    // The picker of the form's field `name` (the region beside a city), found through its posted value.
    var scope = picker.closest("form") || document;
    var value = Array.prototype.find.call(scope.querySelectorAll("[data-picker-value]"), function (input) {
      return input.name === name;
    });
    return value ? pickerOf(value) : null;
  }

  function load(picker) {
    var p = parts(picker);
    var url = picker.getAttribute("data-pick-url") + "?q=" + encodeURIComponent(p.text.value);
    var narrow = narrowing(picker);
    Object.keys(narrow).forEach(function (param) {
      var other = linked(picker, narrow[param]);
      var value = other ? parts(other).value.value : "";
      if (value) url += "&" + encodeURIComponent(param) + "=" + encodeURIComponent(value);
    });
    var asked = p.text.value;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (p.text.value !== asked) return;  // an answer to text typed over since
        p.list.innerHTML = html;
        var first = p.list.querySelector("[data-pick]");
        if (first) first.classList.add("active");
        if (document.activeElement === p.text) open(picker);
      });
  }

  function remember(picker) {
    // The value to put back when the box is left without a choice: the one rendered by the server at first.
    if (picker.hasAttribute("data-chosen-pk")) return;
    var p = parts(picker);
    picker.setAttribute("data-chosen-pk", p.value.value);
    picker.setAttribute("data-chosen-text", p.value.value ? p.text.defaultValue : "");
  }

  function setLinked(picker, sets) {
    // Choosing a city sets the form's region to the city's (data-sets of the option or of a saved item).
    var narrow = narrowing(picker);
    Object.keys(sets || {}).forEach(function (param) {
      var other = narrow[param] ? linked(picker, narrow[param]) : null;
      var value = sets[param];
      if (other && value && parts(other).value.value !== String(value[0])) choose(other, String(value[0]), value[1]);
    });
  }

  function setsOf(option) {
    try {
      return JSON.parse(option.getAttribute("data-sets") || "{}");
    } catch (e) {
      return {};
    }
  }

  function choose(picker, pk, text) {
    var p = parts(picker);
    remember(picker);
    var changed = picker.getAttribute("data-chosen-pk") !== String(pk);
    p.value.value = pk;
    p.text.value = text;
    picker.setAttribute("data-chosen-pk", pk);
    picker.setAttribute("data-chosen-text", text);
    if (p.edit) p.edit.disabled = !pk;
    var mark = picker.querySelector("[data-picker-inactive]");
    if (mark && changed) mark.remove();
    close(picker);
    if (changed) p.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function move(picker, step) {
    var all = options(picker);
    if (!all.length) return;
    var index = all.findIndex(function (o) { return o.classList.contains("active"); });
    if (index >= 0) all[index].classList.remove("active");
    index = Math.max(0, Math.min(all.length - 1, index + step));
    all[index].classList.add("active");
    all[index].scrollIntoView({ block: "nearest" });
  }

  function restore(picker) {
    var p = parts(picker);
    if (p.text.value.trim() === "") {
      choose(picker, "", "");
      return;
    }
    // Typed text that names one of the matches exactly counts as choosing it.
    var typed = p.text.value.trim().toLowerCase();
    var exact = options(picker).filter(function (o) { return o.getAttribute("data-text").toLowerCase() === typed; });
    if (exact.length === 1) {
      choose(picker, exact[0].getAttribute("data-pick"), exact[0].getAttribute("data-text"));
      setLinked(picker, setsOf(exact[0]));
      return;
    }
    remember(picker);
    p.value.value = picker.getAttribute("data-chosen-pk");
    p.text.value = picker.getAttribute("data-chosen-text");
    if (p.edit) p.edit.disabled = !p.value.value;
    close(picker);
  }

  function pickerOf(el) {
    return el && el.closest ? el.closest("[data-picker]") : null;
  }

  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-picker-text]")) return;
    var picker = pickerOf(event.target);
    var p = parts(picker);
    // Typed text no longer names the chosen item: nothing is chosen until a match is.
    remember(picker);
    p.value.value = "";
    if (p.edit) p.edit.disabled = true;
    clearTimeout(timers.get(picker));
    timers.set(picker, setTimeout(function () { load(picker); }, DELAY));
  });

  document.addEventListener("keydown", function (event) {
    if (!event.target.matches || !event.target.matches("[data-picker-text]")) return;
    var picker = pickerOf(event.target);
    switch (event.key) {
      case "ArrowDown":
        if (isOpen(picker)) move(picker, 1);
        else load(picker);
        event.preventDefault();
        break;
      case "ArrowUp":
        if (isOpen(picker)) {
          move(picker, -1);
          event.preventDefault();
        }
        break;
      case "Enter":
        if (isOpen(picker)) {
          var active = parts(picker).list.querySelector("[data-pick].active");
          if (active) {
            choose(picker, active.getAttribute("data-pick"), active.getAttribute("data-text"));
            setLinked(picker, setsOf(active));
          } else close(picker);
          event.preventDefault();
        }
        break;
      case "Escape":
      case "Esc":
        if (isOpen(picker)) {
          close(picker);
          event.preventDefault();  // keys.js leaves a handled Esc alone: the modal around stays open
        }
        break;
    }
  });

  document.addEventListener("mousedown", function (event) {
    // Keep the focus in the text box while an option or "+" is clicked: blur would restore the old text first.
    if (event.target.closest && event.target.closest("[data-picker-list], [data-picker-add]")) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-pick]");
    if (option) {
      choose(pickerOf(option), option.getAttribute("data-pick"), option.getAttribute("data-text"));
      setLinked(pickerOf(option), setsOf(option));
      return;
    }
    var add = event.target.closest && event.target.closest("[data-picker-add]");
    var edit = event.target.closest && event.target.closest("[data-picker-edit]");
    if (add || edit) {
      var picker = pickerOf(add || edit);
      var p = parts(picker);
      var url = add
        ? picker.getAttribute("data-new-url") + "?name=" + encodeURIComponent(p.value.value ? "" : p.text.value)
        : picker.getAttribute("data-list-url") + p.value.value + "/";
      if (edit && !p.value.value) return;
      openCard(picker, url);
    }
  });

  document.addEventListener("focusout", function (event) {
    if (!event.target.matches || !event.target.matches("[data-picker-text]")) return;
    var picker = pickerOf(event.target);
    clearTimeout(timers.get(picker));
    restore(picker);
  });

  /* ---- the item card in a modal ---- */

  function modal() {
    var el = document.getElementById("k-picker-modal");
    if (el) return el;
    el = document.createElement("div");
    // No fade: a faded modal moves the focus when its transition ends, and a user (or a test) already typing
    // into the card's fields would have the rest of their typing land in the first field.
    el.className = "modal";
    el.id = "k-picker-modal";
    el.tabIndex = -1;
    el.setAttribute("aria-hidden", "true");
    el.setAttribute("data-testid", "picker-modal");
    el.setAttribute("data-k-modal", "");
    el.setAttribute("data-k-modal-focus", ".is-invalid, input:not([type=hidden]), select, textarea");
    el.innerHTML = '<div class="modal-dialog"><div class="modal-content"></div></div>';
    document.body.appendChild(el);
    return el;
  }

  function openCard(picker, url) {
    var el = modal();
    modalPicker = picker;
    // modal.js shows it and puts the focus in the card once the answer settles.
    window.htmx.ajax("GET", url, { target: el.querySelector(".modal-content"), swap: "innerHTML" });
  }

  document.addEventListener("k:directory-saved", function (event) {
    var detail = event.detail || {};
    var el = document.getElementById("k-picker-modal");
    if (el) window.bootstrap.Modal.getOrCreateInstance(el).hide();
    if (modalPicker && modalPicker.getAttribute("data-picker") === detail.key) {
      choose(modalPicker, String(detail.pk), detail.text);
      setLinked(modalPicker, detail.sets);
      parts(modalPicker).text.focus();
    }
    modalPicker = null;
  });
})();
