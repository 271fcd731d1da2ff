"""Duplicate detection on entry (CLI-16) in the card: the check while typing, and the save that asks first."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings

from kontora.clients.models import Client, ClientGrant
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN, card_post, company_inn, make_private
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
def test_someone_elses_private_client_is_never_told_of(admin_user: Any, scope: str) -> None:
    # given someone's private client
    owner = UserFactory(login="owner", full_name="Тайный Куратор", client_scope="full")
    private = make_private(ClientFactory(curator=owner, short_name="Секрет", inn=VALID_INN, phone="+7 495 123-45-67"))
    viewer = UserFactory(login="viewer", full_name="Проверяющий", client_scope=scope)
    values = {"inn": VALID_INN, "short_name": "Секрет", "phone": "8 495 123-45-67"}
    # when the viewer types its INN, name and phone while entering a new client, and when he saves the new card
    typed = html(signed_in(viewer).get("/clients/duplicates/", values, **HX))
    saved = signed_in(viewer).post("/clients/new/", card_post(**values, curator=viewer.pk))
    # then nothing is said: no warning, no curator, and the card saves without asking
    assert 'data-testid="client-duplicates"' not in typed
    assert "Тайный Куратор" not in typed and f"{private.code} · Секрет" not in typed
    assert saved.status_code == 302 and Client.objects.filter(curator=viewer).count() == 1
    # while the curator himself is offered his private client (the control)
    assert f"{private.code} · Секрет" in html(signed_in(owner).get("/clients/duplicates/", values, **HX))
    # and once it is no longer private, the viewer is told of it (by its curator, or as a row he sees)
    Client.objects.filter(pk=private.pk).update(is_private=False)
    again = html(signed_in(viewer).get("/clients/duplicates/", values, **HX))
    assert f"{private.code} · Секрет" in again or "куратор — Тайный Куратор" in again


# The own-clients manager's matrix: what the check says about a client of each relation to him, found by its INN
# or its phone. "shown": its registry row with a link; "told": only that it exists and its curator; "silent".
MATRIX = {"own": "shown", "granted": "shown", "foreign": "told", "foreign_private": "silent"}


def _matrix_world(viewer: Any) -> dict[str, Client]:
    """A client of every relation to the viewer, each with its own INN and phone; the foreign ones curated by
    «Иванов И. И.»."""
    ivanov = UserFactory(login="ivanov", full_name="Иванов И. И.", client_scope="full")
    clients = {}
    for number, relation in enumerate(MATRIX, start=1):
        client = ClientFactory(
            curator=viewer if relation == "own" else ivanov, short_name=f"Тайна-{relation}",
            inn=company_inn(number), kpp="770101001", phone=f"+7 (812) 555-01-0{number}",
        )
        if relation == "granted":
            ClientGrant.objects.create(client=client, user=viewer, can_edit=False)
        clients[relation] = make_private(client) if relation == "foreign_private" else client
    return clients


@pytest.mark.feature("CLI-16", "ACL-01", "ACL-03")
@pytest.mark.parametrize("field", ["inn", "phone"])
@pytest.mark.parametrize("relation", list(MATRIX))
def test_an_own_clients_manager_is_warned_of_every_duplicate_he_may_see_or_be_told_of(
        manager_user: Any, relation: str, field: str) -> None:
    # given a manager who works with his own clients only, and a client of each relation to him
    assert manager_user.client_scope == "own"
    clients = _matrix_world(manager_user)
    client = clients[relation]
    number = list(MATRIX).index(relation) + 1
    typed_values = {"inn": client.inn, "kpp": "770101001"} if field == "inn" else {"phone": f"8 812 555010{number}"}
    manager = signed_in(manager_user)
    # when he types the client's INN and KPP (or its phone) on a new card, and when he saves the card
    typed = html(manager.get("/clients/duplicates/", typed_values, **HX))
    data = card_post(short_name="Новый клиент", curator=manager_user.pk, **typed_values)
    saved_page = manager.post("/clients/new/", data)
    saved = _warning(html(saved_page))
    expected = MATRIX[relation]
    for answer in (typed, saved):
        told = re.findall(r'<li data-testid="duplicate-told">([^<]*)</li>', answer)
        if expected == "shown":
            # then a client he may open is shown as its row, with a link to its card
            assert f'<a href="/clients/{client.pk}/"' in answer and f"{client.code} · {client.short_name}" in answer
            assert told == []
        elif expected == "told":
            # then of another's client he is told that it exists and whose it is — nothing of its card
            what = "ИНН" if field == "inn" else "телефоном"
            assert told == [f"Клиент с таким {what} уже есть, куратор — Иванов И. И."]
            assert 'data-testid="duplicate"' not in answer and f"/clients/{client.pk}/" not in answer
        else:
            # then of another's private client nothing at all is said
            assert answer == "" or 'data-testid="client-duplicates"' not in answer
            assert "Иванов" not in answer
        # and in no answer is a card he may not open shown: its name, code, phone as kept, city
        for other in ([] if expected == "shown" else [client]) + [clients["foreign"], clients["foreign_private"]]:
            assert other.short_name not in answer and f"{other.code} · " not in answer
            assert "(812) 555-01" not in answer
    # and the save waits for "save anyway" whenever there is something to warn of, and goes through when silent
    if expected == "silent":
        assert saved_page.status_code == 302
    else:
        assert saved_page.status_code == 200 and 'name="save_anyway"' in html(saved_page)
        assert manager.post("/clients/new/", {**data, "save_anyway": "on"}).status_code == 302
    assert Client.objects.filter(short_name="Новый клиент").count() == 1


@pytest.mark.feature("CLI-16", "ACL-02")
def test_a_list_all_user_is_told_the_curator_of_a_card_he_only_lists(manager_user: Any) -> None:
    # given a "list all" user and another's client, with an INN (card data) and a phone (a registry column)
    ivanov = UserFactory(login="ivanov", full_name="Иванов И. И.", client_scope="full")
    foreign = ClientFactory(curator=ivanov, short_name="Чужой", inn=VALID_INN, phone="+7 (812) 555-01-01")
    viewer = signed_in(UserFactory(login="viewer", client_scope="list_all"))
    # when he types the INN
    by_inn = html(viewer.get("/clients/duplicates/", {"inn": VALID_INN}, **HX))
    # then he is told its curator, not which of the clients he lists carries it
    assert "Клиент с таким ИНН уже есть, куратор — Иванов И. И." in by_inn and "Чужой" not in by_inn
    # when he types the phone, a registry column: the row he lists is shown, with its curator and no link
    by_phone = html(viewer.get("/clients/duplicates/", {"phone": "8 812 555 01 01"}, **HX))
    assert f"{foreign.code} · Чужой" in by_phone and "куратор — Иванов И. И." in by_phone
    assert f'href="/clients/{foreign.pk}/"' not in by_phone and 'data-testid="duplicate-told"' not in by_phone


@pytest.mark.feature("CLI-16")
def test_editing_a_card_to_another_managers_inn_is_warned_of(manager_user: Any) -> None:
    # given the manager's own client and another manager's client with an INN
    UserFactory(login="ivanov", full_name="Иванов И. И.")
    ClientFactory(curator=UserFactory.create(full_name="Петров П. П."), short_name="Чужой", inn=VALID_INN)
    own = ClientFactory(curator=manager_user, short_name="Свой")
    manager = signed_in(manager_user)
    # when he types that INN into his own card and saves it
    data = card_post(short_name="Свой", inn=VALID_INN, curator=manager_user.pk)
    first = manager.post(f"/clients/{own.pk}/", data)
    # then the save asks first, naming the other client's curator
    assert first.status_code == 200
    assert "Клиент с таким ИНН уже есть, куратор — Петров П. П." in _warning(html(first))
    own.refresh_from_db()
    assert own.inn != VALID_INN
    # and "save anyway" saves it
    assert manager.post(f"/clients/{own.pk}/", {**data, "save_anyway": "on"}).status_code == 302
    own.refresh_from_db()
    assert own.inn == VALID_INN


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
        (manager_user, {"inn": VALID_INN, "short_name": "Сбер", "phone": "8 495 1234567", "client_id": client.pk,
                        "told": []}),
        (manager_user, {"inn": VALID_INN, "short_name": "Лютик", "phone": "", "client_id": None, "told": []}),
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
