"""The card's budget (issue 10, "Done when"; issue 12): opening a client card as its curator costs at most 2 requests
and 12 queries before another tab is shown — its General tab's pickers show their chosen items without a query each —
and a shown tab at most 6; neither grows with the client's rows."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from kontora.clients.models import Client, ClientLegalChange, ClientMailingAddress
from kontora.core.audit import audit_record
from kontora.core.services.settings import system_settings_update
from kontora.core.text import search_key
from kontora.directories.models import Attribute, Competitor, Direction
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory, ContactFactory
from tests.clients.support import make_attribute
from tests.directories.factories import PriorityFactory, RegionFactory, SettlementFactory
from tests.support.http import html, signed_in
from tests.support.queries import count_queries

# An element that asks the server by itself as soon as the page shows it (htmx's load-like triggers).
_SELF_LOADING = re.compile(r"^\s*(load|revealed|intersect)\b")
_TAG = re.compile(r"<[a-z][^>]*>", re.S)
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')


def requests_on_load(page: str) -> list[str]:
    """The URLs the page asks for while it loads, before the user does anything: every htmx element whose trigger
    fires on load (a pane's "shown.bs.tab … once" waits for its tab)."""
    urls = []
    for tag in _TAG.findall(page):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if any(_SELF_LOADING.match(part) for part in attributes.get("hx-trigger", "").split(",")):
            urls.append(attributes.get("hx-get") or attributes["hx-post"])
    return urls


def pane_urls(page: str) -> list[str]:
    """The URLs of the card's panes, each asked when its tab is first shown."""
    return re.findall(r'hx-get="(/clients/\d+/[\w-]+/)" hx-trigger="shown\.bs\.tab', page)


@pytest.fixture
def curated(curator: Any, admin_user: Any) -> Client:
    """A company with every tab the card may show and an item chosen in every picker of its General tab."""
    system_settings_update(acting_user=admin_user, security_tab_enabled=True, shipping_tab_enabled=True)
    make_attribute(Attribute.Kind.TEXT, "Цвет логотипа")
    Direction.objects.create(name="Опт")
    Competitor.objects.create(name="Лютик")
    client: Client = ClientFactory(curator=curator, short_name="Ромашка", specialist=UserFactory(), **_chosen())
    return client


def _chosen() -> dict[str, Any]:
    """An item of every directory the General tab picks from: each picker shows its item's name."""
    region = RegionFactory()
    chosen: dict[str, Any] = {"region": region, "settlement": SettlementFactory(region=region),
                              "priority": PriorityFactory()}
    for name in ("status", "size", "source", "activity"):
        model = Client._meta.get_field(name).related_model
        chosen[name] = model._default_manager.create(  # type: ignore[union-attr]
            name=f"Пункт {name}", name_key=search_key(f"Пункт {name}"))
    return chosen


def _grow(client: Client, number: int) -> None:
    """One more row of every journal the card shows: a contact, a history row by another user, a mailing address,
    a change in the legal documents."""
    ContactFactory(client=client, full_name=f"Контакт {number}")
    audit_record(actor=UserFactory(), event="clients.client.update", summary="Карточка изменена", target=client,
                 client=client, changes=[{"field": "Заметки", "old": "", "new": str(number)}])
    value = f"box{number}@romashka.ru"
    ClientMailingAddress.objects.create(client=client, kind="email", value=value, value_key=value)
    ClientLegalChange.objects.create(client=client, date=datetime.date(2024, 1, 1 + number), document=f"Устав {number}",
                                     created_by=UserFactory())


def _open(http: Any, client: Client) -> tuple[int, int, str]:
    """The card opened as a browser opens it: its page, then what the page asks for by itself.
    Returns (requests, queries, the page)."""
    with count_queries() as queries:
        page = html(http.get(f"/clients/{client.pk}/"))
        loads = requests_on_load(page)
        for url in loads:
            assert http.get(url, HTTP_HX_REQUEST="true").status_code in (200, 204), url
    return 1 + len(loads), len(queries), page


def _panes(http: Any, page: str) -> dict[str, int]:
    """Each pane's queries when its tab is shown."""
    counts = {}
    for url in pane_urls(page):
        with count_queries() as queries:
            assert http.get(url, HTTP_HX_REQUEST="true").status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.mark.feature("CLI-01", "CLI-14")
def test_opening_a_card_costs_two_requests_and_at_most_twelve_queries_whatever_its_rows(
    curator: Any, curated: Client,
) -> None:
    # given the curator, whose session is warm
    http = signed_in(curator)
    _open(http, curated)
    _grow(curated, 0)
    # when he opens the card with one row in every journal
    requests, queries, page = _open(http, curated)
    # then the page and the bell's first poll are all it asks for, within the budget
    assert requests <= 2 and queries <= 12, (requests, queries)
    assert len(pane_urls(page)) >= 10  # every tab is there, waiting to be shown
    # when every journal has twenty rows, the card costs the same
    for number in range(1, 20):
        _grow(curated, number)
    assert _open(http, curated)[:2] == (requests, queries)


@pytest.mark.feature("CLI-01", "CLI-04", "CLI-05", "CLI-06", "CLI-09", "CLI-10", "CLI-11", "CLI-12")
def test_a_shown_tab_costs_at_most_six_queries_whatever_its_rows(curator: Any, curated: Client) -> None:
    # given the card with one row in every journal
    http = signed_in(curator)
    _grow(curated, 0)
    page = _open(http, curated)[2]
    # when each tab is shown
    one = _panes(http, page)
    # then each costs at most six queries
    assert set(one) >= {f"/clients/{curated.pk}/{code}/" for code in (
        "operational", "contacts", "registration", "attributes", "bank", "access", "mailing", "security", "shipping",
        "history", "files")}
    assert max(one.values()) <= 6, one
    # and as many with twenty rows in every journal
    for number in range(1, 20):
        _grow(curated, number)
    assert _panes(http, page) == one


@pytest.mark.feature("CLI-01")
def test_a_persons_card_and_its_passport_tab_keep_the_budget(curator: Any, curated: Client) -> None:
    person = ClientFactory(curator=curator, short_name="Сидоров Пётр", kind="person")
    http = signed_in(curator)
    _open(http, person)
    requests, queries, page = _open(http, person)
    assert requests <= 2 and queries <= 12, (requests, queries)
    panes = _panes(http, page)
    assert f"/clients/{person.pk}/personal/" in panes and max(panes.values()) <= 6, panes


def test_the_request_counter_sees_what_loads_by_itself() -> None:
    # a positive control of `requests_on_load`: load-like triggers count, a tab's pane and a plain element do not
    page = ('<span hx-get="/poll/" hx-trigger="load, every 4s"></span><div hx-get="/a/" hx-trigger="revealed">'
            '<div hx-get="/pane/" hx-trigger="shown.bs.tab from:#b once"></div><div hx-get="/c/"></div>'
            '<div hx-post="/d/" hx-trigger="k-poll, load"></div>')
    assert requests_on_load(page) == ["/poll/", "/a/", "/d/"]
