"""The hostile-value walk (issue 11, F6–F10): every URL pattern of the project asked with values no form would send,
as a signed-in user, and every answer that is a 5xx (or an exception out of the view) reported.

- **Path parameters**: each id filled with a valid one (`PROBE`, the primary key shared by a probe client, every
  client-owned row of it and one record of most other models, see `probe_world`) and with hostile ones (0, 2⁶³,
  10³⁰, "²"); text parameters with every directory's key and hostile texts (NUL, "..", "²", 5,000 characters).
- **Query parameters** (GET, on the valid path): every name a view may read — the generic ones below, every
  literal name the code reads from `request.GET` / `request.POST` (scanned from the source), and every field name
  the page's own HTML carries — set at once, one request per family of hostile values (`FAMILIES`: Unicode digits,
  numbers past a bigint, empty strings, odd numbers, NUL, deep JSON, far dates), each name one value of the
  family, turning with the walk (`Walker.turn`); then the calendar's and the dates' combinations (`COMBOS`), and
  1 MB texts.
- **Bodies** (POST, where the view takes POST): the same, as a form (1 MB in every field of the page's form at
  once), then the wrong content types: JSON (a deep one) to a form view, broken multipart, plain text, bytes that
  are not UTF-8.

A view's variations are sent once per form it shows (a directory's pages once per set of fields), and not to a
user it refuses both ways (its parsing is behind the refusal; the walks of those it answers vary it). The test
client skips the CSRF check; each URL's requests run in a transaction rolled back afterwards, so what a valid id
lets a POST delete or change is back for the next URL.
"""

from __future__ import annotations

import base64
import datetime
import re
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.test import Client as HttpClient

import kontora
from kontora.accounts.models import ClientScope, Role
from kontora.clients.models import ClientGrant
from kontora.core.models import BankAccount, LegalEntity, OfficeDay
from kontora.directories.hooks import DIRECTORIES
from tests.accounts.factories import UserFactory
from tests.activity.factories import ProjectItemFactory
from tests.core.factories import DepartmentFactory, JobFactory, NotificationFactory, PositionFactory
from tests.directories.factories import AttributeFactory, AttributeOptionFactory, NomenclatureItemFactory
from tests.processes.factories import ProcessFactory, StageFactory, StageResultFactory
from tests.support.http import signed_in
from tests.support.matrix import probe
from tests.support.urls import converters, named_urls

PROBE = 987_002  # the primary key every valid id of the walk names
MEGABYTE = "x" * 1_000_000
DEEP_LIST = "[" * 1100 + "]" * 1100
DEEP_SPEC = '{"op":"and","items":[' * 1100 + "]}" * 1100
DEEP_CURSOR = base64.urlsafe_b64encode(DEEP_LIST.encode()).decode().rstrip("=")

# Families of hostile values (label, values): one request per family, every name set to one of its values — each
# name its own, turning with the walk's `turn`, so the roles' walks between them give every name every value.
FAMILIES: list[tuple[str, list[str]]] = [
    ("superscript digits", ["²"]),  # isdigit() is true, int() fails: every name gets it in every walk
    ("other Unicode digits", ["٣", "１", "1²", "1,²,-1," + str(2**64), "user:²"]),
    ("past a bigint", [str(2**63), str(2**64), str(10**30), str(-(2**63) - 1)]),
    ("empty", [""]),
    ("small and odd numbers", ["-1", "0", "1e400", "NaN", "[1, 2]"]),
    ("NUL", ["a\x00b", "\x00"]),
    ("deep JSON", [DEEP_LIST, DEEP_CURSOR]),  # and a deep filter for `spec` (ONLY)
    ("far dates", ["9999-12-31", "9999-12", "0000-00-00", "0001-01"]),
]
# What a family gives one name whatever its turn: a filter as deep as the rest (a deep list is refused before).
ONLY = {"deep JSON": {"spec": DEEP_SPEC}}
# Combinations a single value does not make: the calendar at its edges (month=12&year=9999), dates out of range.
COMBOS: list[tuple[str, dict[str, str]]] = [
    ("December 9999", {"month": "12", "year": "9999", "day": "31", "date": "9999-12-31", "start": "9999-12-31",
                       "end": "9999-12-31"}),
    ("January of year 1", {"month": "1", "year": "1", "day": "1", "date": "0001-01-01", "start": "0001-01-01",
                           "end": "0001-01-01"}),
    ("30 February of year 10000", {"month": "13", "year": "10000", "day": "30", "date": "2024-02-30"}),
]
# Names every view might read, whatever the scan finds.
GENERIC = ("page", "cursor", "after", "before", "q", "id", "pk", "sort", "dir", "mark", "marks", "year", "month",
           "day", "date", "filter", "job", "spec", "client", "client_id", "folder", "template", "focus", "user")
PATH_INTS: list[tuple[str, str]] = [  # "-1" and "٣" are refused by the resolver as "²" is
    ("zero id", "0"), ("id 2**63", str(2**63)), ("id 10**30", str(10**30)), ("superscript id", "²"),
]
PATH_TEXTS: list[tuple[str, str]] = [("NUL", "a\x00b"), ("dots", ".."), ("superscript", "²"), ("long", "x" * 5000)]
BODIES: list[tuple[str, str, bytes | str]] = [  # (label, content type, raw body)
    ("deep JSON to a form", "application/json", DEEP_LIST),
    ("JSON object to a form", "application/json", '{"spec": {"op": "and"}, "name": ["x"]}'),
    ("broken multipart", "multipart/form-data; boundary=XyZ", b"--XyZ\r\nContent-Disposition: form-data\r\n\r\n\x00"),
    ("multipart without a boundary", "multipart/form-data", b"garbage"),
    ("plain text", "text/plain", b"\x00\xff\xfe"),
    ("form as Latin-1 bytes", "application/x-www-form-urlencoded", b"q=%FF%FE&name=\xff"),
]
SKIPPED = {"accounts:logout"}  # signing out ends the walk's session


def read_names() -> set[str]:
    """Every literal name the code reads from a request's query or form (`request.GET.get("x")`,
    `params.getlist("x")`, `POST["x"]` …)."""
    pattern = re.compile(r"""(?:GET|POST|params|query|data)(?:\.get|\.getlist|\.pop)?[(\[]\s*["']([\w-]+)["']""")
    names: set[str] = set()
    for path in Path(kontora.__file__).parent.rglob("*.py"):
        if "migrations" not in path.parts:
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


FIELD_NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""")


def page_names(body: bytes) -> set[str]:
    """The names of the fields a page's HTML carries (its forms)."""
    return set(FIELD_NAME.findall(body.decode("utf-8", errors="replace"))) - {"csrfmiddlewaretoken"}


def probe_world(admin: Any) -> None:
    """Records with the primary key `PROBE` of the models URLs take ids of, so a valid id reaches each view's
    parsing: the administrator's probe client with every row of it (`tests.support.matrix.probe`), a process with
    its stage and result, a legal entity and its account, a department and position, a job, a notification of the
    administrator, an attribute and its option, a nomenclature item, a user, a date of the office calendar, a project
    theme with a case."""
    probe(admin, PROBE)
    process = ProcessFactory(pk=PROBE)
    stage = StageFactory(pk=PROBE, process=process, responsible=admin, is_start=True)
    StageResultFactory(pk=PROBE, stage=stage)
    entity = LegalEntity.objects.create(pk=PROBE, full_name="ООО Зонд", short_name="Зонд", inn="7707083893")
    BankAccount.objects.create(pk=PROBE, legal_entity=entity, bank_name="Банк", bik="044525225",
                               account="40702810400000000001")
    PositionFactory(pk=PROBE, department=DepartmentFactory(pk=PROBE))
    JobFactory(pk=PROBE, created_by=admin)
    NotificationFactory(pk=PROBE, user=admin)
    AttributeOptionFactory(pk=PROBE, attribute=AttributeFactory(pk=PROBE))
    NomenclatureItemFactory(pk=PROBE)
    UserFactory(pk=PROBE, login="probed", full_name="Зондируемый Пользователь")
    OfficeDay.objects.create(pk=PROBE, date=datetime.date(2030, 1, 1), is_working=False, note="Зонд")
    theme = ProjectItemFactory(pk=PROBE, title="Зондовая тема", responsible=admin)
    ProjectItemFactory(parent=theme, title="Зондовое дело", responsible=admin)


def walkers(subjects: list[tuple[str, str]]) -> list[Any]:
    """The users of `subjects` (role, working mode); each non-administrator may edit the probe client (a grant),
    so the client's forms parse his posts too."""
    users = []
    for number, (role, mode) in enumerate(subjects, start=1):
        user = UserFactory(login=f"h{number:02d}", full_name=f"Враждебный {number:02d}", role=role,
                           client_scope=mode)
        if role != Role.ADMIN:
            ClientGrant.objects.create(client_id=PROBE, user=user, can_edit=True)
        users.append(user)
    return users


@dataclass
class Target:
    """One URL of the walk: its name and the path with its parameters filled (how, in `label`)."""

    name: str
    path: str
    label: str
    valid: bool  # every parameter valid: the query and body variations are sent to it


def _fill(route: str, values: dict[str, str]) -> str:
    path = route
    for param, value in values.items():
        path = re.sub(rf"<\w+:{param}>", quote(value, safe=""), path)
    return "/" + path


def targets() -> Iterator[Target]:
    """Every named URL with valid parameters (each directory's key for `key`), then with each parameter hostile."""
    for name, _pattern, route in named_urls():
        if name in SKIPPED:
            continue
        params = converters(route)
        keys = [item.key for item in DIRECTORIES.items()] if "key" in params else [""]
        for key in keys:
            valid = {param: (key if param == "key" else str(PROBE) if kind == "int" else "probe")
                     for param, kind in params.items()}
            yield Target(name, _fill(route, valid), f"key={key}" if key else "", True)
        for param, kind in params.items():
            for label, value in (PATH_INTS if kind == "int" else PATH_TEXTS):
                yield Target(name, _fill(route, {**valid, param: value}), f"{param}: {label}", False)


@dataclass
class Walker:
    """One user's walk, and the 5xx answers it met."""

    user: Any
    turn: int = 0  # which value of each family each name gets (see FAMILIES)
    http: HttpClient = field(init=False)
    failures: list[str] = field(default_factory=list)
    varied: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)  # the answers' statuses: how far the walk reached

    def __post_init__(self) -> None:
        self.http = signed_in(self.user)

    def send(self, target: Target, what: str, method: str, data: Any = None, content_type: str = "") -> Any:
        where = f"{self.user.role}: {method} {target.name} {target.path[:80]!r} {target.label} {what}".strip()
        try:
            if method == "GET":
                response = self.http.get(target.path, data)
            elif content_type:
                response = self.http.generic("POST", target.path, data, content_type=content_type)
            else:
                response = self.http.post(target.path, data or {})
        except Exception as exc:  # the view's exception, re-raised by the test client: a 500
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            self.failures.append(f"{where}: {type(exc).__name__}: {str(exc)[:160]} "
                                 f"({Path(frame.filename).name}:{frame.lineno})")
            return None
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.failures.append(f"{where}: status {response.status_code}")
        if response.status_code == 302 and "/login/" in response.get("Location", ""):
            self.http = signed_in(self.user)  # the session ended (an account's sessions were ended): go on
        return response

    def walk(self, target: Target, names: set[str]) -> None:
        """One URL: the plain GET and POST, then (on a valid path) every hostile query and body."""
        with transaction.atomic():
            got = self.send(target, "", "GET")
            posted = self.send(target, "", "POST")
            own = sorted(page_names(got.content)) if got is not None and not got.streaming else []
            # One view with the same fields parses the same way: a directory's pages are varied once per form.
            seen = (target.name, tuple(own))
            # A URL that refuses the user both ways is not varied for him: its parsing is behind the refusal, and
            # the walks of those it answers vary it.
            refused = all(answer is None or answer.status_code in (403, 404, 405) for answer in (got, posted))
            if target.valid and seen not in self.varied and not refused:
                self.varied.add(seen)
                takes_get = got is not None and got.status_code != 405
                takes_post = posted is not None and posted.status_code != 405
                self._variations(target, sorted(names | set(own)), own, takes_get, takes_post)
            transaction.set_rollback(True)

    def _variations(self, target: Target, names: list[str], own: list[str], takes_get: bool,
                    takes_post: bool) -> None:
        for label, values in FAMILIES:
            form = {name: values[(index + self.turn) % len(values)] for index, name in enumerate(names)}
            form.update({name: value for name, value in ONLY.get(label, {}).items() if name in form})
            if takes_get:
                self.send(target, f"?{label}", "GET", form)
            if takes_post:
                self.send(target, f"form of {label}", "POST", form)
        for label, combo in COMBOS:
            if takes_get:
                self.send(target, f"?{label}", "GET", combo)
            if takes_post:
                self.send(target, label, "POST", combo)
        texts = dict.fromkeys([*own, "q", "name", "spec"], MEGABYTE)  # the page's own fields: 1 MB each
        if takes_get:
            self.send(target, "?1 MB texts", "GET", dict.fromkeys(("q", "name", "spec"), MEGABYTE))
        if takes_post:
            self.send(target, "1 MB texts", "POST", texts)
            for label, content_type, body in BODIES:
                self.send(target, label, "POST", body, content_type)


SUBJECTS = [(Role.ADMIN, ClientScope.FULL), (Role.SUPERVISOR, ClientScope.OPEN_ALL),
            (Role.MANAGER, ClientScope.LIST_ALL), (Role.SPECIALIST, ClientScope.OWN)]
