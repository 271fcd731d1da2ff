"""A small, safe Markdown renderer for the user guide (docs/guide), the subset the guide is written in.

No Markdown library is among the program's dependencies, and the guide needs little: ATX headings, paragraphs,
bullet and numbered lists (nested, tight or loose), pipe tables, fenced code, block quotes, and inline code,
emphasis, links, images and autolinks. Everything is escaped: raw HTML is shown as text, never passed through,
so a page of the guide cannot carry markup or script into the program's pages. Links and images go through the
caller's `link` and `image` functions, which rewrite them (a guide page to its URL in the program) or refuse them
(None: the link's text or the image's description is shown instead); a `javascript:` or any other URL the caller
did not accept never reaches an attribute. An image comes with its size when the caller knows it, so the page is laid
out before the pictures arrive and a link to a section lands on it.

`render(source, link=…, image=…)` answers the page's HTML, its title (the first heading) and its sections: each
heading with its anchor — GitHub's spelling, so the guide's own links (`client-access.md#приватные-клиенты-…`)
land — and the plain text under it, for the guide's search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.html import escape

LinkRewrite = Callable[[str], "str | None"]
# An image's URL and its width and height in pixels (0 when not known), or None when refused.
ImageRewrite = Callable[[str], "tuple[str, int, int] | None"]

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])( +|$)(.*)$")
_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_ANCHOR_DROP = re.compile(r"[^\w\- ]", re.UNICODE)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>")
_SPACES = re.compile(r"\s+")
_SPECIAL = re.compile(r"[\\`!\[<*_]")


@dataclass(frozen=True)
class Section:
    """A heading of the page and the plain text under it (up to the next heading)."""

    anchor: str
    title: str
    level: int
    text: str


@dataclass(frozen=True)
class Rendered:
    title: str
    html: str
    sections: tuple[Section, ...]


def anchor_of(title: str) -> str:
    """A heading's anchor as GitHub spells it: lower case, punctuation dropped, each space a hyphen."""
    return _ANCHOR_DROP.sub("", title.strip().lower()).replace(" ", "-")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


@dataclass
class _Open:
    """A section while its page is read."""

    anchor: str
    title: str
    level: int
    texts: list[str] = field(default_factory=list)


@dataclass
class _Inline:
    html: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def add(self, html: str, text: str) -> None:
        self.html.append(html)
        self.text.append(text)


class _Renderer:
    def __init__(self, link: LinkRewrite, image: ImageRewrite) -> None:
        self.link = link
        self.image = image
        # The page's top (text before its first heading) is a section without an anchor.
        self.sections: list[_Open] = [_Open("", "", 0)]
        self.anchors: dict[str, int] = {}

    # --- inline ---------------------------------------------------------------------------------------------

    def inline(self, source: str) -> tuple[str, str]:
        out = _Inline()
        self._inline(source, out)
        return "".join(out.html), _SPACES.sub(" ", "".join(out.text)).strip()

    def _inline(self, s: str, out: _Inline) -> None:
        i, plain = 0, list[str]()

        def flush() -> None:
            if plain:
                chunk = "".join(plain)
                out.add(escape(chunk), chunk)
                plain.clear()

        while i < len(s):
            c = s[i]
            if c == "\\" and i + 1 < len(s) and s[i + 1] in _PUNCTUATION:
                plain.append(s[i + 1])
                i += 2
                continue
            if c == "`":
                end = _code_span_end(s, i)
                if end is not None:
                    flush()
                    run = len(s[i:]) - len(s[i:].lstrip("`"))
                    code = s[i + run:end - run].replace("\n", " ")
                    if len(code) > 2 and code.startswith(" ") and code.endswith(" ") and code.strip():
                        code = code[1:-1]
                    out.add(f"<code>{escape(code)}</code>", code)
                    i = end
                    continue
                run = len(s[i:]) - len(s[i:].lstrip("`"))
                plain.append(s[i:i + run])
                i += run
                continue
            if c == "!" and s.startswith("![", i):
                parsed = _link_at(s, i + 1)
                if parsed is not None:
                    label, target, end = parsed
                    flush()
                    alt = _SPACES.sub(" ", self.inline(label)[1])
                    picture = self.image(target)
                    if picture is None:
                        out.add(escape(alt), alt)
                    else:
                        src, width, height = picture
                        size = f' width="{int(width)}" height="{int(height)}"' if width and height else ""
                        out.add(f'<img src="{escape(src)}" alt="{escape(alt)}"{size} loading="lazy">', "")
                    i = end
                    continue
            if c == "[":
                parsed = _link_at(s, i)
                if parsed is not None:
                    label, target, end = parsed
                    flush()
                    inner_html, inner_text = self.inline(label)
                    url = self.link(target)
                    if url is None:
                        out.add(inner_html, inner_text)
                    else:
                        out.add(f'<a href="{escape(url)}"{_external(url)}>{inner_html}</a>', inner_text)
                    i = end
                    continue
            if c == "<":
                match = _AUTOLINK.match(s, i)
                if match:
                    flush()
                    address = match.group(1)
                    url = self.link(address)
                    out.add(f'<a href="{escape(url)}"{_external(url)}>{escape(address)}</a>' if url
                            else escape(address), address)
                    i = match.end()
                    continue
            if c in "*_":
                run = 2 if s.startswith(c * 2, i) else 1
                end = _emphasis_end(s, i, c * run)
                if end is not None:
                    flush()
                    inner_html, inner_text = self.inline(s[i + run:end])
                    tag = "strong" if run == 2 else "em"
                    out.add(f"<{tag}>{inner_html}</{tag}>", inner_text)
                    i = end + run
                    continue
                plain.append(s[i:i + run])
                i += run
                continue
            special = _SPECIAL.search(s, i + 1)  # plain text up to the next character that may start markup
            end = special.start() if special else len(s)
            plain.append(s[i:end])
            i = end
        flush()

    # --- blocks ---------------------------------------------------------------------------------------------

    def note(self, text: str) -> None:
        """Plain text of a block, for the section it stands in."""
        if text:
            self.sections[-1].texts.append(text)

    def blocks(self, lines: list[str]) -> tuple[str, bool]:
        """The HTML of `lines` as blocks, and whether there was more than one paragraph-ish block (loose)."""
        html: list[str] = []
        i = 0
        paragraphs = 0
        while i < len(lines):
            line = lines[i]
            if _blank(line):
                i += 1
                continue
            heading = _HEADING.match(line)
            if heading:
                html.append(self._heading(len(heading.group(1)), heading.group(2) or ""))
                i += 1
                continue
            fence = _FENCE.match(line)
            if fence:
                i = self._fence(lines, i, fence, html)
                continue
            if _RULE.match(line):
                html.append("<hr>")
                i += 1
                continue
            if _QUOTE.match(line):
                i = self._quote(lines, i, html)
                continue
            if _ITEM.match(line):
                i = self._list(lines, i, html)
                continue
            if _table_at(lines, i):
                i = self._table(lines, i, html)
                continue
            i = self._paragraph(lines, i, html)
            paragraphs += 1
        return "\n".join(html), paragraphs > 1

    def _heading(self, level: int, source: str) -> str:
        inner_html, title = self.inline(source.strip())
        anchor = base = anchor_of(title) or "section"
        seen = self.anchors.get(base, 0)
        if seen:
            anchor = f"{base}-{seen}"
        self.anchors[base] = seen + 1
        self.sections.append(_Open(anchor, title, level))
        return f'<h{level} id="{escape(anchor)}">{inner_html}</h{level}>'

    def _fence(self, lines: list[str], i: int, fence: re.Match[str], html: list[str]) -> int:
        indent, marker, language = len(fence.group(1)), fence.group(2), fence.group(3)
        body: list[str] = []
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
                i += 1
                break
            line = lines[i]
            body.append(line[min(indent, _indent(line)):])
            i += 1
        code = "\n".join(body)
        css = f' class="language-{escape(language)}"' if re.fullmatch(r"[\w+-]+", language or "") else ""
        html.append(f"<pre><code{css}>{escape(code)}</code></pre>")
        self.note(code)
        return i

    def _quote(self, lines: list[str], i: int, html: list[str]) -> int:
        inner: list[str] = []
        while i < len(lines) and not _blank(lines[i]):
            match = _QUOTE.match(lines[i])
            inner.append(match.group(1) if match else lines[i])  # a lazy continuation line
            i += 1
        body, _loose = self.blocks(inner)
        html.append(f"<blockquote>\n{body}\n</blockquote>")
        return i

    def _list(self, lines: list[str], i: int, html: list[str]) -> int:
        first = _ITEM.match(lines[i])
        assert first is not None
        ordered = first.group(2)[-1] in ".)"
        items: list[list[str]] = []
        loose = False
        while i < len(lines):
            match = _ITEM.match(lines[i])
            if not match or (match.group(2)[-1] in ".)") != ordered:
                break
            width = len(match.group(1)) + len(match.group(2)) + max(1, min(len(match.group(3)), 4))
            item = [match.group(4)]
            i += 1
            while i < len(lines):
                line = lines[i]
                if _blank(line):
                    # A blank line belongs to the item when the item goes on after it.
                    following = next((j for j in range(i + 1, len(lines)) if not _blank(lines[j])), None)
                    if following is None or _indent(lines[following]) < width:
                        break
                    item.append("")
                    loose = True
                    i += 1
                    continue
                if _indent(line) >= width:
                    item.append(line[width:])
                elif not _starts_block(line) and item and item[-1].strip():
                    item.append(line.strip())  # a lazy continuation of the item's paragraph
                else:
                    break
                i += 1
            items.append(item)
            if i < len(lines) and _blank(lines[i]):
                following = next((j for j in range(i, len(lines)) if not _blank(lines[j])), None)
                nxt = _ITEM.match(lines[following]) if following is not None else None
                if nxt and len(nxt.group(1)) < width and (nxt.group(2)[-1] in ".)") == ordered:
                    loose = True
                    i = following  # type: ignore[assignment]
                    continue
                break
        parts = []
        for item in items:
            body, item_loose = self.blocks(item)
            if not (loose or item_loose):
                body = re.sub(r"^<p>(.*?)</p>", r"\1", body, count=1, flags=re.DOTALL)
            parts.append(f"<li>{body}</li>")
        tag = "ol" if ordered else "ul"
        start = int(first.group(2)[:-1]) if ordered else 1
        opening = f'<ol start="{start}">' if ordered and start != 1 else f"<{tag}>"
        html.append(opening + "\n" + "\n".join(parts) + f"\n</{tag}>")
        return i

    def _table(self, lines: list[str], i: int, html: list[str]) -> int:
        header = _cells(lines[i])
        aligns = [_align(cell) for cell in _cells(lines[i + 1])]
        i += 2
        rows: list[list[str]] = []
        while i < len(lines) and "|" in lines[i] and not _blank(lines[i]):
            rows.append(_cells(lines[i]))
            i += 1
        width = len(header)

        def row(cells: list[str], tag: str) -> str:
            drawn = []
            for n in range(width):
                cell_html, cell_text = self.inline(cells[n] if n < len(cells) else "")
                self.note(cell_text)
                align = aligns[n] if n < len(aligns) else ""
                css = f' class="{align}"' if align else ""
                scope = ' scope="col"' if tag == "th" else ""
                drawn.append(f"<{tag}{scope}{css}>{cell_html}</{tag}>")
            return "<tr>" + "".join(drawn) + "</tr>"

        head = row(header, "th")
        body = "\n".join(row(cells, "td") for cells in rows)
        html.append(f'<table class="table table-sm table-bordered">\n<thead>{head}</thead>\n<tbody>\n{body}\n'
                    "</tbody>\n</table>")
        return i

    def _paragraph(self, lines: list[str], i: int, html: list[str]) -> int:
        body = [lines[i].strip()]
        i += 1
        while i < len(lines) and not _blank(lines[i]) and not _starts_block(lines[i]) and not _table_at(lines, i):
            body.append(lines[i].strip())
            i += 1
        inner_html, text = self.inline("\n".join(body))
        self.note(text)
        html.append(f"<p>{inner_html}</p>")
        return i


def _starts_block(line: str) -> bool:
    return bool(_HEADING.match(line) or _FENCE.match(line) or _QUOTE.match(line) or _ITEM.match(line)
                or _RULE.match(line))


def _table_at(lines: list[str], i: int) -> bool:
    return "|" in lines[i] and i + 1 < len(lines) and bool(_TABLE_RULE.match(lines[i + 1])) and "-" in lines[i + 1]


def _code_span_end(s: str, i: int) -> int | None:
    """The index just past the backtick run closing the code span that opens at `i`, or None."""
    run = len(s[i:]) - len(s[i:].lstrip("`"))
    j = i + run
    while True:
        j = s.find("`", j)
        if j < 0:
            return None
        closing = len(s[j:]) - len(s[j:].lstrip("`"))
        if closing == run:
            return j + run
        j += closing


def _skip_code(s: str, i: int) -> int:
    end = _code_span_end(s, i)
    return end if end is not None else i + 1


def _link_at(s: str, i: int) -> tuple[str, str, int] | None:
    """`[label](target "title")` starting at `i`: (label, target, the index past it), or None."""
    depth, j = 0, i
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":
            j = _skip_code(s, j)
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                break
        j += 1
    else:
        return None
    if not s.startswith("(", j + 1):
        return None
    close, depth = j + 2, 1  # the destination may hold balanced parentheses
    while close < len(s):
        if s[close] == "\\":
            close += 2
            continue
        depth += {"(": 1, ")": -1}.get(s[close], 0)
        if depth == 0:
            break
        close += 1
    else:
        return None
    inside = s[j + 2:close].strip()
    target = inside.split()[0] if inside else ""
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    return s[i + 1:j], target, close + 1


def _emphasis_end(s: str, i: int, delimiter: str) -> int | None:
    """Where the emphasis opened by `delimiter` at `i` closes, or None when it does not open or close."""
    after = i + len(delimiter)
    if after >= len(s) or s[after].isspace():
        return None
    if delimiter[0] == "_" and i > 0 and s[i - 1].isalnum():
        return None  # snake_case is not emphasis
    j = after
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":
            j = _skip_code(s, j)
            continue
        if s.startswith(delimiter, j) and j > after and not s[j - 1].isspace():
            end = j + len(delimiter)
            if delimiter == "*" and s.startswith("**", j):
                j += 2  # a strong run inside an emphasis
                continue
            if delimiter[0] == "_" and end < len(s) and s[end].isalnum():
                j += 1
                continue
            return j
        j += 1
    return None


def _cells(line: str) -> list[str]:
    """A table row's cells: split on `|` outside code spans and escapes."""
    row = line.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells, current, i = [], [], 0
    while i < len(row):
        c = row[i]
        if c == "\\" and i + 1 < len(row) and row[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if c == "`":
            end = _skip_code(row, i)
            current.append(row[i:end])
            i = end
            continue
        if c == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(c)
        i += 1
    cells.append("".join(current).strip())
    return cells


def _align(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith(":") and cell.endswith(":"):
        return "text-center"
    if cell.endswith(":"):
        return "text-end"
    return ""


def _external(url: str) -> str:
    return ' rel="noopener noreferrer"' if url.startswith(("http://", "https://")) else ""


def render(source: str, *, link: LinkRewrite, image: ImageRewrite) -> Rendered:
    """The page's HTML (everything escaped), its title and its sections; see the module's docstring."""
    renderer = _Renderer(link, image)
    html, _loose = renderer.blocks(source.replace("\r\n", "\n").replace("\t", "    ").split("\n"))
    top, *headed = renderer.sections
    title = headed[0].title if headed else ""
    sections = tuple(Section(part.anchor, part.title or title, part.level, " ".join(part.texts))
                     for part in (top, *headed) if part.level or part.texts)
    return Rendered(title=title, html=html, sections=sections)
