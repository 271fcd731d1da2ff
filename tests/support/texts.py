"""What reads wrong in a page of the Russian UI (issue 13, item 16): an English word outside the allow-list (a
msgid without its translation, an English choice), Python's «None» where a value is empty, Django's «---------»
as an empty choice, a word written twice in a row («содержит содержит»).

    problems = russian_problems(response.content.decode(), data=stored_data())

The visible text is the page's text nodes and the attributes a user reads (title, placeholder, aria-label, alt, a
button's value) — not scripts, styles or key names (`<kbd>`, `<code>`). User data is not checked: every text the
database holds (`stored_data`) is cut out of the page first, so a product named «Бумага SvetoCopy A4», a login or
an e-mail is not an English word of the interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

# Names the Russian interface writes in Latin letters: brands, formats, protocols and the keys of the keyboard.
ALLOWED = frozenset({
    "Kontora", "Flexi", "PostgreSQL", "SQLite", "Redis", "Excel", "E-mail", "E-Mail", "e-mail", "SMS", "DEBUG",
    "CIDR", "OK", "FAIL", "IP", "URL", "SMTP", "SMPP", "STARTTLS", "SSL", "TLS", "OAuth",
    "CSV", "XML", "PDF", "HTML", "JSON", "ID", "QR", "ED807", "XLSX", "S3", "English", "Ctrl", "Shift", "Alt",
    "Word", "OpenDocument", "PNG", "JPEG", "GIF",
    "Ins", "Insert", "Del", "Delete", "Enter", "Esc", "Tab", "Home", "End", "PageUp", "PageDown", "PgUp", "PgDn",
    "Space", "Backspace", "htmx", "Bootstrap", "Python", "Django", "Huey", "Granian", "psycopg",
})
FUNCTION_KEY = re.compile(r"F\d{1,2}")
SHORTCUT = re.compile(r"(?<!\w)(?:Ctrl|Shift|Alt)(?:\+(?:Ctrl|Shift|Alt))*\+\S+")  # «Ctrl+I», «Shift+F3»
# Technical names, not words: a path or a time zone (/var/lib/kontora, Europe/Moscow), a site (cbr.ru), a command of
# the program («kontora restore»).
TECHNICAL = re.compile(r"[\w.-]*/[\w./-]+|(?<![\w.])[\w-]+(?:\.[a-z]{2,})+(?!\w)|(?<!\w)kontora [a-z]+(?!\w)")
# A spreadsheet's column letters, as a Russian Excel names them too («Колонка A», «колонки A–N»).
COLUMN_LETTERS = re.compile(r"(?<!\w)([Кк]олонк[аи]|[Кк]олонок) [A-Z]{1,3}(?:–[A-Z]{1,3})?(?!\w)")
LATIN_WORD = re.compile(r"(?<![\w@.])[A-Za-z][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*(?![\w@])")
# A word written twice in one case («содержит содержит»): «процесс Процесс» is a link's end and a hint's start.
DOUBLED = re.compile(r"(?<![\w-])([^\W\d_]{2,})\s+\1(?![\w-])")
DJANGO_EMPTY = re.compile(r"-{4,}")
NONE = re.compile(r"(?<!\w)None(?!\w)")

_HIDDEN = {"script", "style", "kbd", "code", "pre", "svg"}  # not read as the page's words
_READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Elements that start a new line of text: a doubled word is looked for within one line only.
_INLINE = {"a", "abbr", "b", "bdi", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "u", "time",
           "kbd", "code", "wbr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0
        self.articles: list[bool] = []  # per open <article>: whether it is a document (data-document)

    def _break(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE:
            self._break()
        values = dict(attrs)
        for name in _READ_ATTRIBUTES:
            if values.get(name):
                self.lines.append(str(values[name]))
                self.lines.append("")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.lines.append(str(values["value"]))
            self.lines.append("")
        if tag in _HIDDEN:
            self.hidden += 1
        if tag == "article":
            # A document shown in the program (the guide's pages) names commands and products in English on purpose.
            self.articles.append("data-document" in values)
            self.hidden += self.articles[-1]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self.hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN or (tag == "article" and self.articles and self.articles.pop()):
            self.hidden = max(0, self.hidden - 1)
        if tag not in _INLINE:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.lines[-1] += data


def visible_lines(page: str) -> list[str]:
    """The page's text as a user reads it, one line per block (a cell, an option, a label, a paragraph …)."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    return [" ".join(line.split()) for line in parser.lines if line.strip()]


def stored_data() -> re.Pattern[str] | None:
    """Every text the database holds that has a Latin letter (names, logins, e-mails, notes …), as one pattern of
    whole words: what users typed, cut out of a page before its words are checked."""
    texts: set[str] = set()
    for model in apps.get_models():
        # A field with choices holds a code («manager»), never shown as it is: a page showing it is a fault.
        names = [field.attname for field in model._meta.concrete_fields
                 if isinstance(field, models.CharField | models.TextField) and not field.choices]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            texts.update(value for value in row if isinstance(value, str) and re.search("[A-Za-z]", value))
    if not texts:
        return None
    pieces = sorted({piece.strip() for text in texts for piece in (text, *text.splitlines()) if piece.strip()},
                    key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(piece) for piece in pieces) + r")(?!\w)")


def _allowed(word: str) -> bool:
    return word in ALLOWED or FUNCTION_KEY.fullmatch(word) is not None


def line_problems(line: str, data: re.Pattern[str] | None = None) -> list[str]:
    """What reads wrong in one line of visible text (user data, `data`, left out)."""
    if data is not None:
        line = data.sub(" ", line)
    line = COLUMN_LETTERS.sub(" ", TECHNICAL.sub(" ", SHORTCUT.sub(" ", line)))
    problems: list[str] = []
    if NONE.search(line):
        problems.append(f"«None» in {line[:120]!r}")
    if DJANGO_EMPTY.search(line):
        problems.append(f"«---------» in {line[:120]!r}")
    english = [word for word in LATIN_WORD.findall(line) if not _allowed(word) and word != "None"]
    if english:
        problems.append(f"English {sorted(set(english))[:5]} in {line[:120]!r}")
    for match in DOUBLED.finditer(line):
        problems.append(f"doubled «{match.group(0)}» in {line[:120]!r}")
    return problems


def russian_problems(page: str, data: re.Pattern[str] | None = None) -> list[str]:
    """What reads wrong in a page of the Russian UI: English words outside `ALLOWED`, «None», «---------»,
    doubled words — user data (`data`, see `stored_data`) left out."""
    return sorted({problem for line in visible_lines(page) for problem in line_problems(line, data)})


def texts_problems(texts: Iterable[str], data: re.Pattern[str] | None = None) -> list[str]:
    """The same for plain texts (a message, a tip, a filter's description)."""
    return sorted({problem for text in texts for problem in line_problems(" ".join(text.split()), data)})
