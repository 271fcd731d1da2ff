"""Duplicate detection on entry (CLI-16) in the card: the check while typing, and the save that asks first."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings

from kontora.clients.models import Client
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN, card_post, make_private
from tests.support.http import html, signed_in

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.feature("CLI-16")
def test_duplicate_by_inn_while_typing(manager_user: Any, manager_client: Any) -> None:
    # given a client with an INN
    existing = ClientFactory(curator=manager_user, short_name="Сбербанк", inn=VALID_INN)
    # when the same INN is typed on a new card
    response = manager_client.get("/clients/duplicates/", {"inn": "7707 083 893", "short_name": "Сбер"}, **HX)
    # then the existing client is offered with a link to its card
    page = html(response)
    assert f'<a href="/clients/{existing.pk}/"' in page
    assert "1 · Сбербанк" in page and "тот же ИНН" in page


@pytest.mark.feature("CLI-16")
def test_listed_but_not_openable_duplicate_has_no_link(manager_user: Any) -> None:
    # given a "list all" user and another user's client
    existing = ClientFactory(curator=UserFactory(login="other"), short_name="Чужой", inn=VALID_INN)
    viewer = UserFactory(login="viewer", client_scope="list_all")
    # when they check the name (a registry column: the INN is card data they may not compare, issue 10)
    page = html(signed_in(viewer).get("/clients/duplicates/", {"short_name": "Чужой"}, **HX))
    # then the client is named without a link to a card they may not open
    assert "1 · Чужой" in page and f'href="/clients/{existing.pk}/"' not in page


@pytest.mark.feature("CLI-16")
def test_saving_with_duplicates_asks_for_confirmation(manager_user: Any, manager_client: Any) -> None:
    # given an existing client
    ClientFactory(curator=manager_user, short_name="Ромашка", inn=VALID_INN)
    data = card_post(short_name="Ромашка-2", inn=VALID_INN, curator=manager_user.pk)
    # when a new card with the same INN is saved
    first = manager_client.post("/clients/new/", data)
    # then it is not saved yet: the duplicates and a "save anyway" box are shown
    page = html(first)
    assert first.status_code == 200 and Client.objects.count() == 1
    assert "Похожие клиенты уже зарегистрированы (см. ниже)." in page
    assert 'data-testid="client-duplicates"' in page and 'name="save_anyway"' in page
    # when it is saved again with "save anyway"
    second = manager_client.post("/clients/new/", {**data, "save_anyway": "on"})
    # then the second client is registered
    assert second.status_code == 302 and Client.objects.count() == 2


@pytest.mark.feature("CLI-16")
def test_resaving_a_card_does_not_report_itself(manager_user: Any, manager_client: Any) -> None:
    # given a client
    client = ClientFactory(curator=manager_user, short_name="Ромашка", inn=VALID_INN, phone="+7 495 123-45-67")
    # when its card is saved with a changed name
    response = manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Ромашка плюс", inn=VALID_INN, phone="+7 495 123-45-67", curator=manager_user.pk,
    ))
    # then it is saved without asking
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.short_name == "Ромашка плюс"


def _warning(page: str) -> str:
    """The duplicate warning's block of a page ("" when there is none)."""
    found = re.search(r'<div[^>]*data-testid="client-duplicates".*?</div>', page, flags=re.S)
    return found.group(0) if found else ""


@pytest.mark.feature("CLI-16", "ACL-03")
@pytest.mark.parametrize("scope", ["own", "list_all", "open_all", "full"])
def test_the_warning_never_names_the_curator_of_someone_elses_private_client(admin_user: Any, scope: str) -> None:
    # given someone's private client and his client that is not private, both with the same INN, name and phone
    owner = UserFactory(login="owner", full_name="Тайный Куратор", client_scope="full")
    private = make_private(ClientFactory(curator=owner, short_name="Секрет", inn=VALID_INN, phone="+7 495 123-45-67"))
    shared = ClientFactory(curator=owner, short_name="Секрет", inn=VALID_INN, phone="+7 495 123-45-67")
    viewer = UserFactory(login="viewer", full_name="Проверяющий", client_scope=scope)
    values = {"inn": VALID_INN, "short_name": "Секрет", "phone": "8 495 123-45-67"}
    # when the viewer types them while entering a new client, and when he saves the new card
    typed = html(signed_in(viewer).get("/clients/duplicates/", values, **HX))
    saved = _warning(html(signed_in(viewer).post("/clients/new/", card_post(**values, curator=viewer.pk))))
    # then neither the private client nor its curator is named, in either answer
    for answer in (typed, saved):
        assert f"{private.code} · Секрет" not in answer
        assert "Тайный Куратор" not in answer and "owner" not in answer
    # while the client that is not private is named as a registry row where the viewer sees it (not its curator)
    assert (f"{shared.code} · Секрет" in typed) == (scope != "own")
    assert (f"{shared.code} · Секрет" in saved) == (scope != "own")
    # and the curator himself is offered his private client
    assert f"{private.code} · Секрет" in html(signed_in(owner).get("/clients/duplicates/", values, **HX))


@pytest.mark.feature("CLI-16")
def test_every_check_is_on_record_with_the_values_asked(manager_user: Any, manager_client: Any) -> None:
    # given
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    # when the manager checks values while typing on a card, and saves a new card
    manager_client.get("/clients/duplicates/", {"inn": VALID_INN, "short_name": "Сбер", "phone": "8 495 1234567",
                                                "client_id": str(client.pk)}, **HX)
    manager_client.post("/clients/new/", card_post(short_name="Лютик", inn=VALID_INN, curator=manager_user.pk))
    # then each check is an audit row: who checked what values, on which card
    rows = list(AuditEvent.objects.filter(event="clients.duplicates.check").order_by("pk"))
    assert [(row.actor, row.extra) for row in rows] == [
        (manager_user, {"inn": VALID_INN, "short_name": "Сбер", "phone": "8 495 1234567", "client_id": client.pk}),
        (manager_user, {"inn": VALID_INN, "short_name": "Лютик", "phone": "", "client_id": None}),
    ]
    assert all(row.client_id is None for row in rows)  # a check is no change of a card's history


@pytest.mark.feature("CLI-16")
@override_settings(DUPLICATE_CHECKS_PER_MINUTE=3)
def test_checks_beyond_the_minute_limit_get_a_polite_answer(manager_user: Any, supervisor_user: Any) -> None:
    # given a client, and a manager who checked three times within the minute
    ClientFactory(curator=manager_user, short_name="Ромашка", inn=VALID_INN)
    manager = signed_in(manager_user)
    answers = [manager.get("/clients/duplicates/", {"inn": VALID_INN}, **HX) for _ in range(3)]
    assert all('data-testid="client-duplicates"' in html(answer) for answer in answers)
    # when he checks once more
    refused = manager.get("/clients/duplicates/", {"inn": VALID_INN}, **HX)
    # then the answer says when the check resumes, names no client, and the refused check ran nothing
    page = html(refused)
    assert refused.status_code == 200 and 1 <= int(refused["Retry-After"]) <= 60
    assert "Слишком много проверок на дубли за минуту. Проверка возобновится через" in page
    assert "Ромашка" not in page
    assert AuditEvent.objects.filter(event="clients.duplicates.check", actor=manager_user).count() == 3
    # and another user is not limited by the manager's checks (the control)
    other = signed_in(supervisor_user).get("/clients/duplicates/", {"inn": VALID_INN}, **HX)
    assert 'data-testid="duplicates-throttled"' not in html(other)
    # and once the minute has passed, the manager's checks run again
    for row in AuditEvent.objects.filter(event="clients.duplicates.check", actor=manager_user):
        AuditEvent.objects.filter(pk=row.pk).update(at=row.at - timedelta(seconds=61))
    assert "Ромашка" in html(manager.get("/clients/duplicates/", {"inn": VALID_INN}, **HX))


@pytest.mark.feature("CLI-16")
@override_settings(DUPLICATE_CHECKS_PER_MINUTE=1)
def test_a_card_whose_check_is_refused_is_not_saved_unchecked(manager_user: Any, manager_client: Any) -> None:
    # given the manager used up the minute's checks
    manager_client.get("/clients/duplicates/", {"inn": VALID_INN}, **HX)
    data = card_post(short_name="Лютик", inn=VALID_INN, curator=manager_user.pk)
    # when he saves a new card
    refused = manager_client.post("/clients/new/", data)
    # then it is not saved, and the form says why (not a 500)
    assert refused.status_code == 200 and not Client.objects.exists()
    assert "Слишком много проверок на дубли за минуту." in html(refused)
    assert 'name="save_anyway"' in html(refused)
    # and saved "anyway", it is registered (the user chose to save without the check)
    assert manager_client.post("/clients/new/", {**data, "save_anyway": "on"}).status_code == 302
    assert Client.objects.filter(short_name="Лютик").exists()
