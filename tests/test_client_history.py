"""The card's change history (CLI-12): every write records who changed what, shown on the Service tab."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client, ClientChange
from kontora.clients.services import admin as services_admin
from kontora.clients.services import card as services
from kontora.directories.models import ClientStatus
from tests.accounts.factories import UserFactory
from tests.test_client_card import card_post, html, make_client


@pytest.mark.feature("CLI-12")
def test_card_save_records_each_changed_field_with_old_and_new_value(manager_user: Any, manager_client: Any) -> None:
    # given a registered card
    client = make_client(manager_user, "Ромашка", phone="+7 495 111-22-33")
    status = ClientStatus.objects.first()
    assert status is not None

    # when the manager changes the phone and the status through the card
    manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Ромашка", phone="+7 495 999-00-00", status=status.pk, curator=manager_user.pk, apply="1",
    ))

    # then the history holds the registration and one change naming both fields, old → new
    actions = list(ClientChange.objects.filter(client=client).order_by("id").values_list("action", flat=True))
    assert actions == ["Карточка зарегистрирована", "Карточка изменена"]
    change = ClientChange.objects.filter(client=client).order_by("id").last()
    assert change is not None and change.user == manager_user
    fields = {item["field"]: (item["old"], item["new"]) for item in change.details}
    assert fields["Основные телефоны"] == ("+7 495 111-22-33", "+7 495 999-00-00")
    assert fields["Статус"] == ("", str(status))
    assert "Краткое наименование" not in fields  # unchanged fields are not listed


@pytest.mark.feature("CLI-12")
def test_saving_without_changes_records_nothing(manager_user: Any, manager_client: Any) -> None:
    client = make_client(manager_user, "Без перемен")
    manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Без перемен", full_name="Без перемен", curator=manager_user.pk, apply="1",
    ))
    assert ClientChange.objects.filter(client=client).count() == 1


@pytest.mark.feature("CLI-12")
def test_contacts_and_service_tab_show_the_history(manager_user: Any, manager_client: Any) -> None:
    client = make_client(manager_user, "Контактная")
    contact = services.contact_create(acting_user=manager_user, client=client, values={"full_name": "Иванов И."})
    services.contact_update(acting_user=manager_user, contact=contact, values={"position": "Директор"})
    services.contact_delete(acting_user=manager_user, contact=contact)

    page = html(manager_client.get(f"/clients/{client.pk}/"))

    history = page[page.index('data-testid="history"'):]
    assert "Контактное лицо добавлено: Иванов И." in history
    assert "Контактное лицо изменено: Иванов И." in history and "Директор" in history
    assert "Контактное лицо удалено: Иванов И." in history


@pytest.mark.feature("CLI-12")
@pytest.mark.feature("ACL-05")
def test_handing_clients_over_records_one_entry_per_client(admin_user: Any) -> None:
    leaving, coming = UserFactory(login="leaving2"), UserFactory(login="coming2")
    moved = [make_client(leaving, f"Клиент {i}") for i in range(3)]
    kept = make_client(coming, "Свой клиент")

    services_admin.clients_change_curator(acting_user=admin_user, old_curator=leaving, new_curator=coming)

    for client in moved:
        entry = ClientChange.objects.filter(client=client).order_by("id").last()
        assert entry is not None and entry.user == admin_user
        assert entry.details == [{"field": "Куратор", "old": str(leaving), "new": str(coming)}]
    assert ClientChange.objects.filter(client=kept).count() == 1  # its registration only
    assert Client.objects.filter(curator=coming).count() == 4
