"""Who the curator of a card is (ACL-01, CLI-03): a field the user may not change is shown as its value with the
reason, never offered and then dropped — a manager who works with his own clients only is the curator of those he
registers; an "open all" user reads the curator of another's client."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_submit
from tests.support.forms import form_data
from tests.support.http import html, signed_in

OWN_REASON = "Вы работаете только со своими клиентами, поэтому куратор регистрируемых вами клиентов — вы."
MAIN_REASON = "Ваш режим работы позволяет менять сведения этого клиента, но не его основные данные"


@pytest.mark.feature("ACL-01", "CLI-03")
def test_an_own_clients_manager_sees_himself_as_the_curator_of_a_new_card_with_the_reason(
        manager_user: Any, manager_client: Any) -> None:
    colleague = UserFactory(login="colleague", full_name="Коллега Коллегов")
    page = html(manager_client.get("/clients/new/?kind=company"))
    # then the curator is not offered: it reads his name, with why
    assert 'name="curator"' not in page
    assert 'data-testid="value-curator">Алексей Менеджеров</div>' in page and OWN_REASON in page
    # and the specialist is still his to choose
    assert 'name="specialist"' in page
    # when he saves the card (a forged curator rides along: a field not offered takes nothing)
    data = form_data(page, "client-card-form")
    data.setlist("short_name", ["Ромашка"])
    data.setlist("curator", [str(colleague.pk)])
    response = manager_client.post("/clients/new/", dict(data.lists()))
    # then he is its curator, as the card said
    assert response.status_code == 302
    assert Client.objects.get().curator == manager_user


@pytest.mark.feature("ACL-01", "CLI-03")
def test_a_full_access_user_chooses_the_curator_of_a_new_card_and_it_is_kept(admin_user: Any) -> None:
    # positive control: who may choose is offered the choice, and it is kept
    colleague = UserFactory(login="colleague", full_name="Коллега Коллегов")
    http = signed_in(admin_user)
    page = html(http.get("/clients/new/?kind=company"))
    assert 'name="curator"' in page and OWN_REASON not in page
    data = form_data(page, "client-card-form")
    data.setlist("short_name", ["Ромашка"])
    data.setlist("curator", [str(colleague.pk)])
    assert http.post("/clients/new/", dict(data.lists())).status_code == 302
    assert Client.objects.get().curator == colleague


@pytest.mark.feature("ACL-01", "CLI-03")
def test_an_open_all_user_reads_the_curator_of_anothers_client_with_the_reason(admin_user: Any) -> None:
    keeper = UserFactory(login="keeper", full_name="Хранитель Клиентов")
    reader = UserFactory(login="reader", full_name="Читатель Всех", client_scope="open_all")
    client = ClientFactory(curator=keeper, short_name="Ромашка")
    http = signed_in(reader)
    page = html(http.get(f"/clients/{client.pk}/"))
    # then the curator and the specialist are values with the reason, not lists
    assert 'name="curator"' not in page and 'name="specialist"' not in page
    assert 'data-testid="reason-curator"' in page and MAIN_REASON in page
    # and the notes, his to change, are saved
    assert card_submit(http, client, {"notes": "Звонить после обеда"}).status_code == 302
    client.refresh_from_db()
    assert (client.notes, client.curator) == ("Звонить после обеда", keeper)
