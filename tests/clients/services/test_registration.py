"""The registration services (CLI-06, CLI-01): registration data, changes in legal documents and a person's
passport data, each write with its history row; main data only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kontora.clients.models import ClientLegalChange, ClientRegistration
from kontora.clients.services import registration as services
from kontora.core.errors import NotAllowed
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import OKPO, card_history


@pytest.mark.feature("CLI-06")
@pytest.mark.feature("CLI-12")
def test_registration_data_is_inserted_then_changed_with_a_row_per_change(curator: Any) -> None:
    # given a company without registration data
    client = ClientFactory(curator=curator, short_name="Ромашка")
    # when it is saved, saved again unchanged, then the head changes
    services.registration_save(acting_user=curator, client=client, values={"okpo": OKPO, "director": "Иванов"})
    services.registration_save(acting_user=curator, client=client, values={"okpo": OKPO, "director": "Иванов"})
    services.registration_save(acting_user=curator, client=client, values={"okpo": OKPO, "director": "Петров"})
    # then the row holds the last values and the history has two rows, the second naming the head only
    assert ClientRegistration.objects.get(client=client).director == "Петров"
    first, second = card_history(client).order_by("id")
    assert (first.event, first.summary, first.actor, first.target_type, first.target_id) == (
        "clients.registration.update", "Регистрационные данные изменены", curator, "clients.clientregistration",
        client.pk)
    assert {"field": "ОКПО", "old": "", "new": OKPO} in first.changes
    assert second.changes == [{"field": "Руководитель", "old": "Иванов", "new": "Петров"}]
    # and the card is stamped as changed by the curator
    client.refresh_from_db()
    assert client.changed_by == curator


@pytest.mark.feature("CLI-06")
@pytest.mark.feature("CLI-12")
def test_legal_changes_are_added_corrected_and_deleted_with_a_row_each(curator: Any) -> None:
    # given a company
    client = ClientFactory(curator=curator, short_name="Ромашка")
    day = datetime.date(2024, 3, 1)
    # when a change is added, corrected and deleted
    change = services.legal_change_create(acting_user=curator, client=client,
                                          values={"date": day, "document": "Устав"})
    change_id = change.pk
    services.legal_change_update(acting_user=curator, change=change,
                                 values={"date": day, "document": "Устав, ред. 2"})
    services.legal_change_delete(acting_user=curator, change=change)
    # then each is in the history with the change as its target
    rows = list(card_history(client).order_by("id"))
    assert [(row.event, row.summary) for row in rows] == [
        ("clients.legal_change.create", "Добавлено изменение в юридических документах: 1 марта 2024 г. Устав"),
        ("clients.legal_change.update",
         "Исправлено изменение в юридических документах: 1 марта 2024 г. Устав, ред. 2"),
        ("clients.legal_change.delete",
         "Удалено изменение в юридических документах: 1 марта 2024 г. Устав, ред. 2"),
    ]
    assert {(row.target_type, row.target_id) for row in rows} == {("clients.clientlegalchange", change_id)}
    assert rows[1].changes == [{"field": "Документ", "old": "Устав", "new": "Устав, ред. 2"}]
    assert not ClientLegalChange.objects.exists()


@pytest.mark.feature("CLI-01")
@pytest.mark.feature("CLI-12")
def test_a_persons_passport_data_is_saved_with_its_row(curator: Any) -> None:
    # given a person
    person = ClientFactory(curator=curator, short_name="Сидоров Пётр", kind="person")
    # when the passport is saved
    services.personal_save(acting_user=curator, client=person,
                           values={"passport_series": "45 12", "passport_number": "345678"})
    # then one row names the series and the number
    row = card_history(person).get()
    assert (row.event, row.summary, row.target_type) == (
        "clients.personal.update", "Личные данные изменены", "clients.clientpersonal")
    assert {"field": "Серия паспорта", "old": "", "new": "4512"} in row.changes


@pytest.mark.feature("CLI-06")
@pytest.mark.feature("ACL-02")
def test_an_open_all_user_may_not_change_others_registration_data(curator: Any) -> None:
    # given a colleague's company and a user in "open all" mode
    client = ClientFactory(curator=curator, short_name="Ромашка")
    viewer = UserFactory(login="viewer", client_scope="open_all")
    # when he saves registration data or adds a legal change, he is refused and nothing is written
    with pytest.raises(NotAllowed):
        services.registration_save(acting_user=viewer, client=client, values={"director": "Петров"})
    with pytest.raises(NotAllowed):
        services.legal_change_create(acting_user=viewer, client=client,
                                     values={"date": datetime.date(2024, 3, 1), "document": "Устав"})
    assert not ClientRegistration.objects.exists() and not ClientLegalChange.objects.exists()
    assert not card_history(client).exists()
