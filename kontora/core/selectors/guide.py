"""The user guide inside the program (SYS-09): docs/guide's pages for Help → Guide, their search, and what F1 opens.

The guide is Russian Markdown (`settings.GUIDE_DIR`), one file a page, `README.md` its index, pictures in `img/`.
A page is drawn by `core.ui.markdown` with its links rewritten to the program's URLs: `clients-registry.md#…`
becomes `/help/guide/clients-registry/#…`, `img/registry.png` the guide's image view.

Rendered pages are kept in this process's memory, keyed by the file's modification time and size: the files are
the program's own data, the same for every server and never changed by a user, so nothing here is state another
process needs (an edited file is simply drawn again).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kontora.core.text import search_key
from kontora.core.ui.markdown import Section, anchor_of, render

INDEX = "README"
# A page's name in its URL: the file's name without `.md` (lower-case Latin, digits, hyphens).
PAGE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
# A picture: a plain file name right inside img/, of a raster kind (no SVG: a picture must not carry script).
IMAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.(png|jpe?g|gif|webp)")
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
               "webp": "image/webp"}
_PAGE_LINK = re.compile(r"(?:\./)?([A-Za-z0-9-]+)\.md(#.*)?")
_IMAGE_LINK = re.compile(r"(?:\./)?img/(.+)")

QUERY_CHARS = 200
QUERY_WORDS = 10
RESULTS = 50
SNIPPET_BEFORE = 60
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    html: SafeString
    sections: tuple[Section, ...]
    links: tuple[tuple[str, str], ...]  # (page, anchor) of every link to a page of the guide, in the page's order

    @property
    def url(self) -> str:
        return page_url(self.slug)


@dataclass(frozen=True)
class Hit:
    """A section of the guide a search found: where it is, its heading and a snippet, the words marked."""

    page: str
    page_title: str
    title: SafeString
    snippet: SafeString
    url: str
    whole_page: bool  # the page's own heading (its title) rather than one of its sections


def guide_dir() -> Path:
    return Path(settings.GUIDE_DIR)


def page_url(slug: str, anchor: str = "") -> str:
    url = reverse("core:guide") if slug == INDEX else reverse("core:guide_page", args=[slug])
    return f"{url}#{anchor}" if anchor else url


def _linker(slug: str, found: list[tuple[str, str]]) -> Callable[[str], str | None]:
    def link(target: str) -> str | None:
        """A link of a guide page as the program draws it: another page → its URL, the web → as it is; else the
        link's text alone (a path out of the guide, a `javascript:` URL)."""
        if target.startswith("#"):
            found.append((slug, target[1:]))
            return target
        if target.startswith(("http://", "https://", "mailto:")):
            return target
        match = _PAGE_LINK.fullmatch(target)
        if match and (match.group(1) == INDEX or PAGE_NAME.fullmatch(match.group(1))):
            found.append((match.group(1), (match.group(2) or "#")[1:]))
            return page_url(match.group(1), (match.group(2) or "#")[1:])
        return None

    return link


def _image(target: str) -> tuple[str, int, int] | None:
    """A picture of a guide page: one of img/ → its URL and size; any other → its description alone."""
    match = _IMAGE_LINK.fullmatch(target)
    if not match or not IMAGE_NAME.fullmatch(match.group(1)):
        return None
    path = image_path(match.group(1))
    width, height = _png_size(path) if path else (0, 0)
    return reverse("core:guide_image", args=[match.group(1)]), width, height


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height from its header (IHDR), or (0, 0) for any other file."""
    try:
        with path.open("rb") as file:
            head = file.read(24)
    except OSError:
        return 0, 0
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return 0, 0
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


_cache: dict[str, tuple[tuple[int, int], GuidePage]] = {}  # by the file's path


def guide_page(slug: str) -> GuidePage | None:
    """The page `slug` (INDEX for README.md) drawn, or None when there is no such page."""
    if slug != INDEX and not PAGE_NAME.fullmatch(slug):
        return None
    path = guide_dir() / f"{slug}.md"
    try:
        stat = path.stat()
    except OSError:
        return None
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(str(path))
    if cached and cached[0] == version:
        return cached[1]
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    links: list[tuple[str, str]] = []
    drawn = render(source, link=_linker(slug, links), image=_image)
    page = GuidePage(slug=slug, title=drawn.title or slug, html=mark_safe(drawn.html),  # noqa: S308 - all escaped
                     sections=drawn.sections, links=tuple(links))
    _cache[str(path)] = (version, page)
    return page


def guide_slugs() -> list[str]:
    """Every page but the index: in the index's order, then the pages it does not name by name."""
    try:
        found = sorted(path.stem for path in guide_dir().glob("*.md") if PAGE_NAME.fullmatch(path.stem))
    except OSError:
        return []
    index = guide_page(INDEX)
    named = [slug for slug, _anchor in index.links] if index else []
    order = [slug for slug in dict.fromkeys(named) if slug in found]
    return order + [slug for slug in found if slug not in order]


def guide_contents() -> list[GuidePage]:
    """The guide's pages for its table of contents, the index first."""
    pages = [guide_page(slug) for slug in [INDEX, *guide_slugs()]]
    return [page for page in pages if page is not None]


def image_path(name: str) -> Path | None:
    """The picture `name` of img/, or None: only a plain file right inside that folder (no other path, no link
    out of it) is ever answered."""
    if not IMAGE_NAME.fullmatch(name):
        return None
    folder = (guide_dir() / "img").resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path


# --- search -------------------------------------------------------------------------------------------------------

# Inflection endings of Russian words, longest first: a searched word is cut to its stem (at least STEM letters
# remain) and found at the start of any word, so «клиентов» finds «клиента» and «карточки» finds «карточку».
ENDINGS = tuple(sorted((
    "иями", "ями", "ами", "ией", "иях", "ях", "ах", "ов", "ев", "ей", "ий", "ый", "ой", "ая", "яя", "ое", "ее",
    "ые", "ие", "ых", "их", "ым", "им", "ом", "ем", "ам", "ям", "ую", "юю", "ого", "его", "ому", "ему", "ыми",
    "ими", "ость", "ости", "ать", "ять", "ить", "еть", "ешь", "ет", "ют", "ут", "ит", "ат", "ят", "ла", "ло",
    "ли", "ся", "сь", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
), key=len, reverse=True))
STEM = 4


def stem(word: str) -> str:
    """`word` (already a search key) without its Russian ending, when a stem of STEM letters or more remains."""
    if not re.fullmatch(r"[а-я]+", word):
        return word
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= STEM:
            return word[: -len(ending)]
    return word


def _pattern(word: str) -> re.Pattern[str]:
    """A word of the text starting with the stem of `word`, in any case and with ё for е."""
    letters = "".join("[её]" if char == "е" else re.escape(char) for char in stem(word))
    return re.compile(rf"(?<!\w){letters}\w*", re.IGNORECASE)


def search_words(query: str) -> list[str]:
    return list(dict.fromkeys(search_key(query[:QUERY_CHARS]).split()))[:QUERY_WORDS]


def _marked(text: str, patterns: list[re.Pattern[str]]) -> SafeString:
    """`text` escaped, each found word inside <mark>."""
    spans = sorted((m.start(), m.end()) for pattern in patterns for m in pattern.finditer(text))
    out: list[str] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def _snippet(text: str, patterns: list[re.Pattern[str]]) -> SafeString:
    found = [m.start() for pattern in patterns if (m := pattern.search(text))]
    first = min(found) if found else 0
    start = max(0, first - SNIPPET_BEFORE)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    lead, tail = ("… " if start else ""), (" …" if end < len(text) else "")
    return mark_safe(escape(lead) + _marked(text[start:end], patterns) + escape(tail))  # noqa: S308 - escaped


def guide_search(query: str) -> list[Hit]:
    """Sections of the guide holding every word of `query` (in the heading or the text), the best first: those
    whose heading holds more of the words, then those mentioning them more often, then in the guide's order."""
    words = search_words(query)
    if not words:
        return []
    patterns = [_pattern(word) for word in words]
    ranked = []
    for order, page in enumerate(guide_contents()):
        for number, section in enumerate(page.sections):
            if not all(p.search(section.title) or p.search(section.text) for p in patterns):
                continue
            in_title = sum(1 for p in patterns if p.search(section.title))
            mentions = sum(len(p.findall(section.text)) for p in patterns)
            hit = Hit(page=page.slug, page_title=page.title, title=_marked(section.title, patterns),
                      snippet=_snippet(section.text, patterns), url=page_url(page.slug, section.anchor),
                      whole_page=section.level <= 1)
            ranked.append(((-in_title, -mentions, order, number), hit))
    ranked.sort(key=lambda pair: pair[0])
    return [hit for _key, hit in ranked[:RESULTS]]


# --- F1: the guide's section about each page ------------------------------------------------------------------------

# (URL name, or a pattern of names with *, → the guide's page and the heading of its section); the first that fits
# a page's URL name is what F1 opens there, and a page none fits opens the guide's index.
HELP_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("core:home", "clients-registry", ""),
    ("clients:registry_find", "clients-registry", "Быстрый поиск по наименованию (Ctrl+F)"),
    ("clients:registry_*", "clients-registry", ""),
    ("clients:search_*", "client-search", ""),
    ("clients:flexi_template*", "clients-filter", "Шаблоны фильтров"),
    ("clients:flexi_*", "clients-filter", ""),
    ("clients:export", "clients-export", ""),
    ("clients:admin_exports", "clients-export", "Журнал экспорта клиентов"),
    ("clients:admin_change_curator", "client-access", "Смена куратора/специалиста"),
    ("clients:admin_explain", "client-access", "Почему пользователь видит клиента"),
    ("clients:new", "client-card", "Новый клиент"),
    ("clients:duplicates", "client-card", "Проверка дубликатов"),
    ("clients:attributes", "client-card", "Признаки"),
    ("clients:registration", "client-card", "Регистрационные данные"),
    ("clients:legal_change_*", "client-card", "Регистрационные данные"),
    ("clients:personal", "client-card", "Паспорт и личные данные"),
    ("clients:bank*", "client-card", "Банк"),
    ("clients:mailing*", "client-card-security", "Рассылка E-Mail & SMS"),
    ("clients:security*", "client-card-security", "Безопасность"),
    ("clients:shipping*", "client-card-security", "Отгрузочные реквизиты"),
    ("clients:file*", "client-files", ""),
    ("clients:folder_*", "client-files", ""),
    ("clients:*", "client-card", ""),
    ("directories:bank*", "reference-data", "Банки"),
    ("directories:*", "directories", ""),
    ("nomenclature:*", "nomenclature", ""),
    ("attributes:*", "reference-data-admin", "Признаки-классификаторы"),
    ("processes:setup", "processes-setup", ""),
    ("processes:process*", "processes-setup", ""),
    ("processes:stage_*", "processes-setup", ""),
    ("processes:result_*", "processes-setup", ""),
    ("processes:run*", "processes-progress", ""),
    ("activity:task_journal", "tasks-control", "Журнал задач"),
    ("activity:task_monitor", "tasks-control", "Монитор задач"),
    ("activity:cleanup", "tasks-control", "Очистка базы: удаление старых закрытых задач"),
    ("pipeline:*", "sales-board", ""),
    ("billing:statement*", "bank-statement", ""),
    ("billing:card_payments", "payments", "Платежи в карточке клиента"),
    ("billing:payments", "payments", "Журнал платежей"),
    ("billing:payment_new", "payments", "Как ввести оплату"),
    ("billing:payment_pick", "payments", "Как ввести оплату"),
    ("billing:payment*", "payments", "Страница оплаты"),
    ("billing:advances_apply", "payments", "Зачесть аванс"),
    ("messaging:outbox", "outbox", ""),
    ("messaging:letter*", "outbox", "Что означает состояние"),
    ("messaging:*", "mail-settings", ""),
    ("bulk:run", "group-processing", "Запуск, ход и итог обработки"),
    ("bulk:*", "group-processing", ""),
    ("imports:list", "import", "Шаг 1 — Загрузка"),
    ("imports:*", "import", ""),
    ("targeting:*", "targeting", ""),
    ("reports:open", "reports", "Сохранённые отчёты"),
    ("reports:*", "reports", ""),
    ("processes:monitor", "processes", "Монитор процессов"),
    ("processes:*", "processes", ""),
    ("activity:card_tasks", "tasks", "Журнал «Задачи» в карточке клиента"),
    ("activity:task_new", "tasks", "Постановка задачи"),
    ("activity:task*", "tasks", "Карточка задачи"),
    ("activity:project*", "project-planner", ""),
    ("activity:fortnight*", "planners", "Двухнедельный планировщик"),
    ("activity:day", "planners", "Планировщик дня"),
    ("accounts:sessions", "users", "Активные пользователи"),
    ("accounts:session_*", "users", "Активные пользователи"),
    ("accounts:user*", "users", ""),
    ("accounts:setup*", "first-run", "Мастер первого запуска"),
    ("core:backup*", "backup", "Резервная копия из программы"),
    ("core:constants*", "first-run", "Константы"),
    ("core:structure*", "reference-data-admin", "Структура предприятия"),
    ("core:office_*", "reference-data-admin", "Производственный календарь"),
    ("core:parameters", "main-window", "Настройки → Параметры"),
    ("core:functionality", "main-window", "Настройки → Функционал"),
    ("core:about", "main-window", "Справка → О программе"),
    ("core:shortcuts", "main-window", "Работа с клавиатуры"),
    ("core:guide*", "main-window", "Справка → Руководство"),
    ("core:job*", "notifications", "Фоновые задания и индикатор выполнения"),
    ("core:message_send", "notifications", "Сообщение пользователю (администратор)"),
    ("core:notification*", "notifications", ""),
)


def help_topic(view_name: str) -> tuple[str, str]:
    """(the guide's page, the heading of its section or "") F1 opens on the page of URL name `view_name`."""
    for names, page, heading in HELP_TOPICS:
        if fnmatchcase(view_name, names):
            return page, heading
    return INDEX, ""


def help_url(view_name: str) -> str:
    """Where F1 goes on the page of URL name `view_name`: the guide's page, at its section."""
    page, heading = help_topic(view_name)
    return page_url(page, anchor_of(heading) if heading else "")
