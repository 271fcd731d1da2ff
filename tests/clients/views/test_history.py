"""The card's change history (CLI-12): every write records who changed what, shown on the Service tab."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kontora.clients.services import card as services
from kontora.directories.models import ClientStatus
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history, card_post
from tests.support.http import html, signed_in


@pytest.mark.feature("CLI-12")
def test_card_save_records_each_changed_field_with_old_and_new_value(manager_user: Any, manager_client: Any) -> None:
    # given a registered card
    client = services.client_create(acting_user=manager_user, values={
        "kind": "company", "short_name": "Ромашка", "phone": "+7 495 111-22-33"})
    status = ClientStatus.objects.first()
    assert status is not None

    # when the manager changes the phone and the status through the card
    manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Ромашка", phone="+7 495 999-00-00", status=status.pk, curator=manager_user.pk, apply="1",
    ))

    # then the history holds the registration and one change naming both fields, old → new
    actions = list(card_history(client).order_by("id").values_list("summary", flat=True))
    assert actions == ["Карточка зарегистрирована", "Карточка изменена"]
    change = card_history(client).order_by("id").last()
    assert change is not None and change.actor == manager_user
    fields = {item["field"]: (item["old"], item["new"]) for item in change.changes}
    assert fields["Основные телефоны"] == ("+7 495 111-22-33", "+7 495 999-00-00")
    assert fields["Статус"] == ("", str(status))
    assert "Краткое наименование" not in fields  # unchanged fields are not listed


@pytest.mark.feature("CLI-12")
def test_saving_without_changes_records_nothing(manager_user: Any, manager_client: Any) -> None:
    client = services.client_create(acting_user=manager_user, values={"kind": "company", "short_name": "Без перемен"})
    manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Без перемен", full_name="Без перемен", curator=manager_user.pk, apply="1",
    ))
    assert card_history(client).count() == 1


@pytest.mark.feature("CLI-12")
def test_contacts_and_service_tab_show_the_history(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Контактная")
    contact = services.contact_create(acting_user=manager_user, client=client, values={"full_name": "Иванов И."})
    services.contact_update(acting_user=manager_user, contact=contact, values={"position": "Директор"})
    services.contact_delete(acting_user=manager_user, contact=contact)

    page = html(manager_client.get(f"/clients/{client.pk}/history/"))

    history = page[page.index('data-testid="history"'):]
    assert "Контактное лицо добавлено: Иванов И." in history
    assert "Контактное лицо изменено: Иванов И." in history and "Директор" in history
    assert "Контактное лицо удалено: Иванов И." in history


@pytest.mark.feature("CLI-12")
def test_the_history_table_lists_the_rows_newest_first_with_who_and_what(manager_user: Any, admin_user: Any) -> None:
    # given a card registered by the manager and changed by the administrator
    client = services.client_create(acting_user=manager_user, values={"kind": "company", "short_name": "Ромашка"})
    services.client_update(acting_user=admin_user, client=client, values={"notes": "Проверено"})

    # when the card's Service tab is shown
    page = html(signed_in(admin_user).get(f"/clients/{client.pk}/history/"))

    # then the history table's rows read newest first: who, what, and the field's old → new value
    table = page[page.index('data-testid="history"'):]
    table = table[:table.index("</table>")]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in table.split("<tr>")[2:]]
    assert [row.split(" ", 2)[2] for row in rows] == [
        "Администратор Системы Карточка изменена Заметки: — → Проверено",
        "Алексей Менеджеров Карточка зарегистрирована",
    ]
