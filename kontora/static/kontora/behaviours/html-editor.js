/*
 * html-editor: a textarea with data-k-html-editor="<id of a <template>>" (partials/html_editor.html) is edited in a
 * WYSIWYG editor: Quill 2 (vendored in static/vendor/quill-2.0.3/, loaded only by a page that has such a textarea,
 * e.g. the group processing manager's «E-mail» tab). The template holds the toolbar, drawn by the server in the
 * page's language, and the tooltip's words (data-k-html-editor-visit, -enter, -edit, -save, -remove, which
 * kontora.css shows in place of Quill's English) and the empty editor's placeholder (-placeholder).
 *
 * The textarea stays in the form, hidden, and takes the editor's HTML on every change, so the form posts it as
 * before (the server cleans it with nh3 either way) and htmx requests that include the form (the recipient check)
 * send it too. Without JavaScript, or without Quill, the textarea is the plain field it was.
 *
 * Quill keeps its own model: only the formats below exist in it, so a paste keeps text, bold, italic, underline,
 * headings, lists and links and loses the rest (images, styles, scripts). Nothing here or in Quill writes a style
 * attribute or a <style> element (the Content-Security-Policy's style-src 'self' would refuse them), and pasted HTML
 * loses its styles and handlers before Quill parses it (see inert()). Tab moves on to the next field, as in every
 * other field of the program; in a list it indents the item (Shift+Tab outdents). A link typed without a scheme gets
 * https:// (or mailto: for an address).
 */
(function () {
  "use strict";

  var SELECTOR = "textarea[data-k-html-editor]";
  var FORMATS = ["header", "bold", "italic", "underline", "list", "indent", "link"];
  var WORDS = ["data-k-html-editor-visit", "data-k-html-editor-enter"]; // the tooltip's own; its links' below

  function letterHtml(quill) {
    if (quill.getLength() <= 1) return ""; // only the closing line break: nothing written
    // getSemanticHTML() gives the letter as plain tags (lists as <ul>/<ol>), but Quill 2.0.3 writes every space as
    // &nbsp; (its text is escaped, so "&nbsp;" in it is always one of them), and a letter of no-break spaces never
    // wraps: a run of n spaces becomes n - 1 no-break spaces and one plain space.
    return quill.getSemanticHTML().replace(/(?:&nbsp;)+/g, function (run) {
      return new Array(run.length / 6).join("&nbsp;") + " ";
    });
  }

  // Pasted HTML (and a textarea's HTML taken in) made inert before a parser sees it: no style attribute, no event
  // handler attribute (on…), no <img> or <link>, no <style> or <script> element with its content. Quill reads HTML
  // through DOMParser, and even there, in a document never shown, the policy refuses each style attribute and
  // handler and reports it (an <img src=x onerror=…> fails to load and its handler is refused). None of these is a
  // format of the editor, so nothing of the letter is lost. A small scanner after the HTML tokenizer's tag states
  // (a "/" parts attributes as a space does; a name may begin with "="), so a tag the parser sees is a tag here too.
  var TAG_NAME = /<[a-zA-Z][^\s\/>]*/y;
  var ATTRIBUTE_NAME = /[^\s\/>][^\s\/>=]*/y;
  var SPACE = /[\s\/]*/y;
  var UNQUOTED = /[^\s>]*/y;

  function at(pattern, text, index) {
    pattern.lastIndex = index;
    var found = pattern.exec(text);
    return found ? found[0] : "";
  }

  function inert(html) {
    var out = "";
    var i = 0;
    while (i < html.length) {
      var open = html.indexOf("<", i);
      if (open < 0) { out += html.slice(i); break; }
      out += html.slice(i, open);
      if (html.startsWith("<!--", open)) {
        var shut = html.indexOf("-->", open + 4);
        i = shut < 0 ? html.length : shut + 3; // comments go: they carry nothing for a letter
        continue;
      }
      var name = at(TAG_NAME, html, open);
      if (!name) { out += "<"; i = open + 1; continue; }
      var tag = name;
      var j = open + name.length;
      while (j < html.length) {
        var space = at(SPACE, html, j);
        j += space.length;
        if (j >= html.length || html[j] === ">") break;
        var attribute = at(ATTRIBUTE_NAME, html, j);
        var end = j + attribute.length;
        end += at(/\s*/y, html, end).length;
        if (html[end] === "=") {
          end += 1;
          end += at(/\s*/y, html, end).length;
          var quote = html[end];
          if (quote === '"' || quote === "'") {
            var closing = html.indexOf(quote, end + 1);
            end = closing < 0 ? html.length : closing + 1;
          } else {
            end += at(UNQUOTED, html, end).length;
          }
        } else {
          end = j + attribute.length;
        }
        var named = attribute.toLowerCase();
        if (named !== "style" && !/^on/.test(named)) tag += " " + html.slice(j, end);
        j = end;
      }
      i = Math.min(j + 1, html.length);
      var lower = name.slice(1).toLowerCase();
      if (lower === "img" || lower === "link") continue; // nothing to fetch, nothing to fail
      if (lower === "style" || lower === "script") {
        var after = html.toLowerCase().indexOf("</" + lower, i);
        var stop = after < 0 ? -1 : html.indexOf(">", after);
        i = stop < 0 ? html.length : stop + 1; // the element goes with its content
        continue;
      }
      out += tag + ">";
    }
    return out;
  }

  // A link typed without its scheme ("example.ru", "sales@example.ru") would be a relative address in a letter.
  function linkWithScheme() {
    var Link = window.Quill.import("formats/link");
    if (!Link || Link.kontoraScheme) return;
    var sanitize = Link.sanitize;
    Link.sanitize = function (url) {
      var value = String(url || "").trim();
      if (value && !/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[\/#?{]/.test(value)) {
        value = (/^[^\s@\/]+@[^\s@\/]+$/.test(value) ? "mailto:" : "https://") + value;
      }
      return sanitize.call(this, value);
    };
    Link.kontoraScheme = true;
  }

  function label(area) {
    return area.id ? document.querySelector('label[for="' + area.id + '"]') : null;
  }

  function words(quill, template) {
    var tooltip = quill.theme && quill.theme.tooltip && quill.theme.tooltip.root;
    if (!tooltip) return;
    WORDS.forEach(function (name) {
      if (template.hasAttribute(name)) tooltip.setAttribute(name, template.getAttribute(name));
    });
    var action = tooltip.querySelector("a.ql-action");
    var remove = tooltip.querySelector("a.ql-remove");
    var box = tooltip.querySelector("input[data-link]");
    if (action) {
      action.setAttribute("data-k-html-editor-edit", template.getAttribute("data-k-html-editor-edit") || "");
      action.setAttribute("data-k-html-editor-save", template.getAttribute("data-k-html-editor-save") || "");
    }
    if (remove) {
      remove.setAttribute("data-k-html-editor-remove", template.getAttribute("data-k-html-editor-remove") || "");
    }
    if (box) box.setAttribute("data-link", "https://");
  }

  function start(area) {
    if (area.hasAttribute("data-k-html-editor-on") || !window.Quill) return;
    var template = document.getElementById(area.getAttribute("data-k-html-editor"));
    if (!template || !template.content || !template.content.firstElementChild) return;
    area.setAttribute("data-k-html-editor-on", "");
    linkWithScheme();

    var holder = document.createElement("div");
    holder.className = "k-html-editor";
    if (area.classList.contains("is-invalid")) holder.classList.add("k-html-editor-invalid");
    var toolbar = template.content.firstElementChild.cloneNode(true);
    var box = document.createElement("div");
    holder.appendChild(toolbar);
    holder.appendChild(box);
    area.parentNode.insertBefore(holder, area.nextSibling);
    area.classList.add("d-none");

    var quill = new window.Quill(box, {
      theme: "snow",
      formats: FORMATS,
      bounds: holder,
      placeholder: template.getAttribute("data-k-html-editor-placeholder") || "",
      modules: {
        toolbar: toolbar,
        keyboard: { bindings: { tab: { key: "Tab", handler: function () { return true; } } } }
      }
    });
    if (area.value.trim()) quill.setContents(quill.clipboard.convert({ html: inert(area.value) }), "silent");
    quill.history.clear();
    words(quill, template);

    // The editor is the field now: its name, its description, and its label's click lead to it.
    var root = quill.root;
    var named = label(area);
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    if (named) {
      root.setAttribute("aria-label", named.textContent.trim());
      named.addEventListener("click", function () { quill.focus(); });
    }
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (area.hasAttribute(name)) root.setAttribute(name, area.getAttribute(name));
    });
    // A picker takes its select's attributes (the title too), but its opening button has no name of its own.
    toolbar.querySelectorAll(".ql-picker[title] > .ql-picker-label").forEach(function (opener) {
      opener.setAttribute("aria-label", opener.parentNode.getAttribute("title"));
    });

    // A paste with HTML into the text is Quill's own paste (its documented convert and updateContents), from the
    // HTML made inert first; this listener, on the way down to the editor, comes before Quill's. A paste into the
    // link's box is the box's.
    holder.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      var html = data && data.getData("text/html");
      if (!html || !root.contains(event.target) || event.defaultPrevented || !quill.isEnabled()) return;
      event.preventDefault();
      event.stopPropagation();
      var range = quill.getSelection(true);
      if (!range) return;
      var Delta = window.Quill.import("delta");
      var pasted = quill.clipboard.convert({ html: inert(html), text: data.getData("text/plain") },
                                          quill.getFormat(range.index));
      quill.updateContents(new Delta().retain(range.index).delete(range.length).concat(pasted), "user");
      quill.setSelection(range.index + pasted.length(), "silent");
      quill.scrollSelectionIntoView();
    }, true);

    quill.on("text-change", function () {
      area.value = letterHtml(quill);
      area.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function startAll(root) {
    if (root.matches && root.matches(SELECTOR)) start(root);
    if (root.querySelectorAll) root.querySelectorAll(SELECTOR).forEach(start);
  }

  // Deferred scripts run in order and Quill's comes after the behaviours: start once all of them have run, and
  // again for content htmx swaps in later.
  if (document.readyState === "complete") startAll(document);
  else document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  document.addEventListener("htmx:load", function (event) { startAll(event.detail.elt); });
  window.kontoraInert = inert; // the tests give it the tags a parser would see
})();
