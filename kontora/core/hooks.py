"""How apps plug into each other: extension points, and the one `register` idiom.

An app that can be extended declares a `Point` (the client card's tabs, the main menu, the rights, …).
An app that extends others does so only in its own `hooks.py`, in a function `register()` that Django calls
once from the app's `ready()` (every app's config is a `KontoraAppConfig`):

    # kontora/processes/hooks.py
    def register() -> None:
        CARD_ACTIONS.register(CardAction("start_process", _("Start process"), "processes:start", order=10))
        MONITORS.register(Monitor("processes", "processes:monitor", order=20))

So an app below never imports an app above it: what flows upward (a card tab, a report, a goal kind) arrives
as a registration. Core's own points (the menu, the Assistant's monitors, the main window's centre, the
parameters' tabs, the record codes) are registered into the same way, core's items from `core/hooks.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any, Generic, TypeVar

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


class Point(Generic[T]):
    """A named extension point: items registered under a unique key, read in registration order."""

    def __init__(self, name: str, *, key: Callable[[T], Hashable]) -> None:
        self.name = name
        self._key = key
        self._items: dict[Hashable, T] = {}

    def register(self, item: T) -> T:
        """Adds an item; registering an equal item again is harmless, a different one under a taken key is not."""
        key = self._key(item)
        if key in self._items and self._items[key] != item:
            raise ValueError(f"{self.name}: {key!r} registered twice")
        self._items[key] = item
        return item

    def unregister(self, key: Hashable) -> None:
        """Tests plug in throw-away items and take them out again."""
        self._items.pop(key, None)

    def get(self, key: Hashable) -> T:
        """The item under `key`; KeyError when there is none."""
        return self._items[key]

    def items(self) -> list[T]:
        return list(self._items.values())

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __repr__(self) -> str:
        return f"<Point {self.name}: {len(self._items)} items>"


class KontoraAppConfig(AppConfig):
    """Every Kontora app's config: when the app is ready, its `hooks.register()` plugs it into the others."""

    def ready(self) -> None:
        if find_spec(f"{self.name}.hooks") is not None:
            import_module(f"{self.name}.hooks").register()


# --- core's points ----------------------------------------------------------------------------------------

MenuPredicate = Callable[[Any, Any], bool]  # (user, system settings) → shown?


def everyone(user: Any, system: Any) -> bool:
    return True


def admins(user: Any, system: Any) -> bool:
    return bool(user.is_admin)


def right(code: str) -> MenuPredicate:
    return lambda user, system: user.has_right(code)


# The menu bar in the manual's order; a section with no item this user may use is not drawn.
MENU_SECTIONS: tuple[tuple[str, str | Promise], ...] = (
    ("file", _("File")),
    ("directories", _("Directories")),
    ("journals", _("Journals")),
    ("plans", _("Plans and tasks")),
    ("sales", _("Sales")),
    ("warehouse", _("Warehouse")),
    ("cash", _("Cash")),
    ("processes", _("Processes")),
    ("reports", _("Reports")),
    ("admin", _("Administration")),
    ("settings", _("Settings")),
    ("help", _("Help")),
)


@dataclass(frozen=True)
class MenuItem:
    """An item of the main menu. Items of a section are drawn by (group, order); a divider between groups."""

    section: str
    label: str | Promise
    url_name: str
    visible: MenuPredicate = everyone
    group: int = 0
    order: int = 0
    shortcut: str = ""
    method: str = "get"  # "post" items render as a small form (sign out)
    block: str = ""  # a functionality block (selectors.block_enabled); switched off → the item disappears
    args: tuple[str, ...] = ()  # arguments of url_name
    query: str = ""  # a query string after the URL: a page opened with a filter chosen


@dataclass(frozen=True)
class MenuProvider:
    """Items computed at each render (the directories declared so far), placed like one item of the section."""

    key: str
    section: str
    items: Callable[[], list[MenuItem]]


# Keyed by where the item leads; the query only when there is one (an item without keeps its key of three).
MENU: Point[MenuItem] = Point("main menu", key=lambda item: (item.section, item.url_name, item.args)
                              + ((item.query,) if item.query else ()))
MENU_PROVIDERS: Point[MenuProvider] = Point("main menu providers", key=lambda item: item.key)


@dataclass(frozen=True)
class Centre:
    """The main window's centre (the client registry): a template and its context for the request."""

    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    # The centre's buttons, drawn in the main window's toolbar after Refresh with the same context (one row of
    # buttons across the window, however narrow the centre between the side panels).
    toolbar: str = ""


# One centre at most; with none the main window shows the welcome summary alone.
CENTRE: Point[Centre] = Point("main window centre", key=lambda item: "centre")


@dataclass(frozen=True)
class Monitor:
    """A monitor of the Assistant panel (under the calendar): an htmx partial loaded and polled from `url_name`."""

    key: str
    url_name: str
    order: int = 100
    every_seconds: int = 60


MONITORS: Point[Monitor] = Point("assistant monitors", key=lambda item: item.key)


@dataclass(frozen=True)
class Notice:
    """A warning at the top of the Informer panel for the users `visible` admits (administrators by default), drawn
    while `text` answers one: something to act on at `url_name` (the BIK directory never loaded, or too old).

    `text` reads the base (never process memory: every server warns alike) and is asked on each main window.
    """

    key: str
    text: Callable[[], str | None]
    url_name: str
    link_label: str | Promise
    visible: Callable[[Any], bool] = lambda user: bool(user.is_admin)


NOTICES: Point[Notice] = Point("informer notices", key=lambda item: item.key)


@dataclass(frozen=True)
class ParametersTab:
    """A tab of Settings → Parameters: a form for the user, saved with the others in one transaction.

    A save raises ValidationError to put its errors next to the tab's fields.
    """

    key: str
    label: str | Promise
    template: str
    form_factory: Callable[[Any, Any], Any]  # (user, POST data or None) → the tab's form
    save: Callable[[Any, Any], None]  # (acting user, valid form) → None


PARAMETERS_TABS: Point[ParametersTab] = Point("parameters tabs", key=lambda item: item.key)


@dataclass(frozen=True)
class JobHandler:
    """The code that runs background jobs of one kind: `run(ctx) -> dict | None` (core.services.jobs)."""

    kind: str
    run: Callable[[Any], dict[str, Any] | None]


JOB_HANDLERS: Point[JobHandler] = Point("job handlers", key=lambda item: item.kind)
# The worker's task that runs a queued job (core.tasks.run_job): registered here, so that the tasks import the
# services and never the other way round.
JOB_QUEUE: Point[Callable[[int], Any]] = Point("job queue", key=lambda item: "queue")


@dataclass(frozen=True)
class CodeKind:
    """A table whose rows carry a unique code (core.numbering): after codes were written directly (a restore,
    the demo fill, an import) the kind's counter is brought above the codes in use."""

    kind: str
    table: str
    column: str = "code"


CODE_KINDS: Point[CodeKind] = Point("code kinds", key=lambda item: item.kind)


# --- record policies and exits: who may reach a client's data, and every URL by which it leaves ----------------

# The record policies of the apps (core.permissions.Policy), by model label: every model whose rows belong to a
# client has one (an architecture test holds the apps to it), and the crawler asks them for nothing — it checks
# the pages against the manual's rules instead.
POLICIES: Point[Any] = Point("record policies", key=lambda policy: policy.label)

# What an exit needs of the user's standing towards the client of the object it is asked about (the levels of
# clients.access.Standing), or NOT_PRIVATE (refused only for another curator's private client: an
# administrator's page about any client) or NOBODY (never reached: a page that refuses every client).
SEES, OPENS, EDITS, EDITS_MAIN = "sees", "opens", "edits", "edits_main"
NOT_PRIVATE, NOBODY = "not_private", "nobody"
# What the answer says: PAGE — reached when 2xx/3xx, refused when 403/404; ROWS — the object shows among the
# client rows answered; COUNT — the number answered counts it; LIST — client rows of which none may be one the
# user may not see (a list's first page, the rows after a client: nothing is required to show).
PAGE, ROWS, COUNT, LIST = "page", "rows", "count", "list"


def _nothing(obj: Any) -> dict[str, Any]:
    return {}


def anyone(user: Any) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """A request made before an exit is asked (mark the client, then export the marked ones)."""

    url_name: str
    data: Callable[[Any], dict[str, Any]] = _nothing
    method: str = "POST"


@dataclass(frozen=True)
class Exit:
    """A URL by which a client's data leaves the server or is changed, declared by its app in `hooks.py`.

    `reveals` names the model of the object the exit is asked about ("clients.ContactPerson"; "clients.Client" for
    the card and for the lists of clients); `args` and `data` build the URL's arguments and the query string (GET)
    or the form (POST) for such an object; `needs` is what the user's standing towards the object's client must
    be for the exit to answer (SEES for lists, OPENS, EDITS, EDITS_MAIN …); `who` is the guard of the view —
    which roles or rights reach it at all. The crawler of the tests asks every exit about every object of the
    access matrix as every role in every working mode, and compares the answers with the manual's rules; a test
    walks the URL resolver and fails on a URL that takes a client-owned id or lists client rows without an exit.
    """

    url_name: str
    reveals: str
    needs: str = OPENS
    method: str = "GET"
    args: Callable[[Any], dict[str, Any]] = field(default=_nothing, compare=False)
    data: Callable[[Any], dict[str, Any]] = field(default=_nothing, compare=False)
    answer: str = PAGE
    who: Callable[[Any], bool] = field(default=anyone, compare=False)
    once: bool = False  # one request answers for every object (a whole list): asked once per user
    reset: str = ""  # a URL POSTed before and after, so session state (marks, the active filter) starts and ends empty
    prepare: Step | None = None  # a request made first, for the object
    removes: bool = False  # a POST that deletes its object: asked after every other exit
    ajax: bool = False  # sent as htmx sends it (some answers differ for htmx)
    key: str = ""  # tells several exits of one URL and method apart

    @property
    def name(self) -> str:
        return f"{self.method} {self.url_name}" + (f" [{self.key}]" if self.key else "")


EXITS: Point[Exit] = Point("exits", key=lambda item: (item.url_name, item.method, item.key))


def register() -> None:
    """Core's own items: its menu entries, job handlers and the queue that runs jobs."""
    from kontora.core.tasks import backup_job, run_job

    JOB_QUEUE.register(run_job)
    JOB_HANDLERS.register(JobHandler("backup", backup_job))
    for item in (
        # Administration keeps one block in the manual's order; the apps' items take the places between.
        MenuItem("admin", _("Enterprise: constants"), "core:constants", admins, order=60),
        MenuItem("admin", _("Enterprise: structure"), "core:structure", admins, order=70),
        MenuItem("admin", _("Production calendar"), "core:office_calendar", admins, order=75),
        MenuItem("admin", _("Message to a user"), "core:message_send", admins, order=90),
        MenuItem("admin", _("Jobs"), "core:jobs", admins, order=100),
        MenuItem("admin", _("Backups"), "core:backups", admins, order=110),
        MenuItem("settings", _("Parameters"), "core:parameters", order=10),
        MenuItem("settings", _("Functionality"), "core:functionality", admins, order=20),
        # Work left to run in the background (a big report's file): collected here when it is done.
        MenuItem("settings", _("My jobs"), "core:my_jobs", order=30),
        MenuItem("help", _("User guide"), "core:guide", shortcut="F1", order=5),
        MenuItem("help", _("Keyboard shortcuts"), "core:shortcuts", shortcut="?", order=10),
        MenuItem("help", _("About"), "core:about", order=20),
    ):
        MENU.register(item)
