"""One request must not stall everyone (issue 11, F5): a filter or search too heavy for the time budget is answered
with the message where the user acted, never a 500, and the 200-condition filter of the finding, now read through the
trigram indexes, finds exactly what the regular expression finds on 2,000 clients (its speed: bench.flexi).

A cancelled statement on PostgreSQL aborts the transaction it runs in, so the requests that overrun run outside the
test's transaction (transaction=True), as requests do (no ATOMIC_REQUESTS).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kontora.accounts.models import User
from kontora.clients.access import visible_clients
from kontora.clients.demo import demo_fill
from kontora.clients.flexi.selectors import session as flexi_session
from kontora.clients.flexi.selectors.conditions import key_regex
from kontora.clients.models import ContactPerson
from kontora.clients.selectors import registry as registry_selectors
from kontora.clients.selectors import search as search_selectors
from kontora.core import budget
from kontora.core.models import HeavyRequest
from kontora.core.text import search_key
from tests.clients.factories import client_named
from tests.clients.support import flexi_refusal, registry_answer
from tests.clients.support import registry_names as names_in
from tests.support.http import signed_in

MESSAGE = "Условие слишком тяжёлое — сузьте его."


def heavy_spec(values: list[str]) -> str:
    """The finding's shape: "a contact's name contains …" conditions joined by OR, 50 to a group."""
    groups = [{"op": "or", "items": [{"field": "contact_name", "operator": "contains", "value": value}
                                     for value in values[start:start + 50]]}
              for start in range(0, len(values), 50)]
    return json.dumps({"op": "or", "items": groups})


# Two letters have no trigram: every condition is the regular expression over every contact (seconds on SQLite).
SHORT_VALUES = [f"{a}{b}" for a in "абвгдежзик" for b in "лмнопрстуф"][:200]


def runs_late(monkeypatch: Any, owner: Any, name: str) -> None:
    """From the moment `owner.name` is called, the budget's clock reads an hour later: its first query is past the
    deadline, wherever the database is and however fast the machine (the view's earlier queries were on time)."""
    late = [0.0]
    real_clock, original = budget.monotonic, getattr(owner, name)

    def called(*args: Any, **kwargs: Any) -> Any:
        late[0] += 3600.0
        return original(*args, **kwargs)

    monkeypatch.setattr(budget, "monotonic", lambda: real_clock() + late[0])
    monkeypatch.setattr(owner, name, called)


@pytest.fixture
def seen_by_manager(manager_user: Any) -> Any:
    User.objects.filter(pk=manager_user.pk).update(client_scope="full")
    demo_fill(clients=300, seed=3)
    client_named("Аврора", curator=manager_user)
    return manager_user


@pytest.mark.feature("REG-04")
@pytest.mark.django_db(transaction=True)
def test_a_filter_too_heavy_for_the_budget_is_refused_in_the_panel_and_the_registry_keeps_working(
    manager_client: Any, seen_by_manager: Any, settings: Any,
) -> None:
    # given: a budget of a few milliseconds
    settings.REQUEST_BUDGET_MS = 3
    # when: the 200 conditions are applied
    response = manager_client.post("/clients/filter/apply/", {"spec": heavy_spec(SHORT_VALUES)}, HTTP_HX_REQUEST="true")
    # then: refused like a wrong filter, with the message for the panel, and not made active
    assert flexi_refusal(response) == {"error": MESSAGE, "rows": {}}
    assert flexi_session.SESSION_KEY not in manager_client.session
    # and the next requests, with the usual budget, are served on the same connection (positive control)
    settings.REQUEST_BUDGET_MS = 5000
    page = manager_client.get("/")
    assert page.status_code == 200
    assert "Аврора" in names_in(page.content.decode())
    light = json.dumps({"op": "and", "items": [{"field": "name", "operator": "contains", "value": "аврора"}]})
    answer = registry_answer(manager_client.post("/clients/filter/apply/", {"spec": light}, HTTP_HX_REQUEST="true"))
    assert names_in(answer["rows"]) == ["Аврора"]


@pytest.mark.feature("REG-04")
@pytest.mark.django_db(transaction=True)
def test_the_main_window_under_a_too_heavy_filter_opens_with_the_message_in_place_of_the_rows(
    manager_client: Any, seen_by_manager: Any, settings: Any, monkeypatch: Any,
) -> None:
    # given: the heavy filter is active (applied while the budget allowed it)
    settings.REQUEST_BUDGET_MS = 60_000
    assert manager_client.post("/clients/filter/apply/", {"spec": heavy_spec(SHORT_VALUES)},
                               HTTP_HX_REQUEST="true").status_code == 200
    # when: the main window is opened, and its registry runs out of the budget
    settings.REQUEST_BUDGET_MS = 5000
    runs_late(monkeypatch, registry_selectors, "registry_page")
    response = manager_client.get("/")
    # then: the page opens, the message where the rows were, the filter still on the toolbar to narrow or reset
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-testid="registry-overrun">([^<]*)<', html)[1] == MESSAGE
    assert 'data-testid="flexi-badge"' in html
    # and its next page says the same in its place
    assert MESSAGE in manager_client.get("/clients/registry/rows/?sort=name&after=1").content.decode()


@pytest.mark.feature("REG-12")
@pytest.mark.django_db(transaction=True)
def test_the_panels_live_count_of_a_too_heavy_filter_is_the_message(
    manager_client: Any, seen_by_manager: Any, settings: Any,
) -> None:
    settings.REQUEST_BUDGET_MS = 3
    count = manager_client.post("/clients/filter/count/", {"spec": heavy_spec(SHORT_VALUES)})
    assert count.status_code == 200 and count.content.decode() == MESSAGE
    settings.REQUEST_BUDGET_MS = 5000  # positive control: a light one is counted
    light = json.dumps({"op": "and", "items": [{"field": "name", "operator": "contains", "value": "аврора"}]})
    assert manager_client.post("/clients/filter/count/", {"spec": light}).content.decode() == "Найдено: 1"


@pytest.mark.feature("REG-08")
@pytest.mark.django_db(transaction=True)
def test_a_search_past_the_budget_shows_the_message_in_the_search_window(
    manager_client: Any, seen_by_manager: Any, monkeypatch: Any,
) -> None:
    # given: the search runs out of the budget
    runs_late(monkeypatch, search_selectors, "search_next")
    # when
    response = manager_client.get("/clients/search/find/", {"name": "аврора"})
    # then
    assert response.status_code == 200
    assert re.search(r'data-testid="search-error">([^<]*)<', response.content.decode())[1] == MESSAGE
    # and with the clock back the same search finds the client (positive control)
    monkeypatch.undo()
    found = manager_client.get("/clients/search/find/", {"name": "аврора"}).content.decode()
    assert 'data-testid="search-found"' in found and "Аврора" in found


@pytest.mark.feature("REG-04")
def test_the_findings_200_contact_name_conditions_find_what_the_regular_expression_finds_on_2000_clients(
    manager_client: Any, manager_user: Any, settings: Any,
) -> None:
    # given: 2,000 clients with their contacts, and 200 different fragments of contacts' names
    User.objects.filter(pk=manager_user.pk).update(client_scope="full")
    demo_fill(clients=2000, seed=7)
    names = list(ContactPerson.objects.values_list("client_id", "full_name"))
    # as in the finding, most conditions match nobody, so each is asked about every client (a few real ones match)
    real = sorted({part[:6] for _client, name in names for part in name.split() if len(part) >= 6})[:5]
    values = real + [f"Никогдаев{number:03d}" for number in range(200 - len(real))]
    # when: applied (its speed is bench.flexi's to measure, never a wall-time assert here)
    settings.REQUEST_BUDGET_MS = 120_000
    response = manager_client.post("/clients/filter/apply/", {"spec": heavy_spec(values)}, HTTP_HX_REQUEST="true")
    # then: answered, not refused
    answer = registry_answer(response)
    # and what it found is what the regular expression alone finds
    patterns = [re.compile(key_regex(search_key(value)), re.IGNORECASE) for value in values]
    manager_user.refresh_from_db()
    seen = set(visible_clients(manager_user).values_list("pk", flat=True))
    expected = {client for client, name in names if client in seen and any(p.search(name) for p in patterns)}
    assert expected
    shown = int(re.search(r"из\s*([\d\s\u00a0]+)", answer["count"])[1].replace("\u00a0", "").replace(" ", ""))
    assert shown == len(expected)


@pytest.mark.feature("REG-04")
def test_a_third_heavy_request_of_a_user_waits_for_the_previous_ones(
    manager_client: Any, manager_user: Any, admin_user: Any, settings: Any,
) -> None:
    # given: two heavy requests of the manager are running (their slots taken)
    settings.HEAVY_REQUESTS_PER_USER = 2
    client_named("Аврора", curator=manager_user)
    held = [budget.slot_take(manager_user.pk), budget.slot_take(manager_user.pk)]
    # when: a third one asks for the registry's rows
    response = manager_client.get("/clients/registry/rows/?sort=name&after=1", HTTP_HX_REQUEST="true")
    # then: refused at once with the polite message, shown by the page as a toast
    assert response.status_code == 429
    assert json.loads(response["HX-Trigger"]) == {
        "k:refused": {"message": "Дождитесь завершения предыдущего запроса и повторите."}}
    # and another user is not held up by the manager's requests
    admin = signed_in(admin_user)
    assert admin.get("/clients/registry/rows/?sort=name&after=1", HTTP_HX_REQUEST="true").status_code == 200
    # when one of the two ends, the manager's next request is served, and frees its slot after itself
    budget.slot_free(manager_user.pk, *held[0])
    assert manager_client.get("/clients/registry/rows/?sort=name&after=1", HTTP_HX_REQUEST="true").status_code == 200
    assert HeavyRequest.objects.filter(user=manager_user).count() == 1
