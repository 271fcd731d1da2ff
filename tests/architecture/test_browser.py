"""Browser code (docs/architecture.md, "Browser code"): the server renders, small behaviours attach to its markup,
and the Content-Security-Policy lets nothing else run.

- templates hold no inline script: no `<script>` without `src` (json_script's inert JSON is data, not code), no
  `on…=` handler attribute, no `javascript:` address;
- templates hold no inline style: no `<style>` element, no `style=` attribute (classes in kontora.css instead);
- htmx runs without eval: no `hx-on`, no trigger filter (`keydown[key=='Enter']`), no `js:` value, no `hx-vars`;
  its configuration is the one `htmx-config` meta of base.html (no eval, no history cache in localStorage);
- the program's scripts never pretend to be htmx (no `HX-` request header), never eval, never write a style
  attribute, and leave htmx's configuration alone;
- the Python side reads htmx's `HX-` request headers only in `kontora/core/htmx.py`;
- every behaviour (static/kontora/behaviours/) is loaded by every page, and every `data-k-*` attribute of the
  templates belongs to a script that reads it.

Each allow-list may only shrink: an entry that no longer breaks its rule fails the test until removed. All are
empty, and the policy itself (core.middleware) lets no inline code through, by hash or otherwise.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from kontora.core.middleware import CONTENT_SECURITY_POLICY
from tests.support.codebase import PACKAGE, ROOT, Module, dotted, modules

INLINE_SCRIPT_ALLOWED: frozenset[str] = frozenset()
INLINE_STYLE_ALLOWED: frozenset[str] = frozenset()
HTMX_EVAL_ALLOWED: frozenset[str] = frozenset()
SCRIPTS_ALLOWED: frozenset[str] = frozenset()
HX_HEADERS_ALLOWED: frozenset[str] = frozenset()

STATIC = PACKAGE / "static" / "kontora"
BEHAVIOURS = STATIC / "behaviours"
BEHAVIOURS_PARTIAL = PACKAGE / "templates" / "partials" / "behaviours.html"
BASE = PACKAGE / "templates" / "base.html"

# Template code, replaced so that a tag's attributes read as plain HTML: comments go, a tag becomes a blank, a
# variable becomes a word (both branches of an {% if %} inside a tag are then read, which is what a rule wants).
_TEMPLATE_CODE = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{%.*?%}|{{.*?}}", re.S)
_TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:\s+[^\s=<>/\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?)*)\s*/?>")
_ATTRIBUTE = re.compile(r"([^\s=<>/\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>=`]+)))?")


@dataclass(frozen=True)
class Tag:
    name: str
    attributes: dict[str, str]


def _code_to_blanks(match: re.Match[str]) -> str:
    return "x" if match.group(0).startswith("{{") else " "


@cache
def templates() -> tuple[tuple[str, str], ...]:
    """(path from the repository, text) of every template of the program."""
    return tuple(
        (path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.html")) if "templates" in path.parts
    )


def tags(text: str) -> Iterator[Tag]:
    for match in _TAG.finditer(_TEMPLATE_CODE.sub(_code_to_blanks, text)):
        attributes = {
            found.group(1).lower(): next((value for value in found.groups()[1:] if value is not None), "")
            for found in _ATTRIBUTE.finditer(match.group(2))
        }
        yield Tag(match.group(1).lower(), attributes)


@cache
def scripts() -> tuple[tuple[str, str], ...]:
    """(path, text) of the program's own scripts (vendored libraries aside)."""
    return tuple(
        (path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in sorted(STATIC.rglob("*.js"))
    )


def _check(found: set[str], allowed: frozenset[str], name: str) -> None:
    assert sorted(found - allowed) == []
    assert sorted(allowed - found) == [], f"mended: remove these from {name}"


# --- the rules ------------------------------------------------------------------------------------------------


Files = Iterable[tuple[str, str]]


def _faults(files: Files, judge: Callable[[Tag], Iterator[str]]) -> set[str]:
    """"<path>: <fault>" for every fault `judge` names in a tag of the templates."""
    return {f"{path}: {fault}" for path, text in files for tag in tags(text) for fault in judge(tag)}


def _script_in(tag: Tag) -> Iterator[str]:
    if tag.name == "script" and "src" not in tag.attributes:
        yield "inline script"
    for name, value in tag.attributes.items():
        if re.fullmatch(r"on[a-z]+", name):
            yield f"{name} attribute"
        if value.strip().lower().startswith("javascript:"):
            yield "javascript: address"


def _style_in(tag: Tag) -> Iterator[str]:
    if tag.name == "style":
        yield "style element"
    if "style" in tag.attributes:
        yield "style attribute"


def _eval_in(tag: Tag) -> Iterator[str]:
    for name, value in tag.attributes.items():
        bare = name.removeprefix("data-")
        if bare.startswith("hx-on"):
            yield "hx-on"
        elif bare == "hx-vars":
            yield "hx-vars"
        elif bare == "hx-trigger" and "[" in value:
            yield "hx-trigger filter"
        elif bare in ("hx-vals", "hx-headers") and value.strip().startswith(("js:", "javascript:")):
            yield "js: value"


def _inline_scripts(files: Files) -> set[str]:
    return _faults(files, _script_in)


def _inline_styles(files: Files) -> set[str]:
    return _faults(files, _style_in)


def _htmx_eval(files: Files) -> set[str]:
    return _faults(files, _eval_in)


def _script_faults(files: Files) -> set[str]:
    checks = {
        "sends an HX- header (a request dressed up as htmx)": r"[\"']HX-[A-Za-z-]+[\"']",
        "evaluates a string": r"\beval\s*\(|\bnew\s+Function\s*\(|set(?:Timeout|Interval)\s*\(\s*[\"'`]",
        "writes a style attribute": r"setAttribute\(\s*[\"']style[\"']|<[^>\n]*\sstyle=|[{,]\s*[\"']?style[\"']?\s*:",
        "changes htmx's configuration": r"htmx\.config\.\w+\s*=",
    }
    found = set()
    for path, text in files:
        # comments may name what the code must not do
        code = re.sub(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", "", text, flags=re.S)
        found |= {f"{path}: {fault}" for fault, pattern in checks.items() if re.search(pattern, code)}
    return found


_HEADER_HOLDERS = ("headers", "META")


def _reads_of_hx_headers(sources: Iterable[Module]) -> set[str]:
    """`request.headers.get("HX-…")`, `request.headers["HX-…"]`, `"HX-…" in request.headers` (and `META`'s
    `HTTP_HX_…`); writing htmx's response headers (`response["HX-Trigger"] = …`) is an answer, not a read."""

    def is_hx(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, str) and (
            node.value.lower().startswith("hx-") or node.value.startswith("HTTP_HX_"))

    def holds_headers(node: ast.AST) -> bool:
        return dotted(node).rsplit(".", 1)[-1] in _HEADER_HOLDERS

    found = set()
    for module in sources:
        if module.name == "kontora.core.htmx":
            continue
        for node in ast.walk(module.tree):
            read = (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and holds_headers(node.func.value) and bool(node.args) and is_hx(node.args[0])
            ) or (
                isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and holds_headers(node.value)
                and is_hx(node.slice)
            ) or (
                isinstance(node, ast.Compare) and is_hx(node.left) and any(holds_headers(c) for c in node.comparators)
            )
            if read:
                found.add(f"{module.rel}: reads an HX- request header")
    return found


def test_templates_hold_no_inline_script() -> None:
    _check(_inline_scripts(templates()), INLINE_SCRIPT_ALLOWED, "INLINE_SCRIPT_ALLOWED")


def test_templates_hold_no_inline_style() -> None:
    _check(_inline_styles(templates()), INLINE_STYLE_ALLOWED, "INLINE_STYLE_ALLOWED")


def test_htmx_attributes_need_no_eval() -> None:
    _check(_htmx_eval(templates()), HTMX_EVAL_ALLOWED, "HTMX_EVAL_ALLOWED")


def test_scripts_are_honest_and_eval_free() -> None:
    _check(_script_faults(scripts()), SCRIPTS_ALLOWED, "SCRIPTS_ALLOWED")


def test_htmx_request_headers_are_read_only_in_core_htmx() -> None:
    _check(_reads_of_hx_headers(modules()), HX_HEADERS_ALLOWED, "HX_HEADERS_ALLOWED")


def test_htmx_runs_without_eval_and_keeps_no_history_in_local_storage() -> None:
    metas = [tag for tag in tags(BASE.read_text(encoding="utf-8"))
             if tag.name == "meta" and tag.attributes.get("name") == "htmx-config"]
    assert len(metas) == 1
    config = json.loads(metas[0].attributes["content"])
    assert config["allowEval"] is False
    assert config["historyCacheSize"] == 0
    assert config["includeIndicatorStyles"] is False  # its own <style> element: refused by the policy
    assert "style" not in config["attributesToSettle"]  # settling would write style attributes


def test_every_behaviour_is_loaded_and_every_data_k_attribute_is_read() -> None:
    files = {f"kontora/behaviours/{path.name}" for path in BEHAVIOURS.glob("*.js")} | {"kontora/flexi.js"}
    loaded = set(re.findall(r"<script src=\"{% static '([^']+)' %}\" defer></script>",
                            BEHAVIOURS_PARTIAL.read_text(encoding="utf-8")))
    assert loaded == files
    used = {name for _path, text in templates() for tag in tags(text) for name in tag.attributes
            if name.startswith("data-k-")}
    code = "".join(text for _path, text in scripts())
    assert sorted(name for name in used if name not in code) == []


def test_the_policy_lets_no_inline_code_through() -> None:
    # The templates hold none (the tests above), so the policy needs no exception for any.
    assert not any(tag.name == "script" and "src" not in tag.attributes
                   for _path, text in templates() for tag in tags(text))
    for exception in ("sha256-", "unsafe-inline", "unsafe-hashes", "unsafe-eval"):
        assert exception not in CONTENT_SECURITY_POLICY



# --- positive controls: each rule sees what it forbids ------------------------------------------------------

BAD_TEMPLATE = ("bad.html", """{% load i18n %}
<script>document.title = "{{ title }}";</script><script type="application/json">{}</script>
<script src="{% static 'kontora/ok.js' %}" defer></script>
<button type="button" onclick="go()">{% translate "Go" %}</button><a href=" javascript:go()">go</a>
<style>.x { color: red }</style><div class="x" style="width: {{ n }}rem">…</div>
<input hx-post="/x/" hx-trigger="keydown[key=='Enter']" hx-on:htmx:after-request="go()">
<div data-hx-on-click="go()" hx-vals='js:{a: go()}' hx-vars="a: go()"></div>
""")
GOOD_TEMPLATE = ("good.html", """{{ data|json_script:"k-data" }}<script src="/static/a.js" defer></script>
<div class="k-w-7" hx-get="/x/" hx-trigger="load, every 4s, k-poll" hx-vals='{"ref": "{{ ref|escapejs }}"}'
     data-k-confirm="{% if a > b %}Delete?{% endif %}"></div>
""")
BAD_SCRIPT = ("bad.js", """
fetch(url, { headers: { "HX-Request": "true" } });
var f = new Function("return 1"); setTimeout("go()", 10);
el.setAttribute("style", "color: red"); box.innerHTML = '<div style="color: red"></div>';
make("div", { className: "x", style: "top: 0" });
htmx.config.allowEval = true;
""")
GOOD_SCRIPT = ("good.js", """// never "HX-Request", never eval(text), never setAttribute("style", …)
menu.style.left = x + "px"; fetch(url, { headers: { "Accept": "application/json" } }); // http://example.org
window.htmx.ajax("POST", url, { source: row, values: { id: id } });
""")
HX_READS = ('request.headers.get("HX-Request")', 'request.headers["HX-Target"]', '"HX-Current-URL" in request.headers',
            'request.META.get("HTTP_HX_REQUEST")')


def _module(name: str, code: str) -> Module:
    return Module(ROOT / "kontora/clients/views/bad.py", name, ast.parse(code))


def test_the_rules_see_what_they_forbid() -> None:
    assert _inline_scripts([BAD_TEMPLATE, GOOD_TEMPLATE]) == {
        "bad.html: inline script", "bad.html: onclick attribute", "bad.html: javascript: address",
    }
    assert _inline_styles([BAD_TEMPLATE, GOOD_TEMPLATE]) == {"bad.html: style element", "bad.html: style attribute"}
    assert _htmx_eval([BAD_TEMPLATE, GOOD_TEMPLATE]) == {
        "bad.html: hx-trigger filter", "bad.html: hx-on", "bad.html: js: value", "bad.html: hx-vars",
    }
    assert _script_faults([BAD_SCRIPT, GOOD_SCRIPT]) == {
        "bad.js: sends an HX- header (a request dressed up as htmx)", "bad.js: evaluates a string",
        "bad.js: writes a style attribute", "bad.js: changes htmx's configuration",
    }
    for read in HX_READS:
        found = _reads_of_hx_headers([_module("kontora.clients.views.bad", f"def view(request):\n    return {read}\n")])
        assert found == {"kontora/clients/views/bad.py: reads an HX- request header"}, read
        assert _reads_of_hx_headers([_module("kontora.core.htmx", f"x = {read}\n")]) == set()
    answer = 'def view(request):\n    response = HttpResponse()\n    response["HX-Trigger"] = "k:done"\n'
    assert _reads_of_hx_headers([_module("kontora.clients.views.bad", answer)]) == set()
