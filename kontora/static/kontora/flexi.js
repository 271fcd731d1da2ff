/*
 * The Flexi-filter panel (REG-04, REG-05) and filter templates (REG-06) of the client registry: the program's one
 * client-side island. Everywhere else the server renders and small behaviours (behaviours/) attach to its markup;
 * this panel is a tree editor that lives in the browser until it is applied.
 *
 * The panel (clients/partials/flexi_panel.html, loaded by htmx into #k-flexi-modal) carries its field catalogue and
 * the current specification as inert JSON (#k-flexi-data, json_script). This script keeps the specification as a
 * tree of plain objects,
 *   group     = {op: "and"|"or", items: [...]}
 *   condition = {field, operator, value}
 * renders it with DOM calls (no HTML strings, no inline styles), and sends it as JSON text: never a query.
 *
 * What changes the registry is htmx: "Apply" sends the specification with htmx.ajax and the answer is the rows,
 * with the "N of M" counter and the "filter active" badge out of band, so the three never disagree; the panel's
 * live count is htmx too. A refused specification answers 422 with the "k:flexi-refused" event: its errors are
 * keyed by the condition's path ("0.2.1": item indices from the root) and shown under that row.
 *
 * Saving and deleting a template are this script's own requests: honest JSON (Accept: application/json, the
 * CSRF token from the page), not dressed up as htmx.
 */
(function () {
  "use strict";

  var MAX_DEPTH = 4;
  var state = null;  // {data, spec, labels, activeTab}
  var countTimer = null;

  function csrf() {
    return document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  }

  function modal() {
    return document.getElementById("k-flexi-modal");
  }

  function post(url, values) {
    var body = new URLSearchParams();
    Object.keys(values).forEach(function (name) { body.append(name, values[name]); });
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /* ---- the registry's refusals ---- */

  // A template that no longer reads (an attribute deactivated since): say so where the badge goes.
  function showBadgeError(text) {
    var badge = document.getElementById("k-flexi-badge");
    if (badge) {
      badge.replaceChildren(el("span", { className: "text-danger", role: "alert", "data-testid": "flexi-badge-error", text: text || "" }));
    }
  }

  /* ---- the field catalogue ---- */

  function fieldDef(key) {
    var tabs = state.data.catalogue;
    for (var i = 0; i < tabs.length; i++) {
      for (var j = 0; j < tabs[i].fields.length; j++) {
        if (tabs[i].fields[j].key === key) return { tab: tabs[i], field: tabs[i].fields[j] };
      }
    }
    return null;
  }

  function operatorDef(field, code) {
    for (var i = 0; i < field.operators.length; i++) {
      if (field.operators[i].code === code) return field.operators[i];
    }
    return field.operators[0];
  }

  // "counted" (and "counted_any", without the number): directory items over a period, counted; "summed" (and
  // "summed_any", without the sum): money over a period, summed. Both are a period with keyed parts.
  function isCounted(kind) {
    return kind === "counted" || kind === "counted_any" || isSummed(kind);
  }

  function isSummed(kind) {
    return kind === "summed" || kind === "summed_any";
  }

  function emptyValue(kind) {
    if (isSummed(kind)) return { from: "", to: "", amount: "" };
    if (isCounted(kind)) return { items: [], from: "", to: "", count: "" };
    if (kind === "list") return [];
    if (kind === "range") return ["", ""];
    if (kind === "none") return null;
    return "";
  }

  function newCondition(key) {
    var found = fieldDef(key);
    var operator = found.field.operators[0];
    return { field: key, operator: operator.code, value: emptyValue(operator.value) };
  }

  function firstFieldOfActiveTab() {
    var tabs = state.data.catalogue;
    var tab = tabs.filter(function (t) { return t.code === state.activeTab; })[0] || tabs[0];
    if (tab && tab.fields.length) return tab.fields[0].key;
    for (var i = 0; i < tabs.length; i++) if (tabs[i].fields.length) return tabs[i].fields[0].key;
    return null;
  }

  /* ---- paths ---- */

  function nodeAt(path) {
    var node = state.spec;
    if (path === "") return node;
    path.split(".").forEach(function (index) { node = node.items[Number(index)]; });
    return node;
  }

  function parentOf(path) {
    var parts = path.split(".");
    var index = Number(parts.pop());
    return { group: nodeAt(parts.join(".")), index: index };
  }

  function childPath(path, index) {
    return path === "" ? String(index) : path + "." + index;
  }

  function isGroup(item) {
    return item && Object.prototype.hasOwnProperty.call(item, "items");
  }

  /* ---- rendering ---- */

  function label(key, value) {
    var labels = state.labels[key] || {};
    return labels[String(value)] || String(value);
  }

  function remember(key, value, text) {
    state.labels[key] = state.labels[key] || {};
    state.labels[key][String(value)] = text;
  }

  function pickerBox(field, path) {
    return el("div", {
      className: "k-picker input-group input-group-sm position-relative k-flexi-picker",
      "data-picker": field.directory, "data-pick-url": field.pick_url, "data-new-url": "", "data-list-url": "",
      "data-flexi-picker": path
    }, [
      el("input", { type: "hidden", "data-picker-value": true }),
      el("input", {
        type: "text", className: "form-control form-control-sm", "data-picker-text": true, autocomplete: "off",
        role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
        placeholder: state.data.text.type_to_search, "aria-label": field.label, "data-testid": "flexi-picker"
      }),
      el("div", {
        className: "dropdown-menu k-picker-list shadow-sm", role: "listbox", "data-picker-list": true
      })
    ]);
  }

  function chip(key, value, path, index) {
    return el("span", { className: "badge text-bg-light border me-1 k-flexi-chip", "data-testid": "flexi-chip" }, [
      document.createTextNode(label(key, value)),
      el("button", {
        type: "button", className: "btn-close btn-close-sm ms-1 k-flexi-unchip", "aria-label": state.data.text.remove,
        "data-flexi-unchip": path, "data-index": String(index)
      })
    ]);
  }

  function valueControl(cond, field, operator, path) {
    var kind = operator.value;
    var box = el("div", { className: "k-flexi-value d-flex flex-wrap align-items-center gap-1", "data-testid": "flexi-value" });
    if (kind === "none") return box;
    if (isCounted(kind)) return countedControl(box, cond, field, kind, path);
    var control = field.control;
    if ((control === "multi" || control === "pick") && field.choices) {
      if (kind === "list") {
        var values = (cond.value || []).map(String);
        field.choices.forEach(function (choice, i) {
          var id = "k-flexi-" + path.replace(/\./g, "-") + "-c" + i;
          box.appendChild(el("div", { className: "form-check form-check-inline mb-0" }, [
            el("input", {
              type: "checkbox", className: "form-check-input", id: id, value: String(choice[0]),
              checked: values.indexOf(String(choice[0])) >= 0, "data-flexi-choice": path
            }),
            el("label", { className: "form-check-label", "for": id, text: choice[1] })
          ]));
        });
        return box;
      }
      var select = el("select", { className: "form-select form-select-sm w-auto", "data-flexi-input": path, "aria-label": field.label });
      select.appendChild(el("option", { value: "", text: "—" }));
      field.choices.forEach(function (choice) {
        select.appendChild(el("option", { value: String(choice[0]), text: choice[1], selected: String(cond.value) === String(choice[0]) }));
      });
      box.appendChild(select);
      return box;
    }
    if ((control === "multi" || control === "pick") && field.directory) {
      if (kind === "list") {
        (cond.value || []).forEach(function (value, i) { box.appendChild(chip(field.key, value, path, i)); });
      } else if (cond.value !== "" && cond.value !== null && cond.value !== undefined) {
        box.appendChild(chip(field.key, cond.value, path, -1));
      }
      box.appendChild(pickerBox(field, path));
      return box;
    }
    var type = control === "date" ? "date" : control === "number" ? "number" : "text";
    if (kind === "range") {
      var range = Array.isArray(cond.value) ? cond.value : ["", ""];
      box.appendChild(el("input", { type: type, className: "form-control form-control-sm w-auto", value: range[0] === null ? "" : range[0], "data-flexi-input": path, "data-index": "0", "aria-label": field.label + " — " + state.data.text.from }));
      box.appendChild(el("span", { text: "—" }));
      box.appendChild(el("input", { type: type, className: "form-control form-control-sm w-auto", value: range[1] === null ? "" : range[1], "data-flexi-input": path, "data-index": "1", "aria-label": field.label + " — " + state.data.text.to }));
      return box;
    }
    box.appendChild(el("input", {
      type: type, className: "form-control form-control-sm" + (type === "text" ? "" : " w-auto"),
      value: cond.value === null || cond.value === undefined ? "" : cond.value, "data-flexi-input": path,
      "aria-label": field.label, "data-testid": "flexi-input", step: type === "number" ? "any" : null
    }));
    return box;
  }

  function countedControl(box, cond, field, kind, path) {
    var value = cond.value && typeof cond.value === "object" && !Array.isArray(cond.value) ? cond.value : emptyValue(kind);
    cond.value = value;
    if (kind === "summed") {
      box.appendChild(el("input", {
        type: "number", className: "form-control form-control-sm w-auto k-w-7", min: "0", step: "0.01",
        value: value.amount === null || value.amount === undefined ? "" : value.amount, "data-flexi-input": path,
        "data-key": "amount", "aria-label": field.label + " — " + state.data.text.amount, "data-testid": "flexi-amount"
      }));
    }
    if (kind === "counted") {
      box.appendChild(el("input", {
        type: "number", className: "form-control form-control-sm w-auto k-w-7", min: "1", step: "1",
        value: value.count === null || value.count === undefined ? "" : value.count, "data-flexi-input": path,
        "data-key": "count", "aria-label": field.label + " — " + state.data.text.count, "data-testid": "flexi-number"
      }));
    }
    (value.items || []).forEach(function (item, i) { box.appendChild(chip(field.key, item, path, i)); });
    if (field.directory) box.appendChild(pickerBox(field, path));
    ["from", "to"].forEach(function (key, i) {
      if (i) box.appendChild(el("span", { text: "—" }));
      box.appendChild(el("input", {
        type: "date", className: "form-control form-control-sm w-auto", value: value[key] || "", "data-flexi-input": path,
        "data-key": key, "aria-label": field.label + " — " + state.data.text[key], "data-testid": "flexi-" + key
      }));
    });
    return box;
  }

  function renderCondition(cond, path) {
    var found = fieldDef(cond.field);
    var row = el("div", { className: "k-flexi-cond d-flex flex-wrap align-items-start gap-1 py-1", "data-path": path, "data-testid": "flexi-condition" });
    if (!found) {
      row.appendChild(el("span", { className: "text-danger", text: cond.field }));
      row.appendChild(el("button", { type: "button", className: "btn btn-sm btn-outline-secondary py-0 ms-auto", "data-flexi-remove": path, "aria-label": state.data.text.remove, text: "×" }));
      return row;
    }
    var field = found.field;
    var operator = operatorDef(field, cond.operator);
    row.appendChild(el("span", { className: "badge text-bg-secondary mt-1", text: found.tab.label, title: found.tab.label }));
    var fieldSelect = el("select", { className: "form-select form-select-sm w-auto", "data-flexi-field": path, "aria-label": state.data.text.field, "data-testid": "flexi-field" });
    found.tab.fields.forEach(function (f) {
      fieldSelect.appendChild(el("option", { value: f.key, text: f.label, selected: f.key === field.key }));
    });
    row.appendChild(fieldSelect);
    var opSelect = el("select", { className: "form-select form-select-sm w-auto", "data-flexi-operator": path, "aria-label": state.data.text.operator, "data-testid": "flexi-operator" });
    field.operators.forEach(function (op) {
      opSelect.appendChild(el("option", { value: op.code, text: op.label, selected: op.code === operator.code }));
    });
    row.appendChild(opSelect);
    row.appendChild(valueControl(cond, field, operator, path));
    row.appendChild(el("button", { type: "button", className: "btn btn-sm btn-outline-secondary py-0 ms-auto", "data-flexi-remove": path, title: state.data.text.remove, "aria-label": state.data.text.remove, "data-testid": "flexi-remove", text: "×" }));
    row.appendChild(el("div", { className: "w-100 text-danger small", "data-flexi-error": path, "data-testid": "flexi-row-error" }));
    return row;
  }

  function renderGroup(group, path, depth) {
    var box = el("div", { className: "k-flexi-group border rounded p-1 mb-1" + (depth ? " ms-3" : ""), "data-path": path, "data-testid": "flexi-group" });
    var opSelect = el("select", { className: "form-select form-select-sm w-auto", "data-flexi-op": path, "aria-label": state.data.text.join, "data-testid": "flexi-group-op" });
    opSelect.appendChild(el("option", { value: "and", text: state.data.text.and, selected: group.op !== "or" }));
    opSelect.appendChild(el("option", { value: "or", text: state.data.text.or, selected: group.op === "or" }));
    var head = el("div", { className: "d-flex flex-wrap align-items-center gap-1" }, [
      el("span", { className: "text-body-secondary", text: state.data.text.join }),
      opSelect,
      el("button", { type: "button", className: "btn btn-sm btn-light border py-0", "data-flexi-add-condition": path, "data-testid": "flexi-add-condition", text: "+ " + state.data.text.condition }),
      depth + 1 < MAX_DEPTH ? el("button", { type: "button", className: "btn btn-sm btn-light border py-0", "data-flexi-add-group": path, "data-testid": "flexi-add-group", text: "+ " + state.data.text.group }) : null,
      depth ? el("button", { type: "button", className: "btn btn-sm btn-outline-secondary py-0 ms-auto", "data-flexi-remove": path, "aria-label": state.data.text.remove_group, title: state.data.text.remove_group, "data-testid": "flexi-remove-group", text: "×" }) : null
    ]);
    box.appendChild(head);
    var items = el("div", { className: "k-flexi-items" });
    group.items.forEach(function (item, index) {
      var p = childPath(path, index);
      items.appendChild(isGroup(item) ? renderGroup(item, p, depth + 1) : renderCondition(item, p));
    });
    if (!group.items.length) items.appendChild(el("div", { className: "text-body-secondary fst-italic py-1", text: depth ? state.data.text.empty_group : state.data.text.empty_root }));
    box.appendChild(items);
    box.appendChild(el("div", { className: "w-100 text-danger small", "data-flexi-error": path }));
    return box;
  }

  function render(focusPath) {
    var tree = document.getElementById("k-flexi-tree");
    if (!tree) return;
    tree.replaceChildren(renderGroup(state.spec, "", 0));
    if (focusPath !== undefined) {
      var target = tree.querySelector('[data-path="' + focusPath + '"] [data-picker-text], [data-path="' + focusPath + '"] [data-flexi-input], [data-path="' + focusPath + '"] [data-flexi-field]');
      if (target) target.focus();
    }
    scheduleCount();
  }

  /* ---- the specification posted ---- */

  function cleanValue(cond) {
    var found = fieldDef(cond.field);
    if (!found) return cond.value;
    var field = found.field;
    var kind = operatorDef(field, cond.operator).value;
    var one = function (value) {
      if (value === "" || value === null || value === undefined) return null;
      if (field.control === "number") return Number(value);
      if ((field.control === "pick" || field.control === "multi") && field.directory) return Number(value);
      if (field.choices) {
        var match = field.choices.filter(function (c) { return String(c[0]) === String(value); })[0];
        return match ? match[0] : value;
      }
      return value;
    };
    if (kind === "none") return null;
    if (isSummed(kind)) {
      var sv = cond.value || {};
      var amount = kind === "summed" && sv.amount !== "" && sv.amount !== null && sv.amount !== undefined ? String(sv.amount) : null;
      return { from: sv.from || null, to: sv.to || null, amount: amount };
    }
    if (isCounted(kind)) {
      var v = cond.value || {};
      var count = kind === "counted" && v.count !== "" && v.count !== null && v.count !== undefined ? Number(v.count) : null;
      return { items: (v.items || []).map(Number), from: v.from || null, to: v.to || null, count: count };
    }
    if (kind === "list") return (cond.value || []).map(one);
    if (kind === "range") return (Array.isArray(cond.value) ? cond.value : ["", ""]).map(one);
    return one(cond.value);
  }

  function cleanSpec(node) {
    if (isGroup(node)) return { op: node.op === "or" ? "or" : "and", items: node.items.map(cleanSpec) };
    return { field: node.field, operator: node.operator, value: cleanValue(node) };
  }

  function specJson() {
    return JSON.stringify(cleanSpec(state.spec));
  }

  /* ---- live count ---- */

  function scheduleCount() {
    clearTimeout(countTimer);
    countTimer = setTimeout(loadCount, 300);
  }

  function loadCount() {
    var panel = document.querySelector("[data-flexi-panel]");
    var out = document.getElementById("k-flexi-count");
    if (!panel || !out) return;
    // htmx queues a request behind the one in flight on the same element, keeping only the last: no stale count.
    window.htmx.ajax("POST", panel.getAttribute("data-count-url"), {
      source: out, target: out, swap: "innerHTML", values: { spec: specJson() }
    });
  }

  /* ---- errors ---- */

  function clearErrors() {
    document.querySelectorAll("#k-flexi-modal [data-flexi-error]").forEach(function (node) { node.textContent = ""; });
    document.querySelectorAll("#k-flexi-modal .is-invalid").forEach(function (node) { node.classList.remove("is-invalid"); });
    var general = document.getElementById("k-flexi-error");
    if (general) general.textContent = "";
  }

  function showErrors(answer) {
    var general = document.getElementById("k-flexi-error");
    if (general) general.textContent = answer.error || "";
    Object.keys(answer.rows || {}).forEach(function (path) {
      var slot = document.querySelector('#k-flexi-tree [data-flexi-error="' + path + '"]');
      if (slot) {
        slot.textContent = answer.rows[path];
        var row = slot.closest("[data-path]");
        if (row) row.querySelectorAll("select, input:not([type=hidden]):not([type=checkbox])").forEach(function (n) { n.classList.add("is-invalid"); });
      } else if (general) {
        general.textContent = (general.textContent ? general.textContent + " " : "") + answer.rows[path];
      }
    });
  }

  /* ---- the panel's life ---- */

  function start(content) {
    var data = JSON.parse(document.getElementById("k-flexi-data").textContent);
    var spec = data.spec && isGroup(data.spec) ? data.spec : { op: "and", items: [] };
    state = { data: data, spec: spec, labels: data.labels || {}, activeTab: data.catalogue.length ? data.catalogue[0].code : "" };
    render();
    var first = content.querySelector("[data-flexi-tab]");
    if (first) state.activeTab = first.getAttribute("data-flexi-tab");
  }

  function openPanel(url) {
    var m = modal();
    if (!m) return;
    var content = m.querySelector(".modal-content");
    window.htmx.ajax("GET", url || m.getAttribute("data-panel-url"), { source: m, target: content, swap: "innerHTML" });
  }

  // The panel arrived (a refusal swaps nothing, and nothing opens).
  document.addEventListener("htmx:afterSwap", function (event) {
    var m = modal();
    if (!m || event.detail.target !== m.querySelector(".modal-content")) return;
    start(event.detail.target);
    window.bootstrap.Modal.getOrCreateInstance(m).show();
  });

  function closePanel() {
    var m = modal();
    if (m) window.bootstrap.Modal.getOrCreateInstance(m).hide();
  }

  function apply() {
    var panel = document.querySelector("[data-flexi-panel]");
    clearErrors();
    window.htmx.ajax("POST", panel.getAttribute("data-apply-url"), {
      source: panel, target: "#k-registry-body", swap: "innerHTML", values: { spec: specJson() }
    });
  }

  // An applied filter closes the panel; a refused one stays open with its errors.
  document.addEventListener("htmx:afterRequest", function (event) {
    var panel = event.detail.elt;
    if (!panel.hasAttribute || !panel.hasAttribute("data-flexi-panel") || !event.detail.successful) return;
    if (event.detail.requestConfig.path === panel.getAttribute("data-apply-url")) closePanel();
  });

  document.addEventListener("k:flexi-refused", function (event) {
    if (state && event.target.closest && event.target.closest("#k-flexi-modal")) showErrors(event.detail);
    else showBadgeError(event.detail.error);
  });

  function saveTemplate(remove) {
    var panel = document.querySelector("[data-flexi-panel]");
    var form = document.getElementById("k-flexi-save");
    var status = document.getElementById("k-flexi-save-status");
    clearErrors();
    form.querySelectorAll(".invalid-feedback").forEach(function (n) { n.textContent = ""; });
    var values = { template_id: form.querySelector("[name=template_id]").value };
    var url = panel.getAttribute(remove ? "data-delete-url" : "data-save-url");
    if (!remove) {
      values.spec = specJson();
      values.name = form.querySelector("[name=name]").value;
      values.share = form.querySelector("[name=share]").value;
    }
    post(url, values).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      var answer = result.answer;
      if (!result.ok) {
        Object.keys(answer.fields || {}).forEach(function (name) {
          var input = form.querySelector("[name=" + name + "]");
          var slot = form.querySelector('[data-flexi-field-error="' + name + '"]');
          if (input) input.classList.add("is-invalid");
          if (slot) slot.textContent = answer.fields[name];
        });
        showErrors(answer);
        status.textContent = "";
        return;
      }
      form.querySelector("[name=template_id]").value = answer.id || "";
      var del = form.querySelector("[data-flexi-delete]");
      if (del) del.classList.toggle("d-none", !answer.id);
      if (remove) form.querySelector("[name=name]").value = "";
      status.textContent = answer.message || "";
    });
  }

  /* ---- events ---- */

  document.addEventListener("click", function (event) {
    var t = event.target;
    if (!t.closest) return;
    var hit;
    if ((hit = t.closest("[data-flexi-open]"))) {
      event.preventDefault();
      openPanel(hit.getAttribute("data-flexi-open") || null);
      return;
    }
    if (!state || !t.closest("#k-flexi-modal")) return;
    if ((hit = t.closest("[data-flexi-tab]"))) {
      state.activeTab = hit.getAttribute("data-flexi-tab");
      return;
    }
    if ((hit = t.closest("[data-flexi-add]"))) {
      var group = document.querySelector("#k-flexi-tree .k-flexi-group.k-flexi-current");
      var path = group ? group.getAttribute("data-path") : "";
      var target = nodeAt(path);
      target.items.push(newCondition(hit.getAttribute("data-flexi-add")));
      render(childPath(path, target.items.length - 1));
      return;
    }
    if ((hit = t.closest("[data-flexi-add-condition]"))) {
      var key = firstFieldOfActiveTab();
      if (!key) return;
      var g = nodeAt(hit.getAttribute("data-flexi-add-condition"));
      g.items.push(newCondition(key));
      render(childPath(hit.getAttribute("data-flexi-add-condition"), g.items.length - 1));
      return;
    }
    if ((hit = t.closest("[data-flexi-add-group]"))) {
      var parent = nodeAt(hit.getAttribute("data-flexi-add-group"));
      var firstKey = firstFieldOfActiveTab();
      parent.items.push({ op: "or", items: firstKey ? [newCondition(firstKey)] : [] });
      render(childPath(childPath(hit.getAttribute("data-flexi-add-group"), parent.items.length - 1), 0));
      return;
    }
    if ((hit = t.closest("[data-flexi-remove]"))) {
      var where = parentOf(hit.getAttribute("data-flexi-remove"));
      where.group.items.splice(where.index, 1);
      render();
      return;
    }
    if ((hit = t.closest("[data-flexi-unchip]"))) {
      var cond = nodeAt(hit.getAttribute("data-flexi-unchip"));
      var index = Number(hit.getAttribute("data-index"));
      if (index < 0) cond.value = "";
      else if (Array.isArray(cond.value)) cond.value.splice(index, 1);
      else cond.value.items.splice(index, 1);
      render();
      return;
    }
    if ((hit = t.closest("[data-flexi-apply]"))) {
      apply();
      return;
    }
    if ((hit = t.closest("[data-flexi-reset]"))) {
      state.spec = { op: "and", items: [] };
      clearErrors();
      render();
      return;
    }
    if ((hit = t.closest("[data-flexi-save-template]"))) {
      saveTemplate(false);
      return;
    }
    if ((hit = t.closest("[data-flexi-delete]"))) {
      saveTemplate(true);  // behaviours/confirm.js has asked (data-k-confirm)
      return;
    }
  });

  // The group last clicked in receives the fields chosen on the tabs above.
  document.addEventListener("focusin", function (event) {
    if (!state || !event.target.closest || !event.target.closest("#k-flexi-tree")) return;
    var group = event.target.closest(".k-flexi-group");
    document.querySelectorAll("#k-flexi-tree .k-flexi-current").forEach(function (n) { n.classList.remove("k-flexi-current"); });
    if (group) group.classList.add("k-flexi-current");
  });

  document.addEventListener("change", function (event) {
    var t = event.target;
    if (!state || !t.closest || !t.closest("#k-flexi-tree")) return;
    var path;
    if ((path = t.getAttribute("data-flexi-op")) !== null) {
      nodeAt(path).op = t.value;
      scheduleCount();
    } else if ((path = t.getAttribute("data-flexi-field")) !== null) {
      var where = parentOf(path);
      where.group.items[where.index] = newCondition(t.value);
      render(path);
    } else if ((path = t.getAttribute("data-flexi-operator")) !== null) {
      var cond = nodeAt(path);
      var field = fieldDef(cond.field).field;
      var before = operatorDef(field, cond.operator).value;
      cond.operator = t.value;
      var after = operatorDef(field, cond.operator).value;
      if (before !== after && !(isCounted(before) && isCounted(after))) cond.value = emptyValue(after);
      render(path);
    } else if ((path = t.getAttribute("data-flexi-choice")) !== null) {
      var c = nodeAt(path);
      var chosen = Array.prototype.map.call(
        t.closest(".k-flexi-value").querySelectorAll("[data-flexi-choice]:checked"), function (n) { return n.value; });
      c.value = chosen;
      scheduleCount();
    } else if (t.matches("[data-picker-value]")) {
      var picker = t.closest("[data-flexi-picker]");
      if (!picker || !t.value) return;
      path = picker.getAttribute("data-flexi-picker");
      var target = nodeAt(path);
      var def = fieldDef(target.field).field;
      var text = picker.querySelector("[data-picker-text]").value;
      remember(def.key, t.value, text);
      var pickedKind = operatorDef(def, target.operator).value;
      if (isCounted(pickedKind)) {
        target.value.items = target.value.items || [];
        if (target.value.items.map(String).indexOf(String(t.value)) < 0) target.value.items.push(Number(t.value));
      } else if (pickedKind === "list") {
        target.value = target.value || [];
        if (target.value.map(String).indexOf(String(t.value)) < 0) target.value.push(Number(t.value));
      } else {
        target.value = Number(t.value);
      }
      render(path);
    } else if ((path = t.getAttribute("data-flexi-input")) !== null) {
      storeInput(t, path);
    }
  });

  function storeInput(t, path) {
    var cond = nodeAt(path);
    if (t.hasAttribute("data-key")) {
      cond.value[t.getAttribute("data-key")] = t.value;
    } else if (t.hasAttribute("data-index")) {
      if (!Array.isArray(cond.value)) cond.value = ["", ""];
      cond.value[Number(t.getAttribute("data-index"))] = t.value;
    } else {
      cond.value = t.value;
    }
    scheduleCount();
  }

  document.addEventListener("input", function (event) {
    var t = event.target;
    if (!state || !t.getAttribute || !t.closest("#k-flexi-tree")) return;
    var path = t.getAttribute("data-flexi-input");
    if (path !== null) storeInput(t, path);
  });

  // Enter in a value box applies the filter (the picker handles its own Enter first).
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (!state || event.key !== "Enter" || !t.closest || !t.closest("#k-flexi-tree")) return;
    if (t.matches("[data-flexi-input]")) {
      event.preventDefault();
      storeInput(t, t.getAttribute("data-flexi-input"));
      apply();
    }
  });

  document.addEventListener("shown.bs.modal", function (event) {
    if (event.target.id !== "k-flexi-modal") return;
    var first = event.target.querySelector("#k-flexi-tree [data-flexi-input], #k-flexi-tree [data-picker-text], [data-flexi-tab].active");
    if (first) first.focus();
  });

  // The templates list: a template saved or deleted in the panel is reloaded next time the list opens.
  document.addEventListener("show.bs.dropdown", function (event) {
    var toggle = event.target;
    if (!toggle.hasAttribute || !toggle.hasAttribute("data-flexi-templates") || !window.htmx) return;
    window.htmx.ajax("GET", toggle.getAttribute("data-flexi-templates"), { target: "#k-flexi-templates", swap: "innerHTML" });
  });

  // The list's width is known only once it and its counts have come: placed again then, so it stays inside the
  // window (its ✎ buttons were left under the Informer, placed for the narrow "Loading…").
  document.addEventListener("htmx:afterSettle", function (event) {
    var menu = event.target.closest && event.target.closest("#k-flexi-templates");
    var toggle = menu && menu.parentElement.querySelector("[data-flexi-templates]");
    var dropdown = toggle && window.bootstrap && window.bootstrap.Dropdown.getInstance(toggle);
    if (dropdown && menu.classList.contains("show")) dropdown.update();
  });
})();
