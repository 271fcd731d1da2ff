"""Every way a client's data leaves the server is declared (`core.hooks.EXITS`), so the crawler of the access matrix
walks it; every client-owned model has its record policy (`core.hooks.POLICIES`); every Flexi-filter field says
which level of a client it reads.

- The URL resolver is walked: a URL that takes a client's id (`client_id`) must have an exit; every other URL is
  asked, as an administrator who opens every card, with each of its ids set to the primary key shared by a client
  and every client-owned row of it (and a query naming it), and must show nothing of that client — else it lists
  or reveals client rows without an exit.
- Each exit is well formed: its URL and steps exist, its level and answer are known to the crawler, its model has
  rows in the crawler's world, and its guard is the view's own (`kontora_policy`) where the view carries one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from kontora.accounts.models import ClientScope, Role
from kontora.clients.flexi.hooks import FILTER_FIELDS, LEVELS
from kontora.clients.flexi.selectors.fields import catalogue
from kontora.clients.models import Client
from kontora.core.hooks import (
    COUNT,
    EDITS,
    EDITS_MAIN,
    EXITS,
    LIST,
    NOBODY,
    NOT_PRIVATE,
    OPENS,
    PAGE,
    POLICIES,
    ROWS,
    SEES,
    anyone,
)
from kontora.core.permissions import is_signed_in
from kontora.directories.hooks import DIRECTORIES
from kontora.directories.models import Attribute
from kontora.processes.hooks import MOVES, ON_STAGE
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in
from tests.support.matrix import CARD_MARK, MODELS, REGISTRY_MARK, probe
from tests.support.urls import converters, named_urls

PROBE = 987_001  # the primary key of the probe client and of every client-owned row of it
LEVELS_KNOWN = {SEES, OPENS, EDITS, EDITS_MAIN, NOT_PRIVATE, NOBODY, MOVES, ON_STAGE}
ANSWERS_KNOWN = {PAGE, ROWS, COUNT, LIST}


def _declared() -> set[str]:
    return {item.url_name for item in EXITS.items()}


def test_a_url_that_takes_a_clients_id_has_an_exit() -> None:
    # when the resolver is walked for URLs with a client's id
    taking = {name for name, _pattern, route in named_urls() if "client_id" in converters(route)}
    # then each has a declared exit (and there are such URLs: the card's)
    assert taking and sorted(taking - _declared()) == []


def _arguments(route: str) -> Iterator[dict[str, Any]]:
    """Every way to fill the URL's parameters: ids with the probe's key, a directory's key with each registered
    one, any other text with a placeholder."""
    params = converters(route)
    keys = [{}] if "key" not in params else [{"key": item.key} for item in DIRECTORIES.items()]
    for key in keys:
        values: dict[str, Any] = dict(key)
        for param, converter in params.items():
            if param not in values:
                values[param] = PROBE if converter == "int" else "x"
        yield values


@pytest.mark.django_db
def test_every_other_url_shows_nothing_of_a_client(files_home: Any) -> None:
    # given an administrator who opens every card, and his client whose every row has the probe's key
    admin = UserFactory(login="probe", full_name="Зондирующий Администратор", role=Role.ADMIN,
                        client_scope=ClientScope.FULL)
    client = probe(admin, PROBE)
    query = {"client": PROBE, "id": PROBE, "q": client.short_name, "name": client.short_name, "code": client.code,
             "user": admin.pk, "ref": f"user:{PROBE}", "after": PROBE, "before": PROBE, "folder": PROBE,
             "template": PROBE, "focus": PROBE, "inn": client.inn, "short_name": client.short_name}
    http = signed_in(admin)
    declared = _declared()
    shown: list[str] = []
    asked = 0

    # when every URL without an exit is asked about it
    for name, _pattern, route in named_urls():
        if name in declared or name in ("accounts:logout",):  # signing out would end the walk
            continue
        for values in _arguments(route):
            response = http.get(reverse(name, kwargs=values or None), query)
            asked += 1
            if response.status_code == 302 and "/login/" in response.get("Location", ""):
                http = signed_in(admin)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", errors="replace").replace(client.short_name + '"', "")
            marks = [m.group(0) for m in (*REGISTRY_MARK.finditer(text), *CARD_MARK.finditer(text))
                     if str(client.code) in m.group(0) or m.group(0).endswith(f"{client.code:08d}")]
            if marks:
                shown.append(f"{name} {values}: {sorted(set(marks))[:3]}")

    # then none shows anything of the client: every URL that does has a declared exit
    assert asked > 50
    assert shown == []


def test_every_exit_is_declared_so_that_the_crawler_can_walk_it() -> None:
    patterns = {name: pattern for name, pattern, _route in named_urls()}
    problems: list[str] = []
    for item in EXITS.items():
        if item.url_name not in patterns:
            problems.append(f"{item.name}: no such URL")
            continue
        if item.needs not in LEVELS_KNOWN:
            problems.append(f"{item.name}: unknown level {item.needs!r}")
        if item.answer not in ANSWERS_KNOWN:
            problems.append(f"{item.name}: unknown answer {item.answer!r}")
        if item.reveals not in MODELS:
            problems.append(f"{item.name}: the crawler's world has no {item.reveals} rows")
        for step in (item.reset, item.prepare.url_name if item.prepare else ""):
            if step and step not in patterns:
                problems.append(f"{item.name}: no such URL {step}")
        guard = getattr(patterns[item.url_name].callback, "kontora_policy", None)
        # A view open to every signed-in user is the exit's default guard (`anyone`: the crawler's users are signed in).
        if guard is not None and guard != item.who and not (guard is is_signed_in and item.who is anyone):
            problems.append(f"{item.name}: the exit's guard is not the view's {guard!r}")
    assert problems == []


def _client_owned(model: type[models.Model]) -> bool:
    for field in model._meta.get_fields():
        if field.is_relation and field.many_to_one | field.one_to_one and not field.auto_created \
                and field.related_model is Client:
            return True
        if field.name == "client_id" and not field.is_relation:
            return True
    return False


def test_every_client_owned_model_has_a_record_policy() -> None:
    # given the models whose rows belong to a client (a foreign key to it, or its id in a column)
    owned = {model._meta.label for model in apps.get_models() if _client_owned(model) or model is Client}
    # then each has its policy, registered from its app's hooks
    assert "clients.ContactPerson" in owned and "core.AuditEvent" in owned and "processes.ProcessRun" in owned
    assert sorted(label for label in owned if label not in POLICIES) == []


@pytest.mark.django_db
def test_every_filter_field_declares_the_level_it_reads() -> None:
    # given the catalogue's fields, the Attributes tab's too
    Attribute.objects.create(name="Признак", label="Признак", kind=Attribute.Kind.TEXT, is_active=True)
    fields = [field for _code, _label, items in catalogue() for field in items]
    # then each says whether it reads the registry's columns or the card
    assert len(fields) > len(FILTER_FIELDS.items())
    assert sorted(field.key for field in fields if field.reads not in LEVELS) == []
